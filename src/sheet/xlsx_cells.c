/* sheet/xlsx_cells.c — a worksheet's rows and cells into the sheet:
 * cell references, types, shared strings, numbers as Excel shows them.
 * See xlsx_int.h. */
#include "sheet/xlsx_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- cells ----------------------------------------------------------- */

/* Number text as Excel writes it → as a person typed it.  Excel stores
 * the shortest text that round-trips a double, so 2.5 computed as
 * 2.4999999999999996 and 0.1+0.2 as 0.30000000000000004.  Round to 15
 * significant digits (what Excel displays, and what %.15g gives), drop
 * trailing zeros, and write plain decimals ("30", "2.5", "0.001"; never
 * an exponent).  Works on the digits, so no locale or binary rounding is
 * involved.  Returns the length written to out (>= 48 bytes), or 0 when
 * the text is not a plain number in 1e-10 .. 1e15 and should be kept as
 * written. */
static size_t norm_number(const char *s, size_t n, char *out)
{
	char dig[16];
	size_t i = 0, nd = 0, k = 0;
	long point = 0, e = 0;   /* value = 0.dig × 10^(point + e) */
	bool neg = false, seen = false, dot = false, round_up = false;
	long exp10;

	if (i < n && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	for (; i < n; i++) {
		if (s[i] == '.' && !dot) {
			dot = true;
			continue;
		}
		if (s[i] < '0' || s[i] > '9')
			break;
		seen = true;
		if (!nd && s[i] == '0') {  /* leading zero */
			if (dot)
				point--;
			continue;
		}
		if (!dot)
			point++;
		if (nd < 15)
			dig[nd++] = s[i];
		else if (nd++ == 15)
			round_up = s[i] >= '5';
	}
	if (!seen)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		bool eneg = false;
		size_t j;
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			eneg = s[i++] == '-';
		for (j = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			if (e < 100000)
				e = e * 10 + (s[i] - '0');
		if (i == j)
			return 0;
		if (eneg)
			e = -e;
	}
	if (i != n)
		return 0;
	if (nd > 15)
		nd = 15;
	if (round_up) {
		size_t j = nd;
		while (j > 0 && dig[j - 1] == '9')
			dig[--j] = '0';
		if (j == 0) {   /* 999… → 1000… */
			dig[0] = '1';
			nd = 1;
			point++;
		} else {
			dig[j - 1]++;
		}
	}
	while (nd > 0 && dig[nd - 1] == '0')
		nd--;
	if (nd == 0) {
		out[0] = '0';
		return 1;
	}
	exp10 = point + e;
	if (exp10 > 15 || exp10 < -9)
		return 0;
	if (neg)
		out[k++] = '-';
	if (exp10 <= 0) {
		out[k++] = '0';
		out[k++] = '.';
		for (long z = exp10; z < 0; z++)
			out[k++] = '0';
		memcpy(out + k, dig, nd);
		k += nd;
	} else if ((long)nd <= exp10) {
		memcpy(out + k, dig, nd);
		k += nd;
		for (long z = (long)nd; z < exp10; z++)
			out[k++] = '0';
	} else {
		memcpy(out + k, dig, (size_t)exp10);
		k += (size_t)exp10;
		out[k++] = '.';
		memcpy(out + k, dig + exp10, nd - (size_t)exp10);
		k += nd - (size_t)exp10;
	}
	out[k] = '\0';
	return k;
}

/* "B3" → column 1.  -1 unless letters (at most XFD) then digits. */
static long parse_ref(const char *ref)
{
	long col = 0;
	size_t i = 0;
	for (; (ref[i] >= 'A' && ref[i] <= 'Z') || (ref[i] >= 'a' && ref[i] <= 'z');
	     i++) {
		col = col * 26 + ((ref[i] | 0x20) - 'a' + 1);
		if (col > XLSX_MAX_COL)
			return -1;
	}
	if (i == 0 || ref[i] < '0' || ref[i] > '9')
		return -1;
	while (ref[i] >= '0' && ref[i] <= '9')
		i++;
	return ref[i] ? -1 : col - 1;
}

/* Row numbers 1..1048576, digits only; -1 otherwise. */
static long parse_row(const char *s)
{
	long v = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > XLSX_MAX_ROW)
			return -1;
	}
	return v ? v : -1;
}

/* "B3" for messages about cells that carry no r attribute. */
static void ref_name(char *buf, size_t size, size_t col, size_t row)
{
	char letters[8];
	size_t k = sizeof(letters) - 1;
	letters[k] = '\0';
	col++;
	while (col && k) {
		letters[--k] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	snprintf(buf, size, "%s%zu", letters + k, row);
}

static enum cell_type parse_type(const char *t)
{
	static const struct {
		const char *name;
		enum cell_type type;
	} types[] = {
		{ "n", T_NUM },   { "s", T_SST },  { "inlineStr", T_INLINE },
		{ "str", T_STR }, { "b", T_BOOL }, { "e", T_ERR },
	};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(t, types[i].name))
			return types[i].type;
	return T_OTHER;    /* "d" (ISO 8601 date) and the unknown: as written */
}

typedef struct cell {
	char ref[32];
	size_t col;
	enum cell_type type;
	kp_buf v;      /* text of <v> */
	kp_buf is;     /* text of <is><t>, runs concatenated */
} cell;

static int emit_cell(xlsx *x, cell *c)
{
	char num[48];
	const char *p = c->v.data;
	size_t n = c->v.len;

	if (c->type == T_SST && n) {
		unsigned long long k = 0;
		size_t i;
		for (i = 0; i < n && p[i] >= '0' && p[i] <= '9'; i++)
			if (k <= x->nstr)
				k = k * 10 + (unsigned long long)(p[i] - '0');
		if (i != n)
			return kp_fail(x->e, KP_EINPUT,
				       "%s: 单元格 %s 的共享字符串编号“%.40s”无效",
				       x->name, c->ref, p);
		if (k >= x->nstr)
			return kp_fail(x->e, KP_EINPUT,
				       "%s: 单元格 %s 引用的共享字符串 %.20s 不存在（共 %zu 条）",
				       x->name, c->ref, p, x->nstr);
		p = x->pool.data + x->off[k];
		n = (k + 1 < x->nstr ? x->off[k + 1] : x->pool.len) -
		    x->off[k] - 1;
	} else if (c->type == T_INLINE) {
		if (c->is.len) {
			p = c->is.data;
			n = c->is.len;
		}
	} else if (c->type == T_NUM && n) {
		size_t k = norm_number(p, n, num);
		if (k) {
			p = num;
			n = k;
		}
	}
	if (n == 0)
		return 0;
	if (kp_utf8_valid_prefix(p, n) != n)
		return kp_fail(x->e, KP_EINPUT,
			       "%s: 单元格 %s 不是有效的 UTF-8 文本", x->name,
			       c->ref);
	return kp_sheet_set_cell(x->s, c->col, p, n, x->e);
}

static int begin_row(xlsx *x, size_t *row, size_t *col)
{
	char buf[32];
	long len = kp_xlsx_attr_get(x, "r", false, buf, sizeof(buf));
	long v;
	if (len < 0) {
		v = (long)*row + 1;
		if (v > XLSX_MAX_ROW)
			return kp_fail(x->e, KP_EINPUT, "%s: %s 的行数超过 %d",
				       x->name, x->part, XLSX_MAX_ROW);
	} else if ((v = parse_row(buf)) < 0 || (size_t)len >= sizeof(buf)) {
		return kp_fail(x->e, KP_EINPUT, "%s: %s 中行号“%.20s”无效",
			       x->name, x->part, buf);
	}
	*row = (size_t)v;
	*col = 0;
	kp_sheet_begin_row(x->s, *row);
	return 0;
}

static int begin_cell(xlsx *x, cell *c, size_t *row, size_t col)
{
	char t[16];
	long len, v;

	if (*row == 0) {   /* a cell before any <row>: call it row 1 */
		*row = 1;
		kp_sheet_begin_row(x->s, 1);
	}
	len = kp_xlsx_attr_get(x, "r", false, c->ref, sizeof(c->ref));
	if (len < 0) {
		if (col >= XLSX_MAX_COL)
			return kp_fail(x->e, KP_EINPUT,
				       "%s: %s 中第 %zu 行的单元格超过 %d 列",
				       x->name, x->part, *row, XLSX_MAX_COL);
		c->col = col;
		ref_name(c->ref, sizeof(c->ref), col, *row);
	} else {
		if ((size_t)len >= sizeof(c->ref) ||
		    (v = parse_ref(c->ref)) < 0)
			return kp_fail(x->e, KP_EINPUT,
				       "%s: %s 中单元格引用“%.20s”无效", x->name,
				       x->part, c->ref);
		c->col = (size_t)v;
	}
	len = kp_xlsx_attr_get(x, "t", false, t, sizeof(t));
	if (len < 0)
		c->type = T_NUM;
	else if ((size_t)len >= sizeof(t))
		c->type = T_OTHER;
	else
		c->type = parse_type(t);
	kp_buf_reset(&c->v);
	kp_buf_reset(&c->is);
	return 0;
}

/* Read <sheetData> of the worksheet at path into x->s. */
int kp_xlsx_read_worksheet(xlsx *x, const char *path)
{
	cell c;
	bool in_data = false, in_c = false, in_v = false, in_is = false;
	bool in_t = false;
	int rph = 0, r, rc = -1;
	size_t row = 0, col = 0;

	memset(&c, 0, sizeof(c));
	kp_buf_init(&c.v, x->max + 1);
	kp_buf_init(&c.is, x->max + 1);
	if (kp_xlsx_part_open(x, path, false) < 0)
		goto out;
	while ((r = kp_xlsx_part_next(x)) > 0) {
		int type = xmlTextReaderNodeType(x->rd);
		const char *tag;
		bool empty;
		if (kp_xlsx_node_is_text(type)) {
			if (in_v && kp_xlsx_add_text(x, &c.v) < 0)
				goto out;
			if (in_is && in_t && !rph && kp_xlsx_add_text(x, &c.is) < 0)
				goto out;
			continue;
		}
		if (type == XML_READER_TYPE_END_ELEMENT) {
			tag = kp_xlsx_node_name(x);
			if (!strcmp(tag, "sheetData"))
				break;
			if (!strcmp(tag, "c") && in_c) {
				in_c = in_v = in_is = in_t = false;
				rph = 0;
				col = c.col + 1;
				if (emit_cell(x, &c) < 0)
					goto out;
			} else if (!strcmp(tag, "v")) {
				in_v = false;
			} else if (!strcmp(tag, "is")) {
				in_is = false;
			} else if (!strcmp(tag, "t")) {
				in_t = false;
			} else if (!strcmp(tag, "rPh") && rph > 0) {
				rph--;
			}
			continue;
		}
		if (type != XML_READER_TYPE_ELEMENT)
			continue;
		tag = kp_xlsx_node_name(x);
		empty = xmlTextReaderIsEmptyElement(x->rd) == 1;
		if (!in_data) {
			if (!strcmp(tag, "sheetData")) {
				if (empty)
					break;
				in_data = true;
			}
		} else if (!strcmp(tag, "row")) {
			if (begin_row(x, &row, &col) < 0)
				goto out;
		} else if (!strcmp(tag, "c")) {
			if (begin_cell(x, &c, &row, col) < 0)
				goto out;
			in_c = !empty;
			if (empty)   /* style only, no value */
				col = c.col + 1;
		} else if (in_c && !empty) {
			if (!strcmp(tag, "v"))
				in_v = true;
			else if (!strcmp(tag, "is"))
				in_is = true;
			else if (in_is && !strcmp(tag, "t"))
				in_t = true;
			else if (in_is && !strcmp(tag, "rPh"))
				rph++;
		}
	}
	/* The rest is formatting, but read it through: libzip checks the
	 * part's CRC only at its end. */
	while (r > 0)
		r = kp_xlsx_part_next(x);
	if (r < 0)
		goto out;
	rc = 0;
out:
	kp_xlsx_part_close(x);
	kp_buf_release(&c.v);
	kp_buf_release(&c.is);
	return rc;
}
