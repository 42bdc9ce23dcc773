/*
 * score — the scoring engine: a pure function of an indicator table, a
 * unit and the facts recorded about that unit.  The same facts always
 * give the same scores, and every point of every node is explained by the
 * facts and rules that moved it.
 *
 * Facts are the engine's only input.  A fact says, about one unit and one
 * indicator (by path or by code), one thing:
 *
 *	score     a judged score                      value = the score
 *	fail      a deduction sub-item failed          value = occurrences (1)
 *	quantity  a measured quantity, named           name = what, value
 *	          (adopted city/province points, monthly submissions,
 *	          checklist items satisfied …)
 *	veto      a veto condition holds               (value unused)
 *	na        the indicator does not apply          (value unused)
 *	assessed  the assessor (or an inspection) has looked at the node
 *	          and its subtree — indicator "*": the whole unit — so a
 *	          deduction node without deductions is compliant, and a
 *	          binary node without a failure has passed (value unused)
 *
 * with its source (self 自评, assessor 考核, inspect 检测, ledger 台账),
 * author, time and evidence (URL, note).  The file forms (CSV with a
 * header row, and JSON) are documented in docs/facts.md.
 *
 * How to use it (the store and `kaoping eval` do exactly this):
 *
 *	kp_facts fs = KP_FACTS_INIT;
 *	kp_facts_parse("f.csv", data, n, &fs, &e);   // syntax only
 *	kp_score_ctx ctx;
 *	kp_score_ctx_init(&ctx);
 *	kp_score_ctx_open(&ctx, table, &e);  // registry, quota and checklist
 *	                                     // tables the table names
 *	kp_facts_check(table, &ctx, &fs, &e);       // whole file or nothing
 *	kp_result *r;
 *	kp_score_unit(table, &ctx, "市民政局", &fs, &r, &e);
 *	json_t *j = kp_result_json(r);  kp_result_explain(r, &buf);
 *	kp_result_free(r); kp_score_ctx_release(&ctx); kp_facts_release(&fs);
 *
 * Which score counts.  Facts whose source is 考核, 检测 or 台账 count; 自评
 * facts are computed the same way on their own and shown beside (the
 * "self" column) but never decide anything.  A node no counting fact
 * touches is scored by its rule's default: deductions start from full
 * points (倒扣分法), everything judged, tiered or checklist-driven starts
 * from 0.  Status: every node is scored, pending (未评: no counting fact
 * decided it yet; it shows its provisional value) or not applicable.  A
 * deduction node with no deduction is pending until an `assessed` fact
 * covers it (on it, an ancestor, or "*" for the unit); a binary node
 * with no fact passes (full points) once covered, else is pending.  A
 * result with pending nodes is provisional (未完成): r->pending counts
 * them.  docs/scoring.md has every rule.
 *
 * Numbers are kp_num (exact fractions); display rounds to two decimals,
 * half up, and only display does (kp_num_fmt2).
 *
 * Ownership: a kp_fact owns its strings (kp_fact_release frees them); a
 * kp_facts list owns its facts.  A kp_result owns its strings, reasons
 * and copies of the facts it cites; its kp_rnode.node pointers borrow the
 * table, which must outlive the result.  A kp_score_ctx owns what
 * kp_score_ctx_open opened; tables and registry set by hand are borrowed.
 */
#ifndef KP_SCORE_H
#define KP_SCORE_H

#include "base/base.h"
#include "catalog/catalog.h"

typedef enum kp_fact_kind {
	KP_FACT_SCORE,
	KP_FACT_FAIL,
	KP_FACT_QUANTITY,
	KP_FACT_VETO,
	KP_FACT_NA,
	KP_FACT_ASSESSED,
	KP_FACT_KIND_COUNT
} kp_fact_kind;

typedef enum kp_source {
	KP_SRC_SELF,       /* 自评 */
	KP_SRC_ASSESSOR,   /* 考核 */
	KP_SRC_INSPECT,    /* 检测 */
	KP_SRC_LEDGER,     /* 台账 */
	KP_SRC_COUNT
} kp_source;

typedef struct kp_fact {
	char *unit;        /* unit name or alias */
	char *table;       /* table id, for a round of several tables; ""
			      (or NULL in a built fact): not said */
	char *indicator;   /* path ("组织保障/…") or code ("1.2") */
	kp_fact_kind kind;
	char *name;        /* quantity name; "" otherwise */
	kp_num value;
	bool has_value;
	kp_source source;
	char *author;      /* "" when unknown */
	char *time;        /* ISO 8601, "" when unknown */
	char *url;         /* evidence URL, "" when none */
	char *note;        /* evidence note, "" when none */
	size_t line;       /* where it was read from (0 if built) */
	/* identity and history (see "Which facts count" below) */
	char *period;      /* "2016H1", "2016Q3", "2016-07", "2016"; "" none */
	int64_t inspection;   /* the inspection it came from; 0 none */
	int64_t batch;     /* the stored batch (file) it came in; 0 built */
	int64_t seq;       /* its number in the round's history; 0 built */
	int64_t withdrawn; /* the number of its withdrawal; 0 not withdrawn */
} kp_fact;

typedef struct kp_facts {
	kp_fact *v;
	size_t n, cap;
} kp_facts;

#define KP_FACTS_INIT { NULL, 0, 0 }

void kp_fact_release(kp_fact *f);
void kp_facts_release(kp_facts *fs);
/* Append a deep copy of f. */
void kp_facts_add(kp_facts *fs, const kp_fact *f);

const char *kp_fact_kind_name(kp_fact_kind k);     /* "score" … */
const char *kp_fact_kind_label(kp_fact_kind k);    /* "评分" … */
const char *kp_source_name(kp_source s);           /* "self" … */
const char *kp_source_label(kp_source s);          /* "自评" … */
int kp_fact_kind_parse(const char *s, kp_fact_kind *out);  /* en or zh */
int kp_source_parse(const char *s, kp_source *out);        /* en or zh */
/* Every kind (source) as "name 标签", "、"-joined, appended to out: what a
 * message lists as accepted, from the tables above (never a literal). */
void kp_fact_kinds_list(kp_buf *out);
void kp_sources_list(kp_buf *out);

/* Which facts count.  A fact's identity is (unit, table, indicator,
 * kind, name, source, period).  Of the facts of one identity, those of
 * the latest batch count and the earlier batches' are replaced (within
 * one batch — one file — they add up, as one statement: two fail rows
 * are two occurrences).  Facts of source 检测 (an inspection's) count
 * only when they come from the unit's latest inspection among v — the
 * highest inspection number, for facts that carry one, else the latest
 * batch — and the earlier inspections' facts are replaced by it,
 * whatever their identity.  A withdrawn fact never counts and replaces nothing.
 * v[0..n) are one unit's facts in history order (oldest first); by[i]:
 * the index of the fact that replaced v[i], KP_FACT_COUNTS when it
 * counts, KP_FACT_WITHDRAWN when it was withdrawn.  The engine applies
 * this to every unit's facts before any rule sees them. */
#define KP_FACT_COUNTS ((size_t)-1)
#define KP_FACT_WITHDRAWN ((size_t)-2)
void kp_fact_fates(const kp_fact *const *v, size_t n, size_t *by);
/* Same identity (the fields above)? */
bool kp_fact_same_identity(const kp_fact *a, const kp_fact *b);
/* Is s a period: YYYY, YYYYH1-2, YYYYQ1-4 or YYYY-MM? */
bool kp_period_valid(const char *s);

/* Read facts from a CSV (header row; columns unit, table, indicator, kind,
 * name, value, source, author, time, url, note, and optionally period and
 * inspection — see docs/facts.md) or a JSON
 * array of objects with the same keys, chosen by content.  Appends to out
 * only when the whole file is valid; else nothing and e says file:line. */
int kp_facts_parse(const char *name, const char *data, size_t n,
		   kp_facts *out, kp_err *e);
/* The same, one fact at a time, for files too big to hold as kp_facts (a
 * national round's 1.5 million): fn sees each fact as it is read — f is
 * the reader's and released after the call, but fn may replace its
 * strings (free the old, put a malloc'd new) or take them (set NULL).
 * Stops at the first bad row (e says file:line) or the first fn that
 * returns -1 (its e).  Memory: a CSV is read row by row; a JSON file is
 * parsed whole first (jansson), then handed out. */
typedef int (*kp_fact_each_fn)(void *ctx, kp_fact *f, kp_err *e);
int kp_facts_parse_each(const char *name, const char *data, size_t n,
			kp_fact_each_fn fn, void *ctx, kp_err *e);
/* The same, but a row that is not a fact (an unknown kind or source, a
 * value that is not a number, an impossible time …) goes to bad with
 * why saying file:line and what, and reading goes on while bad returns
 * 0 (-1 stops, as without bad).  The header and the file's syntax still
 * stop at once. */
typedef int (*kp_fact_bad_fn)(void *ctx, const kp_err *why);
int kp_facts_parse_each_bad(const char *name, const char *data, size_t n,
			    kp_fact_each_fn fn, kp_fact_bad_fn bad, void *ctx,
			    kp_err *e);

/* Append fs as a facts CSV (the header row, then one row per fact, in
 * the English keys of docs/facts.md) to out: what kp_facts_parse reads.
 * The table column is written only when some fact names its table. */
void kp_facts_write_csv(const kp_facts *fs, kp_buf *out);

/* ---- the context: the other tables a table's rules refer to ---- */

#define KP_CTX_MAX_TABLES 16

typedef struct kp_score_ctx {
	const kp_units *units;     /* registry: types, tags, aliases; may be NULL */
	const kp_table *tables[KP_CTX_MAX_TABLES];  /* quota, checklist … by id */
	size_t ntables;
	/* A scheme round put the unit on the table (#meta,assess of the
	 * scheme, docs/scheme.md): when none of the table's first-level
	 * indicators applies to the unit by its applies column, all of
	 * them do (the scheme's choice prevails over the table's). */
	bool admit;
	/* owned by the context (set by kp_score_ctx_open) */
	kp_units *own_units;
	kp_table *own[KP_CTX_MAX_TABLES];
	size_t nown;
} kp_score_ctx;

void kp_score_ctx_init(kp_score_ctx *c);
void kp_score_ctx_release(kp_score_ctx *c);
/* Borrow t (a quota or checklist table) for rules that name its id. */
int kp_score_ctx_add(kp_score_ctx *c, const kp_table *t, kp_err *e);
/* Open, by kp_table_open / kp_units_open, every bundled table that t
 * refers to and c does not have yet: #meta registry, tiered quota=…,
 * checklist list=…, the quota table of #meta,scope; also the checklist
 * tables whose #meta feeds names t. */
int kp_score_ctx_open(kp_score_ctx *c, const kp_table *t, kp_err *e);
const kp_table *kp_score_ctx_table(const kp_score_ctx *c, const char *id);
/* Whether t assesses the unit called canonical at all: t's #meta,scope
 * ("任务分配表id:组、组", or the id alone) names a quota table (opened
 * into c by kp_score_ctx_open) and the groups of it whose units t
 * assesses (seed 003: 政务信息 applies to the units of the 任务分配表).
 * True when t has no scope; false when the scope's table is not in c.
 * Names of the quota table are resolved through c->units when set. */
bool kp_score_in_scope(const kp_table *t, const kp_score_ctx *c,
		       const char *canonical);

/* ---- validation against the table ---- */

/* Check every fact against t (and c's registry, when set): the unit is
 * known, the indicator exists (path or code; "表id:路径" for an item of a
 * checklist table the context holds), a score lies in 0..max, on the
 * node's step, and only on judged/binary/bonus nodes (0 or 1 on items),
 * fail only on minus/deduct/binary/item, counts are whole numbers ≥ 1,
 * no value is negative, a quantity's name is one the node's rule reads
 * (city_points, satisfied, monthly_min …), veto only on veto nodes.
 * Messages start "第N行: " (N = the fact's line; the element's ordinal
 * for JSON); the caller adds the file name.  Returns 0, or -1 for the
 * first bad fact (the store rejects the whole file). */
int kp_facts_check(const kp_table *t, const kp_score_ctx *c,
		   const kp_facts *fs, kp_err *e);

/* ---- results ---- */

typedef struct kp_reason {
	kp_num delta;       /* points this reason moved (+ earned, − lost) */
	bool has_delta;     /* false for notes that move nothing */
	char *text;         /* Chinese: what it did ("扣2.5分", "得满分") */
	char *what;         /* the sub-item or rule it did it under; "" none */
	kp_fact *facts;     /* copies of the facts it rests on */
	size_t nfacts;
} kp_reason;

typedef struct kp_rnode {
	const kp_node *node;   /* borrowed from the table */
	kp_num max;            /* effective maximum (share, na children); 0 on
				  minus, veto and item rows */
	bool applies;          /* false: na for this unit (applies column / na fact) */
	bool has_self;         /* some 自评 fact touches this node or below */
	kp_num self;
	bool has_assessor;     /* some counting fact touches it or below */
	kp_num assessor;
	kp_num score;          /* final score; on a minus row the (negative)
				  deduction it made */
	bool pending;          /* nothing counting decided it (未评) */
	bool vetoed;           /* a veto hit this node (or the evaluation) */
	kp_reason *reasons;
	size_t nreasons;
} kp_rnode;

typedef struct kp_result {
	char *unit;            /* canonical name when the registry knows it */
	char *unit_type;       /* "" when unknown */
	char *table_id, *title;
	kp_rnode *nodes;       /* one per table node, in table order */
	size_t nnodes;
	kp_num max;            /* table total (after na branches are removed) */
	kp_num base;           /* sum of the scored roots (deduction part) */
	kp_num bonus;          /* bonus counted (0 unless above bonus_above) */
	kp_num total;          /* final 100-point result (vetoes, rescale, bonus) */
	bool has_self;
	kp_num self_total;
	bool vetoed;           /* evaluation-scope veto */
	size_t pending;        /* applicable nodes still pending (the lowest
				  pending ones: a sum of pending rows counts
				  its rows, not itself); 0: complete */
	char *outcome;         /* "不合格"/"合格" when the table has pass, else "" */
	bool has_convert;
	char *convert;         /* "deduct:2", "earn:3" … */
	kp_num converted;      /* deduct: points deducted; earn: points earned */
	kp_reason *reasons;    /* evaluation-level reasons (veto, rescale, convert) */
	size_t nreasons;
} kp_result;

/* Score unit (name or alias) on table t.  Facts for other units, and for
 * other tables' nodes not referenced by t's rules, are ignored (each other
 * unit's fact costs a registry look-up: for a round of thousands of units,
 * pass each unit only its own facts).  Facts
 * should have passed kp_facts_check; a fact that does not resolve is
 * ignored with a note.  Returns 0 and *out, or -1 (overflow, missing
 * context table) with e filled. */
int kp_score_unit(const kp_table *t, const kp_score_ctx *c,
		  const char *unit, const kp_facts *fs, kp_result **out,
		  kp_err *e);

/* Scoring many units on one table (a round of thousands): a kp_scorer
 * indexes t once — nodes by code and by path, each node's parent and
 * children — so that scoring a unit never scans the table, and each fact
 * is resolved once.  It borrows t (which must outlive it), is read-only
 * once made, and may be shared by threads.
 *
 *	kp_scorer *sc = kp_scorer_new(table);
 *	for each unit:  kp_scorer_unit(sc, &ctx, unit, &facts,
 *	                               KP_SCORE_TOTALS, &r, &e); … kp_result_free(r);
 *	kp_scorer_free(sc);
 *
 * kp_scorer_unit with flags 0 is kp_score_unit.  With KP_SCORE_TOTALS
 * the result has every number kp_score_unit gives (totals, outcome,
 * conversion, each node's max, self, assessor, score, pending, vetoed)
 * and no reasons (nreasons 0 everywhere): what ranking needs, without
 * the cost of writing the explanation.  Give it to kp_result_json or
 * kp_result_explain only without the flag. */
typedef struct kp_scorer kp_scorer;
enum { KP_SCORE_TOTALS = 1 };

kp_scorer *kp_scorer_new(const kp_table *t);
void kp_scorer_free(kp_scorer *sc);
/* The node of t named by code, else by path (as kp_table_find), or NULL. */
const kp_node *kp_scorer_find(const kp_scorer *sc, const char *code_or_path);
int kp_scorer_unit(const kp_scorer *sc, const kp_score_ctx *c,
		   const char *unit, const kp_facts *fs, int flags,
		   kp_result **out, kp_err *e);

void kp_result_free(kp_result *r);
const kp_rnode *kp_result_find(const kp_result *r, const char *code_or_path);

/* {"unit","unit_type","table","title","max","base","bonus","total",
 *  "self_total","vetoed","outcome","convert","converted","reasons":[…],
 *  "nodes":[{"code","path","level","rule","max","applies","self",
 *            "assessor","score","pending","vetoed","reasons":[{"delta",
 *            "text","what","facts":[{…}]}]}]}
 * Every number is a JSON number written by base's kp_num_json (7.5, 30,
 * 26.67), or null (self/assessor absent); every node has its max (满分).
 * Caller json_decref. */
struct json_t;
struct json_t *kp_result_json(const kp_result *r);
/* The derivation in Chinese: a header (title, unit), one line per node
 * for every node, e.g. "1 组织保障 10 → 7.5：扣2.5分（…；考核；证据 …）",
 * then the total line and the evaluation-level reasons.  Appends to out;
 * the engine is reentrant (no shared state). */
int kp_result_explain(const kp_result *r, kp_buf *out);

/* Weighted combination of several evaluations of one unit (公众评估 +
 * 综合评估): total = Σ w[i] × rs[i]->total ÷ Σ w[i], so weights may be
 * written 0.3/0.7 or 30/70.  Appends one Chinese line to explain (may be
 * NULL): "公众评估 85 × 30% + 综合评估 90 × 70% = 88.5".  Fails when the
 * results are not of one unit, a weight is negative or they sum to 0. */
int kp_combine(const kp_result *const *rs, const kp_num *w, size_t n,
	       kp_num *total, kp_buf *explain, kp_err *e);

/* ---- schemes: several tables per unit (catalog.h, docs/scheme.md) ---- */

/* Which of the tables t[0..n) fact f belongs to, among those with
 * allowed[i] (the tables its unit is assessed on; NULL: all): f->table
 * when set (it must be one of them), else the one table where its
 * indicator resolves (path or code; "表id:路径" in a checklist table that
 * table's rules name, from c).  An indicator found in several is
 * ambiguous and refused.  Returns the index, or -1 with e ("第N行: why",
 * naming the unit and the tables). */
int kp_fact_table(const kp_table *const *t, size_t n, const bool *allowed,
		  const kp_score_ctx *c, const kp_fact *f, kp_err *e);

/* One table's result in a unit's combined result. */
typedef struct kp_part {
	const char *label;       /* "政务公开"; "" → the table's title */
	const kp_result *r;
	kp_num weight;           /* used by KP_COMBINE_WEIGHTED */
} kp_part;

/* What r adds to the combination: under sum, the converted points, signed
 * (deduct:N → −扣分, earn:N → +得分), or the total when the table does
 * not convert; under weighted (and none) its total. */
kp_num kp_part_value(kp_combine_rule rule, const kp_result *r);

/* A unit's combined result from its parts.  sum: Σ kp_part_value;
 * weighted: kp_combine (Σ w × total ÷ Σ w); none: the one part's total.
 * Appends the Chinese combination line to explain (may be NULL), e.g.
 * "政务公开 −0.35 + 效能建设 −0.00 + 政务信息 +2.40 = +2.05" (each part
 * rounded for display, the sum computed exactly).  Fails like
 * kp_combine, or on overflow. */
int kp_combine_parts(kp_combine_rule rule, const kp_part *p, size_t n,
		     kp_num *total, kp_buf *explain, kp_err *e);
/* Whether any veto row of r was triggered (of evaluation, result or node
 * scope): what a ranking marks "否决". */
bool kp_result_any_veto(const kp_result *r);
/* The veto row that fired (evaluation veto first, else the first
 * triggered veto row in table order), or NULL. */
const kp_node *kp_result_veto_node(const kp_result *r);
/* The fact kind's indicator for "the whole unit" (assessed facts). */
#define KP_FACT_WHOLE_UNIT "*"
/* Whether f is an assessed fact about the whole unit. */
bool kp_fact_whole_unit(const kp_fact *f);
/* A signed two-decimal string: "+2.05", "−0.35" (U+2212), "0.00"; neg
 * forces "−" (a deduction of 0 shows as "−0.00").  buf >= 40. */
const char *kp_num_fmt2_signed(kp_num v, bool neg, char *buf);

/* Rank results by total, highest first.  Ties (exactly equal totals)
 * share the rank, and the next rank skips (1, 2, 2, 4); tied results
 * keep their input order.  Fills order[i] with the index of the i-th
 * result and rank[j] with result j's rank.  O(n log n) (a stable merge
 * sort): a national round ranks 14,000 units at once. */
void kp_rank(const kp_result *const *rs, size_t n, size_t *order,
	     size_t *rank);
/* The same on bare totals (results read back from the store). */
void kp_rank_totals(const kp_num *totals, size_t n, size_t *order,
		    size_t *rank);

#endif
