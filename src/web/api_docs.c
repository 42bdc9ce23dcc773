/* web — the reports' documents as downloads (docs/api.md, “文档下载”):
 * the same builders `kaoping report` uses (src/report), written through
 * report's atomic writer to a file of the request's own in the data
 * directory, which is unlinked as soon as it is open: the answer streams
 * from the open file, and nothing is left behind, whatever happens.
 *
 *	GET /api/rounds/{round}/documents/{doc}            办公室、考核人员
 *	    rank.EXT      排名（按单位类型分组，未完成的单列）
 *	    sheets.EXT    全部单位的考评表
 *	    bulletin.EXT  通报（草稿）
 *	    rectify.EXT   全部失分单位的整改清单
 *	GET /api/rounds/{round}/units/{unit}/documents/{doc}   含单位用户（本单位）
 *	    sheet.EXT     该单位的考评表
 *	    rectify.EXT   该单位的整改清单
 *
 * EXT is xlsx, csv, html, docx or pdf. */
#include "web/pages_int.h"
#include "report/report.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct doc_type {
	const char *ext, *mime;
} doc_types[] = {
	{ "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
	{ "csv", "text/csv; charset=utf-8" },
	{ "html", "text/html; charset=utf-8" },
	{ "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
	{ "pdf", "application/pdf" },
};

/* doc's kind ("rank" of "rank.xlsx") into kind[n] and its type, or NULL. */
static const struct doc_type *doc_split(const char *doc, char *kind, size_t n)
{
	const char *dot = strrchr(doc, '.');
	if (!dot || (size_t)(dot - doc) >= n)
		return NULL;
	memcpy(kind, doc, (size_t)(dot - doc));
	kind[dot - doc] = '\0';
	for (size_t i = 0; i < sizeof(doc_types) / sizeof(doc_types[0]); i++)
		if (!strcmp(dot + 1, doc_types[i].ext))
			return &doc_types[i];
	return NULL;
}

/* Build document kind of round r (unit NULL: the whole round) into d. */
static int doc_build(kp_web_req *rq, kp_rnd *r, const char *kind,
		     const char *unit, kp_rep_doc *d, kp_err *e)
{
	const char *round = kp_web_param(&rq->params, "round");
	if (!strcmp(kind, unit ? "sheet" : "sheets"))
		return kp_rep_sheets(r, unit, d, e);
	if (!strcmp(kind, "rectify"))
		return kp_rep_rectify(r, unit, NULL, d, e);
	if (!unit && !strcmp(kind, "rank"))
		return kp_rep_ranking(rq->w->conn, round, true, d, e);
	if (!unit && !strcmp(kind, "bulletin"))
		return kp_rep_bulletin(rq->w->conn, round, NULL, d, e);
	return 1;
}

/* Write d to a file of this request's own, open it and unlink it: the
 * open file's descriptor handed to the answer, named name. */
static void doc_send(kp_web_req *rq, const kp_rep_doc *d,
		     const struct doc_type *t, const char *name)
{
	static unsigned long seq;
	kp_buf path = KP_BUF_INIT;
	struct stat st;
	kp_err e;
	int fd;
	kp_buf_addf(&path, "%s/doc-%ld-%lu.%s", rq->w->data, (long)getpid(),
		    __atomic_add_fetch(&seq, 1, __ATOMIC_RELAXED), t->ext);
	if (kp_rep_write(d, path.data, KP_REP_NONE, &e) < 0) {
		kp_web_fail(rq, &e);
		kp_buf_release(&path);
		return;
	}
	fd = open(path.data, O_RDONLY | O_CLOEXEC);
	unlink(path.data);
	kp_buf_release(&path);
	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		kp_web_error(rq, 500, "%s", "文档写出后无法读取");
		return;
	}
	rq->file = true;
	rq->file_fd = fd;
	rq->file_size = (int64_t)st.st_size;
	rq->file_name = kp_xstrdup(name);
	rq->file_type = t->mime;
}

void kp_web_document(kp_web_req *rq)
{
	const char *doc = kp_web_param(&rq->params, "doc");
	const char *unit = kp_web_param(&rq->params, "unit");
	const struct doc_type *t;
	char kind[32];
	kp_rep_doc d;
	kp_buf name = KP_BUF_INIT;
	kp_rnd *r;
	kp_err e;
	int rc;
	if (!(t = doc_split(doc, kind, sizeof(kind)))) {
		kp_web_error(rq, 404, "没有文档“%s”（扩展名应为 xlsx、csv、html、docx 或 pdf）", doc);
		return;
	}
	if (!(r = kp_web_pages_round(rq)))
		return;
	if (unit && !kp_web_pages_visible(rq, r, unit)) {
		kp_web_error(rq, 404, "轮次中没有单位“%s”", unit);
		kp_rnd_close(r);
		return;
	}
	kp_rep_doc_init(&d, NULL);
	rc = doc_build(rq, r, kind, unit, &d, &e);
	if (rc > 0)
		kp_web_error(rq, 404, "没有文档“%s”", doc);
	else if (rc < 0)
		kp_web_fail(rq, &e);
	else {
		kp_buf_addf(&name, "%s-%s%s%s", kp_web_param(&rq->params, "round"),
			    unit ? unit : "", unit ? "-" : "", doc);
		doc_send(rq, &d, t, name.data);
	}
	kp_buf_release(&name);
	kp_rep_doc_release(&d);
	kp_rnd_close(r);
}
