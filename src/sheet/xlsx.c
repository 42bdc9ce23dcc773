/*
 * xlsx — read one worksheet of an XLSX workbook held in memory.
 *
 * An XLSX file is a zip of XML parts (ECMA-376, "SpreadsheetML"):
 *
 *	xl/workbook.xml             <sheets><sheet name="…" r:id="rId1"/>…
 *	xl/_rels/workbook.xml.rels  <Relationship Id="rId1"
 *	                                Target="worksheets/sheet1.xml"/>…
 *	xl/sharedStrings.xml        <si><t>text</t></si>, or rich text:
 *	                            <si><r><t>a</t></r><r><t>b</t></r></si>
 *	xl/worksheets/sheetN.xml    <sheetData><row r="3"><c r="B3" t="s">
 *	                                <v>0</v></c>…</row>…</sheetData>
 *
 * The workbook gives the sheets in the order a person sees their tabs;
 * the relationships map the chosen one to its part.  Every part is
 * streamed through libxml2's xmlTextReader straight out of the zip, so
 * only the shared-string table is ever held whole.
 *
 * The file is untrusted.  A small zip can inflate to gigabytes, and its
 * headers may lie about sizes, so the inflated bytes of all parts
 * together are capped twice: by the sizes the zip declares, before a part
 * is opened, and by the bytes actually read, as they are read.  XML is
 * parsed without network access, without loading DTDs or external
 * entities, and a part that declares a DTD at all is refused (OOXML never
 * has one).  libxml2's messages are captured, never printed.
 */
#include "sheet/xlsx.h"

#include <libxml/xmlreader.h>
#include <zip.h>

#include <stdlib.h>
#include <string.h>

#define XLSX_MAX_COL 16384     /* columns A..XFD */
#define XLSX_MAX_ROW 1048576
#define XLSX_PATH_MAX 1024

typedef struct xlsx {
	const char *name;      /* for messages; borrowed */
	kp_sheet *s;
	kp_err *e;
	zip_t *zip;
	size_t max;            /* cap on inflated bytes, all parts together */
	size_t used;           /* inflated bytes read so far */

	/* Shared strings: NUL-terminated, string i at pool.data + off[i]. */
	kp_buf pool;
	size_t *off;
	size_t nstr, cap_str;

	/* The part being read. */
	const char *part;
	zip_file_t *zf;
	xmlTextReaderPtr rd;
	bool too_big;          /* the read callback stopped at the cap */
	bool zip_bad;          /* the read callback met a zip error */
	int xml_line, xml_code;
	char xml_msg[256];     /* first XML error, "" if none */
} xlsx;

enum cell_type { T_NUM, T_SST, T_INLINE, T_STR, T_BOOL, T_ERR, T_OTHER };

/* ---- errors ---------------------------------------------------------- */

static int fail_big(xlsx *x)
{
	char mb[32];
	if (x->max % ((size_t)1 << 20) == 0)
		snprintf(mb, sizeof(mb), "%zu", x->max >> 20);
	else
		snprintf(mb, sizeof(mb), "%.1f", (double)x->max / 1048576.0);
	return kp_fail(x->e, KP_ETOOBIG,
		       "%s: 工作簿解压后超过 %s MB（可能是压缩炸弹），拒绝读取",
		       x->name, mb);
}

/* zip error code → why a part cannot be read. */
static int fail_zip(xlsx *x, const char *path, int code)
{
	const char *why = "压缩包已损坏";
	if (code == ZIP_ER_NOPASSWD || code == ZIP_ER_ENCRNOTSUPP ||
	    code == ZIP_ER_WRONGPASSWD)
		why = "文件已加密，请先在 Excel/WPS 中取消密码";
	else if (code == ZIP_ER_COMPNOTSUPP)
		why = "压缩方式不受支持，请在 Excel/WPS 中重新保存";
	return kp_fail(x->e, KP_EINPUT, "%s: 无法解压 %s（%s）", x->name, path,
		       why);
}

/* libxml2's commonest errors said in Chinese; the rest in its words. */
static const struct {
	int code;
	const char *text;
} xml_errors[] = {
	{ XML_ERR_DOCUMENT_END, "文档不完整，或结尾有多余内容" },
	{ XML_ERR_DOCUMENT_EMPTY, "文档为空" },
	{ XML_ERR_INVALID_CHAR, "含有无效字符（或不是正确的 UTF-8 编码）" },
	{ XML_ERR_TAG_NAME_MISMATCH, "开始标签与结束标签不匹配" },
	{ XML_ERR_TAG_NOT_FINISHED, "标签没有结束" },
	{ XML_ERR_ENTITY_LOOP, "实体引用过多（可能是实体炸弹）" },
	{ XML_ERR_UNSUPPORTED_ENCODING, "声明的字符编码不受支持" },
};

static int fail_xml(xlsx *x)
{
	if (!x->xml_msg[0])
		return kp_fail(x->e, KP_EINPUT, "%s: %s 不是有效的 XML", x->name,
			       x->part);
	for (size_t i = 0; i < sizeof(xml_errors) / sizeof(xml_errors[0]); i++)
		if (xml_errors[i].code == x->xml_code)
			return kp_fail(x->e, KP_EINPUT,
				       "%s: %s 第 %d 行 XML 格式错误：%s", x->name,
				       x->part, x->xml_line, xml_errors[i].text);
	return kp_fail(x->e, KP_EINPUT, "%s: %s 第 %d 行 XML 格式错误：%s",
		       x->name, x->part, x->xml_line, x->xml_msg);
}

#if LIBXML_VERSION >= 21200
static void xml_error(void *ctx, const xmlError *err)
#else
static void xml_error(void *ctx, xmlErrorPtr err)
#endif
{
	xlsx *x = ctx;
	size_t n;
	if (!err || err->level < XML_ERR_ERROR || x->xml_msg[0])
		return;
	snprintf(x->xml_msg, sizeof(x->xml_msg), "%s",
		 err->message ? err->message : "?");
	n = strcspn(x->xml_msg, "\n");   /* the first line says it */
	x->xml_msg[n] = '\0';
	while (n && (x->xml_msg[n - 1] == ' ' || x->xml_msg[n - 1] == ','))
		x->xml_msg[--n] = '\0';
	/* A message cut inside a UTF-8 sequence must not end the text. */
	x->xml_msg[kp_utf8_valid_prefix(x->xml_msg, n)] = '\0';
	if (!x->xml_msg[0])
		snprintf(x->xml_msg, sizeof(x->xml_msg), "?");
	x->xml_line = err->line;
	x->xml_code = err->code;
}

/* ---- reading one part ------------------------------------------------ */

/* libxml2 pulls the part through this, so every inflated byte is
 * counted, whatever the zip headers claim. */
static int part_read(void *ctx, char *buf, int len)
{
	xlsx *x = ctx;
	zip_int64_t n;
	if (len <= 0)
		return 0;
	n = zip_fread(x->zf, buf, (zip_uint64_t)len);
	if (n < 0) {
		x->zip_bad = true;
		return -1;
	}
	if ((zip_uint64_t)n > x->max - x->used) {
		x->too_big = true;
		return -1;
	}
	x->used += (size_t)n;
	return (int)n;
}

static void part_close(xlsx *x)
{
	if (x->rd)
		xmlFreeTextReader(x->rd);
	x->rd = NULL;
	if (x->zf)
		zip_fclose(x->zf);
	x->zf = NULL;
}

/* Start reading the part at path: 1, or 0 when it is absent and optional,
 * or -1 with x->e filled. */
static int part_open(xlsx *x, const char *path, bool optional)
{
	zip_int64_t i = zip_name_locate(x->zip, path, 0);
	zip_stat_t st;

	if (i < 0)
		i = zip_name_locate(x->zip, path, ZIP_FL_NOCASE);
	if (i < 0) {
		if (optional)
			return 0;
		return kp_fail(x->e, KP_EINPUT,
			       "%s: 不是有效的 XLSX 文件（缺少 %s）", x->name, path);
	}
	zip_stat_init(&st);
	if (zip_stat_index(x->zip, (zip_uint64_t)i, 0, &st) < 0)
		return fail_zip(x, path, zip_error_code_zip(zip_get_error(x->zip)));
	if ((st.valid & ZIP_STAT_SIZE) && st.size > x->max - x->used)
		return fail_big(x);
	x->zf = zip_fopen_index(x->zip, (zip_uint64_t)i, 0);
	if (!x->zf)
		return fail_zip(x, path, zip_error_code_zip(zip_get_error(x->zip)));
	x->part = path;
	x->too_big = x->zip_bad = false;
	x->xml_msg[0] = '\0';
	x->xml_line = x->xml_code = 0;
	x->rd = xmlReaderForIO(part_read, NULL, x, path, NULL,
			       XML_PARSE_NONET | XML_PARSE_NOERROR |
				       XML_PARSE_NOWARNING);
	if (!x->rd) {
		if (x->too_big)
			return fail_big(x);
		if (x->zip_bad)
			return fail_zip(x, path, ZIP_ER_INCONS);
		return kp_fail(x->e, KP_EINPUT, "%s: 无法读取 %s", x->name, path);
	}
	xmlTextReaderSetStructuredErrorHandler(x->rd, xml_error, x);
	return 1;
}

/* Advance to the next node: 1, 0 at the end of the part, -1 on error. */
static int part_next(xlsx *x)
{
	int r = xmlTextReaderRead(x->rd);
	if (x->too_big)
		return fail_big(x);
	if (x->zip_bad)
		return fail_zip(x, x->part,
				zip_error_code_zip(zip_file_get_error(x->zf)));
	if (r < 0)
		return fail_xml(x);
	if (r > 0 && xmlTextReaderNodeType(x->rd) ==
			     XML_READER_TYPE_DOCUMENT_TYPE)
		return kp_fail(x->e, KP_EINPUT,
			       "%s: %s 含有 DTD 声明，不是 Excel/WPS 保存的文件，拒绝读取",
			       x->name, x->part);
	return r;
}

static const char *node_name(xlsx *x)
{
	const xmlChar *n = xmlTextReaderConstLocalName(x->rd);
	return n ? (const char *)n : "";
}

static bool node_is_text(int type)
{
	return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
	       type == XML_READER_TYPE_WHITESPACE ||
	       type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/* Append the current text node to b. */
static int add_text(xlsx *x, kp_buf *b)
{
	const xmlChar *v = xmlTextReaderConstValue(x->rd);
	if (v && kp_buf_adds(b, (const char *)v) < 0)
		return fail_big(x);
	return 0;
}

/* Copy the value of attribute `local` of the current element into
 * buf[0..size).  ns: the attribute has a namespace prefix (r:id) or has
 * none (r, t, Id).  Returns the value's length (>= size: cut, so treat it
 * as invalid) or -1 when the element has no such attribute. */
static long attr_get(xlsx *x, const char *local, bool ns, char *buf,
		     size_t size)
{
	long len = -1;
	buf[0] = '\0';
	while (xmlTextReaderMoveToNextAttribute(x->rd) == 1) {
		const xmlChar *uri = xmlTextReaderConstNamespaceUri(x->rd);
		const xmlChar *v;
		if (strcmp(node_name(x), local) || (uri != NULL) != ns ||
		    xmlTextReaderIsNamespaceDecl(x->rd) == 1)
			continue;
		v = xmlTextReaderConstValue(x->rd);
		if (!v)
			v = (const xmlChar *)"";
		len = (long)strlen((const char *)v);
		snprintf(buf, size, "%s", (const char *)v);
		break;
	}
	xmlTextReaderMoveToElement(x->rd);
	return len;
}

/* ---- workbook and relationships -------------------------------------- */

/* The part a relationship target names, relative to the folder base
 * ("xl/"): "worksheets/sheet1.xml" → "xl/worksheets/sheet1.xml",
 * "/xl/a.xml" → "xl/a.xml", "../b.xml" → "b.xml".  -1 if too long. */
static int resolve(const char *base, const char *target, char *out,
		   size_t size)
{
	char *w = out;
	const char *p = out;
	int k;
	if (target[0] == '/' || target[0] == '\\')
		k = snprintf(out, size, "%s", target + 1);
	else
		k = snprintf(out, size, "%s%s", base, target);
	if (k < 0 || (size_t)k >= size)
		return -1;
	for (char *c = out; *c; c++)
		if (*c == '\\')
			*c = '/';
	/* Drop empty and "." segments and apply "..", in place: the output
	 * never runs ahead of the input. */
	while (*p) {
		const char *seg = p;
		size_t len = strcspn(p, "/");
		p += len;
		if (*p == '/')
			p++;
		if (len == 0 || (len == 1 && seg[0] == '.'))
			continue;
		if (len == 2 && seg[0] == '.' && seg[1] == '.') {
			while (w > out && w[-1] != '/')
				w--;
			if (w > out)
				w--;
			continue;
		}
		if (w > out)
			*w++ = '/';
		memmove(w, seg, len);
		w += len;
	}
	*w = '\0';
	return 0;
}

/* Find the r:id of worksheet number want (1-based) in xl/workbook.xml. */
static int read_workbook(xlsx *x, int want, char *rid, size_t size)
{
	int r, count = 0;
	long len = -1;
	if (part_open(x, "xl/workbook.xml", false) < 0)
		return -1;
	while ((r = part_next(x)) > 0) {
		if (xmlTextReaderNodeType(x->rd) != XML_READER_TYPE_ELEMENT ||
		    strcmp(node_name(x), "sheet"))
			continue;
		if (++count == want)
			len = attr_get(x, "id", true, rid, size);
	}
	part_close(x);
	if (r < 0)
		return -1;
	if (want < 1 || want > count)
		return kp_fail(x->e, KP_EINPUT, "%s: 没有第 %d 个工作表（共 %d 个）",
			       x->name, want, count);
	if (len < 0 || (size_t)len >= size)
		return kp_fail(x->e, KP_EINPUT,
			       "%s: xl/workbook.xml 中第 %d 个工作表缺少有效的 r:id",
			       x->name, want);
	return 0;
}

static bool ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);
	return n >= k && !strcmp(s + n - k, suf);
}

/* Map rid to its part in xl/_rels/workbook.xml.rels, and find the shared
 * strings part there too.  1: read, 0: no such file, -1: error. */
static int read_rels(xlsx *x, const char *rid, char *sheet, char *sst)
{
	char id[256], target[XLSX_PATH_MAX], type[256], mode[32];
	bool found = false;
	int r = part_open(x, "xl/_rels/workbook.xml.rels", true);
	if (r <= 0)
		return r;
	while ((r = part_next(x)) > 0) {
		long tl;
		if (xmlTextReaderNodeType(x->rd) != XML_READER_TYPE_ELEMENT ||
		    strcmp(node_name(x), "Relationship"))
			continue;
		attr_get(x, "Id", false, id, sizeof(id));
		attr_get(x, "Type", false, type, sizeof(type));
		attr_get(x, "TargetMode", false, mode, sizeof(mode));
		tl = attr_get(x, "Target", false, target, sizeof(target));
		if (tl < 0 || (size_t)tl >= sizeof(target) ||
		    !strcmp(mode, "External"))
			continue;
		if (!found && !strcmp(id, rid)) {
			if (resolve("xl/", target, sheet, XLSX_PATH_MAX) < 0)
				continue;
			found = true;
		} else if (ends_with(type, "/sharedStrings")) {
			if (resolve("xl/", target, sst, XLSX_PATH_MAX) < 0)
				snprintf(sst, XLSX_PATH_MAX, "xl/sharedStrings.xml");
		}
	}
	part_close(x);
	if (r < 0)
		return -1;
	if (!found)
		return kp_fail(x->e, KP_EINPUT,
			       "%s: 不是有效的 XLSX 文件（xl/_rels/workbook.xml.rels 中没有工作表关系 %s）",
			       x->name, rid);
	return 1;
}

/* ---- shared strings -------------------------------------------------- */

static int end_shared(xlsx *x, size_t start)
{
	if (kp_utf8_valid_prefix(x->pool.data + start, x->pool.len - start) !=
	    x->pool.len - start)
		return kp_fail(x->e, KP_EINPUT,
			       "%s: 第 %zu 个共享字符串不是有效的 UTF-8 文本",
			       x->name, x->nstr + 1);
	if (kp_buf_addc(&x->pool, '\0') < 0)
		return fail_big(x);
	/* The table's memory stays within the cap too (<si/> is 5 bytes of
	 * XML but 9 of table). */
	if (x->pool.len > x->max ||
	    x->nstr + 1 > (x->max - x->pool.len) / sizeof(*x->off))
		return fail_big(x);
	if (x->nstr == x->cap_str) {
		x->cap_str = x->cap_str ? x->cap_str * 2 : 256;
		x->off = kp_xrealloc(x->off, x->cap_str * sizeof(*x->off));
	}
	x->off[x->nstr++] = start;
	return 0;
}

/* Read the shared-string table: each <si> is the text of its <t>
 * elements, rich-text runs concatenated, phonetic runs (<rPh>) left out. */
static int read_shared(xlsx *x, const char *path)
{
	bool in_si = false, in_t = false;
	int rph = 0, r, rc = -1;
	size_t start = 0;

	r = part_open(x, path, true);
	if (r <= 0) {
		rc = r;
		goto out;
	}
	while ((r = part_next(x)) > 0) {
		int type = xmlTextReaderNodeType(x->rd);
		const char *tag;
		if (node_is_text(type)) {
			if (in_si && in_t && !rph && add_text(x, &x->pool) < 0)
				goto out;
			continue;
		}
		if (type != XML_READER_TYPE_ELEMENT &&
		    type != XML_READER_TYPE_END_ELEMENT)
			continue;
		tag = node_name(x);
		if (type == XML_READER_TYPE_ELEMENT) {
			bool empty = xmlTextReaderIsEmptyElement(x->rd) == 1;
			if (!strcmp(tag, "si")) {
				start = x->pool.len;
				in_si = !empty;
				in_t = false;
				rph = 0;
				if (empty && end_shared(x, start) < 0)
					goto out;
			} else if (in_si && !empty && !strcmp(tag, "t")) {
				in_t = true;
			} else if (in_si && !empty && !strcmp(tag, "rPh")) {
				rph++;
			}
		} else if (!strcmp(tag, "si") && in_si) {
			in_si = false;
			if (end_shared(x, start) < 0)
				goto out;
		} else if (!strcmp(tag, "t")) {
			in_t = false;
		} else if (!strcmp(tag, "rPh") && rph > 0) {
			rph--;
		}
	}
	if (r < 0)
		goto out;
	rc = 1;
out:
	part_close(x);
	return rc;
}

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
	long len = attr_get(x, "r", false, buf, sizeof(buf));
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
	len = attr_get(x, "r", false, c->ref, sizeof(c->ref));
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
	len = attr_get(x, "t", false, t, sizeof(t));
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
static int read_worksheet(xlsx *x, const char *path)
{
	cell c;
	bool in_data = false, in_c = false, in_v = false, in_is = false;
	bool in_t = false;
	int rph = 0, r, rc = -1;
	size_t row = 0, col = 0;

	memset(&c, 0, sizeof(c));
	kp_buf_init(&c.v, x->max + 1);
	kp_buf_init(&c.is, x->max + 1);
	if (part_open(x, path, false) < 0)
		goto out;
	while ((r = part_next(x)) > 0) {
		int type = xmlTextReaderNodeType(x->rd);
		const char *tag;
		bool empty;
		if (node_is_text(type)) {
			if (in_v && add_text(x, &c.v) < 0)
				goto out;
			if (in_is && in_t && !rph && add_text(x, &c.is) < 0)
				goto out;
			continue;
		}
		if (type == XML_READER_TYPE_END_ELEMENT) {
			tag = node_name(x);
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
		tag = node_name(x);
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
		r = part_next(x);
	if (r < 0)
		goto out;
	rc = 0;
out:
	part_close(x);
	kp_buf_release(&c.v);
	kp_buf_release(&c.is);
	return rc;
}

/* ---- the reader ------------------------------------------------------ */

int kp_sheet_read_xlsx(kp_sheet *s, const char *name, const char *data,
		       size_t n, int index, size_t max_inflate, kp_err *e)
{
	xlsx x;
	zip_error_t zerr;
	zip_source_t *src;
	char rid[256], sheet[XLSX_PATH_MAX], sst[XLSX_PATH_MAX];
	int want = index ? index : 1, r, rc = -1;

	memset(&x, 0, sizeof(x));
	x.name = name;
	x.s = s;
	x.e = e;
	x.max = max_inflate ? max_inflate : KP_SHEET_DEFAULT_MAX * 8;
	kp_buf_init(&x.pool, x.max + 1);
	zip_error_init(&zerr);
	xmlInitParser();

	src = zip_source_buffer_create(data, n, 0, &zerr);
	if (!src) {
		kp_fail(e, KP_ENOMEM, "%s: 无法打开压缩包（内存不足）", name);
		goto out;
	}
	x.zip = zip_open_from_source(src, ZIP_RDONLY, &zerr);
	if (!x.zip) {
		zip_source_free(src);
		kp_fail(e, KP_EINPUT, "%s: 不是有效的 XLSX 文件（压缩包损坏或不完整）",
			name);
		goto out;
	}

	if (read_workbook(&x, want, rid, sizeof(rid)) < 0)
		goto out;
	snprintf(sst, sizeof(sst), "xl/sharedStrings.xml");
	r = read_rels(&x, rid, sheet, sst);
	if (r < 0)
		goto out;
	if (r == 0)   /* no relationships: the conventional name */
		snprintf(sheet, sizeof(sheet), "xl/worksheets/sheet%d.xml", want);
	if (read_shared(&x, sst) < 0)
		goto out;
	if (read_worksheet(&x, sheet) < 0)
		goto out;
	rc = 0;
out:
	part_close(&x);
	if (x.zip)
		zip_discard(x.zip);
	zip_error_fini(&zerr);
	kp_buf_release(&x.pool);
	free(x.off);
	return rc;
}
