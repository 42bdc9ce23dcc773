/* monitor — `monitor report`: per site its probes in a period, the
 * rules' verdicts at the period's end and its warnings, as JSON. */
#include "monitor/monitor_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

struct period {
	int64_t probes, failures, latency_sum, latency_n;
};

static int period_probe(void *ctx, const kp_probe *p, kp_err *e)
{
	struct period *pd = ctx;
	(void)e;
	pd->probes++;
	pd->failures += !p->ok;
	if (p->ok) {
		pd->latency_sum += p->latency_ms;
		pd->latency_n++;
	}
	return 0;
}

/* part of whole as a percent, a JSON number to the hundredth (94.29);
 * null with nothing probed. */
static json_t *percent_json(int64_t part, int64_t whole)
{
	kp_num q;
	char buf[32];
	if (!whole || kp_num_div(kp_num_int(part * 100), kp_num_int(whole), &q) < 0 ||
	    kp_num_parse(kp_num_fmt2(q, buf), &q) < 0)   /* to the hundredth */
		return json_null();
	return kp_num_json(q);
}

static const char *level_word(int level)
{
	return level >= 2 ? "veto" : level == 1 ? "warning" : "ok";
}

static json_t *verdicts_json(const kp_monitor_verdict *v)
{
	char a[24], b[24];
	json_t *av = json_pack(
		"{s:s, s:s, s:s, s:b, s:s, s:b, s:s, s:s, s:I, s:I, s:o}",
		"rule", "availability", "title", kp_monitor_rule_title("availability"),
		"text", kp_monitor_rule_text("availability"),
		"veto", v->avail_level == 2, "level", level_word(v->avail_level),
		"judged", v->avail_judged,
		"window_from", kp_monitor_time_str(v->window_from, a),
		"window_to", kp_monitor_time_str(v->window_to, b),
		"probes", (json_int_t)v->probes,
		"failures", (json_int_t)v->failures,
		"failure_percent", percent_json(v->failures, v->probes));
	json_t *hp = json_pack(
		"{s:s, s:s, s:s, s:b, s:s, s:b, s:o, s:o, s:b}",
		"rule", "homepage", "title", kp_monitor_rule_title("homepage"),
		"text", kp_monitor_rule_text("homepage"),
		"veto", v->home_level == 2, "level", level_word(v->home_level),
		"judged", v->last_change != 0,
		"last_change", v->last_change
			? json_string(kp_monitor_time_str(v->last_change, a))
			: json_null(),
		"unchanged_days", v->last_change
			? json_integer(v->unchanged_days) : json_null(),
		"since_first_probe", v->since_first);
	return json_pack("[o, o]", av, hp);
}

struct warn_ctx {
	json_t *arr;
	int64_t from, to;
};

static int warn_row(void *ctx, const kp_warning *w, kp_err *e)
{
	struct warn_ctx *wc = ctx;
	char a[24], b[24];
	json_t *ev;
	(void)e;
	if (w->opened > wc->to || (w->resolved && w->resolved < wc->from))
		return 0;
	ev = json_loads(w->evidence, 0, NULL);
	json_array_append_new(wc->arr, json_pack(
		"{s:I, s:s, s:s, s:s, s:s, s:o, s:b, s:o}",
		"id", (json_int_t)w->id, "rule", w->rule,
		"title", kp_monitor_rule_title(w->rule), "level", w->level,
		"opened", kp_monitor_time_str(w->opened, a),
		"resolved", w->resolved ? json_string(kp_monitor_time_str(w->resolved, b))
					: json_null(),
		"notified", w->notified != 0,
		"evidence", ev ? ev : json_object()));
	return 0;
}

struct report_ctx {
	kp_store *s;
	const kp_monitor_conf *c;
	const char *site;
	int64_t from, to;
	json_t *sites;
	kp_err *e;
};

static bool site_matches(const kp_site *st, const char *want)
{
	char id[24];
	if (!want)
		return true;
	snprintf(id, sizeof(id), "%lld", (long long)st->id);
	return !strcmp(want, st->url) || !strcmp(want, id);
}

/* The sites first, then each one's queries: a backend reads one
 * statement at a time (PostgreSQL streams a result). */
struct site_ids {
	kp_site *v;          /* strings owned */
	size_t n;
};

static int keep_site(void *ctx, const kp_site *st, kp_err *e)
{
	struct site_ids *l = ctx;
	(void)e;
	l->v = kp_xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = (kp_site){ st->id, kp_xstrdup(st->unit),
				  kp_xstrdup(st->url), kp_xstrdup(st->kind),
				  kp_xstrdup(st->added) };
	return 0;
}

static void site_ids_release(struct site_ids *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free((char *)l->v[i].unit);
		free((char *)l->v[i].url);
		free((char *)l->v[i].kind);
		free((char *)l->v[i].added);
	}
	free(l->v);
}

static int report_site(void *ctx, const kp_site *st, kp_err *e)
{
	struct report_ctx *rc = ctx;
	struct period pd = { 0 };
	struct warn_ctx wc = { json_array(), rc->from, rc->to };
	kp_monitor_verdict v;
	kp_monitor_colverdict cv;
	json_t *j, *verdicts;
	if (!site_matches(st, rc->site)) {
		json_decref(wc.arr);
		return 0;
	}
	if (kp_store_probes_each(rc->s, st->id, rc->from, rc->to, period_probe,
				 &pd, e) < 0 ||
	    kp_monitor_rules(rc->s, rc->c, st->id, rc->to, &v, e) < 0 ||
	    kp_store_warnings_each(rc->s, st->id, false, warn_row, &wc, e) < 0) {
		json_decref(wc.arr);
		return -1;
	}
	if (kp_monitor_columns(rc->s, rc->c, st, rc->to, &cv, e) < 0) {
		kp_monitor_colverdict_release(&cv);
		json_decref(wc.arr);
		return -1;
	}
	verdicts = verdicts_json(&v);
	j = kp_monitor_columns_verdicts(rc->c, &cv, rc->to);
	json_array_extend(verdicts, j);
	json_decref(j);
	j = json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:o, s:o, s:b, s:o, s:o}",
		      "id", (json_int_t)st->id, "unit", st->unit, "url", st->url,
		      "kind", st->kind, "probes", (json_int_t)pd.probes,
		      "failures", (json_int_t)pd.failures,
		      "availability", percent_json(pd.probes - pd.failures, pd.probes),
		      "latency_ms_avg", pd.latency_n
			      ? json_integer(pd.latency_sum / pd.latency_n)
			      : json_null(),
		      "veto", v.avail_level == 2 || v.home_level == 2 ||
			      cv.update_level == 2 || cv.blank_level == 2,
		      "verdicts", verdicts, "warnings", wc.arr);
	kp_monitor_colverdict_release(&cv);
	json_array_append_new(rc->sites, j);
	return 0;
}

int kp_monitor_report_json(kp_store *s, const kp_monitor_conf *c,
			   const char *site, const char *unit, int64_t from,
			   int64_t to, json_t **out, kp_err *e)
{
	char a[24], b[24];
	struct report_ctx rc = { s, c, site, from, to, json_array(), e };
	struct site_ids l = { 0 };
	int r;
	*out = NULL;
	r = kp_store_sites_each(s, unit, keep_site, &l, e);
	for (size_t i = 0; r == 0 && i < l.n; i++)
		r = report_site(&rc, &l.v[i], e);
	site_ids_release(&l);
	if (r < 0) {
		json_decref(rc.sites);
		return -1;
	}
	if (site && !json_array_size(rc.sites)) {
		json_decref(rc.sites);
		return kp_fail(e, KP_EINPUT, "%s：监测的网站中没有“%s”",
			       kp_store_where(s), site);
	}
	*out = json_pack("{s:s, s:s, s:o}", "from", kp_monitor_time_str(from, a),
			 "to", kp_monitor_time_str(to, b), "sites", rc.sites);
	return 0;
}
