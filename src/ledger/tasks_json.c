/* ledger/tasks_json.c — a task as JSON (what `kaoping tasks show --json`
 * prints): the plan's words, its lead units, its dates and the progress
 * the ledger has for it. */
#include "ledger/ledger.h"

#include <jansson.h>
#include <string.h>

static json_t *strs_json(char **v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

struct json_t *kp_task_json(const kp_task *k, const kp_occurrence *occ,
			    size_t nocc, const kp_tledger *l)
{
	char b[16];
	json_t *o = json_object(), *dues = json_array(),
	       *hist = json_array();
	json_object_set_new(o, "no", json_string(k->no));
	json_object_set_new(o, "category1", json_string(k->cat1));
	json_object_set_new(o, "category2", json_string(k->cat2));
	json_object_set_new(o, "requirement", json_string(k->requirement));
	json_object_set_new(o, "content", json_string(k->content));
	json_object_set_new(o, "units", json_string(k->units));
	json_object_set_new(o, "leads", strs_json(k->leads, k->nleads));
	json_object_set_new(o, "unnamed", json_string(k->unnamed));
	json_object_set_new(o, "assists", strs_json(k->assists, k->nassists));
	json_object_set_new(o, "deadline", json_string(k->deadline_text));
	json_object_set_new(o, "resolved",
			    json_boolean(k->deadline.kind != KP_DL_NONE));
	for (size_t i = 0; i < nocc; i++) {
		json_t *d = json_object();
		json_object_set_new(d, "period", occ[i].period[0]
			? json_string(occ[i].period) : json_null());
		json_object_set_new(d, "due", occ[i].due == KP_DAY_NONE
			? json_null() : json_string(kp_day_str(occ[i].due, b)));
		json_array_append_new(dues, d);
	}
	json_object_set_new(o, "dues", dues);
	json_object_set_new(o, "waits_for",
			    k->deadline.kind == KP_DL_EVENT && nocc &&
					    occ[0].due == KP_DAY_NONE
				    ? json_string(k->deadline.event)
				    : json_null());
	json_object_set_new(o, "note", json_string(k->note));
	json_object_set_new(o, "quirk", json_string(k->quirk));
	for (size_t i = 0; l && i < l->n; i++) {
		const kp_progress *p = &l->v[i];
		json_t *h;
		if (strcmp(p->task, k->no))
			continue;
		h = json_object();
		json_object_set_new(h, "unit", json_string(p->unit));
		json_object_set_new(h, "date", json_string(kp_day_str(p->day, b)));
		json_object_set_new(h, "status", json_string(kp_status_label(p->status)));
		json_object_set_new(h, "note", json_string(p->note));
		json_object_set_new(h, "url", json_string(p->url));
		json_array_append_new(hist, h);
	}
	json_object_set_new(o, "progress", hist);
	return o;
}
