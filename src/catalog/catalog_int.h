/*
 * Internal to src/catalog; not part of the public surface (catalog.h).
 *
 * The files depend one way:
 *	parse.c (CSV → table, bundled, open) → table.c (name tables,
 *	    freeing, look-ups) → rules.c (rule kinds as rows, their params
 *	    and checks) → findings.c (lint findings)
 *	parse.c → rules.c (params parsed once the rules are known)
 *	write.c (table → CSV, comparing) → table.c
 *	lint.c → rules.c, findings.c, scheme.c;  scheme.c → parse.c, table.c
 *	units.c → parse.c, table.c
 * import.c and export.c sit on top of parse.c and write.c.
 */
#ifndef KP_CATALOG_INT_H
#define KP_CATALOG_INT_H

#include "catalog/catalog.h"

/* ---- the name tables of the format (table.c) ---- */

/* Columns of an indicator table, in canonical order.  The first five are
 * structural; the rest map to kp_node.text[]. */
enum { KP_COL_CODE, KP_COL_PATH, KP_COL_POINTS, KP_COL_RULE, KP_COL_PARAMS,
       KP_COL_TEXT0 };
#define KP_N_IND_COLS 13
extern const char *const kp_ind_cols[KP_N_IND_COLS];

/* Columns of the record kinds; required ones first, marked with '*'. */
typedef struct kp_kind_def {
	const char *name;
	const char *cols[12];
	const char *numeric[4];   /* columns that must hold numbers */
} kp_kind_def;
#define KP_N_KINDS 5
extern const kp_kind_def kp_kinds[KP_N_KINDS];

/* The #meta keys a table may have, NULL-terminated. */
extern const char *const kp_meta_keys[];

/* Free node n and what it owns (not its children: each is freed as a
 * node of its table). */
void kp_node_free(kp_node *n);

/* Append a finding of kind about code (NULL: "") at line, message
 * printf-style; known when kind is "quirk" or t (may be NULL) lists
 * "KIND CODE" or "KIND *" in #meta,known. */
void kp_findings_add(kp_findings *f, const kp_table *t, const char *kind,
		     const char *code, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Check n->params against its rule's row (unknown keys refused, in the
 * order written) and parse them into n->args.  Errors "file:line: …". */
int kp_rule_args_parse(kp_node *n, const char *file, kp_err *e);
/* Free what n->args owns (tiers, split); zeroes it. */
void kp_rule_args_release(kp_rule_args *a);

#endif
