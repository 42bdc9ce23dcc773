/*
 * inspect/crawl_scripts.c — the homepage's same-site scripts, for a
 * footer they write (document.write, footer.c reads it).
 *
 * Many government sites write their footer — site code, record numbers,
 * sponsor, the 党政机关 mark — from a script every page loads
 * (<script src="/static/js/foot.js" charset="gb2312">).  Once the crawl
 * is over, the scripts the homepage loads from the site's own hosts are
 * fetched (at most KP_SCRIPTS_MAX, each at most KP_SCRIPT_BYTES, one at a
 * time, no redirect followed, robots.txt and the address guard obeyed),
 * decoded in the charset their HTTP header names, else their <script
 * charset>, else the homepage's, and handed to
 * kp_inspect_doc_add_script before the checks read the footer.
 */
#define _GNU_SOURCE /* strcasestr */
#include "inspect/crawl_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define KP_SCRIPTS_MAX 8
#define KP_SCRIPT_BYTES (512 * 1024)

typedef struct sbody {
	kp_buf b;
	bool over;
} sbody;

static size_t on_script(char *p, size_t size, size_t n, void *ud)
{
	sbody *s = ud;
	size_t len = size * n;
	if (s->b.len + len > KP_SCRIPT_BYTES || kp_buf_add(&s->b, p, len) < 0) {
		s->over = true;
		return 0;
	}
	return len;
}

/* The script at url into *js (UTF-8, caller releases); false when it
 * could not be fetched whole. */
static bool fetch(loop *l, const char *url, const char *attr_cs,
		  const char *page_cs, kp_buf *js)
{
	CURL *e = curl_easy_init();
	xfer x;
	sbody s = { KP_BUF_INIT, false };
	bool ok = false;
	if (!e)
		return false;
	memset(&x, 0, sizeof(x));
	x.guard = &l->guard;
	if (l->guard.on) {
		curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, kp_inspect_guard_open);
		curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, &x);
	}
	if (l->resolve)
		curl_easy_setopt(e, CURLOPT_RESOLVE, l->resolve);
	if (!l->env_proxy)
		curl_easy_setopt(e, CURLOPT_PROXY, "");
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, l->o->timeout_ms);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)KP_SCRIPT_BYTES);
	curl_easy_setopt(e, CURLOPT_USERAGENT, l->o->user_agent);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_script);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, &s);
	long status = 0;
	char *ct = NULL;
	if (curl_easy_perform(e) == CURLE_OK && !s.over &&
	    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK &&
	    status == 200) {
		curl_easy_getinfo(e, CURLINFO_CONTENT_TYPE, &ct);
		/* the header's charset, else the attribute's, else the page's */
		kp_buf type = KP_BUF_INIT;
		const char *cs = attr_cs && *attr_cs ? attr_cs : page_cs;
		if (ct && strcasestr(ct, "charset="))
			kp_buf_addf(&type, "%s", ct);
		else if (cs && *cs)
			kp_buf_addf(&type, "text/javascript; charset=%s", cs);
		const char *used;
		ok = kp_inspect_to_utf8(s.b.data ? s.b.data : "", s.b.len,
					type.len ? type.data : NULL, js, &used) == 0;
		kp_buf_release(&type);
	}
	kp_buf_release(&s.b);
	curl_easy_cleanup(e);
	return ok;
}

void kp_inspect_home_scripts(loop *l)
{
	kp_inspect_crawl *c = l->c;
	if (!c->home_parsed || c->time_up || c->home >= c->nurls)
		return;
	kp_inspect_doc *d = &c->home_doc;
	const kp_inspect_url *hu = &c->urls[c->home];
	const char *base = d->base ? d->base : hu->final_url ? hu->final_url : hu->url;
	const char *page_cs = hu->page ? hu->page->charset : NULL;
	char *seen[KP_SCRIPTS_MAX];
	size_t n = 0;
	for (size_t i = 0; i < d->nlinks && n < KP_SCRIPTS_MAX; i++) {
		const kp_inspect_link *k = &d->links[i];
		char hn[256];
		if (k->kind != KP_INSPECT_LINK_SCRIPT)
			continue;
		char *u = kp_inspect_url_resolve(base, k->url);
		bool dup = false;
		for (size_t j = 0; u && j < n && !dup; j++)
			dup = !strcmp(seen[j], u);
		if (!u || dup || !kp_inspect_url_host(u, hn, sizeof(hn)) ||
		    !kp_inspect_scope_has(c, hn)) {
			free(u);
			continue;
		}
		host *h = kp_inspect_host_of(l, hn);
		if (h && h->robots == 2 && !c->o->ignore_robots &&
		    !c->site.ignore_robots && !kp_inspect_robots_allows(h, u)) {
			free(u);
			continue;
		}
		seen[n++] = u;
		kp_buf js = KP_BUF_INIT;
		if (fetch(l, u, k->text, page_cs, &js) && js.len)
			kp_inspect_doc_add_script(d, u, js.data, js.len);
		kp_buf_release(&js);
	}
	for (size_t j = 0; j < n; j++)
		free(seen[j]);
}
