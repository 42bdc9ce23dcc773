/* base/buf.c — the growable, capped buffer; contracts in base.h. */
#include "base/base.h"

#include <stdlib.h>
#include <string.h>

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
