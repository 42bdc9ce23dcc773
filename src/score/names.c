/* score/names.c — the one table of fact kinds and the one table of fact
 * sources: English name (files, JSON, the store), Chinese label, other
 * spellings read.  Everything that names a kind or a source asks here
 * (kp_fact_kind_name, kp_source_label …).  See score.h. */
#include "score/score_int.h"

#include <string.h>

/* One row per kind: English name, then the Chinese spellings accepted
 * (the first is its label). */
static const struct {
	const char *name;
	const char *zh[4];
} kinds[KP_FACT_KIND_COUNT] = {
	[KP_FACT_SCORE] = { "score", { "评分", "打分", "得分", NULL } },
	[KP_FACT_FAIL] = { "fail", { "扣分", "未达标", NULL } },
	[KP_FACT_QUANTITY] = { "quantity", { "数量", "数值", NULL } },
	[KP_FACT_VETO] = { "veto", { "否决", "一票否决", NULL } },
	[KP_FACT_NA] = { "na", { "不适用", NULL } },
	[KP_FACT_ASSESSED] = { "assessed", { "已评", "已检查", NULL } },
};

/* One row per source: English name, Chinese label, another Chinese
 * spelling accepted, and whether its facts decide scores (自评 facts are
 * shown beside, never counted). */
static const struct {
	const char *name;
	const char *label;
	const char *alt;
	bool counts;
} sources[KP_SRC_COUNT] = {
	[KP_SRC_SELF] = { "self", "自评", "自查", false },
	[KP_SRC_ASSESSOR] = { "assessor", "考核", "考评", true },
	[KP_SRC_INSPECT] = { "inspect", "检测", "监测", true },
	[KP_SRC_LEDGER] = { "ledger", "台账", "统计", true },
};

const char *kp_fact_kind_name(kp_fact_kind k)
{
	return k < KP_FACT_KIND_COUNT ? kinds[k].name : "?";
}

const char *kp_fact_kind_label(kp_fact_kind k)
{
	return k < KP_FACT_KIND_COUNT ? kinds[k].zh[0] : "?";
}

const char *kp_source_name(kp_source s)
{
	return s < KP_SRC_COUNT ? sources[s].name : "?";
}

const char *kp_source_label(kp_source s)
{
	return s < KP_SRC_COUNT ? sources[s].label : "?";
}

int kp_fact_kind_parse(const char *s, kp_fact_kind *out)
{
	for (int k = 0; k < KP_FACT_KIND_COUNT; k++) {
		bool hit = !strcmp(s, kinds[k].name);
		for (int j = 0; !hit && kinds[k].zh[j]; j++)
			hit = !strcmp(s, kinds[k].zh[j]);
		if (hit) {
			*out = (kp_fact_kind)k;
			return 0;
		}
	}
	return -1;
}

int kp_source_parse(const char *s, kp_source *out)
{
	for (int k = 0; k < KP_SRC_COUNT; k++)
		if (!strcmp(s, sources[k].name) || !strcmp(s, sources[k].label) ||
		    !strcmp(s, sources[k].alt)) {
			*out = (kp_source)k;
			return 0;
		}
	return -1;
}

bool kp_source_counts(kp_source s)
{
	return s < KP_SRC_COUNT && sources[s].counts;
}

bool kp_fact_whole_unit(const kp_fact *f)
{
	return f->kind == KP_FACT_ASSESSED && f->indicator &&
	       (!strcmp(f->indicator, KP_FACT_WHOLE_UNIT) ||
		!strcmp(f->indicator, "全部"));
}

void kp_fact_kinds_list(kp_buf *out)
{
	for (int k = 0; k < KP_FACT_KIND_COUNT; k++)
		kp_buf_addf(out, "%s%s %s", k ? "、" : "", kinds[k].name,
			    kinds[k].zh[0]);
}

void kp_sources_list(kp_buf *out)
{
	for (int k = 0; k < KP_SRC_COUNT; k++)
		kp_buf_addf(out, "%s%s %s", k ? "、" : "", sources[k].name,
			    sources[k].label);
}
