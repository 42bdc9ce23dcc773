/* round — one inspection of a unit's site for monitoring's scheduled
 * jobs (round.h: kp_rnd_inspect_site): the crawl of `kaoping inspect`,
 * with the page cache, stored in the round with its job closed in the
 * same transaction. */
#include "round/round_int.h"
#include "inspect/inspect.h"

#include <jansson.h>
#include <string.h>

/* Keys on r's findings and j's, false alarms out, then stored. */
static int store(kp_rnd_target *t, kp_inspect_result *r, const char *started,
		 const char *who, int64_t *id, kp_err *e)
{
	json_t *j = kp_inspect_result_json(r), *arr = json_object_get(j, "findings");
	char **keys = kp_inspect_finding_keys(r);
	char finished[24];
	int rc;
	for (size_t i = 0; i < r->nfindings; i++)
		json_object_set_new(json_array_get(arr, i), "key",
				    json_string(keys[i]));
	kp_store_now(finished);
	rc = kp_rnd_target_filter(t, r, keys, j, e);
	if (rc == 0)
		rc = kp_rnd_target_store(t, r, keys, j, started, finished, who, e);
	if (rc == 0)
		*id = json_integer_value(json_object_get(json_object_get(j, "inspection"),
							 "id"));
	kp_inspect_finding_keys_free(keys, r->nfindings);
	json_decref(j);
	return rc;
}

int kp_rnd_inspect_site(const kp_rnd_site_job *sj, kp_rnd_site_result *out,
			kp_err *e)
{
	kp_rnd_target t;
	kp_rnd_page_cache *pc;
	kp_inspect_opts o = *sj->opts;
	kp_inspect_result *r = NULL;
	char started[24];
	int rc;
	memset(out, 0, sizeof(*out));
	if (kp_rnd_target_open(sj->conn, sj->round, sj->unit, &t, e) < 0)
		return -1;
	t.job = sj->job;
	t.worker = sj->worker;
	pc = kp_rnd_page_cache_new(t.db, sj->site, sj->incremental);
	o.cache = kp_rnd_page_cache_ops(pc);
	kp_store_now(started);
	rc = kp_inspect_run(sj->site, &o, &r, e);
	if (rc == 0)
		rc = kp_rnd_page_cache_finish(pc, r, e);
	if (rc == 0) {
		out->pages = r->pages_crawled;
		out->downloaded = r->pages_downloaded;
		out->not_modified = r->pages_not_modified;
		rc = store(&t, r, started, sj->author, &out->inspection, e);
		out->findings = r->nfindings;
		if (rc < 0 && t.job_lost) {
			out->lost = true;
			rc = 0;
		}
	}
	kp_inspect_result_free(r);
	kp_rnd_page_cache_free(pc);
	kp_rnd_target_close(&t);
	return rc;
}
