/* kaoping info stats — each unit's submissions, duplicates, late urgent
 * items and adoption points in a period, as text or JSON
 * (kp_info_stats_json). */
#include "cli/cmd_info.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

const struct cli_opt info_stats_opts[] = {
	INFO_COMMON_OPTS,
	{ "period", 0, "期间", "年 2016、季度 2016Q3、半年 2016H1 或月 2016-07" },
	{ "unit", 0, "单位", "只统计这个单位（并列出各月报送条数）" },
	{ "json", 0, NULL, "以 JSON 输出" },
	{ NULL, 0, NULL, NULL },
};

int cmd_info_stats(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	info_env v;
	kp_info_period p;
	kp_info_stats st;
	const char *ps = NULL, *unit;
	size_t nm;
	kp_err e;
	int rc;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("info stats 不接受参数“%s”", a.pos[0]);
	ps = cli_get(cmd, &a, "period");
	if (!ps)
		return cli_usage_error("info stats：需要 --period，如 2016 或 2016Q3");
	if (kp_info_period_parse(ps, &p, &e) < 0)
		return cli_error(&e);
	unit = cli_get(cmd, &a, "unit");
	if ((rc = info_env_open(cmd, &a, false, &v)))
		return rc;
	if (kp_info_stats_compute(v.l, &p, unit, &st, &e) < 0) {
		info_env_release(&v);
		return cli_error(&e);
	}
	nm = (size_t)(p.to_month - p.from_month + 1);
	if (cli_get(cmd, &a, "json")) {
		rc = cli_print_json(kp_info_stats_json(&st, ps));
	} else {
		printf("%s政务信息报送与采用统计（报送按报送日期，采用按采用日期计入期间）\n\n",
		       p.label);
		cli_pad(stdout, "单位", 26);
		printf("报送 不足月 重复 紧急迟漏 约稿未完 虚假 市级条 市级分 省级条 省级分\n");
		for (size_t i = 0; i < st.n; i++) {
			const kp_info_stat *s = &st.v[i];
			char b1[32], b2[32];
			cli_pad(stdout, s->unit, 26);
			printf("%4u %6u %4u %8u %8u %4u %6u %6s %6u %6s\n",
			       s->submitted, s->months_short, s->duplicates,
			       s->urgent_late + s->urgent_missing,
			       s->feedback_missed, s->false_info,
			       s->city_adoptions,
			       kp_num_str(s->city_points, b1),
			       s->province_adoptions,
			       kp_num_str(s->province_points, b2));
			if (unit) {
				printf("\n各月报送条数（每月不少于 %d 条）：", s->monthly_min);
				for (size_t m = 0; m < nm; m++)
					printf("%s%d月 %u", m ? "，" : "",
					       p.from_month + (int)m,
					       s->per_month[m]);
				printf("\n");
			}
		}
	}
	kp_info_stats_release(&st);
	info_env_release(&v);
	return 0;
}
