/* base/csv.c — the RFC 4180 reader and writer; contracts in base.h. */
#include "base/base.h"

#include <stdlib.h>
#include <string.h>

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
