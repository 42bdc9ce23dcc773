/* ledger/info_file.c — the 政务信息 ledger's own files: a directory of
 * two append-only UTF-8 CSV files, submissions.csv and adoptions.csv
 * (docs/info-ledger.md), read with base's CSV reader and every row
 * checked; written by appending, atomically.  The cells of a row as the
 * files write them (kp_info_row_cells) are also what the store keeps
 * (info_db.c). */
#include "ledger/info_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SUB_FILE "submissions.csv"
#define ADOPT_FILE "adoptions.csv"
#define LEDGER_MAX ((size_t)1 << 30)

static const char *const sub_cols[] = {
	"id", "unit", "date", "title", "category", "urgent", "request", "due",
	"false_info", "note", NULL,
};
static const char *const adopt_cols[] = {
	"id", "item", "publication", "date", "issue", "pishi", "pishi_by",
	"upstream", "note", NULL,
};

/* ---- reading the ledger's own files ------------------------------------ */

/* The whole file in one allocation (the ledger files are large and
 * read once; growing a buffer chunk by chunk would copy them again). */
static int read_whole(const char *path, kp_buf *out, kp_err *e)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t got = 0;
	if (fd < 0)
		return kp_fail(e, KP_EIO, "%s: 无法打开文件：%s", path,
			       strerror(errno));
	if (fstat(fd, &st) < 0 || (size_t)st.st_size > LEDGER_MAX) {
		close(fd);
		return kp_fail(e, KP_ETOOBIG, "%s: 无法读取或文件过大", path);
	}
	out->data = kp_xmalloc((size_t)st.st_size + 1);
	out->cap = (size_t)st.st_size + 1;
	out->max = LEDGER_MAX;
	while (got < (size_t)st.st_size) {
		ssize_t k = read(fd, out->data + got, (size_t)st.st_size - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			close(fd);
			return kp_fail(e, KP_EIO, "%s: 读取失败：%s", path,
				       k < 0 ? strerror(errno) : "文件变短了");
		}
		got += (size_t)k;
	}
	close(fd);
	out->data[got] = '\0';
	out->len = got;
	return 0;
}

int kp_info_take_sub(kp_info_ledger *l, const char *file, size_t ln,
		     char *const *f, kp_err *e)
{
	kp_info_sub *s;
	int u = kp_info_unit(l, f[1]);
	int32_t date = INFO_NODATE, due = INFO_NODATE;
	int urg = kp_info_flag_parse(f[5]), rq = kp_info_request_parse(f[6]),
	    fl = kp_info_flag_parse(f[8]);
	if (u < 0)
		return kp_fail_at(e, KP_EINPUT, file, ln,
				  "单位“%s”不在单位名录中", f[1]);
	if (*f[2] && kp_info_parse_date(f[2], false, &date) < 0)
		return kp_day_fail(e, file, ln, "报送日期", f[2]);
	if (*f[7] && kp_info_parse_date(f[7], false, &due) < 0)
		return kp_day_fail(e, file, ln, "要求时限", f[7]);
	if (!*f[2] && !*f[7])
		return kp_fail_at(e, KP_EINPUT, file, ln,
				  "报送日期和要求时限不能都为空");
	if (urg < 0 || rq < 0 || fl < 0)
		return kp_fail_at(e, KP_EINPUT, file, ln,
				  "urgent“%s”、request“%s”或 false_info“%s”无法识别",
				  f[5], f[6], f[8]);
	if ((size_t)strtoul(f[0], NULL, 10) != l->ns + 1)
		return kp_fail_at(e, KP_EINPUT, file, ln,
				  "编号应为 %zu，而不是“%s”", l->ns + 1, f[0]);
	s = kp_info_new_sub(l);
	s->unit = (uint32_t)u;
	s->line = (uint32_t)ln;
	s->date = date;
	s->due = due;
	s->urgent = (uint8_t)urg;
	s->request = (uint8_t)rq;
	s->false_info = (uint8_t)fl;
	s->title = f[3];
	s->category = f[4];
	s->note = f[9];
	kp_info_sub_norm(l, s);
	return 0;
}

int kp_info_take_adopt(kp_info_ledger *l, const char *file, size_t ln,
		       char *const *f, kp_err *e)
{
	kp_info_adopt *a;
	unsigned long item = strtoul(f[1], NULL, 10);
	int pub = kp_info_pub_find(l->r, f[2]);
	int pishi = kp_info_level_parse(f[5]), up = kp_info_flag_parse(f[7]);
	int32_t date;
	const char *why = NULL;
	if ((size_t)strtoul(f[0], NULL, 10) != l->na + 1)
		why = "编号不连续";
	else if (!item || item > l->ns)
		why = "报送编号不在 submissions.csv 中";
	else if (pub < 0)
		why = "刊物不在计分标准中";
	else if (kp_info_parse_date(f[3], false, &date) < 0)
		return kp_day_fail(e, file, ln, "采用日期", f[3]);
	else if (pishi < 0 || up < 0)
		why = "pishi 或 upstream 无法识别";
	if (why)
		return kp_fail_at(e, KP_EINPUT, file, ln, "%s", why);
	a = kp_info_new_adopt(l);
	a->item = (uint32_t)(item - 1);
	a->pub = (uint32_t)pub;
	a->line = (uint32_t)ln;
	a->date = date;
	a->pishi = (uint8_t)pishi;
	a->upstream = (uint8_t)up;
	a->issue = f[4];
	a->pishi_by = f[6];
	a->note = f[8];
	return 0;
}

/* Size l's arrays once for a file of len bytes: one row a line at most,
 * a code point of a title a byte at least. */
static void reserve(kp_info_ledger *l, int which, const char *p, size_t len)
{
	size_t lines = 1;
	for (const char *q = p; (q = memchr(q, '\n', (size_t)(p + len - q)));
	     q++)
		lines++;
	if (!which && l->caps < l->ns + lines) {
		l->caps = l->ns + lines;
		l->s = kp_xrealloc(l->s, l->caps * sizeof(*l->s));
	}
	if (!which && l->capnorm < l->nnorm + len + 1) {
		l->capnorm = l->nnorm + len + 1;
		l->norm = kp_xrealloc(l->norm, l->capnorm * sizeof(int32_t));
	}
	if (which && l->capa < l->na + lines) {
		l->capa = l->na + lines;
		l->a = kp_xrealloc(l->a, l->capa * sizeof(*l->a));
	}
}

/* Copy the reader's fields into the arena (sized by the caller so that
 * it never moves: a record's fields and their NULs take no more bytes
 * than the record) and point f at them. */
static void keep_fields(const kp_csv *c, kp_buf *arena, char **f)
{
	for (size_t i = 0; i < c->nfields; i++) {
		size_t k = strlen(c->fields[i]) + 1;
		f[i] = arena->data + arena->len;
		memcpy(f[i], c->fields[i], k);
		arena->len += k;
	}
}

/* The header, then every row, of one of the ledger's files. */
static int read_rows(kp_info_ledger *l, const char *path, int which,
		     kp_csv *c, kp_err *e)
{
	const char *const *cols = which ? adopt_cols : sub_cols;
	size_t ncols = which ? 9 : 10;
	char *f[10];
	int n;
	n = kp_csv_next(c, e);
	if (n < 0)
		return -1;
	if (n == 0 || c->nfields != ncols)
		return kp_fail_at(e, KP_EINPUT, path, c->row_line,
				  "表头应为 %s,%s,…（共 %zu 列）", cols[0],
				  cols[1], ncols);
	for (size_t i = 0; i < ncols; i++)
		if (strcmp(c->fields[i], cols[i]))
			return kp_fail_at(e, KP_EINPUT, path, c->row_line,
					  "第 %zu 列应为“%s”，而不是“%s”", i + 1,
					  cols[i], c->fields[i]);
	while ((n = kp_csv_next(c, e)) > 0) {
		size_t ln = c->row_line;
		if (c->nfields == 1 && !*c->fields[0])
			continue;
		if (c->nfields != ncols)
			return kp_fail_at(e, KP_EINPUT, path, ln,
					  "应有 %zu 列，这一行有 %zu 列", ncols,
					  c->nfields);
		keep_fields(c, &l->raw[which], f);
		if ((which ? kp_info_take_adopt(l, path, ln, f, e)
			   : kp_info_take_sub(l, path, ln, f, e)) < 0)
			return -1;
	}
	return n < 0 ? -1 : 0;
}

static int load_file(kp_info_ledger *l, const char *dir, int which,
		     kp_err *e)
{
	kp_buf path = KP_BUF_INIT, text = KP_BUF_INIT;
	kp_buf *arena = &l->raw[which];
	kp_csv c;
	int rc = -1;
	kp_buf_addf(&path, "%s/%s", dir, which ? ADOPT_FILE : SUB_FILE);
	if (access(path.data, F_OK) != 0) {
		kp_buf_release(&path);
		return 0;
	}
	if (read_whole(path.data, &text, e) < 0)
		goto out;
	if (!text.data) {
		rc = 0;
		goto out;
	}
	reserve(l, which, text.data, text.len);
	kp_buf_release(arena);
	arena->data = kp_xmalloc(text.len + 2);
	arena->cap = text.len + 2;
	arena->max = LEDGER_MAX;
	kp_csv_init(&c, path.data, text.data, text.len, ',');
	rc = read_rows(l, path.data, which, &c, e);
	kp_csv_release(&c);
out:
	kp_buf_release(&text);
	kp_buf_release(&path);
	return rc;
}

int kp_info_load(const char *dir, const kp_info_rules *r,
		 kp_info_ledger **out, kp_err *e)
{
	kp_info_ledger *l = kp_xcalloc(1, sizeof(*l));
	struct stat st;
	l->r = r;
	*out = NULL;
	/* every unit of the quota first, in the quota's order */
	for (size_t i = 0; i < r->nquotas; i++)
		kp_info_unit(l, r->quotas[i].unit);
	if (dir && stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
		kp_fail(e, KP_EINPUT, "%s: 台账应为一个目录", dir);
		kp_info_free(l);
		return -1;
	}
	if (dir && (load_file(l, dir, 0, e) < 0 || load_file(l, dir, 1, e) < 0)) {
		kp_info_free(l);
		return -1;
	}
	l->loaded_s = l->ns;
	l->loaded_a = l->na;
	*out = l;
	return 0;
}

/* ---- writing ------------------------------------------------------------ */

static int append(const char *dir, const char *name,
		  const char *const *cols, const kp_buf *rows, kp_err *e)
{
	kp_buf path = KP_BUF_INIT, all = KP_BUF_INIT;
	int rc = -1;
	kp_buf_addf(&path, "%s/%s", dir, name);
	all.max = LEDGER_MAX;
	if (access(path.data, F_OK) == 0) {
		if (kp_read_file(path.data, LEDGER_MAX, &all, e) < 0)
			goto out;
		if (all.len && all.data[all.len - 1] != '\n')
			kp_buf_addc(&all, '\n');
	} else {
		for (int i = 0; cols[i]; i++)
			kp_buf_addf(&all, "%s%s", i ? "," : "", cols[i]);
		kp_buf_addc(&all, '\n');
	}
	if (kp_buf_add(&all, rows->data, rows->len) < 0) {
		kp_fail(e, KP_ETOOBIG, "%s: 台账文件过大", path.data);
		goto out;
	}
	rc = kp_write_atomic(path.data, all.data, all.len, e);
out:
	kp_buf_release(&path);
	kp_buf_release(&all);
	return rc;
}

void kp_info_row_cells(const kp_info_ledger *l, int which, size_t i,
		       kp_buf *b, const char **cells)
{
	size_t off[KP_INFO_SUB_CELLS], n = 0;
	const char *tx[KP_INFO_SUB_CELLS];
	kp_buf_reset(b);
	/* the text cells are borrowed; the made ones go into b, NUL-ended,
	 * and are pointed at once b stops growing */
#define MADE(stmt) do { off[n] = b->len; tx[n++] = NULL; stmt; kp_buf_addc(b, '\0'); } while (0)
#define TEXT(s) do { off[n] = 0; tx[n++] = (s); } while (0)
	if (!which) {
		const kp_info_sub *s = &l->s[i];
		TEXT(l->unames[s->unit]);
		MADE(kp_info_put_date(b, s->date));
		TEXT(s->title);
		TEXT(s->category);
		TEXT(s->urgent ? "1" : "");
		TEXT(kp_info_request_names[s->request]);
		MADE(kp_info_put_date(b, s->due));
		TEXT(s->false_info ? "1" : "");
		TEXT(s->note);
	} else {
		const kp_info_adopt *a = &l->a[i];
		MADE(kp_buf_addf(b, "%u", a->item + 1));
		TEXT(l->r->pubs[a->pub].name);
		MADE(kp_info_put_date(b, a->date));
		TEXT(a->issue);
		TEXT(kp_info_level_name(a->pishi));
		TEXT(a->pishi_by);
		TEXT(a->upstream ? "1" : "");
		TEXT(a->note);
	}
#undef MADE
#undef TEXT
	for (size_t k = 0; k < n; k++)
		cells[k] = tx[k] ? tx[k] : b->data + off[k];
}

/* The rows [from, to) of one file as the files write them. */
static void put_rows(const kp_info_ledger *l, int which, size_t from,
		     size_t to, kp_buf *out)
{
	const char *cells[KP_INFO_SUB_CELLS];
	size_t nc = which ? KP_INFO_ADOPT_CELLS : KP_INFO_SUB_CELLS;
	kp_buf tmp = KP_BUF_INIT;
	for (size_t i = from; i < to; i++) {
		kp_info_row_cells(l, which, i, &tmp, cells);
		kp_buf_addf(out, "%zu", i + 1);
		for (size_t k = 0; k < nc; k++) {
			kp_buf_addc(out, ',');
			kp_csv_put(out, cells[k]);
		}
		kp_buf_addc(out, '\n');
	}
	kp_buf_release(&tmp);
}

int kp_info_save(kp_info_ledger *l, const char *dir, kp_err *e)
{
	kp_buf rs = KP_BUF_INIT, ra = KP_BUF_INIT;
	int rc = -1;
	rs.max = ra.max = LEDGER_MAX;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return kp_fail(e, KP_EIO, "%s: 无法创建台账目录：%s", dir,
			       strerror(errno));
	put_rows(l, 0, l->loaded_s, l->ns, &rs);
	put_rows(l, 1, l->loaded_a, l->na, &ra);
	/* submissions first: adoptions refer to them */
	if (rs.len && append(dir, SUB_FILE, sub_cols, &rs, e) < 0)
		goto out;
	if (ra.len && append(dir, ADOPT_FILE, adopt_cols, &ra, e) < 0)
		goto out;
	l->loaded_s = l->ns;
	l->loaded_a = l->na;
	rc = 0;
out:
	kp_buf_release(&rs);
	kp_buf_release(&ra);
	return rc;
}
