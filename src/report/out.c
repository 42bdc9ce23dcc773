/* report/out.c — an output being written (report.h: kp_rep_out_*), and
 * the whole-document calls made of it (kp_rep_write, kp_rep_write_each):
 * a file, committed atomically, or a directory of files, through the
 * format's writer (report_int.h, write.c). */
#include "report/report_int.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const kp_rep_writer *writer_of(kp_rep_format f)
{
	for (size_t i = 0; i < kp_rep_nwriters; i++)
		if (kp_rep_writers[i].f == f)
			return &kp_rep_writers[i];
	return NULL;
}

kp_rep_format kp_rep_format_named(const char *word)
{
	for (size_t i = 0; word && i < kp_rep_nwriters; i++)
		if (!strcasecmp(word, kp_rep_writers[i].ext))
			return kp_rep_writers[i].f;
	return KP_REP_NONE;
}

kp_rep_format kp_rep_format_of(const char *path)
{
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');
	if (!dot || (slash && dot < slash))
		return KP_REP_NONE;
	return kp_rep_format_named(dot + 1);
}

const char *kp_rep_format_ext(kp_rep_format f)
{
	const kp_rep_writer *w = writer_of(f);
	return w ? w->ext : "";
}

/* ---- a directory: a file per table ---------------------------------- */

/* A file name of its own for a table: the name with '/' and control
 * characters replaced, never "." or "..". */
static void file_name(kp_buf *b, const char *dir, const char *name,
		      size_t index, const char *ext)
{
	kp_buf_addf(b, "%s/", dir);
	if (!*name || !strcmp(name, ".") || !strcmp(name, ".."))
		kp_buf_addf(b, "表%zu", index + 1);
	for (const char *p = name; *p; p++)
		kp_buf_addc(b, *p == '/' || *p == '\\' ||
					       (unsigned char)*p < 0x20
				       ? '_'
				       : *p);
	kp_buf_addf(b, ".%s", ext);
}

/* Each table of d — consecutive tables of one name (a unit on several
 * tables) together — as dir/<name>.<ext>; *index counts the tables
 * written before (names the nameless), *nfiles the files. */
static int write_files(const kp_rep_doc *d, const char *dir, kp_rep_format f,
		       size_t *index, size_t *nfiles, kp_err *e)
{
	for (size_t i = 0; i < d->n; i++) {
		kp_rep_doc one = *d;
		kp_buf path = KP_BUF_INIT;
		size_t first = i;
		int rc;
		one.v = &d->v[i];
		one.n = 1;
		one.nparas = 0;
		one.ncharts = 0;
		while (i + 1 < d->n && !strcmp(d->v[i + 1].name, d->v[i].name)) {
			one.n++;
			i++;
		}
		file_name(&path, dir, d->v[first].name, *index + first,
			  kp_rep_format_ext(f));
		rc = kp_rep_write(&one, path.data, f, e);
		kp_buf_release(&path);
		if (rc < 0)
			return -1;
		++*nfiles;
	}
	*index += d->n;
	return 0;
}

int kp_rep_write_each(const kp_rep_doc *d, const char *dir, kp_rep_format f,
		      size_t *nfiles, kp_err *e)
{
	size_t index = 0;
	*nfiles = 0;
	if (f == KP_REP_NONE)
		f = KP_REP_XLSX;
	if (kp_dir_make(dir, e) < 0)
		return -1;
	return write_files(d, dir, f, &index, nfiles, e);
}

/* ---- an output ------------------------------------------------------- */

static void out_free(kp_rep_out *o)
{
	kp_rep_doc_release(&o->keep);
	free(o->title);
	free(o->dir);
	free(o);
}

void kp_rep_out_abort(kp_rep_out *o)
{
	if (!o)
		return;
	if (o->begun) {
		if (o->w->drop)
			o->w->drop(o);
		kp_atomic_abort(&o->a);
	}
	out_free(o);
}

int kp_rep_out_open(const char *path, bool dir, kp_rep_format f,
		    const char *title, kp_rep_out **out, kp_err *e)
{
	kp_rep_out *o;
	*out = NULL;
	if (f == KP_REP_NONE)
		f = dir ? KP_REP_XLSX : kp_rep_format_of(path);
	if (!writer_of(f))
		return kp_fail(e, KP_EINPUT,
			       "%s: 不知道写成什么格式（文件名应以 .xlsx、.csv、.html、.docx 或 .pdf 结尾）",
			       path);
	if (dir && kp_dir_make(path, e) < 0)
		return -1;
	/* Each part's document is freed before the next is built: glibc
	 * would give the top of the heap back to the kernel after every
	 * part (brk, a TLB flush on each processor) and fault it in again
	 * for the next — a fifth of a big XLSX's time.  Keep freed memory
	 * in the process, and blocks up to 32 MB on the heap. */
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	o = kp_xcalloc(1, sizeof(*o));
	o->w = writer_of(f);
	o->f = f;
	o->title = kp_xstrdup(title ? title : "");
	kp_rep_doc_init(&o->keep, title);
	if (dir) {
		o->dir = kp_xstrdup(path);
	} else {
		if (kp_atomic_begin(&o->a, path, e) < 0) {
			out_free(o);
			return -1;
		}
		o->begun = true;
		if (o->w->begin && o->w->begin(o, e) < 0) {
			kp_rep_out_abort(o);
			return -1;
		}
	}
	*out = o;
	return 0;
}

int kp_rep_out_add(kp_rep_out *o, kp_rep_doc *d, kp_err *e)
{
	size_t n = d->n;
	if (o->dir)
		return write_files(d, o->dir, o->f, &o->ntables, &o->nfiles, e);
	if (o->w->part && o->w->part(o, d, e) < 0)
		return -1;
	kp_rep_doc_move(&o->keep, d, !o->w->part);
	o->ntables += n;
	return 0;
}

/* The file's end written from doc, then renamed into place; o is freed
 * either way (aborted on failure). */
static int out_end(kp_rep_out *o, const kp_rep_doc *doc, kp_err *e)
{
	int rc;
	if (o->w->end(o, doc, e) < 0) {
		kp_rep_out_abort(o);
		return -1;
	}
	o->begun = false;
	rc = kp_atomic_commit(&o->a, e);
	out_free(o);
	return rc;
}

int kp_rep_out_close(kp_rep_out *o, size_t *n, kp_err *e)
{
	*n = o->dir ? o->nfiles : o->ntables;
	if (o->begun)
		return out_end(o, &o->keep, e);
	out_free(o);
	return 0;
}

int kp_rep_write(const kp_rep_doc *d, const char *path, kp_rep_format f,
		 kp_err *e)
{
	kp_rep_out *o;
	if (kp_rep_out_open(path, false, f, d->title, &o, e) < 0)
		return -1;
	if (o->w->part && o->w->part(o, d, e) < 0) {
		kp_rep_out_abort(o);
		return -1;
	}
	return out_end(o, d, e);
}
