/* catalog/scheme.c — schemes: a year's tables, which units each applies
 * to, and how their results combine.  See catalog.h and docs/scheme.md. */
#include "catalog/catalog.h"

#include <stdlib.h>
#include <string.h>

void kp_scheme_free(kp_scheme *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nrows; i++) {
		kp_table_free(s->rows[i].table);
		free(s->rows[i].source);
	}
	free(s->rows);
	kp_table_free(s->def);
	free(s->source);
	free(s);
}

/* A file (ids have no '/' or '.') is remembered by its absolute path, so
 * a round finds it again from any directory. */
static char *source_of(const char *id_or_path)
{
	char *abs;
	if (strpbrk(id_or_path, "/.") && (abs = realpath(id_or_path, NULL)))
		return abs;
	return kp_xstrdup(id_or_path);
}

static bool bundled_file(const char *file)
{
	for (size_t i = 0; i < kp_bundled_count(); i++)
		if (!strcmp(kp_bundled_path(i), file))
			return true;
	return false;
}

int kp_scheme_open_table(const kp_table *def, const char *cell,
			 char **source, kp_table **t, kp_err *e)
{
	const char *slash = def->file ? strrchr(def->file, '/') : NULL;
	kp_buf where = KP_BUF_INIT;
	int rc;
	if (strpbrk(cell, "/.") && *cell != '/' && slash &&
	    !bundled_file(def->file))
		kp_buf_addf(&where, "%.*s/%s", (int)(slash - def->file),
			    def->file, cell);
	else
		kp_buf_adds(&where, cell);
	rc = kp_table_open(where.data, t, e);
	if (rc == 0 && source)
		*source = source_of(where.data);
	kp_buf_release(&where);
	return rc;
}

static int load_rows(kp_scheme *s, kp_err *e)
{
	const kp_table *d = s->def;
	const char *comb = kp_table_get(d, "combine");
	int wcol = kp_table_col(d, "weight");
	int rc = -1;
	if (!comb)
		return kp_fail_at(e, KP_EINPUT, d->file, 1,
				  "考评方案缺少 #meta,combine 行（sum 或 weighted，见 docs/scheme.md）");
	kp_combine_rule_parse(comb, &s->combine);
	if (!d->nrecs)
		return kp_fail_at(e, KP_EINPUT, d->file, 1, "考评方案没有列出任何表");
	if (d->nrecs > KP_SCHEME_MAX_TABLES)
		return kp_fail_at(e, KP_EINPUT, d->file, d->recs[KP_SCHEME_MAX_TABLES].line,
				  "考评方案最多 %d 张表", KP_SCHEME_MAX_TABLES);
	s->rows = kp_xcalloc(d->nrecs, sizeof(*s->rows));
	for (size_t i = 0; i < d->nrecs; i++) {
		kp_scheme_row *r = &s->rows[s->nrows];
		const char *cell = kp_record_cell(d, i, "table");
		const char *ap = kp_record_cell(d, i, "applies");
		kp_err sub;
		r->line = d->recs[i].line;
		r->label = kp_record_cell(d, i, "label");
		r->applies = ap ? ap : "";
		if (kp_scheme_open_table(d, cell, &r->source, &r->table,
					 &sub) < 0) {
			kp_fail_at(e, KP_EINPUT, d->file, r->line,
				   "表“%s”无法打开：%s", cell, sub.msg);
			goto out;
		}
		s->nrows++;
		if (r->table->kind != KP_KIND_INDICATORS) {
			kp_fail_at(e, KP_EINPUT, d->file, r->line,
				   "“%s”是%s，不是指标表", cell,
				   kp_kind_label(r->table->kind));
			goto out;
		}
		for (size_t k = 0; k + 1 < s->nrows; k++)
			if (!strcmp(kp_table_id(s->rows[k].table),
				    kp_table_id(r->table))) {
				kp_fail_at(e, KP_EINPUT, d->file, r->line,
					   "表 %s 已列在第 %zu 行（事实按表 id 指明所属的表，一张表只能列一次）",
					   kp_table_id(r->table), s->rows[k].line);
				goto out;
			}
		if (wcol >= 0 && *d->recs[i].cells[wcol]) {
			kp_num_parse(d->recs[i].cells[wcol], &r->weight);
			r->has_weight = true;
		}
		if (s->combine == KP_COMBINE_WEIGHTED && !r->has_weight) {
			kp_fail_at(e, KP_EINPUT, d->file, r->line,
				   "combine=weighted 的方案每一行都要写权重（weight 列），表 %s 没有",
				   kp_table_id(r->table));
			goto out;
		}
	}
	rc = 0;
out:
	return rc;
}

static void one_table(kp_scheme *s, kp_table *t)
{
	s->combine = KP_COMBINE_NONE;
	s->rows = kp_xcalloc(1, sizeof(*s->rows));
	s->rows[0].table = t;
	s->rows[0].source = kp_xstrdup(s->source);
	s->rows[0].label = "";
	s->rows[0].applies = "";
	s->nrows = 1;
}

kp_scheme *kp_scheme_one(kp_table *t, const char *source)
{
	kp_scheme *s = kp_xcalloc(1, sizeof(*s));
	s->source = kp_xstrdup(source);
	one_table(s, t);
	return s;
}

int kp_scheme_open(const char *id_or_path, kp_scheme **out, kp_err *e)
{
	kp_scheme *s = kp_xcalloc(1, sizeof(*s));
	kp_table *t;
	*out = NULL;
	if (kp_table_open(id_or_path, &t, e) < 0) {
		free(s);
		return -1;
	}
	s->source = source_of(id_or_path);
	if (t->kind == KP_KIND_INDICATORS) {
		one_table(s, t);
		*out = s;
		return 0;
	}
	if (t->kind != KP_KIND_SCHEME) {
		kp_fail(e, KP_EINPUT, "%s 是%s，不是指标表或考评方案",
			id_or_path, kp_kind_label(t->kind));
		kp_table_free(t);
		free(s->source);
		free(s);
		return -1;
	}
	s->def = t;
	if (load_rows(s, e) < 0) {
		kp_scheme_free(s);
		return -1;
	}
	*out = s;
	return 0;
}

const char *kp_scheme_id(const kp_scheme *s)
{
	return kp_table_id(s->def ? s->def : s->rows[0].table);
}

const char *kp_scheme_title(const kp_scheme *s)
{
	const char *t = kp_table_get(s->def ? s->def : s->rows[0].table,
				     "title");
	return t ? t : "";
}

const char *kp_scheme_registry(const kp_scheme *s)
{
	const char *r = s->def ? kp_table_get(s->def, "registry") : NULL;
	if (!r || !*r)
		r = kp_table_get(s->rows[0].table, "registry");
	return r && *r ? r : NULL;
}
