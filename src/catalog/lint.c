/* catalog/lint.c — report what in a table does not add up.  Lint never
 * changes a table; findings a table acknowledges as defects of its source
 * (#meta,known,KIND CODE, or a row's quirk cell) are still reported, marked
 * known, and do not count towards the exit status. */
#include "catalog/catalog.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *kind;
	const char *label;
} labels[] = {
	{ "sum", "分值合计不符" },
	{ "total", "总分不符" },
	{ "deduct-over", "扣分超过分值" },
	{ "deduct-short", "扣分项合计低于分值" },
	{ "text-points", "文字与分值矛盾" },
	{ "duplicate", "重名" },
	{ "unit-spelling", "单位写法不一" },
	{ "unit-unknown", "单位不在名录中" },
	{ "quirk", "原文问题" },
	{ "rule", "规则用法" },
	{ "ref", "引用无效" },
};

const char *kp_lint_label(const char *kind)
{
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (!strcmp(labels[i].kind, kind))
			return labels[i].label;
	return kind;
}

void kp_findings_release(kp_findings *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].kind);
		free(f->v[i].code);
		free(f->v[i].message);
	}
	free(f->v);
	f->v = NULL;
	f->n = f->cap = 0;
}

/* Is "KIND CODE" or "KIND *" among the table's #meta,known rows? */
static bool acknowledged(const kp_table *t, const char *kind,
			 const char *code)
{
	size_t kl = strlen(kind);
	for (size_t i = 0; i < t->nmeta; i++) {
		const char *v = t->meta[i].value;
		if (strcmp(t->meta[i].key, "known") || strncmp(v, kind, kl) ||
		    v[kl] != ' ')
			continue;
		v += kl + 1;
		while (*v == ' ')
			v++;
		if (!strcmp(v, "*") || !strcmp(v, code))
			return true;
	}
	return false;
}

__attribute__((format(printf, 6, 7)))
static void add(kp_findings *f, const kp_table *t, const char *kind,
		const char *code, size_t line, const char *fmt, ...)
{
	kp_buf msg = KP_BUF_INIT;
	va_list ap;
	kp_finding *x;
	va_start(ap, fmt);
	kp_buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 16;
		f->v = kp_xrealloc(f->v, f->cap * sizeof(*f->v));
	}
	x = &f->v[f->n++];
	x->kind = kp_xstrdup(kind);
	x->code = kp_xstrdup(code ? code : "");
	x->line = line;
	x->message = kp_buf_detach(&msg);
	x->known = !strcmp(kind, "quirk") ||
		   (t && acknowledged(t, kind, x->code));
}

static bool scored(const kp_node *n)
{
	return n->rule != KP_RULE_VETO && n->rule != KP_RULE_BONUS &&
	       n->rule != KP_RULE_MINUS && n->rule != KP_RULE_ITEM;
}

/* ---- points ---------------------------------------------------------- */

static void check_sum(const kp_table *t, const kp_node *n, kp_findings *f)
{
	kp_num sum = kp_num_int(0);
	size_t with = 0, without = 0;
	char a[32], b[32];
	for (size_t i = 0; i < n->nchildren; i++) {
		const kp_node *c = n->children[i];
		if (!scored(c))
			continue;
		if (c->has_points) {
			with++;
			if (kp_num_add(sum, c->points, &sum) < 0)
				return;
		} else {
			without++;
		}
	}
	if (n->rule == KP_RULE_SHARE) {
		if (with)
			add(f, t, "rule", n->code, n->line,
			    "“%s”按 share 由子项平分分值，但有 %zu 个子项自带分值",
			    n->path, with);
		return;
	}
	if (n->rule != KP_RULE_SUM)
		return;
	if (without && with)
		add(f, t, "rule", n->code, n->line,
		    "“%s”的子项中 %zu 项有分值、%zu 项没有；没有分值的子项不计分（若各项共享上级分值，请用 share）",
		    n->path, with, without);
	if (n->has_points && with && kp_num_cmp(sum, n->points))
		add(f, t, "sum", n->code, n->line,
		    "“%s”分值为 %s，但子项分值合计为 %s", n->path,
		    kp_num_str(n->points, a), kp_num_str(sum, b));
}

/* Largest deduction a minus item can make; false when unbounded. */
static bool minus_cap(const kp_node *m, kp_num item_points, kp_num *cap)
{
	const char *amount = kp_node_param(m, "amount");
	const char *max = kp_node_param(m, "max");
	if (max)
		return kp_num_parse(max, cap) == 0;
	if (m->nchildren) {
		kp_num sum = kp_num_int(0), c;
		for (size_t i = 0; i < m->nchildren; i++) {
			if (m->children[i]->rule != KP_RULE_MINUS)
				continue;
			if (!minus_cap(m->children[i], item_points, &c) ||
			    kp_num_add(sum, c, &sum) < 0)
				return false;
		}
		*cap = sum;
		return true;
	}
	if (!amount)
		return false;
	if (!strcmp(amount, "all")) {
		*cap = item_points;
		return true;
	}
	if (kp_node_param(m, "each"))
		return false;
	return kp_num_parse(amount, cap) == 0;
}

static void check_deduct(const kp_table *t, const kp_node *n, kp_findings *f)
{
	char a[32], b[32];
	kp_num total = kp_num_int(0), cap;
	bool bounded = true, zeroes = false;
	size_t items = 0;
	const char *v;
	if (n->rule == KP_RULE_MINUS && n->nchildren) {
		/* a group: its children against its own max */
		const char *max = kp_node_param(n, "max");
		kp_num m, sum = kp_num_int(0);
		if (!max || kp_num_parse(max, &m) < 0)
			return;
		for (size_t i = 0; i < n->nchildren; i++) {
			if (n->children[i]->rule != KP_RULE_MINUS)
				continue;
			if (!minus_cap(n->children[i], m, &cap) ||
			    kp_num_add(sum, cap, &sum) < 0)
				return;
		}
		if (kp_num_cmp(sum, m))
			add(f, t, kp_num_cmp(sum, m) > 0 ? "deduct-over"
							 : "deduct-short",
			    n->code, n->line,
			    "扣分组“%s”最多扣 %s 分，但其中各项扣分合计 %s 分", n->path,
			    kp_num_str(m, a), kp_num_str(sum, b));
		return;
	}
	if (n->rule != KP_RULE_DEDUCT || !n->has_points)
		return;
	if (!n->nchildren) {
		const char *amount = kp_node_param(n, "amount");
		const char *max = kp_node_param(n, "max");
		kp_num x;
		if (amount && strcmp(amount, "all") &&
		    kp_num_parse(amount, &x) == 0 &&
		    kp_num_cmp(x, n->points) > 0)
			add(f, t, "deduct-over", n->code, n->line,
			    "“%s”每次扣 %s 分，超过本项分值 %s 分", n->path,
			    kp_num_str(x, a), kp_num_str(n->points, b));
		if (max && kp_num_parse(max, &x) == 0 &&
		    kp_num_cmp(x, n->points) > 0)
			add(f, t, "deduct-over", n->code, n->line,
			    "“%s”最多扣 %s 分，超过本项分值 %s 分", n->path,
			    kp_num_str(x, a), kp_num_str(n->points, b));
		return;
	}
	for (size_t i = 0; i < n->nchildren; i++) {
		const kp_node *m = n->children[i];
		if (m->rule != KP_RULE_MINUS)
			continue;
		items++;
		if ((v = kp_node_param(m, "amount")) && !strcmp(v, "all"))
			zeroes = true;
		if (!minus_cap(m, n->points, &cap)) {
			bounded = false;
			continue;
		}
		if (kp_num_add(total, cap, &total) < 0)
			return;
	}
	if (!items)
		return;
	if (zeroes)
		return;   /* an "all" item zeroes the item: never over */
	if (kp_num_cmp(total, n->points) > 0)
		add(f, t, "deduct-over", n->code, n->line,
		    "“%s”分值为 %s，但扣分项合计可扣 %s 分", n->path,
		    kp_num_str(n->points, a), kp_num_str(total, b));
	else if (bounded && kp_num_cmp(total, n->points) < 0)
		add(f, t, "deduct-short", n->code, n->line,
		    "“%s”分值为 %s，但扣分项全部扣完也只扣 %s 分", n->path,
		    kp_num_str(n->points, a), kp_num_str(total, b));
}

/* "得3分" in the text of a node worth 5 points. */
static void check_text_points(const kp_table *t, const kp_node *n,
			      kp_findings *f)
{
	static const int cols[] = { KP_T_CONTENT, KP_T_CRITERIA };
	char a[32], b[32];
	if (!n->has_points)
		return;
	for (size_t k = 0; k < 2; k++) {
		const char *s = n->text[cols[k]];
		const char *p = s;
		while ((p = strstr(p, "得"))) {
			const char *q = p + strlen("得");
			char num[32];
			size_t i = 0;
			kp_num v;
			bool less;
			while (*q == ' ')
				q++;
			while (((*q >= '0' && *q <= '9') || *q == '.') &&
			       i < sizeof(num) - 1)
				num[i++] = *q++;
			num[i] = '\0';
			while (*q == ' ')
				q++;
			/* "少得2分" states a deduction, not what the item is
			 * worth */
			less = p - s >= (ptrdiff_t)strlen("少") &&
			       !strncmp(p - strlen("少"), "少", strlen("少"));
			p += strlen("得");
			if (less || !i || strncmp(q, "分", strlen("分")) ||
			    kp_num_parse(num, &v) < 0)
				continue;
			if (kp_num_cmp(v, n->points))
				add(f, t, "text-points", n->code, n->line,
				    "“%s”分值为 %s，但评分标准写“得%s分”", n->path,
				    kp_num_str(n->points, a), kp_num_str(v, b));
		}
	}
}

/* ---- structure ------------------------------------------------------- */

static void check_duplicates(const kp_table *t, kp_node *const *sib,
			     size_t n, const kp_node *parent, kp_findings *f)
{
	for (size_t i = 0; i < n; i++) {
		kp_buf lines = KP_BUF_INIT;
		size_t count = 1;
		bool first = true;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(sib[j]->name, sib[i]->name))
				first = false;
		if (!first)
			continue;
		kp_buf_addf(&lines, "%zu", sib[i]->line);
		for (size_t j = i + 1; j < n; j++)
			if (!strcmp(sib[j]->name, sib[i]->name)) {
				count++;
				kp_buf_addf(&lines, "、%zu", sib[j]->line);
			}
		if (count > 1)
			add(f, t, "duplicate", sib[i]->code, sib[i]->line,
			    "“%s”在%s%s%s下出现 %zu 次（第 %s 行）；按路径无法区分，请用编号引用",
			    sib[i]->name, parent ? "“" : "",
			    parent ? parent->path : "第一级", parent ? "”" : "",
			    count, lines.data);
		kp_buf_release(&lines);
	}
}

static void check_rules(const kp_table *t, const kp_node *n, kp_findings *f)
{
	const kp_node *p = n->parent;
	if (n->rule == KP_RULE_MINUS &&
	    (!p || (p->rule != KP_RULE_DEDUCT && p->rule != KP_RULE_MINUS)))
		add(f, t, "rule", n->code, n->line,
		    "扣分项“%s”的上级不是 deduct（倒扣分）项，不会被计算", n->path);
	if (n->rule == KP_RULE_JUDGED && !n->has_points &&
	    (!p || p->rule != KP_RULE_SHARE))
		add(f, t, "rule", n->code, n->line,
		    "“%s”由评估员打分，但既没有分值，上级也不是 share", n->path);
	if ((n->rule == KP_RULE_DEDUCT || n->rule == KP_RULE_BINARY ||
	     n->rule == KP_RULE_TIERED || n->rule == KP_RULE_CHECKLIST ||
	     n->rule == KP_RULE_SHARE) &&
	    !n->has_points)
		add(f, t, "rule", n->code, n->line, "“%s”的规则 %s 需要分值",
		    n->path, kp_rule_name(n->rule));
	bool has_minus = false;
	for (size_t i = 0; i < n->nchildren; i++)
		has_minus |= n->children[i]->rule == KP_RULE_MINUS;
	if (n->rule == KP_RULE_DEDUCT && has_minus &&
	    kp_node_param(n, "amount"))
		add(f, t, "rule", n->code, n->line,
		    "“%s”既有扣分子项又自带 amount，二者只能取一", n->path);
}

/* A reference "id" or "id:path" to another bundled table. */
static void check_ref(const kp_table *t, const kp_node *n, const char *what,
		      const char *ref, kp_findings *f)
{
	char *id = kp_xstrdup(ref), *colon = strchr(id, ':');
	kp_table *o = NULL;
	kp_err e;
	if (colon)
		*colon = '\0';
	if (kp_table_open(id, &o, &e) < 0) {
		add(f, t, "ref", n ? n->code : "", n ? n->line : 0,
		    "%s引用的表“%s”无法打开：%s", what, id, e.msg);
	} else if (colon && !kp_table_find(o, colon + 1)) {
		add(f, t, "ref", n ? n->code : "", n ? n->line : 0,
		    "%s引用的指标“%s”在表“%s”中不存在", what, colon + 1, id);
	}
	kp_table_free(o);
	free(id);
}

/* ---- units ----------------------------------------------------------- */

typedef struct spelling {
	char *written;
	const char *canonical;   /* borrowed from the registry; NULL unknown */
	char *where;             /* table id or code */
	size_t line;
} spelling;

typedef struct spellings {
	spelling *v;
	size_t n;
	const kp_units *reg;
	const char *where;
	size_t line;
} spellings;

static int collect(void *arg, const char *name)
{
	spellings *s = arg;
	/* a collective phrase the registry declares (各县区, 市住建局等相关
	 * 职能部门) is neither a spelling of one unit nor unknown */
	if (s->reg && !kp_units_resolve(s->reg, name) &&
	    kp_units_expand(s->reg, name, NULL, NULL, NULL) >= 0)
		return 0;
	s->v = kp_xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
	s->v[s->n].written = kp_xstrdup(name);
	s->v[s->n].canonical = s->reg ? kp_units_resolve(s->reg, name) : NULL;
	s->v[s->n].where = kp_xstrdup(s->where);
	s->v[s->n].line = s->line;
	s->n++;
	return 0;
}

static void spellings_release(spellings *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].written);
		free(s->v[i].where);
	}
	free(s->v);
}

static void collect_table(const kp_table *t, spellings *s)
{
	s->where = kp_table_id(t);
	if (t->kind == KP_KIND_INDICATORS) {
		for (size_t i = 0; i < t->nnodes; i++) {
			s->line = t->nodes[i]->line;
			kp_list_each(t->nodes[i]->text[KP_T_UNITS], collect, s);
		}
	} else if (t->kind == KP_KIND_QUOTA) {
		for (size_t r = 0; r < t->nrecs; r++) {
			s->line = t->recs[r].line;
			collect(s, kp_record_cell(t, r, "unit"));
		}
	}
}

/* Report canonical units written more than one way in s; in_table
 * decides the wording. */
static void report_spellings(const kp_table *t, spellings *s, kp_findings *f,
			     bool across)
{
	for (size_t i = 0; i < s->n; i++) {
		kp_buf list = KP_BUF_INIT;
		size_t kinds = 1;
		bool first = true;
		if (!s->v[i].canonical)
			continue;
		for (size_t j = 0; j < i; j++)
			if (s->v[j].canonical == s->v[i].canonical)
				first = false;
		if (!first)
			continue;
		kp_buf_addf(&list, "“%s”（%s%s%zu 行）", s->v[i].written,
			    across ? s->v[i].where : "第", across ? "，第 " : " ",
			    s->v[i].line);
		for (size_t j = i + 1; j < s->n; j++) {
			bool seen = false;
			if (s->v[j].canonical != s->v[i].canonical)
				continue;
			for (size_t k = i; k < j; k++)
				if (s->v[k].canonical == s->v[i].canonical &&
				    !strcmp(s->v[k].written, s->v[j].written))
					seen = true;
			if (seen)
				continue;
			kinds++;
			kp_buf_addf(&list, "、“%s”（%s%s%zu 行）", s->v[j].written,
				    across ? s->v[j].where : "第",
				    across ? "，第 " : " ", s->v[j].line);
		}
		if (kinds > 1)
			add(f, t, "unit-spelling", s->v[i].canonical,
			    across ? 0 : s->v[i].line,
			    "单位“%s”有 %zu 种写法：%s", s->v[i].canonical, kinds,
			    list.data);
		kp_buf_release(&list);
	}
}

size_t kp_lint(const kp_table *t, const kp_units *reg, kp_findings *out)
{
	size_t before = out->n, open = 0;
	const char *v;
	kp_units *own = NULL;
	kp_err e;

	if (!reg && (v = kp_table_get(t, "registry"))) {
		if (kp_units_open(v, &own, &e) < 0)
			add(out, t, "ref", "", 0, "单位名录“%s”无法打开：%s", v,
			    e.msg);
		reg = own;
	}
	if (t->kind == KP_KIND_INDICATORS) {
		kp_num total;
		char a[32], b[32];
		for (size_t i = 0; i < t->nnodes; i++) {
			const kp_node *n = t->nodes[i];
			if (n->nchildren)
				check_sum(t, n, out);
			check_deduct(t, n, out);
			check_text_points(t, n, out);
			check_rules(t, n, out);
			if (n->nchildren)
				check_duplicates(t, n->children, n->nchildren,
						 n, out);
			if ((v = kp_node_param(n, "list")))
				check_ref(t, n, "清单参数 list ", v, out);
			if ((v = kp_node_param(n, "quota")))
				check_ref(t, n, "参数 quota ", v, out);
			if (*n->text[KP_T_QUIRK])
				add(out, t, "quirk", n->code, n->line, "“%s”：%s",
				    n->path, n->text[KP_T_QUIRK]);
		}
		check_duplicates(t, t->roots, t->nroots, NULL, out);
		if ((v = kp_table_get(t, "total"))) {
			kp_num want;
			kp_num_parse(v, &want);
			if (!kp_table_total(t, &total))
				total = kp_num_int(0);
			if (kp_num_cmp(total, want))
				add(out, t, "total", "", 0,
				    "表声明总分 %s，但各一级指标分值合计 %s",
				    kp_num_str(want, a), kp_num_str(total, b));
		}
		if ((v = kp_table_get(t, "feeds")))
			check_ref(t, NULL, "元数据 feeds ", v, out);
	} else if (t->kind == KP_KIND_SCHEME) {
		/* every table it lists opens and is an indicator table (the
		 * rest kp_scheme_open refuses outright) */
		for (size_t r = 0; r < t->nrecs; r++) {
			const char *cell = kp_record_cell(t, r, "table");
			kp_table *o = NULL;
			if (kp_scheme_open_table(t, cell, NULL, &o, &e) < 0)
				add(out, t, "ref", cell, t->recs[r].line,
				    "方案列出的表“%s”无法打开：%s", cell, e.msg);
			else if (o->kind != KP_KIND_INDICATORS)
				add(out, t, "ref", cell, t->recs[r].line,
				    "方案列出的“%s”是%s，不是指标表", cell,
				    kp_kind_label(o->kind));
			kp_table_free(o);
		}
	} else {
		int qc = kp_table_col(t, "quirk");
		for (size_t r = 0; qc >= 0 && r < t->nrecs; r++)
			if (*t->recs[r].cells[qc])
				add(out, t, "quirk", t->recs[r].cells[0],
				    t->recs[r].line, "“%s”：%s",
				    t->recs[r].cells[0], t->recs[r].cells[qc]);
	}
	if (reg) {
		spellings s = { NULL, 0, reg, NULL, 0 };
		collect_table(t, &s);
		report_spellings(t, &s, out, false);
		if (kp_table_get(t, "registry"))
			for (size_t i = 0; i < s.n; i++) {
				bool first = true;
				if (s.v[i].canonical)
					continue;
				for (size_t j = 0; j < i; j++)
					if (!strcmp(s.v[j].written,
						    s.v[i].written))
						first = false;
				if (first)
					add(out, t, "unit-unknown", s.v[i].written,
					    s.v[i].line,
					    "单位“%s”不在单位名录中（名称或别名）",
					    s.v[i].written);
			}
		spellings_release(&s);
	}
	kp_units_free(own);
	for (size_t i = before; i < out->n; i++)
		if (!out->v[i].known)
			open++;
	return open;
}

size_t kp_lint_across(kp_table *const *tables, size_t n, const char *regid,
		      const kp_units *reg, kp_findings *out)
{
	spellings s = { NULL, 0, reg, NULL, 0 };
	size_t before = out->n;
	for (size_t i = 0; i < n; i++) {
		const char *r = kp_table_get(tables[i], "registry");
		if (r && !strcmp(r, regid))
			collect_table(tables[i], &s);
	}
	report_spellings(NULL, &s, out, true);
	spellings_release(&s);
	/* A difference between tables is a fact of the sources that the
	 * registry records (both spellings resolve to one unit): it is
	 * shown, and known. */
	for (size_t i = before; i < out->n; i++)
		out->v[i].known = true;
	return 0;
}
