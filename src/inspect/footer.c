/*
 * inspect/footer.c — the homepage footer as a person reads it: the site
 * code, the ICP and public-security record numbers, the sponsor and the
 * contact.
 *
 * Where: the footer region first — from the last block (a line of the
 * doc's block text, html.c) holding 网站标识码, ICP备, 公网安备, 版权所有
 * or 主办, back over the blocks just before it that hold one too (up to
 * 15 blocks, no more than two in a row without one, none of them a
 * paragraph of over 200 bytes) — so that 主办单位 or 联系方式 inside an
 * article above is not taken for the footer's.  Without such
 * a block anywhere, the whole text.  A footer written by a same-site
 * script (document.write, kp_inspect_doc_add_script) is read after the
 * page's own, and what comes only from it says so (from_script).
 *
 * How: record numbers by their own grammar, not from a label to the
 * next space — a province's abbreviation, ICP备, digits, 号 and an
 * optional -n; a province's abbreviation, 公网安备, 14 digits and an
 * optional 号.  The sponsor after 主办单位/主办：, up to the next space,
 * 承办单位 or other label; or, without a label, the name written before
 * 主办 ("中共青岛市委、青岛市人民政府主办").
 */
#define _GNU_SOURCE /* memmem */
#include "inspect/inspect_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *const markers[] = {
	"网站标识码", "ICP备", "公网安备", "版权所有", "主办", NULL
};

static bool has_marker(const char *s, size_t n)
{
	for (size_t i = 0; markers[i]; i++)
		if (memmem(s, n, markers[i], strlen(markers[i])))
			return true;
	return false;
}

/* The footer region of block text t: a pointer into t, or NULL. */
static const char *region(const char *t)
{
	const char *lines[4096];
	size_t n = 0;
	for (const char *p = t; *p && n < 4096;) {
		lines[n++] = p;
		const char *nl = strchr(p, '\n');
		if (!nl)
			break;
		p = nl + 1;
	}
	size_t last = SIZE_MAX;
	for (size_t i = n; i-- > 0;) {
		const char *e = strchr(lines[i], '\n');
		size_t len = e ? (size_t)(e - lines[i]) : strlen(lines[i]);
		if (has_marker(lines[i], len)) {
			last = i;
			break;
		}
	}
	if (last == SIZE_MAX)
		return NULL;
	size_t first = last, gap = 0;
	for (size_t i = last; i-- > 0 && last - i <= 15 && gap < 3;) {
		size_t len = (size_t)(lines[i + 1] - lines[i]);
		if (len > 200)
			break;   /* a paragraph: the article above */
		if (has_marker(lines[i], len)) {
			first = i;
			gap = 0;
		} else {
			gap++;
		}
	}
	return lines[first];
}

static bool at(const char *p, const char *s)
{
	return !strncmp(p, s, strlen(s));
}

/* The 3-byte UTF-8 character before p is a province's abbreviation. */
static bool province_before(const char *text, const char *p)
{
	static const char provs[] =
		"京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
		"蜀黔滇陇秦";   /* the second abbreviations too */
	if (p - text < 3)
		return false;
	for (const char *q = provs; *q; q += 3)
		if (!memcmp(p - 3, q, 3))
			return true;
	return false;
}

static const char *skip_spaces(const char *p)
{
	for (;;) {
		if (*p == ' ')
			p++;
		else if (at(p, "\u3000") || at(p, "\u00a0"))
			p += at(p, "\u3000") ? 3 : 2;
		else
			return p;
	}
}

/* 粤ICP备2022092331号-1 (the province may be missing). */
static char *icp_no(const char *t)
{
	for (const char *p = strstr(t, "ICP备"); p; p = strstr(p + 1, "ICP备")) {
		const char *q = skip_spaces(p + strlen("ICP备")), *s;
		if (!isdigit((unsigned char)*q))
			continue;
		while (isdigit((unsigned char)*q))
			q++;
		if (!at(q, "号"))
			continue;
		q += 3;
		if (*q == '-' && isdigit((unsigned char)q[1]))
			for (q++; isdigit((unsigned char)*q);)
				q++;
		s = province_before(t, p) ? p - 3 : p;
		return kp_xstrndup(s, (size_t)(q - s));
	}
	return NULL;
}

/* 桂公网安备 45010302001240号 (14 digits; 号 optional). */
static char *police_no(const char *t)
{
	for (const char *p = strstr(t, "公网安备"); p; p = strstr(p + 1, "公网安备")) {
		const char *q = skip_spaces(p + 12), *d = q, *s;
		while (isdigit((unsigned char)*q))
			q++;
		if (q - d != 14)
			continue;
		if (at(q, "号"))
			q += 3;
		s = province_before(t, p) ? p - 3 : p;
		return kp_xstrndup(s, (size_t)(q - s));
	}
	return NULL;
}

/* Where a value that starts at p ends: a space, a line break, a
 * separator or the next label. */
static size_t value_len(const char *p, size_t max)
{
	static const char *const stops[] = {
		"\u3000", "\u00a0", "|", "｜", "承办", "协办", "联系", "地址",
		"电话", "技术支持", "网站标识码", "ICP", "版权", "邮编", "；",
		"。", NULL
	};
	size_t n = 0;
	while (p[n] && p[n] != ' ' && p[n] != '\n' && n < max) {
		size_t k = 0;
		for (; stops[k]; k++)
			if (at(p + n, stops[k]))
				break;
		if (stops[k])
			break;
		n++;
	}
	while (n && ((unsigned char)p[n] & 0xC0) == 0x80)
		n--; /* do not cut a character */
	return n;
}

/* The value after label in t (past "：", ":" and spaces), or NULL. */
static char *after_label(const char *t, const char *label, size_t max)
{
	const char *p = strstr(t, label);
	if (!p)
		return NULL;
	p += strlen(label);
	while (*p == ' ' || *p == ':' || at(p, "：") || at(p, "\u3000"))
		p += (unsigned char)*p < 0x80 ? 1 : 3;
	size_t n = value_len(p, max);
	return n ? kp_xstrndup(p, n) : NULL;
}

/* "中共青岛市委、青岛市人民政府主办": the name before an unlabelled 主办. */
static char *sponsor_unlabelled(const char *t)
{
	for (const char *p = strstr(t, "主办"); p; p = strstr(p + 1, "主办")) {
		const char *s = p;
		size_t chars = 0;
		if (at(p + 6, "单位") || at(p + 6, "：") || p[6] == ':')
			continue;
		while (s > t && s[-1] != ' ' && s[-1] != '\n' && s[-1] != '|' &&
		       !(s - t >= 3 && (!memcmp(s - 3, "\u3000", 3) ||
					!memcmp(s - 3, "：", 3) ||
					!memcmp(s - 3, "｜", 3)))) {
			s--;
			chars += ((unsigned char)*s & 0xC0) != 0x80;
		}
		if (at(s, "由"))
			s += 3, chars--;
		if (chars >= 4 && p - s <= 150)
			return kp_xstrndup(s, (size_t)(p - s));
	}
	return NULL;
}

static char *sponsor(const char *t)
{
	char *v = after_label(t, "主办单位", 90);
	if (!v)
		v = after_label(t, "主办：", 90);
	if (!v)
		v = after_label(t, "主办:", 90);
	if (!v)
		v = sponsor_unlabelled(t);
	return v;
}

static char *contact(const char *t)
{
	const char *tel = strstr(t, "电话");
	if (!tel)
		tel = strstr(t, "联系方式");
	if (tel)
		return after_label(tel, strncmp(tel, "电话", 6) ? "联系方式" : "电话", 40);
	return strstr(t, "联系我们") ? kp_xstrdup("联系我们") : NULL;
}

static char *site_code(const char *t)
{
	const char *p = strstr(t, "网站标识码");
	if (!p)
		return NULL;
	p += strlen("网站标识码");
	while (*p == ' ' || *p == ':' || at(p, "：") || at(p, "\u3000"))
		p += (unsigned char)*p < 0x80 ? 1 : 3;
	size_t n = 0;
	while (isalnum((unsigned char)p[n]) && n < 24)
		n++;
	return n ? kp_xstrndup(p, n) : NULL;
}

/* Fill *v from the page's region, else the script's (noting it). */
static void pick(char **v, char *(*fn)(const char *), const char *page,
		 const char *script, bool *from_script)
{
	*v = page ? fn(page) : NULL;
	if (!*v && script && (*v = fn(script)))
		*from_script = true;
}

void kp_inspect_footer_read(const kp_inspect_doc *d, kp_inspect_footer *f)
{
	const char *blocks = d->blocks.data ? d->blocks.data : "";
	const char *page = region(blocks);
	const char *script = d->script_blocks ? region(d->script_blocks) : NULL;
	bool fs = false;
	if (!page)   /* no footer anywhere: the whole text */
		page = d->text.data ? d->text.data : "";
	pick(&f->site_id_code, site_code, page, script, &fs);
	if (!f->site_id_code && d->meta[KP_INSPECT_META_SITEIDCODE] &&
	    *d->meta[KP_INSPECT_META_SITEIDCODE])
		f->site_id_code = kp_xstrdup(d->meta[KP_INSPECT_META_SITEIDCODE]);
	pick(&f->icp, icp_no, page, script, &fs);
	pick(&f->police_record, police_no, page, script, &fs);
	pick(&f->sponsor, sponsor, page, script, &fs);
	pick(&f->contact, contact, page, script, &fs);
	if (d->script_party_mark && !f->party_gov_mark) {
		f->party_gov_mark = true;
		fs = true;
	}
	if (fs && d->script_url)
		f->from_script = kp_xstrdup(d->script_url);
}

/* ---- footers written by scripts ---------------------------------------
 * Many sites write their footer from a shared script:
 *	document.write('<div class="foot"><span>网站标识码: 4303000006</span>');
 *	document.write(unescape("%3Cspan id='_ideConac'%3E%3C/span%3E"));
 * No JavaScript engine is needed for these: the arguments of
 * document.write and writeln are string literals joined by '+', perhaps
 * inside unescape(…); anything else in them (a variable) is passed over.
 */

static void put_utf8(kp_buf *b, unsigned cp)
{
	char u[4];
	if (cp < 0x80) {
		kp_buf_addc(b, (char)cp);
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3F));
		kp_buf_add(b, u, 2);
	} else {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			cp = 0xFFFD;
		u[0] = (char)(0xE0 | cp >> 12);
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		kp_buf_add(b, u, 3);
	}
}

static int hexv(char c)
{
	return isdigit((unsigned char)c) ? c - '0'
	       : isxdigit((unsigned char)c) ? (c | 0x20) - 'a' + 10 : -1;
}

/* n hex digits at p, or -1. */
static long hexn(const char *p, const char *e, int n)
{
	long v = 0;
	if (e - p < n)
		return -1;
	for (int i = 0; i < n; i++) {
		int h = hexv(p[i]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/* The string literal at p (a quote), its value appended to out; returns
 * the position after it. */
static const char *js_string(const char *p, const char *e, kp_buf *out)
{
	char q = *p++;
	while (p < e && *p != q) {
		if (*p == '\n')
			return p;   /* unterminated */
		if (*p != '\\' || p + 1 >= e) {
			kp_buf_addc(out, *p++);
			continue;
		}
		p++;
		long v;
		switch (*p) {
		case 'n': case 'r': case 't':
			kp_buf_addc(out, ' ');
			p++;
			break;
		case 'x':
			if ((v = hexn(p + 1, e, 2)) >= 0) {
				put_utf8(out, (unsigned)v);
				p += 3;
			} else {
				p++;
			}
			break;
		case 'u':
			if ((v = hexn(p + 1, e, 4)) >= 0) {
				put_utf8(out, (unsigned)v);
				p += 5;
			} else {
				p++;
			}
			break;
		default:
			kp_buf_addc(out, *p++);
			break;
		}
	}
	return p < e ? p + 1 : e;
}

/* unescape(): %XX and %uXXXX of s[0..n) into out. */
static void js_unescape(const char *s, size_t n, kp_buf *out)
{
	const char *p = s, *e = s + n;
	while (p < e) {
		long v;
		if (*p == '%' && p + 1 < e && p[1] == 'u' && (v = hexn(p + 2, e, 4)) >= 0) {
			put_utf8(out, (unsigned)v);
			p += 6;
		} else if (*p == '%' && (v = hexn(p + 1, e, 2)) >= 0) {
			put_utf8(out, (unsigned)v);
			p += 3;
		} else {
			kp_buf_addc(out, *p++);
		}
	}
}

static const char *js_skip_ws(const char *p, const char *e)
{
	while (p < e && isspace((unsigned char)*p))
		p++;
	return p;
}

/* An argument list from after '(' to its ')': the literals joined, with
 * unescape(…) applied, into out.  depth bounds the nesting. */
static const char *js_args(const char *p, const char *e, kp_buf *out, int depth)
{
	while (p < e) {
		p = js_skip_ws(p, e);
		if (p >= e || *p == ')')
			return p < e ? p + 1 : e;
		if (*p == '\'' || *p == '"') {
			p = js_string(p, e, out);
		} else if (depth < 4 && e - p > 9 && !memcmp(p, "unescape(", 9)) {
			kp_buf raw;
			kp_buf_init(&raw, 0);
			p = js_args(p + 9, e, &raw, depth + 1);
			js_unescape(raw.data ? raw.data : "", raw.len, out);
			kp_buf_release(&raw);
		} else if (*p == ';' || *p == '\n') {
			return p;   /* no ')': the statement is over */
		} else {
			p++;   /* '+', a name, a number: passed over */
		}
	}
	return e;
}

char *kp_inspect_script_html(const char *js, size_t n)
{
	const char *p = js, *e = js + n;
	kp_buf out;
	kp_buf_init(&out, 4 << 20);
	while (p < e) {
		const char *w = memmem(p, (size_t)(e - p), "document.write", 14);
		if (!w)
			break;
		p = w + 14;
		if (e - p >= 2 && !memcmp(p, "ln", 2))
			p += 2;
		p = js_skip_ws(p, e);
		if (p < e && *p == '(')
			p = js_args(p + 1, e, &out, 0);
	}
	if (!out.len) {
		kp_buf_release(&out);
		return NULL;
	}
	return kp_buf_detach(&out);
}

void kp_inspect_doc_add_script(kp_inspect_doc *d, const char *url, const char *js,
			       size_t n)
{
	char *html = kp_inspect_script_html(js, n);
	kp_inspect_doc sd;
	if (!html)
		return;
	kp_inspect_doc_init(&sd);
	kp_inspect_html_extract(html, strlen(html), 0, 0, &sd);
	if (strstr(html, "_ideConac") || strstr(html, "conac.cn"))
		d->script_party_mark = true;
	if (sd.blocks.len) {
		size_t old = d->script_blocks ? strlen(d->script_blocks) : 0;
		d->script_blocks = kp_xrealloc(d->script_blocks, old + sd.blocks.len + 2);
		if (old)
			d->script_blocks[old++] = '\n';
		memcpy(d->script_blocks + old, sd.blocks.data, sd.blocks.len + 1);
		if (!d->script_url)
			d->script_url = kp_xstrdup(url ? url : "");
	}
	kp_inspect_doc_release(&sd);
	free(html);
}
