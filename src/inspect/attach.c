/*
 * inspect/attach.c — the text of an attached document, for the content
 * checks (content.pii, content.wording, content.typo).
 *
 * Offices publish name lists, notices and forms as attachments; a list
 * of applicants with their ID numbers is more often in a .xlsx or a .pdf
 * than in a page.  The crawler fetches an attachment on the site's own
 * hosts whose path ends in .docx, .xlsx or .pdf (or whose Content-Type
 * names one of them) with GET, at most o->attach_max bytes, and a parser
 * thread reads its text here:
 *  - .docx (OOXML): word/document.xml, every w:t run, a line break at
 *    each paragraph's end;
 *  - .xlsx: xl/sharedStrings.xml (each string), then every
 *    xl/worksheets/sheet*.xml (inline strings and the values of cells
 *    that are not shared strings: a mobile number typed as a number),
 *    one cell a line;
 *  - .pdf: poppler-utils' pdftotext as a child process (see pdf_text);
 * and what the attachment is comes from its first bytes ("PK", "%PDF-"),
 * not from its name.
 *
 * Hostile input is expected.  A zip of more than ATTACH_ENTRIES entries
 * is not read; what is inflated is counted against ATTACH_INFLATE in all
 * (a zip bomb stops there, whatever its directory claims); the XML is
 * read with a streaming reader without entities or the network; the
 * text kept is at most ATTACH_TEXT bytes.  pdftotext runs with a time
 * limit, a CPU and memory limit and an output cap, and is killed past
 * them.  The old binary formats (.doc, .xls, .wps) are not read: no
 * Debian library reads their text cleanly enough to trust its numbers
 * (docs/inspect.md).
 */
#define _GNU_SOURCE /* memmem */
#include "inspect/inspect_int.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libxml/xmlreader.h>
#include <zip.h>

#define ATTACH_ENTRIES 10000
#define ATTACH_INFLATE ((size_t)256 << 20)   /* bytes inflated, all parts */
#define ATTACH_TEXT ((size_t)16 << 20)       /* text kept */
#define ATTACH_SHEETS 64
#define PDF_SECONDS 20

/* ---- OOXML ------------------------------------------------------------ */

typedef struct part {
	zip_file_t *zf;
	size_t *inflated;     /* shared by the document's parts */
	bool over;
} part;

static int part_read(void *ctx, char *buf, int len)
{
	part *p = ctx;
	if (len <= 0)
		return 0;
	zip_int64_t n = zip_fread(p->zf, buf, (zip_uint64_t)len);
	if (n < 0)
		return -1;
	if ((size_t)n > ATTACH_INFLATE - *p->inflated) {
		p->over = true;
		return -1;
	}
	*p->inflated += (size_t)n;
	return (int)n;
}

static int part_close(void *ctx)
{
	(void)ctx;
	return 0;
}

/* The local name of the reader's node ("t" for "w:t"). */
static const char *local(xmlTextReaderPtr rd)
{
	const xmlChar *n = xmlTextReaderConstLocalName(rd);
	return n ? (const char *)n : "";
}

static void text_add(kp_buf *t, const char *s)
{
	size_t n = strlen(s);
	if (t->len + n + 1 <= ATTACH_TEXT)
		kp_buf_add(t, s, n);
}

/* Append the text of part `name` of z to t: the text of elements named
 * `run` (docx: t; xlsx: t, and v in a cell whose t attribute is not
 * "s"), a line break after each element named `brk`.  0, or -1 with
 * *why when the part is there and cannot be read. */
static int read_part(zip_t *z, const char *name, bool sheet, size_t *inflated,
		     kp_buf *t, const char **why)
{
	zip_int64_t i = zip_name_locate(z, name, 0);
	if (i < 0)
		return 0;
	part p = { zip_fopen_index(z, (zip_uint64_t)i, 0), inflated, false };
	if (!p.zf) {
		*why = "压缩包中的文件无法解压";
		return -1;
	}
	xmlTextReaderPtr rd = xmlReaderForIO(part_read, part_close, &p, name, NULL,
					     XML_PARSE_NONET | XML_PARSE_NOERROR |
					     XML_PARSE_NOWARNING);
	int r = -1, in_run = 0;
	bool shared_cell = false;
	if (rd) {
		while ((r = xmlTextReaderRead(rd)) == 1) {
			int type = xmlTextReaderNodeType(rd);
			const char *nm = local(rd);
			if (type == XML_READER_TYPE_ELEMENT) {
				bool empty = xmlTextReaderIsEmptyElement(rd) == 1;
				if (sheet && !strcmp(nm, "c")) {
					xmlChar *ty = xmlTextReaderGetAttribute(rd, BAD_CAST "t");
					shared_cell = ty && !strcmp((const char *)ty, "s");
					xmlFree(ty);
				} else if (!empty && (!strcmp(nm, "t") ||
						      (sheet && !strcmp(nm, "v") && !shared_cell))) {
					in_run++;
				} else if (!sheet && (!strcmp(nm, "tab") || !strcmp(nm, "br"))) {
					text_add(t, " ");
				}
			} else if (type == XML_READER_TYPE_END_ELEMENT) {
				if (in_run && (!strcmp(nm, "t") || !strcmp(nm, "v")))
					in_run--;
				else if (!strcmp(nm, sheet ? "c" : "p") || !strcmp(nm, "si"))
					text_add(t, "\n");
			} else if (in_run && (type == XML_READER_TYPE_TEXT ||
					      type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
					      type == XML_READER_TYPE_CDATA)) {
				const xmlChar *v = xmlTextReaderConstValue(rd);
				if (v)
					text_add(t, (const char *)v);
			}
		}
		xmlFreeTextReader(rd);
	}
	zip_fclose(p.zf);
	if (p.over) {
		*why = "解压后超过大小上限（疑似压缩炸弹），未读取";
		return -1;
	}
	if (r < 0) {
		*why = "文档中的 XML 无法解析";
		return -1;
	}
	return 0;
}

static int ooxml_text(const char *body, size_t n, kp_buf *t, const char **why)
{
	zip_error_t zerr;
	zip_error_init(&zerr);
	zip_source_t *src = zip_source_buffer_create(body, n, 0, &zerr);
	zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &zerr) : NULL;
	size_t inflated = 0;
	int rc = -1;
	zip_error_fini(&zerr);
	if (!z) {
		if (src)
			zip_source_free(src);
		*why = "不是有效的压缩包（文件损坏或不完整）";
		return -1;
	}
	zip_int64_t ne = zip_get_num_entries(z, 0);
	if (ne < 0 || ne > ATTACH_ENTRIES) {
		*why = "压缩包中的文件过多（疑似压缩炸弹），未读取";
		goto out;
	}
	xmlInitParser();
	if (zip_name_locate(z, "word/document.xml", 0) >= 0) {
		rc = read_part(z, "word/document.xml", false, &inflated, t, why);
		goto out;
	}
	if (zip_name_locate(z, "xl/workbook.xml", 0) < 0) {
		*why = "不是 Word（.docx）或 Excel（.xlsx）文档";
		goto out;
	}
	if (read_part(z, "xl/sharedStrings.xml", false, &inflated, t, why) < 0)
		goto out;
	rc = 0;
	for (int s = 1; s <= ATTACH_SHEETS && rc == 0; s++) {
		char name[64];
		snprintf(name, sizeof(name), "xl/worksheets/sheet%d.xml", s);
		if (zip_name_locate(z, name, 0) < 0)
			break;
		rc = read_part(z, name, true, &inflated, t, why);
	}
out:
	zip_discard(z);
	return rc;
}

/* ---- PDF: pdftotext ---------------------------------------------------
 * Poppler's library would read a PDF in our own process, among the
 * crawl's threads; a PDF is the input most likely to be hostile or
 * broken, and a parser bug or a pathological file would take the whole
 * inspection with it.  pdftotext (poppler-utils) reads it in a child
 * process with limits (time, CPU, memory, output) that end it cleanly.
 * The cost, a process per PDF, is small beside fetching the file. */

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Write all of p[0..n) to fd. */
static bool write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

static int pdf_text(const char *body, size_t n, kp_buf *t, const char **why)
{
	const char *tmp = getenv("TMPDIR");
	char path[4096];
	int out[2], rc = -1;
	snprintf(path, sizeof(path), "%s/kaoping-pdf-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0) {
		*why = "无法写临时文件";
		return -1;
	}
	bool ok = write_all(fd, body, n);
	close(fd);
	if (!ok || pipe2(out, O_CLOEXEC) < 0) {
		unlink(path);
		*why = "无法写临时文件";
		return -1;
	}
	pid_t pid = fork();
	if (pid == 0) {
		/* the child: only async-signal-safe calls until exec */
		struct rlimit cpu = { PDF_SECONDS, PDF_SECONDS };
		struct rlimit mem = { (rlim_t)1 << 30, (rlim_t)1 << 30 };
		setrlimit(RLIMIT_CPU, &cpu);
		setrlimit(RLIMIT_AS, &mem);
		dup2(out[1], 1);
		int nul = open("/dev/null", O_RDWR);
		if (nul >= 0) {
			dup2(nul, 0);
			dup2(nul, 2);
		}
		execlp("pdftotext", "pdftotext", "-q", "-enc", "UTF-8", "-nopgbrk",
		       path, "-", (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	if (pid < 0) {
		close(out[0]);
		unlink(path);
		*why = "无法启动 pdftotext";
		return -1;
	}
	double end = mono() + PDF_SECONDS;
	bool over = false, late = false;
	char buf[65536];
	for (;;) {
		double left = end - mono();
		if (left <= 0) {
			late = true;
			break;
		}
		struct pollfd pf = { out[0], POLLIN, 0 };
		int pr = poll(&pf, 1, (int)(left * 1000) + 1);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			continue;   /* the time is checked again */
		ssize_t r = read(out[0], buf, sizeof(buf));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (t->len + (size_t)r + 1 > ATTACH_TEXT) {
			over = true;
			break;
		}
		kp_buf_add(t, buf, (size_t)r);
	}
	close(out[0]);
	if (late || over)
		kill(pid, SIGKILL);
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	unlink(path);
	if (late)
		*why = "pdftotext 超时，未读完";
	else if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		*why = "没有安装 pdftotext（poppler-utils），PDF 附件未读取";
	else if (!over && !(WIFEXITED(st) && WEXITSTATUS(st) == 0))
		*why = "PDF 无法读取（文件损坏或加密）";
	else
		rc = 0;   /* over the text cap: what was read is checked */
	return rc;
}

/* ---- which ------------------------------------------------------------ */

int kp_inspect_attach_kind(const char *url, const char *ctype)
{
	if (ctype) {
		if (strstr(ctype, "application/pdf"))
			return KP_INSPECT_ATTACH_PDF;
		if (strstr(ctype, "officedocument.wordprocessingml") ||
		    strstr(ctype, "officedocument.spreadsheetml"))
			return KP_INSPECT_ATTACH_OOXML;
	}
	if (!url)
		return 0;
	size_t n = strcspn(url, "?#");
	static const struct { const char *ext; int kind; } exts[] = {
		{ ".pdf", KP_INSPECT_ATTACH_PDF },
		{ ".docx", KP_INSPECT_ATTACH_OOXML },
		{ ".xlsx", KP_INSPECT_ATTACH_OOXML },
	};
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		size_t el = strlen(exts[i].ext);
		if (n > el && !strncasecmp(url + n - el, exts[i].ext, el))
			return exts[i].kind;
	}
	return 0;
}

/* Runs of white space in t[from..) as one space, as in a page's text:
 * cells, lines and paragraphs apart, and a snippet on one line. */
static void squeeze(kp_buf *t, size_t from)
{
	size_t o = from;
	bool space = from > 0 && t->data[from - 1] == ' ';
	for (size_t i = from; i < t->len; i++) {
		char c = t->data[i];
		bool ws = c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' ||
			  c == '\v';
		if (ws && space)
			continue;
		t->data[o++] = ws ? ' ' : c;
		space = ws;
	}
	t->len = o;
	if (t->data)
		t->data[o] = '\0';
}

int kp_inspect_attach_text(const char *body, size_t n, kp_buf *text, const char **why)
{
	size_t from = text->len;
	int rc = -1;
	*why = NULL;
	if (n >= 4 && !memcmp(body, "PK\3\4", 4))
		rc = ooxml_text(body, n, text, why);
	/* a PDF: its header, and an object in it (not a page saying so) */
	else if (n >= 8 && !memcmp(body, "%PDF-", 5) && memmem(body, n, "endobj", 6))
		rc = pdf_text(body, n, text, why);
	else
		*why = "不是 PDF、Word（.docx）或 Excel（.xlsx）文件";
	squeeze(text, from);
	return rc;
}

/* ---- in the result ---------------------------------------------------- */

void kp_inspect_attach_result(const kp_inspect_crawl *c, kp_inspect_result *r)
{
	for (size_t i = 0; i < c->nattach; i++) {
		const kp_inspect_attach *a = &c->attach[i];
		if (!a->why) {
			r->attach_read++;
			continue;
		}
		if (r->nattach_unread >= 100)
			continue;
		r->attach_unread = kp_xrealloc(r->attach_unread, (r->nattach_unread + 1) *
								 sizeof(*r->attach_unread));
		r->attach_unread[r->nattach_unread++] = (struct kp_inspect_attach_unread){
			kp_xstrdup(c->urls[a->id].url), a->why
		};
	}
}

void kp_inspect_attach_json(const kp_inspect_result *r, json_t *j)
{
	json_t *o = json_object(), *nr = json_array();
	json_object_set_new(o, "read", json_integer((json_int_t)r->attach_read));
	for (size_t i = 0; i < r->nattach_unread; i++)
		json_array_append_new(nr, json_pack("{s:s, s:s}", "url", r->attach_unread[i].url,
						    "why", r->attach_unread[i].why));
	json_object_set_new(o, "not_read", nr);
	json_object_set_new(j, "attachments", o);
}
