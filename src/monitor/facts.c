/* monitor — monitoring's verdicts as facts of a round, as inspections'
 * findings are: a site vetoed by a national rule at the period's end
 * gives its unit a veto fact of source 检测 (inspect) on the indicator
 * the inspection map (data/inspect/facts-map.csv, compiled into the
 * inspector) gives the same finding — availability is the inspector's
 * homepage.reachable, the homepage rule its homepage.updated, the column
 * rules its column.updated and column.blank — for each
 * of the round's tables the map has a row for.  The evidence is the
 * site's URL and the verdict's figures. */
#include "monitor/monitor_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* the inspector's map, compiled in (src/inspect/facts.c) */
extern const char kp_inspect_facts_map_csv[];

/* A monitoring rule and the inspector's check it stands for. */
static const struct rule_check {
	const char *rule, *check;
} rule_checks[] = {
	{ "availability", "homepage.reachable" },
	{ "homepage", "homepage.updated" },
	{ "column_update", "column.updated" },
	{ "column_blank", "column.blank" },
};

static const char *check_of(const char *rule)
{
	for (size_t i = 0; i < sizeof(rule_checks) / sizeof(rule_checks[0]); i++)
		if (!strcmp(rule_checks[i].rule, rule))
			return rule_checks[i].check;
	return NULL;
}

/* The indicator the map gives check's veto on table (into ind), or 0.
 * The map's rows are plain: table,indicator,kind,check,… */
static int map_indicator(const char *table, const char *check, char *ind,
			 size_t n)
{
	const char *p = kp_inspect_facts_map_csv;
	while (*p) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char line[512], *f[4];
		int k = 0;
		if (len < sizeof(line) && *p != '#') {
			memcpy(line, p, len);
			line[len] = '\0';
			for (char *t = line; k < 4; k++) {
				f[k] = t;
				t = strchr(t, ',');
				if (!t)
					break;
				*t++ = '\0';
			}
			if (k >= 3 && !strcmp(f[0], table) && !strcmp(f[2], "veto") &&
			    !strcmp(f[3], check)) {
				snprintf(ind, n, "%s", f[1]);
				return 1;
			}
		}
		p += len + (end ? 1 : 0);
	}
	return 0;
}

struct names {
	char **v;
	size_t n;
};

static int unit_name(void *ctx, const kp_store_unit *u, kp_err *e)
{
	struct names *l = ctx;
	(void)e;
	l->v = kp_xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = kp_xstrdup(u->name);
	return 0;
}

static bool has_name(const struct names *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], name))
			return true;
	return false;
}

static void verdict_note(const kp_monitor_conf *c, json_t *v, kp_buf *b)
{
	const char *rule = json_string_value(json_object_get(v, "rule"));
	if (rule && !strcmp(rule, "availability"))
		kp_buf_addf(b, "网站监测：%s 至 %s 探测 %lld 次，首页无法访问 %lld 次（%.2f%%），达单项否决线 %g%%",
			    json_string_value(json_object_get(v, "window_from")),
			    json_string_value(json_object_get(v, "window_to")),
			    (long long)json_integer_value(json_object_get(v, "probes")),
			    (long long)json_integer_value(json_object_get(v, "failures")),
			    json_number_value(json_object_get(v, "failure_percent")),
			    c->veto_permille / 10.0);
	else if (rule && kp_monitor_column_rule(rule)) {
		kp_buf_adds(b, "网站监测：");
		kp_monitor_columns_text(v, rule, b);
		kp_buf_adds(b, "，达单项否决线");
	} else
		kp_buf_addf(b, "网站监测：首页 %lld 天未更新（最后一次变化 %s），达单项否决线 %d 天",
			    (long long)json_integer_value(json_object_get(v, "unchanged_days")),
			    json_string_value(json_object_get(v, "last_change")),
			    c->home_veto_days);
}

int kp_monitor_round_facts(kp_store *s, const kp_monitor_conf *c,
			   const char *round, int64_t from, int64_t to,
			   kp_facts *out, kp_err *e)
{
	kp_round rd;
	struct names units = { 0 };
	json_t *rep = NULL, *st;
	size_t i, nt;
	char day[24], at[24];
	int r = -1;
	memset(&rd, 0, sizeof(rd));
	if (kp_store_round_get(s, round, &rd, e) < 0)
		return -1;
	if (kp_store_units_each(s, rd.id, unit_name, &units, e) < 0 ||
	    kp_monitor_report_json(s, c, NULL, NULL, from, to, &rep, e) < 0)
		goto out;
	snprintf(day, sizeof(day), "%.10s", kp_monitor_time_str(to, at));
	nt = rd.ntables ? rd.ntables : 1;
	json_array_foreach(json_object_get(rep, "sites"), i, st) {
		const char *unit = json_string_value(json_object_get(st, "unit"));
		const char *url = json_string_value(json_object_get(st, "url"));
		size_t k;
		json_t *v;
		if (!unit || !has_name(&units, unit))
			continue;
		json_array_foreach(json_object_get(st, "verdicts"), k, v) {
			const char *check = check_of(json_string_value(json_object_get(v, "rule")));
			if (!check || !json_is_true(json_object_get(v, "veto")))
				continue;
			for (size_t t = 0; t < nt; t++) {
				const char *tid = rd.ntables ? rd.tables[t].table_id
							     : rd.table_id;
				char ind[64];
				kp_buf note = KP_BUF_INIT;
				kp_fact f;
				if (!map_indicator(tid, check, ind, sizeof(ind)))
					continue;
				verdict_note(c, v, &note);
				memset(&f, 0, sizeof(f));
				f.unit = (char *)unit;
				f.table = (char *)tid;
				f.indicator = ind;
				f.kind = KP_FACT_VETO;
				f.name = (char *)"";
				f.source = KP_SRC_INSPECT;
				f.author = (char *)"kaoping monitor";
				f.time = day;
				f.url = (char *)url;
				f.note = note.data;
				f.period = (char *)"";
				kp_facts_add(out, &f);
				kp_buf_release(&note);
			}
		}
	}
	r = 0;
out:
	json_decref(rep);
	for (i = 0; i < units.n; i++)
		free(units.v[i]);
	free(units.v);
	kp_round_release(&rd);
	return r;
}
