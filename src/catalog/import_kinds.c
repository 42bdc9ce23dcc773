/* catalog/import_kinds.c — the other tables an office publishes beside its
 * indicator tables, recognised by their shape and imported as what they
 * are (docs/table-format.md, kind quota and kind schedule):
 *
 *   - a quota table: a 单位 column and one or two 采用任务 columns (市级,
 *     省级), maybe in sections (一、各县区政府 …) that repeat the header;
 *     "12（含省直报点采用）" is 12 with a note → kind quota;
 *   - a point standard written as numbered rules: 序号 / 计分规则 / 备注,
 *     or the rules alone one per row, under section rows naming the level
 *     (一、市级信息采用计分标准): "《攀政快讯》采用1条信息计4分" → a base row,
 *     "…获得市级领导批示的每条加10分" → a bonus on the level, "被国办采用的
 *     动态信息每条再另加3分" → a bonus on the row it names → kind schedule.
 *
 * Like the indicator importer, this builds the canonical CSV text and
 * parses it with kp_table_parse; what needs a person's eye goes in the
 * report with its line. */
#include "catalog/import_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- small helpers --------------------------------------------------- */

/* A cell as compared: no blanks, a trailing （分） dropped.  Caller frees. */
static char *cell_norm(importer *im, size_t r, size_t c)
{
	return imp_norm_header(kp_sheet_cell(im->s, r, c));
}

static bool has(const char *s, const char *w)
{
	return strstr(s, w) != NULL;
}

/* The non-empty cells of row r: how many, and the first and longest. */
static size_t row_cells(importer *im, size_t r, size_t *first,
			size_t *longest)
{
	size_t n = 0, best = 0;
	*first = *longest = 0;
	for (size_t c = 0; c < kp_sheet_ncols(im->s, r); c++) {
		const char *v = kp_sheet_cell(im->s, r, c);
		if (!*v)
			continue;
		if (!n++)
			*first = c;
		if (strlen(v) > best) {
			best = strlen(v);
			*longest = c;
		}
	}
	return n;
}

/* s without the numbering in front (一、 （一） (1) 1. ①) and a list
 * bullet ("- "), squeezed.  Caller frees. */
static char *unnumbered(const char *s)
{
	char *t = kp_squeeze(kp_xstrdup(s));
	size_t len;
	char *p = t;
	while (*p == '-' || !strncmp(p, "•", strlen("•")) ||
	       !strncmp(p, "·", strlen("·")))
		p += *p == '-' ? 1 : !strncmp(p, "•", strlen("•"))
					    ? strlen("•") : strlen("·");
	if (imp_numbering(p, false, &len) != NUM_NONE && p[len])
		p += len;
	memmove(t, p, strlen(p) + 1);
	return t;
}

static void put(kp_buf *b, const char *s, bool last)
{
	kp_csv_put(b, s ? s : "");
	kp_buf_addc(b, last ? '\n' : ',');
}

static void put_meta(importer *im, kp_buf *b, const char *kind,
		     const char *title)
{
	kp_buf_addf(b, "#meta,format," KP_TABLE_FORMAT "\n#meta,kind,%s\n",
		    kind);
	kp_buf_adds(b, "#meta,id,");
	put(b, im->o && im->o->id ? im->o->id : "imported", true);
	kp_buf_adds(b, "#meta,title,");
	put(b, im->o && im->o->title ? im->o->title
		  : title		     ? title
					     : kp_sheet_name(im->s),
	    true);
	kp_buf_adds(b, "#meta,source,");
	put(b, kp_sheet_name(im->s), true);
	if (im->docno) {
		kp_buf_adds(b, "#meta,docno,");
		put(b, im->docno, true);
	}
	if (im->year) {
		kp_buf_adds(b, "#meta,year,");
		put(b, im->year, true);
	}
}

/* Parse the text made; a line of it refused (it came from the sheet) is
 * reported as the sheet's. */
static int finish(importer *im, kp_buf *csv, const size_t *lines,
		  size_t nlines, kp_table **out)
{
	kp_err *e = im->e;
	if (kp_table_parse(kp_sheet_name(im->s), csv->data, csv->len, out,
			   e) == 0)
		return 1;
	if (e->line && e->line - 1 < nlines && lines[e->line - 1]) {
		char rest[sizeof(e->msg)];
		snprintf(rest, sizeof(rest), "%s", kp_err_reason(e));
		kp_fail_at(e, KP_EINPUT, kp_sheet_name(im->s),
			   lines[e->line - 1], "%s", rest);
	}
	return -1;
}

/* The line of the generated text about to be written (1-based) gets the
 * sheet's line of row r. */
static void note_line(size_t **lines, size_t *n, const kp_buf *csv,
		      size_t sheet_line)
{
	size_t at = 1;
	for (size_t i = 0; i < csv->len; i++)
		at += csv->data[i] == '\n';
	*lines = kp_xrealloc(*lines, at * sizeof(size_t));
	for (size_t i = *n; i < at; i++)
		(*lines)[i] = 0;
	(*lines)[at - 1] = sheet_line;
	*n = at;
}

/* ---- quota tables ----------------------------------------------------- */

enum { Q_NONE, Q_UNIT, Q_CITY, Q_PROV, Q_NOTE, Q_SEQ };

/* Whether row r is a quota table's header: a 单位 column, one or two
 * 任务 columns, nothing that belongs to an indicator table.  cols (ncols
 * entries, may be NULL) gets each column's meaning. */
static bool quota_header(importer *im, size_t r, int *cols)
{
	size_t nc = kp_sheet_ncols(im->s, r);
	bool unit = false, task = false, other = false;
	for (size_t c = 0; c < nc; c++) {
		char *h = cell_norm(im, r, c);
		int m = Q_NONE;
		if (!strcmp(h, "单位") || !strcmp(h, "单位名称") ||
		    !strcmp(h, "被考核单位") || !strcmp(h, "考核单位"))
			m = unit ? Q_NONE : Q_UNIT;
		else if (has(h, "任务") && !has(h, "分值") && !has(h, "内容"))
			m = has(h, "省") ? Q_PROV : Q_CITY;
		else if (!strcmp(h, "备注") || !strcmp(h, "说明"))
			m = Q_NOTE;
		else if (!strcmp(h, "序号") || !strcmp(h, "编号"))
			m = Q_SEQ;
		else if (*h)
			other = true;
		unit |= m == Q_UNIT;
		task |= m == Q_CITY || m == Q_PROV;
		if (cols)
			cols[c] = m;
		free(h);
	}
	return unit && task && !other;
}

/* "12（含省直报点采用）", "150分", "": the number (into num), the rest as a
 * note (into note).  False when the cell does not start with a number. */
static bool task_cell(const char *v, char *num, size_t n, kp_buf *note)
{
	char *t = kp_squeeze(kp_xstrdup(v));
	size_t k = 0;
	kp_num x;
	const char *rest;
	bool ok;
	while ((t[k] >= '0' && t[k] <= '9') || t[k] == '.')
		k++;
	ok = k && k < n;
	if (ok) {
		memcpy(num, t, k);
		num[k] = '\0';
		ok = kp_num_parse(num, &x) == 0;
	}
	rest = t + k;
	if (!strncmp(rest, "分", strlen("分")))
		rest += strlen("分");
	if (ok && *rest) {
		char *r = kp_xstrdup(rest);
		size_t m = strlen(r);
		/* （含省直报点采用） → 含省直报点采用 */
		if (!strncmp(r, "（", strlen("（")) && m > 2 * strlen("（") &&
		    !strcmp(r + m - strlen("）"), "）")) {
			r[m - strlen("）")] = '\0';
			memmove(r, r + strlen("（"), strlen(r + strlen("（")) + 1);
		} else if (r[0] == '(' && r[m - 1] == ')') {
			r[m - 1] = '\0';
			memmove(r, r + 1, m - 1);
		}
		kp_buf_addf(note, "%s%s", note->len ? "；" : "", r);
		free(r);
	}
	free(t);
	return ok;
}

static bool total_word(const char *v)
{
	char *t = kp_squeeze(kp_xstrdup(v));
	bool yes = !strcmp(t, "合计") || !strcmp(t, "总计") ||
		   !strcmp(t, "小计");
	free(t);
	return yes;
}

/* One data row of a quota table into csv. */
static int quota_row(importer *im, size_t r, const int *cols,
		     const char *group, kp_buf *csv)
{
	char city[64] = "", prov[64] = "";
	kp_buf note = KP_BUF_INIT;
	const char *unit = "";
	for (size_t c = 0; c < im->ncols; c++) {
		const char *v = kp_sheet_cell(im->s, r, c);
		char *num = cols[c] == Q_CITY ? city : prov;
		if (cols[c] == Q_UNIT)
			unit = v;
		else if (cols[c] == Q_NOTE && *v)
			kp_buf_addf(&note, "%s%s", note.len ? "；" : "", v);
		else if ((cols[c] == Q_CITY || cols[c] == Q_PROV) && *v &&
			 !task_cell(v, num, 64, &note)) {
			kp_buf_release(&note);
			return kp_fail(im->e, KP_EINPUT,
				       "%s:%zu: “%s”的%s采用任务“%s”不是数",
				       kp_sheet_name(im->s),
				       kp_sheet_line(im->s, r), unit,
				       cols[c] == Q_CITY ? "市级" : "省级", v);
		}
	}
	{
		char *u = kp_trim(kp_xstrdup(unit));
		put(csv, u, false);
		free(u);
	}
	put(csv, group, false);
	put(csv, city, false);
	put(csv, prov, false);
	put(csv, note.data, true);
	kp_buf_release(&note);
	return 0;
}

static int import_quota(importer *im, size_t hdr, kp_table **out)
{
	size_t nrows = kp_sheet_nrows(im->s), nlines = 0, *lines = NULL;
	int *cols = kp_xcalloc(kp_sheet_ncols(im->s, hdr) + 1, sizeof(int));
	char *title = imp_title_rows(im, hdr), *group = kp_xstrdup("");
	kp_buf csv = KP_BUF_INIT;
	size_t nunits = 0;
	int rc = -1;
	quota_header(im, hdr, cols);
	im->ncols = kp_sheet_ncols(im->s, hdr);
	/* the first section's name sits above the first header */
	for (size_t r = 0; r < hdr; r++) {
		size_t f, l, len;
		char *sq;
		if (row_cells(im, r, &f, &l) != 1)
			continue;
		sq = kp_squeeze(kp_xstrdup(kp_sheet_cell(im->s, r, f)));
		if (imp_numbering(sq, false, &len) != NUM_NONE && sq[len]) {
			free(group);
			group = unnumbered(sq);
		}
		free(sq);
	}
	put_meta(im, &csv, "quota", title);
	kp_buf_adds(&csv, "unit,group,city,province,note\n");
	for (size_t r = hdr + 1; r < nrows; r++) {
		size_t first, longest, n = row_cells(im, r, &first, &longest);
		if (!n || quota_header(im, r, NULL))
			continue;   /* blank, or a section's own header */
		if (imp_extra_cells(im, r) < 0)
			goto out;
		if (n == 1 && (cols[first] != Q_CITY && cols[first] != Q_PROV)) {
			free(group);
			group = unnumbered(kp_sheet_cell(im->s, r, first));
			continue;
		}
		if (total_word(kp_sheet_cell(im->s, r, first)))
			continue;
		note_line(&lines, &nlines, &csv, kp_sheet_line(im->s, r));
		if (quota_row(im, r, cols, group, &csv) < 0)
			goto out;
		nunits++;
	}
	im->rep->rows_read = nrows - hdr - 1;
	im->rep->nodes = nunits;
	if (!nunits) {
		kp_fail(im->e, KP_EINPUT, "%s: 任务分配表的表头下面没有任何单位",
			kp_sheet_name(im->s));
		goto out;
	}
	rc = finish(im, &csv, lines, nlines, out);
out:
	im->ncols = 0;   /* the indicator importer's columns: none */
	free(cols);
	free(title);
	free(group);
	free(lines);
	kp_buf_release(&csv);
	return rc;
}

/* ---- point standards ------------------------------------------------- */

/* One scoring clause: 计N分 (得N分) or 加N分, N a number; where it is. */
static bool clause_points(const char *s, bool *bonus, char *num, size_t n,
			  const char **at)
{
	static const char *const verbs[] = { "计", "得", "加" };
	for (const char *p = s; *p; p++)
		for (size_t i = 0; i < 3; i++) {
			size_t k, vl = strlen(verbs[i]);
			if (strncmp(p, verbs[i], vl))
				continue;
			k = imp_ar_digits(p + vl);
			if (p[vl + k] == '.')
				k += 1 + imp_ar_digits(p + vl + k + 1);
			if (!k || k >= n ||
			    strncmp(p + vl + k, "分", strlen("分")))
				continue;
			memcpy(num, p + vl, k);
			num[k] = '\0';
			*bonus = i == 2;
			*at = p;
			return true;
		}
	return false;
}

/* Whether text states points (a rule), not a section or a title. */
static bool has_clause(const char *text)
{
	char *t = kp_squeeze(kp_xstrdup(text)), num[32];
	bool bonus, yes;
	const char *at;
	yes = clause_points(t, &bonus, num, sizeof(num), &at);
	free(t);
	return yes;
}

typedef struct entry {
	char code[32];
	char *pub;      /* owned */
	char *object;   /* what one counts: 动态信息; owned, "" none */
	bool bonus;
} entry;

typedef struct sched {
	importer *im;
	kp_buf *csv;
	size_t **lines, *nlines;
	char level[16];
	int section, item;
	entry *ents;        /* this row's entries, for bonuses that name one */
	size_t nents;
	char *last_bonus;   /* the row's last bonus publication, owned */
	char *last_object;
	size_t nrecs;
} sched;

static void ents_clear(sched *sc)
{
	for (size_t i = 0; i < sc->nents; i++) {
		free(sc->ents[i].pub);
		free(sc->ents[i].object);
	}
	free(sc->ents);
	sc->ents = NULL;
	sc->nents = 0;
	free(sc->last_bonus);
	free(sc->last_object);
	sc->last_bonus = sc->last_object = NULL;
}

/* s[0..n) as a new string. */
static char *span(const char *s, size_t n)
{
	return kp_xstrndup(s, n);
}

/* 《攀政快讯》 in c: the name inside, owned, or NULL. */
static char *booktitle(const char *c)
{
	const char *o = strstr(c, "《"), *e;
	if (!o || !(e = strstr(o, "》")))
		return NULL;
	return span(o + strlen("《"), (size_t)(e - o - strlen("《")));
}

/* A base clause: "《攀政快讯》采用1条信息计4分", "省政府上报国办信息每采用1条
 * 动态信息计3分", "每采用1条专报信息计8分" (the subject of the clause before).
 * Fills pub, object and per; returns the count (1 条) or 0. */
static void base_clause(const char *c, const char *at, char **subject,
			char **pub, char **object, const char **per)
{
	static const char *const verbs[] = { "每采用", "采用", "每出刊",
					     "出刊", "每" };
	const char *v = NULL, *unit = NULL;
	size_t vl = 0;
	char *book = booktitle(c);
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]) && !v; i++)
		if ((v = strstr(c, verbs[i])) && v < at)
			vl = strlen(verbs[i]);
		else
			v = NULL;
	*per = "条";
	*object = kp_xstrdup("");
	if (v) {
		const char *q = v + vl;
		q += imp_ar_digits(q);
		if (!strncmp(q, "期", strlen("期")))
			*per = "期";
		if (!strncmp(q, "条", strlen("条")) ||
		    !strncmp(q, "期", strlen("期")))
			unit = q + strlen("条");
		if (unit && unit < at) {
			free(*object);
			*object = span(unit, (size_t)(at - unit));
			if (!strcmp(*object, "信息"))
				(*object)[0] = '\0';
		}
		if (!book && v > c) {
			free(*subject);
			*subject = span(c, (size_t)(v - c));
		}
	}
	if (book) {
		*pub = book;
		return;
	}
	if (!*subject || !**subject) {
		*pub = kp_xstrdup("");
		return;
	}
	{
		kp_buf b = KP_BUF_INIT;
		size_t sl = strlen(*subject);
		/* 省政府上报国办信息 + 动态信息 → 省政府上报国办（动态信息）: the
		 * subject's 信息 is the object's */
		if (**object && sl > strlen("信息") &&
		    !strcmp(*subject + sl - strlen("信息"), "信息"))
			sl -= strlen("信息");
		kp_buf_add(&b, *subject, sl);
		if (**object)
			kp_buf_addf(&b, "（%s）", *object);
		kp_buf_adds(&b, "");
		*pub = kp_buf_detach(&b);
	}
}

static void add_entry(sched *sc, const char *code, const char *pub,
		      const char *object, bool bonus)
{
	entry *e;
	sc->ents = kp_xrealloc(sc->ents, (sc->nents + 1) * sizeof(*sc->ents));
	e = &sc->ents[sc->nents++];
	snprintf(e->code, sizeof(e->code), "%s", code);
	e->pub = kp_xstrdup(pub);
	e->object = kp_xstrdup(object);
	e->bonus = bonus;
}

/* A bonus clause: 领导批示 → on the level; otherwise on a base entry of
 * the row it names ("被国办采用的动态信息…" names 动态信息; "专报再另加8分"
 * names 专报信息 and reads as the clause before it).  Fills pub and of. */
static void bonus_clause(sched *sc, size_t r, const char *c, const char *at,
			 char **pub, kp_buf *of)
{
	const char *got = strstr(c, "获得"), *ps = strstr(c, "批示");
	const char *end;
	if (ps && ps < at) {
		const char *from = got && got < ps ? got + strlen("获得") : c;
		*pub = span(from, (size_t)(ps + strlen("批示") - from));
		kp_buf_addf(of, "level:%s", sc->level);
		if (!*sc->level)
			imp_unplaced(sc->im, r,
				     "“%s”：领导批示加分不知是哪一级（市级、省级）的刊物，请填写 bonus_of",
				     c);
		return;
	}
	/* the words before 每条 / 再 / 另 / 加 */
	end = at;
	{
		static const char *const cuts[] = { "每条", "再", "另", "的每" };
		for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
			const char *q = strstr(c, cuts[i]);
			if (q && q < end)
				end = q;
		}
	}
	{
		char *who = span(c, (size_t)(end - c));
		const entry *hit = NULL;
		for (size_t i = 0; i < sc->nents && !hit; i++)
			if (!sc->ents[i].bonus && *sc->ents[i].object && *who &&
			    (has(who, sc->ents[i].object) ||
			     !strncmp(sc->ents[i].object, who, strlen(who))))
				hit = &sc->ents[i];
		if (!hit) {
			*pub = who;
			kp_buf_addf(of, "level:%s", sc->level);
			imp_unplaced(sc->im, r,
				     "“%s”：加分对象不明，按本级（%s）所有刊物的加分导入，请核对 bonus_of",
				     c, *sc->level ? sc->level : "级别不明");
			return;
		}
		kp_buf_adds(of, hit->code);
		if (has(who, hit->object)) {
			/* 被国办采用的动态信息 → 国办采用动态信息 */
			kp_buf b = KP_BUF_INIT;
			const char *w = who;
			if (!strncmp(w, "被", strlen("被")))
				w += strlen("被");
			for (; *w; w++)
				if (strncmp(w, "的", strlen("的")))
					kp_buf_addc(&b, *w);
				else
					w += strlen("的") - 1;
			kp_buf_adds(&b, "");
			*pub = kp_buf_detach(&b);
			free(sc->last_bonus);
			free(sc->last_object);
			sc->last_bonus = kp_xstrdup(*pub);
			sc->last_object = kp_xstrdup(hit->object);
		} else if (sc->last_bonus && has(sc->last_bonus, sc->last_object)) {
			/* 专报再另加8分: as the clause before, 国办采用动态信息
			 * with 专报信息 for 动态信息 */
			kp_buf b = KP_BUF_INIT;
			const char *o = strstr(sc->last_bonus, sc->last_object);
			kp_buf_add(&b, sc->last_bonus,
				   (size_t)(o - sc->last_bonus));
			kp_buf_adds(&b, hit->object);
			kp_buf_adds(&b, o + strlen(sc->last_object));
			*pub = kp_buf_detach(&b);
			imp_unplaced(sc->im, r,
				     "“%s”按上一分句读作“%s”每条加分（加在“%s”上），请核对",
				     c, *pub, hit->pub);
		} else {
			*pub = kp_xstrdup(hit->pub);
		}
		free(who);
	}
}

/* One rule row of a point standard: its clauses, one record each. */
static int sched_rule(sched *sc, size_t r, const char *text,
		      const char *note)
{
	char *t = unnumbered(text), *subject = NULL;
	char *save = NULL, *copy = kp_xstrdup(t), *c;
	size_t nclauses = 0, k = 0;
	kp_buf code = KP_BUF_INIT;
	sc->item++;
	ents_clear(sc);
	/* clauses: split at ，；。, and their ASCII forms */
	for (char *p = copy; *p; p++)
		if (!strncmp(p, "，", strlen("，")) ||
		    !strncmp(p, "；", strlen("；")) ||
		    !strncmp(p, "。", strlen("。"))) {
			memset(p, ',', strlen("，"));
			p += strlen("，") - 1;
		} else if (*p == ';') {
			*p = ',';
		}
	{
		size_t count = 0;
		char *scan = kp_xstrdup(copy), *s2 = NULL;
		for (char *q = strtok_r(scan, ",", &s2); q;
		     q = strtok_r(NULL, ",", &s2)) {
			char num[32];
			bool bonus;
			const char *at;
			count += clause_points(q, &bonus, num, sizeof(num), &at);
		}
		free(scan);
		nclauses = count;
	}
	for (c = strtok_r(copy, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
		char num[32];
		bool bonus;
		const char *at, *per = "条";
		char *pub = NULL, *object = NULL;
		kp_buf of = KP_BUF_INIT, nt = KP_BUF_INIT;
		if (!clause_points(c, &bonus, num, sizeof(num), &at))
			continue;
		kp_buf_reset(&code);
		kp_buf_addf(&code, "%d.%d", sc->section ? sc->section : 1,
			    sc->item);
		if (nclauses > 1)
			kp_buf_addf(&code, ".%zu", ++k);
		if (bonus) {
			bonus_clause(sc, r, c, at, &pub, &of);
			object = kp_xstrdup("");
		} else {
			base_clause(c, at, &subject, &pub, &object, &per);
		}
		if (!*pub) {
			imp_unplaced(sc->im, r,
				     "“%s”：看不出是哪个刊物的计分，此分句未导入",
				     c);
			free(pub);
			free(object);
			kp_buf_release(&of);
			continue;
		}
		add_entry(sc, code.data, pub, object, bonus);
		if (note && *note)
			kp_buf_adds(&nt, note);
		if (nclauses > 1)
			kp_buf_addf(&nt, "%s本句分句“%s”", nt.len ? "；" : "", c);
		note_line(sc->lines, sc->nlines, sc->csv,
			  kp_sheet_line(sc->im->s, r));
		put(sc->csv, code.data, false);
		put(sc->csv, sc->level, false);
		put(sc->csv, pub, false);
		put(sc->csv, per, false);
		put(sc->csv, num, false);
		put(sc->csv, bonus ? "bonus" : "base", false);
		put(sc->csv, of.data, false);
		put(sc->csv, t, false);
		put(sc->csv, nt.data, true);
		sc->nrecs++;
		free(pub);
		free(object);
		kp_buf_release(&of);
		kp_buf_release(&nt);
	}
	kp_buf_release(&code);
	free(subject);
	free(copy);
	free(t);
	return 0;
}

/* A point standard's columns: the rule text, its 序号 and 备注 (-1 when
 * absent).  The header row is the first of the first 30 whose cells are
 * all 序号 / 计分规则 (…规则, …标准) / 备注; hdr -1 when there is none
 * and the rules stand alone, one per row. */
typedef struct sched_cols {
	long hdr;
	long text, seq, note;
} sched_cols;

static bool sched_header(importer *im, size_t r, sched_cols *sc)
{
	size_t nc = kp_sheet_ncols(im->s, r), len;
	bool other = false;
	sc->text = sc->seq = sc->note = -1;
	for (size_t c = 0; c < nc; c++) {
		char *h = cell_norm(im, r, c);
		if (!strcmp(h, "序号") || !strcmp(h, "编号"))
			sc->seq = (long)c;
		else if (!strcmp(h, "备注") || !strcmp(h, "说明"))
			sc->note = (long)c;
		else if ((has(h, "规则") || has(h, "标准")) &&
			 kp_utf8_width(h) <= 24 && sc->text < 0 &&
			 imp_numbering(h, false, &len) == NUM_NONE)
			sc->text = (long)c;
		else if (*h)
			other = true;
		free(h);
	}
	/* a lone 计分规则 is a header; a lone "市级信息采用计分标准" is a
	 * section's title */
	if (sc->text >= 0 && sc->seq < 0 && sc->note < 0) {
		char *h = cell_norm(im, r, (size_t)sc->text);
		bool named = !strcmp(h, "计分规则") || !strcmp(h, "计分标准") ||
			     !strcmp(h, "评分规则") || !strcmp(h, "规则");
		free(h);
		if (!named)
			return false;
	}
	return sc->text >= 0 && !other;
}

/* The sheet is a point standard: a header as above with a rule below it,
 * or (no header of any kind) two or more rows of one text stating points
 * per 条 or 期. */
static bool find_sched(importer *im, sched_cols *sc)
{
	size_t nrows = kp_sheet_nrows(im->s), hits = 0;
	for (size_t r = 0; r < nrows && r < 30; r++)
		if (sched_header(im, r, sc)) {
			sc->hdr = (long)r;
			for (size_t k = r + 1; k < nrows; k++)
				if (has_clause(kp_sheet_cell(im->s, k,
							     (size_t)sc->text)))
					return true;
			return false;
		}
	sc->hdr = -1;
	sc->seq = sc->note = -1;
	if (imp_find_header(im) >= 0)
		return false;
	for (size_t r = 0; r < nrows; r++) {
		size_t first, longest, n = row_cells(im, r, &first, &longest);
		if (n > 2)
			return false;
		if (n && has_clause(kp_sheet_cell(im->s, r, longest)))
			hits++;
	}
	sc->text = -1;
	return hits >= 2;
}

/* A section row of a point standard: its level, 市级 or 省级 ("" when it
 * names neither). */
static void section_level(const char *text, char *level, size_t n)
{
	snprintf(level, n, "%s",
		 has(text, "省级") || has(text, "省政府") ? "省级"
		 : has(text, "市级") || has(text, "市政府") ? "市级"
							   : "");
}

static int import_sched(importer *im, const sched_cols *cols,
			kp_table **out)
{
	size_t nrows = kp_sheet_nrows(im->s), nlines = 0, *lines = NULL;
	size_t from = cols->hdr >= 0 ? (size_t)cols->hdr + 1 : 0;
	kp_buf csv = KP_BUF_INIT;
	char *title = NULL;
	sched sc;
	int rc = -1;
	memset(&sc, 0, sizeof(sc));
	sc.im = im;
	sc.csv = &csv;
	sc.lines = &lines;
	sc.nlines = &nlines;
	if (cols->hdr >= 0) {
		title = imp_title_rows(im, (size_t)cols->hdr);
		im->ncols = kp_sheet_ncols(im->s, (size_t)cols->hdr);
	} else {
		/* the rows above the first rule or section are the title's */
		size_t r = 0;
		for (; r < nrows; r++) {
			size_t f, l;
			if (!row_cells(im, r, &f, &l))
				continue;
			char *sq = kp_squeeze(kp_xstrdup(kp_sheet_cell(im->s, r, l)));
			bool rule = has_clause(sq) ||
				    imp_numbering(sq, false, &f) != NUM_NONE;
			free(sq);
			if (rule)
				break;
		}
		title = imp_title_rows(im, r);
		from = r;
	}
	put_meta(im, &csv, "schedule", title);
	kp_buf_adds(&csv, "code,level,publication,per,points,kind,bonus_of,content,note\n");
	for (size_t r = from; r < nrows; r++) {
		size_t first, longest, n = row_cells(im, r, &first, &longest);
		const char *text, *note = NULL;
		if (!n)
			continue;
		if (cols->hdr >= 0) {
			if (imp_extra_cells(im, r) < 0)
				goto out;
			text = kp_sheet_cell(im->s, r, (size_t)cols->text);
			if (cols->note >= 0)
				note = kp_sheet_cell(im->s, r, (size_t)cols->note);
			if (!*text)
				continue;
		} else {
			text = kp_sheet_cell(im->s, r, longest);
		}
		if (!has_clause(text)) {
			char lv[16];
			section_level(text, lv, sizeof(lv));
			if (!*lv) {
				imp_unplaced(im, r,
					     "“%s”既不是计分规则（计N分、加N分），也不是写明市级或省级的标题；此行未导入",
					     text);
				continue;
			}
			snprintf(sc.level, sizeof(sc.level), "%s", lv);
			sc.section++;
			sc.item = 0;
			continue;
		}
		if (!*sc.level) {
			char lv[16];
			section_level(text, lv, sizeof(lv));
			if (*lv)
				snprintf(sc.level, sizeof(sc.level), "%s", lv);
			else
				imp_unplaced(im, r,
					     "计分规则前没有写明市级或省级的标题，级别（level）留空，请填写");
		}
		if (sched_rule(&sc, r, text, note) < 0)
			goto out;
	}
	im->rep->rows_read = nrows - from;
	im->rep->nodes = sc.nrecs;
	if (!sc.nrecs) {
		kp_fail(im->e, KP_EINPUT, "%s: 计分标准中没有可读的计分规则",
			kp_sheet_name(im->s));
		goto out;
	}
	rc = finish(im, &csv, lines, nlines, out);
out:
	im->ncols = 0;
	ents_clear(&sc);
	free(title);
	free(lines);
	kp_buf_release(&csv);
	return rc;
}

/* ---- the dispatcher -------------------------------------------------- */

int imp_other_kinds(importer *im, kp_table **out)
{
	size_t nrows = kp_sheet_nrows(im->s);
	sched_cols sc;
	if (im->o && im->o->map)
		return 0;   /* --map: the person says it is an indicator table */
	for (size_t r = 0; r < nrows && r < 30; r++)
		if (quota_header(im, r, NULL))
			return import_quota(im, r, out);
	if (find_sched(im, &sc))
		return import_sched(im, &sc, out);
	return 0;
}
