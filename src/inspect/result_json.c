/*
 * inspect/result_json.c — an inspection's result as the JSON that
 * `kaoping inspect --json` prints and the store keeps (docs/inspect.md,
 * "JSON"); kp_inspect_result_json in inspect.h.
 */
#include "inspect/inspect_int.h"

#include <jansson.h>
#include <string.h>


static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *jdate(kp_inspect_date d)
{
	char b[16];
	return d ? json_string(kp_inspect_date_str(d, b)) : json_null();
}

static json_t *home_json(const kp_inspect_result *r)
{
	json_t *home = json_object(), *meta = json_object();
	json_object_set_new(home, "url", jstr(r->home.url));
	json_object_set_new(home, "final_url", jstr(r->home.final_url));
	json_object_set_new(home, "status", json_integer(r->home.status));
	json_object_set_new(home, "seconds", json_real(r->home.seconds));
	json_object_set_new(home, "title", jstr(r->home.title));
	json_object_set_new(home, "latest_date", jdate(r->home.latest));
	json_object_set_new(home, "date_source",
			    r->home.latest ? json_string(kp_inspect_date_source_name(r->home.date_source))
					   : json_null());
	json_object_set_new(home, "http_version", jstr(r->home.http_version));
	for (int k = 0; k < KP_INSPECT_META_COUNT; k++)
		if (r->home.meta[k])
			json_object_set_new(meta, kp_inspect_meta_name(k), json_string(r->home.meta[k]));
	json_object_set_new(home, "meta", meta);
	return home;
}

static json_t *columns_json(const kp_inspect_result *r)
{
	json_t *cols = json_array();
	for (size_t i = 0; i < r->ncolumns; i++) {
		const kp_inspect_column *c = &r->columns[i];
		json_t *o = json_object();
		json_object_set_new(o, "name", jstr(c->name));
		json_object_set_new(o, "url", jstr(c->url));
		json_object_set_new(o, "class", jstr(c->cls));
		json_object_set_new(o, "status", json_integer(c->status));
		json_object_set_new(o, "latest_date", jdate(c->latest));
		json_object_set_new(o, "date_source",
				    c->latest ? json_string(kp_inspect_date_source_name(c->date_source))
					      : json_null());
		json_object_set_new(o, "items", json_integer((json_int_t)c->items));
		json_object_set_new(o, "undated", json_integer((json_int_t)c->undated));
		json_object_set_new(o, "pages", json_integer(c->pages));
		json_object_set_new(o, "blank", json_boolean(c->blank));
		json_object_set_new(o, "stale", json_boolean(c->stale));
		json_array_append_new(cols, o);
	}
	return cols;
}

static json_t *dead_json(const kp_inspect_result *r)
{
	json_t *dead = json_array();
	for (size_t i = 0; i < r->ndead; i++) {
		const kp_inspect_dead *d = &r->dead[i];
		json_t *o = json_object(), *on = json_array();
		json_object_set_new(o, "url", jstr(d->url));
		json_object_set_new(o, "status", json_integer(d->status));
		json_object_set_new(o, "kind", json_string(d->timeout ? "timeout" : kp_inspect_link_kind_name(d->kind)));
		json_object_set_new(o, "confirmed", json_boolean(d->confirmed));
		json_object_set_new(o, "external", json_boolean(d->external));
		json_object_set_new(o, "error", jstr(*d->error ? d->error : NULL));
		json_object_set_new(o, "final_url", jstr(d->final_url));
		json_object_set_new(o, "redirects", json_integer(d->redirects));
		for (size_t k = 0; k < d->nfound; k++)
			json_array_append_new(on, json_string(d->found_on[k]));
		json_object_set_new(o, "found_on", on);
		json_object_set_new(o, "found_on_total", json_integer((json_int_t)d->total_found));
		json_array_append_new(dead, o);
	}
	return dead;
}

static json_t *footer_json(const kp_inspect_result *r)
{
	json_t *foot = json_object();
	json_object_set_new(foot, "site_id_code", jstr(r->footer.site_id_code));
	json_object_set_new(foot, "icp", jstr(r->footer.icp));
	json_object_set_new(foot, "police_record", jstr(r->footer.police_record));
	json_object_set_new(foot, "party_gov_mark", json_boolean(r->footer.party_gov_mark));
	json_object_set_new(foot, "zhaocuo_entry", json_boolean(r->footer.zhaocuo_entry));
	json_object_set_new(foot, "sponsor", jstr(r->footer.sponsor));
	json_object_set_new(foot, "contact", jstr(r->footer.contact));
	if (r->footer.from_script)
		json_object_set_new(foot, "from_script", jstr(r->footer.from_script));
	json_object_set_new(foot, "sitemap", json_boolean(r->footer.sitemap));
	json_object_set_new(foot, "accessibility", json_boolean(r->footer.accessibility));
	json_object_set_new(foot, "search", json_boolean(r->footer.search));
	return foot;
}

static json_t *findings_json(const kp_inspect_result *r)
{
	json_t *fs = json_array();
	for (size_t i = 0; i < r->nfindings; i++) {
		const kp_inspect_finding *f = &r->findings[i];
		json_t *o = json_object(), *ev = json_object();
		json_object_set_new(o, "check", jstr(f->check));
		json_object_set_new(o, "title", jstr(kp_inspect_check_title(f->check)));
		json_object_set_new(o, "severity", jstr(f->severity));
		json_object_set_new(o, "message", jstr(f->message));
		json_object_set_new(ev, "url", jstr(f->url));
		json_object_set_new(ev, "snippet", jstr(f->snippet));
		json_object_set_new(ev, "time", jdate(f->when));
		json_object_set_new(o, "evidence", ev);
		json_array_append_new(fs, o);
	}
	return fs;
}

/* http_versions and same_pages, into j. */
static void versions_json(const kp_inspect_result *r, json_t *j)
{
	static const char *const vn[] = { "1.0", "1.1", "2", "3" };
	json_t *hv = json_object(), *sp = json_array();
	for (int k = 0; k < 4; k++)
		if (r->http_versions[k])
			json_object_set_new(hv, vn[k], json_integer((json_int_t)r->http_versions[k]));
	json_object_set_new(j, "http_versions", hv);
	for (size_t i = 0; i < r->nsame; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "url", jstr(r->same[i].url));
		json_object_set_new(o, "same_as", jstr(r->same[i].same_as));
		json_array_append_new(sp, o);
	}
	json_object_set_new(j, "same_pages", sp);
}

/* redirects, redirects_total and domain, into j. */
static void redirects_json(const kp_inspect_result *r, json_t *j)
{
	json_t *rd = json_array(), *dom = json_object();
	for (size_t i = 0; i < r->nredirects; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "url", jstr(r->redirects[i].url));
		json_object_set_new(o, "final_url", jstr(r->redirects[i].final_url));
		json_object_set_new(o, "count", json_integer(r->redirects[i].count));
		json_array_append_new(rd, o);
	}
	json_object_set_new(j, "redirects", rd);
	json_object_set_new(j, "redirects_total", json_integer((json_int_t)r->total_redirects));
	json_object_set_new(dom, "host", jstr(r->domain.host));
	json_object_set_new(dom, "portal", jstr(r->domain.portal));
	json_object_set_new(dom, "under_portal",
			    r->domain.portal ? json_boolean(r->domain.under_portal)
					     : json_null());
	json_object_set_new(j, "domain", dom);
}

/* The members in the order docs/inspect.md lists them. */
json_t *kp_inspect_result_json(const kp_inspect_result *r)
{
	json_t *j = json_object();
	json_object_set_new(j, "site", jstr(r->site));
	json_object_set_new(j, "as_of", jdate(r->as_of));
	json_object_set_new(j, "pages_crawled", json_integer((json_int_t)r->pages_crawled));
	json_object_set_new(j, "resources_checked", json_integer((json_int_t)r->resources_checked));
	json_object_set_new(j, "pages_downloaded", json_integer((json_int_t)r->pages_downloaded));
	if (r->incremental) {
		json_t *inc = json_object();
		json_object_set_new(inc, "conditional",
				    json_integer((json_int_t)r->pages_conditional));
		json_object_set_new(inc, "not_modified",
				    json_integer((json_int_t)r->pages_not_modified));
		json_object_set_new(j, "incremental", inc);
	} else {
		json_object_set_new(j, "incremental", json_null());
	}
	json_object_set_new(j, "seconds", json_real(r->seconds));
	json_object_set_new(j, "homepage", home_json(r));
	json_object_set_new(j, "columns", columns_json(r));
	json_object_set_new(j, "dead_links", dead_json(r));
	json_object_set_new(j, "footer", footer_json(r));
	json_object_set_new(j, "findings", findings_json(r));
	json_object_set_new(j, "traps_skipped", json_integer((json_int_t)r->traps));
	json_object_set_new(j, "robots_skipped", json_integer((json_int_t)r->robots_skipped));
	kp_inspect_limits_json(r, j);
	kp_inspect_attach_json(r, j);
	versions_json(r, j);
	redirects_json(r, j);
	return j;
}
