/* inspect — a finding's identity across inspections of one site.
 *
 * A finding's message changes from one inspection to the next ("200 天未
 * 更新" becomes "230 天"); what it is about does not.  The key names that:
 * a row per check of how to find it, and for any other check the URL the
 * finding points at (a page's problem) or, for a finding about the whole
 * site (its URL is the homepage), the message's shape: digits become N
 * and quoted text “…” is dropped. */
#include "inspect/inspect.h"

#include <stdlib.h>
#include <string.h>

typedef void (*key_fn)(const kp_inspect_result *r, const kp_inspect_finding *f,
		       kp_buf *out);

/* The message with its numbers and quoted values blanked. */
static void key_shape(const kp_inspect_result *r, const kp_inspect_finding *f, kp_buf *out)
{
	(void)r;
	for (const char *p = f->message; *p;) {
		if (*p >= '0' && *p <= '9') {
			while ((*p >= '0' && *p <= '9') ||
			       (*p == '.' && p[1] >= '0' && p[1] <= '9'))
				p++;
			kp_buf_addc(out, 'N');
		} else if (!strncmp(p, "“", 3) && strstr(p + 3, "”")) {
			p = strstr(p + 3, "”") + 3;
			kp_buf_adds(out, "“…”");
		} else {
			kp_buf_addc(out, *p++);
		}
	}
}

/* The page the finding is about; the shape for the whole site. */
static void key_default(const kp_inspect_result *r, const kp_inspect_finding *f,
			kp_buf *out)
{
	if (*f->url && !(r->home.url && !strcmp(f->url, r->home.url)))
		kp_buf_adds(out, f->url);
	else
		key_shape(r, f, out);
}

/* Unreachable and slow are two problems, whatever the error was. */
static void key_reachable(const kp_inspect_result *r, const kp_inspect_finding *f,
			  kp_buf *out)
{
	(void)r;
	kp_buf_adds(out, !strcmp(f->severity, "否决") ? "首页无法访问" : "首页打开慢");
}

/* Not updated, dated or not: one problem of the homepage. */
static void key_homepage(const kp_inspect_result *r, const kp_inspect_finding *f,
			 kp_buf *out)
{
	(void)r;
	(void)f;
	kp_buf_adds(out, "首页");
}

/* A column's finding: the column's name (its URL may move); the counts
 * of stale or blank columns: their shape. */
static void key_column(const kp_inspect_result *r, const kp_inspect_finding *f,
		       kp_buf *out)
{
	for (size_t i = 0; i < r->ncolumns; i++)
		if (!strcmp(r->columns[i].url, f->url)) {
			kp_buf_addf(out, "栏目：%s", r->columns[i].name);
			return;
		}
	key_shape(r, f, out);
}

/* A required column: the requirement's name. */
static void key_required(const kp_inspect_result *r, const kp_inspect_finding *f,
			 kp_buf *out)
{
	if (*f->snippet)
		kp_buf_addf(out, "要求：%s", f->snippet);
	else
		key_shape(r, f, out);
}

/* An incomplete crawl: which limits left it short, whatever the counts. */
static void key_incomplete(const kp_inspect_result *r, const kp_inspect_finding *f,
			   kp_buf *out)
{
	(void)f;
	kp_buf_adds(out, "未完成：");
	for (size_t i = 0; i < r->nlimits; i++)
		kp_buf_addf(out, "%s%s", i ? "," : "", r->limits[i].limit);
}

static const struct key_rule {
	const char *check;
	key_fn fn;
} rules[] = {
	{ "homepage.reachable", key_reachable },
	{ "homepage.updated", key_homepage },
	{ "column.updated", key_column },
	{ "column.blank", key_column },
	{ "column.required", key_required },
	{ "site.incomplete", key_incomplete },
	/* links.dead, page.*: the URL; footer.*, site.*, crawl.traps: the
	 * message's shape (their URL is the homepage) */
};

static key_fn rule_for(const char *check)
{
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (!strcmp(rules[i].check, check))
			return rules[i].fn;
	return key_default;
}

struct ident {
	const char *check, *key;
	size_t i;
};

static int ident_cmp(const void *a, const void *b)
{
	const struct ident *x = a, *y = b;
	int c = strcmp(x->check, y->check);
	if (!c)
		c = strcmp(x->key, y->key);
	return c ? c : (x->i > y->i) - (x->i < y->i);
}

char **kp_inspect_finding_keys(const kp_inspect_result *r)
{
	size_t n = r->nfindings;
	char **keys = kp_xcalloc(n + 1, sizeof(char *));
	struct ident *v = kp_xcalloc(n + 1, sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		const kp_inspect_finding *f = &r->findings[i];
		kp_buf b = KP_BUF_INIT;
		rule_for(f->check)(r, f, &b);
		keys[i] = b.data ? kp_buf_detach(&b) : kp_xstrdup("");
		v[i] = (struct ident){ f->check, keys[i], i };
	}
	/* repeats, in the findings' order: " #2", " #3" … */
	qsort(v, n, sizeof(*v), ident_cmp);
	for (size_t k = 1, first = 0, run = 1; k < n; k++) {
		/* v[first], the run's first, keeps its key unchanged */
		if (strcmp(v[k].check, v[first].check) ||
		    strcmp(v[k].key, v[first].key)) {
			first = k;
			run = 1;
			continue;
		}
		kp_buf b = KP_BUF_INIT;
		kp_buf_addf(&b, "%s #%zu", v[k].key, ++run);
		free(keys[v[k].i]);
		keys[v[k].i] = kp_buf_detach(&b);
	}
	free(v);
	return keys;
}

void kp_inspect_finding_keys_free(char **keys, size_t n)
{
	if (!keys)
		return;
	for (size_t i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
}
