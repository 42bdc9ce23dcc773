/* inspect — from an inspection's findings to the facts of an indicator
 * table, by a map of check names to indicators (data/inspect/
 * facts-map.csv, compiled in, or a file of the same form).
 *
 * The map's rows name a table, an indicator, a kind of fact (veto or
 * fail) and the findings that give it: a check, and optionally the
 * finding's severity, its column's class, or where its dead link is.
 * Every finding that fits a row is one fact of source 检测 whose evidence
 * is the finding's URL and message.  The inspection is read from its JSON
 * (kp_inspect_result_json, as the store keeps it): the columns' classes and the
 * dead links' pages are there. */
#include "inspect/inspect.h"
#include "catalog/catalog.h"
#include "score/score.h"

#include <stdlib.h>
#include <string.h>

__asm__(".section .rodata\n"
	".global kp_inspect_facts_map_csv\n"
	"kp_inspect_facts_map_csv:\n"
	".incbin \"data/inspect/facts-map.csv\"\n"
	".byte 0\n"
	".previous\n");
extern const char kp_inspect_facts_map_csv[];

#define MAP_NAME "data/inspect/facts-map.csv"
#define MAP_FILE_MAX ((size_t)1 << 20)

enum { M_TABLE, M_INDICATOR, M_KIND, M_CHECK, M_SEVERITY, M_CLASS, M_WHERE,
       M_NCOLS };
static const char *const map_cols[M_NCOLS] = {
	"table", "indicator", "kind", "check", "severity", "class", "where",
};

enum where { W_ANY, W_HOME, W_NOT_HOME, W_ATTACHMENT };
static const char *const where_names[] = { "", "home", "!home", "attachment" };

struct row {
	char *indicator;      /* the node's code */
	kp_fact_kind kind;
	char *check, *severity, *classes;
	enum where where;
};

struct map {
	struct row *v;
	size_t n;
};

static void map_release(struct map *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].indicator);
		free(m->v[i].check);
		free(m->v[i].severity);
		free(m->v[i].classes);
	}
	free(m->v);
	memset(m, 0, sizeof(*m));
}

static bool known_check(const char *name)
{
	size_t n;
	const kp_inspect_check_info *c = kp_inspect_checks(&n);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(c[i].name, name))
			return true;
	return false;
}

/* One row of the map for table t; 0, or -1 with e naming file:line. */
static int map_row(struct map *m, const kp_table *t, const char *file,
		   size_t line, const char *const *col, kp_err *e)
{
	const kp_node *nd = kp_table_find(t, col[M_INDICATOR]);
	struct row r;
	size_t w;
	memset(&r, 0, sizeof(r));
	if (!nd)
		return kp_fail_at(e, KP_EINPUT, file, line, "表 %s 中没有指标“%s”",
				  kp_table_id(t), col[M_INDICATOR]);
	if (kp_fact_kind_parse(col[M_KIND], &r.kind) < 0 ||
	    (r.kind != KP_FACT_VETO && r.kind != KP_FACT_FAIL))
		return kp_fail_at(e, KP_EINPUT, file, line,
				  "kind 应为 veto（否决）或 fail（扣分），而不是“%s”",
				  col[M_KIND]);
	if (!known_check(col[M_CHECK]))
		return kp_fail_at(e, KP_EINPUT, file, line,
				  "没有名为“%s”的检查（见 docs/inspect.md“检查”）",
				  col[M_CHECK]);
	for (w = 0; w < sizeof(where_names) / sizeof(where_names[0]); w++)
		if (!strcmp(where_names[w], col[M_WHERE]))
			break;
	if (w == sizeof(where_names) / sizeof(where_names[0]))
		return kp_fail_at(e, KP_EINPUT, file, line,
				  "where 应为 home、!home、attachment 或空，而不是“%s”",
				  col[M_WHERE]);
	r.indicator = kp_xstrdup(nd->code);
	r.check = kp_xstrdup(col[M_CHECK]);
	r.severity = kp_xstrdup(col[M_SEVERITY]);
	r.classes = kp_xstrdup(col[M_CLASS]);
	r.where = (enum where)w;
	m->v = kp_xrealloc(m->v, (m->n + 1) * sizeof(*m->v));
	m->v[m->n++] = r;
	return 0;
}

/* The map's rows for table t (from file, or the compiled-in map): 0,
 * 1 when it has none (m empty), -1 when the map is wrong. */
static int map_load(struct map *m, const kp_table *t, const char *file,
		    kp_err *e)
{
	kp_buf data = KP_BUF_INIT;
	kp_csv csv;
	int idx[M_NCOLS], r;
	bool header = false;
	const char *name = file ? file : MAP_NAME;
	memset(m, 0, sizeof(*m));
	if (file && kp_read_file(file, MAP_FILE_MAX, &data, e) < 0)
		return -1;
	kp_csv_init(&csv, name, file ? (data.data ? data.data : "") : kp_inspect_facts_map_csv,
		    file ? data.len : strlen(kp_inspect_facts_map_csv), ',');
	while ((r = kp_csv_next(&csv, e)) == 1) {
		const char *col[M_NCOLS];
		if (!csv.nfields || csv.fields[0][0] == '#' ||
		    (csv.nfields == 1 && !*csv.fields[0]))
			continue;
		if (!header) {
			for (int k = 0; k < M_NCOLS; k++) {
				idx[k] = -1;
				for (size_t f = 0; f < csv.nfields; f++)
					if (!strcmp(csv.fields[f], map_cols[k]))
						idx[k] = (int)f;
				if (idx[k] < 0 && k <= M_CHECK) {
					kp_fail_at(e, KP_EINPUT, name, csv.row_line,
						   "表头缺少 %s 列（应有 table,indicator,kind,check，可选 severity,class,where）",
						   map_cols[k]);
					goto fail;
				}
			}
			header = true;
			continue;
		}
		for (int k = 0; k < M_NCOLS; k++)
			col[k] = idx[k] >= 0 && (size_t)idx[k] < csv.nfields
					 ? csv.fields[idx[k]] : "";
		if (strcmp(col[M_TABLE], kp_table_id(t)))
			continue;
		if (map_row(m, t, name, csv.row_line, col, e) < 0)
			goto fail;
	}
	if (r < 0)
		goto fail;
	kp_csv_release(&csv);
	kp_buf_release(&data);
	return m->n ? 0 : 1;
fail:
	kp_csv_release(&csv);
	kp_buf_release(&data);
	map_release(m);
	return -1;
}

/* ---- matching -------------------------------------------------------- */

static const char *jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* The class of the column at url, or NULL. */
static const char *column_class(const json_t *j, const char *url)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(j, "columns"), i, c)
		if (!strcmp(jstr(c, "url"), url))
			return jstr(c, "class");
	return NULL;
}

static int class_is(void *ctx, const char *item)
{
	return !strcmp(item, ctx);
}

/* Is cls in the list ("a、b"; "!a、b": not in it)? */
static bool class_fits(const char *list, const char *cls)
{
	bool neg = list[0] == '!';
	bool in = kp_list_each(neg ? list + 1 : list, class_is, (void *)cls) != 0;
	return neg ? !in : in;
}

/* Is the dead link at url where w says? */
static bool where_fits(const json_t *j, const char *url, enum where w)
{
	const json_t *home = json_object_get(j, "homepage");
	size_t i, k;
	json_t *d, *on;
	json_array_foreach(json_object_get(j, "dead_links"), i, d) {
		bool on_home = false;
		if (strcmp(jstr(d, "url"), url))
			continue;
		if (w == W_ATTACHMENT)
			return !strcmp(jstr(d, "kind"), "attachment");
		json_array_foreach(json_object_get(d, "found_on"), k, on) {
			const char *p = json_string_value(on);
			if (p && (!strcmp(p, jstr(home, "url")) ||
				  !strcmp(p, jstr(home, "final_url"))))
				on_home = true;
		}
		return w == W_HOME ? on_home : !on_home;
	}
	return false;
}

static bool fits(const struct row *r, const json_t *j, const json_t *f)
{
	const char *url = jstr(json_object_get(f, "evidence"), "url");
	if (strcmp(r->check, jstr(f, "check")))
		return false;
	if (*r->severity && strcmp(r->severity, jstr(f, "severity")))
		return false;
	if (*r->classes) {
		const char *cls = column_class(j, url);
		if (!cls || !class_fits(r->classes, cls))
			return false;
	}
	return r->where == W_ANY || where_fits(j, url, r->where);
}

int kp_inspect_inspection_facts(const json_t *j, const kp_table *t, const char *unit,
			 const char *map_file, kp_facts *out, kp_err *e)
{
	struct map m;
	size_t i;
	json_t *f;
	int r = map_load(&m, t, map_file, e);
	if (r)
		return r;
	json_array_foreach(json_object_get(j, "findings"), i, f) {
		const json_t *ev = json_object_get(f, "evidence");
		for (size_t k = 0; k < m.n; k++) {
			kp_fact x;
			if (!fits(&m.v[k], j, f))
				continue;
			memset(&x, 0, sizeof(x));
			x.unit = (char *)unit;
			x.table = (char *)kp_table_id(t);
			x.indicator = m.v[k].indicator;
			x.kind = m.v[k].kind;
			x.name = (char *)"";
			x.has_value = x.kind == KP_FACT_FAIL;
			x.value = (kp_num){ 1, 1 };
			x.source = KP_SRC_INSPECT;
			x.author = (char *)"kaoping inspect";
			x.time = (char *)jstr(ev, "time");
			x.url = (char *)jstr(ev, "url");
			x.note = (char *)jstr(f, "message");
			kp_facts_add(out, &x);
		}
	}
	map_release(&m);
	return 0;
}

int kp_inspect_map_covers(const kp_table *t, const char *map_file,
			  char ***codes, size_t *n, kp_err *e)
{
	struct map m;
	int r = map_load(&m, t, map_file, e);
	*codes = NULL;
	*n = 0;
	if (r)
		return r;
	for (size_t k = 0; k < m.n; k++) {
		bool seen = false;
		for (size_t i = 0; i < *n && !seen; i++)
			seen = !strcmp((*codes)[i], m.v[k].indicator);
		if (seen)
			continue;
		*codes = kp_xrealloc(*codes, (*n + 1) * sizeof(char *));
		(*codes)[(*n)++] = kp_xstrdup(m.v[k].indicator);
	}
	map_release(&m);
	return 0;
}
