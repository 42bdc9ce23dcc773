/* ledger/info_int.h — what info.c (load, save, import) and info_stats.c
 * (statistics, duplicates, facts) share.  Not a public header. */
#ifndef KP_INFO_INT_H
#define KP_INFO_INT_H

#include "ledger/ledger.h"

#define INFO_NODATE INT32_MIN

enum { LV_NONE = 0, LV_CITY = 1, LV_PROV = 2, LV_NATION = 3 };
enum { RQ_NONE = 0, RQ_YUEGAO = 1, RQ_FEEDBACK = 2 };

/* A base row of the schedule: a publication and what one item is worth. */
typedef struct info_pub {
	const char *code, *name;   /* borrowed from the schedule table */
	size_t namelen;
	char *norm;                /* normalised name, for matching */
	int level;                 /* LV_CITY or LV_PROV */
	bool per_issue;            /* per 期, not per 条 */
	kp_num points;
	int bonus_upstream;        /* index of its "adopted again" bonus, -1 */
} info_pub;

/* A bonus row: a leader's instruction at a level, or adopted again. */
typedef struct info_bonus {
	bool upstream;             /* else instruction */
	int level;                 /* instruction: publications of this level */
	kp_num points;
} info_bonus;

typedef struct info_quota {
	const char *unit;          /* canonical (borrowed from the registry) */
	kp_num city, prov;
} info_quota;

/* What a sheet (政务信息工作考评表) needs from the ledger. */
typedef struct info_sheet {
	kp_table *t;
	const char *applies;       /* of its first root with one */
	int monthly_min;
	const char *code_min, *code_dup, *code_urgent, *code_feedback,
		*code_false, *code_tiered;
} info_sheet;

typedef struct info_rslot {
	const char *key, *canon, *type;
} info_rslot;

struct kp_info_rules {
	kp_units *units;
	kp_table *utab;            /* the registry's table, for rmap */
	info_rslot *rmap;          /* spelling → canonical, open addressing */
	size_t rcap;
	char **owned;              /* alias spellings rmap points at */
	size_t nowned;
	kp_table *schedule, *quota;
	info_pub *pubs;
	size_t npubs;
	info_bonus *bonus;
	size_t nbonus;
	info_quota *quotas;
	size_t nquotas;
	info_sheet *sheets;
	size_t nsheets;
};

typedef struct info_sub {
	uint32_t unit, line;
	int32_t date, due;         /* days since 1970-01-01, or INFO_NODATE */
	uint8_t urgent, request, false_info;
	const char *title, *category, *note;
	/* normalised title: code points in l->norm[noff .. noff+nlen) */
	uint32_t noff, nlen;
	uint64_t hash, mask[2];
} info_sub;

typedef struct info_adopt {
	uint32_t item, pub, line;  /* item: index of the submission */
	int32_t date;
	uint8_t pishi, upstream;
	const char *issue, *pishi_by, *note;
} info_adopt;

typedef struct info_umap_slot {
	const char *key;           /* spelling (owned by l->owned or a unit) */
	uint32_t unit;
} info_umap_slot;

struct kp_info_ledger {
	const kp_info_rules *r;
	/* interned units: canonical names, their type and sheet */
	char **unames;
	const char **utypes;
	int *usheet;
	size_t nunits, capunits;
	info_umap_slot *umap;      /* spelling → unit, open addressing */
	size_t umap_cap, umap_n;
	info_sub *s;
	size_t ns, caps, loaded_s;
	info_adopt *a;
	size_t na, capa, loaded_a;
	int32_t *norm;
	size_t nnorm, capnorm;
	kp_buf raw[2];             /* the files as read; loaded strings point in */
	char **owned;              /* strings of added rows */
	size_t nowned, capowned;
	char **spell;              /* unit spellings umap points at */
	size_t nspell, capspell;
};

/* info.c */
int info_unit(kp_info_ledger *l, const char *spelling);   /* -1 unknown */
int info_sheet_of(const kp_info_ledger *l, const char *canonical);  /* -1 */
void info_sub_norm(kp_info_ledger *l, info_sub *s);
uint64_t info_hash(const void *p, size_t n, uint64_t h);

/* info_stats.c */
size_t info_title_norm(const char *s, int32_t *out, size_t max);
bool info_near(const int32_t *a, size_t na, const int32_t *b, size_t nb);
const char *info_level_name(int lv);

#endif
