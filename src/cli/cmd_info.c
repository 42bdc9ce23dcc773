/* kaoping info … — the 政务信息 ledger's commands: add, import, stats,
 * bulletin, facts.  See docs/info-ledger.md. */
#include "cli/cli.h"
#include "ledger/ledger.h"
#include "score/score.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* The options every info command has: where the ledger is and which
 * tables give it meaning. */
#define INFO_COMMON_OPTS                                                   \
	{ "ledger", 0, "目录", "台账目录（submissions.csv、adoptions.csv）" },     \
	{ "units", 0, "ID|文件", "单位名录（默认 pzh-units）" },                  \
	{ "points", 0, "ID|文件", "采用计分标准（默认 pzh2016-info-points）" },   \
	{ "quota", 0, "ID|文件", "采用任务分配表（默认 pzh2016-info-quota）" },   \
	{ "sheets", 0, "ID,…", "政务信息工作考评表（默认 2016 年市级、县区、高新区三张）" }

const struct cli_opt info_add_opts[] = {
	INFO_COMMON_OPTS,
	{ "unit", 0, "单位", "报送单位（规范名称或别名）" },
	{ "date", 0, "日期", "报送日期，如 2016-07-05（未报送的紧急或约稿信息可不写，但须写 --due）" },
	{ "title", 0, "标题", "信息标题" },
	{ "category", 0, "类别", "信息类别" },
	{ "urgent", 0, NULL, "紧急重要信息" },
	{ "request", 0, "约稿|批示反馈", "约稿或市政府领导批示要求反馈的信息" },
	{ "due", 0, "日期", "要求报送时限（紧急、约稿、批示反馈信息）" },
	{ "false-info", 0, NULL, "经核实为虚假信息" },
	{ "note", 0, "文字", "备注" },
	{ "item", 0, "编号", "给台账中已有的报送（编号）记一次采用" },
	{ "publication", 0, "刊物", "采用刊物，如 攀政快讯、川政晨讯" },
	{ "adopted", 0, "日期", "采用日期" },
	{ "issue", 0, "期号", "期号（按期计分的刊物，如每日政情）" },
	{ "pishi", 0, "级别", "领导批示的级别：市级、省级、国家级" },
	{ "pishi-by", 0, "领导", "批示领导" },
	{ "upstream", 0, NULL, "上报国办的信息被国办采用" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_opt info_import_opts[] = {
	INFO_COMMON_OPTS,
	{ "sheet", 0, "N", "XLSX：读第 N 个工作表（默认第一个）" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_opt info_stats_opts[] = {
	INFO_COMMON_OPTS,
	{ "period", 0, "期间", "年 2016、季度 2016Q3、半年 2016H1 或月 2016-07" },
	{ "unit", 0, "单位", "只统计这个单位（并列出各月报送条数）" },
	{ "json", 0, NULL, "以 JSON 输出" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_opt info_bulletin_opts[] = {
	INFO_COMMON_OPTS,
	{ "period", 0, "期间", "通报的期间，如 2016Q3（完成情况按年初至期末累计）" },
	{ "output", 'o', "文件", "写入文件：.xlsx、.csv 或 .txt（默认文本到标准输出）" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_opt info_facts_opts[] = {
	INFO_COMMON_OPTS,
	{ "year", 0, "年度", "考核年度，如 2016" },
	{ "unit", 0, "单位", "只写这个单位的事实" },
	{ "sheet", 0, "ID", "只写这张考评表适用的单位（一个考评轮次的事实），如 pzh2016-info-county" },
	{ "output", 'o', "文件", "写入事实 CSV（默认标准输出）" },
	{ NULL, 0, NULL, NULL },
};

/* ---- shared ------------------------------------------------------------ */

typedef struct info_env {
	kp_info_rules *r;
	kp_info_ledger *l;
	const char *dir;
} info_env;

static void env_release(info_env *v)
{
	kp_info_free(v->l);
	kp_info_rules_free(v->r);
}

static int env_open(const struct cli_cmd *cmd, const struct cli_args *a,
		    info_env *v)
{
	kp_info_spec sp;
	kp_err e;
	memset(v, 0, sizeof(*v));
	v->dir = cli_get(cmd, a, "ledger");
	if (!v->dir)
		return cli_usage_error("%s：需要 --ledger 目录（见 kaoping %s --help）",
				       cmd->words, cmd->words);
	sp.units = cli_get(cmd, a, "units");
	sp.schedule = cli_get(cmd, a, "points");
	sp.quota = cli_get(cmd, a, "quota");
	sp.sheets = cli_get(cmd, a, "sheets");
	if (kp_info_rules_open(&sp, &v->r, &e) < 0 ||
	    kp_info_load(v->dir, v->r, &v->l, &e) < 0) {
		env_release(v);
		return cli_error(&e);
	}
	return 0;
}

static const char *pct(kp_num got, kp_num quota, char *buf)
{
	kp_num r;
	if (quota.n <= 0 || kp_num_div(got, quota, &r) < 0 ||
	    kp_num_mul(r, kp_num_int(100), &r) < 0)
		return "—";
	char num[32];
	snprintf(buf, 32, "%s%%", kp_num_fmt2(r, num));
	return buf;
}

static json_t *num_json(kp_num v)
{
	char b[32];
	return json_string(kp_num_fmt2(v, b));
}

/* ---- add, import ---------------------------------------------------------- */

int cmd_info_add(const struct cli_cmd *cmd, int argc, char **argv)
{
	static const char *const map[][2] = {
		{ "unit", "unit" }, { "date", "date" }, { "title", "title" },
		{ "category", "category" }, { "request", "request" },
		{ "due", "due" }, { "note", "note" }, { "item", "item" },
		{ "publication", "publication" }, { "adopted", "adopted" },
		{ "issue", "issue" }, { "pishi", "pishi" },
		{ "pishi-by", "pishi_by" },
	};
	struct cli_args a;
	info_env v;
	const char *kv[2 * 20 + 1];
	size_t n = 0, ns, na;
	kp_err e;
	int rc;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("info add 不接受参数“%s”", a.pos[0]);
	if (!cli_get(cmd, &a, "title") && !cli_get(cmd, &a, "item"))
		return cli_usage_error("info add：需要 --title（记一条报送）或 --item（给已有报送记采用）");
	if (cli_get(cmd, &a, "item") && !cli_get(cmd, &a, "publication"))
		return cli_usage_error("info add：--item 需要 --publication 和 --adopted");
	if ((rc = env_open(cmd, &a, &v)))
		return rc;
	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
		if (cli_get(cmd, &a, map[i][0])) {
			kv[n++] = map[i][1];
			kv[n++] = cli_get(cmd, &a, map[i][0]);
		}
	if (cli_get(cmd, &a, "urgent")) {
		kv[n++] = "urgent";
		kv[n++] = "1";
	}
	if (cli_get(cmd, &a, "false-info")) {
		kv[n++] = "false_info";
		kv[n++] = "1";
	}
	if (cli_get(cmd, &a, "upstream")) {
		kv[n++] = "upstream";
		kv[n++] = "1";
	}
	kv[n] = NULL;
	ns = kp_info_nsubmissions(v.l);
	na = kp_info_nadoptions(v.l);
	if (kp_info_add(v.l, kv, &e) < 0 || kp_info_save(v.l, v.dir, &e) < 0) {
		env_release(&v);
		return cli_error(&e);
	}
	if (kp_info_nsubmissions(v.l) > ns)
		printf("已记入报送，编号 %zu\n", kp_info_nsubmissions(v.l));
	if (kp_info_nadoptions(v.l) > na)
		printf("已记入采用，编号 %zu\n", kp_info_nadoptions(v.l));
	env_release(&v);
	return 0;
}

int cmd_info_import(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	info_env v;
	kp_sheet *sh = NULL;
	kp_sheet_opts so = { 0, 0, 0 };
	size_t rows, ns, na;
	kp_err e;
	int rc;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos != 1)
		return cli_usage_error("info import 需要一个文件（CSV、TSV 或 XLSX）");
	if (cli_get(cmd, &a, "sheet")) {
		const char *sv = cli_get(cmd, &a, "sheet");
		long k = kp_digits(sv, sv + strlen(sv), 1001);
		if (k < 1 || k > 1000 || sv[strspn(sv, "0123456789")])
			return cli_usage_error("--sheet 需要 1 以上的整数（收到“%s”）", sv);
		so.sheet = (int)k;
	}
	if ((rc = env_open(cmd, &a, &v)))
		return rc;
	ns = kp_info_nsubmissions(v.l);
	na = kp_info_nadoptions(v.l);
	if (kp_sheet_load(a.pos[0], &so, &sh, &e) < 0 ||
	    kp_info_import(v.l, sh, &rows, &e) < 0 ||
	    kp_info_save(v.l, v.dir, &e) < 0) {
		kp_sheet_free(sh);
		env_release(&v);
		return cli_error(&e);
	}
	printf("%s：导入 %zu 行：报送 %zu 条，采用 %zu 条；台账现有报送 %zu 条，采用 %zu 条\n",
	       a.pos[0], rows, kp_info_nsubmissions(v.l) - ns,
	       kp_info_nadoptions(v.l) - na, kp_info_nsubmissions(v.l),
	       kp_info_nadoptions(v.l));
	kp_sheet_free(sh);
	env_release(&v);
	return 0;
}

/* ---- stats --------------------------------------------------------------- */

static json_t *stat_json(const kp_info_stat *s, size_t nm)
{
	json_t *o = json_object(), *pm = json_array();
	char b[32];
	json_object_set_new(o, "unit", json_string(s->unit));
	json_object_set_new(o, "type", json_string(s->type));
	json_object_set_new(o, "submitted", json_integer(s->submitted));
	for (size_t m = 0; m < nm; m++)
		json_array_append_new(pm, json_integer(s->per_month[m]));
	json_object_set_new(o, "per_month", pm);
	json_object_set_new(o, "monthly_min", json_integer(s->monthly_min));
	json_object_set_new(o, "months_short", json_integer(s->months_short));
	json_object_set_new(o, "duplicates", json_integer(s->duplicates));
	json_object_set_new(o, "urgent", json_integer(s->urgent));
	json_object_set_new(o, "urgent_late", json_integer(s->urgent_late));
	json_object_set_new(o, "urgent_missing",
			    json_integer(s->urgent_missing));
	json_object_set_new(o, "requests", json_integer(s->requests));
	json_object_set_new(o, "feedback_missed",
			    json_integer(s->feedback_missed));
	json_object_set_new(o, "false_info", json_integer(s->false_info));
	json_object_set_new(o, "city_adoptions", json_integer(s->city_adoptions));
	json_object_set_new(o, "province_adoptions",
			    json_integer(s->province_adoptions));
	json_object_set_new(o, "instructions", json_integer(s->instructions));
	json_object_set_new(o, "upstream", json_integer(s->upstream));
	json_object_set_new(o, "city_points", num_json(s->city_points));
	json_object_set_new(o, "province_points", num_json(s->province_points));
	json_object_set_new(o, "city_points_ytd", num_json(s->city_points_ytd));
	json_object_set_new(o, "province_points_ytd",
			    num_json(s->province_points_ytd));
	json_object_set_new(o, "city_quota",
			    s->has_quota ? num_json(s->city_quota) : json_null());
	json_object_set_new(o, "province_quota",
			    s->has_quota ? num_json(s->province_quota)
					 : json_null());
	json_object_set_new(o, "city_ratio_ytd",
			    s->has_quota && s->city_quota.n > 0
				    ? json_string(pct(s->city_points_ytd,
						      s->city_quota, b))
				    : json_null());
	json_object_set_new(o, "province_ratio_ytd",
			    s->has_quota && s->province_quota.n > 0
				    ? json_string(pct(s->province_points_ytd,
						      s->province_quota, b))
				    : json_null());
	return o;
}

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
	if ((rc = env_open(cmd, &a, &v)))
		return rc;
	if (kp_info_stats_compute(v.l, &p, unit, &st, &e) < 0) {
		env_release(&v);
		return cli_error(&e);
	}
	nm = (size_t)(p.to_month - p.from_month + 1);
	if (cli_get(cmd, &a, "json")) {
		json_t *o = json_object(), *arr = json_array();
		char *s;
		json_object_set_new(o, "period", json_string(ps));
		json_object_set_new(o, "label", json_string(p.label));
		json_object_set_new(o, "from_month", json_integer(p.from_month));
		json_object_set_new(o, "to_month", json_integer(p.to_month));
		for (size_t i = 0; i < st.n; i++)
			json_array_append_new(arr, stat_json(&st.v[i], nm));
		json_object_set_new(o, "units", arr);
		s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(o);
		if (s)
			puts(s);
		free(s);
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
	env_release(&v);
	return 0;
}

/* ---- bulletin ------------------------------------------------------------- */

static bool ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && !strcmp(s + a - b, suf);
}

#define BCOLS 11
static const char *const bhead[BCOLS] = {
	"序号", "单位", "市级任务", "本期市级", "市级完成", "市级完成率",
	"省级任务", "本期省级", "省级完成", "省级完成率", "报送条数",
};

/* The bulletin as an XLSX workbook: temp file, then rename.  Numbers stay
 * numbers so that Excel can sum and sort them. */
static int bulletin_xlsx(const char *path, const char *title,
			 char *const *cells, size_t nrows, kp_err *e)
{
	kp_buf tmp = KP_BUF_INIT;
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold, *percent;
	lxw_error err;
	int fd, rc = -1;
	kp_buf_addf(&tmp, "%s.tmp.%ld.xlsx", path, (long)getpid());
	fd = open(tmp.data, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0) {
		kp_fail(e, KP_EIO, "%s: 无法创建文件：%s", path, strerror(errno));
		goto out;
	}
	close(fd);
	wb = workbook_new(tmp.data);
	if (!wb) {
		kp_fail(e, KP_EIO, "%s: 无法创建文件", path);
		unlink(tmp.data);
		goto out;
	}
	ws = workbook_add_worksheet(wb, "通报");
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	percent = workbook_add_format(wb);
	format_set_num_format(percent, "0.00%");
	worksheet_write_string(ws, 0, 0, title, bold);
	worksheet_set_column(ws, 1, 1, 26, NULL);
	worksheet_set_column(ws, 2, BCOLS - 1, 11, NULL);
	for (size_t c = 0; c < BCOLS; c++)
		worksheet_write_string(ws, 1, (lxw_col_t)c, bhead[c], bold);
	for (size_t r = 0; r < nrows; r++)
		for (size_t c = 0; c < BCOLS; c++) {
			const char *v = cells[r * BCOLS + c];
			kp_num num;
			if (c != 1 && kp_num_parse(v, &num) == 0)
				worksheet_write_number(ws, (lxw_row_t)(r + 2),
						       (lxw_col_t)c,
						       kp_num_double(num),
						       strchr(v, '%') ? percent
								      : NULL);
			else
				worksheet_write_string(ws, (lxw_row_t)(r + 2),
						       (lxw_col_t)c, v, NULL);
		}
	err = workbook_close(wb);
	if (err != LXW_NO_ERROR) {
		kp_fail(e, KP_EIO, "%s: 写入 XLSX 失败：%s", path,
			lxw_strerror(err));
		unlink(tmp.data);
		goto out;
	}
	if (rename(tmp.data, path) < 0) {
		kp_fail(e, KP_EIO, "%s: 写入失败：%s", path, strerror(errno));
		unlink(tmp.data);
		goto out;
	}
	rc = 0;
out:
	kp_buf_release(&tmp);
	return rc;
}

int cmd_info_bulletin(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	info_env v;
	kp_info_period p;
	kp_info_stats st;
	const char *ps, *dest;
	kp_buf out = KP_BUF_INIT, title = KP_BUF_INIT;
	char **cells = NULL;
	size_t nrows = 0;
	bool csv, xlsx;
	kp_err e;
	int rc;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("info bulletin 不接受参数“%s”", a.pos[0]);
	ps = cli_get(cmd, &a, "period");
	if (!ps)
		return cli_usage_error("info bulletin：需要 --period，如 2016Q3");
	if (kp_info_period_parse(ps, &p, &e) < 0)
		return cli_error(&e);
	dest = cli_get(cmd, &a, "output");
	csv = dest && ends_with(dest, ".csv");
	xlsx = dest && ends_with(dest, ".xlsx");
	if (dest && !csv && !xlsx && !ends_with(dest, ".txt"))
		return cli_usage_error("info bulletin：-o 的文件应以 .csv、.xlsx 或 .txt 结尾");
	if ((rc = env_open(cmd, &a, &v)))
		return rc;
	if (kp_info_stats_compute(v.l, &p, NULL, &st, &e) < 0) {
		env_release(&v);
		return cli_error(&e);
	}
	kp_buf_addf(&title, "%s政务信息采用情况通报（完成情况为1月至%d月累计，任务为全年任务，单位：分）",
		    p.label, p.to_month);
	cells = kp_xcalloc(st.n * BCOLS + 1, sizeof(char *));
	for (size_t i = 0; i < st.n; i++) {
		const kp_info_stat *s = &st.v[i];
		char b[32], **c = cells + nrows * BCOLS;
		if (!s->has_quota)
			continue;
		snprintf(b, sizeof(b), "%zu", nrows + 1);
		c[0] = kp_xstrdup(b);
		c[1] = kp_xstrdup(s->unit);
		c[2] = kp_xstrdup(kp_num_str(s->city_quota, b));
		c[3] = kp_xstrdup(kp_num_str(s->city_points, b));
		c[4] = kp_xstrdup(kp_num_str(s->city_points_ytd, b));
		c[5] = kp_xstrdup(pct(s->city_points_ytd, s->city_quota, b));
		c[6] = kp_xstrdup(kp_num_str(s->province_quota, b));
		c[7] = kp_xstrdup(kp_num_str(s->province_points, b));
		c[8] = kp_xstrdup(kp_num_str(s->province_points_ytd, b));
		c[9] = kp_xstrdup(pct(s->province_points_ytd, s->province_quota,
				      b));
		snprintf(b, sizeof(b), "%u", s->submitted);
		c[10] = kp_xstrdup(b);
		nrows++;
	}
	if (xlsx) {
		rc = bulletin_xlsx(dest, title.data, cells, nrows, &e) < 0
			     ? cli_error(&e) : 0;
		goto done;
	}
	if (csv) {
		kp_csv_put(&out, title.data);
		kp_buf_addc(&out, '\n');
		for (size_t j = 0; j < BCOLS; j++)
			kp_buf_addf(&out, "%s%s", j ? "," : "", bhead[j]);
		kp_buf_addc(&out, '\n');
	} else {
		kp_buf_addf(&out, "%s\n\n", title.data);
	}
	for (size_t r = 0; r <= nrows; r++) {
		static const size_t w[BCOLS] = { 5, 24, 9, 9, 9, 11,
						 9, 9, 9, 11, 8 };
		const char *const *c = r ? (const char *const *)cells +
						   (r - 1) * BCOLS
					 : bhead;
		if (csv && !r)
			continue;
		for (size_t j = 0; j < BCOLS; j++) {
			if (csv) {
				if (j)
					kp_buf_addc(&out, ',');
				kp_csv_put(&out, c[j]);
			} else {
				size_t have = kp_utf8_width(c[j]);
				kp_buf_adds(&out, c[j]);
				while (have++ < w[j])
					kp_buf_addc(&out, ' ');
			}
		}
		kp_buf_addc(&out, '\n');
	}
	rc = 0;
	if (kp_write_atomic(dest ? dest : "-", out.data ? out.data : "",
			    out.len, &e) < 0)
		rc = cli_error(&e);
done:
	for (size_t i = 0; i < nrows * BCOLS; i++)
		free(cells[i]);
	free(cells);
	kp_buf_release(&out);
	kp_buf_release(&title);
	kp_info_stats_release(&st);
	env_release(&v);
	return rc;
}

/* ---- facts ------------------------------------------------------------------ */

int cmd_info_facts(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	info_env v;
	kp_facts fs = KP_FACTS_INIT;
	kp_buf out = KP_BUF_INIT;
	const char *ys, *dest;
	char *end;
	long year;
	kp_err e;
	int rc;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("info facts 不接受参数“%s”", a.pos[0]);
	ys = cli_get(cmd, &a, "year");
	if (!ys)
		return cli_usage_error("info facts：需要 --year，如 2016");
	year = strtol(ys, &end, 10);
	if (*end || year < 1900 || year > 2199)
		return cli_usage_error("info facts：--year“%s”应为四位年份", ys);
	dest = cli_get(cmd, &a, "output");
	if ((rc = env_open(cmd, &a, &v)))
		return rc;
	if (kp_info_facts(v.l, (int)year, cli_get(cmd, &a, "unit"),
			  cli_get(cmd, &a, "sheet"), &fs, &e) < 0) {
		env_release(&v);
		return cli_error(&e);
	}
	kp_facts_write_csv(&fs, &out);
	rc = 0;
	if (kp_write_atomic(dest ? dest : "-", out.data, out.len, &e) < 0)
		rc = cli_error(&e);
	kp_buf_release(&out);
	kp_facts_release(&fs);
	env_release(&v);
	return rc;
}
