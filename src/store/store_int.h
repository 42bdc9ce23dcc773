/*
 * The narrow interface between the store's logic (store.c, written once)
 * and its backends (sqlite.c, pg.c).  SQL is written once with '?'
 * placeholders; the PostgreSQL backend numbers them ($1, $2 …).  Each
 * backend prepares a statement given to run() once per connection and
 * keeps it (a copy of its text is the key), so a loop of inserts costs
 * one prepare.
 */
#ifndef KP_STORE_INT_H
#define KP_STORE_INT_H

#include "store/store.h"

typedef enum kp_vtype { KP_V_NULL, KP_V_INT, KP_V_TEXT } kp_vtype;

typedef struct kp_val {
	kp_vtype t;
	int64_t i;
	const char *s;
} kp_val;

#define KV_INT(x) ((kp_val){ KP_V_INT, (int64_t)(x), NULL })
#define KV_TEXT(x) ((kp_val){ KP_V_TEXT, 0, (x) })
#define KV_NULL ((kp_val){ KP_V_NULL, 0, NULL })

/* A row: ncols values, borrowed for the call.  0 go on, -1 stop. */
typedef int (*kp_row_fn)(void *ctx, const kp_val *cols, int ncols,
			 kp_err *e);

struct kp_backend {
	const char *name;
	/* DDL for an auto-numbered primary key column */
	const char *id_ddl;
	/* statements without parameters (several, ';'-separated) */
	int (*exec)(kp_store *s, const char *sql, kp_err *e);
	/* one statement; fn (may be NULL) sees each row.  Returns the
	 * number of rows seen or changed, or -1. */
	int64_t (*run)(kp_store *s, const char *sql, const kp_val *p, int np,
		       kp_row_fn fn, void *ctx, kp_err *e);
	/* optional (NULL: use run): the same for a result the caller knows
	 * is small (a round's units: thousands of short rows), read whole
	 * rather than row by row (PostgreSQL: one result, not one a row) */
	int64_t (*run_small)(kp_store *s, const char *sql, const kp_val *p,
			     int np, kp_row_fn fn, void *ctx, kp_err *e);
	/* optional (NULL: use run): the same when the caller knows each
	 * column's type, one letter a column in types — 'i' integer (NULL
	 * reads as 0), 't' text (NULL reads as "") — so the backend need
	 * not ask for every value (reading millions of facts). */
	int64_t (*run_typed)(kp_store *s, const char *sql, const kp_val *p,
			     int np, const char *types, kp_row_fn fn, void *ctx,
			     kp_err *e);
	/* optional (NULL: none): bulk rows in, inside the open transaction
	 * — sql is "COPY t (cols) FROM STDIN" and data n bytes of rows in
	 * COPY's text format (tab between fields, \N for NULL, a newline
	 * after each row).  Returns 0 or -1 (nothing of data stored). */
	int (*copy_in)(kp_store *s, const char *sql, const char *data,
		       size_t n, kp_err *e);
	/* optional, with copy_in: the same in pieces, sent as they come —
	 * the server reads one piece while the caller makes the next (a
	 * national facts file: the server's parsing beside the client's,
	 * not after it).  Between start and end nothing else may run on
	 * the store; end with ok false abandons the rows (the transaction
	 * must then roll back). */
	int (*copy_start)(kp_store *s, const char *sql, kp_err *e);
	int (*copy_put)(kp_store *s, const char *data, size_t n, kp_err *e);
	int (*copy_end)(kp_store *s, bool ok, kp_err *e);
	/* a write transaction (writers serialise) */
	int (*begin)(kp_store *s, kp_err *e);
	int (*commit)(kp_store *s, kp_err *e);
	void (*rollback)(kp_store *s);
	/* migrations: lock out other migrating processes (inside begin) */
	int (*lock_schema)(kp_store *s, kp_err *e);
	bool (*has_table)(kp_store *s, const char *name);
	void (*close)(kp_store *s);
};

struct kp_store {
	const struct kp_backend *ops;
	void *impl;
	char *where;
	bool in_tx;
};

/* Shared by the store's files: store.c (open, close, helpers),
 * migrate.c, rounds.c, facts.c, results.c, audit.c, inspections.c,
 * ledgers.c and reviews.c.  Each includes only this header; none
 * includes another's. */
static inline const char *kp_val_str(const kp_val *v)
{
	return v->t == KP_V_TEXT ? v->s : "";
}

/* A copy of a text value ("" for NULL); caller frees. */
static inline char *kp_val_dup(const kp_val *v)
{
	return kp_xstrdup(kp_val_str(v));
}

/* Roll back the open transaction; returns -1 for the caller to return. */
static inline int kp_store_fail_tx(kp_store *s)
{
	s->ops->rollback(s);
	return -1;
}

/* Apply the migrations (migrate.c) up to version upto. */
int kp_store_migrate(kp_store *s, int upto, kp_err *e);

/* The round's units by name, for resolving ids without a query each
 * (facts.c; results.c uses it too).  Load, find (0: no such unit),
 * release. */
struct kp_unit_id {
	char *name;
	int64_t id;
};

struct kp_unit_map {
	struct kp_unit_id *v;
	size_t n, cap;
};

int kp_unit_map_row(void *ctx, const kp_val *c, int n, kp_err *e);
int kp_unit_map_load(kp_store *s, int64_t round, struct kp_unit_map *m,
		     kp_err *e);
int64_t kp_unit_map_find(const struct kp_unit_map *m, const char *name);
void kp_unit_map_release(struct kp_unit_map *m);

/* The round's table ids by position, for facts' table column. */
struct kp_table_ids {
	char **v;
	size_t n;
};

int kp_table_ids_load(kp_store *s, int64_t round, struct kp_table_ids *t,
		      kp_err *e);
void kp_table_ids_release(struct kp_table_ids *t);

/* s->ops->run_small, or run where the backend has none: for a result
 * known to be small (a round's units). */
static inline int64_t kp_store_run_small(kp_store *s, const char *sql,
					 const kp_val *p, int np,
					 kp_row_fn fn, void *ctx, kp_err *e)
{
	return (s->ops->run_small ? s->ops->run_small : s->ops->run)(
		s, sql, p, np, fn, ctx, e);
}

/* A kp_row_fn: the first column, an integer, into *(int64_t *)ctx. */
static inline int kp_row_first_int(void *ctx, const kp_val *c, int n,
				   kp_err *e)
{
	(void)e;
	if (n > 0 && c[0].t == KP_V_INT)
		*(int64_t *)ctx = c[0].i;
	return 0;
}

/* A name resolved to its id (rounds.c): the round named name when
 * round is 0, else the unit named name in round; *id = 0 when there is
 * none.  Inside or outside a transaction; -1 and e only when the query
 * fails. */
int kp_store_id_by_name(kp_store *s, int64_t round, const char *name,
			int64_t *id, kp_err *e);
/* Inside a transaction: does round exist (*exists 1/0)?  On PostgreSQL
 * also lock its row until commit, so that the round's writers number
 * their facts in the order they commit (SQLite's writers serialise
 * already). */
int kp_store_round_lock(kp_store *s, int64_t round, int64_t *exists,
			kp_err *e);
/* An audit row inside the caller's transaction. */
int kp_store_audit_tx(kp_store *s, int64_t round, const char *who,
		      const char *action, const char *detail, kp_err *e);

/* A probe's row inside the caller's transaction (sites.c, for jobs.c):
 * the number of rows added (0: the (site, sched) was there). */
int64_t kp_store_probe_put_tx(kp_store *s, const kp_probe *p, kp_err *e);
/* INSERT INTO site_home (migration 26) each site's homepage run as its
 * successful probes give it (those with "ok <> 0" COND, e.g. " AND
 * site_id = ?"): the newest, its hash, the newest of another hash
 * (prev_end) and the first after that (run_start). */
#define KP_SITE_HOME_FILL(COND)                                              \
	"INSERT INTO site_home (site_id, hash, run_start, prev_end, last_ok,"  \
	" dirty)"                                                             \
	" SELECT x.site_id, x.hash, CASE WHEN x.prev_end IS NULL"             \
	"  THEN (SELECT MIN(p.sched) FROM probes p WHERE p.site_id = x.site_id" \
	"   AND p.ok <> 0)"                                                   \
	"  ELSE (SELECT MIN(p.sched) FROM probes p WHERE p.site_id = x.site_id" \
	"   AND p.ok <> 0 AND p.sched > x.prev_end) END,"                     \
	"  x.prev_end, x.last_ok, 0"                                          \
	" FROM (SELECT y.site_id, y.last_ok, y.hash,"                         \
	"  (SELECT MAX(p.sched) FROM probes p WHERE p.site_id = y.site_id"    \
	"   AND p.ok <> 0 AND p.hash <> y.hash) AS prev_end"                  \
	"  FROM (SELECT lo.site_id, lo.last_ok, p.hash FROM"                  \
	"   (SELECT site_id, MAX(sched) AS last_ok FROM probes WHERE ok <> 0" \
	COND " GROUP BY site_id) lo"                                          \
	"   JOIN probes p ON p.site_id = lo.site_id AND p.sched = lo.last_ok) y) x"
/* The hour of probe_hours (migration 24) a probe at sched counts in, as
 * the migration's SQL computes it (sched / 3600, times after 1970). */
static inline int64_t kp_probe_hour(int64_t sched)
{
	return sched / 3600;
}
/* The Beijing day of probe_days (migration 24): (sched + 8 h) / 1 day. */
static inline int64_t kp_probe_day(int64_t sched)
{
	return (sched + 28800) / 86400;
}

int kp_sqlite_open(kp_store *s, const char *path, int flags, kp_err *e);
int kp_pg_open(kp_store *s, const char *conninfo, kp_err *e);

/* kp_store_open applying the migrations only up to version: how the
 * tests make a database as an older kaoping left it. */
int kp_store_open_at(const char *conn, int flags, int version,
		     kp_store **out, kp_err *e);

/* A field in COPY's text format appended to b (copy_in's rows, helpers.c):
 * text with backslash, tab, newline and CR escaped; an integer. */
void kp_copy_text(kp_buf *b, const char *v);
void kp_copy_int(kp_buf *b, int64_t v);
/* The round r's last entry in its fact history on PostgreSQL, from the
 * packs' last seqs and the withdrawals (every fact is one or the other):
 * two index seeks (migration 20 dropped facts' (round_id, seq) index,
 * which only this needed).  r: SQL for the round's id. */
#define KP_PACK_LAST_SEQ(r)                                                  \
	"GREATEST((SELECT COALESCE(MAX(p.last_seq), 0) FROM fact_packs p"     \
	" WHERE p.round_id = " r "), (SELECT COALESCE(MAX(w.seq), 0) FROM facts w" \
	" WHERE w.round_id = " r " AND w.kind = 'withdraw'))"
/* The packs (migration 20, PostgreSQL) of the facts in table src that
 * meet cond (SQL after "AND", or ""), a pack per round and unit, as the
 * rows of fact_packs: each fact a line in COPY's text format of
 * indicator, kind, name, num, den, source, seq, tbl, period, inspection,
 * batch_id (facts.c reads them), lines in seq order; withdrawals are not
 * packed.  Since migration 25 a kind and a source are written as the
 * one letter of KP_PACK_KINDS / KP_PACK_SOURCES (a quarter of a line,
 * and no name to compare when read), any other spelling as it is; the
 * reader takes both.  The one definition of a pack: migrations 20 and
 * 25 pack the facts stored before them, facts.c each batch. */
#define KP_PACK_KINDS                                                       \
	"CASE kind WHEN 'score' THEN 's' WHEN 'fail' THEN 'f'"             \
	" WHEN 'quantity' THEN 'q' WHEN 'veto' THEN 'v' WHEN 'na' THEN 'n'"  \
	" WHEN 'assessed' THEN 'a' ELSE kp_copy_field(kind) END"
#define KP_PACK_SOURCES                                                     \
	"CASE source WHEN 'self' THEN 's' WHEN 'assessor' THEN 'a'"        \
	" WHEN 'inspect' THEN 'i' WHEN 'ledger' THEN 'l'"                   \
	" ELSE kp_copy_field(source) END"
#define KP_PACK_INSERT(src, cond)                                           \
	"INSERT INTO fact_packs (round_id, unit_id, first_seq, last_seq, body)" \
	" SELECT round_id, unit_id, min(seq), max(seq), string_agg(concat_ws(" \
	"chr(9), kp_copy_field(indicator), " KP_PACK_KINDS ","              \
	" kp_copy_field(name), coalesce(num::text, chr(92) || 'N'),"        \
	" coalesce(den::text, chr(92) || 'N'), " KP_PACK_SOURCES ", seq,"   \
	" tbl, kp_copy_field(period), inspection, batch_id), chr(10)"       \
	" ORDER BY seq) FROM " src " WHERE kind <> 'withdraw'" cond         \
	" GROUP BY round_id, unit_id"
/* KP_PACK_KINDS' and KP_PACK_SOURCES' letters read back: the kind or
 * source, or -1 for a letter that is not one. */
static inline int kp_pack_kind(char c)
{
	switch (c) {
	case 's': return KP_FACT_SCORE;
	case 'f': return KP_FACT_FAIL;
	case 'q': return KP_FACT_QUANTITY;
	case 'v': return KP_FACT_VETO;
	case 'n': return KP_FACT_NA;
	case 'a': return KP_FACT_ASSESSED;
	default: return -1;
	}
}

static inline int kp_pack_source(char c)
{
	switch (c) {
	case 's': return KP_SRC_SELF;
	case 'a': return KP_SRC_ASSESSOR;
	case 'i': return KP_SRC_INSPECT;
	case 'l': return KP_SRC_LEDGER;
	default: return -1;
	}
}

/* One row in COPY's text format (row[0..n), a final '\n' allowed) into
 * cols as types says ('i' an integer, NULL read as 0; 't' text, NULL
 * read as ""): the texts point into row, which is decoded in place.
 * -1 when the row has fewer fields than types (pg.c's reads, facts.c's
 * packs). */
int kp_copy_row_parse(char *row, int n, const char *types, kp_val *cols,
		      int ncols);
/* Its pieces, for a reader that knows its columns (facts.c's packs): a
 * text field [f, end) decoded in place and ended with a zero byte; the
 * integer at *f (digits after an optional '-', read up to end, or, end
 * NULL, up to the first byte that is not one — a zero-terminated text;
 * none — NULL, "\\N" — reads as 0), *f moved past its digits. */
void kp_copy_unescape(char *f, char *end);
static inline int64_t kp_copy_int_at(const char **f, const char *end)
{
	const char *q = *f;
	bool neg = (!end || q < end) && *q == '-';
	uint64_t u = 0;
	for (q += neg; (!end || q < end) && (unsigned char)(*q - '0') < 10; q++)
		u = u * 10 + (uint64_t)(*q - '0');
	*f = q;
	return neg ? -(int64_t)u : (int64_t)u;
}

/* Test hook: KP_TEST_KILL_AFTER=N makes a process SIGKILL itself after
 * writing N facts inside the transaction (tests of crash safety). */
long kp_store_test_kill_after(void);
void kp_store_test_kill_point(long after, size_t written);

/* The canonical text of table id (title, hash: kp_store_hash) in
 * schemes once, whoever stores it first; *sid its row (rounds.c). */
int kp_store_put_text(kp_store *s, const char *id, const char *title,
		      const char *text, const char *hash, int64_t *sid,
		      kp_err *e);

#endif
