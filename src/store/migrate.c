/* store — the schema: numbered migrations, applied when a store
 * opens (kp_store_migrate). */
#include "store/store_int.h"

#include <string.h>

/* ---- migrations -------------------------------------------------------
 * Numbered, never edited once released: a change of schema is a new row.
 * "%ID%" becomes the backend's auto-numbered key.  A row may add SQL for
 * one backend only (triggers differ). */

struct migration {
	int version;
	const char *sql;
	const char *sqlite_sql;
	const char *pg_sql;
};

#define PROBE_HOURS_FILL                                                    \
	"INSERT INTO probe_hours (site_id, hour, n, f)"                      \
	" SELECT site_id, sched / 3600, COUNT(*),"                          \
	" SUM(CASE WHEN ok = 0 THEN 1 ELSE 0 END) FROM probes"              \
	" GROUP BY site_id, sched / 3600;"                                  \
	"INSERT INTO probe_days (site_id, day, n, f)"                        \
	" SELECT site_id, (hour + 8) / 24, SUM(n), SUM(f)"                   \
	" FROM probe_hours GROUP BY site_id, (hour + 8) / 24;"

/* The fact packs' table (migrations 20 and 25), and its indexes and
 * append-only trigger. */
#define FACT_PACKS_TABLE                                                    \
	"CREATE TABLE fact_packs ("                                          \
	" round_id BIGINT NOT NULL,"                                         \
	" unit_id BIGINT NOT NULL,"                                          \
	" first_seq BIGINT NOT NULL,"                                        \
	" last_seq BIGINT NOT NULL,"                                         \
	" body TEXT NOT NULL);"
#define FACT_PACKS_KEYS                                                     \
	"CREATE INDEX fact_packs_by_unit ON fact_packs"                      \
	" (round_id, unit_id, first_seq);"                                   \
	"CREATE INDEX fact_packs_last ON fact_packs (round_id, last_seq);"   \
	"CREATE TRIGGER fact_packs_append_only BEFORE UPDATE OR DELETE"      \
	" ON fact_packs FOR EACH ROW EXECUTE FUNCTION kp_append_only();"

static const struct migration migrations[] = {
	{ 1,
	  "CREATE TABLE schemes ("
	  " id %ID%,"
	  " table_id TEXT NOT NULL,"
	  " title TEXT NOT NULL,"
	  " hash TEXT NOT NULL,"
	  " body TEXT NOT NULL,"
	  " created_at TEXT NOT NULL,"
	  " UNIQUE (table_id, hash));"
	  "CREATE TABLE rounds ("
	  " id %ID%,"
	  " name TEXT NOT NULL UNIQUE,"
	  " period TEXT NOT NULL,"
	  " scheme_id BIGINT NOT NULL REFERENCES schemes(id),"
	  " table_source TEXT NOT NULL,"
	  " registry TEXT NOT NULL,"
	  " created_at TEXT NOT NULL,"
	  " created_by TEXT NOT NULL,"
	  " scored_seq BIGINT NOT NULL DEFAULT -1);"
	  "CREATE TABLE units ("
	  " id %ID%,"
	  " round_id BIGINT NOT NULL REFERENCES rounds(id),"
	  " name TEXT NOT NULL,"
	  " type TEXT NOT NULL,"
	  " aliases TEXT NOT NULL,"
	  " tags TEXT NOT NULL,"
	  " UNIQUE (round_id, name));"
	  "CREATE TABLE batches ("
	  " id %ID%,"
	  " round_id BIGINT NOT NULL REFERENCES rounds(id),"
	  " file TEXT NOT NULL,"
	  " author TEXT NOT NULL,"
	  " added_at TEXT NOT NULL,"
	  " count BIGINT NOT NULL);"
	  "CREATE TABLE facts ("
	  " seq %ID%,"
	  " round_id BIGINT NOT NULL REFERENCES rounds(id),"
	  " batch_id BIGINT NOT NULL REFERENCES batches(id),"
	  " unit_id BIGINT NOT NULL REFERENCES units(id),"
	  " indicator TEXT NOT NULL,"
	  " kind TEXT NOT NULL,"
	  " name TEXT NOT NULL,"
	  " num BIGINT,"
	  " den BIGINT,"
	  " source TEXT NOT NULL,"
	  " author TEXT NOT NULL,"
	  " time TEXT NOT NULL,"
	  " url TEXT NOT NULL,"
	  " note TEXT NOT NULL,"
	  " line BIGINT NOT NULL);"
	  "CREATE INDEX facts_by_unit ON facts (round_id, unit_id, seq);"
	  "CREATE TABLE results ("
	  " round_id BIGINT NOT NULL REFERENCES rounds(id),"
	  " unit_id BIGINT NOT NULL REFERENCES units(id),"
	  " total_n BIGINT NOT NULL,"
	  " total_d BIGINT NOT NULL,"
	  " self_n BIGINT,"
	  " self_d BIGINT,"
	  " vetoed BIGINT NOT NULL,"
	  " outcome TEXT NOT NULL,"
	  " convert TEXT NOT NULL,"
	  " conv_n BIGINT,"
	  " conv_d BIGINT,"
	  " rank BIGINT NOT NULL,"
	  " computed_at TEXT NOT NULL,"
	  " PRIMARY KEY (round_id, unit_id));"
	  "CREATE TABLE audit ("
	  " id %ID%,"
	  " at TEXT NOT NULL,"
	  " who TEXT NOT NULL,"
	  " round_id BIGINT REFERENCES rounds(id),"
	  " action TEXT NOT NULL,"
	  " detail TEXT NOT NULL);",
	  /* facts and the audit log are append-only */
	  "CREATE TRIGGER facts_append_only_u BEFORE UPDATE ON facts"
	  " BEGIN SELECT RAISE(ABORT, 'facts are append-only'); END;"
	  "CREATE TRIGGER facts_append_only_d BEFORE DELETE ON facts"
	  " BEGIN SELECT RAISE(ABORT, 'facts are append-only'); END;"
	  "CREATE TRIGGER audit_append_only_u BEFORE UPDATE ON audit"
	  " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	  "CREATE TRIGGER audit_append_only_d BEFORE DELETE ON audit"
	  " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
	  "CREATE FUNCTION kp_append_only() RETURNS trigger LANGUAGE plpgsql"
	  " AS $$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$;"
	  "CREATE TRIGGER facts_append_only BEFORE UPDATE OR DELETE ON facts"
	  " FOR EACH ROW EXECUTE FUNCTION kp_append_only();"
	  "CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit"
	  " FOR EACH ROW EXECUTE FUNCTION kp_append_only();" },
	/* schemes: a round scores with one or several indicator tables
	 * (round_tables; rounds.scheme_id stays the one at position 0), the
	 * scheme that listed them (scheme_def) and how they combine; each
	 * unit says which tables it is assessed on, each fact which table it
	 * is about, and a round of several tables keeps each table's result
	 * beside the combined one.  A round made before this is one table,
	 * every unit and fact on it. */
	{ 2,
	  "ALTER TABLE rounds ADD COLUMN scheme_def BIGINT REFERENCES schemes(id);"
	  "ALTER TABLE rounds ADD COLUMN scheme_source TEXT NOT NULL DEFAULT '';"
	  "ALTER TABLE rounds ADD COLUMN combine TEXT NOT NULL DEFAULT '';"
	  "CREATE TABLE round_tables ("
	  " round_id BIGINT NOT NULL REFERENCES rounds(id),"
	  " pos BIGINT NOT NULL,"
	  " scheme_id BIGINT NOT NULL REFERENCES schemes(id),"
	  " table_source TEXT NOT NULL,"
	  " label TEXT NOT NULL,"
	  " applies TEXT NOT NULL,"
	  " weight_n BIGINT,"
	  " weight_d BIGINT,"
	  " PRIMARY KEY (round_id, pos));"
	  "INSERT INTO round_tables (round_id, pos, scheme_id, table_source,"
	  " label, applies) SELECT id, 0, scheme_id, table_source, '', ''"
	  " FROM rounds;"
	  "ALTER TABLE units ADD COLUMN tables TEXT NOT NULL DEFAULT '0';"
	  "ALTER TABLE facts ADD COLUMN tbl BIGINT NOT NULL DEFAULT 0;"
	  "CREATE TABLE result_parts ("
	  " round_id BIGINT NOT NULL REFERENCES rounds(id),"
	  " unit_id BIGINT NOT NULL REFERENCES units(id),"
	  " pos BIGINT NOT NULL,"
	  " total_n BIGINT NOT NULL,"
	  " total_d BIGINT NOT NULL,"
	  " self_n BIGINT,"
	  " self_d BIGINT,"
	  " vetoed BIGINT NOT NULL,"
	  " outcome TEXT NOT NULL,"
	  " convert TEXT NOT NULL,"
	  " conv_n BIGINT,"
	  " conv_d BIGINT,"
	  " value_n BIGINT NOT NULL,"
	  " value_d BIGINT NOT NULL,"
	  " PRIMARY KEY (round_id, unit_id, pos));",
	  NULL, NULL },
	/* 3: website inspections of a round's units and their findings
	 * (inspections.c); append-only like facts */
	{ 3,
	  "CREATE TABLE inspections ("
	  " id %ID%,"
	  " round_id BIGINT NOT NULL REFERENCES rounds(id),"
	  " unit_id BIGINT NOT NULL REFERENCES units(id),"
	  " site TEXT NOT NULL,"
	  " as_of TEXT NOT NULL,"
	  " started_at TEXT NOT NULL,"
	  " finished_at TEXT NOT NULL,"
	  " pages BIGINT NOT NULL,"
	  " nfindings BIGINT NOT NULL,"
	  " summary TEXT NOT NULL,"
	  " author TEXT NOT NULL);"
	  "CREATE INDEX inspections_by_unit ON inspections"
	  " (round_id, unit_id, site, id);"
	  "CREATE TABLE inspection_findings ("
	  " inspection_id BIGINT NOT NULL REFERENCES inspections(id),"
	  " ord BIGINT NOT NULL,"
	  " check_name TEXT NOT NULL,"
	  " finding_key TEXT NOT NULL,"
	  " severity TEXT NOT NULL,"
	  " message TEXT NOT NULL,"
	  " url TEXT NOT NULL,"
	  " snippet TEXT NOT NULL,"
	  " time TEXT NOT NULL,"
	  " PRIMARY KEY (inspection_id, ord),"
	  " UNIQUE (inspection_id, check_name, finding_key));",
	  "CREATE TRIGGER inspections_append_only_u BEFORE UPDATE ON inspections"
	  " BEGIN SELECT RAISE(ABORT, 'inspections are append-only'); END;"
	  "CREATE TRIGGER inspections_append_only_d BEFORE DELETE ON inspections"
	  " BEGIN SELECT RAISE(ABORT, 'inspections are append-only'); END;"
	  "CREATE TRIGGER inspection_findings_append_only_u BEFORE UPDATE ON inspection_findings"
	  " BEGIN SELECT RAISE(ABORT, 'inspection findings are append-only'); END;"
	  "CREATE TRIGGER inspection_findings_append_only_d BEFORE DELETE ON inspection_findings"
	  " BEGIN SELECT RAISE(ABORT, 'inspection findings are append-only'); END;",
	  "CREATE TRIGGER inspections_append_only BEFORE UPDATE OR DELETE ON inspections"
	  " FOR EACH ROW EXECUTE FUNCTION kp_append_only();"
	  "CREATE TRIGGER inspection_findings_append_only BEFORE UPDATE OR DELETE"
	  " ON inspection_findings FOR EACH ROW EXECUTE FUNCTION kp_append_only();" },
	/* 4: the ledgers (ledgers.c) — the 政务信息 ledger's submissions and
	 * adoptions and the task-progress ledgers, a row per row of their
	 * CSV files, cell for cell, numbered within their ledger (seq, the
	 * files' id for the 政务信息 ledger); append-only like the files.
	 * And the website of each unit of a round, from its registry. */
	{ 4,
	  "ALTER TABLE units ADD COLUMN website TEXT NOT NULL DEFAULT '';"
	  "CREATE TABLE info_submissions ("
	  " ledger TEXT NOT NULL,"
	  " seq BIGINT NOT NULL,"
	  " unit TEXT NOT NULL,"
	  " date TEXT NOT NULL,"
	  " title TEXT NOT NULL,"
	  " category TEXT NOT NULL,"
	  " urgent TEXT NOT NULL,"
	  " request TEXT NOT NULL,"
	  " due TEXT NOT NULL,"
	  " false_info TEXT NOT NULL,"
	  " note TEXT NOT NULL,"
	  " PRIMARY KEY (ledger, seq));"
	  "CREATE TABLE info_adoptions ("
	  " ledger TEXT NOT NULL,"
	  " seq BIGINT NOT NULL,"
	  " item TEXT NOT NULL,"
	  " publication TEXT NOT NULL,"
	  " date TEXT NOT NULL,"
	  " issue TEXT NOT NULL,"
	  " pishi TEXT NOT NULL,"
	  " pishi_by TEXT NOT NULL,"
	  " upstream TEXT NOT NULL,"
	  " note TEXT NOT NULL,"
	  " PRIMARY KEY (ledger, seq));"
	  "CREATE TABLE task_progress ("
	  " ledger TEXT NOT NULL,"
	  " seq BIGINT NOT NULL,"
	  " type TEXT NOT NULL,"
	  " task TEXT NOT NULL,"
	  " unit TEXT NOT NULL,"
	  " date TEXT NOT NULL,"
	  " status TEXT NOT NULL,"
	  " note TEXT NOT NULL,"
	  " url TEXT NOT NULL,"
	  " PRIMARY KEY (ledger, seq));",
	  "CREATE TRIGGER info_submissions_append_only_u BEFORE UPDATE ON info_submissions"
	  " BEGIN SELECT RAISE(ABORT, 'ledgers are append-only'); END;"
	  "CREATE TRIGGER info_submissions_append_only_d BEFORE DELETE ON info_submissions"
	  " BEGIN SELECT RAISE(ABORT, 'ledgers are append-only'); END;"
	  "CREATE TRIGGER info_adoptions_append_only_u BEFORE UPDATE ON info_adoptions"
	  " BEGIN SELECT RAISE(ABORT, 'ledgers are append-only'); END;"
	  "CREATE TRIGGER info_adoptions_append_only_d BEFORE DELETE ON info_adoptions"
	  " BEGIN SELECT RAISE(ABORT, 'ledgers are append-only'); END;"
	  "CREATE TRIGGER task_progress_append_only_u BEFORE UPDATE ON task_progress"
	  " BEGIN SELECT RAISE(ABORT, 'ledgers are append-only'); END;"
	  "CREATE TRIGGER task_progress_append_only_d BEFORE DELETE ON task_progress"
	  " BEGIN SELECT RAISE(ABORT, 'ledgers are append-only'); END;",
	  "CREATE TRIGGER info_submissions_append_only BEFORE UPDATE OR DELETE"
	  " ON info_submissions FOR EACH ROW EXECUTE FUNCTION kp_append_only();"
	  "CREATE TRIGGER info_adoptions_append_only BEFORE UPDATE OR DELETE"
	  " ON info_adoptions FOR EACH ROW EXECUTE FUNCTION kp_append_only();"
	  "CREATE TRIGGER task_progress_append_only BEFORE UPDATE OR DELETE"
	  " ON task_progress FOR EACH ROW EXECUTE FUNCTION kp_append_only();" },
	/* 5: the web server's accounts (users.c): users with their role
	 * and unit, Argon2id hashes and login throttling; sessions by the
	 * hash of their token; which rounds are published; the public's
	 * votes, one per voter per round */
	{ 5,
	  "CREATE TABLE users ("
	  " id %ID%,"
	  " name TEXT NOT NULL UNIQUE,"
	  " role TEXT NOT NULL,"
	  " unit TEXT NOT NULL,"
	  " hash TEXT NOT NULL,"
	  " disabled BIGINT NOT NULL DEFAULT 0,"
	  " failed BIGINT NOT NULL DEFAULT 0,"
	  " locked_until BIGINT NOT NULL DEFAULT 0,"
	  " created_at TEXT NOT NULL,"
	  " created_by TEXT NOT NULL);"
	  "CREATE TABLE sessions ("
	  " token TEXT PRIMARY KEY,"
	  " user_id BIGINT NOT NULL REFERENCES users(id),"
	  " csrf TEXT NOT NULL,"
	  " expires BIGINT NOT NULL,"
	  " address TEXT NOT NULL,"
	  " created_at TEXT NOT NULL);"
	  "CREATE TABLE publications ("
	  " round_id BIGINT PRIMARY KEY REFERENCES rounds(id),"
	  " at TEXT NOT NULL,"
	  " by_user TEXT NOT NULL);"
	  "CREATE TABLE votes ("
	  " round_id BIGINT NOT NULL REFERENCES rounds(id),"
	  " voter TEXT NOT NULL,"
	  " address TEXT NOT NULL,"
	  " unit TEXT NOT NULL,"
	  " rating TEXT NOT NULL,"
	  " at TEXT NOT NULL,"
	  " PRIMARY KEY (round_id, voter));"
	  "CREATE INDEX votes_by_address ON votes (round_id, address);",
	  NULL, NULL },
	/* 6: a person's review of an inspection's finding (reviews.c):
	 * confirmed or a false alarm, with a note; append-only — a later
	 * review of the same finding is the one that counts */
	{ 6,
	  "CREATE TABLE inspection_reviews ("
	  " id %ID%,"
	  " round_id BIGINT NOT NULL REFERENCES rounds(id),"
	  " unit_id BIGINT NOT NULL REFERENCES units(id),"
	  " inspection_id BIGINT NOT NULL REFERENCES inspections(id),"
	  " ord BIGINT NOT NULL,"
	  " check_name TEXT NOT NULL,"
	  " finding_key TEXT NOT NULL,"
	  " url TEXT NOT NULL,"
	  " decision TEXT NOT NULL,"
	  " note TEXT NOT NULL,"
	  " author TEXT NOT NULL,"
	  " at TEXT NOT NULL);"
	  "CREATE INDEX inspection_reviews_by_unit ON inspection_reviews"
	  " (round_id, unit_id, id);",
	  "CREATE TRIGGER inspection_reviews_append_only_u BEFORE UPDATE ON inspection_reviews"
	  " BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END;"
	  "CREATE TRIGGER inspection_reviews_append_only_d BEFORE DELETE ON inspection_reviews"
	  " BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END;",
	  "CREATE TRIGGER inspection_reviews_append_only BEFORE UPDATE OR DELETE"
	  " ON inspection_reviews FOR EACH ROW EXECUTE FUNCTION kp_append_only();" },
	/* 7: a result's status — how many of its nodes are still pending
	 * (未评; 0: complete), its maximum (满分, for grouping by unit type)
	 * and the veto row that fired ("" none) */
	{ 7,
	  "ALTER TABLE results ADD COLUMN pending BIGINT NOT NULL DEFAULT 0;"
	  "ALTER TABLE results ADD COLUMN max_n BIGINT;"
	  "ALTER TABLE results ADD COLUMN max_d BIGINT;"
	  "ALTER TABLE results ADD COLUMN veto_node TEXT NOT NULL DEFAULT '';",
	  NULL, NULL },
	/* 8: a fact's identity and history (docs/store.md): the period it
	 * counts for ("2016H1"; '' none) and the inspection it came from
	 * (0 none); a withdrawal is a row of the fact history too (kind
	 * 'withdraw', num = the withdrawn fact's seq, note = the reason),
	 * found through its own index */
	{ 8,
	  "ALTER TABLE facts ADD COLUMN period TEXT NOT NULL DEFAULT '';"
	  "ALTER TABLE facts ADD COLUMN inspection BIGINT NOT NULL DEFAULT 0;"
	  "CREATE INDEX facts_withdrawals ON facts (round_id, seq)"
	  " WHERE kind = 'withdraw';",
	  NULL, NULL },
	/* 9 (monitoring): the sites monitoring watches (sites.c) */
	{ 9,
	  "CREATE TABLE sites ("
	  " id %ID%,"
	  " unit TEXT NOT NULL,"
	  " url TEXT NOT NULL UNIQUE,"
	  " kind TEXT NOT NULL,"
	  " added TEXT NOT NULL);",
	  NULL, NULL },
	/* 10 (monitoring): probes of the sites' homepages, one per site and
	 * scheduled time; the warnings sent about them; the jobs workers
	 * claim under a lease (sites.c, jobs.c) */
	{ 10,
	  "CREATE TABLE probes ("
	  " site_id BIGINT NOT NULL REFERENCES sites(id),"
	  " sched BIGINT NOT NULL,"
	  " at BIGINT NOT NULL,"
	  " status BIGINT NOT NULL,"
	  " latency_ms BIGINT NOT NULL,"
	  " ok BIGINT NOT NULL,"
	  " error TEXT NOT NULL,"
	  " hash TEXT NOT NULL,"
	  " PRIMARY KEY (site_id, sched));"
	  "CREATE TABLE warnings ("
	  " id %ID%,"
	  " site_id BIGINT NOT NULL REFERENCES sites(id),"
	  " rule TEXT NOT NULL,"
	  " level TEXT NOT NULL,"
	  " opened BIGINT NOT NULL,"
	  " evidence TEXT NOT NULL,"
	  " notified BIGINT NOT NULL DEFAULT 0,"
	  " resolved BIGINT NOT NULL DEFAULT 0,"
	  " resolved_evidence TEXT NOT NULL DEFAULT '',"
	  " resolve_notified BIGINT NOT NULL DEFAULT 0);"
	  "CREATE INDEX warnings_by_site ON warnings (site_id, rule, resolved);"
	  "CREATE TABLE jobs ("
	  " id %ID%,"
	  " site_id BIGINT NOT NULL REFERENCES sites(id),"
	  " sched BIGINT NOT NULL,"
	  " state TEXT NOT NULL DEFAULT 'queued',"
	  " worker TEXT NOT NULL DEFAULT '',"
	  " lease_until BIGINT NOT NULL DEFAULT 0,"
	  " attempts BIGINT NOT NULL DEFAULT 0,"
	  " UNIQUE (site_id, sched));"
	  "CREATE INDEX jobs_due ON jobs (state, sched);",
	  NULL, NULL },
	/* 11 (web): evidence uploaded for a unit's indicator — the file is
	 * in the server's data directory under path (relative), named by its
	 * SHA-256; the name the uploader gave, its size and who, when
	 * (evidence.c).  Append-only. */
	{ 11,
	  "CREATE TABLE evidence ("
	  " id %ID%,"
	  " round_id BIGINT NOT NULL REFERENCES rounds(id),"
	  " unit_id BIGINT NOT NULL REFERENCES units(id),"
	  " indicator TEXT NOT NULL,"
	  " name TEXT NOT NULL,"
	  " type TEXT NOT NULL,"
	  " size BIGINT NOT NULL,"
	  " sha256 TEXT NOT NULL,"
	  " path TEXT NOT NULL,"
	  " note TEXT NOT NULL,"
	  " author TEXT NOT NULL,"
	  " at TEXT NOT NULL);"
	  "CREATE INDEX evidence_by_unit ON evidence (round_id, unit_id, id);",
	  "CREATE TRIGGER evidence_append_only_u BEFORE UPDATE ON evidence"
	  " BEGIN SELECT RAISE(ABORT, 'evidence is append-only'); END;"
	  "CREATE TRIGGER evidence_append_only_d BEFORE DELETE ON evidence"
	  " BEGIN SELECT RAISE(ABORT, 'evidence is append-only'); END;",
	  "CREATE TRIGGER evidence_append_only BEFORE UPDATE OR DELETE"
	  " ON evidence FOR EACH ROW EXECUTE FUNCTION kp_append_only();" },
	/* 12 (the store at national scale, PostgreSQL only): facts' rows
	 * are checked as a batch, not each by a trigger.  PostgreSQL checks
	 * a foreign key with a query per row — three a fact, two thirds of
	 * the time to load a national round's 1.5 million — while facts.c
	 * writes facts only inside a batch that checks the same thing once
	 * for all of them: the round is locked and exists, the batch is the
	 * transaction's own, and the move from the staging table joins
	 * every row to its unit in the round (a row that does not join
	 * refuses the batch).  Rounds, units and batches are never deleted.
	 * SQLite keeps its checks (an index probe each, cheap there). */
	{ 12, "", NULL,
	  "ALTER TABLE facts DROP CONSTRAINT IF EXISTS facts_round_id_fkey,"
	  " DROP CONSTRAINT IF EXISTS facts_batch_id_fkey,"
	  " DROP CONSTRAINT IF EXISTS facts_unit_id_fkey;" },
	/* 13 (monitoring): warnings are also sent by e-mail; what was mailed
	 * is kept apart from what was posted (notified), so each channel
	 * sends each event once whatever the other does */
	{ 13,
	  "ALTER TABLE warnings ADD COLUMN mailed BIGINT NOT NULL DEFAULT 0;"
	  "ALTER TABLE warnings ADD COLUMN resolve_mailed BIGINT NOT NULL DEFAULT 0;",
	  NULL, NULL },
	/* 14 (web): the audit rows of a round by number, so that counting
	 * them (kp_store_audit_count: the web server's test of "has this
	 * round changed") reads an index range, not the whole log. */
	{ 14,
	  "CREATE INDEX audit_by_round ON audit (round_id, id);",
	  NULL, NULL },
	/* 15 (web 指标体系): the tables an office imported (POST
	 * /api/tables/import) — the canonical text in schemes by (table id,
	 * hash), and here from which file, its encoding, how many rules to
	 * confirm, who and when (tables.c).  Append-only. */
	{ 15,
	  "CREATE TABLE imported_tables ("
	  " id %ID%,"
	  " scheme_id BIGINT NOT NULL REFERENCES schemes(id),"
	  " file TEXT NOT NULL,"
	  " encoding TEXT NOT NULL,"
	  " unsure BIGINT NOT NULL,"
	  " author TEXT NOT NULL,"
	  " at TEXT NOT NULL);",
	  "CREATE TRIGGER imported_tables_append_only_u BEFORE UPDATE ON imported_tables"
	  " BEGIN SELECT RAISE(ABORT, 'imported_tables is append-only'); END;"
	  "CREATE TRIGGER imported_tables_append_only_d BEFORE DELETE ON imported_tables"
	  " BEGIN SELECT RAISE(ABORT, 'imported_tables is append-only'); END;",
	  "CREATE TRIGGER imported_tables_append_only BEFORE UPDATE OR DELETE"
	  " ON imported_tables FOR EACH ROW EXECUTE FUNCTION kp_append_only();" },
	/* 16 (monitoring at scale): politeness across workers — each host
	 * (scheme://host:port) with the earliest real time, in ms, another
	 * request may start, and the token of the take that set it
	 * (hosts.c); and when each probe's request began, in ms of real
	 * time (0 for the probes written before), so the gap between two
	 * requests to a host can be read back. */
	{ 16,
	  "CREATE TABLE hosts ("
	  " host TEXT PRIMARY KEY,"
	  " next_ms BIGINT NOT NULL,"
	  " taker TEXT NOT NULL);"
	  "ALTER TABLE probes ADD COLUMN started_ms BIGINT NOT NULL DEFAULT 0;",
	  NULL, NULL },
	/* 17 (the store at national scale, PostgreSQL only): a round's
	 * last fact in one index seek (rounds.c, facts.c: every round open
	 * and every scoring asks), where PostgreSQL otherwise runs a subplan
	 * a unit, 14,000 of them.  Results and their parts are written by
	 * kp_store_results_put alone, for the round's units as it reads them
	 * in the same transaction (a unit not of the round refuses the
	 * whole write), and rounds and units are never deleted: their
	 * foreign keys, a query per row on PostgreSQL (28,000 a national
	 * scoring), check nothing more, as facts' did (12).  SQLite keeps
	 * its checks and its per-unit seeks (cheap there). */
	{ 17, "", NULL,
	  "CREATE INDEX IF NOT EXISTS facts_by_round_seq ON facts (round_id, seq);"
	  "ALTER TABLE results DROP CONSTRAINT IF EXISTS results_round_id_fkey,"
	  " DROP CONSTRAINT IF EXISTS results_unit_id_fkey;"
	  "ALTER TABLE result_parts DROP CONSTRAINT IF EXISTS result_parts_round_id_fkey,"
	  " DROP CONSTRAINT IF EXISTS result_parts_unit_id_fkey;" },
	/* 18 (monitoring): jobs of more than one kind — a probe, or a
	 * scheduled inspection of the whole site ('inspect', jobs.c): the
	 * kind is part of a job's key, so a site's probe and its inspection
	 * may fall on the same second.  SQLite cannot drop a UNIQUE
	 * constraint, so there the table is built again (ids kept).
	 * page_cache: what an inspection last saw of each page of a site
	 * (pages.c) — its validators (ETag, Last-Modified), the body's
	 * fingerprint, its Content-Type, whether it is a list page (the
	 * homepage, a column: always fetched again) and the body itself
	 * (deflated, base64), so that a page the server answers 304 Not
	 * Modified is read again as it was. */
	{ 18,
	  "CREATE TABLE page_cache ("
	  " site TEXT NOT NULL,"
	  " url TEXT NOT NULL,"
	  " etag TEXT NOT NULL,"
	  " last_modified TEXT NOT NULL,"
	  " hash TEXT NOT NULL,"
	  " ctype TEXT NOT NULL,"
	  " list BIGINT NOT NULL DEFAULT 0,"
	  " body TEXT NOT NULL,"
	  " size BIGINT NOT NULL,"
	  " at TEXT NOT NULL,"
	  " PRIMARY KEY (site, url));",
	  "CREATE TABLE jobs15 ("
	  " id INTEGER PRIMARY KEY AUTOINCREMENT,"
	  " site_id BIGINT NOT NULL REFERENCES sites(id),"
	  " kind TEXT NOT NULL DEFAULT 'probe',"
	  " sched BIGINT NOT NULL,"
	  " state TEXT NOT NULL DEFAULT 'queued',"
	  " worker TEXT NOT NULL DEFAULT '',"
	  " lease_until BIGINT NOT NULL DEFAULT 0,"
	  " attempts BIGINT NOT NULL DEFAULT 0,"
	  " UNIQUE (site_id, kind, sched));"
	  "INSERT INTO jobs15 (id, site_id, sched, state, worker, lease_until,"
	  " attempts) SELECT id, site_id, sched, state, worker, lease_until,"
	  " attempts FROM jobs;"
	  "DROP TABLE jobs;"
	  "ALTER TABLE jobs15 RENAME TO jobs;"
	  "CREATE INDEX jobs_due ON jobs (state, sched);",
	  "ALTER TABLE jobs ADD COLUMN kind TEXT NOT NULL DEFAULT 'probe';"
	  "ALTER TABLE jobs DROP CONSTRAINT jobs_site_id_sched_key;"
	  "ALTER TABLE jobs ADD CONSTRAINT jobs_site_kind_sched"
	  " UNIQUE (site_id, kind, sched);" },
	/* 19: a site's newest inspection, whatever its round, for
	 * monitoring's column rules (kp_store_inspection_latest) */
	{ 19,
	  "CREATE INDEX inspections_by_site ON inspections (site, as_of, id);",
	  NULL, NULL },
	/* 20 (the store at national scale, PostgreSQL only): each fact
	 * written once more, packed with the other facts of its batch for
	 * the same unit — a pack is one row: the round, the unit, its first
	 * and last seq and the facts' columns that scoring reads
	 * (KP_PACK_INSERT: the lean read's, without the unit) as lines in
	 * COPY's text format, in seq order.  Scoring reads a national
	 * round's 14,000 packs instead of its 1.5 million facts: the server
	 * sends a row a unit, not a row a fact (docs/store.md, measured).
	 * Each batch writes its packs in its own transaction, after its
	 * facts (facts.c, stage_move: on PostgreSQL every fact goes in that
	 * way); withdrawals are not packed (they are read apart).  The
	 * body is stored uncompressed (STORAGE EXTERNAL): decompressing 70
	 * MB would cost the read more than the disk saves.  Packs are
	 * append-only, as facts are.  The facts already stored are packed
	 * here, a pack per unit.  The round's last seq now comes from the
	 * packs and the withdrawals (KP_PACK_LAST_SEQ), so facts' index on
	 * (round_id, seq) of 17 goes: a national file's load maintained it
	 * for nothing else (0.7 s of the load, measured). */
	{ 20, "", NULL,
	  FACT_PACKS_TABLE
	  "ALTER TABLE fact_packs ALTER COLUMN body SET STORAGE EXTERNAL;"
	  "DROP INDEX IF EXISTS facts_by_round_seq;"
	  FACT_PACKS_KEYS
	  /* a text field as COPY writes it (backslash, tab, newline, CR) */
	  "CREATE FUNCTION kp_copy_field(t TEXT) RETURNS TEXT LANGUAGE sql"
	  " IMMUTABLE PARALLEL SAFE AS $$ SELECT replace(replace(replace(replace("
	  "t, chr(92), chr(92) || chr(92)), chr(9), chr(92) || 't'),"
	  " chr(10), chr(92) || 'n'), chr(13), chr(92) || 'r') $$;"
	  KP_PACK_INSERT("facts", "") ";" },
	/* 21 (monitoring): column checks between two inspections
	 * (colchecks.c) — a site's columns as monitoring's light check saw
	 * them (only the homepage and the columns' list pages of the
	 * inspection it is based on): its slot, when it ran, its as-of day,
	 * that inspection, the pages fetched and each column's URL, status,
	 * newest date, items, blank and fetch time (JSON).  One per (site,
	 * slot): written with its job's completion, once. */
	{ 21,
	  "CREATE TABLE column_checks ("
	  " id %ID%,"
	  " site_id BIGINT NOT NULL REFERENCES sites(id),"
	  " sched BIGINT NOT NULL,"
	  " at BIGINT NOT NULL,"
	  " day TEXT NOT NULL,"
	  " inspection_id BIGINT NOT NULL REFERENCES inspections(id),"
	  " pages BIGINT NOT NULL,"
	  " columns TEXT NOT NULL,"
	  " UNIQUE (site_id, sched));"
	  "CREATE INDEX column_checks_by_base ON column_checks"
	  " (site_id, inspection_id, at);",
	  NULL, NULL },
	/* 22 (monitoring): the "columns" part of an inspection's JSON, kept
	 * apart the first time a monitoring step reads the inspection
	 * (kp_store_sites_columns), so that later steps do not cut it out
	 * of the whole JSON again (NULL: the JSON has none).  Inspections
	 * are append-only, so a kept part never goes stale. */
	{ 22,
	  "CREATE TABLE inspection_columns ("
	  " inspection_id BIGINT PRIMARY KEY REFERENCES inspections(id),"
	  " columns TEXT);",
	  NULL, NULL },
	/* 23 (monitoring): each site's politeness key (scheme://host:port,
	 * kp_monitor_host_key), so that a claim can spread over hosts
	 * (jobs.c).  SQL cannot make the key (libcurl's URL parser does),
	 * so it is filled by the program: at `sites add` and import, and
	 * for the rows before this migration by the first worker or step
	 * (kp_store_sites_fill_hosts); NULL until then, '' when the URL has
	 * none.  The partial index finds the rows still to fill. */
	{ 23,
	  "ALTER TABLE sites ADD COLUMN host TEXT;"
	  "CREATE INDEX sites_without_host ON sites (id) WHERE host IS NULL;",
	  NULL, NULL },
	/* 24 (monitoring): each site's probes and failures per hour (hour:
	 * sched / 3600; Beijing time is a whole number of hours ahead, so
	 * these are Beijing's hours too) and per Beijing day (day: (sched +
	 * 8 h) / 1 day), kept with the probes: a probe's row adds 1 to both
	 * in the same transaction, only when the probe is new
	 * (kp_store_probe_put_tx), so each probe is counted once.  A
	 * monitoring step sums the whole days of the availability window,
	 * the whole hours of the partial days at its ends and counts single
	 * probes only in the partial hours (kp_store_probe_stats), so its
	 * cost does not grow with the probes' density.  Filled here from
	 * the probes already stored.  On SQLite without a rowid: the key's
	 * index holds the counts. */
	{ 24, "",
	  "CREATE TABLE probe_hours ("
	  " site_id BIGINT NOT NULL REFERENCES sites(id),"
	  " hour BIGINT NOT NULL,"
	  " n BIGINT NOT NULL,"
	  " f BIGINT NOT NULL,"
	  " PRIMARY KEY (site_id, hour)) WITHOUT ROWID;"
	  "CREATE TABLE probe_days ("
	  " site_id BIGINT NOT NULL REFERENCES sites(id),"
	  " day BIGINT NOT NULL,"
	  " n BIGINT NOT NULL,"
	  " f BIGINT NOT NULL,"
	  " PRIMARY KEY (site_id, day)) WITHOUT ROWID;"
	  PROBE_HOURS_FILL,
	  "CREATE TABLE probe_hours ("
	  " site_id BIGINT NOT NULL REFERENCES sites(id),"
	  " hour BIGINT NOT NULL,"
	  " n BIGINT NOT NULL,"
	  " f BIGINT NOT NULL,"
	  " PRIMARY KEY (site_id, hour));"
	  "CREATE TABLE probe_days ("
	  " site_id BIGINT NOT NULL REFERENCES sites(id),"
	  " day BIGINT NOT NULL,"
	  " n BIGINT NOT NULL,"
	  " f BIGINT NOT NULL,"
	  " PRIMARY KEY (site_id, day));"
	  PROBE_HOURS_FILL },
	/* 25 (PostgreSQL only): packs written again, smaller and
	 * compressed.  A kind and a source are one letter in a pack's line
	 * (KP_PACK_KINDS, KP_PACK_SOURCES: 38 bytes a line become 27, and
	 * the reader looks a letter up instead of comparing names; it still
	 * reads a name, as packs before this had them).  And the body is
	 * compressed with lz4 where the server has it (PostgreSQL 14 and
	 * later built with lz4: Debian's is), else stored as migration 20
	 * had it.  Migration 20 kept packs uncompressed (pglz's
	 * decompression costs the read more than it saves, measured again:
	 * server CPU 0.17 s against 0.12 s for the bench round), but then a
	 * 4 KB pack goes out of line and reading one means two or three
	 * fetches through the TOAST index; lz4 makes it some 1.3 KB in its
	 * row, decompressed at gigabytes a second (docs/store.md).  The
	 * facts stored before are packed afresh, a pack per unit, as
	 * migration 20 packed them; packs stay append-only. */
	{ 25, "", NULL,
	  "ALTER TABLE fact_packs RENAME TO fact_packs_v20;"
	  FACT_PACKS_TABLE
	  "DO $$ BEGIN"
	  " IF EXISTS (SELECT 1 FROM pg_settings"
	  "  WHERE name = 'default_toast_compression'"
	  "  AND 'lz4' = ANY (enumvals)) THEN"
	  "  EXECUTE 'ALTER TABLE fact_packs ALTER COLUMN body SET COMPRESSION lz4';"
	  " ELSE"
	  "  EXECUTE 'ALTER TABLE fact_packs ALTER COLUMN body SET STORAGE EXTERNAL';"
	  " END IF;"
	  " END $$;"
	  KP_PACK_INSERT("facts", "") ";"
	  "DROP TABLE fact_packs_v20;"
	  FACT_PACKS_KEYS },
	/* 26 (monitoring): each site's homepage as its successful probes
	 * last saw it — the current run of one hash (successful probes in
	 * sched order with the same hash; failures do not break a run):
	 * last_ok, the newest successful probe's sched, and hash, its hash;
	 * run_start, the run's first successful probe; prev_end, the newest
	 * successful probe before it (another hash; NULL: none).  Kept with
	 * the probes: a new successful probe's row moves it in the same
	 * transaction (kp_store_probe_put_tx) — a newer one extends the run
	 * or starts another, an older or equal one (a job finished late,
	 * after a newer one) sets dirty: not trusted until the next
	 * monitoring step reads it again from the probes
	 * (kp_store_site_home_repair).  A monitoring step reads a site's last
	 * change from here instead of reading its probes back to the
	 * previous change (kp_store_probe_stats); a dirty state, or one with
	 * probes newer than the step, is read from the probes as before.
	 * Filled here from the probes already stored. */
	{ 26,
	  "CREATE TABLE site_home ("
	  " site_id BIGINT PRIMARY KEY REFERENCES sites(id),"
	  " hash TEXT NOT NULL,"
	  " run_start BIGINT NOT NULL,"
	  " prev_end BIGINT,"
	  " last_ok BIGINT NOT NULL,"
	  " dirty BIGINT NOT NULL DEFAULT 0);"
	  "CREATE INDEX site_home_dirty ON site_home (site_id) WHERE dirty = 1;"
	  KP_SITE_HOME_FILL("") ";",
	  NULL, NULL },
};

#define NMIGRATIONS (sizeof(migrations) / sizeof(migrations[0]))
int kp_store_schema_latest(void)
{
	return migrations[NMIGRATIONS - 1].version;
}

int kp_store_schema_version(kp_store *s, int *out, kp_err *e)
{
	int64_t v = 0;
	if (!s->ops->has_table(s, "schema_version")) {
		*out = 0;
		return 0;
	}
	if (s->ops->run(s, "SELECT COALESCE(MAX(version), 0) FROM schema_version",
			NULL, 0, kp_row_first_int, &v, e) < 0)
		return -1;
	*out = (int)v;
	return 0;
}

static int subst_id(kp_buf *b, const char *sql, const char *id)
{
	const char *p;
	while ((p = strstr(sql, "%ID%"))) {
		kp_buf_add(b, sql, (size_t)(p - sql));
		kp_buf_adds(b, id);
		sql = p + 4;
	}
	return kp_buf_adds(b, sql);
}

/* Apply the migrations above have, up to version upto. */
int kp_store_migrate(kp_store *s, int upto, kp_err *e)
{
	int have;
	char now[24];
	if (kp_store_schema_version(s, &have, e) < 0)
		return -1;
	if (have > kp_store_schema_latest())
		return kp_fail(e, KP_EINPUT,
			       "%s：数据库结构版本 %d 比本程序认识的 %d 新，请升级 kaoping",
			       s->where, have, kp_store_schema_latest());
	if (have >= upto)
		return 0;
	if (s->ops->begin(s, e) < 0)
		return -1;
	if (s->ops->lock_schema(s, e) < 0)
		goto fail;
	if (s->ops->exec(s, "CREATE TABLE IF NOT EXISTS schema_version ("
			    " version BIGINT PRIMARY KEY,"
			    " applied_at TEXT NOT NULL)", e) < 0)
		goto fail;
	/* again, under the lock: another process may have migrated */
	if (kp_store_schema_version(s, &have, e) < 0)
		goto fail;
	for (size_t i = 0; i < NMIGRATIONS; i++) {
		const struct migration *m = &migrations[i];
		const char *extra = strcmp(s->ops->name, "sqlite") ? m->pg_sql
								   : m->sqlite_sql;
		kp_buf b = KP_BUF_INIT;
		kp_val p[2];
		int r;
		if (m->version <= have || m->version > upto)
			continue;
		subst_id(&b, m->sql, s->ops->id_ddl);
		if (extra)
			kp_buf_adds(&b, extra);
		r = s->ops->exec(s, b.data, e);
		kp_buf_release(&b);
		if (r < 0)
			goto fail;
		p[0] = KV_INT(m->version);
		p[1] = KV_TEXT(kp_store_now(now));
		if (s->ops->run(s, "INSERT INTO schema_version (version, applied_at)"
				   " VALUES (?, ?)", p, 2, NULL, NULL, e) < 0)
			goto fail;
	}
	return s->ops->commit(s, e);
fail:
	s->ops->rollback(s);
	return -1;
}
