/* round/round_int.h — what the files of src/round share: the opened
 * round (struct kp_rnd) and its helpers.  Not for front ends. */
#ifndef KP_ROUND_INT_H
#define KP_ROUND_INT_H

#include "round/round.h"

/* A round opened for work: its store, its tables, its units. */
struct kp_rnd {
	char *conn;              /* for the scorers' own connections */
	kp_store *db;
	kp_round round;
	kp_table **tables;       /* the round's tables, by position */
	size_t ntables;
	/* the round's units: names, and every spelling → index */
	char **names, **types, **tags, **aliases, **aliases_split;
	uint64_t *utabs;         /* per unit: bit k = assessed on table k */
	size_t nunits, capunits;
	struct kp_rnd_spelling {
		const char *s;
		size_t unit;
	} *sp;
	size_t nsp, capsp;
	kp_combine_rule combine; /* how its tables' results combine */
	kp_score_ctx ctx;        /* shared by the tables */
	kp_buf notes;
	bool timing;             /* kp_rnd_timing: measure the engine */
};

static inline bool kp_rnd_on_table(const kp_rnd *v, size_t unit, size_t k)
{
	return (v->utabs[unit] >> k) & 1;
}

/* Read the round's record again (open.c). */
int kp_rnd_refresh(kp_rnd *v, kp_err *e);
/* Fill l's replaced_by and reason from its facts (facts_withdraw.c). */
int kp_rnd_facts_fates(kp_rnd *v, kp_rnd_facts *l, kp_err *e);
/* A registry of unit i alone, for the engine (open.c). */
int kp_rnd_one_unit_registry(const kp_rnd *v, size_t i, kp_units **out,
			     kp_err *e);
/* Re-read the round's table sources: with facts recorded a changed
 * table is refused (KP_EINPUT); without, the round takes the new text
 * and says so in its notes (open.c). */
int kp_rnd_check_tables(kp_rnd *v, const char *who, kp_err *e);
/* Score unit i on each of its tables into r[k] (NULL for the others;
 * all freed by the caller, also on failure); through sc[k] with flags
 * when sc is given.  *cpu adds the time inside the engine (score.c). */
int kp_rnd_score_tables(kp_rnd *v, kp_scorer *const *sc, int flags,
			size_t i, const kp_facts *fs, kp_facts *sub, bool reg,
			kp_result **r, double *cpu, kp_err *e);
/* The parts of unit i's results r, in position order (score.c). */
size_t kp_rnd_parts_of(const kp_rnd *v, kp_result *const *r, kp_part *p);
/* Each of the round's tables indexed once; free each after (score.c). */
void kp_rnd_scorers_new(const kp_rnd *v, kp_scorer **sc);
void kp_rnd_scorers_free(const kp_rnd *v, kp_scorer **sc);
/* The canonical name of the round's unit called want (name or alias),
 * malloc'd into *out; KP_RND_ENOTFOUND when none (inspections.c). */
int kp_rnd_resolve_unit(kp_store *db, const kp_round *rd, const char *want,
			char **out, kp_err *e);
/* The round's closest spellings of an unknown unit (names, aliases), or
 * of an unknown indicator in unit's tables (paths, last-level names), as
 * "您是不是指 甲、乙？" appended to out; nothing when none is near
 * (suggest.c). */
void kp_rnd_suggest_unit(const kp_rnd *v, const char *want, kp_buf *out);
void kp_rnd_suggest_indicator(const kp_rnd *v, size_t unit, const char *want,
			      kp_buf *out);
/* The node of unit's tables whose last-level name is name: 1 with *nd
 * (borrowed) and *table, 0 when none, -1 (KP_EINPUT naming the places)
 * when several (suggest.c). */
int kp_rnd_indicator_by_name(const kp_rnd *v, size_t unit, const char *name,
			     const kp_node **nd, size_t *table, kp_err *e);
/* Remove from j's "findings" (a stored inspection's JSON) what must not
 * become a fact: false alarms, and content.* findings no person has
 * confirmed (review.c). */
int kp_rnd_facts_filter(kp_store *db, const kp_inspection *in,
			struct json_t *j, kp_err *e);
/* kp_num as "12.50" in JSON. */

#endif
