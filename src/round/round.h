/*
 * round — the application layer: what a person does with an evaluation
 * round, whatever front end they use (the CLI today; the report writer,
 * the web server and the monitor later).  Each call takes plain values
 * (a connection string, a round name, a unit as the user spelt it),
 * does the whole job against the store, the catalog and the scoring
 * engine, and returns a struct; it never prints.  Each struct that a
 * person sees has its JSON renderer here too (kp_rnd_*_json), so the
 * CLI's --json and a web server's response are one document.
 *
 * Names.  store.h already has `kp_round` (the stored round record), so
 * this layer's names begin with kp_rnd_.  A kp_rnd is a round opened
 * for work: its store connection, its tables parsed, its units indexed
 * by every spelling; kp_rnd_open makes one, kp_rnd_close frees it.  The
 * calls that need little (the ranking, the audit log, the list of
 * rounds, inspections) take the connection string instead and open
 * only what they read.
 *
 *	kp_rnd *r;
 *	kp_rnd_open("kaoping.db", NULL, &r, &e);      // the newest round
 *	kp_rnd_facts_add(r, "facts.csv", "张三", &added, &e);
 *	kp_rnd_score(r, "张三", &scored, &e);
 *	kp_rnd_sheet s;  kp_rnd_sheet_get(r, "市公安局", 0, &s, &e);
 *	json_t *j = kp_rnd_sheet_json(r, &s);          // or read s.res[…]
 *	kp_rnd_sheet_release(&s);  kp_rnd_close(r);
 *
 * Threads.  Nothing here is global: two threads may each open their own
 * kp_rnd (on one database or two) and work at once.  One kp_rnd is used
 * by one thread at a time.  kp_rnd_score itself may start threads
 * (KP_THREADS, else one per processor, at most 8, once a round has 2,000
 * units), each with its own connection.
 *
 * Errors.  -1 with a kp_err whose message (Chinese) says what and where,
 * and whose code says whose fault it is.  A front end maps the code:
 *
 *	code               CLI exit status   HTTP status
 *	KP_EINPUT          2                 400 (a wrong request or file)
 *	KP_ETOOBIG         2                 413
 *	KP_RND_ENOTFOUND   2                 404 (no such round, unit,
 *	                                          inspection)
 *	KP_EIO             2                 500 (503 if the database is
 *	                                          locked; the message says)
 *	KP_ENOMEM          2                 500
 *	KP_EINTERNAL       2                 500
 *
 * kp_rnd_exit_status and kp_rnd_http_status do exactly this.
 * KP_RND_ENOTFOUND is this layer's own code, numbered well past base.h's
 * so that base may grow without a clash.
 *
 * Ownership.  Structs filled here own what they point to unless a field
 * says "borrowed"; each has its _release, and a call that fails leaves
 * its struct holding nothing.  A kp_rnd_sheet borrows from
 * the kp_rnd it was read from, which must outlive it.
 */
#ifndef KP_ROUND_H
#define KP_ROUND_H

#include "base/base.h"
#include "catalog/catalog.h"
#include "score/score.h"
#include "store/store.h"

struct json_t;
struct kp_inspect_result;

enum { KP_RND_ENOTFOUND = 64 };

int kp_rnd_exit_status(int code);
int kp_rnd_http_status(int code);

/* ---- a round opened for work ---------------------------------------- */

typedef struct kp_rnd kp_rnd;

/* Open the store named by conn and the round named name (NULL: the
 * newest), parse its tables and index its units. */
int kp_rnd_open(const char *conn, const char *name, kp_rnd **out, kp_err *e);
void kp_rnd_close(kp_rnd *r);

const kp_round *kp_rnd_round(const kp_rnd *r);   /* borrowed */
kp_store *kp_rnd_store(kp_rnd *r);               /* borrowed */
size_t kp_rnd_nunits(const kp_rnd *r);
const char *kp_rnd_unit_name(const kp_rnd *r, size_t i);
/* Index of the unit named or aliased s, or -1. */
long kp_rnd_find_unit(const kp_rnd *r, const char *s);
/* What the round said on the way that is not an error ("the table
 * changed, the round took the new text"): lines, "" when nothing.  The
 * front end shows them; kp_rnd_notes_clear forgets them. */
const char *kp_rnd_notes(const kp_rnd *r);
void kp_rnd_notes_clear(kp_rnd *r);

/* ---- creating a round ------------------------------------------------ */

typedef struct kp_rnd_spec {
	const char *conn;      /* store; created when it does not exist */
	const char *table;     /* one indicator table (id, file, or "stored:N"
				  an imported one in conn: kp_rnd_table_stored), or */
	const char *scheme;    /* a scheme (id or file, or "stored:N" as one
				  table); exactly one of them */
	const char *units;     /* registry; NULL: the scheme's or table's */
	const char *name;      /* NULL: "<period>-<id>" */
	const char *period;    /* NULL: the scheme's or table's year */
	const char *author;
} kp_rnd_spec;

typedef struct kp_rnd_created_table {
	char *label, *table_id;
	size_t nunits;         /* units assessed on it */
} kp_rnd_created_table;

typedef struct kp_rnd_created {
	char *name;
	bool scheme;           /* made from a scheme */
	char *id, *title;      /* the scheme's, or the one table's */
	kp_combine_rule combine;
	char *registry;        /* where the units came from */
	size_t nunits;         /* units of the round */
	size_t nregistry;      /* units in the registry */
	char *where;           /* the database, for messages */
	kp_rnd_created_table *tables;   /* a scheme's rows; none for a table */
	size_t ntables;
} kp_rnd_created;

/* Create a round: the units of the registry the tables apply to (the
 * tables' applies columns, the scheme's applies cells), each with the
 * tables it is assessed on; the tables' texts kept in the store. */
int kp_rnd_create(const kp_rnd_spec *sp, kp_rnd_created *out, kp_err *e);
void kp_rnd_created_release(kp_rnd_created *c);
struct json_t *kp_rnd_created_json(const kp_rnd_created *c);

/* ---- listing rounds -------------------------------------------------- */

typedef struct kp_rnd_list {
	kp_round *v;           /* owned copies */
	size_t n;
} kp_rnd_list;

int kp_rnd_list_get(const char *conn, kp_rnd_list *out, kp_err *e);
void kp_rnd_list_release(kp_rnd_list *l);
/* One round as `eval list --json` shows it; the list, an array. */
struct json_t *kp_rnd_round_json(const kp_round *r);
struct json_t *kp_rnd_list_json(const kp_rnd_list *l);
/* A deep copy of r (kp_round_release frees it). */
void kp_rnd_round_copy(kp_round *dst, const kp_round *src);

/* ---- facts ----------------------------------------------------------- */

/* Add the facts of file (CSV or JSON, docs/facts.md) by author: every
 * fact checked against the round's units and tables, then all stored in
 * one transaction, or (one bad fact) none.  Every row is read: one bad
 * row is the error itself; several are told in the notes (the first 20,
 * then how many more) and the error counts them.  A file without facts
 * (empty, or a header alone) is a note, not an error: *added 0.  A unit
 * or indicator not found gets the nearest spellings in its message; an
 * indicator given by its last-level name alone is taken when that name
 * is unique in the unit's tables.  A self or assessor fact on a node
 * that does not apply to its unit, or a score above the unit's maximum
 * of the node, is refused.  *added: how many were stored. */
int kp_rnd_facts_add(kp_rnd *r, const char *file, const char *author,
		     size_t *added, kp_err *e);
/* The same with flags: KP_RND_ASSESSED also records, for every unit the
 * file names and every node of its tables the file names (自评 facts
 * aside), an assessed fact (the assessor has looked at it: no deduction
 * there means compliant), of the file's counting source.  *added counts
 * them too. */
enum { KP_RND_ASSESSED = 2 };
int kp_rnd_facts_add_flags(kp_rnd *r, const char *file, const char *author,
			   int flags, size_t *added, kp_err *e);
/* The same for facts already in memory (data[0..n), named file in
 * messages); a web upload. */
int kp_rnd_facts_add_text(kp_rnd *r, const char *file, const char *data,
			  size_t n, const char *author, size_t *added,
			  kp_err *e);

/* The round's facts (of the unit spelt unit; NULL: every unit), grouped
 * by unit in the round's order, oldest first within a unit; seq[i] is
 * facts.v[i]'s place in the round's history (a correction is a later
 * fact, never an edit). */
typedef struct kp_rnd_facts {
	kp_facts facts;
	int64_t *seq;
	/* what became of each (kp_fact_fates): the seq of the fact that
	 * replaced it, 0 when it counts or was withdrawn (facts.v[i].withdrawn
	 * is then its withdrawal's seq and reason[i] the reason, else NULL) */
	int64_t *replaced_by;
	char **reason;
} kp_rnd_facts;

int kp_rnd_facts_get(kp_rnd *r, const char *unit, kp_rnd_facts *out,
		     kp_err *e);
void kp_rnd_facts_release(kp_rnd_facts *l);
struct json_t *kp_rnd_facts_json(const kp_rnd_facts *l);
/* In Chinese, for --explain: each fact that counts and the earlier ones
 * it replaced, and each withdrawn fact with its reason; appended to out
 * (nothing when every fact counts). */
void kp_rnd_facts_history(const kp_rnd_facts *l, kp_buf *out);

/* Withdraw the round's facts numbered seq[0..n) (the numbers `eval facts
 * list` shows) for reason, by author: recorded in the fact history and
 * the audit log, never deleted; a withdrawn fact no longer counts.  An
 * empty reason, or a number that is no fact of the round or is withdrawn
 * already, is KP_EINPUT and nothing is withdrawn. */
int kp_rnd_facts_withdraw(kp_rnd *r, const int64_t *seq, size_t n,
			  const char *reason, const char *author, kp_err *e);

/* The blank sheet the unit spelt unit fills in, written to path (.xlsx:
 * a workbook; otherwise CSV; NULL or "-": standard output), atomically:
 * every item of its tables that applies to it and takes a fact from it
 * (评分, 扣分, 否决), with its maximum for this unit (满分) and its rule
 * in Chinese (评分标准), and empty 数值, 证据链接 and 说明 columns.  The
 * header is the facts format's (docs/facts.md), so the filled sheet goes
 * back through kp_rnd_facts_add; rows left without a value are passed
 * over.  *nrows: the items written. */
int kp_rnd_template(kp_rnd *r, const char *unit, const char *path,
		    size_t *nrows, kp_err *e);

/* ---- scoring --------------------------------------------------------- */

typedef struct kp_rnd_scored {
	size_t nunits;
	int64_t nfacts;
	int threads;           /* scorers used */
	int64_t snapshot;      /* the last entry of the fact history read:
				* every scorer read up to it, and the
				* results are stored with it */
	double cpu_s;          /* process CPU time at the end */
	double engine_s;       /* of which inside the scoring engine (0
				* unless kp_rnd_timing) */
	double store_s;        /* ranking and writing the results */
} kp_rnd_scored;

/* Whether kp_rnd_score measures the engine's CPU apart (engine_s): two
 * reads of the thread's CPU clock a unit and table, each a system call
 * (some 8% of a national scoring), so off unless asked (KP_TIMING). */
void kp_rnd_timing(kp_rnd *r, bool on);

/* Score every unit of the round on its facts, rank them and store the
 * results (replacing the last ones), by author.  The facts are those up
 * to one number of the round's history, fixed when scoring starts
 * (out->snapshot): facts added meanwhile wait for the next scoring,
 * whatever the number of scorer threads or the backend. */
int kp_rnd_score(kp_rnd *r, const char *author, kp_rnd_scored *out,
		 kp_err *e);

/* ---- a unit's sheet -------------------------------------------------- */

/* KP_RND_EXPLAIN: fill explain.  KP_RND_CORRECTIONS: fill corrected
 * (the report's "（已更正）"), from the unit's facts already read. */
enum { KP_RND_EXPLAIN = 1, KP_RND_CORRECTIONS = 2 };

typedef struct kp_rnd_sheet {
	size_t unit;           /* index in the round */
	/* res[k]: the unit's result on the round's table k, NULL for a
	 * table it is not assessed on */
	kp_result *res[KP_SCHEME_MAX_TABLES];
	bool several;          /* a round of several tables */
	kp_num total;          /* combined (several) */
	char *combination;     /* the combine line (several), else "" */
	char *explain;         /* with KP_RND_EXPLAIN, else NULL */
	/* with KP_RND_CORRECTIONS: corrected[k][i] when node i of res[k]
	 * has a fact that counts and replaced an earlier one of the same
	 * identity (a correction); corrected[k] NULL when none has */
	bool *corrected[KP_SCHEME_MAX_TABLES];
	int64_t rank;          /* stored rank; 0 when never scored */
	bool scored, stale;    /* results exist; facts came after them */
} kp_rnd_sheet;

/* The sheet of the unit spelt unit (name or alias; KP_RND_ENOTFOUND when
 * the round has none), scored now on its facts.  On failure *out holds
 * nothing (releasing it again is harmless). */
int kp_rnd_sheet_get(kp_rnd *r, const char *unit, int flags,
		     kp_rnd_sheet *out, kp_err *e);
void kp_rnd_sheet_release(kp_rnd_sheet *s);
/* Every unit's sheet, each exactly as kp_rnd_sheet_get gives it, for
 * the cost of one read of the round's facts and stored results (each
 * table indexed once): fn(ctx, s, e) for each unit, in no promised
 * order; s is borrowed for the call.  fn returning -1 (with e) stops
 * the walk, which returns -1.  fn must not use r or its store (the walk
 * is reading the facts through it: PostgreSQL allows one query at a
 * time on a connection); another connection may, and sees the round as
 * it is then. */
typedef int (*kp_rnd_sheet_fn)(void *ctx, const kp_rnd_sheet *s, kp_err *e);
int kp_rnd_sheets_each(kp_rnd *r, int flags, kp_rnd_sheet_fn fn, void *ctx,
		       kp_err *e);
struct json_t *kp_rnd_sheet_json(const kp_rnd *r, const kp_rnd_sheet *s);

/* ---- ranking --------------------------------------------------------- */

typedef struct kp_rnd_rank_row {
	kp_store_result r;     /* strings owned by the row; r.pending > 0:
				  未完成 (listed after every complete unit) */
	char *type;            /* the unit's type (县区, 市级部门 …), "" none */
	/* several tables: per label of kp_rnd_ranking.labels, the unit's
	 * part (NULL: none); parts owned by the ranking */
	const kp_store_part **cells;
} kp_rnd_rank_row;

typedef struct kp_rnd_ranking {
	kp_round round;
	bool several, stale, has_convert;
	int64_t new_facts;     /* facts recorded after the scoring */
	kp_combine_rule combine;
	const char **labels;   /* distinct labels in table order (borrowed
				* from round) */
	size_t nlabels;
	kp_rnd_rank_row *rows; /* by rank */
	size_t nrows;
	kp_store_part *parts;  /* storage of the cells */
	size_t nparts;
	size_t nincomplete;    /* rows with pending nodes */
	bool mixed_max;        /* units of different maxima (90 and 100) */
	/* with kp_rnd_ranking_by_type: the rows grouped by unit type, in
	 * the order the types first appear in the ranking; group g holds
	 * rows group_rows[g][0..group_n[g]) with their ranks within the
	 * group (ties share, the next skips) */
	char **group_types;
	size_t **group_rows;
	int64_t **group_ranks;
	size_t *group_n;
	size_t ngroups;
} kp_rnd_ranking;

/* The stored ranking of round name (NULL: newest); a round never scored
 * is KP_EINPUT. */
int kp_rnd_ranking_get(const char *conn, const char *name,
		       kp_rnd_ranking *out, kp_err *e);
void kp_rnd_ranking_release(kp_rnd_ranking *k);
/* Group k's rows by unit type (rank_type.c); the JSON then has
 * "groups". */
void kp_rnd_ranking_by_type(kp_rnd_ranking *k);
/* A ranking for publication: 0 when every unit is complete, else -1 and
 * KP_EINPUT naming the incomplete units (rank_type.c). */
int kp_rnd_ranking_final(const kp_rnd_ranking *k, kp_err *e);
/* 得分率: total ÷ max as a percentage with two decimals ("95.00%"), "—"
 * without a maximum; buf >= 48. */
const char *kp_rnd_rate(const kp_store_result *r, char *buf);
/* 得分 of a row of k: the unit's points before conversion — one table:
 * its total; a scheme round: the sum of its tables' totals (the row's
 * max is then the sum of their maxima). */
kp_num kp_rnd_points(const kp_rnd_ranking *k, const kp_rnd_rank_row *row);
/* 得分率 of a row: kp_rnd_points ÷ max, as kp_rnd_rate; buf >= 48. */
const char *kp_rnd_row_rate(const kp_rnd_ranking *k,
			    const kp_rnd_rank_row *row, char *buf);
struct json_t *kp_rnd_ranking_json(const kp_rnd_ranking *k);

/* ---- status: what each unit still lacks (status.c) ------------------- */

/* One thing a unit lacks: a pending node (code, path) and the source
 * expected to settle it, or (source self, no node) a table without its
 * self-assessment. */
typedef struct kp_rnd_lack {
	kp_source source;
	char *table;           /* the table's label in a scheme, else its title */
	char *code, *name;     /* "" for a missing self-assessment */
} kp_rnd_lack;

typedef struct kp_rnd_unit_status {
	char *unit, *type;
	size_t pending;        /* pending nodes; 0: complete */
	kp_rnd_lack *lacks;
	size_t nlacks;
} kp_rnd_unit_status;

typedef struct kp_rnd_status {
	kp_rnd_unit_status *v; /* in the round's unit order */
	size_t n, nincomplete;
} kp_rnd_status;

/* The status of every unit of the round (unit NULL), or of the unit
 * spelt unit (KP_RND_ENOTFOUND when the round has none): each scored
 * now on its facts; a pending node is put down to the inspection when
 * the facts map's checks cover it, to the ledger when it is tiered,
 * else to the assessor. */
int kp_rnd_status_get(kp_rnd *r, const char *unit, kp_rnd_status *out,
		      kp_err *e);
void kp_rnd_status_release(kp_rnd_status *st);
/* "self", "assessor", "inspection", "ledger": the JSON keys. */
const char *kp_rnd_lack_key(kp_source s);
/* {"round","units","incomplete","status":[{"unit","unit_type",
 *  "complete","pending","lacks":{"self":[{"table"}],"assessor":[{"table",
 *  "code","path"}],"inspection":[…],"ledger":[…]}}]} */
struct json_t *kp_rnd_status_json(const kp_rnd *r, const kp_rnd_status *st);

/* ---- audit log ------------------------------------------------------- */

typedef struct kp_rnd_log {
	kp_audit *v;           /* strings owned */
	size_t n;
} kp_rnd_log;

/* Audit rows oldest first, of round name (NULL: every round). */
int kp_rnd_log_get(const char *conn, const char *name, kp_rnd_log *out,
		   kp_err *e);
void kp_rnd_log_release(kp_rnd_log *l);
struct json_t *kp_rnd_log_json(const kp_rnd_log *l);

/* ---- imported tables ------------------------------------------------- */

/* An office's table imported and kept in the store (web 指标体系). */
typedef struct kp_rnd_import {
	kp_sheet *sheet;           /* the file as read (its encoding) */
	kp_table *table;           /* what the importer made of it */
	kp_import_report rep;      /* each row's rule, 确定 or 需确认 */
	kp_buf canonical;          /* kp_table_write: what table import writes */
	int64_t id;                /* its row in imported_tables */
	bool refused;              /* -1 because the file is no table */
} kp_rnd_import;

/* Read data (file names the format: .csv, .tsv, .xlsx) with the
 * catalog's importer exactly as `kaoping table import` does (kp_sheet_parse,
 * kp_import with io, kp_table_write) and keep the canonical text in the
 * store named by conn with an audit row web-table-import (who, from
 * address from): 0 stored.  A file the importer refuses stores nothing:
 * -1 with out->refused and the importer's message in e. */
int kp_rnd_table_import(const char *conn, const char *file, const char *data,
			size_t n, const kp_import_opts *io, const char *who,
			const char *from, kp_rnd_import *out, kp_err *e);
void kp_rnd_import_release(kp_rnd_import *x);

/* How an imported table is named wherever a table is (GET /api/tables,
 * `eval new --table`): "stored:N", N its row in imported_tables. */
#define KP_RND_STORED_REF "stored:"
bool kp_rnd_stored_ref(const char *ref);   /* begins with "stored:" */
/* The imported table ref ("stored:N") names in the store conn, parsed
 * from its kept canonical text: 0 and *out (the caller's: kp_table_free).
 * No such table (N not a number, or no row N): -1 with KP_RND_ENOTFOUND
 * and a message naming N and the database.  The web's 指标体系 and
 * kp_rnd_create both open it here; the text never changes (the rows are
 * append-only), so a round made from it keeps the same table. */
int kp_rnd_table_stored(const char *conn, const char *ref, kp_table **out,
			kp_err *e);

/* ---- inspections ----------------------------------------------------- */

/* Where an inspection will be stored: opened before the crawl, so a bad
 * round or unit costs nothing. */
typedef struct kp_rnd_target {
	kp_store *db;
	kp_round round;
	char *unit;            /* canonical */
	/* a scheduled inspection: its job (0 none), closed in the store's
	 * transaction if still worker's (borrowed); job_lost when not */
	int64_t job;
	const char *worker;
	bool job_lost;
} kp_rnd_target;

int kp_rnd_target_open(const char *conn, const char *round,
		       const char *unit, kp_rnd_target *t, kp_err *e);
void kp_rnd_target_close(kp_rnd_target *t);
/* Store r, its findings with their keys (kp_inspect_finding_keys) and j,
 * its JSON, started and finished at those times by who; then add
 * "inspection" and "changes" (kp_rnd_changes_json) to j. */
int kp_rnd_target_store(kp_rnd_target *t, const struct kp_inspect_result *r,
			char *const *keys, struct json_t *j,
			const char *started, const char *finished,
			const char *who, kp_err *e);

/* ---- the page cache and scheduled inspections (pagecache.c,
 * siteinspect.c) ----
 *
 * A page cache over db (borrowed) for site: what kp_inspect_opts.cache
 * takes.  use false records only (a full inspection fills the cache for
 * the next incremental one); true also answers the crawler's questions,
 * so pages it holds are asked for conditionally.  finish writes what is
 * pending and marks r's homepage and column pages as the list pages
 * (always fetched whole); it returns the first store error of the
 * crawl. */
typedef struct kp_rnd_page_cache kp_rnd_page_cache;
kp_rnd_page_cache *kp_rnd_page_cache_new(kp_store *db, const char *site,
					 bool use);
const struct kp_inspect_cache *kp_rnd_page_cache_ops(kp_rnd_page_cache *pc);
int kp_rnd_page_cache_finish(kp_rnd_page_cache *pc,
			     const struct kp_inspect_result *r, kp_err *e);
void kp_rnd_page_cache_free(kp_rnd_page_cache *pc);

/* One inspection of a unit's site, stored in the round as `kaoping
 * inspect URL --round R --unit U` stores it (false alarms filtered, the
 * changes since the one before), the page cache used (incremental) or
 * only refreshed (full).  A scheduled one names its job and worker: the
 * job is closed in the inspection's own transaction, so an inspection is
 * stored once however often its job runs (lost: another worker has the
 * job now and nothing was stored; not an error). */
typedef struct kp_rnd_site_job {
	const char *conn, *round;     /* round NULL: the newest */
	const char *unit, *site;
	const struct kp_inspect_opts *opts;   /* copied; its cache is set */
	bool incremental;
	int64_t job;
	const char *worker, *author;
} kp_rnd_site_job;

typedef struct kp_rnd_site_result {
	int64_t inspection;           /* its number, 0 when not stored */
	size_t pages, downloaded, not_modified, findings;
	bool lost;
} kp_rnd_site_result;

int kp_rnd_inspect_site(const kp_rnd_site_job *j, kp_rnd_site_result *out,
			kp_err *e);

/* An inspection as JSON (id, round, unit, site, as_of, times, pages,
 * findings, author). */
struct json_t *kp_rnd_inspection_json(const kp_inspection *in);
/* {"previous": time|null, "previous_id": n|null, "new": [finding…],
 * "fixed": [finding…], "still": n}: in against the one before it. */
int kp_rnd_changes_json(kp_store *db, const kp_inspection *in,
			struct json_t **out, kp_err *e);

typedef struct kp_rnd_history {
	kp_round round;
	char *unit;            /* canonical, NULL: every unit */
	kp_inspection *v;      /* oldest first; summary NULL */
	struct json_t **changes;   /* per inspection, kp_rnd_changes_json */
	size_t n;
} kp_rnd_history;

/* The inspections of round name (NULL: newest), of unit (NULL: all). */
int kp_rnd_history_get(const char *conn, const char *name,
		       const char *unit, kp_rnd_history *out, kp_err *e);
void kp_rnd_history_release(kp_rnd_history *h);
struct json_t *kp_rnd_history_json(const kp_rnd_history *h);

/* The reviews of a round's unit, oldest first (owned copies). */
typedef struct kp_rnd_reviews {
	kp_store_review *v;
	size_t n;
} kp_rnd_reviews;

typedef struct kp_rnd_inspection {
	kp_inspection in;
	kp_store_finding *findings;   /* strings owned */
	size_t nfindings;
	struct json_t *changes;
	kp_rnd_reviews reviews;       /* its unit's, for each finding's
				       * review (kp_rnd_review_for) */
} kp_rnd_inspection;

/* Inspection number id, or (id 0) the latest of unit in round name
 * (NULL: newest round); KP_RND_ENOTFOUND when there is none. */
int kp_rnd_inspection_get(const char *conn, int64_t id, const char *name,
			  const char *unit, kp_rnd_inspection *out,
			  kp_err *e);
void kp_rnd_inspection_release(kp_rnd_inspection *x);
/* What `inspect --json` printed when it was stored, with "inspection"
 * and "changes", and each reviewed finding's "review". */
struct json_t *kp_rnd_inspection_full_json(const kp_rnd_inspection *x);

/* The facts inspection x gives its round's tables through map (NULL:
 * the bundled facts map), appended to fs, each carrying x's id (its
 * inspection column); *tables: the tables' ids,
 * "、"-joined (caller frees).  No table of the round in the map is
 * KP_EINPUT. */
int kp_rnd_inspection_facts(const char *conn, const kp_rnd_inspection *x,
			    const char *map, kp_facts *fs, char **tables,
			    kp_err *e);

/* ---- reviews of findings (review.c) ----------------------------------- */

/* Record a person's decision on finding n (from 1) of stored inspection
 * id: confirmed, or a false alarm; note may be NULL; *review its number.
 * No such inspection or finding is KP_RND_ENOTFOUND.  A false alarm is
 * left out of the unit's later inspections (kp_rnd_target_filter); only
 * a confirmed content.* finding becomes a fact (kp_rnd_inspection_facts). */
int kp_rnd_inspection_review(const char *conn, int64_t id, int64_t n,
			     bool confirm, const char *note, const char *who,
			     int64_t *review, kp_err *e);

/* The reviews of a round's unit (kp_rnd_reviews above), oldest first. */
int kp_rnd_reviews_load(kp_store *db, int64_t round, const char *unit,
			kp_rnd_reviews *out, kp_err *e);
void kp_rnd_reviews_release(kp_rnd_reviews *rv);
/* The review that counts for the finding (check, key): the latest of
 * that identity; NULL when none.  Borrowed from rv. */
const kp_store_review *kp_rnd_review_for(const kp_rnd_reviews *rv,
					 const char *check, const char *key);
bool kp_rnd_review_false_alarm(const kp_store_review *r);   /* NULL: false */
/* {"id", "decision", "label": 确认属实|误报, "inspection", "finding",
 * "note", "author", "at"} */
struct json_t *kp_rnd_review_json(const kp_store_review *r);
/* Before kp_rnd_target_store: leave out of r, of keys (its findings'
 * keys, kp_inspect_finding_keys) and of j's "findings" every finding a
 * person called a false alarm in t's round and unit (freed; r->nfindings
 * becomes the number kept); j gets "false_alarms" listing them with
 * their review.  Returns how many were left out, or -1. */
int kp_rnd_target_filter(kp_rnd_target *t, struct kp_inspect_result *r,
			 char **keys, struct json_t *j, kp_err *e);

#endif
