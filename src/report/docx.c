/* report/docx.c — a kp_rep_doc as a Word document (OOXML) that offices
 * edit in Word or WPS: 仿宋_GB2312 for the text and 黑体 for titles and
 * heads (the official-document convention), A4 (landscape when a table
 * asks), page numbers in the footer, table heads repeated on each page,
 * merged cells as gridSpan/vMerge.  The parts are written with libzip
 * from XML this file escapes itself (report.h: kp_rep_write_docx). */
#include "report/report_int.h"

#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* A run of text in font (east Asian) at size half-points; newlines
 * become line breaks. */
static void run(kp_buf *b, const char *text, const char *font, int half_pts,
		bool bold)
{
	const char *p = text ? text : "";
	kp_buf_addf(b, "<w:r><w:rPr><w:rFonts w:ascii=\"Times New Roman\" "
		       "w:hAnsi=\"Times New Roman\" w:eastAsia=\"%s\"/>%s"
		       "<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/></w:rPr>",
		    font, bold ? "<w:b/>" : "", half_pts, half_pts);
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *piece = kp_xstrndup(p, n);
		kp_buf_adds(b, "<w:t xml:space=\"preserve\">");
		kp_rep_xml_esc(b, piece);
		kp_buf_adds(b, "</w:t>");
		free(piece);
		if (!nl)
			break;
		kp_buf_adds(b, "<w:br/>");
		p = nl + 1;
	}
	kp_buf_adds(b, "</w:r>");
}

/* A paragraph: jc "center", "right", "left" or "both"; indent: the
 * first line indented two characters. */
static void para(kp_buf *b, const char *text, const char *jc, bool indent,
		 const char *font, int half_pts, bool bold)
{
	kp_buf_addf(b, "<w:p><w:pPr><w:spacing w:line=\"560\" w:lineRule=\"exact\"/>"
		       "%s<w:jc w:val=\"%s\"/></w:pPr>",
		    indent ? "<w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/>" : "",
		    jc);
	run(b, text, font, half_pts, bold);
	kp_buf_adds(b, "</w:p>");
}

static void cell_para(kp_buf *b, const kp_rep_cell *c, bool head)
{
	bool num = c->kind == KP_REP_NUM || c->kind == KP_REP_INT ||
		   c->kind == KP_REP_PCT;
	kp_buf_addf(b, "<w:p><w:pPr><w:jc w:val=\"%s\"/></w:pPr>",
		    head ? "center" : num ? "right" : "left");
	if (c->text)
		run(b, c->text, head || c->bold ? "黑体" : "仿宋_GB2312", 21,
		    false);
	kp_buf_adds(b, "</w:p>");
}

/* Which merge covers (r, c): its index, or -1. */
static long merge_at(const kp_rep_table *t, size_t r, size_t c)
{
	for (size_t m = 0; m < t->nmerges; m++) {
		const kp_rep_merge *g = &t->merges[m];
		if (r >= g->r0 && r <= g->r1 && c >= g->c0 && c <= g->c1 &&
		    g->r1 < t->nrows && g->c1 < t->ncols)
			return (long)m;
	}
	return -1;
}

static void table(kp_buf *b, const kp_rep_table *t)
{
	double total = 0;
	int span = t->landscape ? 14000 : 9000;   /* twips across */
	for (size_t c = 0; c < t->ncols; c++)
		total += t->width[c];
	para(b, t->title, "center", false, "黑体", 32, false);
	if (*t->subtitle)
		para(b, t->subtitle, "left", false, "仿宋_GB2312", 24, false);
	kp_buf_adds(b, "<w:tbl><w:tblPr><w:tblW w:w=\"5000\" w:type=\"pct\"/>"
		       "<w:tblBorders>");
	for (const char *const *s = (const char *const[]){ "top", "left", "bottom",
				      "right", "insideH", "insideV", NULL };
	     *s; s++)
		kp_buf_addf(b, "<w:%s w:val=\"single\" w:sz=\"4\" w:space=\"0\" "
			       "w:color=\"000000\"/>", *s);
	kp_buf_adds(b, "</w:tblBorders><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>");
	for (size_t c = 0; c < t->ncols; c++)
		kp_buf_addf(b, "<w:gridCol w:w=\"%d\"/>",
			    (int)(span * t->width[c] / (total > 0 ? total : 1)));
	kp_buf_adds(b, "</w:tblGrid><w:tr><w:trPr><w:tblHeader/></w:trPr>");
	for (size_t c = 0; c < t->ncols; c++) {
		kp_rep_cell h = { KP_REP_TEXT, t->head[c], 0, true };
		kp_buf_adds(b, "<w:tc><w:tcPr><w:shd w:val=\"clear\" w:color=\"auto\" "
			       "w:fill=\"D9D9D9\"/></w:tcPr>");
		cell_para(b, &h, true);
		kp_buf_adds(b, "</w:tc>");
	}
	kp_buf_adds(b, "</w:tr>");
	for (size_t r = 0; r < t->nrows; r++) {
		kp_buf_adds(b, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
		for (size_t c = 0; c < t->ncols; c++) {
			long m = merge_at(t, r, c);
			const kp_rep_merge *g = m >= 0 ? &t->merges[m] : NULL;
			if (g && c != g->c0)
				continue;   /* inside a gridSpan */
			kp_buf_adds(b, "<w:tc><w:tcPr>");
			if (g && g->c1 > g->c0)
				kp_buf_addf(b, "<w:gridSpan w:val=\"%zu\"/>",
					    g->c1 - g->c0 + 1);
			if (g && g->r1 > g->r0)
				kp_buf_adds(b, r == g->r0 ? "<w:vMerge w:val=\"restart\"/>"
							  : "<w:vMerge/>");
			kp_buf_adds(b, "<w:vAlign w:val=\"center\"/></w:tcPr>");
			if (g && r != g->r0)
				kp_buf_adds(b, "<w:p/>");
			else
				cell_para(b, &t->cells[r * t->ncols + c], false);
			kp_buf_adds(b, "</w:tc>");
		}
		kp_buf_adds(b, "</w:tr>");
	}
	kp_buf_adds(b, "</w:tbl>");
	for (size_t k = 0; k < t->nfoot; k++)
		para(b, t->foot[k], "left", false, "仿宋_GB2312", 24, false);
}

/* The section properties: A4, portrait or landscape, margins of the
 * official-document standard (top 37 mm, bottom 35 mm, left 28 mm, right
 * 26 mm), the footer with the page number. */
static void section(kp_buf *b, bool landscape, bool last)
{
	if (!last)
		kp_buf_adds(b, "<w:p><w:pPr>");
	kp_buf_addf(b, "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>"
		       "<w:pgSz w:w=\"%d\" w:h=\"%d\"%s/>"
		       "<w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" "
		       "w:left=\"1588\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/>"
		       "</w:sectPr>",
		    landscape ? 16838 : 11906, landscape ? 11906 : 16838,
		    landscape ? " w:orient=\"landscape\"" : "");
	if (!last)
		kp_buf_adds(b, "</w:pPr></w:p>");
}

/* Chart i: its title, then its PNG (word/media/chart<i+1>.png,
 * relationship rIdChart<i+1>) inline, 16 cm wide, centred. */
static void chart(kp_buf *b, const kp_rep_chart *c, size_t i)
{
	const long cx = 5760000, cy = cx * KP_REP_CHART_H / KP_REP_CHART_W;
	para(b, c->title, "center", false, "黑体", 28, true);
	kp_buf_addf(b, "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:drawing>"
		       "<wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">"
		       "<wp:extent cx=\"%ld\" cy=\"%ld\"/>"
		       "<wp:docPr id=\"%zu\" name=\"图表%zu\" descr=\"",
		    cx, cy, i + 1, i + 1);
	kp_rep_xml_esc(b, c->title);
	kp_buf_addf(b, "\"/><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">"
		       "<pic:pic><pic:nvPicPr><pic:cNvPr id=\"%zu\" name=\"chart%zu.png\"/><pic:cNvPicPr/></pic:nvPicPr>"
		       "<pic:blipFill><a:blip r:embed=\"rIdChart%zu\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
		       "<pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"%ld\" cy=\"%ld\"/></a:xfrm>"
		       "<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>"
		       "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>",
		    i + 1, i + 1, i + 1, cx, cy);
}

static void document(kp_buf *b, const kp_rep_doc *d)
{
	static const struct { const char *jc, *font; int size; bool indent; } ps[] = {
		[KP_REP_P_TITLE] = { "center", "黑体", 44, false },
		[KP_REP_P_HEAD] = { "left", "黑体", 32, true },
		[KP_REP_P_BODY] = { "both", "仿宋_GB2312", 32, true },
		[KP_REP_P_PLAIN] = { "left", "仿宋_GB2312", 32, false },
		[KP_REP_P_RIGHT] = { "right", "仿宋_GB2312", 32, false },
	};
	kp_buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		       "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
		       "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" "
		       "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" "
		       "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
		       "xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">"
		       "<w:body>");
	for (size_t i = 0; i < d->nparas; i++)
		para(b, d->paras[i].text, ps[d->paras[i].kind].jc,
		     ps[d->paras[i].kind].indent, ps[d->paras[i].kind].font,
		     ps[d->paras[i].kind].size, false);
	if (d->nparas && d->n)
		section(b, false, false);
	for (size_t i = 0; i < d->n; i++) {
		table(b, &d->v[i]);
		/* each table its own section: a page of its own, in its
		 * orientation */
		section(b, d->v[i].landscape, i + 1 == d->n && !d->ncharts);
	}
	for (size_t i = 0; i < d->ncharts; i++)
		chart(b, &d->charts[i], i);
	if (!d->n || d->ncharts)
		section(b, false, true);
	kp_buf_adds(b, "</w:body></w:document>");
}

static const char content_types[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	"<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	"<Default Extension=\"png\" ContentType=\"image/png\"/>"
	"<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
	"<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>"
	"<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
	"</Types>";

static const char root_rels[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
	"</Relationships>";

/* word/_rels/document.xml.rels: the footer and each chart's image. */
static void doc_rels(kp_buf *b, size_t ncharts)
{
	kp_buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		       "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		       "<Relationship Id=\"rIdFooter\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>");
	for (size_t i = 0; i < ncharts; i++)
		kp_buf_addf(b, "<Relationship Id=\"rIdChart%zu\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/chart%zu.png\"/>",
			    i + 1, i + 1);
	kp_buf_adds(b, "</Relationships>");
}

/* The footer: "— 3 —", the page number as official documents print it. */
static const char footer_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
	"<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>"
	"<w:r><w:rPr><w:sz w:val=\"28\"/></w:rPr><w:t xml:space=\"preserve\">— </w:t></w:r>"
	"<w:r><w:rPr><w:sz w:val=\"28\"/></w:rPr><w:fldChar w:fldCharType=\"begin\"/></w:r>"
	"<w:r><w:rPr><w:sz w:val=\"28\"/></w:rPr><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
	"<w:r><w:rPr><w:sz w:val=\"28\"/></w:rPr><w:fldChar w:fldCharType=\"separate\"/></w:r>"
	"<w:r><w:rPr><w:sz w:val=\"28\"/></w:rPr><w:t>1</w:t></w:r>"
	"<w:r><w:rPr><w:sz w:val=\"28\"/></w:rPr><w:fldChar w:fldCharType=\"end\"/></w:r>"
	"<w:r><w:rPr><w:sz w:val=\"28\"/></w:rPr><w:t xml:space=\"preserve\"> —</w:t></w:r>"
	"</w:p></w:ftr>";

/* Add data[0..n) (copied into the archive's keeping) as name. */
static int add(zip_t *z, const char *name, const char *data, size_t n)
{
	char *copy = kp_xmalloc(n ? n : 1);
	zip_source_t *src;
	memcpy(copy, data, n);
	src = zip_source_buffer(z, copy, n, 1);
	if (!src) {
		free(copy);
		return -1;
	}
	if (zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8) < 0) {
		zip_source_free(src);
		return -1;
	}
	return 0;
}

int kp_rep_write_docx(const kp_rep_doc *d, const char *tmp, const char *path,
		      kp_err *e)
{
	kp_buf doc = KP_BUF_INIT, core = KP_BUF_INIT, rels = KP_BUF_INIT;
	int err = 0;
	zip_t *z = zip_open(tmp, ZIP_CREATE | ZIP_TRUNCATE, &err);
	int rc = -1;
	if (!z)
		return kp_fail(e, KP_EIO, "%s: 无法创建 DOCX 文件", path);
	kp_buf_init(&doc, (size_t)1 << 30);
	document(&doc, d);
	kp_buf_adds(&core, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
			   "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
			   "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>");
	kp_rep_xml_esc(&core, d->title);
	kp_buf_adds(&core, "</dc:title><dc:creator>kaoping</dc:creator></cp:coreProperties>");
	if (doc.len > doc.max) {
		kp_fail(e, KP_ETOOBIG, "%s: 文档太大", path);
		zip_discard(z);
		goto out;
	}
	doc_rels(&rels, d->ncharts);
	for (size_t i = 0; i < d->ncharts; i++) {
		kp_buf png = KP_BUF_INIT;
		char name[48];
		int bad;
		if (kp_rep_chart_png(&d->charts[i], &png, e) < 0) {
			kp_buf_release(&png);
			zip_discard(z);
			goto out;
		}
		snprintf(name, sizeof(name), "word/media/chart%zu.png", i + 1);
		bad = add(z, name, png.data, png.len) < 0;
		kp_buf_release(&png);
		if (bad) {
			kp_fail(e, KP_EIO, "%s: 写入 DOCX 失败：%s", path,
				zip_strerror(z));
			zip_discard(z);
			goto out;
		}
	}
	if (add(z, "[Content_Types].xml", content_types, strlen(content_types)) < 0 ||
	    add(z, "_rels/.rels", root_rels, strlen(root_rels)) < 0 ||
	    add(z, "word/_rels/document.xml.rels", rels.data, rels.len) < 0 ||
	    add(z, "word/footer1.xml", footer_xml, strlen(footer_xml)) < 0 ||
	    add(z, "docProps/core.xml", core.data, core.len) < 0 ||
	    add(z, "word/document.xml", doc.data, doc.len) < 0) {
		kp_fail(e, KP_EIO, "%s: 写入 DOCX 失败：%s", path, zip_strerror(z));
		zip_discard(z);
		goto out;
	}
	if (zip_close(z) < 0) {
		kp_fail(e, KP_EIO, "%s: 写入 DOCX 失败：%s", path, zip_strerror(z));
		zip_discard(z);
		goto out;
	}
	rc = 0;
out:
	kp_buf_release(&doc);
	kp_buf_release(&core);
	kp_buf_release(&rels);
	return rc;
}
