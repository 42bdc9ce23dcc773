/* base/err.c — errors and allocation that cannot fail; contracts in base.h. */
#include "base/base.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- errors ---------------------------------------------------------- */

static void err_where(kp_err *e, const char *file, size_t line)
{
	e->line = line;
	e->reason = 0;
	if (file)
		snprintf(e->file, sizeof(e->file), "%s", file);
	else
		e->file[0] = '\0';
}

int kp_fail(kp_err *e, int code, const char *fmt, ...)
{
	if (e) {
		va_list ap;
		va_start(ap, fmt);
		err_where(e, NULL, 0);
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
		err_where(e, file ? file : "-", line);
		if (line)
			k = snprintf(e->msg, sizeof(e->msg), "%s:%zu: ",
				     file ? file : "-", line);
		else
			k = snprintf(e->msg, sizeof(e->msg), "%s: ",
				     file ? file : "-");
		if (k < 0 || (size_t)k >= sizeof(e->msg))
			k = 0;
		e->reason = (size_t)k;
		va_start(ap, fmt);
		vsnprintf(e->msg + k, sizeof(e->msg) - (size_t)k, fmt, ap);
		va_end(ap);
		e->code = code;
	}
	return -1;
}

int kp_fail_line(kp_err *e, int code, size_t line, const char *fmt, ...)
{
	if (e) {
		int k;
		va_list ap;
		err_where(e, NULL, line);
		k = snprintf(e->msg, sizeof(e->msg), "第%zu行: ", line);
		if (k < 0 || (size_t)k >= sizeof(e->msg))
			k = 0;
		e->reason = (size_t)k;
		va_start(ap, fmt);
		vsnprintf(e->msg + k, sizeof(e->msg) - (size_t)k, fmt, ap);
		va_end(ap);
		e->code = code;
	}
	return -1;
}

const char *kp_err_reason(const kp_err *e)
{
	return e->reason < sizeof(e->msg) ? e->msg + e->reason : e->msg;
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
