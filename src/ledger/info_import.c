/* ledger/info_import.c — rows from an office's sheet (kp_info_import)
 * and from the command line (kp_info_add): columns recognised by name,
 * every row checked, all rows or none. */
#include "ledger/info_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- rows from sheets and the command line ------------------------------ */

enum col {
	C_ITEM, C_UNIT, C_DATE, C_TITLE, C_CATEGORY, C_URGENT, C_REQUEST,
	C_DUE, C_FALSE, C_NOTE, C_PUB, C_ADOPTED, C_ISSUE, C_LEVEL, C_PISHI,
	C_PISHI_BY, C_UPSTREAM, C_IGNORE, NCOL
};

/* One row per column: its English key (the add keys) and the headers
 * offices write, separated by '|'. */
static const struct colname {
	enum col col;
	const char *key;
	const char *names;
} colnames[] = {
	{ C_ITEM, "item", "编号|信息编号|报送编号" },
	{ C_UNIT, "unit", "单位|报送单位|单位名称" },
	{ C_DATE, "date", "报送日期|报送时间" },
	{ C_TITLE, "title", "标题|信息标题" },
	{ C_CATEGORY, "category", "类别|信息类别|类型" },
	{ C_URGENT, "urgent", "紧急重要|紧急|紧急重要信息" },
	{ C_REQUEST, "request", "约稿/批示反馈|约稿|要求反馈|约稿或批示反馈" },
	{ C_DUE, "due", "要求时限|报送时限|截止日期|时限" },
	{ C_FALSE, "false_info", "虚假信息|虚假" },
	{ C_NOTE, "note", "备注" },
	{ C_PUB, "publication", "采用刊物|刊物" },
	{ C_ADOPTED, "adopted", "采用日期|采用时间" },
	{ C_ISSUE, "issue", "期号|期数|刊期" },
	{ C_LEVEL, "level", "采用级别|级别" },
	{ C_PISHI, "pishi", "批示级别|领导批示" },
	{ C_PISHI_BY, "pishi_by", "批示领导|批示人" },
	{ C_UPSTREAM, "upstream", "国办采用|再采用|上级再采用" },
	{ C_IGNORE, "", "序号" },
};

static int col_of(const char *h)
{
	char *x = kp_squeeze(kp_trim(kp_xstrdup(h)));
	int hit = -1;
	for (size_t i = 0; i < sizeof(colnames) / sizeof(*colnames) && hit < 0;
	     i++) {
		const char *p = colnames[i].names;
		if (*colnames[i].key && !strcmp(x, colnames[i].key))
			hit = (int)colnames[i].col;
		while (*p && hit < 0) {
			size_t k = strcspn(p, "|");
			if (strlen(x) == k && !strncmp(x, p, k))
				hit = (int)colnames[i].col;
			p += k + (p[k] == '|');
		}
	}
	free(x);
	return hit;
}

/* A pending import: the new rows, kept apart until every row is good.
 * Two hash indexes over ledger + new rows: (unit, date, title) → the
 * submission, (submission, publication) → the adoption. */
typedef struct pending {
	size_t ns0, na0;        /* ledger sizes before */
	uint32_t *slot;         /* submission index + 1, 0 empty */
	size_t cap;
	uint32_t *aslot;        /* adoption index + 1, 0 empty */
	size_t acap;
} pending;

static uint64_t key_hash(uint32_t unit, int32_t date, const char *title)
{
	uint64_t h = kp_info_hash(&unit, sizeof(unit), 0);
	h = kp_info_hash(&date, sizeof(date), h);
	return kp_info_hash(title, strlen(title), h);
}

static uint64_t akey_hash(uint32_t item, uint32_t pub)
{
	uint64_t k = ((uint64_t)item << 16) ^ pub;
	return kp_info_hash(&k, sizeof(k), 0);
}

static void pend_put(pending *p, const kp_info_ledger *l, size_t idx)
{
	const kp_info_sub *s = &l->s[idx];
	size_t i = key_hash(s->unit, s->date, s->title) & (p->cap - 1);
	while (p->slot[i])
		i = (i + 1) & (p->cap - 1);
	p->slot[i] = (uint32_t)idx + 1;
}

static void pend_aput(pending *p, const kp_info_ledger *l, size_t idx)
{
	const kp_info_adopt *a = &l->a[idx];
	size_t i = akey_hash(a->item, a->pub) & (p->acap - 1);
	while (p->aslot[i])
		i = (i + 1) & (p->acap - 1);
	p->aslot[i] = (uint32_t)idx + 1;
}

static void pend_index(pending *p, const kp_info_ledger *l)
{
	free(p->slot);
	free(p->aslot);
	p->cap = p->acap = 1024;
	while (p->cap < 2 * (l->ns + 1))
		p->cap *= 2;
	while (p->acap < 2 * (l->na + 1))
		p->acap *= 2;
	p->slot = kp_xcalloc(p->cap, sizeof(uint32_t));
	p->aslot = kp_xcalloc(p->acap, sizeof(uint32_t));
	for (size_t i = 0; i < l->ns; i++)
		pend_put(p, l, i);
	for (size_t i = 0; i < l->na; i++)
		pend_aput(p, l, i);
}

static void pend_init(pending *p, const kp_info_ledger *l)
{
	memset(p, 0, sizeof(*p));
	p->ns0 = l->ns;
	p->na0 = l->na;
	pend_index(p, l);
}

static void pend_release(pending *p)
{
	free(p->slot);
	free(p->aslot);
}

static long pend_find(const pending *p, const kp_info_ledger *l,
		      uint32_t unit, int32_t date, const char *title)
{
	size_t i = key_hash(unit, date, title) & (p->cap - 1);
	while (p->slot[i]) {
		const kp_info_sub *s = &l->s[p->slot[i] - 1];
		if (s->unit == unit && s->date == date && !strcmp(s->title, title))
			return (long)p->slot[i] - 1;
		i = (i + 1) & (p->cap - 1);
	}
	return -1;
}

static long pend_afind(const pending *p, const kp_info_ledger *l,
		       uint32_t item, uint32_t pub)
{
	size_t i = akey_hash(item, pub) & (p->acap - 1);
	while (p->aslot[i]) {
		const kp_info_adopt *a = &l->a[p->aslot[i] - 1];
		if (a->item == item && a->pub == pub)
			return (long)p->aslot[i] - 1;
		i = (i + 1) & (p->acap - 1);
	}
	return -1;
}

/* After a row was appended to l->s or l->a: index it. */
static void pend_added(pending *p, const kp_info_ledger *l, bool adoption)
{
	if (2 * (l->ns + 1) > p->cap || 2 * (l->na + 1) > p->acap) {
		pend_index(p, l);
		return;
	}
	if (adoption)
		pend_aput(p, l, l->na - 1);
	else
		pend_put(p, l, l->ns - 1);
}

static void pend_rollback(kp_info_ledger *l, const pending *p, size_t nown0)
{
	l->ns = p->ns0;
	l->na = p->na0;
	if (l->ns)
		l->nnorm = l->s[l->ns - 1].noff + l->s[l->ns - 1].nlen;
	else
		l->nnorm = 0;
	while (l->nowned > nown0)
		free(l->owned[--l->nowned]);
}

static const char *cell(const char *const *f, enum col c)
{
	return f[c] ? f[c] : "";
}

/* The submission part of a row: a new submission (*si its index), or
 * the existing one a row adopting it names.  Returns 1 when the row is
 * done (a submission alone), 0 to go on to its adoption, -1. */
static int sub_part(kp_info_ledger *l, pending *pd, const char *const *f,
		    const char *file, size_t line, bool serial_ok, long *si,
		    kp_err *e)
{
	const char *unit = cell(f, C_UNIT), *title = cell(f, C_TITLE),
		   *date_s = cell(f, C_DATE), *pub_s = cell(f, C_PUB),
		   *item_s = cell(f, C_ITEM);
	int32_t date = INFO_NODATE, due = INFO_NODATE;
	int u, urg, rq, fl;
	if (*item_s && !*title) {
		char *endp;
		unsigned long v = strtoul(item_s, &endp, 10);
		if (*endp || !v || v > l->ns)
			return kp_fail_at(e, KP_EINPUT, file, line,
					  "报送编号“%s”不在台账中（台账共 %zu 条报送）",
					  item_s, l->ns);
		*si = (long)v - 1;
		return 0;
	}
	if (!*unit)
		return kp_fail_at(e, KP_EINPUT, file, line, "单位为空");
	u = kp_info_unit(l, unit);
	if (u < 0)
		return kp_fail_at(e, KP_EINPUT, file, line,
				  "单位“%s”不在单位名录中（写规范名称或别名，见 kaoping table show pzh-units）",
				  unit);
	if (!*title)
		return kp_fail_at(e, KP_EINPUT, file, line, "标题为空");
	if (*date_s && kp_info_parse_date(date_s, serial_ok, &date) < 0)
		return kp_day_fail(e, file, line, "报送日期", date_s);
	if (*cell(f, C_DUE) &&
	    kp_info_parse_date(cell(f, C_DUE), serial_ok, &due) < 0)
		return kp_day_fail(e, file, line, "要求时限", cell(f, C_DUE));
	if (date == INFO_NODATE && due == INFO_NODATE)
		return kp_fail_at(e, KP_EINPUT, file, line,
				  "报送日期为空（未报送的紧急或约稿信息须写要求时限）");
	urg = kp_info_flag_parse(cell(f, C_URGENT));
	if (urg < 0)
		return kp_fail_at(e, KP_EINPUT, file, line,
				  "紧急重要“%s”应为“是”或“否”",
				  cell(f, C_URGENT));
	rq = kp_info_request_parse(cell(f, C_REQUEST));
	if (rq < 0)
		return kp_fail_at(e, KP_EINPUT, file, line,
				  "约稿/批示反馈“%s”应为“约稿”“批示反馈”或空",
				  cell(f, C_REQUEST));
	fl = kp_info_flag_parse(cell(f, C_FALSE));
	if (fl < 0)
		return kp_fail_at(e, KP_EINPUT, file, line,
				  "虚假信息“%s”应为“是”或“否”",
				  cell(f, C_FALSE));
	*si = pend_find(pd, l, (uint32_t)u, date, title);
	if (*si < 0) {
		kp_info_sub *s = kp_info_new_sub(l);
		s->unit = (uint32_t)u;
		s->line = (uint32_t)line;
		s->date = date;
		s->due = due;
		s->urgent = (uint8_t)urg;
		s->request = (uint8_t)rq;
		s->false_info = (uint8_t)fl;
		s->title = kp_info_own(l, title);
		s->category = kp_info_own(l, cell(f, C_CATEGORY));
		s->note = kp_info_own(l, cell(f, C_NOTE));
		kp_info_sub_norm(l, s);
		*si = (long)(l->ns - 1);
		pend_added(pd, l, false);
		return *pub_s ? 0 : 1;
	}
	if (*pub_s)
		return 0;
	return (size_t)*si >= pd->ns0
		? kp_fail_at(e, KP_EINPUT, file, line,
			     "重复的行：与本文件第 %zu 行相同（同一单位、报送日期、标题）",
			     (size_t)l->s[*si].line)
		: kp_fail_at(e, KP_EINPUT, file, line,
			     "重复的行：台账中已有，见报送编号 %zu（同一单位、报送日期、标题）",
			     (size_t)*si + 1);
}

/* A publication named in a row, or -1 naming those there are. */
static int row_pub(const kp_info_ledger *l, const char *pub_s,
		   const char *file, size_t line, kp_err *e)
{
	kp_buf known = KP_BUF_INIT;
	int pub;
	if (!*pub_s)
		return kp_fail_at(e, KP_EINPUT, file, line, "采用刊物为空");
	pub = kp_info_pub_find(l->r, pub_s);
	if (pub >= 0)
		return pub;
	for (size_t i = 0; i < l->r->npubs; i++)
		kp_buf_addf(&known, "%s%s", i ? "、" : "", l->r->pubs[i].name);
	kp_fail_at(e, KP_EINPUT, file, line, "刊物“%s”不在计分标准中（可用：%s）",
		   pub_s, known.data);
	kp_buf_release(&known);
	return -1;
}

/* The adoption part of a row: submission si adopted by publication pub. */
static int adopt_part(kp_info_ledger *l, pending *pd, const char *const *f,
		      const char *file, size_t line, bool serial_ok, long si,
		      int pub, kp_err *e)
{
	const kp_info_pub *p = &l->r->pubs[pub];
	const char *ad = cell(f, C_ADOPTED), *lv = cell(f, C_LEVEL);
	int pishi = kp_info_level_parse(cell(f, C_PISHI)),
	    up = kp_info_flag_parse(cell(f, C_UPSTREAM)),
	    lvv = kp_info_level_parse(lv);
	int32_t adopted = INFO_NODATE;
	kp_info_adopt *a;
	long ai;
	if (!*ad)
		return kp_fail_at(e, KP_EINPUT, file, line, "采用日期为空");
	if (kp_info_parse_date(ad, serial_ok, &adopted) < 0)
		return kp_day_fail(e, file, line, "采用日期", ad);
	if (l->s[si].date != INFO_NODATE && adopted < l->s[si].date)
		return kp_fail_at(e, KP_EINPUT, file, line,
				  "采用日期“%s”早于报送日期", ad);
	if (l->s[si].date == INFO_NODATE)
		return kp_fail_at(e, KP_EINPUT, file, line,
				  "未报送的信息不能被采用（报送日期为空）");
	if (*lv && !(lvv == p->level ||
		     (lvv == LV_NATION && p->bonus_upstream >= 0)))
		return kp_fail_at(e, KP_EINPUT, file, line,
				  "采用级别“%s”与刊物“%s”的级别（%s）不符",
				  lv, p->name, kp_info_level_name(p->level));
	if (pishi < 0)
		return kp_fail_at(e, KP_EINPUT, file, line,
				  "批示级别“%s”应为市级、省级、国家级或空",
				  cell(f, C_PISHI));
	if (!pishi && *cell(f, C_PISHI_BY))
		return kp_fail_at(e, KP_EINPUT, file, line,
				  "写了批示领导“%s”，但没有写批示级别",
				  cell(f, C_PISHI_BY));
	if (up < 0)
		return kp_fail_at(e, KP_EINPUT, file, line,
				  "国办采用“%s”应为“是”或“否”",
				  cell(f, C_UPSTREAM));
	if (up && p->bonus_upstream < 0)
		return kp_fail_at(e, KP_EINPUT, file, line,
				  "刊物“%s”没有“再被上级采用”的加分，国办采用应为空",
				  p->name);
	if (p->per_issue && !*cell(f, C_ISSUE))
		return kp_fail_at(e, KP_EINPUT, file, line,
				  "《%s》按期计分，须写期号", p->name);
	ai = pend_afind(pd, l, (uint32_t)si, (uint32_t)pub);
	if (ai >= 0)
		return kp_fail_at(e, KP_EINPUT, file, line,
				  (size_t)ai >= pd->na0
					  ? "重复的行：与本文件第 %zu 行相同（同一信息、同一刊物）"
					  : "重复的行：台账中已有这条采用，见采用编号 %zu",
				  (size_t)ai >= pd->na0 ? (size_t)l->a[ai].line
							: (size_t)ai + 1);
	a = kp_info_new_adopt(l);
	a->item = (uint32_t)si;
	a->pub = (uint32_t)pub;
	a->line = (uint32_t)line;
	a->date = adopted;
	a->pishi = (uint8_t)pishi;
	a->upstream = (uint8_t)up;
	a->issue = kp_info_own(l, cell(f, C_ISSUE));
	a->pishi_by = kp_info_own(l, cell(f, C_PISHI_BY));
	a->note = kp_info_own(l, *cell(f, C_ITEM) && !*cell(f, C_TITLE)
					 ? cell(f, C_NOTE) : "");
	pend_added(pd, l, true);
	return 0;
}

/* Check one row and add it to the ledger (in memory).  f[col] is the
 * row's text per column (NULL when the sheet has no such column). */
static int add_row(kp_info_ledger *l, pending *pd, const char *const *f,
		   const char *file, size_t line, bool serial_ok, kp_err *e)
{
	long si = -1;
	int pub, r = sub_part(l, pd, f, file, line, serial_ok, &si, e);
	if (r != 0)
		return r < 0 ? -1 : 0;
	pub = row_pub(l, cell(f, C_PUB), file, line, e);
	if (pub < 0)
		return -1;
	return adopt_part(l, pd, f, file, line, serial_ok, si, pub, e);
}

/* A row with more cells than the header: refused (a cell the header does
 * not name would be dropped unseen); empty trailing cells are no cells. */
int kp_info_extra_cell(const kp_sheet *sh, size_t r, size_t ncols, kp_err *e)
{
	for (size_t c = ncols; c < kp_sheet_ncols(sh, r); c++)
		if (*kp_sheet_cell(sh, r, c))
			return kp_fail_at(e, KP_EINPUT, kp_sheet_name(sh),
					  kp_sheet_line(sh, r),
					  "第 %zu 列“%s”在表头之外（表头只有 %zu 列）：补上表头或删去这一格",
					  c + 1, kp_sheet_cell(sh, r, c), ncols);
	return 0;
}

int kp_info_import(kp_info_ledger *l, const kp_sheet *sh, size_t *added,
		   kp_err *e)
{
	const char *file = kp_sheet_name(sh);
	size_t nrows = kp_sheet_nrows(sh), hdr = (size_t)-1, count = 0;
	int map[KP_CSV_MAX_FIELDS];
	size_t ncols = 0, nown0 = l->nowned;
	pending pd;
	bool serial_ok = kp_sheet_format(sh) == KP_SHEET_XLSX;
	int rc = -1;
	*added = 0;
	/* the header: the first row with a unit (or item) and a title or
	 * publication column, within the first 20 rows */
	for (size_t r = 0; r < nrows && r < 20 && hdr == (size_t)-1; r++) {
		bool has[NCOL] = { false };
		size_t nc = kp_sheet_ncols(sh, r);
		for (size_t c = 0; c < nc && c < KP_CSV_MAX_FIELDS; c++) {
			int k = col_of(kp_sheet_cell(sh, r, c));
			if (k >= 0)
				has[k] = true;
		}
		if ((has[C_UNIT] && has[C_TITLE]) || (has[C_ITEM] && has[C_PUB]))
			hdr = r;
	}
	if (hdr == (size_t)-1)
		return kp_fail(e, KP_EINPUT,
			       "%s: 找不到表头（前 20 行中没有“单位”和“标题”两列，或“编号”和“采用刊物”两列）",
			       file);
	pend_init(&pd, l);
	ncols = kp_sheet_ncols(sh, hdr);
	if (ncols > KP_CSV_MAX_FIELDS)
		ncols = KP_CSV_MAX_FIELDS;
	for (size_t c = 0; c < ncols; c++) {
		const char *h = kp_sheet_cell(sh, hdr, c);
		map[c] = col_of(h);
		if (map[c] < 0 && *h) {
			kp_fail_at(e, KP_EINPUT, file, kp_sheet_line(sh, hdr),
				   "不认识的列“%s”（可用的列见 docs/info-ledger.md；不需要的列请删去）",
				   h);
			goto out;
		}
		for (size_t d = 0; d < c; d++)
			if (map[c] >= 0 && map[c] != C_IGNORE && map[d] == map[c]) {
				kp_fail_at(e, KP_EINPUT, file,
					   kp_sheet_line(sh, hdr),
					   "列“%s”与第 %zu 列指同一项", h, d + 1);
				goto out;
			}
	}
	for (size_t r = hdr + 1; r < nrows; r++) {
		const char *f[NCOL] = { NULL };
		bool blank = true;
		char *trimmed[NCOL] = { NULL };
		int k;
		if (kp_info_extra_cell(sh, r, ncols, e) < 0)
			goto out;
		for (size_t c = 0; c < ncols; c++) {
			const char *v = kp_sheet_cell(sh, r, c);
			if (map[c] < 0 || map[c] == C_IGNORE)
				continue;
			trimmed[map[c]] = kp_trim(kp_xstrdup(v));
			f[map[c]] = trimmed[map[c]];
			if (*f[map[c]])
				blank = false;
		}
		k = blank ? 0
			  : add_row(l, &pd, f, file, kp_sheet_line(sh, r),
				    serial_ok, e);
		for (int c = 0; c < NCOL; c++)
			free(trimmed[c]);
		if (k < 0)
			goto out;
		if (!blank)
			count++;
	}
	*added = count;
	rc = 0;
out:
	if (rc < 0)
		pend_rollback(l, &pd, nown0);
	pend_release(&pd);
	return rc;
}

int kp_info_add(kp_info_ledger *l, const char *const *kv, kp_err *e)
{
	const char *f[NCOL] = { NULL };
	pending pd;
	size_t nown0 = l->nowned;
	int rc;
	for (size_t i = 0; kv[i] && kv[i + 1]; i += 2) {
		size_t c;
		for (c = 0; c < sizeof(colnames) / sizeof(*colnames); c++)
			if (*colnames[c].key && !strcmp(colnames[c].key, kv[i]))
				break;
		if (c == sizeof(colnames) / sizeof(*colnames))
			return kp_fail(e, KP_EINTERNAL, "未知的键 %s", kv[i]);
		f[colnames[c].col] = kv[i + 1];
	}
	pend_init(&pd, l);
	rc = add_row(l, &pd, f, "命令行", 0, false, e);
	if (rc < 0)
		pend_rollback(l, &pd, nown0);
	pend_release(&pd);
	return rc;
}

