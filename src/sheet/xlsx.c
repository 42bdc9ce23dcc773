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
#include "sheet/xlsx_int.h"

#include <stdlib.h>
#include <string.h>

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
	if (kp_xlsx_part_open(x, "xl/workbook.xml", false) < 0)
		return -1;
	while ((r = kp_xlsx_part_next(x)) > 0) {
		if (xmlTextReaderNodeType(x->rd) != XML_READER_TYPE_ELEMENT ||
		    strcmp(kp_xlsx_node_name(x), "sheet"))
			continue;
		if (++count == want)
			len = kp_xlsx_attr_get(x, "id", true, rid, size);
	}
	kp_xlsx_part_close(x);
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
	int r = kp_xlsx_part_open(x, "xl/_rels/workbook.xml.rels", true);
	if (r <= 0)
		return r;
	while ((r = kp_xlsx_part_next(x)) > 0) {
		long tl;
		if (xmlTextReaderNodeType(x->rd) != XML_READER_TYPE_ELEMENT ||
		    strcmp(kp_xlsx_node_name(x), "Relationship"))
			continue;
		kp_xlsx_attr_get(x, "Id", false, id, sizeof(id));
		kp_xlsx_attr_get(x, "Type", false, type, sizeof(type));
		kp_xlsx_attr_get(x, "TargetMode", false, mode, sizeof(mode));
		tl = kp_xlsx_attr_get(x, "Target", false, target, sizeof(target));
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
	kp_xlsx_part_close(x);
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
		return kp_xlsx_fail_big(x);
	/* The table's memory stays within the cap too (<si/> is 5 bytes of
	 * XML but 9 of table). */
	if (x->pool.len > x->max ||
	    x->nstr + 1 > (x->max - x->pool.len) / sizeof(*x->off))
		return kp_xlsx_fail_big(x);
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

	r = kp_xlsx_part_open(x, path, true);
	if (r <= 0) {
		rc = r;
		goto out;
	}
	while ((r = kp_xlsx_part_next(x)) > 0) {
		int type = xmlTextReaderNodeType(x->rd);
		const char *tag;
		if (kp_xlsx_node_is_text(type)) {
			if (in_si && in_t && !rph && kp_xlsx_add_text(x, &x->pool) < 0)
				goto out;
			continue;
		}
		if (type != XML_READER_TYPE_ELEMENT &&
		    type != XML_READER_TYPE_END_ELEMENT)
			continue;
		tag = kp_xlsx_node_name(x);
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
	kp_xlsx_part_close(x);
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
	if (kp_xlsx_read_worksheet(&x, sheet) < 0)
		goto out;
	rc = 0;
out:
	kp_xlsx_part_close(&x);
	if (x.zip)
		zip_discard(x.zip);
	zip_error_fini(&zerr);
	kp_buf_release(&x.pool);
	free(x.off);
	return rc;
}
