/*
 * catalog — indicator tables and the other tables the seeds publish
 * (quotas, scoring schedules, unit registries), as data kaoping loads.
 *
 * The canonical form of every table is a CSV file described in
 * docs/table-format.md.  This module
 *   - parses it (kp_table_parse/kp_table_load/kp_table_open) into a
 *     kp_table, refusing syntax errors with "file:line: …" (KP_EINPUT);
 *   - writes it back (kp_table_write), byte-stable: parse → write → parse
 *     gives the same table;
 *   - lints it (kp_lint): points that do not add up, deductions that exceed
 *     or fall short of their item, text that contradicts the points,
 *     duplicate names, one unit spelled two ways, rules used wrongly, and
 *     every source quirk recorded in the table.  Lint reports; it never
 *     changes the table;
 *   - imports the layouts offices publish (kp_import) from any kp_sheet
 *     (CSV, TSV, GBK, XLSX): columns recognised by header names or by the
 *     words they contain, merged cells carried down, points and numbering
 *     inside names, 合计 rows checked, and a rule proposed for each row
 *     from its criteria (kp_rule_propose), 确定 or 需确认; quota tables
 *     (单位 + 采用任务) and point standards written as numbered rules
 *     (序号 / 计分规则 / 备注) recognised by their shape and imported as
 *     kind quota and kind schedule (import_kinds.c);
 *   - describes every rule in Chinese (kp_rule_describe);
 *   - exports the published layout (kp_export_published_csv/xlsx) and the
 *     full layout (kp_export_csv, kp_export_xlsx), both of which kp_import
 *     reads back into the same tree.
 *
 * Ownership: a kp_table owns every string and node reachable from it; all
 * are freed by kp_table_free.  Pointers into a table (nodes, names, meta
 * values) are borrowed and live as long as the table.  Bundled tables are
 * compiled into the binary from data/ (see tools/embed.c).
 */
#ifndef KP_CATALOG_H
#define KP_CATALOG_H

#include "base/base.h"
#include "sheet/sheet.h"

#define KP_TABLE_FORMAT "kaoping-table/1"

typedef enum kp_table_kind {
	KP_KIND_INDICATORS,
	KP_KIND_QUOTA,
	KP_KIND_SCHEDULE,
	KP_KIND_UNITS,
	KP_KIND_SCHEME,     /* a year's tables and how they combine */
} kp_table_kind;

/* Scoring rules: the vocabulary of docs/table-format.md.  One row each in
 * the rule table of rules.c (kp_rule_def, below). */
typedef enum kp_rule {
	KP_RULE_SUM,
	KP_RULE_SHARE,
	KP_RULE_JUDGED,
	KP_RULE_BINARY,
	KP_RULE_DEDUCT,
	KP_RULE_MINUS,
	KP_RULE_TIERED,
	KP_RULE_CHECKLIST,
	KP_RULE_ITEM,
	KP_RULE_VETO,
	KP_RULE_BONUS,
	KP_RULE_COUNT
} kp_rule;

typedef struct kp_param {
	char *key;
	char *value;   /* NULL for a bare flag such as "each" */
} kp_param;

/* A rule's parameters, typed: parsed once, when the table loads (the
 * raw key=value list stays in kp_node.params, for writing the table
 * back).  Only the fields of the node's rule are set; the rest are
 * zero.  Strings are borrowed from kp_node.params; arrays are owned by
 * the node. */
typedef struct kp_tier {
	kp_num at;        /* completion ratio threshold (100% → 1) */
	kp_num factor;    /* share of the points earned (or deducted) */
} kp_tier;

typedef struct kp_split_part {
	const char *name; /* "city", "province": borrowed from the params
			     string, NOT NUL-terminated — len bytes */
	size_t len;
	kp_num max;
} kp_split_part;

typedef enum kp_veto_scope {
	KP_VETO_NODE,         /* default */
	KP_VETO_EVALUATION,
	KP_VETO_RESULT,
} kp_veto_scope;

typedef struct kp_rule_args {
	/* deduct, minus (when: veto too) */
	const char *amount;   /* "all", a number, or NULL */
	bool amount_all;
	bool has_amount_num;
	kp_num amount_num;
	const char *max;      /* as written, or NULL */
	bool has_max;
	kp_num max_num;
	bool each;
	const char *when;     /* "quantity[:threshold]", or NULL */
	size_t when_len;      /* length of the quantity's name in when */
	bool when_below;      /* a threshold follows: counts when below it */
	kp_num when_at;
	/* judged, bonus */
	bool has_step;
	kp_num step;
	/* tiered */
	kp_tier *tiers;       /* owned, in the order written */
	size_t ntiers;
	const char *split_text;  /* split= as written, or NULL */
	kp_split_part *split; /* owned; none: one part "total" */
	size_t nsplit;
	bool has_single;
	kp_num single;
	bool deducted;        /* wording=deducted */
	const char *quota;    /* quota table id, or NULL */
	/* checklist */
	const char *list;     /* checklist table id, or NULL */
	/* veto */
	kp_veto_scope scope;
	const char *outcome;  /* "0", "不合格", "deduct:N", or NULL */
} kp_rule_args;

/* The text columns of an indicator node, in canonical column order. */
enum kp_text {
	KP_T_APPLIES, KP_T_UNITS, KP_T_CHECK, KP_T_CONTENT, KP_T_CRITERIA,
	KP_T_REPORT, KP_T_NOTE, KP_T_QUIRK, KP_T_COUNT
};

typedef struct kp_node {
	char *code;            /* unique within the table */
	char *name;            /* last path segment */
	char *path;            /* names joined by '/' */
	int level;             /* 1 for first-level indicators */
	bool has_points;
	kp_num points;
	kp_rule rule;          /* resolved (never "blank") */
	bool rule_written;     /* rule came from the file, not the default */
	kp_param *params;
	size_t nparams;
	kp_rule_args args;     /* params, typed (see kp_rule_args) */
	char *text[KP_T_COUNT];   /* "" when blank, never NULL */
	size_t line;           /* line in the source file (0 if built) */
	struct kp_node *parent;
	struct kp_node **children;
	size_t nchildren;
} kp_node;

typedef struct kp_meta {
	char *key, *value;
	size_t line;
} kp_meta;

/* A row of a non-tree table (quota, schedule, units): cells by column. */
typedef struct kp_record {
	char **cells;          /* ncols entries, "" when blank */
	size_t line;
} kp_record;

typedef struct kp_table {
	char *file;            /* where it was read from (for messages) */
	kp_table_kind kind;
	kp_meta *meta;
	size_t nmeta;
	/* indicators */
	kp_node **nodes;       /* every node, in file order */
	size_t nnodes;
	kp_node **roots;
	size_t nroots;
	bool has_col[16];      /* which optional columns the file had */
	/* quota, schedule, units */
	char **cols;
	size_t ncols;
	kp_record *recs;
	size_t nrecs;
} kp_table;

/* ---- rule kinds as rows ----
 *
 * One row per rule kind (rules.c): what catalog knows of it — its name
 * in the file, its Chinese label, the parameters it accepts and how to
 * parse them into kp_rule_args (once, when the table loads), what it
 * accepts as facts and how it counts, and the lint checks that are its
 * own.  The scoring of each kind lives above, in src/score, in a
 * parallel table indexed by the same kp_rule (score/rules.c): catalog
 * never calls score, score reads these rows.
 *
 * Adding a rule kind: a KP_RULE_ value, a row here (rules.c), a score
 * function there, docs/table-format.md and docs/scoring.md. */

enum kp_rule_flags {
	KP_RF_COUNTS = 1 << 0,       /* its points count in its parent's sum */
	KP_RF_NEEDS_POINTS = 1 << 1, /* lint: a node of this rule has points */
	KP_RF_SCORE = 1 << 2,        /* accepts score facts */
	KP_RF_SCORE_01 = 1 << 3,     /* … only 1 (satisfied) or 0 */
	KP_RF_ALL_OR_NONE = 1 << 4,  /* … only 0 or the maximum */
	KP_RF_FAIL = 1 << 5,         /* accepts fail facts */
	KP_RF_VETO = 1 << 6,         /* accepts veto facts */
};

struct kp_findings;   /* below, with lint */

typedef struct kp_rule_def {
	const char *name;            /* "deduct" */
	const char *label;           /* "倒扣分" */
	const char *params;          /* accepted keys, space separated */
	unsigned flags;              /* enum kp_rule_flags */
	/* Fill n->args from n->params (keys already checked against
	 * params); -1 with e ("file:line: …") when a value is bad or a
	 * required one is missing.  NULL: nothing to parse. */
	int (*parse)(kp_node *n, const char *file, kp_err *e);
	/* Whether a quantity fact called name is one this node's rule
	 * reads (city_points, satisfied, a when= quantity …).  NULL: none. */
	bool (*quantity)(const kp_node *n, const char *name);
	/* Lint: whether the node's points add up (sum, deductions); then
	 * whether the rule is used where it can work.  NULL: no check. */
	void (*lint_points)(const kp_table *t, const kp_node *n,
			    struct kp_findings *f);
	void (*lint_use)(const kp_table *t, const kp_node *n,
			 struct kp_findings *f);
} kp_rule_def;

/* The row of rule r (r < KP_RULE_COUNT). */
const kp_rule_def *kp_rule_def_of(kp_rule r);
/* The rule called name (English), or -1. */
int kp_rule_parse(const char *name, kp_rule *out);
/* Whether r has flag (enum kp_rule_flags). */
bool kp_rule_has(kp_rule r, unsigned flag);
/* The maximum a score on nd can reach, before rescaling: its points, or
 * its share of a share parent's points.  -1 when it has none. */
int kp_node_max(const kp_node *nd, kp_num *max);

/* ---- loading and writing ---- */

int kp_table_parse(const char *name, const char *data, size_t n,
		   kp_table **out, kp_err *e);
int kp_table_load(const char *path, kp_table **out, kp_err *e);
/* A bundled table by id (e.g. "pzh2017-web-county"), else a file path. */
int kp_table_open(const char *id_or_path, kp_table **out, kp_err *e);
void kp_table_free(kp_table *t);
/* Canonical CSV, appended to out. */
int kp_table_write(const kp_table *t, kp_buf *out);

const char *kp_table_get(const kp_table *t, const char *key); /* meta */
const char *kp_table_id(const kp_table *t);
const char *kp_kind_name(kp_table_kind k);
const char *kp_kind_label(kp_table_kind k);   /* Chinese */
const char *kp_rule_name(kp_rule r);
const char *kp_rule_label(kp_rule r);   /* Chinese */
/* The Chinese labels of every rule kind with flag (KP_RF_…), "、"-joined,
 * appended to out: messages name rule kinds as people know them. */
void kp_rule_labels(unsigned flag, kp_buf *out);
/* Parameter value; "" for a bare flag; NULL when absent. */
const char *kp_node_param(const kp_node *n, const char *key);
const kp_node *kp_table_find(const kp_table *t, const char *code_or_path);
/* Sum of the roots' points that count towards the total (not veto or
 * bonus).  Returns false when no root has points. */
bool kp_table_total(const kp_table *t, kp_num *total);
size_t kp_table_nleaves(const kp_table *t);
/* Column index of a record column by name, or -1. */
int kp_table_col(const kp_table *t, const char *name);
const char *kp_record_cell(const kp_table *t, size_t rec, const char *col);

/* ---- bundled data ---- */

size_t kp_bundled_count(void);
const char *kp_bundled_path(size_t i);   /* "data/tables/x.csv" */
int kp_bundled_load(size_t i, kp_table **out, kp_err *e);

/* ---- units registry ---- */

typedef struct kp_units kp_units;
/* Build from a table of kind units; the registry keeps its own copies. */
int kp_units_from_table(const kp_table *t, kp_units **out, kp_err *e);
/* The bundled registry named by id (e.g. "pzh-units"). */
int kp_units_open(const char *id, kp_units **out, kp_err *e);
void kp_units_free(kp_units *u);
/* Canonical name for a name or alias, or NULL. */
const char *kp_units_resolve(const kp_units *u, const char *name);
const char *kp_units_type(const kp_units *u, const char *canonical);
/* The tags cell as written ("无公共服务职能、…"), "" when none, NULL for
 * an unknown unit. */
const char *kp_units_tags(const kp_units *u, const char *canonical);
size_t kp_units_count(const kp_units *u);
/* What a phrase written in a units cell stands for: a unit's name or
 * alias (that unit); a collective phrase the registry declares with
 * #meta,group,写法=类型或单位、… (every unit of those types, or those
 * units, in registry order; none for an indefinite phrase such as
 * 相关部门, declared as "相关部门="); or "X等Y" (X's units and Y's,
 * e.g. 市住建局等相关职能部门).  Calls fn (may be NULL) for each unit
 * (a unit may come twice) and returns how many calls, or -1 when the
 * phrase is none of these (fn not called).  *indefinite (may be NULL):
 * whether the phrase also stands for units it does not name. */
int kp_units_expand(const kp_units *u, const char *written,
		    void (*fn)(void *arg, const char *canonical), void *arg,
		    bool *indefinite);

/* Whether list — an applies cell: unit names or aliases, types and tags,
 * "、"/"," separated, "!x" excluding — selects the unit called canonical.
 * An empty list selects every unit. */
bool kp_units_match(const kp_units *u, const char *canonical,
		    const char *list);

/* ---- schemes: a year's tables and how their results combine ----
 *
 * A scheme (kind scheme, docs/scheme.md) lists indicator tables, one row
 * each: the table (a bundled id, or a path relative to the scheme file),
 * its label in the combination ("政务公开"), which units it applies to
 * (an applies cell; blank: the table's own applies column decides) and,
 * for a weighted combination, its weight.  #meta,combine says how each
 * unit's per-table results become its result: sum (converted points, or
 * totals, added up) or weighted (Σ w × total ÷ Σ w).  An indicator table
 * opened as a scheme is a scheme of that one table (combine none). */

typedef enum kp_combine_rule {
	KP_COMBINE_NONE,      /* one table: its result is the unit's */
	KP_COMBINE_SUM,
	KP_COMBINE_WEIGHTED,
} kp_combine_rule;

#define KP_SCHEME_MAX_TABLES 64

/* "sum", "weighted" → rule (out may be NULL); -1 for anything else. */
int kp_combine_rule_parse(const char *s, kp_combine_rule *out);
const char *kp_combine_rule_name(kp_combine_rule r);  /* "" for none */
/* The Chinese a person reads for a stored combine name: "sum" → "相加",
 * "weighted" → "加权平均"; an unknown name is returned as given. */
const char *kp_combine_rule_zh(const char *name);

typedef struct kp_scheme_row {
	kp_table *table;       /* owned */
	char *source;          /* opened from: bundled id or absolute path */
	const char *label;     /* borrowed from def; "" for one table */
	const char *applies;   /* borrowed; "" when the table alone decides */
	bool has_weight;
	kp_num weight;
	size_t line;           /* its line in the scheme file; 0 one table */
} kp_scheme_row;

typedef struct kp_scheme {
	kp_table *def;         /* the scheme table; NULL for one table */
	char *source;          /* def's (or the table's) id or absolute path */
	kp_combine_rule combine;
	kp_scheme_row *rows;
	size_t nrows;
} kp_scheme;

/* Open a scheme (or one indicator table) by bundled id or path, and every
 * table it lists.  Refuses, with file:line, a table that cannot be opened
 * or is not an indicator table, a table listed twice, a missing or bad
 * weight under combine=weighted, more than KP_SCHEME_MAX_TABLES rows. */
int kp_scheme_open(const char *id_or_path, kp_scheme **out, kp_err *e);
/* The scheme of one indicator table t got elsewhere (the round layer's
 * tables imported into the store): takes t, which the scheme then owns;
 * source (copied) is what the round records it came from. */
kp_scheme *kp_scheme_one(kp_table *t, const char *source);
void kp_scheme_free(kp_scheme *s);
const char *kp_scheme_id(const kp_scheme *s);       /* def's, else table's */
const char *kp_scheme_title(const kp_scheme *s);
/* #meta,registry of the scheme, else of its first table; NULL if none. */
const char *kp_scheme_registry(const kp_scheme *s);
/* The table a row of scheme def names in its table cell: a bundled id, or
 * a path (relative to def's file unless def is bundled).  *source (may be
 * NULL) gets what to reopen it from later: the id or an absolute path. */
int kp_scheme_open_table(const kp_table *def, const char *cell,
			 char **source, kp_table **t, kp_err *e);

/* ---- lint ---- */

typedef struct kp_finding {
	char *kind;      /* slug: sum, total, deduct-over, … */
	char *code;      /* node code or record key it concerns */
	size_t line;
	char *message;   /* Chinese, one sentence */
	bool known;      /* acknowledged in the table as a source defect */
} kp_finding;

typedef struct kp_findings {
	kp_finding *v;
	size_t n, cap;
} kp_findings;

void kp_findings_release(kp_findings *f);
/* Lint t.  reg may be NULL (then unit checks that need it are skipped).
 * Appends to out; returns the number of findings not marked known. */
size_t kp_lint(const kp_table *t, const kp_units *reg, kp_findings *out);
/* Spellings of one unit that differ across the tables naming registry
 * regid (#meta,registry).  The registry resolving both spellings makes
 * each finding known: reported, not counted; returns 0. */
size_t kp_lint_across(kp_table *const *tables, size_t n, const char *regid,
		      const kp_units *reg, kp_findings *out);
const char *kp_lint_label(const char *kind);   /* Chinese label */

/* ---- import and export of the published layout ---- */

typedef struct kp_import_opts {
	const char *id;      /* default "imported" */
	const char *title;   /* default: the title row above the header */
	const char **map;    /* "header=target" pairs, NULL-terminated */
	bool strict;         /* refuse a column it cannot place (else: a note) */
} kp_import_opts;

/* The rule the importer gave one node, and how sure it is. */
typedef struct kp_import_row {
	const kp_node *node; /* borrowed from the imported table */
	char *rule;          /* Chinese description (kp_rule_describe) */
	char *words;         /* the criteria words it came from, "" none */
	bool sure;           /* 确定 (one reading) or 需确认 */
	bool from_sheet;     /* the sheet wrote the rule itself */
	char *why;           /* 需确认: why, Chinese; "" when sure */
	size_t line;         /* the node's row in the sheet */
} kp_import_row;

/* A row the importer read but could not place in the tree. */
typedef struct kp_import_report {
	char **lines;        /* Chinese, "where: why" */
	size_t n;
	size_t rows_read, nodes;
	char *header_where;  /* where the header row was found */
	kp_import_row *rows; /* every node, in table order */
	size_t nrows, unsure;
} kp_import_report;

void kp_import_report_release(kp_import_report *r);
/* An office's table into *out (owned by the caller).  Usually kind
 * indicators; a quota table or a point standard, recognised by its shape
 * when o->map is not given, comes back as kind quota or kind schedule
 * (rep->rows empty; rep->nodes is then the number of records). */
int kp_import(const kp_sheet *s, const kp_import_opts *o, kp_table **out,
	      kp_import_report *rep, kp_err *e);

/* The full layout: level columns, points, every text column and
 * kaoping's own (规则, 参数, 编号), which kp_import reads back exactly. */
int kp_export_csv(const kp_table *t, kp_buf *out);
int kp_export_xlsx(const kp_table *t, const char *path, kp_err *e);
/* The layout offices publish: a title row, 序号, the level columns, 分值,
 * 评估内容, 评分标准 (the criteria, or the rule in Chinese when the table
 * has none), 责任单位 and 备注 where present, and a 合计 row; level cells
 * merged (XLSX).  No internal columns. */
int kp_export_published_csv(const kp_table *t, kp_buf *out);
int kp_export_published_xlsx(const kp_table *t, const char *path, kp_err *e);

/* ---- rules from their wording (propose.c) and in Chinese (rule_text.c)
 *
 * kp_rule_propose reads a criteria text (扣2分, 每项扣2分，最多扣10分,
 * 不得分, 酌情, 加1分, 一票否决, 完成80%得8分, 半分) and proposes the rule
 * it states.  sure is true when the text has one reading; otherwise why
 * says what a person should decide (several readings, or none).  words
 * holds the clauses the proposal came from.  The rule is KP_RULE_JUDGED
 * with written false when nothing was recognised. */
typedef struct kp_proposal {
	kp_rule rule;
	bool written;          /* a rule was read from the text */
	char params[256];      /* canonical params text, "" none */
	bool set_points;       /* points read from the text (加N分) */
	kp_num points;
	bool sure;
	char words[512];
	char why[512];
} kp_proposal;

void kp_rule_propose(const char *text, bool has_points, kp_num points,
		     kp_proposal *out);
/* The node's rule in Chinese, appended to out: "倒扣分：每项扣2分，最多扣
 * 10分", "评估员打分", "一票否决：整项考核得0分". */
int kp_rule_describe(const kp_node *n, kp_buf *out);

/* Rules an import left for a person to confirm: one finding (kind
 * "confirm") per #meta,confirm row of t.  A person who has checked the
 * row changes the key to #meta,confirmed.  Returns the number added. */
size_t kp_lint_confirm(const kp_table *t, kp_findings *out);

/* Same tree: paths, points, rules, params and every text column.  On a
 * difference returns false and describes the first one in why. */
bool kp_table_same_tree(const kp_table *a, const kp_table *b, char *why,
			size_t whylen);

#endif
