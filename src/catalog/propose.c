/* catalog/propose.c — a scoring rule proposed from the words of a
 * criteria cell, as offices write them: 扣N分, 每项扣N分, 最多扣N分,
 * 扣完为止, 不得分, 酌情, 加N分, 一票否决, 完成N%得M分, 半分 ….
 *
 * One table of phrases (what each word means) and one reading of the text
 * (find the phrases, then decide).  A proposal is 确定 when the text has
 * one reading, 需确认 when it has several or none; it always carries the
 * clauses it came from, so that a person can check it against the words.
 */
#include "catalog/catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a phrase says.  One row per way of writing it. */
enum cue {
	CUE_EACH,      /* per occurrence */
	CUE_ALL_CAP,   /* deductions stop at the item's points */
	CUE_NOTHING,   /* all or nothing: the item scores 0 */
	CUE_JUDGED,    /* the assessor judges */
	CUE_VETO,
	CUE_BONUS,     /* 加分 without a number */
};

static const struct phrase {
	const char *words;
	enum cue cue;
} phrases[] = {
	{ "每", CUE_EACH },         { "一处", CUE_EACH },
	{ "一次", CUE_EACH },       { "一项", CUE_EACH },
	{ "一个", CUE_EACH },       { "一条", CUE_EACH },
	{ "一篇", CUE_EACH },       { "一例", CUE_EACH },
	{ "/处", CUE_EACH },        { "/项", CUE_EACH },
	{ "/次", CUE_EACH },        { "/条", CUE_EACH },
	{ "/个", CUE_EACH },        { "／处", CUE_EACH },
	{ "／项", CUE_EACH },       { "／次", CUE_EACH },
	{ "扣完为止", CUE_ALL_CAP }, { "扣完即止", CUE_ALL_CAP },
	{ "扣满为止", CUE_ALL_CAP }, { "扣至0分", CUE_ALL_CAP },
	{ "不得分", CUE_NOTHING },   { "得0分", CUE_NOTHING },
	{ "计0分", CUE_NOTHING },    { "为0分", CUE_NOTHING },
	{ "记0分", CUE_NOTHING },    { "该项0分", CUE_NOTHING },
	{ "酌情", CUE_JUDGED },      { "视情况", CUE_JUDGED },
	{ "视情", CUE_JUDGED },      { "综合评定", CUE_JUDGED },
	{ "一票否决", CUE_VETO },
	{ "加分", CUE_BONUS },
};

/* Words before 扣N分 that make N a cap, not an amount. */
static const char *const cap_words[] = {
	"最多", "最高", "共计", "累计", "合计", "总计", "上限", "至多",
	"总共", "封顶",
};

#define MAX_HITS 16

typedef struct reading {
	const char *text;
	kp_num deduct[MAX_HITS];   /* amounts of 扣N分 */
	size_t ndeduct;
	bool has_cap;
	kp_num cap;
	bool cue[CUE_BONUS + 1];
	kp_num bonus[MAX_HITS];    /* 加N分 */
	size_t nbonus;
	kp_num earn[MAX_HITS];     /* 得N分 not under a percentage */
	size_t nearn;
	kp_num tier_pct[MAX_HITS], tier_pts[MAX_HITS];
	size_t ntiers;
	/* clauses that carried a phrase: byte ranges of text */
	size_t cl_from[MAX_HITS], cl_to[MAX_HITS];
	size_t ncl;
} reading;

static bool starts(const char *p, const char *w)
{
	return !strncmp(p, w, strlen(w));
}

/* Clause separators: ，。；;,、 is not one (lists stay together). */
static size_t sep_len(const char *p)
{
	static const char *const seps[] = { "，", "。", "；", "！", "？",
					    "：", "\n", ";", ",", "!" };
	for (size_t i = 0; i < sizeof(seps) / sizeof(seps[0]); i++)
		if (starts(p, seps[i]))
			return strlen(seps[i]);
	return 0;
}

/* The clause of text around byte offset at. */
static void clause_of(const char *text, size_t at, size_t *from, size_t *to)
{
	size_t a = 0, i = 0;
	while (text[i]) {
		size_t k = sep_len(text + i);
		if (k) {
			if (i >= at) {
				break;
			}
			a = i + k;
			i += k;
			continue;
		}
		i++;
	}
	*from = a;
	*to = i;
}

static void note_clause(reading *r, size_t at)
{
	size_t f, t;
	clause_of(r->text, at, &f, &t);
	for (size_t i = 0; i < r->ncl; i++)
		if (r->cl_from[i] == f)
			return;
	if (r->ncl < MAX_HITS) {
		r->cl_from[r->ncl] = f;
		r->cl_to[r->ncl++] = t;
	}
}

/* A number as criteria write it: "2", "0.5", "半", "两", "一"…"十".
 * Returns its length in bytes, 0 when there is none. */
static size_t read_num(const char *p, kp_num *v)
{
	static const char *const zh[] = { "零", "一", "二", "三", "四", "五",
					  "六", "七", "八", "九", "十" };
	size_t k = 0;
	char buf[32];
	while (*p == ' ')
		p++, k++;
	if ((p[0] >= '0' && p[0] <= '9')) {
		size_t n = 0;
		while (n + 1 < sizeof(buf) &&
		       ((p[n] >= '0' && p[n] <= '9') ||
			(p[n] == '.' && p[n + 1] >= '0' && p[n + 1] <= '9')))
			n++;
		memcpy(buf, p, n);
		buf[n] = '\0';
		if (kp_num_parse(buf, v) < 0)
			return 0;
		return k + n;
	}
	if (starts(p, "半")) {
		kp_num_parse("0.5", v);
		return k + strlen("半");
	}
	if (starts(p, "两")) {
		*v = kp_num_int(2);
		return k + strlen("两");
	}
	for (int i = 0; i <= 10; i++)
		if (starts(p, zh[i])) {
			*v = kp_num_int(i);
			return k + strlen(zh[i]);
		}
	return 0;
}

/* "N分" at p: returns the length, 0 when p is not a number of points. */
static size_t read_points(const char *p, kp_num *v)
{
	size_t k = read_num(p, v);
	if (!k)
		return 0;
	while (p[k] == ' ')
		k++;
	if (!starts(p + k, "分"))
		return 0;
	return k + strlen("分");
}

static bool cap_before(const char *text, size_t at)
{
	/* look back up to 4 characters (12 bytes) for a cap word */
	size_t from = at > 12 ? at - 12 : 0;
	for (size_t i = 0; i < sizeof(cap_words) / sizeof(cap_words[0]); i++) {
		size_t w = strlen(cap_words[i]);
		for (size_t j = from; j + w <= at; j++)
			if (!strncmp(text + j, cap_words[i], w))
				return true;
	}
	return false;
}

static void read_text(reading *r, const char *text)
{
	memset(r, 0, sizeof(*r));
	r->text = text;
	for (size_t i = 0; text[i];) {
		kp_num v;
		size_t k;
		bool hit = false;
		for (size_t j = 0; j < sizeof(phrases) / sizeof(phrases[0]); j++)
			if (starts(text + i, phrases[j].words)) {
				r->cue[phrases[j].cue] = true;
				/* 每 alone counts only near a deduction */
				if (phrases[j].cue != CUE_EACH)
					note_clause(r, i);
			}
		if (starts(text + i, "扣") && !starts(text + i, "扣完") &&
		    (k = read_points(text + i + strlen("扣"), &v))) {
			if (cap_before(text, i)) {
				if (!r->has_cap || kp_num_cmp(v, r->cap) > 0)
					r->cap = v;
				r->has_cap = true;
			} else if (r->ndeduct < MAX_HITS) {
				r->deduct[r->ndeduct++] = v;
			}
			note_clause(r, i);
			i += strlen("扣") + k;
			hit = true;
		} else if (starts(text + i, "扣除") &&
			   (k = read_points(text + i + strlen("扣除"), &v))) {
			if (r->ndeduct < MAX_HITS)
				r->deduct[r->ndeduct++] = v;
			note_clause(r, i);
			i += strlen("扣除") + k;
			hit = true;
		} else if (starts(text + i, "加") &&
			   (k = read_points(text + i + strlen("加"), &v))) {
			if (r->nbonus < MAX_HITS)
				r->bonus[r->nbonus++] = v;
			note_clause(r, i);
			i += strlen("加") + k;
			hit = true;
		} else if (starts(text + i, "得") &&
			   (k = read_points(text + i + strlen("得"), &v))) {
			/* under a percentage in the same clause: a tier */
			size_t f, t;
			const char *pct = NULL;
			clause_of(text, i, &f, &t);
			for (size_t j = f; j < i; j++)
				if (text[j] == '%' || starts(text + j, "％"))
					pct = text + j;
			if (pct && r->ntiers < MAX_HITS) {
				/* the number just before the percent sign */
				const char *q = pct;
				char buf[32];
				size_t n;
				while (q > text + f && ((q[-1] >= '0' && q[-1] <= '9') ||
							q[-1] == '.'))
					q--;
				n = (size_t)(pct - q);
				if (n && n < sizeof(buf) - 1) {
					memcpy(buf, q, n);
					buf[n] = '\0';
					if (kp_num_parse(buf, &r->tier_pct[r->ntiers]) == 0)
						r->tier_pts[r->ntiers++] = v;
				}
			} else if (!pct && r->nearn < MAX_HITS &&
				   !kp_num_is_zero(v)) {
				r->earn[r->nearn++] = v;
			}
			note_clause(r, i);
			i += strlen("得") + k;
			hit = true;
		}
		if (!hit)
			i++;
	}
}

static void add_words(kp_proposal *p, const reading *r)
{
	size_t len = 0;
	p->words[0] = '\0';
	for (size_t i = 0; i < r->ncl; i++) {
		size_t n = r->cl_to[i] - r->cl_from[i];
		const char *gap = len ? "…" : "";
		if (!n)
			continue;
		if (len + strlen(gap) + n + 1 > sizeof(p->words))
			break;
		len += (size_t)snprintf(p->words + len, sizeof(p->words) - len,
					"%s%.*s", gap, (int)n,
					r->text + r->cl_from[i]);
	}
}

__attribute__((format(printf, 2, 3)))
static void unsure(kp_proposal *p, const char *fmt, ...)
{
	va_list ap;
	size_t len = strlen(p->why);
	p->sure = false;
	if (len && len + 4 < sizeof(p->why))
		len += (size_t)snprintf(p->why + len, sizeof(p->why) - len, "；");
	va_start(ap, fmt);
	vsnprintf(p->why + len, sizeof(p->why) - len, fmt, ap);
	va_end(ap);
}

/* An exact decimal, or a fraction n/d when it does not terminate. */
static const char *exact(kp_num v, char *buf)
{
	int64_t d = v.d;
	while (d % 2 == 0)
		d /= 2;
	while (d % 5 == 0)
		d /= 5;
	if (d == 1)
		return kp_num_str(v, buf);
	snprintf(buf, 32, "%lld/%lld", (long long)v.n, (long long)v.d);
	return buf;
}

static void list_nums(const kp_num *v, size_t n, char *out, size_t outlen)
{
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		char b[32];
		len += (size_t)snprintf(out + len, outlen - len, "%s%s分",
					i ? "、" : "", kp_num_str(v[i], b));
		if (len >= outlen)
			break;
	}
}

static bool all_same(const kp_num *v, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (kp_num_cmp(v[i], v[0]))
			return false;
	return true;
}

static void propose_tiers(kp_proposal *p, const reading *r, bool has_points,
			  kp_num points)
{
	size_t order[MAX_HITS], len;
	p->rule = KP_RULE_TIERED;
	p->written = true;
	if (!has_points) {
		unsure(p, "按比例分档需要本项分值，原表没有写");
		p->rule = KP_RULE_JUDGED;
		p->written = false;
		return;
	}
	for (size_t i = 0; i < r->ntiers; i++)
		order[i] = i;
	/* highest threshold first, as the tiers parameter reads */
	for (size_t i = 1; i < r->ntiers; i++)
		for (size_t j = i; j > 0 &&
		     kp_num_cmp(r->tier_pct[order[j]], r->tier_pct[order[j - 1]]) > 0;
		     j--) {
			size_t t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	len = (size_t)snprintf(p->params, sizeof(p->params), "tiers=");
	for (size_t i = 0; i < r->ntiers; i++) {
		kp_num pct = r->tier_pct[order[i]], coef;
		char a[32], b[32];
		if (kp_num_cmp(r->tier_pts[order[i]], points) > 0)
			unsure(p, "某档得分大于本项分值");
		if (kp_num_div(r->tier_pts[order[i]], points, &coef) < 0)
			coef = kp_num_int(0);
		len += (size_t)snprintf(p->params + len, sizeof(p->params) - len,
					"%s%s%%:%s", i ? "," : "",
					kp_num_str(pct, a), exact(coef, b));
		if (len >= sizeof(p->params)) {
			unsure(p, "分档太多，请核对");
			break;
		}
	}
	if (r->ndeduct || r->nbonus)
		unsure(p, "分档之外还写了扣分或加分");
}

static void propose_deduct(kp_proposal *p, const reading *r, bool has_points,
			   kp_num points)
{
	char a[32], b[32];
	size_t len;
	p->rule = KP_RULE_DEDUCT;
	p->written = true;
	len = (size_t)snprintf(p->params, sizeof(p->params), "amount=%s",
			       kp_num_str(r->deduct[0], a));
	if (r->cue[CUE_EACH])
		len += (size_t)snprintf(p->params + len,
					sizeof(p->params) - len, ";each");
	if (r->has_cap)
		snprintf(p->params + len, sizeof(p->params) - len, ";max=%s",
			 kp_num_str(r->cap, b));
	if (!has_points)
		unsure(p, "倒扣分需要本项分值，原表没有写");
	if (!all_same(r->deduct, r->ndeduct)) {
		char list[160];
		list_nums(r->deduct, r->ndeduct, list, sizeof(list));
		unsure(p, "写了几种扣分（%s），暂按第一种，请拆成扣分项或改写",
		       list);
	}
	if (r->cue[CUE_NOTHING])
		unsure(p, "既写了扣分，又写了不得分的情形");
	if (r->nbonus)
		unsure(p, "既写了扣分，又写了加分");
	if (r->cue[CUE_JUDGED])
		unsure(p, "写了“酌情”，扣分数额可能由评估员定");
	if (has_points && !r->cue[CUE_EACH] && !r->has_cap &&
	    !r->cue[CUE_ALL_CAP] && r->ndeduct > 1 &&
	    all_same(r->deduct, r->ndeduct))
		unsure(p, "几处写了同样的扣分，未写明是否按次累计");
	if (has_points && kp_num_cmp(r->deduct[0], points) > 0)
		unsure(p, "一次扣%s分，多于本项分值 %s 分",
		       kp_num_str(r->deduct[0], a), kp_num_str(points, b));
}

void kp_rule_propose(const char *text, bool has_points, kp_num points,
		     kp_proposal *p)
{
	reading r;
	memset(p, 0, sizeof(*p));
	p->rule = KP_RULE_JUDGED;
	p->sure = true;
	if (!text || !*text) {
		unsure(p, "原表没有评分标准，按评估员打分");
		return;
	}
	read_text(&r, text);
	add_words(p, &r);
	if (r.cue[CUE_VETO]) {
		p->rule = KP_RULE_VETO;
		p->written = true;
		snprintf(p->params, sizeof(p->params),
			 "scope=evaluation;outcome=0");
		if (has_points)
			unsure(p, "一票否决的项原表写了分值（一票否决不计分值），请确认");
		if (r.ndeduct || r.nbonus || r.ntiers)
			unsure(p, "一票否决之外还写了扣分、加分或分档");
		return;
	}
	if (r.ntiers) {
		propose_tiers(p, &r, has_points, points);
		return;
	}
	if (r.nbonus || (r.cue[CUE_BONUS] && !r.ndeduct)) {
		p->rule = KP_RULE_BONUS;
		p->written = true;
		if (r.nbonus) {
			kp_num top = r.bonus[0];
			for (size_t i = 1; i < r.nbonus; i++)
				if (kp_num_cmp(r.bonus[i], top) > 0)
					top = r.bonus[i];
			if (!has_points) {
				p->set_points = true;
				p->points = top;
			}
		} else if (!has_points) {
			unsure(p, "加分项没有写最高加几分");
		}
		if (r.ndeduct)
			unsure(p, "既写了加分，又写了扣分");
		if (r.cue[CUE_EACH] && !r.has_cap && r.nbonus == 1)
			unsure(p, "按次加分而没写最高加几分，暂以一次的分数为最高加分");
		return;
	}
	if (r.ndeduct) {
		propose_deduct(p, &r, has_points, points);
		return;
	}
	if (r.cue[CUE_JUDGED]) {
		/* the default rule: nothing written */
		if (r.cue[CUE_NOTHING])
			unsure(p, "写了“酌情”，又写了不得分的情形");
		return;
	}
	if (r.cue[CUE_NOTHING] || r.nearn) {
		p->rule = KP_RULE_BINARY;
		p->written = true;
		for (size_t i = 0; i < r.nearn; i++)
			if (has_points && kp_num_cmp(r.earn[i], points)) {
				char a[32], b[32];
				unsure(p, "写了得%s分，与本项分值 %s 分不同，可能是分档",
				       kp_num_str(r.earn[i], a),
				       kp_num_str(points, b));
				break;
			}
		if (!r.cue[CUE_NOTHING])
			unsure(p, "只写了得分的情形，没写不得分的情形");
		if (!has_points)
			unsure(p, "全有或全无需要本项分值，原表没有写");
		return;
	}
	if (r.has_cap) {
		char b[32];
		unsure(p, "只写了最多扣%s分，没写每次扣几分，按评估员打分",
		       kp_num_str(r.cap, b));
		return;
	}
	unsure(p, "评分标准中没有认出计分写法，按评估员打分");
}

/* Whether code is among the codes of list (blanks, "、" or "," between). */
static bool listed(const char *list, const char *code)
{
	size_t cl = strlen(code);
	const char *p = list;
	while (p && *p) {
		size_t n;
		while (*p == ' ' || *p == ',' || starts(p, "、"))
			p += starts(p, "、") ? strlen("、") : 1;
		n = 0;
		while (p[n] && p[n] != ' ' && p[n] != ',' && !starts(p + n, "、"))
			n++;
		if (n == cl && !strncmp(p, code, n))
			return true;
		p += n;
	}
	return false;
}

static void add_finding(kp_findings *out, const char *code, size_t line,
			char *message)
{
	kp_finding *f;
	if (out->n == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 16;
		out->v = kp_xrealloc(out->v, out->cap * sizeof(*out->v));
	}
	f = &out->v[out->n++];
	f->kind = kp_xstrdup("confirm");
	f->code = kp_xstrdup(code);
	f->line = line;
	f->message = message;
	f->known = false;
}

size_t kp_lint_confirm(const kp_table *t, kp_findings *out)
{
	const char *list = kp_table_get(t, "confirm");
	const char *done = kp_table_get(t, "confirmed");
	size_t added = 0;
	char *copy, *cur, *code;
	if (!list)
		return 0;
	copy = kp_xstrdup(list);
	for (cur = copy; *cur;) {
		const kp_node *n;
		kp_buf m = KP_BUF_INIT;
		size_t k;
		while (*cur == ' ' || *cur == ',' || starts(cur, "、"))
			cur += starts(cur, "、") ? strlen("、") : 1;
		if (!*cur)
			break;
		code = cur;
		k = 0;
		while (code[k] && code[k] != ' ' && code[k] != ',' &&
		       !starts(code + k, "、"))
			k++;
		cur = code + k;
		if (*cur) {
			bool dun = starts(cur, "、");
			*cur = '\0';
			cur += dun ? strlen("、") : 1;
		}
		if (done && listed(done, code))
			continue;
		n = kp_table_find(t, code);
		if (n) {
			kp_buf_addf(&m, "“%s”的计分规则（", n->path);
			kp_rule_describe(n, &m);
			kp_buf_adds(&m, "）是导入时按原文提出的，尚未确认；核对后把编号写入 #meta,confirmed");
		} else {
			kp_buf_addf(&m, "#meta,confirm 写的编号“%s”不在表中", code);
		}
		add_finding(out, code, n ? n->line : 0, kp_buf_detach(&m));
		added++;
	}
	free(copy);
	return added;
}
