/*
 * The handlers behind the UI's registry pages — 指标体系 (api_catalog.c),
 * 单位 and accounts (api_units.c), 检测 (api_inspect.c), 台账
 * (api_ledger.c) — and the few helpers they share (api_pages.c).  Their
 * rows are one block of kp_web_routes (api.c); docs/api.md, section
 * “指标体系、单位、检测、台账”, is their contract.
 *
 * Every handler opens what it reads for this request only — the round
 * through src/round (kp_rnd_open), or the store by the server's
 * connection string (kp_web_pages_store) — so none shares a connection
 * with another request.  A unit account sees its own unit only: a list
 * leaves other units' rows out, and a route naming another unit's row
 * answers 404, never saying whether it exists.
 */
#ifndef KP_WEB_PAGES_INT_H
#define KP_WEB_PAGES_INT_H

#include "round/round.h"
#include "web/web_int.h"

/* ---- api_pages.c ---- */

/* The request body as a JSON object (caller json_decref), or an answer
 * of 400 and NULL. */
json_t *kp_web_pages_body(kp_web_req *rq);
/* A string member of o, or NULL. */
const char *kp_web_pages_str(json_t *o, const char *key);
/* Open the round named by {round}, or an answer (404 when there is no
 * such round) and NULL.  Caller kp_rnd_close. */
kp_rnd *kp_web_pages_round(kp_web_req *rq);
/* A store connection of the request's own (caller kp_store_close), or an
 * answer and NULL. */
kp_store *kp_web_pages_store(kp_web_req *rq);
/* May the session see the rows of the round's unit called unit?  Staff
 * other than unit accounts see every unit; a unit account only its own
 * (by any spelling the round knows). */
bool kp_web_pages_visible(const kp_web_req *rq, const kp_rnd *r,
			  const char *unit);
/* The session's name, for audit rows. */
const char *kp_web_pages_who(const kp_web_req *rq);

/* ---- handlers ---- */

void kp_web_tables(kp_web_req *rq);             /* GET /api/tables */
void kp_web_table(kp_web_req *rq);              /* GET /api/tables/{id} */
void kp_web_table_import(kp_web_req *rq);       /* POST /api/tables/import */
void kp_web_units(kp_web_req *rq);              /* GET /api/units/{round} */
void kp_web_users(kp_web_req *rq);              /* GET /api/users */
void kp_web_user_add(kp_web_req *rq);           /* POST /api/users */
void kp_web_inspections(kp_web_req *rq);        /* GET …/inspections */
void kp_web_inspection(kp_web_req *rq);         /* GET …/inspections/{id} */
void kp_web_inspection_recheck(kp_web_req *rq); /* POST …/{id}/recheck */
void kp_web_rechecks(kp_web_req *rq);           /* GET …/rechecks */
void kp_web_document(kp_web_req *rq);          /* GET …/documents/{doc} (api_docs.c) */

/* ---- recheck.c ---- */

/* Start re-inspecting site for round's unit (from: the inspection it
 * rechecks) with o in a thread of its own: the job's number, or 0 and
 * why (Chinese) when too many run or this unit's runs already. */
struct kp_inspect_opts;
int64_t kp_web_recheck_start(kp_web_req *rq, const char *round,
			     const char *unit, const char *site, int64_t from,
			     const struct kp_inspect_opts *o, const char **why);
void kp_web_ledger_info(kp_web_req *rq);        /* GET …/ledger/info[/{unit}] */
void kp_web_ledger_tasks(kp_web_req *rq);       /* GET …/ledger/tasks[/{unit}] */

#endif
