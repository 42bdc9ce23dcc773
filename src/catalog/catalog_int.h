/*
 * Internal to src/catalog; not part of the public surface (catalog.h).
 *
 * The files depend one way:
 *	table.c (parse, write, find) → rules.c (rule kinds as rows, their
 *	params and checks) → findings.c (lint findings)
 *	lint.c → rules.c, findings.c, scheme.c;  scheme.c → table.c
 * import.c and export.c sit on top of table.c.
 */
#ifndef KP_CATALOG_INT_H
#define KP_CATALOG_INT_H

#include "catalog/catalog.h"

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
