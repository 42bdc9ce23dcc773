/* catalog/import_int.h — what import.c (rows, output) and header.c (the
 * header row, titles) share: the importer's state.  Private to catalog. */
#ifndef KP_CATALOG_IMPORT_INT_H
#define KP_CATALOG_IMPORT_INT_H

#include "catalog/catalog.h"

#define MAX_LEVELS 4

/* What a column means (header.c places each column). */
enum target {
	T_NONE, T_IGNORE, T_LEVEL, T_POINTS, T_LPOINTS, T_CODE, T_PATH,
	T_RULE, T_PARAMS, T_TEXT, T_GRADE,
	T_SEQ,     /* 序号: numbering, read for levels in a flat list */
	T_EXTRA,   /* a column it could not place: kept as a note */
};

typedef struct column {
	enum target target;
	int arg;
	char *header;   /* as written, normalised */
	bool by_meaning;   /* placed by the words it contains */
} column;

/* A node of the importer's own light tree. */
typedef struct inode {
	char *name;
	int level;
	char *points;          /* as written, NULL when none */
	char *code, *rule, *params;
	kp_buf text[KP_T_COUNT];
	kp_buf grades;
	kp_buf bands;          /* grades=… parameter: "优:10,良:8" */
	bool bands_numeric;    /* every band a number of points */
	kp_num band_top;       /* the highest band */
	size_t *band_rows;     /* rows below it with points and no name */
	size_t nband_rows;
	bool has_children;
	kp_proposal prop;      /* the rule its words propose */
	bool proposed;
	size_t line;           /* where the row is in the sheet */
	size_t gen_line;       /* where it is in the canonical text made */
	bool has_data;
	struct inode *parent;
} inode;

typedef struct importer {
	const kp_sheet *s;
	const kp_import_opts *o;
	column *cols;
	size_t ncols;
	inode **nodes;
	size_t nnodes;
	inode *ctx[MAX_LEVELS + 1];   /* the current node at each level */
	kp_import_report *rep;
	kp_err *e;
	bool have_code;
	bool have_rule;        /* the sheet writes rules itself */
	bool flat;             /* no level column: the name column is level 1 */
	int styles[8];         /* numbering styles, in order of first use */
	int nstyles;
	/* 合计/总分 rows: the total they declare, and where */
	bool has_total;
	char total[64];
	size_t total_row;
	size_t nsub;           /* roots before the last 小计 */
	struct total_check {   /* checked once the rules are known */
		size_t row, from, to;   /* the roots it sums: [from, to) */
		kp_num declared;
		bool sub;
	} checks[16];
	size_t nchecks;
	char *docno, *year;
} importer;

/* header.c */
/* A header cell as compared: blanks squeezed, a trailing （分） dropped.
 * Caller frees. */
char *imp_norm_header(const char *s);
/* Refuse --map pairs that are not "header=meaning". */
int imp_check_maps(importer *im);
/* The header row among the first 30, or -1. */
long imp_find_header(importer *im);
/* Place every column of header row r (fills im->cols). */
int imp_read_header(importer *im, size_t r);
/* The rows above the header: title (returned, owned), docno and year. */
char *imp_title_rows(importer *im, size_t hdr);

/* import.c */
/* A line of the report for sheet row `row`: "file:line: …". */
__attribute__((format(printf, 3, 4)))
void imp_unplaced(importer *im, size_t row, const char *fmt, ...);
size_t imp_ar_digits(const char *p);
/* Numbering styles at the start of a name or in a 序号 cell. */
enum { NUM_NONE, NUM_ZH, NUM_ZH_PAREN, NUM_AR_PAREN, NUM_CIRCLED,
       NUM_ARABIC /* + depth - 1 */ };
/* The numbering style at the start of s (一、 （一） (1) ① 1. 1.1) and its
 * length with what follows it; whole: s is a 序号 cell, where a bare "1"
 * or "一" is a number too.  NUM_NONE when there is none. */
int imp_numbering(const char *s, bool whole, size_t *len);
/* A row with more cells than the header (im->ncols): -1 with e, "file:
 * line: …", naming the first extra cell. */
int imp_extra_cells(importer *im, size_t r);

/* import_kinds.c */
/* The other tables offices publish, by their shape: a quota table (单位 +
 * 市级/省级采用任务) becomes kind quota, a point standard written as
 * numbered rules (序号 / 计分规则 / 备注, or the rules alone) kind
 * schedule.  1 with *out when the sheet is one of them, 0 when it is not
 * (import it as indicators), -1 with im->e. */
int imp_other_kinds(importer *im, kp_table **out);

#endif
