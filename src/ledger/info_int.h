/* ledger/info_int.h — the 政务信息 ledger in memory, and what its files
 * share: info.c (rules, units, rows) is below info_file.c (the ledger's
 * own files), info_import.c (sheets, the command line), info_db.c (the
 * store) and info_stats.c (statistics, duplicates, facts); info_title.c
 * (titles) is below them all.  Every function declared here is defined
 * in info.c, or info_file.c for the rows as written.  Not a public
 * header. */
#ifndef KP_INFO_INT_H
#define KP_INFO_INT_H

#include "ledger/ledger.h"
#include "ledger/info_title.h"

#define INFO_NODATE INT32_MIN

enum { LV_NONE = 0, LV_CITY = 1, LV_PROV = 2, LV_NATION = 3 };
enum { RQ_NONE = 0, RQ_YUEGAO = 1, RQ_FEEDBACK = 2 };

/* A base row of the schedule: a publication and what one item is worth. */
typedef struct kp_info_pub {
	const char *code, *name;   /* borrowed from the schedule table */
	size_t namelen;
	char *norm;                /* normalised name, for matching */
	int level;                 /* LV_CITY or LV_PROV */
	bool per_issue;            /* per 期, not per 条 */
	kp_num points;
	int bonus_upstream;        /* index of its "adopted again" bonus, -1 */
} kp_info_pub;

/* A bonus row: a leader's instruction at a level, or adopted again. */
typedef struct kp_info_bonus {
	bool upstream;             /* else instruction */
	int level;                 /* instruction: publications of this level */
	kp_num points;
} kp_info_bonus;

typedef struct kp_info_quota {
	const char *unit;          /* canonical (borrowed from the registry) */
	kp_num city, prov;
} kp_info_quota;

/* What a sheet (政务信息工作考评表) needs from the ledger. */
typedef struct kp_info_sheet {
	kp_table *t;
	const char *applies;       /* of its first root with one */
	int monthly_min;
	const char *code_min, *code_dup, *code_urgent, *code_feedback,
		*code_false, *code_tiered;
} kp_info_sheet;

typedef struct kp_info_rslot {
	const char *key, *canon, *type;
} kp_info_rslot;

struct kp_info_rules {
	kp_units *units;
	kp_table *utab;            /* the registry's table, for rmap */
	kp_info_rslot *rmap;          /* spelling → canonical, open addressing */
	size_t rcap;
	char **owned;              /* alias spellings rmap points at */
	size_t nowned;
	kp_table *schedule, *quota;
	kp_info_pub *pubs;
	size_t npubs;
	kp_info_bonus *bonus;
	size_t nbonus;
	kp_info_quota *quotas;
	size_t nquotas;
	kp_info_sheet *sheets;
	size_t nsheets;
};

typedef struct kp_info_sub {
	uint32_t unit, line;
	int32_t date, due;         /* days since 1970-01-01, or INFO_NODATE */
	uint8_t urgent, request, false_info;
	const char *title, *category, *note;
	/* normalised title: code points in l->norm[noff .. noff+nlen) */
	uint32_t noff, nlen;
	uint64_t hash, mask[2];
} kp_info_sub;

typedef struct kp_info_adopt {
	uint32_t item, pub, line;  /* item: index of the submission */
	int32_t date;
	uint8_t pishi, upstream;
	const char *issue, *pishi_by, *note;
} kp_info_adopt;

typedef struct kp_info_umap_slot {
	const char *key;           /* spelling (owned by l->owned or a unit) */
	uint32_t unit;
} kp_info_umap_slot;

struct kp_info_ledger {
	const kp_info_rules *r;
	/* interned units: canonical names, their type and sheet */
	char **unames;
	const char **utypes;
	int *usheet;
	size_t nunits, capunits;
	kp_info_umap_slot *umap;      /* spelling → unit, open addressing */
	size_t umap_cap, umap_n;
	kp_info_sub *s;
	size_t ns, caps, loaded_s;
	kp_info_adopt *a;
	size_t na, capa, loaded_a;
	int32_t *norm;
	size_t nnorm, capnorm;
	kp_buf raw[2];             /* the files as read; loaded strings point in */
	char **owned;              /* strings of added rows */
	size_t nowned, capowned;
	char **spell;              /* unit spellings umap points at */
	size_t nspell, capspell;
};

/* info.c: units, the cells both the files and the sheets have, rows */
int kp_info_unit(kp_info_ledger *l, const char *spelling);   /* -1 unknown */
/* A date cell (kp_day_parse; an XLSX day serial too when serial_ok). */
int kp_info_parse_date(const char *s, bool serial_ok, int32_t *out);
/* Append the date as the files write it ("2016-07-05"; nothing for
 * INFO_NODATE). */
void kp_info_put_date(kp_buf *b, int32_t days);
int kp_info_flag_parse(const char *s);       /* 1, 0, -1 unknown */
int kp_info_request_parse(const char *s);    /* RQ_*, -1 unknown */
extern const char *const kp_info_request_names[];
int kp_info_level_parse(const char *s);      /* LV_*, -1 unknown */
int kp_info_pub_find(const kp_info_rules *r, const char *s);   /* -1 */
/* A copy of s the ledger owns (freed by kp_info_free). */
char *kp_info_own(kp_info_ledger *l, const char *s);
/* A new zeroed row at the end of l->s / l->a. */
kp_info_sub *kp_info_new_sub(kp_info_ledger *l);
kp_info_adopt *kp_info_new_adopt(kp_info_ledger *l);
int kp_info_sheet_of(const kp_info_ledger *l, const char *canonical);  /* -1 */
void kp_info_sub_norm(kp_info_ledger *l, kp_info_sub *s);
uint64_t kp_info_hash(const void *p, size_t n, uint64_t h);

/* info_file.c: the ledger's own rows.  f: the id then the cells of a
 * row as the files write them (submissions 10, adoptions 9), living as
 * long as l (they are kept); checked and appended, or -1 naming file and
 * line.  kp_info_row_cells: the cells of row i (without its id, which is
 * i + 1) into cells[], their text in b (reset first). */
int kp_info_take_sub(kp_info_ledger *l, const char *file, size_t ln,
		     char *const *f, kp_err *e);
int kp_info_take_adopt(kp_info_ledger *l, const char *file, size_t ln,
		       char *const *f, kp_err *e);
enum { KP_INFO_SUB_CELLS = 9, KP_INFO_ADOPT_CELLS = 8 };
void kp_info_row_cells(const kp_info_ledger *l, int which, size_t i,
		       kp_buf *b, const char **cells);

const char *kp_info_level_name(int lv);      /* "市级" … ("" none) */

/* info_import.c: a cell of row r beyond the header's ncols, refused
 * naming the sheet and line. */
int kp_info_extra_cell(const kp_sheet *sh, size_t r, size_t ncols,
		       kp_err *e);

#endif
