/*
 * store — evaluations that last: one interface, SQLite by default,
 * PostgreSQL when several users share a database.
 *
 * Opening.  kp_store_open takes a connection string and picks the backend:
 *
 *	kaoping.db, ./x/y.db, sqlite:PATH      SQLite, one file
 *	postgresql://user@host:5432/db         PostgreSQL through libpq
 *	postgres://…, "host=… dbname=…"        (any libpq conninfo)
 *
 * Opening applies the schema migrations compiled into the binary
 * (numbered, each in its own transaction, recorded in schema_version), so
 * a database made by an older kaoping is brought up to date and one made
 * by a newer kaoping is refused.  SQLite runs in WAL mode with foreign
 * keys on and a busy timeout; a SQLite file that does not exist is created
 * only with KP_STORE_CREATE (read commands must not litter empty files).
 *
 * What is kept.
 *	scheme   the canonical text of an indicator table, by id and hash
 *	         (kp_table_write output), so a round scores with exactly the
 *	         table it was created with;
 *	round    one evaluation (a year or a quarter) on one scheme, with the
 *	         registry its units came from, the source the table was
 *	         opened from and the hash it had then;
 *	unit     the round's units: canonical name, type, aliases;
 *	fact     append-only: a correction is a new fact with a higher seq;
 *	         the old one stays in the history.  Facts come in batches
 *	         (one file, one author, one time);
 *	result   the latest totals and ranks of a round (replaced as a whole
 *	         by each scoring);
 *	audit    who did what to which round and when.
 *
 * Transactions.  Every mutating call is one transaction: it all happens
 * or none of it does, whatever kills the process in between.  Writers
 * serialise (SQLite BEGIN IMMEDIATE with a busy timeout; PostgreSQL
 * transactions), so two processes adding facts to one round at once both
 * succeed and lose nothing.  Validation is the caller's job and comes
 * first: the store refuses only what the schema refuses (an unknown unit,
 * a round that does not exist) and never half-stores a batch.
 *
 * Ownership.  A kp_store is made by kp_store_open and freed by
 * kp_store_close.  Structs filled by the store (kp_round) own their
 * strings; kp_round_release frees them.  Rows handed to a callback
 * (facts, results, units, audit) are borrowed and live only during the
 * call: copy what you keep (kp_facts_add copies a fact).  A callback
 * returns 0 to go on, -1 to stop with its kp_err filled.
 *
 * Errors follow base.h: -1 with a Chinese message naming the database;
 * KP_EINPUT for what the user asked wrongly (no such round), KP_EIO for
 * what the database did (locked, gone, constraint).
 */
#ifndef KP_STORE_H
#define KP_STORE_H

#include "base/base.h"
#include "score/score.h"

typedef struct kp_store kp_store;

enum { KP_STORE_CREATE = 1 };

int kp_store_open(const char *conn, int flags, kp_store **out, kp_err *e);
void kp_store_close(kp_store *s);
const char *kp_store_backend(const kp_store *s);   /* "sqlite", "postgresql" */
const char *kp_store_where(const kp_store *s);     /* for messages */
int kp_store_schema_version(kp_store *s, int *out, kp_err *e);
/* The highest migration this binary knows. */
int kp_store_schema_latest(void);

/* ---- rounds ---- */

typedef struct kp_round {
	int64_t id;
	char *name;         /* unique: "2016-pzh2016-gk" */
	char *period;       /* "2016", "2016Q3" */
	char *table_id;
	char *table_source; /* what the table was opened from (id or path) */
	char *table_hash;   /* hash of the canonical text at creation */
	char *registry;     /* registry id or file the units came from */
	char *created_at;
	char *created_by;
	int64_t nunits, nfacts, nresults;
	int64_t last_seq;   /* highest fact seq, 0 when none */
	int64_t scored_seq; /* last_seq when results were computed; -1: never */
} kp_round;

void kp_round_release(kp_round *r);

typedef struct kp_round_spec {
	const char *name, *period;
	const char *table_id, *table_source, *table_title, *table_text;
	const char *registry;
	const char *author;
	/* units: canonical name, type, aliases and tags as the registry
	 * writes them ("、"-joined); types, aliases, tags may be NULL */
	const char *const *unit_names;
	const char *const *unit_types;
	const char *const *unit_aliases;
	const char *const *unit_tags;
	size_t nunits;
} kp_round_spec;

/* Create a round with its scheme and units, and an audit row, in one
 * transaction.  A round of the same name is refused (KP_EINPUT). */
int kp_store_round_new(kp_store *s, const kp_round_spec *spec,
		       int64_t *id, kp_err *e);
/* The round named name, or the newest round when name is NULL. */
int kp_store_round_get(kp_store *s, const char *name, kp_round *out,
		       kp_err *e);
/* The canonical table text the round scores with; appended to out. */
int kp_store_round_table(kp_store *s, int64_t round, kp_buf *out,
			 kp_err *e);
/* Replace the round's scheme by text (same table id) and record hash:
 * allowed only while the round has no facts (else KP_EINPUT). */
int kp_store_round_retable(kp_store *s, int64_t round, const char *text,
			   const char *hash, const char *author, kp_err *e);

typedef int (*kp_round_fn)(void *ctx, const kp_round *r, kp_err *e);
int kp_store_rounds_each(kp_store *s, kp_round_fn fn, void *ctx, kp_err *e);

/* ---- units ---- */

typedef int (*kp_unit_fn)(void *ctx, const char *name, const char *type,
			  const char *aliases, const char *tags, kp_err *e);
int kp_store_units_each(kp_store *s, int64_t round, kp_unit_fn fn,
			void *ctx, kp_err *e);

/* ---- facts ---- */

/* Append facts (f->unit must be a canonical unit name of the round) as
 * one batch from file by author, with an audit row, in one transaction.
 * Returns the number stored, or -1 and nothing stored. */
int kp_store_facts_add(kp_store *s, int64_t round, const char *file,
		       const char *author, const kp_facts *fs, kp_err *e);

/* The same, written as it is read, for batches too big to hold (a
 * national round's 1.5 million facts): begin opens the transaction (a
 * writer's lock until commit or abort) and the batch; each add stores one
 * fact (an unknown unit: KP_EINPUT naming file and the fact's line);
 * commit records the count and the audit row and commits, returning the
 * number stored; abort rolls everything back.  Commit and abort free the
 * batch, whatever happens; after a failed add, abort.  Memory stays
 * bounded by the round's units, not the batch. */
typedef struct kp_store_batch kp_store_batch;
int kp_store_batch_begin(kp_store *s, int64_t round, const char *file,
			 const char *author, kp_store_batch **out, kp_err *e);
int kp_store_batch_add(kp_store_batch *b, const kp_fact *f, kp_err *e);
size_t kp_store_batch_count(const kp_store_batch *b);
int kp_store_batch_commit(kp_store_batch *b, kp_err *e);
void kp_store_batch_abort(kp_store_batch *b);

/* Each fact of the round (of one unit when unit is not NULL), grouped by
 * unit in the round's unit order and in seq order within a unit.  The
 * kp_fact and its strings are borrowed for the call; seq is the fact's
 * place in the round's history. */
typedef int (*kp_fact_fn)(void *ctx, const kp_fact *f, int64_t seq,
			  kp_err *e);
int kp_store_facts_each(kp_store *s, int64_t round, const char *unit,
			kp_fact_fn fn, void *ctx, kp_err *e);

/* The same for one part of the round: the units are cut, in their
 * order, into nparts slices of (nearly) equal count, and this reads the
 * facts of slice part (0-based).  Each part read on its own connection
 * lets several threads score one round at once.  With KP_FACTS_LEAN the
 * provenance (author, time, url, note, line) is left "" and 0: what
 * totals need, read faster. */
enum { KP_FACTS_LEAN = 1 };
int kp_store_facts_each_part(kp_store *s, int64_t round, int part,
			     int nparts, int flags, kp_fact_fn fn, void *ctx,
			     kp_err *e);

/* ---- results ---- */

typedef struct kp_store_result {
	const char *unit;     /* canonical name */
	kp_num total;
	bool has_self;
	kp_num self_total;
	bool vetoed;
	const char *outcome;  /* "" when none */
	const char *convert;  /* "deduct:2" …; "" or NULL when none */
	kp_num converted;     /* points deducted or earned by conversion */
	int64_t rank;
} kp_store_result;

/* Replace the round's results by v[0..n) computed from the facts up to
 * seq, with an audit row, in one transaction. */
int kp_store_results_put(kp_store *s, int64_t round, int64_t seq,
			 const kp_store_result *v, size_t n,
			 const char *author, kp_err *e);
/* Results by rank (then unit order); unit NULL for all. */
typedef int (*kp_result_fn)(void *ctx, const kp_store_result *r,
			    kp_err *e);
int kp_store_results_each(kp_store *s, int64_t round, const char *unit,
			  kp_result_fn fn, void *ctx, kp_err *e);

/* ---- audit ---- */

typedef struct kp_audit {
	int64_t id;
	const char *at, *who, *round, *action, *detail;
} kp_audit;

int kp_store_audit(kp_store *s, int64_t round, const char *who,
		   const char *action, const char *detail, kp_err *e);
/* Audit rows oldest first; round 0 for every round. */
typedef int (*kp_audit_fn)(void *ctx, const kp_audit *a, kp_err *e);
int kp_store_audit_each(kp_store *s, int64_t round, kp_audit_fn fn,
			void *ctx, kp_err *e);

/* ---- helpers ---- */

/* A stable 64-bit fingerprint of text, as 16 hex digits. buf >= 17. */
const char *kp_store_hash(const char *text, size_t n, char *buf);
/* Now, UTC, "2026-11-22T05:06:07Z".  buf >= 24. */
const char *kp_store_now(char *buf);

#endif
