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
 *
 * with its source (self 自评, assessor 考核, inspect 检测, ledger 台账),
 * author, time and evidence (URL, note).  The file forms (CSV with a
 * header row, and JSON) are documented in docs/facts.md.
 *
 * Ownership: a kp_fact owns its strings (kp_fact_release frees them); a
 * kp_facts list owns its facts.
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
} kp_fact;

typedef struct kp_facts {
	kp_fact *v;
	size_t n, cap;
} kp_facts;

void kp_fact_release(kp_fact *f);
void kp_facts_release(kp_facts *fs);
/* Append a deep copy of f. */
void kp_facts_add(kp_facts *fs, const kp_fact *f);

const char *kp_fact_kind_name(kp_fact_kind k);     /* "score" … */
const char *kp_source_name(kp_source s);           /* "self" … */
const char *kp_source_label(kp_source s);          /* "自评" … */
int kp_fact_kind_parse(const char *s, kp_fact_kind *out);  /* en or zh */
int kp_source_parse(const char *s, kp_source *out);        /* en or zh */

/* Read facts from a CSV (header row; columns unit, indicator, kind, name,
 * value, source, author, time, url, note — see docs/facts.md) or a JSON
 * array of objects with the same keys, chosen by content.  Appends to out
 * only when the whole file is valid; else nothing and e says file:line. */
int kp_facts_parse(const char *name, const char *data, size_t n,
		   kp_facts *out, kp_err *e);

#endif
