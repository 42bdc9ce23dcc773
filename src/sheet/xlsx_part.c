/* sheet/xlsx_part.c — one part of an XLSX zip, streamed through
 * libxml2's reader under the inflate cap; errors.  See xlsx_int.h. */
#include "sheet/xlsx_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- errors ---------------------------------------------------------- */

int kp_xlsx_fail_big(xlsx *x)
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
int kp_xlsx_fail_zip(xlsx *x, const char *path, int code)
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

void kp_xlsx_part_close(xlsx *x)
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
int kp_xlsx_part_open(xlsx *x, const char *path, bool optional)
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
		return kp_xlsx_fail_zip(x, path, zip_error_code_zip(zip_get_error(x->zip)));
	if ((st.valid & ZIP_STAT_SIZE) && st.size > x->max - x->used)
		return kp_xlsx_fail_big(x);
	x->zf = zip_fopen_index(x->zip, (zip_uint64_t)i, 0);
	if (!x->zf)
		return kp_xlsx_fail_zip(x, path, zip_error_code_zip(zip_get_error(x->zip)));
	x->part = path;
	x->too_big = x->zip_bad = false;
	x->xml_msg[0] = '\0';
	x->xml_line = x->xml_code = 0;
	x->rd = xmlReaderForIO(part_read, NULL, x, path, NULL,
			       XML_PARSE_NONET | XML_PARSE_NOERROR |
				       XML_PARSE_NOWARNING);
	if (!x->rd) {
		if (x->too_big)
			return kp_xlsx_fail_big(x);
		if (x->zip_bad)
			return kp_xlsx_fail_zip(x, path, ZIP_ER_INCONS);
		return kp_fail(x->e, KP_EINPUT, "%s: 无法读取 %s", x->name, path);
	}
	xmlTextReaderSetStructuredErrorHandler(x->rd, xml_error, x);
	return 1;
}

/* Advance to the next node: 1, 0 at the end of the part, -1 on error. */
int kp_xlsx_part_next(xlsx *x)
{
	int r = xmlTextReaderRead(x->rd);
	if (x->too_big)
		return kp_xlsx_fail_big(x);
	if (x->zip_bad)
		return kp_xlsx_fail_zip(x, x->part,
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

const char *kp_xlsx_node_name(xlsx *x)
{
	const xmlChar *n = xmlTextReaderConstLocalName(x->rd);
	return n ? (const char *)n : "";
}

bool kp_xlsx_node_is_text(int type)
{
	return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
	       type == XML_READER_TYPE_WHITESPACE ||
	       type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/* Append the current text node to b. */
int kp_xlsx_add_text(xlsx *x, kp_buf *b)
{
	const xmlChar *v = xmlTextReaderConstValue(x->rd);
	if (v && kp_buf_adds(b, (const char *)v) < 0)
		return kp_xlsx_fail_big(x);
	return 0;
}

/* Copy the value of attribute `local` of the current element into
 * buf[0..size).  ns: the attribute has a namespace prefix (r:id) or has
 * none (r, t, Id).  Returns the value's length (>= size: cut, so treat it
 * as invalid) or -1 when the element has no such attribute. */
long kp_xlsx_attr_get(xlsx *x, const char *local, bool ns, char *buf,
		     size_t size)
{
	long len = -1;
	buf[0] = '\0';
	while (xmlTextReaderMoveToNextAttribute(x->rd) == 1) {
		const xmlChar *uri = xmlTextReaderConstNamespaceUri(x->rd);
		const xmlChar *v;
		if (strcmp(kp_xlsx_node_name(x), local) || (uri != NULL) != ns ||
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
