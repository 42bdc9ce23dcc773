/* catalog/rules.c — rule kinds as rows: name, label, parameters (parsed
 * once into kp_rule_args), flags, the quantities each reads, and the
 * lint checks that are each kind's own.  See "rule kinds as rows" in
 * catalog.h; the scoring of each kind is src/score's (score/rules.c). */
#include "catalog/catalog_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- parameters ------------------------------------------------------ */

const char *kp_node_param(const kp_node *n, const char *key)
{
	for (size_t i = 0; i < n->nparams; i++)
		if (!strcmp(n->params[i].key, key))
			return n->params[i].value ? n->params[i].value : "";
	return NULL;
}

static int bad_param(const kp_node *n, const char *file, kp_err *e,
		     const char *key, const char *why)
{
	return kp_fail_at(e, KP_EINPUT, file, n->line,
			  "规则 %s 的参数 %s=%s 无效：%s", kp_rule_name(n->rule),
			  key, kp_node_param(n, key), why);
}

/* A non-negative number: 0 and *v, else -1. */
static int num_get(const char *s, kp_num *v)
{
	return s && kp_num_parse(s, v) == 0 && v->n >= 0 ? 0 : -1;
}

/* when=quantity[:threshold] (deduct, minus, veto): not checked here (the
 * facts checker refuses a quantity no rule reads). */
static void p_when(kp_node *n)
{
	kp_rule_args *a = &n->args;
	const char *v = kp_node_param(n, "when"), *colon;
	if (!v)
		return;
	colon = strchr(v, ':');
	a->when = v;
	a->when_len = colon ? (size_t)(colon - v) : strlen(v);
	a->when_below = colon && kp_num_parse(colon + 1, &a->when_at) == 0;
}

/* amount=N|all, max=N, each, when=… (deduct, minus) */
static int p_deductions(kp_node *n, const char *file, kp_err *e)
{
	kp_rule_args *a = &n->args;
	const char *v;
	if ((v = kp_node_param(n, "amount"))) {
		a->amount = v;
		a->amount_all = !strcmp(v, "all");
		if (!a->amount_all && num_get(v, &a->amount_num) < 0)
			return bad_param(n, file, e, "amount", "应为非负数或 all");
		a->has_amount_num = !a->amount_all;
	}
	if ((v = kp_node_param(n, "max"))) {
		a->max = v;
		if (num_get(v, &a->max_num) < 0)
			return bad_param(n, file, e, "max", "应为非负数");
		a->has_max = true;
	}
	if ((v = kp_node_param(n, "each"))) {
		if (*v)
			return bad_param(n, file, e, "each", "each 是开关，不带值");
		a->each = true;
	}
	p_when(n);
	return 0;
}

static int p_step(kp_node *n, const char *file, kp_err *e)
{
	const char *v = kp_node_param(n, "step");
	if (!v)
		return 0;
	if (num_get(v, &n->args.step) < 0)
		return bad_param(n, file, e, "step", "应为正数");
	n->args.has_step = true;
	return 0;
}

static int p_wording(kp_node *n, const char *file, kp_err *e)
{
	const char *v = kp_node_param(n, "wording");
	if (v && strcmp(v, "earned") && strcmp(v, "deducted"))
		return bad_param(n, file, e, "wording", "应为 earned 或 deducted");
	n->args.deducted = v && !strcmp(v, "deducted");
	return 0;
}

static int p_deduct(kp_node *n, const char *file, kp_err *e)
{
	if (p_deductions(n, file, e) < 0 || p_wording(n, file, e) < 0)
		return -1;
	return 0;
}

static int p_minus(kp_node *n, const char *file, kp_err *e)
{
	if (p_deductions(n, file, e) < 0)
		return -1;
	if (!n->args.amount && !n->nchildren)
		return kp_fail_at(e, KP_EINPUT, file, n->line,
				  "扣分项（minus）需要参数 amount=扣分");
	return 0;
}

/* "a:b,c:d" → pairs; empty items skipped.  -1 when an item has no ':'
 * or a number that is not a non-negative number (left of ':' only when
 * left_num). */
typedef int (*pair_fn)(kp_node *n, const char *left, size_t llen,
		       kp_num l, kp_num r);

static int pairs(kp_node *n, const char *v, bool left_num, pair_fn fn)
{
	char *copy = kp_xstrdup(v), *save = NULL, *tok;
	int bad = !*v;
	for (tok = strtok_r(copy, ",", &save); tok && !bad;
	     tok = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(tok, ':');
		kp_num l = kp_num_int(0), r;
		if (!colon) {
			bad = 1;
			break;
		}
		*colon = '\0';
		bad = (left_num && num_get(tok, &l) < 0) ||
		      num_get(colon + 1, &r) < 0;
		if (!bad)
			fn(n, v + (tok - copy), strlen(tok), l, r);
	}
	free(copy);
	return bad ? -1 : 0;
}

static int add_tier(kp_node *n, const char *left, size_t llen, kp_num l,
		    kp_num r)
{
	kp_rule_args *a = &n->args;
	(void)left;
	(void)llen;
	a->tiers = kp_xrealloc(a->tiers, (a->ntiers + 1) * sizeof(*a->tiers));
	a->tiers[a->ntiers].at = l;
	a->tiers[a->ntiers++].factor = r;
	return 0;
}

static int add_part(kp_node *n, const char *left, size_t llen, kp_num l,
		    kp_num r)
{
	kp_rule_args *a = &n->args;
	(void)l;
	a->split = kp_xrealloc(a->split, (a->nsplit + 1) * sizeof(*a->split));
	a->split[a->nsplit].name = left;
	a->split[a->nsplit].len = llen;
	a->split[a->nsplit++].max = r;
	return 0;
}

static int p_tiered(kp_node *n, const char *file, kp_err *e)
{
	kp_rule_args *a = &n->args;
	const char *v;
	if ((v = kp_node_param(n, "single"))) {
		if (num_get(v, &a->single) < 0)
			return bad_param(n, file, e, "single", "应为非负数");
		a->has_single = true;
	}
	if (p_wording(n, file, e) < 0)
		return -1;
	if ((v = kp_node_param(n, "tiers")) && pairs(n, v, true, add_tier) < 0)
		return bad_param(n, file, e, "tiers",
				 "应为“阈值:系数”的列表，如 100%:1,70%:0.7");
	a->split_text = kp_node_param(n, "split");
	if ((v = a->split_text) && pairs(n, v, false, add_part) < 0)
		return bad_param(n, file, e, "split",
				 "应为“类别:分值”的列表，如 city:64,province:16");
	a->quota = kp_node_param(n, "quota");
	if (!kp_node_param(n, "tiers"))
		return kp_fail_at(e, KP_EINPUT, file, n->line,
				  "分档规则（tiered）需要参数 tiers=…");
	return 0;
}

static int p_checklist(kp_node *n, const char *file, kp_err *e)
{
	n->args.list = kp_node_param(n, "list");
	if (!n->args.list)
		return kp_fail_at(e, KP_EINPUT, file, n->line,
				  "清单规则（checklist）需要参数 list=清单表id");
	return 0;
}

static int p_veto(kp_node *n, const char *file, kp_err *e)
{
	kp_rule_args *a = &n->args;
	const char *v;
	kp_num x;
	if ((v = kp_node_param(n, "scope"))) {
		if (!strcmp(v, "node"))
			a->scope = KP_VETO_NODE;
		else if (!strcmp(v, "evaluation"))
			a->scope = KP_VETO_EVALUATION;
		else if (!strcmp(v, "result"))
			a->scope = KP_VETO_RESULT;
		else
			return bad_param(n, file, e, "scope",
					 "应为 node、evaluation 或 result");
	}
	if ((v = kp_node_param(n, "outcome")) && strcmp(v, "0") &&
	    strcmp(v, "不合格") &&
	    (strncmp(v, "deduct:", 7) || num_get(v + 7, &x) < 0))
		return bad_param(n, file, e, "outcome", "应为 0、不合格 或 deduct:N");
	a->outcome = v;
	p_when(n);
	if (!v)
		return kp_fail_at(e, KP_EINPUT, file, n->line,
				  "一票否决（veto）需要参数 outcome=…");
	return 0;
}

/* ---- the quantities a rule reads (the facts checker asks) ------------ */

/* Whether node nd's when= names a quantity called name. */
static bool when_names(const kp_node *nd, const char *name)
{
	return nd->args.when && strlen(name) == nd->args.when_len &&
	       !strncmp(nd->args.when, name, nd->args.when_len);
}

static bool q_deductions(const kp_node *nd, const char *name)
{
	if (when_names(nd, name))
		return true;
	for (size_t i = 0; i < nd->nchildren; i++)
		if (when_names(nd->children[i], name))
			return true;
	return false;
}

/* <part>_points and <part>_quota, part one of split= (else "total"). */
static bool q_tiered(const kp_node *nd, const char *name)
{
	const char *us = strrchr(name, '_');
	if (!us || (strcmp(us, "_points") && strcmp(us, "_quota")))
		return false;
	if (!nd->args.nsplit)
		return !strncmp(name, "total_", 6);
	for (size_t i = 0; i < nd->args.nsplit; i++)
		if (nd->args.split[i].len == (size_t)(us - name) &&
		    !strncmp(nd->args.split[i].name, name, nd->args.split[i].len))
			return true;
	return false;
}

static bool q_checklist(const kp_node *nd, const char *name)
{
	(void)nd;
	return !strcmp(name, "satisfied") || !strcmp(name, "required");
}

/* ---- lint: each kind's own checks ------------------------------------ */

static bool scored(const kp_node *n)
{
	return kp_rule_has(n->rule, KP_RF_COUNTS);
}

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
			if (kp_num_add(sum, c->points, &sum) < 0) {
				kp_findings_add(f, t, "overflow", n->code, n->line,
						"“%s”的子项分值合计超出可精确计算的范围（分母或数值过大），无法检查合计",
						n->path);
				return;
			}
		} else {
			without++;
		}
	}
	if (n->rule == KP_RULE_SHARE) {
		if (with)
			kp_findings_add(f, t, "rule", n->code, n->line,
					"“%s”按 share 由子项平分分值，但有 %zu 个子项自带分值",
					n->path, with);
		return;
	}
	if (n->rule != KP_RULE_SUM)
		return;
	if (without && with)
		kp_findings_add(f, t, "rule", n->code, n->line,
				"“%s”的子项中 %zu 项有分值、%zu 项没有；没有分值的子项不计分（若各项共享上级分值，请用 share）",
				n->path, with, without);
	if (n->has_points && with && kp_num_cmp(sum, n->points))
		kp_findings_add(f, t, "sum", n->code, n->line,
				"“%s”分值为 %s，但子项分值合计为 %s", n->path,
				kp_num_str(n->points, a), kp_num_str(sum, b));
}

/* Largest deduction a minus item can make; false when unbounded. */
static bool minus_cap(const kp_node *m, kp_num item_points, kp_num *cap)
{
	const char *amount = m->args.amount;
	if (m->args.max) {
		*cap = m->args.max_num;
		return m->args.has_max;
	}
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
	if (m->args.each)
		return false;
	*cap = m->args.amount_num;
	return m->args.has_amount_num;
}

static void lint_deduct(const kp_table *t, const kp_node *n, kp_findings *f)
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
			if (!minus_cap(n->children[i], m, &cap))
				return;
			if (kp_num_add(sum, cap, &sum) < 0) {
				kp_findings_add(f, t, "overflow", n->code, n->line,
						"扣分组“%s”各项扣分合计超出可精确计算的范围，无法检查是否超过最多扣分",
						n->path);
				return;
			}
		}
		if (kp_num_cmp(sum, m))
			kp_findings_add(f, t, kp_num_cmp(sum, m) > 0 ? "deduct-over"
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
			kp_findings_add(f, t, "deduct-over", n->code, n->line,
					"“%s”每次扣 %s 分，超过本项分值 %s 分", n->path,
					kp_num_str(x, a), kp_num_str(n->points, b));
		if (max && kp_num_parse(max, &x) == 0 &&
		    kp_num_cmp(x, n->points) > 0)
			kp_findings_add(f, t, "deduct-over", n->code, n->line,
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
		if (kp_num_add(total, cap, &total) < 0) {
			kp_findings_add(f, t, "overflow", n->code, n->line,
					"“%s”各扣分项合计超出可精确计算的范围，无法检查是否超过分值 %s 分",
					n->path, kp_num_str(n->points, a));
			return;
		}
	}
	if (!items)
		return;
	if (zeroes)
		return;   /* an "all" item zeroes the item: never over */
	if (kp_num_cmp(total, n->points) > 0)
		kp_findings_add(f, t, "deduct-over", n->code, n->line,
				"“%s”分值为 %s，但扣分项合计可扣 %s 分", n->path,
				kp_num_str(n->points, a), kp_num_str(total, b));
	else if (bounded && kp_num_cmp(total, n->points) < 0)
		kp_findings_add(f, t, "deduct-short", n->code, n->line,
				"“%s”分值为 %s，但扣分项全部扣完也只扣 %s 分", n->path,
				kp_num_str(n->points, a), kp_num_str(total, b));
}


static void lint_sum(const kp_table *t, const kp_node *n, kp_findings *f)
{
	if (n->nchildren)
		check_sum(t, n, f);
}

static void use_minus(const kp_table *t, const kp_node *n, kp_findings *f)
{
	const kp_node *p = n->parent;
	if (!p || (p->rule != KP_RULE_DEDUCT && p->rule != KP_RULE_MINUS))
		kp_findings_add(f, t, "rule", n->code, n->line,
				"扣分项“%s”的上级不是 deduct（倒扣分）项，不会被计算",
				n->path);
}

static void use_judged(const kp_table *t, const kp_node *n, kp_findings *f)
{
	const kp_node *p = n->parent;
	if (!n->has_points && (!p || p->rule != KP_RULE_SHARE))
		kp_findings_add(f, t, "rule", n->code, n->line,
				"“%s”由评估员打分，但既没有分值，上级也不是 share",
				n->path);
}

static void use_deduct(const kp_table *t, const kp_node *n, kp_findings *f)
{
	bool has_minus = false;
	for (size_t i = 0; i < n->nchildren; i++)
		has_minus |= n->children[i]->rule == KP_RULE_MINUS;
	if (has_minus && n->args.amount)
		kp_findings_add(f, t, "rule", n->code, n->line,
				"“%s”既有扣分子项又自带 amount，二者只能取一",
				n->path);
}

/* ---- the rows -------------------------------------------------------- */

#define COUNTS KP_RF_COUNTS
#define POINTS KP_RF_NEEDS_POINTS

static const kp_rule_def rules[KP_RULE_COUNT] = {
	[KP_RULE_SUM] = { "sum", "子项求和", "", COUNTS,
			  NULL, NULL, lint_sum, NULL },
	[KP_RULE_SHARE] = { "share", "子项平分", "", COUNTS | POINTS,
			    NULL, NULL, lint_sum, NULL },
	[KP_RULE_JUDGED] = { "judged", "评估员打分", "step grades",
			     COUNTS | KP_RF_SCORE,
			     p_step, NULL, NULL, use_judged },
	[KP_RULE_BINARY] = { "binary", "全有或全无", "",
			     COUNTS | POINTS | KP_RF_SCORE | KP_RF_ALL_OR_NONE |
				     KP_RF_FAIL,
			     NULL, NULL, NULL, NULL },
	[KP_RULE_DEDUCT] = { "deduct", "倒扣分", "amount each max when wording",
			     COUNTS | POINTS | KP_RF_FAIL,
			     p_deduct, q_deductions, lint_deduct, use_deduct },
	[KP_RULE_MINUS] = { "minus", "扣分项", "amount each max when",
			    KP_RF_FAIL,
			    p_minus, q_deductions, lint_deduct, use_minus },
	[KP_RULE_TIERED] = { "tiered", "按完成比例分档",
			     "tiers wording quota split single",
			     COUNTS | POINTS,
			     p_tiered, q_tiered, NULL, NULL },
	[KP_RULE_CHECKLIST] = { "checklist", "清单完成比例", "list",
				COUNTS | POINTS,
				p_checklist, q_checklist, NULL, NULL },
	[KP_RULE_ITEM] = { "item", "要求项（不单独计分）", "",
			   KP_RF_SCORE | KP_RF_SCORE_01 | KP_RF_FAIL,
			   NULL, NULL, NULL, NULL },
	[KP_RULE_VETO] = { "veto", "一票否决", "scope outcome when",
			   KP_RF_VETO,
			   p_veto, NULL, NULL, NULL },
	[KP_RULE_BONUS] = { "bonus", "加分项", "step", KP_RF_SCORE,
			    p_step, NULL, NULL, NULL },
};

const kp_rule_def *kp_rule_def_of(kp_rule r)
{
	return &rules[r < KP_RULE_COUNT ? r : KP_RULE_SUM];
}

const char *kp_rule_name(kp_rule r)
{
	return r < KP_RULE_COUNT ? rules[r].name : "?";
}

const char *kp_rule_label(kp_rule r)
{
	return r < KP_RULE_COUNT ? rules[r].label : "?";
}

void kp_rule_labels(unsigned flag, kp_buf *out)
{
	bool first = true;
	for (int r = 0; r < KP_RULE_COUNT; r++)
		if (rules[r].flags & flag) {
			kp_buf_addf(out, "%s%s", first ? "" : "、",
				    rules[r].label);
			first = false;
		}
}

int kp_rule_parse(const char *name, kp_rule *out)
{
	for (int r = 0; r < KP_RULE_COUNT; r++)
		if (!strcmp(rules[r].name, name)) {
			*out = (kp_rule)r;
			return 0;
		}
	return -1;
}

bool kp_rule_has(kp_rule r, unsigned flag)
{
	return r < KP_RULE_COUNT && (rules[r].flags & flag);
}

static bool word_in(const char *word, const char *list)
{
	size_t n = strlen(word);
	for (const char *s = list; *s;) {
		const char *sp = strchr(s, ' ');
		size_t k = sp ? (size_t)(sp - s) : strlen(s);
		if (k == n && !strncmp(s, word, n))
			return true;
		s += k;
		while (*s == ' ')
			s++;
	}
	return false;
}

int kp_rule_args_parse(kp_node *n, const char *file, kp_err *e)
{
	const kp_rule_def *rd = kp_rule_def_of(n->rule);
	kp_rule_args_release(&n->args);
	for (size_t i = 0; i < n->nparams; i++)
		if (!word_in(n->params[i].key, rd->params))
			return kp_fail_at(e, KP_EINPUT, file, n->line,
					  "规则 %s 不接受参数“%s”%s%s%s",
					  rd->name, n->params[i].key,
					  *rd->params ? "（可用：" : "",
					  rd->params, *rd->params ? "）" : "");
	return rd->parse ? rd->parse(n, file, e) : 0;
}

void kp_rule_args_release(kp_rule_args *a)
{
	free(a->tiers);
	free(a->split);
	memset(a, 0, sizeof(*a));
}

/* ---- maxima ---------------------------------------------------------- */

int kp_node_max(const kp_node *nd, kp_num *max)
{
	const kp_node *p = nd->parent;
	if (p && p->rule == KP_RULE_SHARE && !nd->has_points && p->has_points) {
		int64_t k = 0;
		for (size_t i = 0; i < p->nchildren; i++)
			if (kp_rule_has(p->children[i]->rule, KP_RF_COUNTS))
				k++;
		return k ? kp_num_div(p->points, kp_num_int(k), max) : -1;
	}
	if (!nd->has_points)
		return -1;
	*max = nd->points;
	return 0;
}
