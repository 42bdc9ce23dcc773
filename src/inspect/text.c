/* inspect/text.c — dates, charsets and URLs: the text a site hands us. */
#include "inspect/inspect.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- dates ----------------------------------------------------------- */

/* Days and their arithmetic are base's kp_date (the same representation:
 * days since 1970, 0 none); the inspector only narrows the years a page
 * date may have. */
kp_inspect_date kp_inspect_date_from_ymd(int y, int m, int d)
{
	if (y < 1990 || y > 2100)
		return 0;
	return kp_date_from_ymd(y, m, d);
}

void kp_inspect_date_ymd(kp_inspect_date z, int *y, int *m, int *d)
{
	kp_date_ymd(z, y, m, d);
}

const char *kp_inspect_date_str(kp_inspect_date d, char *buf)
{
	return kp_date_str(d, buf);
}

/* Read 1..max digits at p; returns count read. */
static size_t digits(const char *p, const char *end, size_t max, int *v)
{
	size_t k = 0;
	*v = 0;
	while (p + k < end && k < max && isdigit((unsigned char)p[k]))
		*v = *v * 10 + (p[k++] - '0');
	return k;
}

static bool at(const char *p, const char *end, const char *s)
{
	size_t n = strlen(s);
	return (size_t)(end - p) >= n && !memcmp(p, s, n);
}

kp_inspect_date kp_inspect_date_parse(const char *s)
{
	return kp_inspect_date_find(s, strlen(s), 0);
}

/* One date starting exactly at p (p is a digit or '['), or 0; *used set. */
static kp_inspect_date date_at(const char *p, const char *end, kp_inspect_date as_of,
			size_t *used)
{
	int y, m, d;
	size_t k, k2, k3;
	const char *q = p;
	k = digits(q, end, 4, &y);
	if (k == 4 && q + k < end) {
		q += k;
		if (*q == '-' || *q == '/' || *q == '.') {
			char sep = *q++;
			if (!(k2 = digits(q, end, 2, &m)))
				return 0;
			q += k2;
			if (q >= end || *q != sep)
				return 0;
			q++;
			if (!(k3 = digits(q, end, 2, &d)))
				return 0;
			q += k3;
		} else if (at(q, end, "年")) {
			q += 3;
			while (q < end && *q == ' ')
				q++;
			if (!(k2 = digits(q, end, 2, &m)))
				return 0;
			q += k2;
			while (q < end && *q == ' ')
				q++;
			if (!at(q, end, "月"))
				return 0;
			q += 3;
			while (q < end && *q == ' ')
				q++;
			if (!(k3 = digits(q, end, 2, &d)))
				return 0;
			q += k3;
			if (at(q, end, "日"))
				q += 3;
		} else {
			return 0;
		}
		if (q < end && isdigit((unsigned char)*q))
			return 0;
		*used = (size_t)(q - p);
		return kp_inspect_date_from_ymd(y, m, d);
	}
	/* MM-DD, written as [07-13] or (07-13) or a lone 07-13 */
	if (k == 2 && q + 2 < end && q[2] == '-' &&
	    (p == q) && as_of) {
		q += 2;
		q++;
		if (digits(q, end, 2, &d) != 2)
			return 0;
		m = 0;
		digits(p, end, 2, &m);
		q += 2;
		if (q < end && (isdigit((unsigned char)*q) || *q == '-'))
			return 0;
		int ay, am, ad;
		kp_inspect_date_ymd(as_of, &ay, &am, &ad);
		kp_inspect_date r = kp_inspect_date_from_ymd(ay, m, d);
		if (r > as_of + 1)
			r = kp_inspect_date_from_ymd(ay - 1, m, d);
		*used = (size_t)(q - p);
		return r;
	}
	return 0;
}

kp_inspect_date kp_inspect_date_find(const char *text, size_t n, kp_inspect_date as_of)
{
	const char *p = text, *end = text + n;
	kp_inspect_date best = 0;
	while (p < end) {
		if (isdigit((unsigned char)*p) &&
		    (p == text || !isdigit((unsigned char)p[-1])) &&
		    (p == text || p[-1] != '-' || p - text < 5 ||
		     !isdigit((unsigned char)p[-2]))) {
			size_t used = 0;
			kp_inspect_date d = date_at(p, end, as_of, &used);
			if (d && (!as_of || d <= as_of + 1) && d > best)
				best = d;
			p += used ? used : 1;
			continue;
		}
		p++;
	}
	return best;
}

kp_inspect_date kp_inspect_date_find_full(const char *text, size_t n,
				    kp_inspect_date as_of, int *md)
{
	const char *p = text, *end = text + n;
	kp_inspect_date best = 0, best_yl = 0;
	*md = 0;
	while (p < end) {
		if (isdigit((unsigned char)*p) &&
		    (p == text || !isdigit((unsigned char)p[-1])) &&
		    (p == text || p[-1] != '-' || p - text < 5 ||
		     !isdigit((unsigned char)p[-2]))) {
			size_t used = 0;
			kp_inspect_date d = date_at(p, end, as_of, &used);
			/* a year-less one is two digits, '-', two digits */
			bool yl = d && used == 5 && p[2] == '-';
			if (d && (!as_of || d <= as_of + 1)) {
				if (!yl && d > best)
					best = d;
				if (yl && d > best_yl) {
					int y, m, dd;
					best_yl = d;
					kp_inspect_date_ymd(d, &y, &m, &dd);
					*md = m * 100 + dd;
				}
			}
			p += used ? used : 1;
			continue;
		}
		p++;
	}
	if (best)
		*md = 0;
	return best;
}

/* Skip spaces (ASCII and U+3000) from p. */
static const char *skip_sp(const char *p, const char *end)
{
	for (;;) {
		if (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
			p++;
		else if (at(p, end, "\u3000") || at(p, end, "\u00a0"))
			p += at(p, end, "\u3000") ? 3 : 2;
		else
			return p;
	}
}

kp_inspect_date kp_inspect_date_stamp(const char *text, size_t n)
{
	const char *p = skip_sp(text, text + n), *end = text + n;
	size_t used = 0, k;
	int h, mi, sec;
	while (end > p && (end[-1] == ' ' || end[-1] == '\n' || end[-1] == '\t' ||
			   end[-1] == '\r'))
		end--;
	if (p >= end || !isdigit((unsigned char)*p))
		return 0;
	kp_inspect_date d = date_at(p, end, 0, &used);
	if (!d)
		return 0;
	p = skip_sp(p + used, end);
	/* then a time: 17:35, 17:35:02, 09时32分, 09时32分05秒 */
	if (!(k = digits(p, end, 2, &h)) || h > 23)
		return 0;
	p += k;
	bool cn = at(p, end, "时");
	if (!cn && (p >= end || *p != ':'))
		return 0;
	p += cn ? 3 : 1;
	if (digits(p, end, 2, &mi) != 2 || mi > 59)
		return 0;
	p += 2;
	if (cn) {
		if (!at(p, end, "分"))
			return 0;
		p += 3;
		if (digits(p, end, 2, &sec) == 2 && at(p + 2, end, "秒"))
			p += 5;
	} else if (p < end && *p == ':') {
		if (digits(p + 1, end, 2, &sec) != 2 || sec > 59)
			return 0;
		p += 3;
	}
	return skip_sp(p, end) == end ? d : 0;
}

kp_inspect_date kp_inspect_url_date(const char *url, size_t n, int *year)
{
	const char *end = url + n, *p;
	int y, m, d;
	*year = 0;
	/* the path only */
	for (p = url; p < end; p++)
		if (*p == '?' || *p == '#') {
			end = p;
			break;
		}
	/* tYYYYMMDD_ (TRS): a whole date */
	for (p = url; end - p >= 11; p++)
		if ((*p == 't' || *p == 'T') && (p == url || p[-1] == '/') &&
		    digits(p + 1, end, 8, &y) == 8 && p[9] == '_') {
			digits(p + 1, end, 4, &y);
			digits(p + 5, end, 2, &m);
			digits(p + 7, end, 2, &d);
			kp_inspect_date r = kp_inspect_date_from_ymd(y, m, d);
			if (r && y >= 1990) {
				*year = y;
				return r;
			}
		}
	/* a directory /YYYYMM/ or /YYYYMMDD/ */
	for (p = url; end - p >= 8; p++) {
		if (*p != '/')
			continue;
		size_t k = digits(p + 1, end, 8, &y);
		if ((k != 6 && k != 8) || p + 1 + k >= end || p[1 + k] != '/')
			continue;
		digits(p + 1, end, 4, &y);
		digits(p + 5, end, 2, &m);
		if (y >= 1990 && y <= 2100 && m >= 1 && m <= 12) {
			*year = y;
			if (k == 8) {
				digits(p + 7, end, 2, &d);
				return kp_inspect_date_from_ymd(y, m, d);
			}
			return 0;
		}
	}
	return 0;
}

static const char *const source_names[] = {
	"", "item", "url", "order", "as_of", "label", "stamp", "meta",
	"article", "config",
};

const char *kp_inspect_date_source_name(int s)
{
	return s > 0 && s < (int)(sizeof(source_names) / sizeof(source_names[0]))
		       ? source_names[s]
		       : "";
}

/* ---- charsets -------------------------------------------------------- */

static const char uFFFD[] = "\xEF\xBF\xBD";

/* kp_inspect_utf8_sanitize when the first ok bytes are known to be valid. */
static int sanitize(const char *p, size_t n, size_t ok, kp_buf *out)
{
	while (n) {
		if (kp_buf_add(out, p, ok) < 0)
			return -1;
		p += ok;
		n -= ok;
		if (!n)
			break;
		/* skip one bad byte (and any continuation bytes after it) */
		p++;
		n--;
		while (n && ((unsigned char)*p & 0xC0) == 0x80) {
			p++;
			n--;
		}
		if (kp_buf_adds(out, uFFFD) < 0)
			return -1;
		ok = kp_utf8_valid_prefix(p, n);
	}
	if (!out->data)
		return kp_buf_add(out, "", 0);
	return 0;
}

int kp_inspect_utf8_sanitize(const char *p, size_t n, kp_buf *out)
{
	return sanitize(p, n, kp_utf8_valid_prefix(p, n), out);
}

/* Lossy conversion: a byte iconv refuses becomes U+FFFD. */
static int convert(const char *from, const char *p, size_t n, kp_buf *out)
{
	iconv_t cd = iconv_open("UTF-8", from);
	char *in = (char *)p;
	size_t inleft = n;
	if (cd == (iconv_t)-1)
		return kp_inspect_utf8_sanitize(p, n, out);
	while (inleft) {
		char chunk[8192];
		char *o = chunk;
		size_t oleft = sizeof(chunk);
		size_t r = iconv(cd, &in, &inleft, &o, &oleft);
		if (kp_buf_add(out, chunk, sizeof(chunk) - oleft) < 0) {
			iconv_close(cd);
			return -1;
		}
		if (r == (size_t)-1 && errno != E2BIG) {
			/* EILSEQ or EINVAL (truncated at the end): skip a byte */
			in++;
			inleft--;
			iconv(cd, NULL, NULL, NULL, NULL);
			if (kp_buf_adds(out, uFFFD) < 0) {
				iconv_close(cd);
				return -1;
			}
		}
	}
	iconv_close(cd);
	if (!out->data)
		return kp_buf_add(out, "", 0);
	return 0;
}

/* The charset named after "charset=" in s[0..n), into buf. */
static bool charset_in(const char *s, size_t n, char *buf, size_t bn)
{
	for (size_t i = 0; i + 8 <= n; i++) {
		if ((s[i] | 0x20) != 'c' || strncasecmp(s + i, "charset", 7))
			continue;
		size_t j = i + 7, k = 0;
		while (j < n && (s[j] == ' ' || s[j] == '\t'))
			j++;
		if (j >= n || s[j] != '=')
			continue;
		j++;
		while (j < n && (s[j] == ' ' || s[j] == '"' || s[j] == '\''))
			j++;
		while (j < n && k + 1 < bn &&
		       (isalnum((unsigned char)s[j]) || s[j] == '-' || s[j] == '_'))
			buf[k++] = (char)tolower((unsigned char)s[j++]);
		buf[k] = '\0';
		if (k)
			return true;
	}
	return false;
}

static const char *canonical(const char *cs)
{
	if (!strcmp(cs, "gbk") || !strcmp(cs, "gb2312") ||
	    !strcmp(cs, "gb18030") || !strcmp(cs, "x-gbk") ||
	    !strcmp(cs, "cp936") || !strcmp(cs, "gb_2312-80") ||
	    !strcmp(cs, "euc-cn"))
		return "GB18030";
	if (!strcmp(cs, "utf-8") || !strcmp(cs, "utf8"))
		return "UTF-8";
	if (!strcmp(cs, "big5"))
		return "BIG5";
	if (!strcmp(cs, "iso-8859-1") || !strcmp(cs, "latin1") ||
	    !strcmp(cs, "windows-1252") || !strcmp(cs, "us-ascii"))
		return "WINDOWS-1252";
	return NULL;
}

/* The charset the Content-Type header or else the first 4 KiB of body
 * declare, by its canonical name; NULL when neither names one we know. */
static const char *declared(const char *body, size_t n,
			    const char *content_type)
{
	char cs[32];
	const char *c = NULL;
	if (content_type && charset_in(content_type, strlen(content_type), cs,
				       sizeof(cs)))
		c = canonical(cs);
	if (!c && charset_in(body, n < 4096 ? n : 4096, cs, sizeof(cs)))
		c = canonical(cs);
	return c;
}

int kp_inspect_to_utf8(const char *body, size_t n, const char *content_type,
		kp_buf *out, const char **used)
{
	const char *c;
	if (n >= 3 && !memcmp(body, "\xEF\xBB\xBF", 3)) {
		*used = "UTF-8";
		return kp_inspect_utf8_sanitize(body + 3, n - 3, out);
	}
	/* a UTF-16 BOM decides before any declaration, as in a browser
	 * (WHATWG: BOM, then the HTTP header, then the meta tag) — a page
	 * saved as UTF-16 often still says <meta charset="gb2312"> */
	if (n >= 2 && (!memcmp(body, "\xFF\xFE", 2) || !memcmp(body, "\xFE\xFF", 2))) {
		*used = body[0] == '\xFF' ? "UTF-16LE" : "UTF-16BE";
		return convert(*used, body + 2, n - 2, out);
	}
	c = declared(body, n, content_type);
	if (!c) { /* undeclared: UTF-8 when it is valid, else the Chinese default */
		size_t ok = kp_utf8_valid_prefix(body, n);
		if (ok == n) {
			*used = "UTF-8";
			return sanitize(body, n, ok, out);   /* validated once */
		}
		c = "GB18030";
	}
	*used = c;
	if (!strcmp(c, "UTF-8"))
		return kp_inspect_utf8_sanitize(body, n, out);
	return convert(c, body, n, out);
}

bool kp_inspect_utf8_in_place(const char *body, size_t n, const char *content_type)
{
	const char *c;
	if ((n >= 3 && !memcmp(body, "\xEF\xBB\xBF", 3)) ||
	    (n >= 2 && (!memcmp(body, "\xFF\xFE", 2) || !memcmp(body, "\xFE\xFF", 2))))
		return false;   /* kp_inspect_to_utf8 drops the BOM */
	c = declared(body, n, content_type);
	if (c && strcmp(c, "UTF-8"))
		return false;
	return kp_utf8_valid_prefix(body, n) == n;
}

/* ---- URLs ------------------------------------------------------------ */

/* Session parameters dropped from queries. */
static const char *const session_params[] = {
	"jsessionid", "phpsessid", "sessionid", "sid", "aspsessionid",
	"cfid", "cftoken", "_t", "timestamp", NULL,
};

static bool is_session_param(const char *p, size_t n)
{
	const char *eq = memchr(p, '=', n);
	size_t kn = eq ? (size_t)(eq - p) : n;
	for (size_t i = 0; session_params[i]; i++)
		if (strlen(session_params[i]) == kn &&
		    !strncasecmp(p, session_params[i], kn))
			return true;
	return false;
}

/* JavaScript-built text that is not a URL: "+_sPageName+" and friends. */
static bool looks_js(const char *s)
{
	if (!strpbrk(s, "\"'+$<>"))
		return false;   /* the usual case: none of the telltale bytes */
	return strstr(s, "\"+") || strstr(s, "+\"") || strstr(s, "'+") ||
	       strstr(s, "+'") || strstr(s, "+_s") || strstr(s, "${") ||
	       strchr(s, '<') || strchr(s, '>');
}

/* A bounded string under construction in a caller's array: URLs are
 * built on the stack, one allocation for the result. */
typedef struct sb {
	char *p;
	size_t len, cap;
	bool over;      /* something did not fit */
} sb;

static void sb_add(sb *b, const char *s, size_t n)
{
	if (n >= b->cap - b->len) {
		b->over = true;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_addc(sb *b, char c)
{
	sb_add(b, &c, 1);
}

static void sb_adds(sb *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

/* Remove "." and ".." segments from path[0..n) (RFC 3986 5.2.4) into out. */
static void remove_dots(const char *p, size_t n, sb *out)
{
	size_t start = out->len;
	const char *end = p + n;
	while (p < end) {
		const char *e = memchr(p + 1, '/', (size_t)(end - p - 1));
		size_t len;
		if (!e)
			e = end;
		len = (size_t)(e - p);   /* segment with its leading '/' */
		if ((len == 2 && p[1] == '.')) {
			if (e == end)
				sb_addc(out, '/');
		} else if (len == 3 && p[1] == '.' && p[2] == '.') {
			while (out->len > start && out->p[out->len - 1] != '/')
				out->len--;
			if (out->len > start)
				out->len--;
			out->p[out->len] = '\0';
			if (e == end)
				sb_addc(out, '/');
		} else {
			sb_add(out, p, len);
		}
		p = e;
	}
	if (out->len == start)
		sb_addc(out, '/');
}

/* Append the query q[0..n) without session parameters. */
static void add_query(const char *q, size_t n, sb *out)
{
	const char *end = q + n;
	bool first = true;
	while (q < end) {
		const char *amp = memchr(q, '&', (size_t)(end - q));
		size_t len = amp ? (size_t)(amp - q) : (size_t)(end - q);
		if (len && !is_session_param(q, len)) {
			sb_addc(out, first ? '?' : '&');
			sb_add(out, q, len);
			first = false;
		}
		q += len + (amp ? 1 : 0);
	}
}

/* Normalise an absolute http(s) URL u into out; false if it is not one. */
static bool normalise(const char *u, sb *out)
{
	const char *p = u, *auth, *ae, *host, *he, *port = NULL, *path, *pe;
	bool https;
	if (!strncasecmp(p, "http://", 7)) {
		https = false;
		p += 7;
	} else if (!strncasecmp(p, "https://", 8)) {
		https = true;
		p += 8;
	} else {
		return false;
	}
	auth = p;
	ae = auth + strcspn(auth, "/?");
	host = auth;
	for (const char *q = auth; q < ae; q++)
		if (*q == '@')
			host = q + 1;   /* drop user:password@ */
	he = ae;
	if (*host == '[') {
		const char *rb = memchr(host, ']', (size_t)(ae - host));
		if (!rb)
			return false;
		if (rb + 1 < ae && rb[1] == ':')
			port = rb + 2;
		he = rb + 1;
	} else {
		const char *colon = memchr(host, ':', (size_t)(ae - host));
		if (colon) {
			port = colon + 1;
			he = colon;
		}
	}
	if (he == host)
		return false;
	for (const char *q = host; q < he; q++)
		if (!isalnum((unsigned char)*q) && *q != '.' && *q != '-' &&
		    *q != '_' && *q != '[' && *q != ']' && *q != ':')
			return false;
	sb_adds(out, https ? "https://" : "http://");
	for (const char *q = host; q < he; q++)
		sb_addc(out, (char)tolower((unsigned char)*q));
	if (port && port < ae) {
		size_t pl = (size_t)(ae - port);
		for (size_t i = 0; i < pl; i++)
			if (!isdigit((unsigned char)port[i]))
				return false;
		if (pl > 5)
			return false;
		if (!(https ? (pl == 3 && !memcmp(port, "443", 3))
			    : (pl == 2 && !memcmp(port, "80", 2)))) {
			sb_addc(out, ':');
			sb_add(out, port, pl);
		}
	}
	path = ae;
	pe = path + strcspn(path, "?");
	{
		/* ;jsessionid=… inside the path */
		const char *semi = path;
		while ((semi = memchr(semi, ';', (size_t)(pe - semi)))) {
			if (!strncasecmp(semi, ";jsessionid", 11))
				break;
			semi++;
		}
		remove_dots(path, (size_t)((semi ? semi : pe) - path), out);
	}
	if (*pe == '?')
		add_query(pe + 1, strlen(pe + 1), out);
	return true;
}

#define URL_MAX 8192

/* What a reference's byte becomes: itself, '/' (a backslash), %XX (bytes
 * above 0x7F, controls, space and " ^ ` { | } < >), or the end ('#');
 * by the byte's value, 16 to a line. */
enum { UB_COPY, UB_SLASH, UB_ESCAPE, UB_END };
static const uint8_t url_byte[256] = {
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,  /* 0_ */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,  /* 1_ */
	2, 0, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 2_ */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2, 0,  /* 3_ */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 4_ */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 0,  /* 5_ */
	2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 6_ */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 0, 0,  /* 7_ */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,  /* 8_ */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,  /* 9_ */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,  /* A_ */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,  /* B_ */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,  /* C_ */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,  /* D_ */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,  /* E_ */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,  /* F_ */
};

char *kp_inspect_url_resolve(const char *base, const char *ref)
{
	char u[URL_MAX];
	size_t n = kp_inspect_url_resolve_to(base, ref, u, sizeof(u));
	return n ? kp_xstrndup(u, n) : NULL;
}

/* A reference resolve_slow takes nothing from: a "javascript:",
 * "mailto:", "tel:", "data:" or "about:" link, or text that looks like
 * JavaScript. */
static bool ref_refused(const char *ref)
{
	switch (ref[0] | 0x20) { /* most links start with '/' or a name */
	case 'j': case 'm': case 't': case 'd': case 'a':
		if (!strncasecmp(ref, "javascript:", 11) ||
		    !strncasecmp(ref, "mailto:", 7) || !strncasecmp(ref, "tel:", 4) ||
		    !strncasecmp(ref, "data:", 5) || !strncasecmp(ref, "about:", 6))
			return true;
		break;
	default:
		break;
	}
	return looks_js(ref);
}

/* ref[0..n) into enc as url_byte says, up to a '#'; enc has room for
 * 3 × n + 1 bytes. */
static void encode_ref(const char *ref, size_t n, sb *enc)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)ref[i];
		switch (url_byte[c]) {
		case UB_COPY:
			enc->p[enc->len++] = (char)c;
			continue;
		case UB_SLASH:
			enc->p[enc->len++] = '/';
			continue;
		case UB_ESCAPE:
			enc->p[enc->len++] = '%';
			enc->p[enc->len++] = hex[c >> 4];
			enc->p[enc->len++] = hex[c & 15];
			continue;
		default: /* '#' */
			break;
		}
		break;
	}
	enc->p[enc->len] = '\0';
}

/* The encoded reference r (len bytes) made absolute in abs: as it is
 * when it has a scheme (http or https with "://" only), else after the
 * part of base it keeps ("//host", "/path", "?query", "name").  False
 * when there is nothing to resolve against. */
static bool join_base(const char *base, const char *r, size_t len, sb *abs)
{
	const char *q = r, *bp, *bauth_end, *bq;
	while (isalnum((unsigned char)*q) || *q == '+' || *q == '-' || *q == '.')
		q++;
	if (*q == ':' && q > r && isalpha((unsigned char)*r)) {
		/* has a scheme: "http:x" relative forms are rare; take as absolute */
		if (strncasecmp(r, "http:", 5) && strncasecmp(r, "https:", 6))
			return false;
		if (!strstr(r, "://"))
			return false;
		sb_add(abs, r, len);
		return true;
	}
	if (!base || strlen(base) >= URL_MAX)
		return false;
	bp = strstr(base, "://");
	if (!bp)
		return false;
	bauth_end = bp + 3 + strcspn(bp + 3, "/?#");
	if (r[0] == '/' && r[1] == '/') {
		sb_add(abs, base, (size_t)(bp + 1 - base));
	} else if (r[0] == '/') {
		sb_add(abs, base, (size_t)(bauth_end - base));
	} else if (r[0] == '?') {
		bq = bauth_end + strcspn(bauth_end, "?#");
		sb_add(abs, base, (size_t)(bq - base));
		if (bq == bauth_end)
			sb_addc(abs, '/');
	} else {
		const char *slash = NULL;
		bq = bauth_end + strcspn(bauth_end, "?#");
		for (const char *x = bauth_end; x < bq; x++)
			if (*x == '/')
				slash = x;
		if (slash) {
			sb_add(abs, base, (size_t)(slash + 1 - base));
		} else {
			sb_add(abs, base, (size_t)(bauth_end - base));
			sb_addc(abs, '/');
		}
	}
	sb_add(abs, r, len);
	return true;
}

/* The general resolution, for every reference kp_inspect_url_resolve_base_to
 * does not take itself. */
static size_t resolve_slow(const char *base, const char *ref, char *outm,
			   size_t cap)
{
	/* ref ≤ 2048 bytes, so its encoding ≤ 6144; base < URL_MAX */
	char encm[6 * 1024 + 8], absm[URL_MAX + sizeof(encm)];
	sb enc = { encm, 0, sizeof(encm), false };
	sb abs = { absm, 0, sizeof(absm), false };
	sb out = { outm, 0, cap < URL_MAX ? cap : URL_MAX, false };
	size_t n;
	if (!cap)
		return 0;
	encm[0] = absm[0] = outm[0] = '\0';
	while (*ref == ' ' || *ref == '\t' || *ref == '\n' || *ref == '\r')
		ref++;
	n = strlen(ref);
	while (n && (ref[n - 1] == ' ' || ref[n - 1] == '\n' ||
		     ref[n - 1] == '\r' || ref[n - 1] == '\t'))
		n--;
	if (!n || n > 2048 || ref[0] == '#' || ref_refused(ref))
		return 0;
	encode_ref(ref, n, &enc);
	if (!enc.len || !join_base(base, enc.p, enc.len, &abs))
		return 0;
	if (abs.over || !abs.len || !normalise(abs.p, &out) || out.over ||
	    !out.len) {
		outm[0] = '\0';
		return 0;
	}
	return out.len;
}

/* Resolving a page's links: the base is read once (kp_inspect_base_init: its
 * origin as normalise writes it, where its directory and path end), and
 * a reference the base's origin is put before — "/a/b.html", "b.html",
 * "?q", or "http://host/..." with the base's own origin — is encoded in
 * one pass that also notes what normalise would have to change: a dot
 * segment or ";" (remove_dots then runs as in normalise), the query
 * (add_query), white space at the end.  Everything else, and anything
 * that might be JavaScript, goes to resolve_slow, the general code;
 * both give the same bytes for every input. */

/* What a reference's byte means to the one-pass reading below: UB_COPY
 * .. UB_END as in url_byte, then the bytes that end it (NUL), are
 * dropped at its end (white space, escaped inside), may mark a dot
 * segment or a ";jsessionid" ('.', ';'), begin the query ('?'), or
 * suggest JavaScript-built text (" ' + $ < >: the general path). */
enum { RB_NUL = 4, RB_SPACE, RB_DOT, RB_SEMI, RB_QUERY, RB_JS };
static const uint8_t ref_byte[256] = {
	4, 2, 2, 2, 2, 2, 2, 2, 2, 5, 5, 2, 2, 5, 2, 2,  /* 0_ */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,  /* 1_ */
	5, 0, 9, 3, 9, 0, 0, 9, 0, 0, 0, 9, 0, 0, 6, 0,  /* 2_ */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 9, 0, 9, 8,  /* 3_ */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 4_ */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 0,  /* 5_ */
	2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 6_ */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 0, 0,  /* 7_ */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,  /* 8_ */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,  /* 9_ */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,  /* A_ */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,  /* B_ */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,  /* C_ */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,  /* D_ */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,  /* E_ */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,  /* F_ */
};

static bool is_scheme_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

void kp_inspect_base_init(kp_inspect_base *b, const char *base)
{
	char tmp[sizeof(b->origin) + 1];
	sb o = { b->origin, 0, sizeof(b->origin), false };
	size_t len, s, i;
	b->url = base;
	b->fast = false;
	if (!base || (len = strlen(base)) >= URL_MAX)
		return;
	if (!strncasecmp(base, "http://", 7))
		s = 7;
	else if (!strncasecmp(base, "https://", 8))
		s = 8;
	else
		return;
	b->auth = s + strcspn(base + s, "/?#");
	if (b->auth + 1 >= sizeof(tmp))
		return;
	/* the scheme and authority every relative reference gets: what
	 * normalise makes of them, followed by a path */
	memcpy(tmp, base, b->auth);
	tmp[b->auth] = '/';
	tmp[b->auth + 1] = '\0';
	if (!normalise(tmp, &o) || o.over)
		return;
	b->origin_len = o.len - 1;   /* without that path's '/' */
	b->query = b->auth + strcspn(base + b->auth, "?#");
	b->dir = b->auth;
	b->dots_dir = b->dots_path = false;
	for (i = b->auth; i < b->query; i++) {
		/* the directory ends at the last '/': its marks are those
		 * before it */
		if (base[i] == '/') {
			b->dir = i + 1;
			b->dots_dir = b->dots_path;
		}
		/* a dot segment or ";jsessionid" maybe: remove_dots */
		if (base[i] == ';' || (base[i] == '.' && base[i - 1] == '/'))
			b->dots_path = true;
	}
	/* an absolute reference to the same origin, written as the base
	 * writes it, is encoded and read alike from there on */
	b->same = true;
	for (i = 0; i < b->auth; i++)
		if (ref_byte[(unsigned char)base[i]] != UB_COPY &&
		    ref_byte[(unsigned char)base[i]] != RB_DOT)
			b->same = false;
	b->fast = true;
}

/* The one-pass reading's start: pm[0..*n) gets what the base puts
 * before the reference r — nothing for "/a" or an absolute URL of the
 * base's origin (whose own bytes then begin at *s), the base's path for
 * "?q", its directory for "b.html" ("/" for none) — and *dots whether
 * that part has a dot segment.  1 to go on, 0 for a reference that names
 * nothing ("" or "#…"), -1 for one resolve_slow must take. */
static inline int fast_prefix(const kp_inspect_base *b, const char *r,
			      char *pm, size_t *n, const char **s, bool *dots)
{
	switch (r[0]) {
	case '\0':
	case '#':
		return 0;
	case '/':
		if (r[1] == '/' || r[1] == '\\')
			return -1;
		return 1;   /* the base's origin, then the reference */
	case '\\':
		return -1;
	case '?':
		/* the base's path, or "/" */
		*dots = b->dots_path;
		if (b->query == b->auth) {
			pm[(*n)++] = '/';
		} else {
			*n = b->query - b->auth;
			memcpy(pm, b->url + b->auth, *n);
		}
		return 1;
	default:
		if ((r[0] | 0x20) >= 'a' && (r[0] | 0x20) <= 'z') {
			const char *x = r + 1;
			while (is_scheme_byte((unsigned char)*x))
				x++;
			if (*x == ':') {
				/* an absolute URL: the base's own origin as
				 * the base writes it, or the general path */
				if (!b->same || strncmp(r, b->url, b->auth) ||
				    (r[b->auth] != '/' && r[b->auth] != '?' &&
				     r[b->auth] != '\\'))
					return -1;
				*s = r + b->auth;
				return 1;
			}
		}
		/* relative: the base's directory, or "/" */
		*dots = b->dots_dir;
		if (b->dir == b->auth) {
			pm[(*n)++] = '/';
		} else {
			*n = b->dir - b->auth;
			memcpy(pm, b->url + b->auth, *n);
		}
		return 1;
	}
}

/* The reference's bytes from s to r + len encoded after pm[0..*np), to
 * its end or a '#', then white space at its end dropped; *qp is where
 * the query's '?' went (SIZE_MAX for none), *dots set by a dot segment
 * or a ';'.  False for a reference that may be JavaScript: resolve_slow
 * then takes it. */
static inline bool fast_encode(const char *r, size_t len, const char *s,
			       char *pm, size_t *np, size_t *qp, bool *dots)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *e = r + len;
	size_t n = *np, q = SIZE_MAX;
	bool dot = *dots, ws = false;
	while (s < e) {
		unsigned char c = (unsigned char)*s++;
		unsigned t = ref_byte[c];
		if (t == UB_COPY) {
			pm[n++] = (char)c;
		} else if (t == RB_DOT) {
			dot |= pm[n - 1] == '/';
			pm[n++] = '.';
		} else if (t == UB_SLASH) {
			pm[n++] = '/';
		} else if (t == RB_QUERY) {
			if (q == SIZE_MAX)
				q = n;
			pm[n++] = '?';
		} else if (t == RB_SEMI) {
			dot = true;
			pm[n++] = ';';
		} else if (t == UB_ESCAPE || t == RB_SPACE) {
			pm[n++] = '%';
			pm[n++] = hex[c >> 4];
			pm[n++] = hex[c & 15];
			ws |= t == RB_SPACE;
		} else if (t == UB_END) {
			/* '#': the rest read only for JavaScript signs */
			while (s < e)
				if (ref_byte[(unsigned char)*s++] == RB_JS)
					return false;
			ws = false;
			break;
		} else {   /* RB_JS (a NUL is past e) */
			return false;
		}
	}
	/* white space at the end dropped: three bytes each */
	while (ws && e > r && (e[-1] == ' ' || e[-1] == '\t' ||
			       e[-1] == '\n' || e[-1] == '\r')) {
		e--;
		n -= 3;
	}
	*np = n;
	*qp = q;
	*dots = dot;
	return true;
}

/* normalise's work on the path and query pm[0..n) (query from q) after
 * the base's origin, into out. */
static inline size_t fast_finish(const kp_inspect_base *b, const char *pm,
				 size_t n, size_t q, bool dots, char *outm,
				 size_t cap)
{
	sb out = { outm, 0, cap < URL_MAX ? cap : URL_MAX, false };
	if (q > n)
		q = n;
	sb_add(&out, b->origin, b->origin_len);
	if (dots) {
		const char *semi = pm;
		while ((semi = memchr(semi, ';', (size_t)(pm + q - semi)))) {
			if (!strncasecmp(semi, ";jsessionid", 11))
				break;
			semi++;
		}
		remove_dots(pm, (size_t)((semi ? semi : pm + q) - pm), &out);
	} else if (q) {
		sb_add(&out, pm, q);   /* no dot segment: remove_dots' copy */
	} else {
		sb_addc(&out, '/');
	}
	if (q < n)
		add_query(pm + q + 1, n - q - 1, &out);
	if (out.over || !out.len) {
		outm[0] = '\0';
		return 0;
	}
	return out.len;
}

size_t kp_inspect_url_resolve_base_to(const kp_inspect_base *b, const char *ref,
			       char *outm, size_t cap)
{
	/* the path and query before normalising: the base's directory
	 * (< URL_MAX) and the reference encoded (≤ 3 × 2048 bytes) */
	char pm[URL_MAX + 6 * 1024 + 8];
	const char *r = ref, *s;
	size_t n = 0, len, q;
	bool dots = false;
	int go;
	if (!b->fast || !cap)
		return resolve_slow(b->url, ref, outm, cap);
	outm[0] = '\0';
	while (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r')
		r++;
	if ((len = strlen(r)) > 2048)   /* maybe over 2048 after the trim */
		return resolve_slow(b->url, ref, outm, cap);
	s = r;
	go = fast_prefix(b, r, pm, &n, &s, &dots);
	if (go <= 0)
		return go ? resolve_slow(b->url, ref, outm, cap) : 0;
	if (!fast_encode(r, len, s, pm, &n, &q, &dots))
		return resolve_slow(b->url, ref, outm, cap);
	pm[n] = '\0';   /* strncasecmp in fast_finish may read to it */
	return fast_finish(b, pm, n, q, dots, outm, cap);
}

size_t kp_inspect_url_resolve_to(const char *base, const char *ref, char *out,
			  size_t cap)
{
	kp_inspect_base b;
	kp_inspect_base_init(&b, base);
	return kp_inspect_url_resolve_base_to(&b, ref, out, cap);
}

bool kp_inspect_url_host(const char *url, char *buf, size_t n)
{
	const char *p = strstr(url, "://");
	size_t k = 0;
	if (!p)
		return false;
	p += 3;
	while (*p && *p != '/' && *p != '?' && *p != '#' && k + 1 < n)
		buf[k++] = (char)tolower((unsigned char)*p++);
	buf[k] = '\0';
	return k > 0;
}

size_t kp_inspect_host_len(const char *host)
{
	const char *end = host[0] == '[' ? strchr(host, ']') : NULL;
	const char *colon = strchr(end ? end : host, ':');
	return colon ? (size_t)(colon - host) : strlen(host);
}

bool kp_inspect_domain_norm(const char *in, char *out, size_t n)
{
	char hn[256];
	size_t len, k = 0, label = 0;
	const char *p = in;
	if (!strncasecmp(in, "http://", 7) || !strncasecmp(in, "https://", 8)) {
		if (!kp_inspect_url_host(in, hn, sizeof(hn)))
			return false;
		p = hn;
	}
	len = kp_inspect_host_len(p);
	if (len && p[len - 1] == '.')
		len--;   /* the root's dot */
	if (len >= 4 && !strncasecmp(p, "www.", 4))
		p += 4, len -= 4;
	if (!len || len >= n || len > 253)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)p[i];
		if (ch == '.') {
			/* labels: not empty, not over 63 bytes, no '-' at an end */
			if (!label || out[k - 1] == '-')
				return false;
			label = 0;
			out[k++] = '.';
			continue;
		}
		if (!(ch >= 0x80 || isalnum(ch) || (ch == '-' && label)))
			return false;
		if (++label > 63)
			return false;
		out[k++] = (char)tolower(ch);
	}
	if (!label || out[k - 1] == '-' || !memchr(out, '.', k))
		return false;
	out[k] = '\0';
	return true;
}

bool kp_inspect_host_under(const char *host, const char *domain)
{
	size_t n = kp_inspect_host_len(host), d = strlen(domain);
	if (n && host[n - 1] == '.')
		n--;
	if (d && domain[d - 1] == '.')
		d--;
	if (!d || n < d || strncasecmp(host + n - d, domain, d))
		return false;
	return n == d || host[n - d - 1] == '.';
}

const char *kp_inspect_url_trap(const char *url)
{
	const char *p = strstr(url, "://");
	const char *seg[64];
	size_t len[64], ns = 0;
	if (strlen(url) > 1024)
		return "网址过长";
	if (!p)
		return NULL;
	p = strchr(p + 3, '/');
	while (p && *p == '/' && ns < 64) {
		const char *s = p + 1;
		const char *e = s;
		while (*e && *e != '/' && *e != '?')
			e++;
		seg[ns] = s;
		len[ns++] = (size_t)(e - s);
		p = *e == '/' ? e : NULL;
	}
	if (ns > 15)
		return "路径层级过深（疑似无限增长的路径）";
	for (size_t i = 0; i < ns; i++) {
		size_t same = 0;
		for (size_t j = 0; j < ns; j++)
			if (len[j] == len[i] && len[i] &&
			    !memcmp(seg[i], seg[j], len[i]))
				same++;
		if (same >= 3)
			return "路径中同一段重复出现（疑似无限增长的路径）";
	}
	return NULL;
}
