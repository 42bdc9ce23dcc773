/*
 * inspect/checks.c — from crawled pages to columns and findings.
 *
 * Columns are the navigation links of the homepage and the second-level
 * pages, classified by name (classes.c).  Each check is a row of checks[]: its registered name (the `check`
 * column of indicator tables, docs/table-format.md), its Chinese label and
 * the function that appends findings.  Adding a check is adding a row.
 */
#define _GNU_SOURCE /* strcasestr, memmem */
#include "inspect/inspect_int.h"
#include "catalog/catalog.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- options --------------------------------------------------------- */

void kp_inspect_opts_init(kp_inspect_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->max_pages = 1000000;   /* the whole site: a safety cap, see */
	o->max_depth = 64;        /* crawl_limits.c */
	o->parallel = 16;
	o->per_host = 6;
	o->timeout_ms = 15000;
	o->retries = 3;
	o->max_redirs = 5;
	o->max_body = (size_t)8 << 20;
	o->max_links = 20000;
	o->attach_max = (size_t)20 << 20;
	o->user_agent = "Mozilla/5.0 (compatible; kaoping/0.1; government website inspection)";
}

/* ---- findings -------------------------------------------------------- */

static void finding(kp_inspect_result *r, const char *check, const char *sev,
		    const char *url, const char *snippet, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void finding(kp_inspect_result *r, const char *check, const char *sev,
		    const char *url, const char *snippet, const char *fmt, ...)
{
	kp_buf b = KP_BUF_INIT;
	va_list ap;
	if (r->nfindings == r->cap_findings) {
		r->cap_findings = r->cap_findings ? r->cap_findings * 2 : 32;
		r->findings = kp_xrealloc(r->findings,
					  r->cap_findings * sizeof(*r->findings));
	}
	va_start(ap, fmt);
	kp_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	r->findings[r->nfindings++] = (kp_inspect_finding){
		kp_xstrdup(check), kp_xstrdup(sev), kp_buf_detach(&b),
		kp_xstrdup(url ? url : ""), kp_xstrdup(snippet ? snippet : ""),
		r->as_of,
	};
}

/* ---- columns --------------------------------------------------------- */

static size_t nchars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static bool column_name_ok(const char *t)
{
	size_t n = nchars(t);
	if (n < 2 || n > 12)
		return false;
	/* a column name is words, not a date or a sentence */
	for (const char *p = t; *p; p++)
		if (isdigit((unsigned char)*p) || *p == ',' )
			return false;
	if (strstr(t, "首页") || strstr(t, "更多") || strstr(t, "下一页") ||
	    strstr(t, "上一页") || strstr(t, "尾页") || strstr(t, "网站地图") ||
	    strstr(t, "找错") || strstr(t, "无障碍") || strstr(t, "联系我们") ||
	    strstr(t, "English") || strstr(t, "登录") || strstr(t, "注册"))
		return false;
	return true;
}

static void add_column(kp_inspect_result *r, kp_inspect_crawl *c, uint32_t id,
		       const char *name, const char *cls_fixed)
{
	for (size_t i = 0; i < r->ncolumns; i++)
		if (!strcmp(r->columns[i].url, c->urls[id].url))
			return;
	if (r->ncolumns >= 300)
		return;
	r->columns = kp_xrealloc(r->columns,
				 (r->ncolumns + 1) * sizeof(*r->columns));
	kp_inspect_column *col = &r->columns[r->ncolumns++];
	memset(col, 0, sizeof(*col));
	col->name = kp_xstrdup(name);
	col->url = kp_xstrdup(c->urls[id].url);
	col->cls = kp_xstrdup(cls_fixed ? cls_fixed : kp_inspect_column_class(name));
	kp_inspect_url *u = &c->urls[id];
	col->status = u->status;
	col->pages = 1;
	if (!u->page)
		return;
	kp_inspect_page *pg = u->page;
	col->items = pg->nitems;
	col->undated = pg->undated;
	col->pages = pg->pages;
	col->latest = pg->newest;
	col->date_source = pg->newest_source;
	/* undated lists: the newest date of the articles they link to */
	if (!col->latest)
		for (uint8_t k = 0; k < pg->nitem_ids; k++) {
			kp_inspect_url *a = &c->urls[pg->item_ids[k]];
			if (a->page && a->page->labelled > col->latest) {
				col->latest = a->page->labelled;
				col->date_source = KP_INSPECT_DS_ARTICLE;
			}
		}
	if (!col->latest && !pg->nitems && pg->labelled) {
		col->latest = pg->labelled; /* a single-page column */
		col->date_source = pg->labelled_source;
	}
	col->blank = !pg->nitems && !pg->labelled;
	if (!col->blank) {
		int days = kp_inspect_class_stale_days(col->cls);
		col->stale = !col->latest || r->as_of - col->latest > days;
		col->long_stale = !col->latest || r->as_of - col->latest > 365;
	}
}

/* A column of this name is in the site config. */
static bool configured(const kp_inspect_crawl *c, const char *name)
{
	for (size_t i = 0; i < c->site.ncols; i++)
		if (!strcmp(c->site.cols[i].name, name))
			return true;
	return false;
}

static void discover_columns(kp_inspect_crawl *c, kp_inspect_result *r)
{
	/* configured first: they fix a URL or a class */
	for (size_t i = 0; i < c->site.ncols; i++) {
		kp_inspect_site_column *sc = &c->site.cols[i];
		char *u = kp_inspect_url_resolve(c->urls[c->home].url, sc->url);
		bool found = false;
		for (size_t k = 0; u && k < c->nurls; k++)
			if (!strcmp(c->urls[k].url, u)) {
				add_column(r, c, (uint32_t)k, sc->name, sc->cls);
				found = true;
				break;
			}
		if (!found && u) {
			r->columns = kp_xrealloc(r->columns,
						 (r->ncolumns + 1) * sizeof(*r->columns));
			kp_inspect_column *col = &r->columns[r->ncolumns++];
			memset(col, 0, sizeof(*col));
			col->name = kp_xstrdup(sc->name);
			col->url = kp_xstrdup(u);
			col->cls = kp_xstrdup(sc->cls ? sc->cls : kp_inspect_column_class(sc->name));
			col->pages = 1;
		}
		free(u);
	}
	/* navigation of the homepage, then of the second-level pages */
	for (int depth = 0; depth <= 1; depth++)
		for (size_t i = 0; i < c->nurls; i++) {
			kp_inspect_url *u = &c->urls[i];
			if (u->depth != depth || !u->page || !u->in_scope)
				continue;
			for (size_t k = 0; k < u->page->nnav; k++) {
				kp_inspect_nav *nv = &u->page->nav[k];
				kp_inspect_url *t = &c->urls[nv->id];
				if (nv->id == c->home || !t->in_scope ||
				    t->kind != KP_INSPECT_LINK_PAGE)
					continue;
				if (!column_name_ok(nv->text))
					continue;
				if (!nv->nav &&
				    !strcmp(kp_inspect_column_class(nv->text), "其他"))
					continue;
				if (configured(c, nv->text))
					continue; /* its URL is fixed there */
				add_column(r, c, nv->id, nv->text, NULL);
			}
		}
}

/* A column check's columns, in the order given: each dated from its
 * page by add_column (the inspector's own), or, when its URL is not
 * one, left with status 0. */
static void only_columns(kp_inspect_crawl *c, kp_inspect_result *r)
{
	for (size_t i = 0; i < c->nonly; i++) {
		const kp_inspect_colref *o = &c->only[i];
		const char *cls = o->cls && *o->cls ? o->cls : NULL;
		size_t before = r->ncolumns;
		for (size_t k = 0; c->only_abs[i] && k < c->nurls; k++)
			if (!strcmp(c->urls[k].url, c->only_abs[i])) {
				add_column(r, c, (uint32_t)k, o->name, cls);
				break;
			}
		if (r->ncolumns == before) {   /* not a URL, or given twice */
			r->columns = kp_xrealloc(r->columns,
						 (r->ncolumns + 1) * sizeof(*r->columns));
			kp_inspect_column *col = &r->columns[r->ncolumns++];
			memset(col, 0, sizeof(*col));
			col->name = kp_xstrdup(o->name);
			col->url = kp_xstrdup(c->only_abs[i] ? c->only_abs[i] : o->url);
			col->cls = kp_xstrdup(cls ? cls : kp_inspect_column_class(o->name));
			col->pages = 1;
		}
	}
}

/* ---- checks ---------------------------------------------------------- */

typedef struct ctx {
	kp_inspect_crawl *c;
	kp_inspect_result *r;
	const kp_inspect_opts *o;
	kp_err *e;
} ctx;

static void chk_homepage(ctx *x)
{
	kp_inspect_result *r = x->r;
	kp_inspect_url *h = &x->c->urls[x->c->home];
	if (h->status != 200) {
		if (h->error && !h->status) /* no HTTP answer at all */
			finding(r, "homepage.reachable", "否决", h->url, h->error,
				"首页无法访问（%s）", h->error);
		else
			finding(r, "homepage.reachable", "否决", h->url, h->error,
				"首页无法访问（%s%s%d）", h->error ? h->error : "HTTP 状态 ",
				h->error ? "，状态 " : "", h->status);
		return;
	}
	if (h->secs > 3.0)
		finding(r, "homepage.reachable", "一般", h->url, NULL,
			"首页打开时间 %.1f 秒，超过 3 秒", h->secs);
}

static void chk_home_updated(ctx *x)
{
	kp_inspect_result *r = x->r;
	char d[16];
	if (r->home.status != 200)
		return;
	if (!r->home.latest)
		finding(r, "homepage.updated", "否决", r->home.url, NULL,
			"首页找不到任何带日期的信息，无法确认更新（按未更新计）");
	else if (r->as_of - r->home.latest > 14)
		finding(r, "homepage.updated", "否决", r->home.url,
			kp_inspect_date_str(r->home.latest, d),
			"首页 %d 天未更新（最新信息 %s，超过 2 周）",
			(int)(r->as_of - r->home.latest), d);
}

static void chk_columns(ctx *x)
{
	kp_inspect_result *r = x->r;
	size_t stale = 0, lstale = 0, blank = 0;
	char d[16];
	for (size_t i = 0; i < r->ncolumns; i++) {
		kp_inspect_column *c = &r->columns[i];
		if (!c->status)
			continue;
		if (c->status >= 400)
			continue; /* reported as a dead link */
		if (c->blank) {
			blank++;
			finding(r, "column.blank", "严重", c->url, c->name,
				"空白栏目：“%s”没有任何信息", c->name);
			continue;
		}
		if (c->stale) {
			stale++;
			if (c->long_stale)
				lstale++;
			if (c->latest)
				finding(r, "column.updated", "严重", c->url,
					kp_inspect_date_str(c->latest, d),
					"栏目“%s”（%s）%d 天未更新（最新 %s，要求 %d 天内）",
					c->name, c->cls, (int)(r->as_of - c->latest),
					d, kp_inspect_class_stale_days(c->cls));
			else
				finding(r, "column.updated", "严重", c->url, NULL,
					"栏目“%s”（%s）的信息都没有日期，按未更新计",
					c->name, c->cls);
		}
	}
	if (stale >= 5)
		finding(r, "column.updated", "否决", r->home.url, NULL,
			"未按期更新的栏目 %zu 个（≥5 个，单项否决）", stale);
	if (lstale >= 10)
		finding(r, "column.updated", "否决", r->home.url, NULL,
			"长期（超过 1 年）未更新的栏目 %zu 个（≥10 个，单项否决）",
			lstale);
	if (blank >= 5)
		finding(r, "column.blank", "否决", r->home.url, NULL,
			"空白栏目 %zu 个（≥5 个，单项否决）", blank);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct url_id {
	const char *url;      /* borrowed from the crawl */
	uint32_t id;
} url_id;

static int cmp_url_id(const void *a, const void *b)
{
	return strcmp(((const url_id *)a)->url, ((const url_id *)b)->url);
}

/* Dead links in the order of their URLs, and the pages linking each in
 * theirs: the crawl's order depends on timing, a report must not (two
 * inspections of the same site read the same). */
static void chk_dead(ctx *x)
{
	kp_inspect_crawl *c = x->c;
	kp_inspect_result *r = x->r;
	url_id *ids = NULL;     /* owned here: the dead URLs */
	size_t nids = 0;
	for (size_t i = 0; i < c->nurls; i++) {
		kp_inspect_url *u = &c->urls[i];
		bool dead = u->state == U_DONE &&
			    (u->status >= 400 || (u->error && !u->refused_big));
		if (!dead || (uint32_t)i == c->home)
			continue;
		if (!(nids & (nids + 1)))   /* 0, 1, 3, 7 …: double */
			ids = kp_xrealloc(ids, (nids + 1) * 2 * sizeof(*ids));
		ids[nids++] = (url_id){ u->url, (uint32_t)i };
	}
	if (nids)
		qsort(ids, nids, sizeof(*ids), cmp_url_id);
	r->dead = nids ? kp_xcalloc(nids, sizeof(*r->dead)) : NULL;
	for (size_t n = 0; n < nids; n++) {
		kp_inspect_url *u = &c->urls[ids[n].id];
		kp_inspect_dead *dd = &r->dead[r->ndead++];
		dd->url = kp_xstrdup(u->url);
		dd->status = u->status;
		dd->kind = u->kind;
		dd->timeout = u->timeout;
		dd->external = !u->in_scope;
		dd->confirmed = u->status == 404 || u->status == 410;
		dd->error = kp_xstrdup(u->error ? u->error : "");
		dd->redirects = u->redirects;
		dd->final_url = u->redirects && u->final_url
			? kp_xstrdup(u->final_url) : NULL;
		dd->total_found = u->total_refs;
		dd->found_on = kp_xcalloc(u->nrefs + 1, sizeof(char *));
		for (uint32_t k = 0; k < u->nrefs; k++)
			dd->found_on[dd->nfound++] = kp_xstrdup(c->urls[u->refs[k]].url);
		qsort(dd->found_on, dd->nfound, sizeof(char *), cmp_str);
		char why[160];
		if (u->error && u->status)
			snprintf(why, sizeof(why), "%s，HTTP %d", u->error, u->status);
		else if (u->error)
			snprintf(why, sizeof(why), "%s", u->error);
		else
			snprintf(why, sizeof(why), "HTTP %d", u->status);
		finding(r, "links.dead", dd->confirmed ? "严重" : "一般", u->url,
			dd->nfound ? dd->found_on[0] : NULL,
			"%s%s：%s（%s），%u 处链接到它",
			dd->external ? "外部链接" : "",
			dd->confirmed ? "死链" : "疑似死链",
			dd->timeout ? "超时" : kp_inspect_link_kind_label(u->kind), why,
			u->total_refs);
	}
	free(ids);
}

static void chk_footer(ctx *x)
{
	kp_inspect_crawl *c = x->c;
	kp_inspect_result *r = x->r;
	kp_inspect_footer *f = &r->footer;
	const char *url = r->home.url;
	if (!c->home_parsed)
		return;
	const kp_inspect_doc *d = &c->home_doc;
	for (size_t i = 0; i < d->nlinks; i++) {
		const kp_inspect_link *l = &d->links[i];
		if (strstr(l->url, "conac.cn") || strstr(l->url, "dzjg") ||
		    strstr(l->text, "党政机关"))
			f->party_gov_mark = true;
		if (strstr(l->text, "找错") || strstr(l->url, "jiucuo") ||
		    strstr(l->url, "exposure"))
			f->zhaocuo_entry = true;
		if (strstr(l->text, "网站地图") || strcasestr(l->url, "sitemap") ||
		    strstr(l->url, "wzdt"))
			f->sitemap = true;
		if (strstr(l->text, "无障碍") || strstr(l->text, "适老") ||
		    strstr(l->text, "长者") || strstr(l->text, "关怀") ||
		    strcasestr(l->url, "wza"))
			f->accessibility = true;
		if (strstr(l->text, "搜索") || strcasestr(l->url, "search"))
			f->search = true;
	}
	if (d->has_search)
		f->search = true;
	kp_inspect_footer_read(d, f);
	if (f->from_script)
		finding(r, "footer.elements", "提示", url, f->from_script,
			"首页底部信息由脚本 %s 写出（已读取其中的文字）", f->from_script);
	if (!f->site_id_code)
		finding(r, "footer.elements", "严重", url, NULL, "首页底部缺少网站标识码");
	else if (strlen(f->site_id_code) != 10)
		finding(r, "footer.elements", "一般", url, f->site_id_code,
			"网站标识码“%s”不是 10 位", f->site_id_code);
	if (!f->icp)
		finding(r, "footer.elements", "严重", url, NULL, "首页底部缺少 ICP 备案编号");
	if (!f->police_record)
		finding(r, "footer.elements", "一般", url, NULL, "首页底部缺少公安机关备案号");
	if (!f->party_gov_mark)
		finding(r, "footer.elements", "一般", url, NULL, "首页底部缺少党政机关网站标识");
	if (!f->sponsor)
		finding(r, "footer.elements", "一般", url, NULL, "首页底部缺少主办单位");
	if (!f->contact)
		finding(r, "footer.elements", "一般", url, NULL, "首页底部缺少联系方式");
	if (!f->zhaocuo_entry)
		finding(r, "footer.zhaocuo", "严重", url, NULL,
			"首页没有“我为政府网站找错”入口");
}

static void chk_functions(ctx *x)
{
	kp_inspect_result *r = x->r;
	if (!x->c->home_parsed)
		return;
	if (!r->footer.sitemap)
		finding(r, "site.functions", "一般", r->home.url, NULL, "首页没有网站地图入口");
	if (!r->footer.accessibility)
		finding(r, "site.functions", "一般", r->home.url, NULL,
			"首页没有无障碍或适老化服务入口");
	if (!r->footer.search)
		finding(r, "site.functions", "一般", r->home.url, NULL, "首页没有站内搜索");
}

/* The suffix (.gov.cn or .政务); and, when the portal's domain is given
 * (--portal or the config's portal line), that a department's site is
 * under it. */
static void chk_domain(ctx *x)
{
	kp_inspect_result *r = x->r;
	const char *portal = x->o->portal ? x->o->portal : x->c->site.portal;
	char hn[256];
	size_t n;
	/* a redirect the crawl refused (crawl_guard.c) did not move the site */
	if (!kp_inspect_url_host(r->home.final_url && !x->c->urls[x->c->home].refused
				 ? r->home.final_url : r->home.url, hn, sizeof(hn)))
		return;
	hn[kp_inspect_host_len(hn)] = '\0';   /* no ":port" */
	r->domain.host = kp_xstrdup(hn);
	if (portal) {
		r->domain.portal = kp_xstrdup(portal);
		r->domain.under_portal = kp_inspect_host_under(hn, portal);
		if (!r->domain.under_portal)
			finding(r, "site.domain", "一般", r->home.url, hn,
				"网站域名“%s”不在本级政府门户网站域名“%s”之下（部门网站应使用门户网站域名的下级域名）",
				hn, portal);
	}
	n = strlen(hn);
	if ((n > 7 && !strcmp(hn + n - 7, ".gov.cn")) ||
	    (n > 7 && !strcmp(hn + n - 7, ".政务")) ||
	    (n > 18 && !strcmp(hn + n - 18, ".xn--zfr164b")))
		return;
	finding(r, "site.domain", "一般", r->home.url, hn,
		"域名“%s”不以 .gov.cn 或 .政务 结尾", hn);
}

/* Requirement name and column name mean the same. */
static bool same_meaning(const char *req, const char *col)
{
	static const char *const suffixes[] = {
		"信息公开", "领域信息", "信息", "公开", "专栏", "专题", "栏目", NULL
	};
	char a[256], b[256];
	snprintf(a, sizeof(a), "%s", req);
	snprintf(b, sizeof(b), "%s", col);
	for (char *s = a; s; s = s == a ? b : NULL) {
		for (const char *const *x = suffixes; *x; x++) {
			size_t n = strlen(s), k = strlen(*x);
			if (n > k + 3 && !strcmp(s + n - k, *x))
				s[n - k] = '\0';
		}
		/* “六稳”“六保” → 六稳六保 */
		char *w = s;
		for (char *p = s; *p;) {
			if (!strncmp(p, "“", 3) || !strncmp(p, "”", 3)) {
				p += 3;
				continue;
			}
			*w++ = *p++;
		}
		*w = '\0';
		if (s == b)
			break;
	}
	if (nchars(a) >= 2 && nchars(b) >= 2 && (strstr(a, b) || strstr(b, a)))
		return true;
	const char *ca = kp_inspect_column_class(req), *cb = kp_inspect_column_class(col);
	return strcmp(ca, "其他") && !strcmp(ca, cb) &&
	       strcmp(ca, "信息公开目录/指南/年报") && strcmp(ca, "办事服务");
}

static void chk_required(ctx *x)
{
	kp_inspect_result *r = x->r;
	kp_table *t = NULL;
	kp_err e;
	char d[16];
	if (!x->o->required)
		return;
	if (kp_table_open(x->o->required, &t, &e) < 0) {
		finding(r, "column.required", "提示", NULL, NULL,
			"无法读取栏目要求表：%s", e.msg);
		return;
	}
	for (size_t i = 0; i < t->nnodes; i++) {
		const kp_node *nd = t->nodes[i];
		const char *req;
		if (x->o->unit) {
			/* a department's checklist: items under its node */
			const kp_node *top = nd;
			while (top->parent)
				top = top->parent;
			if (strcmp(top->name, x->o->unit) ||
			    nd->rule != KP_RULE_ITEM)
				continue;
		} else if (nd->level != 1) {
			continue;
		}
		req = nd->name;
		kp_inspect_column *hit = NULL;
		for (size_t k = 0; k < r->ncolumns && !hit; k++)
			if (same_meaning(req, r->columns[k].name))
				hit = &r->columns[k];
		if (!hit) {
			finding(r, "column.required", "严重", r->home.url, req,
				"未开设要求的栏目“%s”（%s）", req, kp_table_id(t));
			continue;
		}
		hit->required_match = true;
		if (hit->status >= 400)
			finding(r, "column.required", "严重", hit->url, req,
				"要求的栏目“%s”（网站上为“%s”）无法访问（HTTP %d）",
				req, hit->name, hit->status);
		else if (hit->blank)
			finding(r, "column.required", "严重", hit->url, req,
				"要求的栏目“%s”（网站上为“%s”）是空白栏目", req,
				hit->name);
		else if (hit->stale)
			finding(r, "column.required", "一般", hit->url, req,
				"要求的栏目“%s”（网站上为“%s”）未按期更新（最新 %s）",
				req, hit->name,
				hit->latest ? kp_inspect_date_str(hit->latest, d) : "无日期");
	}
	kp_table_free(t);
}

/* One kind of page analysis: the pages it flags with the measure that
 * flagged them. */
typedef struct ranked {
	const char *url;      /* borrowed from the crawl */
	double v;
} ranked;

typedef struct rank_list {
	ranked *v;            /* owned */
	size_t n;
} rank_list;

static void rank_add(rank_list *l, const char *url, double v)
{
	if (!(l->n & (l->n + 1)))   /* 0, 1, 3, 7 …: double */
		l->v = kp_xrealloc(l->v, (l->n + 1) * 2 * sizeof(*l->v));
	l->v[l->n++] = (ranked){ url, v };
}

static int cmp_ranked(const void *a, const void *b)
{
	const ranked *x = a, *y = b;
	if (x->v != y->v)
		return x->v > y->v ? -1 : 1;
	return strcmp(x->url, y->url);
}

/* The worst RANK_MAX of l (largest measure first, then by URL: the same
 * site gives the same list whatever the crawl's order), each a finding
 * made by one(), then when there are more, one finding that counts them
 * all; frees l's array. */
#define RANK_MAX 20
static void rank_report(kp_inspect_result *r, rank_list *l, const char *check,
			const char *sev, const char *what,
			void (*one)(kp_inspect_result *, const ranked *))
{
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), cmp_ranked);
	for (size_t i = 0; i < l->n && i < RANK_MAX; i++)
		one(r, &l->v[i]);
	if (l->n > RANK_MAX)
		finding(r, check, sev, r->home.url, NULL,
			"共 %zu 个%s，以上按程度列出前 %d 个", l->n, what, RANK_MAX);
	free(l->v);
	*l = (rank_list){ 0 };
}

static void one_refused(kp_inspect_result *r, const ranked *p)
{
	finding(r, "page.oversized", "一般", p->url, NULL,
		"页面超过 %.0f MB 的大小上限，已拒收", p->v);
}

static void one_slow(kp_inspect_result *r, const ranked *p)
{
	finding(r, "page.slow", "提示", p->url, NULL,
		"页面打开时间 %.1f 秒，超过 5 秒", p->v);
}

static void one_big(kp_inspect_result *r, const ranked *p)
{
	finding(r, "page.oversized", "提示", p->url, NULL,
		"页面 %.1f MB，超过 3 MB", p->v / 1048576.0);
}

static void one_deep(kp_inspect_result *r, const ranked *p)
{
	finding(r, "page.deep", "提示", p->url, NULL,
		"页面距首页 %.0f 次点击，超过 4 层", p->v);
}

static void one_long(kp_inspect_result *r, const ranked *p)
{
	finding(r, "page.url_long", "提示", p->url, NULL,
		"网址长 %.0f 字节，超过 255", p->v);
}

static void chk_pages(ctx *x)
{
	kp_inspect_crawl *c = x->c;
	kp_inspect_result *r = x->r;
	rank_list refused = { 0 }, slow = { 0 }, big = { 0 }, deep = { 0 },
		  longu = { 0 };
	for (size_t i = 0; i < c->nurls; i++) {
		kp_inspect_url *u = &c->urls[i];
		if (u->refused_big)
			rank_add(&refused, u->url, (double)(x->o->max_body >> 20));
		if (u->kind != KP_INSPECT_LINK_PAGE || !u->page)
			continue;
		if (u->secs > 5.0)
			rank_add(&slow, u->url, u->secs);
		if (u->size > (size_t)3 << 20)
			rank_add(&big, u->url, (double)u->size);
		if (u->depth > 4)
			rank_add(&deep, u->url, u->depth);
		size_t n = strlen(u->url);
		if (n > 255)
			rank_add(&longu, u->url, (double)n);
	}
	rank_report(r, &refused, "page.oversized", "一般", "页面超过大小上限被拒收",
		    one_refused);
	rank_report(r, &slow, "page.slow", "提示", "页面打开时间超过 5 秒", one_slow);
	rank_report(r, &big, "page.oversized", "提示", "页面超过 3 MB", one_big);
	rank_report(r, &deep, "page.deep", "提示", "页面距首页超过 4 层", one_deep);
	rank_report(r, &longu, "page.url_long", "提示", "网址超过 255 字节", one_long);
	if (c->traps)
		finding(r, "crawl.traps", "提示", r->home.url, NULL,
			"跳过 %zu 个疑似陷阱网址（日历、会话参数、无限增长的路径）",
			c->traps);
}

/* The crawl did not see the whole site: which limits, how many URLs left. */
static void chk_incomplete(ctx *x)
{
	kp_buf msg = KP_BUF_INIT;
	const char *sev = kp_inspect_limits_message(x->r, &msg);
	if (sev)
		finding(x->r, "site.incomplete", sev, x->r->home.url, NULL, "%s", msg.data);
	kp_buf_release(&msg);
}

static int cmp_url_ptr(const void *a, const void *b)
{
	return strcmp((*(const kp_inspect_url *const *)a)->url,
		      (*(const kp_inspect_url *const *)b)->url);
}

/* What the crawl refused to visit, each with its URL and where it led:
 * the first RANK_MAX by URL, then how many in all. */
static void chk_refused(ctx *x)
{
	const kp_inspect_url **v = NULL;
	size_t n = 0;
	for (size_t i = 0; i < x->c->nurls; i++)
		if (x->c->urls[i].refused) {
			v = kp_xrealloc(v, (n + 1) * sizeof(*v));
			v[n++] = &x->c->urls[i];
		}
	if (n)
		qsort(v, n, sizeof(*v), cmp_url_ptr);
	for (size_t i = 0; i < n && i < RANK_MAX; i++)
		finding(x->r, "site.refused", "一般", v[i]->url, v[i]->final_url,
			"%s", v[i]->refused);
	if (n > RANK_MAX)
		finding(x->r, "site.refused", "一般", x->r->home.url, NULL,
			"共 %zu 个拒绝访问的目标，以上按网址列出前 %d 个", n, RANK_MAX);
	free(v);
}

/* ---- content: personal data, wording, typos (content.c) ---------------
 * One finding per value over the whole site (a mobile number in a
 * shared footer is one problem, not one per page): the first page in URL
 * order as evidence, and how many pages show it. */
typedef struct content_agg {
	const kp_inspect_hit *hit;
	const char *url;        /* the first page (or attachment) in URL order */
	const char *via;        /* an attachment's: the page linking it */
	size_t pages;
} content_agg;

static int cmp_agg(const void *a, const void *b)
{
	const content_agg *x = a, *y = b;
	if (!x->via != !y->via)
		return x->via ? 1 : -1;   /* the pages' findings first */
	if (x->hit->kind != y->hit->kind)
		return x->hit->kind - y->hit->kind;
	return strcmp(x->hit->value, y->hit->value);
}

static void content_finding(kp_inspect_result *r, const content_agg *a)
{
	const kp_inspect_hit *h = a->hit;
	char more[64] = "";
	kp_buf where = KP_BUF_INIT;
	if (a->pages > 1)
		snprintf(more, sizeof(more), "（共 %zu 个%s）", a->pages,
			 a->via ? "附件" : "页面");
	/* an attachment's finding names the page that links it */
	if (a->via)
		kp_buf_addf(&where, "（附件，链接它的页面：%s）", a->via);
	const char *w = where.len ? where.data : "";
	switch (h->kind) {
	case KP_INSPECT_HIT_ID:
	case KP_INSPECT_HIT_MOBILE:
	case KP_INSPECT_HIT_CARD:
		finding(r, "content.pii", h->kind == KP_INSPECT_HIT_MOBILE ? "一般" : "严重",
			a->url, h->snippet, "%s公开了%s %s%s%s", a->via ? "附件" : "页面",
			kp_inspect_hit_label(h->kind), h->value, more, w);
		break;
	case KP_INSPECT_HIT_WORDING:
		finding(r, "content.wording", "严重", a->url, h->snippet,
			"严重表述错误：“%s”应为“%s”%s%s", h->value, h->fix, more, w);
		break;
	default:
		finding(r, "content.typo", "提示", a->url, h->snippet,
			"疑似错别字：“%s”应为“%s”%s%s", h->value, h->fix, more, w);
		break;
	}
	kp_buf_release(&where);
}

/* Count hits[0..n) of url (linked from via, an attachment's page, or
 * NULL) into agg[0..*na): one entry a value, its first URL kept. */
static void agg_hits(content_agg **agg, size_t *na, const kp_inspect_hit *hits,
		     size_t n, const char *url, const char *via)
{
	for (size_t k = 0; k < n; k++) {
		const kp_inspect_hit *h = &hits[k];
		size_t j = 0;
		for (; j < *na; j++)
			if (!(*agg)[j].via == !via && (*agg)[j].hit->kind == h->kind &&
			    !strcmp((*agg)[j].hit->value, h->value))
				break;
		if (j == *na) {
			*agg = kp_xrealloc(*agg, (*na + 1) * sizeof(**agg));
			(*agg)[(*na)++] = (content_agg){ h, url, via, 0 };
		} else if (strcmp(url, (*agg)[j].url) < 0) {
			(*agg)[j].hit = h;
			(*agg)[j].url = url;
			(*agg)[j].via = via;
		}
		(*agg)[j].pages++;
	}
}

static void chk_content(ctx *x)
{
	kp_inspect_crawl *c = x->c;
	content_agg *agg = NULL;
	size_t n = 0;
	for (size_t i = 0; i < c->nurls; i++) {
		const kp_inspect_url *u = &c->urls[i];
		if (u->page)
			agg_hits(&agg, &n, u->page->hits, u->page->nhits, u->url, NULL);
	}
	/* attachments: the page linking each one (the first in URL order) */
	for (size_t i = 0; i < c->nattach; i++) {
		const kp_inspect_url *u = &c->urls[c->attach[i].id];
		const char *via = NULL;
		for (uint32_t k = 0; k < u->nrefs; k++) {
			const char *p = c->urls[u->refs[k]].url;
			if (!via || strcmp(p, via) < 0)
				via = p;
		}
		agg_hits(&agg, &n, c->attach[i].hits, c->attach[i].nhits, u->url,
			 via ? via : c->urls[c->home].url);
	}
	if (n)
		qsort(agg, n, sizeof(*agg), cmp_agg);
	for (size_t j = 0; j < n && j < 300; j++)
		content_finding(x->r, &agg[j]);
	free(agg);
}

/* ---- interaction: letters unanswered after 3 months ------------------- */

typedef struct letter {
	const char *url;
	kp_inspect_date day;
} letter;

static int cmp_letter(const void *a, const void *b)
{
	const letter *x = a, *y = b;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return strcmp(x->url, y->url);
}

/* ref is the column page col or one of its pages (index.html →
 * index_1.html, index.html?page=2): col up to its file's extension
 * begins ref. */
static bool column_page_of(const char *col, const char *ref)
{
	size_t n = strlen(col);
	const char *slash = strrchr(col, '/'), *dot = strrchr(col, '.');
	if (dot && slash && dot > slash && !strchr(dot, '?'))
		n = (size_t)(dot - col);
	return !strncmp(col, ref, n);
}

/* Columns the indicators leave out: interviews, surveys and
 * solicitations, petitions and complaints to the discipline bodies. */
static bool interaction_excluded(const char *name)
{
	return strstr(name, "访谈") || strstr(name, "调查") || strstr(name, "征集") ||
	       strstr(name, "信访") || strstr(name, "举报");
}

/* A 留言/信箱 column (class 互动交流) whose letters (the pages its list
 * links to, with a 来信日期 or 留言时间) written in the year before the
 * as-of day have no reply after 3 months (92 days): 互动回应差, a veto
 * of the national indicators.  One finding per column: the count and
 * the oldest letters' URLs. */
static void chk_interaction(ctx *x)
{
	kp_inspect_crawl *c = x->c;
	kp_inspect_result *r = x->r;
	for (size_t k = 0; k < r->ncolumns; k++) {
		const kp_inspect_column *col = &r->columns[k];
		letter *v = NULL;
		size_t n = 0;
		if (strcmp(col->cls, "互动交流") || interaction_excluded(col->name))
			continue;
		for (size_t i = 0; i < c->nurls; i++) {
			const kp_inspect_url *u = &c->urls[i];
			const kp_inspect_page *pg = u->page;
			bool mine = false;
			if (!pg || !pg->letter || pg->replied || !u->in_scope ||
			    r->as_of - pg->letter <= 92 || r->as_of - pg->letter > 365)
				continue;
			for (uint32_t j = 0; j < u->nrefs && !mine; j++)
				mine = column_page_of(col->url, c->urls[u->refs[j]].url);
			if (!mine)
				continue;
			v = kp_xrealloc(v, (n + 1) * sizeof(*v));
			v[n++] = (letter){ u->url, pg->letter };
		}
		if (!n)
			continue;
		qsort(v, n, sizeof(*v), cmp_letter);
		kp_buf urls = KP_BUF_INIT;
		char day[16];
		for (size_t j = 0; j < n && j < 5; j++)
			kp_buf_addf(&urls, "%s%s", j ? " " : "", v[j].url);
		finding(r, "interaction.unanswered", "否决", col->url, urls.data,
			"栏目“%s”有 %zu 条留言超过 3 个月未回复（最早来信 %s）",
			col->name, n, kp_inspect_date_str(v[0].day, day));
		kp_buf_release(&urls);
		free(v);
	}
}

typedef struct check_row {
	const char *name;
	const char *title;    /* what a person reads for it: 栏目更新, 死链 */
	const char *label;
	void (*fn)(ctx *);
} check_row;

static const check_row checks[] = {
	{ "homepage.reachable", "首页可访问", "首页可访问、打开速度", chk_homepage },
	{ "homepage.updated", "首页更新", "首页 2 周内更新（单项否决）", chk_home_updated },
	{ "column.updated", "栏目更新", "栏目按期更新；空白栏目", chk_columns },
	{ "column.blank", "空白栏目", "空白栏目（与“栏目更新”同一检查）", NULL },
	{ "links.dead", "死链", "死链、错链（页面、图片、附件、超时）", chk_dead },
	{ "footer.elements", "底部要素", "网站标识码、ICP备案号、公安机关备案号、党政机关网站标识、主办单位、联系方式", chk_footer },
	{ "footer.zhaocuo", "找错入口", "“我为政府网站找错”入口（与“底部要素”同一检查）", NULL },
	{ "site.functions", "网站功能", "网站地图、无障碍/适老化入口、站内搜索", chk_functions },
	{ "site.domain", "网站域名", "域名以 .gov.cn 或 .政务 结尾；给出门户网站域名时，在它之下", chk_domain },
	{ "column.required", "必设栏目", "指标表要求开设的栏目：存在、非空、更新", chk_required },
	{ "page.slow", "页面过慢", "页面分析：慢、过大、过深、网址过长", chk_pages },
	{ "page.oversized", "页面过大", "页面超过大小上限（与“页面过慢”同一检查）", NULL },
	{ "page.deep", "页面过深", "页面过深（与“页面过慢”同一检查）", NULL },
	{ "page.url_long", "网址过长", "网址过长（与“页面过慢”同一检查）", NULL },
	{ "crawl.traps", "抓取陷阱", "跳过的陷阱网址（与“页面过慢”同一检查）", NULL },
	{ "site.incomplete", "抓取未完成", "抓取未完成：达到上限、robots.txt 不允许或疑似陷阱（crawl_limits.c）", chk_incomplete },
	{ "site.refused", "拒绝访问", "拒绝访问的目标：内网或本机地址、首页重定向到本网站域名之外（crawl_guard.c）", chk_refused },
	{ "content.pii", "敏感信息", "页面公开了公民身份号码、手机号码、银行卡号（号码已遮盖）", chk_content },
	{ "content.wording", "表述错误", "严重表述错误（data/inspect/wording.csv，与“敏感信息”同一检查）", NULL },
	{ "content.typo", "疑似错别字", "常见错别字，报告为疑似（data/inspect/typos.csv，与“敏感信息”同一检查）", NULL },
	{ "interaction.unanswered", "留言未回复", "留言、信箱栏目中来信超过 3 个月未回复（互动回应差，单项否决）", chk_interaction },
};

/* Filled once (pthread_once: callers may be on several threads). */
static kp_inspect_check_info check_info[sizeof(checks) / sizeof(checks[0])];
static pthread_once_t check_info_once = PTHREAD_ONCE_INIT;

static void fill_check_info(void)
{
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		check_info[i] = (kp_inspect_check_info){ checks[i].name, checks[i].label,
							 checks[i].title };
}

const kp_inspect_check_info *kp_inspect_checks(size_t *n)
{
	pthread_once(&check_info_once, fill_check_info);
	*n = sizeof(checks) / sizeof(checks[0]);
	return check_info;
}

const char *kp_inspect_check_title(const char *check)
{
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		if (!strcmp(checks[i].name, check))
			return checks[i].title;
	return check;
}

int kp_inspect_analyse(kp_inspect_crawl *c, kp_inspect_result *r, kp_err *e)
{
	ctx x = { c, r, c->o, e };
	kp_inspect_url *h = &c->urls[c->home];
	r->site = kp_xstrdup(c->urls[0].url);   /* as given, even when it moved */
	r->as_of = c->o->as_of;
	r->pages_crawled = c->pages_fetched;
	r->incremental = c->o->cache && c->o->cache->conditional;
	r->pages_conditional = c->pages_conditional;
	r->pages_not_modified = c->pages_not_modified;
	r->pages_downloaded = c->pages_fetched > c->pages_not_modified
		? c->pages_fetched - c->pages_not_modified : 0;
	r->resources_checked = c->checks_started;
	r->errors = c->errors;
	r->seconds = c->seconds;
	r->traps = c->traps;
	kp_inspect_attach_result(c, r);
	r->robots_skipped = c->robots_skipped;
	r->refused_big = c->refused_big;
	r->home.url = kp_xstrdup(h->url);
	r->home.final_url = h->final_url ? kp_xstrdup(h->final_url) : NULL;
	r->home.status = h->status;
	r->home.seconds = h->secs;
	r->home.http_version = h->http_version == 10 ? "1.0"
			       : h->http_version == 11 ? "1.1"
			       : h->http_version == 20 ? "2"
			       : h->http_version == 30 ? "3" : NULL;
	for (size_t i = 0; i < c->nurls; i++) {
		const kp_inspect_url *u = &c->urls[i];
		int v = u->http_version;
		if (v)
			r->http_versions[v == 10 ? 0 : v == 11 ? 1 : v == 20 ? 2 : 3]++;
		if (u->same_as != UINT32_MAX && r->nsame < 1000) {
			r->same = kp_xrealloc(r->same, (r->nsame + 1) * sizeof(*r->same));
			r->same[r->nsame].url = kp_xstrdup(u->url);
			r->same[r->nsame++].same_as = kp_xstrdup(c->urls[u->same_as].url);
		}
		if (u->redirects && u->state == U_DONE &&
		    r->total_redirects++ < 100) {
			r->redirects = kp_xrealloc(r->redirects,
						   (r->nredirects + 1) * sizeof(*r->redirects));
			r->redirects[r->nredirects++] = (struct kp_inspect_redirect){
				kp_xstrdup(u->url),
				u->final_url ? kp_xstrdup(u->final_url) : NULL,
				u->redirects,
			};
		}
	}
	if (c->home_parsed) {
		const kp_inspect_doc *d = &c->home_doc;
		r->home.title = kp_xstrdup(d->title);
		for (int k = 0; k < KP_INSPECT_META_COUNT; k++)
			r->home.meta[k] = d->meta[k] ? kp_xstrdup(d->meta[k]) : NULL;
		for (size_t i = 0; i < d->nitems; i++)
			if (d->items[i].date > r->home.latest) {
				r->home.latest = d->items[i].date;
				r->home.date_source = d->items[i].date_source;
			}
		if (d->labelled_date > r->home.latest) {
			r->home.latest = d->labelled_date;
			r->home.date_source = d->labelled_source;
		}
	}
	kp_inspect_limits_result(c, r);
	if (c->only) {
		/* a column check: the columns it was given, dated and
		 * judged as add_column and chk_columns do for a crawl */
		only_columns(c, r);
		chk_columns(&x);
		return 0;
	}
	discover_columns(c, r);
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		if (checks[i].fn)
			checks[i].fn(&x);
	return 0;
}

/* ---- the run --------------------------------------------------------- */

/* The crawl c (options and site set up) from url, analysed into *out
 * (the caller's); c released either way. */
static int crawl_analyse(kp_inspect_crawl *c, const char *url,
			 kp_inspect_result **out, kp_err *e)
{
	int rc = -1;
	if (c->o->site_config && kp_inspect_site_load(c->o->site_config, &c->site, e) < 0)
		goto out;
	if (c->o->words && kp_inspect_words_load(&c->site.words, c->o->words, e) < 0)
		goto out;
	if (kp_inspect_crawl_run(c, url, e) < 0)
		goto out;
	*out = kp_xcalloc(1, sizeof(**out));
	kp_inspect_analyse(c, *out, e);
	rc = 0;
out:
	kp_inspect_crawl_release(c);
	return rc;
}

int kp_inspect_run(const char *url, const kp_inspect_opts *o, kp_inspect_result **out, kp_err *e)
{
	kp_inspect_crawl c;
	kp_inspect_opts oo = *o;
	memset(&c, 0, sizeof(c));
	if (!oo.max_checks)
		oo.max_checks = oo.max_pages * 4;
	if (!oo.as_of)
		return kp_fail(e, KP_EINTERNAL, "as_of 未设置");
	c.o = &oo;
	char portal[256];
	if (oo.portal) {
		if (!kp_inspect_domain_norm(oo.portal, portal, sizeof(portal)))
			return kp_fail(e, KP_EINPUT,
				       "--portal 应为本级政府门户网站的域名（如 example.gov.cn），而不是“%s”",
				       oo.portal);
		oo.portal = portal;
	}
	if (oo.unit && !oo.required)
		return kp_fail(e, KP_EINPUT, "--unit 要与 --required 一起使用");
	if (oo.required) { /* refuse a wrong table or unit before crawling */
		kp_table *t = NULL;
		bool found = !oo.unit;
		if (kp_table_open(oo.required, &t, e) < 0)
			return -1;
		for (size_t i = 0; i < t->nroots && !found; i++)
			found = !strcmp(t->roots[i]->name, oo.unit);
		if (!found)
			kp_fail(e, KP_EINPUT, "表 %s 中没有单位“%s”", kp_table_id(t),
				oo.unit);
		kp_table_free(t);
		if (!found)
			return -1;
	}
	return crawl_analyse(&c, url, out, e);
}

int kp_inspect_columns_check(const char *url, const kp_inspect_colref *cols,
			     size_t n, const kp_inspect_opts *o,
			     kp_inspect_result **out, kp_err *e)
{
	kp_inspect_crawl c;
	kp_inspect_opts oo = *o;
	memset(&c, 0, sizeof(c));
	if (!oo.as_of)
		return kp_fail(e, KP_EINTERNAL, "as_of 未设置");
	if (!n || n > 300)
		return kp_fail(e, KP_EINPUT, "栏目检查要 1 至 300 个栏目（给了 %zu 个）", n);
	oo.external = false;       /* no link is checked */
	oo.required = oo.unit = NULL;
	oo.cache = NULL;           /* list pages are fetched whole anyway */
	if (!oo.max_checks)
		oo.max_checks = oo.max_pages * 4;
	c.o = &oo;
	c.only = cols;
	c.nonly = n;
	oo.words = NULL;           /* no wording check either */
	c.only_abs = kp_xcalloc(n, sizeof(*c.only_abs));
	return crawl_analyse(&c, url, out, e);
}

void kp_inspect_result_free(kp_inspect_result *r)
{
	if (!r)
		return;
	free(r->site);
	for (size_t i = 0; i < r->nattach_unread; i++)
		free(r->attach_unread[i].url);
	free(r->attach_unread);
	free(r->home.url);
	free(r->home.final_url);
	free(r->home.title);
	for (int k = 0; k < KP_INSPECT_META_COUNT; k++)
		free(r->home.meta[k]);
	free(r->footer.site_id_code);
	free(r->footer.icp);
	free(r->footer.police_record);
	free(r->footer.sponsor);
	free(r->footer.contact);
	free(r->footer.from_script);
	for (size_t i = 0; i < r->ncolumns; i++) {
		free(r->columns[i].name);
		free(r->columns[i].url);
		free(r->columns[i].cls);
	}
	free(r->columns);
	for (size_t i = 0; i < r->ndead; i++) {
		free(r->dead[i].url);
		free(r->dead[i].error);
		free(r->dead[i].final_url);
		for (size_t k = 0; k < r->dead[i].nfound; k++)
			free(r->dead[i].found_on[k]);
		free(r->dead[i].found_on);
	}
	free(r->dead);
	for (size_t i = 0; i < r->nfindings; i++) {
		kp_inspect_finding *f = &r->findings[i];
		free(f->check);
		free(f->severity);
		free(f->message);
		free(f->url);
		free(f->snippet);
	}
	free(r->findings);
	for (size_t i = 0; i < r->nsame; i++) {
		free(r->same[i].url);
		free(r->same[i].same_as);
	}
	free(r->same);
	for (size_t i = 0; i < r->nredirects; i++) {
		free(r->redirects[i].url);
		free(r->redirects[i].final_url);
	}
	free(r->redirects);
	free(r->domain.host);
	free(r->domain.portal);
	free(r);
}
