/* base — see base.h for the contracts. */
#include "base/base.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* ---- errors ---------------------------------------------------------- */

int kp_fail(kp_err *e, int code, const char *fmt, ...)
{
	if (e) {
		va_list ap;
		va_start(ap, fmt);
		e->code = code;
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
	}
	return -1;
}

int kp_fail_at(kp_err *e, int code, const char *file, size_t line,
	       const char *fmt, ...)
{
	if (e) {
		int k;
		va_list ap;
		if (line)
			k = snprintf(e->msg, sizeof(e->msg), "%s:%zu: ",
				     file ? file : "-", line);
		else
			k = snprintf(e->msg, sizeof(e->msg), "%s: ",
				     file ? file : "-");
		if (k < 0 || (size_t)k >= sizeof(e->msg))
			k = 0;
		va_start(ap, fmt);
		vsnprintf(e->msg + k, sizeof(e->msg) - (size_t)k, fmt, ap);
		va_end(ap);
		e->code = code;
	}
	return -1;
}

static void oom(size_t n)
{
	fprintf(stderr, "kaoping: 内存不足（申请 %zu 字节失败）\n", n);
	abort();
}

void *kp_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *kp_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom(n * size);
	return p;
}

void *kp_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return q;
}

char *kp_xstrndup(const char *s, size_t n)
{
	char *p = kp_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *kp_xstrdup(const char *s)
{
	return kp_xstrndup(s, strlen(s));
}

/* ---- buffer ---------------------------------------------------------- */

void kp_buf_init(kp_buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max;
}

void kp_buf_release(kp_buf *b)
{
	size_t max = b->max;
	free(b->data);
	kp_buf_init(b, max);
}

void kp_buf_reset(kp_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

static int buf_grow(kp_buf *b, size_t extra)
{
	size_t max = b->max ? b->max : KP_BUF_DEFAULT_MAX;
	size_t want;
	if (extra > max || b->len > max - extra)
		return -1;
	want = b->len + extra + 1;
	if (want <= b->cap)
		return 0;
	if (b->cap < 64)
		b->cap = 64;
	while (b->cap < want)
		b->cap = b->cap < SIZE_MAX / 2 ? b->cap * 2 : want;
	b->data = kp_xrealloc(b->data, b->cap);
	return 0;
}

int kp_buf_reserve(kp_buf *b, size_t extra)
{
	return buf_grow(b, extra);
}

int kp_buf_add(kp_buf *b, const void *p, size_t n)
{
	if (buf_grow(b, n) < 0)
		return -1;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int kp_buf_adds(kp_buf *b, const char *s)
{
	return kp_buf_add(b, s, strlen(s));
}

int kp_buf_addc(kp_buf *b, char c)
{
	return kp_buf_add(b, &c, 1);
}

int kp_buf_vaddf(kp_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0 || buf_grow(b, (size_t)n) < 0)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int kp_buf_addf(kp_buf *b, const char *fmt, ...)
{
	va_list ap;
	int r;
	va_start(ap, fmt);
	r = kp_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return r;
}

char *kp_buf_detach(kp_buf *b)
{
	char *p = b->data ? b->data : kp_xstrdup("");
	kp_buf_init(b, b->max);
	return p;
}

/* ---- files ----------------------------------------------------------- */

int kp_read_file(const char *path, size_t max, kp_buf *out, kp_err *e)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc = -1;
	if (fd < 0)
		return kp_fail(e, errno == ENOENT ? KP_EINPUT : KP_EIO,
			       "%s: 无法打开文件：%s", path,
			       errno == ENOENT ? "文件不存在" : strerror(errno));
	if (fstat(fd, &st) < 0) {
		kp_fail(e, KP_EIO, "%s: 无法读取文件信息：%s", path,
			strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		kp_fail(e, KP_EINPUT, "%s: 这是一个目录，不是文件", path);
		goto out;
	}
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max) {
		kp_fail(e, KP_ETOOBIG,
			"%s: 文件过大（%.1f MB，上限 %.1f MB）", path,
			(double)st.st_size / 1048576.0, (double)max / 1048576.0);
		goto out;
	}
	out->max = max;
	for (;;) {
		char chunk[65536];
		ssize_t k = read(fd, chunk, sizeof(chunk));
		if (k < 0) {
			if (errno == EINTR)
				continue;
			kp_fail(e, KP_EIO, "%s: 读取失败：%s", path,
				strerror(errno));
			goto out;
		}
		if (k == 0)
			break;
		if (kp_buf_add(out, chunk, (size_t)k) < 0) {
			kp_fail(e, KP_ETOOBIG, "%s: 文件过大（上限 %.1f MB）",
				path, (double)max / 1048576.0);
			goto out;
		}
	}
	if (!out->data)
		kp_buf_add(out, "", 0);
	rc = 0;
out:
	close(fd);
	return rc;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

int kp_write_atomic(const char *path, const void *data, size_t n, kp_err *e)
{
	kp_buf tmp = KP_BUF_INIT;
	int fd, rc = -1;
	if (!strcmp(path, "-")) {
		if (fwrite(data, 1, n, stdout) != n || fflush(stdout) != 0)
			return kp_fail(e, KP_EIO, "写标准输出失败：%s",
				       strerror(errno));
		return 0;
	}
	kp_buf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp.data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		kp_fail(e, KP_EIO, "%s: 无法创建文件：%s", path,
			strerror(errno));
		goto out;
	}
	if (write_all(fd, data, n) < 0 || fsync(fd) < 0) {
		kp_fail(e, KP_EIO, "%s: 写入失败：%s", path, strerror(errno));
		close(fd);
		unlink(tmp.data);
		goto out;
	}
	if (close(fd) < 0 || rename(tmp.data, path) < 0) {
		kp_fail(e, KP_EIO, "%s: 写入失败：%s", path, strerror(errno));
		unlink(tmp.data);
		goto out;
	}
	rc = 0;
out:
	kp_buf_release(&tmp);
	return rc;
}

/* ---- text ------------------------------------------------------------ */

/* The length of the character at p[0..n) (n > 0, p[0] ≥ 0x80) when it is
 * valid UTF-8 — not over-long, not a surrogate, not above U+10FFFF —
 * else 0. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
	unsigned c = p[0];
	size_t k;
	uint32_t cp;
	if (c >= 0xC2 && c <= 0xDF) {
		k = 1;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		k = 2;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		k = 3;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n <= k)
		return 0;
	for (size_t j = 1; j <= k; j++) {
		if ((p[j] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[j] & 0x3F);
	}
	if ((k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
	    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return k + 1;
}

#ifdef __SSE2__
/* SSE2 (the x86-64 baseline), sixteen bytes at a time, each byte checked
 * against the one and the two before it, read by overlapping loads: a
 * byte must be a continuation byte (80..BF) exactly when the byte before
 * it leads a character (C0..FF) or the one two before leads a character
 * of three bytes or more (E0..FF).  Bytes whose check needs the next
 * byte's value or that start rarer forms — C0 C1 (always over-long), E0
 * (over-long below A0), ED (surrogates from A0), F0..FF — send their
 * block to the byte-by-byte loop, which also takes the first two bytes
 * and the last ones, and finds where an invalid block goes wrong. */

/* Non-zero bytes where p[0..16) breaks those rules (p[-2] readable). */
static inline __m128i utf8_bad16(const unsigned char *p)
{
	const __m128i v = _mm_loadu_si128((const void *)p);
	const __m128i v1 = _mm_loadu_si128((const void *)(p - 1));
	const __m128i v2 = _mm_loadu_si128((const void *)(p - 2));
	/* 80..BF are the bytes below -64 signed; the saturating
	 * differences are 1..64 after C0..FF, 1..32 after E0..FF */
	__m128i cont = _mm_cmplt_epi8(v, _mm_set1_epi8(-64));
	__m128i due = _mm_cmpgt_epi8(
		_mm_or_si128(_mm_subs_epu8(v1, _mm_set1_epi8((char)0xBF)),
			     _mm_subs_epu8(v2, _mm_set1_epi8((char)0xDF))),
		_mm_setzero_si128());
	__m128i rare = _mm_or_si128(
		_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE0)),
			     _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xED))),
		_mm_or_si128(_mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8((char)0xFE)),
					    _mm_set1_epi8((char)0xC0)),
			     _mm_subs_epu8(v, _mm_set1_epi8((char)0xEF))));
	return _mm_or_si128(_mm_xor_si128(cont, due), rare);
}

static inline bool utf8_ok16(const unsigned char *p)
{
	return _mm_movemask_epi8(_mm_cmpeq_epi8(utf8_bad16(p),
						_mm_setzero_si128())) == 0xFFFF;
}

size_t kp_utf8_valid_prefix(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, stop = n < 2 ? n : 2;
	for (;;) {
		/* byte by byte from a character's start to stop */
		while (i < stop) {
			size_t k;
			if (p[i] < 0x80) {
				i++;
				continue;
			}
			if (!(k = utf8_seq(p + i, n - i)))
				return i;
			i += k;
		}
		if (i >= n)
			return n;
		/* 32 bytes a turn; ASCII ones (no character left open
		 * before them) without the full check */
		while (n - i >= 32) {
			__m128i a = _mm_loadu_si128((const void *)(p + i));
			__m128i b = _mm_loadu_si128((const void *)(p + i + 16));
			if (!_mm_movemask_epi8(_mm_or_si128(a, b)) &&
			    p[i - 1] < 0xC0 && p[i - 2] < 0xE0) {
				i += 32;
				continue;
			}
			if (_mm_movemask_epi8(_mm_cmpeq_epi8(
				    _mm_or_si128(utf8_bad16(p + i),
						 utf8_bad16(p + i + 16)),
				    _mm_setzero_si128())) != 0xFFFF)
				break;
			i += 32;
		}
		if (n - i >= 16 && utf8_ok16(p + i))
			i += 16;
		/* the next 16 bytes (or the last ones) byte by byte, from
		 * the start of the character open at i, if any */
		stop = n - i >= 16 ? i + 16 : n;
		{
			size_t k = i - 1;   /* i ≥ 2; p[0] starts a character */
			while ((p[k] & 0xC0) == 0x80)
				k--;
			if (p[k] >= 0xC0)
				i = k;
		}
	}
}
#else
size_t kp_utf8_valid_prefix(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		unsigned c;
		size_t k;
		/* ASCII 8 bytes at a time; the first byte that is not, found
		 * from the word's high bits instead of byte by byte */
		while (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			w &= 0x8080808080808080ULL;
			if (w) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
				i += (size_t)__builtin_ctzll(w) >> 3;
#else
				while (p[i] < 0x80)
					i++;
#endif
				break;
			}
			i += 8;
		}
		while (i < n && p[i] < 0x80)
			i++;
		/* runs of three-byte characters without over-long forms or
		 * surrogates (E1..EC, EE, EF: CJK and most of the BMP); two
		 * at a time from one word: leads 1110xxxx whose low bits
		 * are in 0xDFFE, four continuation bytes 10xxxxxx */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		while (n - i >= 8) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			if ((w & 0xC0C0F0C0C0F0ULL) != 0x8080E08080E0ULL ||
			    !((0xDFFEu >> (w & 15)) & (0xDFFEu >> ((w >> 24) & 15)) & 1))
				break;
			i += 6;
		}
#endif
		while (n - i > 2) {
			c = p[i];
			if (c < 0xE1 || c > 0xEF || c == 0xED ||
			    (p[i + 1] & 0xC0) != 0x80 || (p[i + 2] & 0xC0) != 0x80)
				break;
			i += 3;
		}
		if (i >= n)
			break;
		if (p[i] < 0x80)
			continue;
		if (!(k = utf8_seq(p + i, n - i)))
			return i;
		i += k;
	}
	return n;
}
#endif

int kp_gb18030_to_utf8(const char *p, size_t n, kp_buf *out, kp_err *e)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	char *in = (char *)p;
	size_t inleft = n;
	int rc = -1;
	if (cd == (iconv_t)-1)
		return kp_fail(e, KP_EINTERNAL,
			       "系统不支持 GB18030 编码转换（iconv）");
	while (inleft) {
		char chunk[8192];
		char *o = chunk;
		size_t oleft = sizeof(chunk);
		size_t r = iconv(cd, &in, &inleft, &o, &oleft);
		if (kp_buf_add(out, chunk, sizeof(chunk) - oleft) < 0) {
			kp_fail(e, KP_ETOOBIG, "转换后的文本过大");
			goto out;
		}
		if (r == (size_t)-1 && errno != E2BIG) {
			kp_fail(e, KP_EINPUT,
				"第 %zu 字节处的内容既不是 UTF-8 也不是 GBK/GB18030 编码",
				(size_t)(in - p) + 1);
			goto out;
		}
	}
	if (!out->data)
		kp_buf_add(out, "", 0);
	rc = 0;
out:
	iconv_close(cd);
	return rc;
}

/* Length of a white-space character at p (0 if none): ASCII blanks,
 * U+3000 and U+00A0. */
static size_t space_len(const unsigned char *p)
{
	if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
	    *p == '\v' || *p == '\f')
		return 1;
	if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)
		return 3;
	if (p[0] == 0xC2 && p[1] == 0xA0)
		return 2;
	return 0;
}

const char *kp_trim_span(const char *s, size_t n, size_t *len)
{
	const unsigned char *p = (const unsigned char *)s, *end;
	size_t k;
	while ((k = space_len(p)) != 0)
		p += k;
	end = (const unsigned char *)s + n;
	while (end > p) {
		if (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' ||
		    end[-1] == '\r' || end[-1] == '\v' || end[-1] == '\f')
			end--;
		else if (end - p >= 3 && end[-3] == 0xE3 && end[-2] == 0x80 &&
			 end[-1] == 0x80)
			end -= 3;
		else if (end - p >= 2 && end[-2] == 0xC2 && end[-1] == 0xA0)
			end -= 2;
		else
			break;
	}
	*len = end > p ? (size_t)(end - p) : 0;
	return (const char *)p;
}

char *kp_trim(char *s)
{
	size_t n;
	const char *p = kp_trim_span(s, strlen(s), &n);
	memmove(s, p, n);
	s[n] = '\0';
	return s;
}

char *kp_squeeze(char *s)
{
	unsigned char *r = (unsigned char *)s, *w = r;
	while (*r) {
		size_t k = space_len(r);
		if (k)
			r += k;
		else
			*w++ = *r++;
	}
	*w = '\0';
	return s;
}

size_t kp_utf8_width(const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t w = 0;
	while (*p) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(p, -1, &cp);
		if (k <= 0) {
			p++;
			w++;
			continue;
		}
		p += k;
		w += (size_t)utf8proc_charwidth(cp);
	}
	return w;
}

char *kp_list_next(char **cursor)
{
	while (*cursor && **cursor) {
		char *s = *cursor, *end = strstr(s, "、"), *comma = strchr(s, ',');
		size_t skip = strlen("、");
		if (comma && (!end || comma < end)) {
			end = comma;
			skip = 1;
		}
		if (end) {
			*end = '\0';
			*cursor = end + skip;
		} else {
			*cursor = NULL;
		}
		kp_trim(s);
		if (*s)
			return s;
	}
	return NULL;
}

int kp_list_each(const char *list, int (*fn)(void *, const char *),
		 void *arg)
{
	char *copy = kp_xstrdup(list), *cur = copy, *item;
	int rc = 0;
	while (!rc && (item = kp_list_next(&cur)))
		rc = fn(arg, item);
	free(copy);
	return rc;
}

long kp_digits(const char *p, const char *end, long max)
{
	long v = 0;
	if (p >= end || *p < '0' || *p > '9')
		return -1;
	for (; p < end && *p >= '0' && *p <= '9'; p++)
		v = v > (max - (*p - '0')) / 10 ? max : v * 10 + (*p - '0');
	return v;
}

/* ---- CSV ------------------------------------------------------------- */

void kp_csv_init(kp_csv *c, const char *file, const char *data, size_t n,
		 char sep)
{
	memset(c, 0, sizeof(*c));
	c->p = data;
	c->end = data + n;
	if (n >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		c->p += 3;
	c->sep = sep ? sep : ',';
	c->line = 1;
	c->file = file;
	kp_buf_init(&c->store, KP_BUF_DEFAULT_MAX);
}

void kp_csv_release(kp_csv *c)
{
	kp_buf_release(&c->store);
	free(c->offs);
	free(c->fields);
	c->offs = NULL;
	c->fields = NULL;
	c->nfields = c->cap_fields = 0;
}

static int csv_end_field(kp_csv *c, size_t start, kp_err *e)
{
	if (c->nfields == KP_CSV_MAX_FIELDS)
		return kp_fail_at(e, KP_EINPUT, c->file, c->row_line,
				  "一行超过 %d 列", KP_CSV_MAX_FIELDS);
	if (c->nfields == c->cap_fields) {
		c->cap_fields = c->cap_fields ? c->cap_fields * 2 : 16;
		c->offs = kp_xrealloc(c->offs,
				      c->cap_fields * sizeof(*c->offs));
	}
	c->offs[c->nfields++] = start;
	return kp_buf_addc(&c->store, '\0');
}

int kp_csv_next(kp_csv *c, kp_err *e)
{
	size_t start;
	if (c->p >= c->end)
		return 0;
	kp_buf_reset(&c->store);
	c->nfields = 0;
	c->row_line = c->line;
	start = 0;
	for (;;) {
		if (c->p < c->end && *c->p == '"') {
			size_t qline = c->line;
			c->p++;
			for (;;) {
				if (c->p >= c->end)
					return kp_fail_at(e, KP_EINPUT, c->file,
							  qline,
							  "引号未闭合（从此行开始的带引号单元格一直到文件末尾）");
				if (*c->p == '"') {
					if (c->p + 1 < c->end &&
					    c->p[1] == '"') {
						kp_buf_addc(&c->store, '"');
						c->p += 2;
						continue;
					}
					c->p++;
					break;
				}
				if (*c->p == '\n')
					c->line++;
				if (kp_buf_addc(&c->store, *c->p) < 0)
					return kp_fail_at(e, KP_ETOOBIG,
							  c->file, qline,
							  "单元格过大");
				c->p++;
			}
			/* After the closing quote only a separator or the
			 * end of the record may follow. */
			if (c->p < c->end && *c->p != c->sep &&
			    *c->p != '\n' && *c->p != '\r')
				return kp_fail_at(e, KP_EINPUT, c->file,
						  c->line,
						  "第 %zu 列：引号后还有多余的字符",
						  c->nfields + 1);
		} else {
			while (c->p < c->end && *c->p != c->sep &&
			       *c->p != '\n' && *c->p != '\r') {
				if (kp_buf_addc(&c->store, *c->p) < 0)
					return kp_fail_at(e, KP_ETOOBIG,
							  c->file, c->line,
							  "单元格过大");
				c->p++;
			}
		}
		if (csv_end_field(c, start, e) < 0)
			return -1;
		start = c->store.len;
		if (c->p < c->end && *c->p == c->sep) {
			c->p++;
			continue;
		}
		if (c->p < c->end && *c->p == '\r')
			c->p++;
		if (c->p < c->end && *c->p == '\n') {
			c->p++;
			c->line++;
		}
		break;
	}
	c->fields = kp_xrealloc(c->fields, c->nfields * sizeof(*c->fields));
	for (size_t i = 0; i < c->nfields; i++)
		c->fields[i] = c->store.data + c->offs[i];
	return 1;
}

int kp_csv_put(kp_buf *b, const char *s)
{
	if (!strpbrk(s, ",\"\n\r") && s[0] != ' ' &&
	    (s[0] == '\0' || s[strlen(s) - 1] != ' '))
		return kp_buf_adds(b, s);
	if (kp_buf_addc(b, '"') < 0)
		return -1;
	for (; *s; s++)
		if ((*s == '"' && kp_buf_addc(b, '"') < 0) ||
		    kp_buf_addc(b, *s) < 0)
			return -1;
	return kp_buf_addc(b, '"');
}

/* ---- numbers --------------------------------------------------------- */

static int64_t gcd64(int64_t a, int64_t b)
{
	if (a < 0)
		a = -a;
	if (b < 0)
		b = -b;
	while (b) {
		int64_t t = a % b;
		a = b;
		b = t;
	}
	return a ? a : 1;
}

static int num_make(int64_t n, int64_t d, kp_num *r)
{
	int64_t g;
	if (d == 0)
		return -1;
	if (d < 0) {
		if (n == INT64_MIN || d == INT64_MIN)
			return -1;
		n = -n;
		d = -d;
	}
	g = gcd64(n, d);
	n /= g;
	d /= g;
	/* Keep magnitudes where products of two values cannot overflow
	 * silently: values beyond the limit are refused. */
	if (n / d > KP_NUM_LIMIT || n / d < -KP_NUM_LIMIT)
		return -1;
	r->n = n;
	r->d = d;
	return 0;
}

kp_num kp_num_int(int64_t v)
{
	kp_num r = { v, 1 };
	return r;
}

int kp_num_parse(const char *s, kp_num *out)
{
	int64_t n = 0, d = 1;
	int neg = 0, digits = 0, frac = 0;
	kp_num r;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		if (n > (INT64_MAX - 9) / 10)
			return -1;
		n = n * 10 + (*s - '0');
	}
	if (*s == '.') {
		s++;
		for (; *s >= '0' && *s <= '9'; s++, frac++) {
			if (frac >= 9 || n > (INT64_MAX - 9) / 10)
				return -1;
			n = n * 10 + (*s - '0');
			d *= 10;
		}
		if (!frac)
			return -1;
	}
	if (!digits && !frac)
		return -1;
	if (*s == '%') {
		d *= 100;
		s++;
	} else if (*s == '/') {
		int64_t dd = 0;
		int dk = 0;
		if (frac)
			return -1;
		for (s++; *s >= '0' && *s <= '9'; s++, dk++) {
			if (dd > (INT64_MAX - 9) / 10)
				return -1;
			dd = dd * 10 + (*s - '0');
		}
		if (!dk || !dd)
			return -1;
		d = dd;
	}
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s)
		return -1;
	if (num_make(neg ? -n : n, d, &r) < 0)
		return -1;
	*out = r;
	return 0;
}

int kp_num_add(kp_num a, kp_num b, kp_num *r)
{
	int64_t x, y, d;
	int64_t g = gcd64(a.d, b.d);
	if (__builtin_mul_overflow(a.n, b.d / g, &x) ||
	    __builtin_mul_overflow(b.n, a.d / g, &y) ||
	    __builtin_add_overflow(x, y, &x) ||
	    __builtin_mul_overflow(a.d / g, b.d, &d))
		return -1;
	return num_make(x, d, r);
}

int kp_num_sub(kp_num a, kp_num b, kp_num *r)
{
	if (b.n == INT64_MIN)
		return -1;
	b.n = -b.n;
	return kp_num_add(a, b, r);
}

int kp_num_mul(kp_num a, kp_num b, kp_num *r)
{
	int64_t g1 = gcd64(a.n, b.d), g2 = gcd64(b.n, a.d), n, d;
	if (__builtin_mul_overflow(a.n / g1, b.n / g2, &n) ||
	    __builtin_mul_overflow(a.d / g2, b.d / g1, &d))
		return -1;
	return num_make(n, d, r);
}

int kp_num_div(kp_num a, kp_num b, kp_num *r)
{
	kp_num inv;
	if (b.n == 0)
		return -1;
	inv.n = b.d;
	inv.d = b.n;
	if (inv.d < 0) {
		inv.d = -inv.d;
		inv.n = -inv.n;
	}
	return kp_num_mul(a, inv, r);
}

int kp_num_cmp(kp_num a, kp_num b)
{
	/* a.n/a.d vs b.n/b.d with d > 0: compare a.n*b.d with b.n*a.d in
	 * 128-bit arithmetic so that no pair can overflow. */
	__int128 x = (__int128)a.n * b.d, y = (__int128)b.n * a.d;
	return x < y ? -1 : x > y;
}

bool kp_num_is_zero(kp_num a)
{
	return a.n == 0;
}

/* Round |a| × 10^places half up; returns false if it does not fit. */
static bool scaled(kp_num a, int places, int64_t *out)
{
	__int128 n = a.n < 0 ? -(__int128)a.n : a.n, p = 1;
	for (int i = 0; i < places; i++)
		p *= 10;
	n = (n * p * 2 + a.d) / (2 * (__int128)a.d);
	if (n > INT64_MAX)
		return false;
	*out = (int64_t)n;
	return true;
}

static const char *fmt_fixed(kp_num a, unsigned places, char *buf)
{
	int64_t v, p = 1;
	char tmp[96];
	if (places > 6)
		places = 6;
	for (unsigned i = 0; i < places; i++)
		p *= 10;
	if (!scaled(a, (int)places, &v)) {
		snprintf(buf, 32, "溢出");
		return buf;
	}
	if (places)
		snprintf(tmp, sizeof(tmp), "%s%" PRId64 ".%0*" PRId64,
			 a.n < 0 && v ? "-" : "", v / p, (int)places, v % p);
	else
		snprintf(tmp, sizeof(tmp), "%s%" PRId64,
			 a.n < 0 && v ? "-" : "", v);
	snprintf(buf, 32, "%.31s", tmp);
	return buf;
}

const char *kp_num_str(kp_num a, char *buf)
{
	int64_t d = a.d;
	int twos = 0, fives = 0, places;
	while (d % 2 == 0) {
		d /= 2;
		twos++;
	}
	while (d % 5 == 0) {
		d /= 5;
		fives++;
	}
	places = twos > fives ? twos : fives;
	if (d != 1 || places > 6)
		return fmt_fixed(a, 2, buf);
	return fmt_fixed(a, (unsigned)places, buf);
}

const char *kp_num_fmt2(kp_num a, char *buf)
{
	return fmt_fixed(a, 2, buf);
}

double kp_num_double(kp_num a)
{
	return (double)a.n / (double)a.d;
}
