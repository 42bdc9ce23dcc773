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
 *	schemes  the canonical text of a catalog table, by id and hash
 *	         (kp_table_write output): each indicator table a round
 *	         scores with, and the scheme that listed them, so a round
 *	         scores with exactly the tables it was created with (the
 *	         SQL table keeps its first name, "schemes");
 *	round    one evaluation (a year or a quarter) on one scheme: one
 *	         or several indicator tables (round_tables: position,
 *	         label, applies, weight, source, hash) and the rule that
 *	         combines them, with the registry its units came from;
 *	unit     the round's units: canonical name, type, aliases, website
 *	         (the registry's, as the round was created), and the
 *	         positions of the tables it is assessed on;
 *	fact     append-only: a correction is a new fact with a higher seq;
 *	         the old one stays in the history.  Each names its table.
 *	         Facts come in batches (one file, one author, one time);
 *	result   the latest totals and ranks of a round (replaced as a whole
 *	         by each scoring); in a round of several tables also each
 *	         table's result (result_parts);
 *	audit    who did what to which round and when;
 *	inspection  append-only: one website inspection of a round's unit
 *	         (site, as-of day, times, pages, the inspector's JSON) with
 *	         its findings, each with a stable key (check + key) so that
 *	         a re-inspection is compared with the one before it;
 *	ledgers  the 政务信息 ledger and the task-progress ledgers, a row per
 *	         row of their CSV files (see "ledgers" below), append-only.
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

/* One indicator table of a round, in scheme order (pos 0, 1 …). */
typedef struct kp_round_table {
	char *table_id;
	char *title;
	char *source;       /* what it was opened from (id or path) */
	char *hash;         /* hash of the canonical text at creation */
	char *label;        /* its name in the combination; "" one table */
	char *applies;      /* the scheme row's applies cell; "" none */
	bool has_weight;
	kp_num weight;
} kp_round_table;

typedef struct kp_round {
	int64_t id;
	char *name;         /* unique: "2016-pzh2016-gk" */
	char *period;       /* "2016", "2016Q3" */
	char *table_id;     /* the first table's (tables[0]) */
	char *table_source;
	char *table_hash;
	char *scheme;       /* scheme id ("pzh2016"); "" for one table */
	char *scheme_source;
	char *combine;      /* "sum", "weighted"; "" for one table */
	kp_round_table *tables;
	size_t ntables;
	char *registry;     /* registry id or file the units came from */
	char *created_at;
	char *created_by;
	int64_t nunits, nfacts, nresults;
	int64_t last_seq;   /* highest fact seq, 0 when none */
	int64_t scored_seq; /* last_seq when results were computed; -1: never */
} kp_round;

void kp_round_release(kp_round *r);

/* A table of a new round (see kp_round_table). */
typedef struct kp_round_spec_table {
	const char *table_id, *title, *source, *text;
	const char *label, *applies;
	bool has_weight;
	kp_num weight;
} kp_round_spec_table;

typedef struct kp_round_spec {
	const char *name, *period;
	/* one table: table_* below, tables NULL; several: tables[0..ntables)
	 * and the scheme that lists them */
	const char *table_id, *table_source, *table_title, *table_text;
	const kp_round_spec_table *tables;
	size_t ntables;
	const char *scheme, *scheme_source, *scheme_title, *scheme_text;
	const char *combine;
	const char *registry;
	const char *author;
	/* units: canonical name, type, aliases and tags as the registry
	 * writes them ("、"-joined); types, aliases, tags may be NULL.
	 * unit_tables[i]: the positions of the tables unit i is assessed
	 * on, ","-joined ("0,2"); NULL: every unit on table 0 */
	const char *const *unit_names;
	const char *const *unit_types;
	const char *const *unit_aliases;
	const char *const *unit_tags;
	const char *const *unit_tables;
	size_t nunits;
	/* the registry's website column of each unit ("" none); NULL: none
	 * known (kp_store_unit.website reads "") */
	const char *const *unit_websites;
} kp_round_spec;

/* Create a round with its tables and units, and an audit row, in one
 * transaction.  A round of the same name is refused (KP_EINPUT). */
int kp_store_round_new(kp_store *s, const kp_round_spec *spec,
		       int64_t *id, kp_err *e);
/* The round named name, or the newest round when name is NULL. */
int kp_store_round_get(kp_store *s, const char *name, kp_round *out,
		       kp_err *e);
/* The canonical text of the round's table at position pos; appended to
 * out. */
int kp_store_round_table(kp_store *s, int64_t round, int pos, kp_buf *out,
			 kp_err *e);
/* Replace the round's table at pos by text (same table id) and record
 * hash: allowed only while the round has no facts (else KP_EINPUT). */
int kp_store_round_retable(kp_store *s, int64_t round, int pos,
			   const char *text, const char *hash,
			   const char *author, kp_err *e);

typedef int (*kp_round_fn)(void *ctx, const kp_round *r, kp_err *e);
int kp_store_rounds_each(kp_store *s, kp_round_fn fn, void *ctx, kp_err *e);

/* ---- units ---- */

typedef struct kp_store_unit {
	const char *name, *type, *aliases, *tags;
	const char *tables;   /* positions of its tables, ","-joined: "0,2" */
	const char *website;  /* the registry's website cell, "" when none */
} kp_store_unit;

typedef int (*kp_unit_fn)(void *ctx, const kp_store_unit *u, kp_err *e);
int kp_store_units_each(kp_store *s, int64_t round, kp_unit_fn fn,
			void *ctx, kp_err *e);

/* ---- facts ---- */

/* Append facts (f->unit must be a canonical unit name of the round;
 * f->table one of its table ids, or "" for the first) as one batch from
 * file by author, with an audit row, in one transaction.  Returns the
 * number stored, or -1 and nothing stored. */
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
 * kp_fact and its strings are borrowed for the call (f->table is the id
 * of its table); seq is the fact's place in the round's history. */
typedef int (*kp_fact_fn)(void *ctx, const kp_fact *f, int64_t seq,
			  kp_err *e);
int kp_store_facts_each(kp_store *s, int64_t round, const char *unit,
			kp_fact_fn fn, void *ctx, kp_err *e);

/* The same for one part of the round: the units are cut, in their
 * order, into nparts slices of (nearly) equal count, and this reads the
 * facts of slice part (0-based).  Each part read on its own connection
 * lets several threads score one round at once.  With KP_FACTS_LEAN the
 * provenance (author, time, url, note, line) is left "" and 0: what
 * totals need, read faster; and each unit's facts carry one unit
 * pointer (the read's own copy of the name, the same for all of them
 * and valid to the read's end), so a caller may tell units apart by
 * the pointer. */
enum { KP_FACTS_LEAN = 1 };
int kp_store_facts_each_part(kp_store *s, int64_t round, int part,
			     int nparts, int flags, kp_fact_fn fn, void *ctx,
			     kp_err *e);

/* The same up to fact number upto (INT64_MAX: all): what one scoring
 * reads, whatever the number of threads, so that facts added meanwhile
 * are in every part or in none (the round's writers are numbered in
 * commit order: each batch holds the round's lock while it writes). */
int kp_store_facts_each_upto(kp_store *s, int64_t round, int part,
			     int nparts, int flags, int64_t upto,
			     kp_fact_fn fn, void *ctx, kp_err *e);

/* The lean read of kp_store_facts_each_upto a unit at a time: what a
 * scorer wants.  fn gets each unit of the part that has facts up to
 * upto, in the round's unit order, with its facts in seq order (each
 * fact's unit is unit); unit, fs and their strings are the read's,
 * valid for the call, and fn may change the facts in fs (not their
 * strings: to point them at its own copies of unit and table, say). */
typedef int (*kp_unit_facts_fn)(void *ctx, const char *unit, kp_facts *fs,
				kp_err *e);
int kp_store_unit_facts_upto(kp_store *s, int64_t round, int part,
			     int nparts, int64_t upto, kp_unit_facts_fn fn,
			     void *ctx, kp_err *e);

/* Every reader above gives each fact its identity and history: period,
 * inspection, batch, seq and withdrawn (the number of its withdrawal up
 * to the read's upto, 0 none); withdrawals themselves are not handed
 * out as facts (kp_store_withdrawals_each lists them). */

/* The round's last entry in its fact history (a fact or a withdrawal),
 * 0 when none; and how many entries came after seq. */
int kp_store_facts_last(kp_store *s, int64_t round, int64_t *seq, kp_err *e);
int kp_store_facts_after(kp_store *s, int64_t round, int64_t seq,
			 int64_t *n, kp_err *e);

/* Withdraw facts seq[0..n) of the round for reason, by author: each an
 * entry of the fact history of its own (a number of its own; the fact
 * stays), with an audit row, in one transaction.  A number that is not
 * a fact of the round, or is withdrawn already, is KP_EINPUT and nothing
 * is stored. */
int kp_store_facts_withdraw(kp_store *s, int64_t round, const int64_t *seq,
			    size_t n, const char *reason, const char *author,
			    kp_err *e);

typedef struct kp_withdrawal {
	int64_t seq;        /* the withdrawal's own number */
	int64_t fact;       /* the fact withdrawn */
	const char *author, *at, *reason;
} kp_withdrawal;

typedef int (*kp_withdrawal_fn)(void *ctx, const kp_withdrawal *w,
				kp_err *e);
/* The round's withdrawals, oldest first; borrowed for the call. */
int kp_store_withdrawals_each(kp_store *s, int64_t round,
			      kp_withdrawal_fn fn, void *ctx, kp_err *e);

/* ---- results ---- */

/* One table's result for a unit in a round of several tables. */
typedef struct kp_store_part {
	int64_t pos;          /* the table's position in the round */
	kp_num total;
	bool has_self;
	kp_num self_total;
	bool vetoed;
	const char *outcome;  /* "" when none */
	const char *convert;  /* "deduct:2" …; "" or NULL when none */
	kp_num converted;
	kp_num value;         /* what it adds to the combination */
} kp_store_part;

typedef struct kp_store_result {
	const char *unit;     /* canonical name */
	kp_num total;         /* the combined result in a round of several */
	bool has_self;
	kp_num self_total;
	bool vetoed;
	const char *outcome;  /* "" when none */
	const char *convert;  /* "deduct:2" …; "" or NULL when none */
	kp_num converted;     /* points deducted or earned by conversion */
	int64_t rank;
	const kp_store_part *parts;   /* per table; none for one table */
	size_t nparts;
	int64_t pending;      /* nodes still pending (未评); 0: complete */
	bool has_max;
	kp_num max;           /* 满分 (one table: its maximum for the unit;
				 several: the sum of the parts' maxima) */
	const char *veto_node;  /* the veto row that fired: "code 名称"; ""
				   or NULL none */
} kp_store_result;

/* Replace the round's results by v[0..n) computed from the facts up to
 * seq, with an audit row, in one transaction. */
int kp_store_results_put(kp_store *s, int64_t round, int64_t seq,
			 const kp_store_result *v, size_t n,
			 const char *author, kp_err *e);
/* The same in two steps, so that the old results go while the new ones
 * are computed (on other connections: s is busy in between): begin
 * opens the write transaction and deletes the round's results, commit
 * writes v (as kp_store_results_put) and commits, abort rolls back.
 * Either of these ends t (commit also on failure). */
typedef struct kp_store_results_tx kp_store_results_tx;
int kp_store_results_begin(kp_store *s, int64_t round,
			   kp_store_results_tx **out, kp_err *e);
int kp_store_results_commit(kp_store_results_tx *t, int64_t seq,
			    const kp_store_result *v, size_t n,
			    const char *author, kp_err *e);
void kp_store_results_abort(kp_store_results_tx *t);
/* Results by rank (then unit order); unit NULL for all. */
typedef int (*kp_result_fn)(void *ctx, const kp_store_result *r,
			    kp_err *e);
int kp_store_results_each(kp_store *s, int64_t round, const char *unit,
			  kp_result_fn fn, void *ctx, kp_err *e);
/* The per-table results (of one unit when unit is not NULL), by unit in
 * the round's order, then by table position. */
typedef int (*kp_part_fn)(void *ctx, const char *unit,
			  const kp_store_part *p, kp_err *e);
int kp_store_parts_each(kp_store *s, int64_t round, const char *unit,
			kp_part_fn fn, void *ctx, kp_err *e);

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
/* The number of the round's audit rows.  Every change to a round (its
 * facts and withdrawals, a scoring, a table replaced, publishing …)
 * commits an audit row with it and the log is append-only, so the count
 * grows with each committed change: a cheap stamp to key what was read
 * of the round (an index range; the web server's caches). */
int kp_store_audit_count(kp_store *s, int64_t round, int64_t *n, kp_err *e);

/* ---- inspections ---- */

/* One finding of an inspection; strings borrowed.  (check, key) is its
 * identity across inspections of one site (see kp_inspect_finding_keys) and is
 * unique within an inspection. */
typedef struct kp_store_finding {
	int64_t ord;        /* place in its inspection, from 1 */
	const char *check, *key, *severity, *message, *url, *snippet;
	const char *time;   /* the evidence's day, "2024-06-30" */
} kp_store_finding;

typedef struct kp_inspection_spec {
	const char *unit;           /* canonical name of a unit of the round */
	const char *site;           /* the homepage as inspected */
	const char *as_of;          /* "2024-06-30" */
	const char *started_at, *finished_at;   /* kp_store_now() form */
	int64_t pages;
	const char *summary;        /* the inspection's JSON text */
	const char *author;
	const kp_store_finding *findings;       /* ord is ignored */
	size_t nfindings;
	/* a scheduled inspection: the job it does (0 none), closed in the
	 * same transaction if still worker's; otherwise nothing is stored,
	 * *job_lost is set and the call fails (KP_EINPUT) */
	int64_t job;
	const char *worker;
	bool *job_lost;
} kp_inspection_spec;

/* Store an inspection of the round's unit with its findings and an
 * audit row, in one transaction; *id is its number.  An unknown unit or
 * a (check, key) twice is refused (KP_EINPUT) and nothing is stored. */
int kp_store_inspection_add(kp_store *s, int64_t round,
			    const kp_inspection_spec *sp, int64_t *id,
			    kp_err *e);

/* A stored inspection; owns its strings (kp_inspection_release). */
typedef struct kp_inspection {
	int64_t id;
	int64_t round_id;
	char *round, *unit, *site, *as_of, *started_at, *finished_at, *author;
	int64_t pages, nfindings;
	char *summary;       /* the JSON; NULL from kp_store_inspections_each */
	int64_t previous;    /* the inspection stored before it for the same
			      * round, unit and site; 0 when none */
} kp_inspection;

void kp_inspection_release(kp_inspection *in);
/* Inspection number id (KP_EINPUT when there is none). */
int kp_store_inspection_get(kp_store *s, int64_t id, kp_inspection *out,
			    kp_err *e);
/* The newest inspection (by its as_of day, then number) of the homepage
 * site (also written with or without its trailing slash), in any round,
 * with as_of <= as_of ("2024-06-30"), summary included: 1 and *out
 * filled (kp_inspection_release), 0 when there is none, -1. */
int kp_store_inspection_latest(kp_store *s, const char *site,
			       const char *as_of, kp_inspection *out,
			       kp_err *e);
/* The inspections of the round (of one unit when unit is not NULL),
 * oldest first; the kp_inspection is borrowed for the call. */
typedef int (*kp_inspection_fn)(void *ctx, const kp_inspection *in,
				kp_err *e);
int kp_store_inspections_each(kp_store *s, int64_t round, const char *unit,
			      kp_inspection_fn fn, void *ctx, kp_err *e);
/* The findings of one inspection, in their order. */
typedef int (*kp_finding_fn)(void *ctx, const kp_store_finding *f,
			     kp_err *e);
int kp_store_findings_each(kp_store *s, int64_t inspection, kp_finding_fn fn,
			   void *ctx, kp_err *e);

/* Inspection id against an earlier one, prev, by (check, key): fn sees
 * each finding of id that prev lacks (KP_FINDING_NEW, in id's order),
 * then each finding of prev that id lacks (KP_FINDING_FIXED, in prev's
 * order); *still counts the findings in both. */
enum { KP_FINDING_NEW = 1, KP_FINDING_FIXED = 2 };
typedef int (*kp_change_fn)(void *ctx, int change, const kp_store_finding *f,
			    kp_err *e);
int kp_store_findings_compare(kp_store *s, int64_t id, int64_t prev,
			      kp_change_fn fn, void *ctx, int64_t *still,
			      kp_err *e);

/* ---- reviews (reviews.c) ----
 *
 * A person's decision on one finding of a stored inspection: confirmed
 * (it is a problem) or a false alarm (it is not), with a note.  Reviews
 * are appended, never changed: the latest review of a finding counts.
 * A false alarm is remembered for the round's unit by the finding's
 * identity (check and key — for a content finding its URL and text), so
 * later inspections can leave it out. */
#define KP_REVIEW_CONFIRMED "confirmed"
#define KP_REVIEW_FALSE_ALARM "false_alarm"
typedef struct kp_store_review {
	int64_t id, inspection, ord;
	const char *check, *key, *url;
	const char *decision;   /* KP_REVIEW_CONFIRMED or KP_REVIEW_FALSE_ALARM */
	const char *note, *author, *at;
} kp_store_review;

/* Record decision on finding ord (from 1) of inspection, by who, with an
 * audit row, in one transaction; *id is the review's number.  No such
 * inspection or finding, or another decision, is KP_EINPUT. */
int kp_store_review_add(kp_store *s, int64_t inspection, int64_t ord,
			const char *decision, const char *note, const char *who,
			int64_t *id, kp_err *e);
/* The reviews of the round's unit (all units when unit is NULL), oldest
 * first; the strings are borrowed for the call. */
typedef int (*kp_review_fn)(void *ctx, const kp_store_review *r, kp_err *e);
int kp_store_reviews_each(kp_store *s, int64_t round, const char *unit,
			  kp_review_fn fn, void *ctx, kp_err *e);

/* ---- ledgers ----
 *
 * The 政务信息 ledger and the task-progress ledgers (src/ledger) keep
 * their rows here as their CSV files write them, cell for cell and in
 * the files' order: three tables, one row per row of a file, each row
 * numbered (seq, from 1) within its ledger.  A ledger is named by a key:
 * "" for the 政务信息 ledger, the plan's id for a task-progress ledger.
 *
 *	table             seq is      cells (in this order)
 *	info_submissions  its id      unit date title category urgent
 *	                              request due false_info note
 *	info_adoptions    its id      item publication date issue pishi
 *	                              pishi_by upstream note
 *	task_progress     its line    type task unit date status note url
 *
 * The store checks nothing of what the cells say (the ledger validates
 * every row before it writes and again when it reads), only that rows
 * are appended in order: an append names the seq its first row takes,
 * and if another writer appended first the whole append is refused
 * (KP_EINPUT) and nothing is stored.  Rows are never changed or removed
 * (triggers refuse it). */

/* The cell columns of a ledger table, in order, and their count; NULL
 * when table is not one of the three. */
const char *const *kp_store_ledger_cols(const char *table, size_t *ncols);

/* Rows to append to one ledger table: nrows rows of the table's ncols
 * cells each, row-major; the first takes seq first. */
typedef struct kp_store_ledger_rows {
	const char *table;
	int64_t first;
	size_t nrows;
	const char *const *cells;
} kp_store_ledger_rows;

/* Append v[0..n) (several tables of one ledger: the 政务信息 ledger's
 * submissions before its adoptions) and an audit row (action, detail,
 * by who), in one transaction: all of it or none. */
int kp_store_ledger_append(kp_store *s, const char *ledger,
			   const kp_store_ledger_rows *v, size_t n,
			   const char *who, const char *action,
			   const char *detail, kp_err *e);

/* Each row of the ledger's table in seq order; cells borrowed for the
 * call (ncells is the table's column count). */
typedef int (*kp_ledger_row_fn)(void *ctx, int64_t seq,
				const char *const *cells, size_t ncells,
				kp_err *e);
int kp_store_ledger_each(kp_store *s, const char *table, const char *ledger,
			 kp_ledger_row_fn fn, void *ctx, kp_err *e);

/* The number of rows of the ledger in table (its last seq). */
int kp_store_ledger_count(kp_store *s, const char *table, const char *ledger,
			  int64_t *n, kp_err *e);

/* The ledgers' keys of table that have rows, in order; fn sees each key
 * and its number of rows. */
typedef int (*kp_ledger_key_fn)(void *ctx, const char *ledger, int64_t rows,
				kp_err *e);
int kp_store_ledgers_each(kp_store *s, const char *table,
			  kp_ledger_key_fn fn, void *ctx, kp_err *e);

/* ---- accounts, sessions, publication, votes (users.c) ----
 *
 * What the web server keeps (src/web): accounts with a role ("admin",
 * "assessor", "unit") and, for a unit account, the unit's name; the
 * password only as its Argon2id string (the caller hashes); sessions by
 * the hash of their token, never the token; which rounds are published;
 * the public's votes.  Every change has its audit row (who, what, and
 * the detail the caller gives, such as the address it came from). */

typedef struct kp_user {
	int64_t id;
	char *name, *role, *unit, *hash;
	bool disabled;
	int64_t failed;         /* wrong passwords since the last right one */
	int64_t locked_until;   /* unix time; 0: not throttled */
	char *created_at, *created_by;
} kp_user;

void kp_user_release(kp_user *u);
/* A new account; a name taken is KP_EINPUT. */
int kp_store_user_add(kp_store *s, const char *name, const char *role,
		      const char *unit, const char *hash, const char *who,
		      kp_err *e);
/* The account named name: 0 found, 1 none (*out empty), -1 error. */
int kp_store_user_get(kp_store *s, const char *name, kp_user *out,
		      kp_err *e);
/* Every account by name; u borrowed for the call. */
typedef int (*kp_user_fn)(void *ctx, const kp_user *u, kp_err *e);
int kp_store_users_each(kp_store *s, kp_user_fn fn, void *ctx, kp_err *e);
/* Disable the account (and end its sessions); none is KP_EINPUT. */
int kp_store_user_disable(kp_store *s, const char *name, const char *who,
			  kp_err *e);
/* Record a login attempt's outcome: the count of wrong passwords and
 * the time the account is throttled until, with an audit row (action,
 * detail). */
int kp_store_user_attempt(kp_store *s, int64_t user, int64_t failed,
			  int64_t locked_until, const char *action,
			  const char *detail, kp_err *e);

/* A session: its account (joined) and the hash of its CSRF token. */
typedef struct kp_session {
	kp_user user;
	char *csrf;
	int64_t expires;        /* unix time */
} kp_session;

void kp_session_release(kp_session *x);
int kp_store_session_add(kp_store *s, const char *token_hash, int64_t user,
			 const char *csrf_hash, int64_t expires,
			 const char *address, kp_err *e);
/* The session whose token hashes to token_hash: 0 found, 1 none. */
int kp_store_session_get(kp_store *s, const char *token_hash,
			 kp_session *out, kp_err *e);
int kp_store_session_end(kp_store *s, const char *token_hash, kp_err *e);

/* Publish the round (again: nothing changes), with an audit row. */
int kp_store_round_publish(kp_store *s, int64_t round, const char *who,
			   const char *detail, kp_err *e);
int kp_store_round_published(kp_store *s, int64_t round, bool *out,
			     kp_err *e);

/* ---- evidence (evidence.c) ----------------------------------------------
 * Files uploaded for a unit's indicator (佐证材料), append-only.  The
 * store keeps the row; the file itself is the web server's, in its data
 * directory under path.  The unit is the round's canonical name. */
typedef struct kp_evidence {
	int64_t id, round;
	char *unit, *indicator;
	char *name;             /* as the uploader gave it, made safe */
	char *type;             /* media type */
	int64_t size;
	char *sha256, *path, *note, *author, *at;
	char *round_name;       /* filled by get and each */
} kp_evidence;

void kp_evidence_release(kp_evidence *x);
/* Add ev (its id, at ignored) with an audit row (who, detail); *id the
 * new row's.  A unit not in the round is KP_EINPUT. */
int kp_store_evidence_add(kp_store *s, const kp_evidence *ev,
			  const char *detail, int64_t *id, kp_err *e);
/* The evidence numbered id: 0 found, 1 none, -1 error. */
int kp_store_evidence_get(kp_store *s, int64_t id, kp_evidence *out,
			  kp_err *e);
/* The round's evidence for unit (NULL: every unit), oldest first; x
 * borrowed for the call. */
typedef int (*kp_evidence_fn)(void *ctx, const kp_evidence *x, kp_err *e);
int kp_store_evidence_each(kp_store *s, int64_t round, const char *unit,
			   kp_evidence_fn fn, void *ctx, kp_err *e);

/* ---- imported tables (tables.c) -------------------------------------
 * The indicator tables an office imported (web 指标体系): the canonical
 * text (kp_table_write) in schemes by table id and hash, and a row saying
 * from which file, who and when.  Append-only; importing the same text
 * again adds a row that shares the text. */
typedef struct kp_imported {
	int64_t id;
	const char *table_id, *title;
	const char *file, *encoding;   /* the file as uploaded, its encoding */
	int64_t unsure;                /* rules to confirm (需确认) */
	const char *author, *at;
	const char *text;              /* each only: the canonical text */
} kp_imported;

/* Store text as table t->table_id (t's file … author; id, at, text
 * ignored) with an audit row web-table-import (detail), in one
 * transaction; *id the new row's. */
int kp_store_table_import(kp_store *s, const kp_imported *t, const char *text,
			  const char *detail, int64_t *id, kp_err *e);
/* The imported tables oldest first, or only the one numbered id (0:
 * all); t borrowed for the call. */
typedef int (*kp_imported_fn)(void *ctx, const kp_imported *t, kp_err *e);
int kp_store_tables_imported_each(kp_store *s, int64_t id, kp_imported_fn fn,
				  void *ctx, kp_err *e);

/* A public vote in the round by voter (an opaque key) from address:
 * 0 stored; 1 this voter has voted in the round; 2 the address has
 * max_per_address votes in the round already; -1 error. */
int kp_store_vote_add(kp_store *s, int64_t round, const char *voter,
		      const char *address, const char *unit,
		      const char *rating, int64_t max_per_address, kp_err *e);
/* Votes in the round: each unit and rating with its count. */
typedef int (*kp_vote_fn)(void *ctx, const char *unit, const char *rating,
			  int64_t n, kp_err *e);
int kp_store_votes_each(kp_store *s, int64_t round, kp_vote_fn fn,
			void *ctx, kp_err *e);

/* ---- the page cache of incremental inspections (pages.c) ----
 *
 * Per (site, URL), what the last inspection that fetched the page saw:
 * its validators (ETag, Last-Modified: "" none), the body's fingerprint,
 * Content-Type, whether it is a list page (homepage, column: fetched
 * again every time) and its body as text (round deflates and encodes
 * it; size is the body's bytes).  A re-inspection asks the server with
 * the validators and, on 304 Not Modified, reads the kept body again. */
typedef struct kp_store_page {
	char *url, *etag, *last_modified, *hash, *ctype, *body;
	int64_t size;
	bool list;
} kp_store_page;   /* owns its strings (from kp_store_page_get) */

void kp_store_page_release(kp_store_page *p);
/* The row of (site, url): 1 found into *out (release it), 0 none;
 * without body, out->body is "". */
int kp_store_page_get(kp_store *s, const char *site, const char *url,
		      bool body, kp_store_page *out, kp_err *e);
/* Put n rows (strings borrowed), each replacing its (site, url), in one
 * transaction. */
int kp_store_pages_put(kp_store *s, const char *site, const kp_store_page *v,
		       size_t n, kp_err *e);
/* The site's list pages are exactly urls (one transaction). */
int kp_store_pages_mark_lists(kp_store *s, const char *site,
			      const char *const *urls, size_t n, kp_err *e);
int kp_store_pages_count(kp_store *s, const char *site, int64_t *n,
			 kp_err *e);

/* ---- monitoring: sites, probes, warnings, jobs ----
 *
 * The sites monitoring watches (sites.c): a unit's name (as the registry
 * writes it), the URL, and its kind (网站 or 政务新媒体; an account is
 * kept as a record even where it cannot be probed).  A URL is kept once.
 * Probes are the homepage fetches, one per site and scheduled time (the
 * key that makes writing a probe idempotent: a second write of the same
 * (site, sched) changes nothing).  Times here are seconds since the
 * epoch (UTC), the simulated clock of `monitor --as-of` or the real one.
 * Warnings are what monitoring told an office, one row per (site, rule)
 * episode from its opening to its resolution, so that each is sent once
 * and its resolution once.  Jobs (jobs.c) are due probes claimed by
 * workers under a lease. */
typedef struct kp_site {
	int64_t id;
	const char *unit, *url, *kind, *added;
} kp_site;

/* Add a site; a URL already kept is refused (KP_EINPUT).  kind "" means
 * 网站. */
int kp_store_site_add(kp_store *s, const char *unit, const char *url,
		      const char *kind, int64_t *id, kp_err *e);
/* Each site in id order (unit NULL: all; else that unit's). */
typedef int (*kp_site_fn)(void *ctx, const kp_site *site, kp_err *e);
int kp_store_sites_each(kp_store *s, const char *unit, kp_site_fn fn,
			void *ctx, kp_err *e);
/* Each site's politeness key (sites.host, migration 23: the
 * "scheme://host:port" the claims of jobs spread over, jobs.c) is made
 * by the program, not SQL: key(url, buf, n) writes it (monitoring's
 * kp_monitor_host_key, the one definition; -1 when the URL has none,
 * stored as "").  Fill the sites whose key is not yet stored (those
 * added before migration 23, or by kp_store_site_add, which does not
 * know the key), in one transaction; *filled (may be NULL) counts them.
 * Costs one indexed read when there is none to fill. */
typedef int (*kp_host_key_fn)(const char *url, char *buf, size_t n);
int kp_store_sites_fill_hosts(kp_store *s, kp_host_key_fn key,
			      int64_t *filled, kp_err *e);

typedef struct kp_probe {
	int64_t site;
	int64_t sched;        /* the slot it was scheduled for */
	int64_t at;           /* when it ran (simulated clock) */
	int64_t status;       /* HTTP status, 0 when none */
	int64_t latency_ms;
	bool ok;
	const char *error;    /* "" when ok */
	const char *hash;     /* the body's fingerprint, "" when none */
	int64_t started_ms;   /* when its request began, real time in ms
			       * since the epoch (0: not recorded) */
} kp_probe;

/* Record a probe; *added (may be NULL) is 1 when stored, 0 when the
 * (site, sched) was there already.  One transaction. */
int kp_store_probe_put(kp_store *s, const kp_probe *p, int *added,
		       kp_err *e);
/* The probes of a site with from <= sched <= to, in sched order. */
typedef int (*kp_probe_fn)(void *ctx, const kp_probe *p, kp_err *e);
int kp_store_probes_each(kp_store *s, int64_t site, int64_t from,
			 int64_t to, kp_probe_fn fn, void *ctx, kp_err *e);
/* The latest sched probed or queued for site (0 when none). */
int kp_store_probe_last(kp_store *s, int64_t site, int64_t *sched,
			kp_err *e);

typedef struct kp_warning {
	int64_t id, site;
	const char *rule;      /* "availability", "homepage" */
	const char *level;     /* "warning" (预警) or "veto" (否决) */
	int64_t opened;        /* when it was found */
	const char *evidence;  /* JSON text */
	int notified;          /* 0 opening to send, 1 sent, 2 a raised
				* level to send, 3 sent */
	int64_t resolved;      /* 0 while open */
	const char *resolved_evidence;
	bool resolve_notified;
	int mailed;            /* the same as notified, for e-mail */
	bool resolve_mailed;
} kp_warning;

/* Open a warning (site, rule) unless one is open: *id its number (0 when
 * one was open already). */
int kp_store_warning_open(kp_store *s, int64_t site, const char *rule,
			  const char *level, int64_t at, const char *evidence,
			  int64_t *id, kp_err *e);
/* The open warning's level rises (warning → veto) with new evidence;
 * the rise is to be sent (notified 2) unless the opening is not sent
 * yet (it goes out with the new level). */
int kp_store_warning_level(kp_store *s, int64_t id, const char *level,
			   const char *evidence, kp_err *e);
/* Resolve warning id at at, with the evidence that it is over. */
int kp_store_warning_resolve(kp_store *s, int64_t id, int64_t at,
			     const char *evidence, kp_err *e);
/* Mark what was sent: the opening (what 1), the resolution (what 2),
 * the raised level (what 3).  kp_store_warning_mailed: the same for
 * e-mail (mailed, resolve_mailed). */
int kp_store_warning_notified(kp_store *s, int64_t id, int what, kp_err *e);
int kp_store_warning_mailed(kp_store *s, int64_t id, int what, kp_err *e);
/* The warnings of a site (0: every site) in id order; open_only: those
 * not resolved. */
typedef int (*kp_warning_fn)(void *ctx, const kp_warning *w, kp_err *e);
int kp_store_warnings_each(kp_store *s, int64_t site, bool open_only,
			   kp_warning_fn fn, void *ctx, kp_err *e);

/* A monitoring step judges every site at once (src/monitor/schedule.c),
 * each of these one statement over all the sites, whatever their number.
 *
 * Per site with a probe in [from, to]: probes and failures with wfrom <=
 * sched <= to (from <= wfrom); first_ok, the first successful probe's
 * sched in [from, to] (0 none); last_change, the sched of the newest
 * successful probe whose hash differs from the successful one before it
 * in [from, to] (0: the hash never changed there).  In site order.
 * first_ok and last_change come from each site's homepage run kept with
 * its probes (migration 26) where that is clean and has no successful
 * probe after to; else (dirty, or a step before the newest probe) from
 * the probes, as before. */
typedef struct kp_probe_stats {
	int64_t site, probes, failures, first_ok, last_change;
} kp_probe_stats;
typedef int (*kp_probe_stats_fn)(void *ctx, const kp_probe_stats *ps,
				 kp_err *e);
int kp_store_probe_stats(kp_store *s, int64_t from, int64_t wfrom, int64_t to,
			 kp_probe_stats_fn fn, void *ctx, kp_err *e);
/* Read each site's homepage run whose state went dirty (a successful
 * probe written after a newer one) again from its probes; *repaired
 * (may be NULL) the number of sites.  A monitoring step calls it before
 * kp_store_probe_stats; without it the answers are the same, only read
 * from the probes. */
int kp_store_site_home_repair(kp_store *s, int64_t *repaired, kp_err *e);

/* Jobs: one probe of a site for a scheduled time, queued once (site,
 * sched is unique), claimed by a worker under a lease (until a real
 * time, seconds), done when its probe is written.  A job whose lease ran
 * out (its worker died) is claimed again.  On PostgreSQL a claim is
 * SELECT … FOR UPDATE SKIP LOCKED, so any number of workers share the
 * queue without waiting on one another. */
typedef struct kp_job {
	int64_t id, site, sched, attempts;
	char kind[16];        /* "probe", "inspect" or "columns" */
	char url[2048];
	char unit[512];       /* the site's unit */
} kp_job;

/* Queue a probe job; *added 1 when new. */
int kp_store_job_add(kp_store *s, int64_t site, int64_t sched, int *added,
		     kp_err *e);
/* Queue a job of kind ("probe", "inspect"): (site, kind, sched) is
 * queued once. */
int kp_store_job_add_kind(kp_store *s, int64_t site, const char *kind,
			  int64_t sched, int *added, kp_err *e);
/* Queue a step's due jobs of kind ("probe", "inspect", "columns") at
 * once: for each i < n, site sites[i]'s job at slots[i], unless the site
 * has a job of kind (for "probe" also a probe) at or after slots[i]; a
 * "columns" job only for a site with a stored inspection (of its URL
 * with or without the trailing slash).  One statement,
 * so one transaction (one commit on SQLite); *added (may be NULL)
 * counts the jobs queued. */
int kp_store_jobs_queue(kp_store *s, const char *kind, const int64_t *sites,
			const int64_t *slots, size_t n, int64_t *added,
			kp_err *e);
/* Inside the caller's open transaction: mark job id done if it is
 * still worker's lease; *lost when it is not (another worker took it
 * after the lease ran out: the caller rolls back, writing nothing). */
int kp_store_job_done_tx(kp_store *s, int64_t id, const char *worker,
			 bool *lost, kp_err *e);
/* Claim the oldest due job (sched <= due) for worker, leased until
 * lease_until: 1 claimed into *out, 0 none. now is the real time. */
int kp_store_job_claim(kp_store *s, const char *worker, int64_t due,
		       int64_t now, int64_t lease_until, kp_job *out,
		       kp_err *e);
/* Claim up to max due jobs at once (the oldest first) of kind ("probe",
 * "inspect"; NULL any), each leased to worker until lease_until, with
 * their sites' URLs and units: *n of them into out[0 … max).  One
 * statement (FOR UPDATE SKIP LOCKED on PostgreSQL): workers claiming at
 * once get disjoint batches. */
int kp_store_jobs_claim(kp_store *s, const char *worker, int64_t due,
			int64_t now, int64_t lease_until, size_t max,
			const char *kind, kp_job *out, size_t *n, kp_err *e);
/* A claim spread over hosts, for a worker keeping a politeness gap per
 * host (kp_store_host_take): as kp_store_jobs_claim, but of each host
 * (sites.host; a site whose key is not known yet counts as a host of
 * its own) it takes only as many of the oldest due jobs as bring the
 * jobs of that host worker holds (leased to it, lease not run out, of
 * kind) up to per_host; and it takes first the jobs of the hosts free at
 * now_ms (real time, ms: hosts.next_ms <= now_ms, or not in hosts),
 * oldest first, then those of hosts still waiting, oldest first.  So a
 * host with hundreds of sites fills per_host of the worker's places, not
 * all of them, and other hosts' jobs are not queued behind it.  Still
 * one statement: on PostgreSQL the candidates are ranked without locks
 * and locked FOR UPDATE SKIP LOCKED in that order (two workers claiming
 * at once take disjoint batches; a job another claim leased meanwhile
 * is skipped); on SQLite under the one writer lock.  *more (when *n <
 * max) tells whether due jobs were left because of the cap: the queue
 * is not drained, ask again once some of the worker's jobs are done
 * (one more statement, only for a short claim).  per_host 0: no cap and
 * no order by host (kp_store_jobs_claim; *more false). */
int kp_store_jobs_claim_hosts(kp_store *s, const char *worker, int64_t due,
			      int64_t now, int64_t lease_until, size_t max,
			      const char *kind, int64_t per_host,
			      int64_t now_ms, kp_job *out, size_t *n,
			      bool *more, kp_err *e);
/* Renew the leases of the n jobs ids together, in one statement: held[i]
 * tells whether job ids[i] is still the worker's (and now leased until
 * lease_until); a job not held was claimed by another worker after its
 * lease ran out, and its work is to be dropped unwritten. */
int kp_store_jobs_renew(kp_store *s, const char *worker, const int64_t *ids,
			size_t n, int64_t lease_until, bool *held, kp_err *e);
/* Finish n jobs in one transaction: each of ids still the worker's is
 * marked done and its probe probes[i] written (idempotently, ON CONFLICT
 * DO NOTHING); written[i] tells which.  A job another worker holds now
 * is neither marked nor written. */
int kp_store_jobs_done(kp_store *s, const char *worker, const int64_t *ids,
		       const kp_probe *probes, size_t n, bool *written,
		       kp_err *e);
/* Renew the lease: 0, or -1 (KP_EINPUT) when the job is no longer the
 * worker's. */
int kp_store_job_renew(kp_store *s, int64_t id, const char *worker,
		       int64_t lease_until, kp_err *e);
/* Write the job's probe (idempotently) and mark it done, in one
 * transaction. */
int kp_store_job_done(kp_store *s, int64_t id, const kp_probe *p,
		      kp_err *e);
/* kp_store_job_done_tx in a transaction of its own. */
int kp_store_job_close(kp_store *s, int64_t id, const char *worker,
		       bool *lost, kp_err *e);
/* The latest sched of site's jobs of kind (0 when none). */
int kp_store_job_last(kp_store *s, int64_t site, const char *kind,
		      int64_t *sched, kp_err *e);
/* Count jobs by state ("queued", "leased", "done"). */
int kp_store_jobs_count(kp_store *s, const char *state, int64_t *n,
			kp_err *e);

/* ---- column checks between inspections (colchecks.c) ----
 *
 * Monitoring's light check of a site's columns (src/monitor/colcheck.c):
 * based on the site's newest inspection, only the homepage and that
 * inspection's column pages fetched again.  Times are seconds since the
 * epoch (sched the job's slot, at when it ran: the slot when simulated);
 * columns is a JSON array, one object per column of the inspection
 * (name, class, url, status, latest_date, items, blank, fetched). */
typedef struct kp_column_check {
	int64_t id, site, sched, at, inspection, pages;
	char *day;            /* its as-of day, "2024-06-22" */
	char *columns;        /* JSON text */
} kp_column_check;        /* from the store: owns day and columns */

void kp_column_check_release(kp_column_check *c);
/* Store check c (id ignored; strings borrowed) and close job (0: none)
 * in one transaction, only while the job is still worker's: otherwise
 * nothing is stored and *lost is set (0 returned).  A second check of
 * the same (site, sched) stores nothing.  *id (may be NULL) its number,
 * 0 when none was stored. */
int kp_store_column_check_add(kp_store *s, const kp_column_check *c,
			      int64_t job, const char *worker, bool *lost,
			      int64_t *id, kp_err *e);
/* The newest check of site based on inspection that ran at or before
 * at: 1 and *out filled (release it), 0 none, -1. */
int kp_store_column_check_latest(kp_store *s, int64_t site,
				 int64_t inspection, int64_t at,
				 kp_column_check *out, kp_err *e);

/* Per site of kind 网站 with an inspection as of day (what
 * kp_store_inspection_latest finds for its URL), in site order: that
 * inspection's number, as_of and only the "columns" part of its JSON
 * (NULL when it has none or the JSON is not an object), and the newest
 * column check based on it at or before at (kp_store_column_check_latest;
 * check.id 0 none).  Strings borrowed for the call.  fn may be called a
 * second time for a site (its later call is the one that holds).
 * An inspection's "columns" part is cut out of its JSON by the database
 * the first time it is read here and kept apart from then on
 * (inspection_columns, migration 22; one more statement when there are
 * such), so later calls read only the kept part. */
typedef struct kp_site_columns {
	int64_t site, inspection;
	const char *as_of;
	const char *columns;       /* JSON text, NULL none */
	/* the inspection's whole JSON instead, when the database could not
	 * cut "columns" out of it (PostgreSQL, a JSON that is not valid):
	 * the caller reads its "columns" (NULL otherwise) */
	const char *summary;
	kp_column_check check;     /* its day NULL */
} kp_site_columns;
typedef int (*kp_site_columns_fn)(void *ctx, const kp_site_columns *sc,
				  kp_err *e);
int kp_store_sites_columns(kp_store *s, const char *day, int64_t at,
			   kp_site_columns_fn fn, void *ctx, kp_err *e);

/* ---- politeness across workers (hosts.c) ----
 *
 * One table, host → the earliest time another request to it may start,
 * shared by every process on every machine that uses the store, so that
 * together they keep a minimum gap between requests to one host.  The
 * key is the URL's scheme://host:port, the host in lower case and the
 * port always written (kp_monitor_host_key makes it from a URL): two
 * sites on one host share their key, and so their gap.  Times are real
 * time in ms since the epoch from the caller's clock (the machines'
 * clocks agree, as the jobs' leases already need).
 *
 * Use: before each request, take the host; when *wait_ms is 0 the
 * request may start now (and the host's next time is now + gap_ms);
 * else nothing was taken and the caller asks again in *wait_ms (another
 * worker may take it first: ask again, do not assume).  Callers with
 * different gaps share a host: each take keeps the taker's own gap.
 *
 *	int64_t wait;
 *	if (kp_store_host_take(s, "https://www.x.gov.cn:443", 1000,
 *			       now_ms, &wait, e) < 0)
 *		return -1;
 *	if (wait == 0)
 *		start_request();
 *	else
 *		try_again_after(wait);
 *
 * One statement (an upsert returning the row), so a take costs a round
 * trip; gap_ms <= 0 takes nothing and costs none (*wait_ms 0).  The
 * table holds a row for each host ever taken (a few tens of thousands
 * nationally). */
int kp_store_host_take(kp_store *s, const char *key, int64_t gap_ms,
		       int64_t now_ms, int64_t *wait_ms, kp_err *e);

/* ---- helpers ---- */

/* A stable 64-bit fingerprint of text, as 16 hex digits. buf >= 17. */
const char *kp_store_hash(const char *text, size_t n, char *buf);
/* Now, UTC, "2026-11-22T05:06:07Z".  buf >= 24. */
const char *kp_store_now(char *buf);

#endif
