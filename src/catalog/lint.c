/* catalog/lint.c — report what in a table does not add up.  Lint never
 * changes a table; findings a table acknowledges as defects of its source
 * (#meta,known,KIND CODE, or a row's quirk cell) are still reported, marked
 * known, and do not count towards the exit status. */
#include "catalog/catalog_int.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* One "得N分" in a text: its value, and whether its clause states a tier
 * (完成90%以上得3分, 其余得0分) rather than what the item is worth. */
typedef struct earned {
	kp_num v;
	char num[32];
	bool tier;
} earned;

/* Whether the clause before p (back to the last ，；。 or the start of s)
 * names a tier: a percentage, 以上 / 以下 / 不足 / 低于 / 其余. */
static bool tier_clause(const char *s, const char *p)
{
	static const char *const stops[] = { "，", "；", "。", ",", ";" };
	static const char *const words[] = { "%", "％", "以上", "以下",
					     "不足", "低于", "其余", "其他" };
	const char *from = s;
	for (size_t i = 0; i < sizeof(stops) / sizeof(stops[0]); i++)
		for (const char *q = s; (q = strstr(q, stops[i])) && q < p;
		     q += strlen(stops[i]))
			if (q + strlen(stops[i]) > from)
				from = q + strlen(stops[i]);
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		const char *w = strstr(from, words[i]);
		if (w && w < p)
			return true;
	}
	return false;
}

/* Every "得N分" of s (not "少得N分", which states a deduction), at most
 * max; returns how many. */
static size_t earned_in(const char *s, earned *out, size_t max)
{
	size_t n = 0;
	const char *p = s;
	while (n < max && (p = strstr(p, "得"))) {
		const char *at = p, *q = p + strlen("得");
		size_t i = 0;
		bool less;
		while (*q == ' ')
			q++;
		while (((*q >= '0' && *q <= '9') || *q == '.') &&
		       i < sizeof(out[n].num) - 1)
			out[n].num[i++] = *q++;
		out[n].num[i] = '\0';
		while (*q == ' ')
			q++;
		less = p - s >= (ptrdiff_t)strlen("少") &&
		       !strncmp(p - strlen("少"), "少", strlen("少"));
		p += strlen("得");
		if (less || !i || strncmp(q, "分", strlen("分")) ||
		    kp_num_parse(out[n].num, &out[n].v) < 0)
			continue;
		out[n].tier = tier_clause(s, at);
		n++;
	}
	return n;
}

/* "得3分" in the text of a node worth 5 points.  Tiers are read as tiers
 * (完成90%以上得3分，完成60%以上得2分，其余得0分): when two or more of a
 * text's "得N分" state tiers, the largest tier must be the item's points,
 * and the lower tiers say nothing about its worth. */
static void check_text_points(const kp_table *t, const kp_node *n,
			      kp_findings *f)
{
	static const int cols[] = { KP_T_CONTENT, KP_T_CRITERIA };
	char a[32], b[32];
	if (!n->has_points)
		return;
	for (size_t k = 0; k < 2; k++) {
		earned v[32];
		size_t nv = earned_in(n->text[cols[k]], v, 32), ntier = 0;
		const earned *top = NULL;
		for (size_t i = 0; i < nv; i++)
			if (v[i].tier) {
				ntier++;
				if (!top || kp_num_cmp(v[i].v, top->v) > 0)
					top = &v[i];
			}
		if (ntier < 2)
			top = NULL;
		else if (kp_num_cmp(top->v, n->points))
			kp_findings_add(f, t, "text-points", n->code, n->line,
					"“%s”分值为 %s，但评分标准分档的最高一档写“得%s分”",
					n->path, kp_num_str(n->points, a),
					kp_num_str(top->v, b));
		for (size_t i = 0; i < nv; i++) {
			if (top && v[i].tier)
				continue;
			if (kp_num_cmp(v[i].v, n->points))
				kp_findings_add(f, t, "text-points", n->code, n->line,
						"“%s”分值为 %s，但评分标准写“得%s分”", n->path,
						kp_num_str(n->points, a), kp_num_str(v[i].v, b));
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
			kp_findings_add(f, t, "duplicate", sib[i]->code, sib[i]->line,
					"“%s”在%s%s%s下出现 %zu 次（第 %s 行）；按路径无法区分，请用编号引用",
					sib[i]->name, parent ? "“" : "",
					parent ? parent->path : "第一级", parent ? "”" : "",
					count, lines.data);
		kp_buf_release(&lines);
	}
}

/* Whether the rule is used where it can work: the flags every row
 * shares, then the row's own check. */
static void check_rules(const kp_table *t, const kp_node *n, kp_findings *f)
{
	const kp_rule_def *rd = kp_rule_def_of(n->rule);
	if ((rd->flags & KP_RF_NEEDS_POINTS) && !n->has_points)
		kp_findings_add(f, t, "rule", n->code, n->line,
				"“%s”的规则 %s 需要分值", n->path,
				kp_rule_name(n->rule));
	if (rd->lint_use)
		rd->lint_use(t, n, f);
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
		kp_findings_add(f, t, "ref", n ? n->code : "", n ? n->line : 0,
				"%s引用的表“%s”无法打开：%s", what, id, e.msg);
	} else if (colon && !kp_table_find(o, colon + 1)) {
		kp_findings_add(f, t, "ref", n ? n->code : "", n ? n->line : 0,
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
			kp_findings_add(f, t, "unit-spelling", s->v[i].canonical,
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
			kp_findings_add(out, t, "ref", "", 0, "单位名录“%s”无法打开：%s", v,
					e.msg);
		reg = own;
	}
	if (t->kind == KP_KIND_INDICATORS) {
		kp_num total;
		char a[32], b[32];
		for (size_t i = 0; i < t->nnodes; i++) {
			const kp_node *n = t->nodes[i];
			const kp_rule_def *rd = kp_rule_def_of(n->rule);
			if (rd->lint_points)
				rd->lint_points(t, n, out);
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
				kp_findings_add(out, t, "quirk", n->code, n->line, "“%s”：%s",
						n->path, n->text[KP_T_QUIRK]);
		}
		check_duplicates(t, t->roots, t->nroots, NULL, out);
		if ((v = kp_table_get(t, "total"))) {
			kp_num want;
			kp_num_parse(v, &want);
			if (!kp_table_total(t, &total))
				total = kp_num_int(0);
			if (kp_num_cmp(total, want))
				kp_findings_add(out, t, "total", "", 0,
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
				kp_findings_add(out, t, "ref", cell, t->recs[r].line,
						"方案列出的表“%s”无法打开：%s", cell, e.msg);
			else if (o->kind != KP_KIND_INDICATORS)
				kp_findings_add(out, t, "ref", cell, t->recs[r].line,
						"方案列出的“%s”是%s，不是指标表", cell,
						kp_kind_label(o->kind));
			kp_table_free(o);
		}
	} else {
		int qc = kp_table_col(t, "quirk");
		for (size_t r = 0; qc >= 0 && r < t->nrecs; r++)
			if (*t->recs[r].cells[qc])
				kp_findings_add(out, t, "quirk", t->recs[r].cells[0],
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
					kp_findings_add(out, t, "unit-unknown", s.v[i].written,
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
