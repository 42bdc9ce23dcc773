/* ledger/info_report.c — what is made of the 政务信息 ledger's statistics
 * for people and programs: the statistics as JSON, and the quarterly
 * bulletin (通报) as data, text, CSV and XLSX.  Any caller — the CLI, a
 * report writer, a web server — gets the same numbers the same way. */
#include "ledger/info_int.h"
#include "sheet/sheet.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

const char *kp_info_pct(kp_num got, kp_num quota, char *buf)
{
	kp_num r;
	char num[32];
	if (quota.n <= 0 || kp_num_div(got, quota, &r) < 0 ||
	    kp_num_mul(r, kp_num_int(100), &r) < 0)
		return "—";
	snprintf(buf, 32, "%s%%", kp_num_fmt2(r, num));
	return buf;
}

/* got ÷ quota as a JSON number of percent (91.67 for 91.67%), null
 * without a quota. */
static json_t *ratio_json(bool has, kp_num got, kp_num quota)
{
	kp_num r;
	if (!has || quota.n <= 0 || kp_num_div(got, quota, &r) < 0 ||
	    kp_num_mul(r, kp_num_int(100), &r) < 0)
		return json_null();
	return kp_num_json(r);
}

static json_t *stat_json(const kp_info_stat *s, size_t nm)
{
	json_t *o = json_object(), *pm = json_array();
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
	json_object_set_new(o, "city_points", kp_num_json(s->city_points));
	json_object_set_new(o, "province_points", kp_num_json(s->province_points));
	json_object_set_new(o, "city_points_ytd", kp_num_json(s->city_points_ytd));
	json_object_set_new(o, "province_points_ytd",
			    kp_num_json(s->province_points_ytd));
	json_object_set_new(o, "city_quota",
			    s->has_quota ? kp_num_json(s->city_quota) : json_null());
	json_object_set_new(o, "province_quota",
			    s->has_quota ? kp_num_json(s->province_quota)
					 : json_null());
	json_object_set_new(o, "city_ratio_ytd",
			    ratio_json(s->has_quota, s->city_points_ytd,
				       s->city_quota));
	json_object_set_new(o, "province_ratio_ytd",
			    ratio_json(s->has_quota, s->province_points_ytd,
				       s->province_quota));
	return o;
}

struct json_t *kp_info_stats_json(const kp_info_stats *st, const char *period)
{
	json_t *o = json_object(), *arr = json_array();
	const kp_info_period *p = &st->period;
	size_t nm = (size_t)(p->to_month - p->from_month + 1);
	json_object_set_new(o, "period", json_string(period));
	json_object_set_new(o, "label", json_string(p->label));
	json_object_set_new(o, "from_month", json_integer(p->from_month));
	json_object_set_new(o, "to_month", json_integer(p->to_month));
	for (size_t i = 0; i < st->n; i++)
		json_array_append_new(arr, stat_json(&st->v[i], nm));
	json_object_set_new(o, "units", arr);
	return o;
}

/* ---- the bulletin ------------------------------------------------------ */

const char *const kp_info_bulletin_head[KP_INFO_BULLETIN_COLS] = {
	"序号", "单位", "市级任务", "本期市级", "市级完成", "市级完成率",
	"省级任务", "本期省级", "省级完成", "省级完成率", "报送条数",
};

int kp_info_bulletin_build(const kp_info_ledger *l, const kp_info_period *p,
			   kp_info_bulletin *out, kp_err *e)
{
	kp_buf title = KP_BUF_INIT;
	memset(out, 0, sizeof(*out));
	if (kp_info_stats_compute(l, p, NULL, &out->st, e) < 0)
		return -1;
	kp_buf_addf(&title, "%s政务信息采用情况通报（完成情况为1月至%d月累计，任务为全年任务，单位：分）",
		    p->label, p->to_month);
	out->title = title.data;
	out->rows = kp_xcalloc(out->st.n + 1, sizeof(*out->rows));
	/* the units with a quota, in the quota's order */
	for (size_t i = 0; i < out->st.n; i++)
		if (out->st.v[i].has_quota)
			out->rows[out->n++] = &out->st.v[i];
	return 0;
}

void kp_info_bulletin_release(kp_info_bulletin *b)
{
	free(b->title);
	free(b->rows);
	kp_info_stats_release(&b->st);
	memset(b, 0, sizeof(*b));
}

void kp_info_bulletin_cells(const kp_info_bulletin *b, size_t i,
			    char buf[KP_INFO_BULLETIN_COLS][32],
			    const char **cells)
{
	const kp_info_stat *s = b->rows[i];
	snprintf(buf[0], 32, "%zu", i + 1);
	cells[0] = buf[0];
	cells[1] = s->unit;
	cells[2] = kp_num_str(s->city_quota, buf[2]);
	cells[3] = kp_num_str(s->city_points, buf[3]);
	cells[4] = kp_num_str(s->city_points_ytd, buf[4]);
	cells[5] = kp_info_pct(s->city_points_ytd, s->city_quota, buf[5]);
	cells[6] = kp_num_str(s->province_quota, buf[6]);
	cells[7] = kp_num_str(s->province_points, buf[7]);
	cells[8] = kp_num_str(s->province_points_ytd, buf[8]);
	cells[9] = kp_info_pct(s->province_points_ytd, s->province_quota,
			       buf[9]);
	snprintf(buf[10], 32, "%u", s->submitted);
	cells[10] = buf[10];
}

void kp_info_bulletin_text(const kp_info_bulletin *b, bool csv, kp_buf *out)
{
	static const size_t w[KP_INFO_BULLETIN_COLS] = { 5, 24, 9, 9, 9, 11,
							 9, 9, 9, 11, 8 };
	char buf[KP_INFO_BULLETIN_COLS][32];
	const char *cells[KP_INFO_BULLETIN_COLS];
	if (csv) {
		kp_csv_put(out, b->title);
		kp_buf_addc(out, '\n');
	} else {
		kp_buf_addf(out, "%s\n\n", b->title);
	}
	for (size_t r = 0; r <= b->n; r++) {
		const char *const *c = kp_info_bulletin_head;
		if (r) {
			kp_info_bulletin_cells(b, r - 1, buf, cells);
			c = cells;
		}
		for (size_t j = 0; j < KP_INFO_BULLETIN_COLS; j++) {
			if (csv) {
				if (j)
					kp_buf_addc(out, ',');
				kp_csv_put(out, c[j]);
			} else {
				size_t have = kp_utf8_width(c[j]);
				kp_buf_adds(out, c[j]);
				while (have++ < w[j])
					kp_buf_addc(out, ' ');
			}
		}
		kp_buf_addc(out, '\n');
	}
}

/* The bulletin's one sheet: the title, the header in bold, numbers as
 * numbers (percentages formatted as such) so that Excel can sum and sort
 * them. */
static void bulletin_sheet(const kp_info_bulletin *b, lxw_workbook *wb)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "通报");
	lxw_format *bold = workbook_add_format(wb),
		   *percent = workbook_add_format(wb);
	char buf[KP_INFO_BULLETIN_COLS][32];
	const char *cells[KP_INFO_BULLETIN_COLS];
	format_set_bold(bold);
	format_set_num_format(percent, "0.00%");
	worksheet_write_string(ws, 0, 0, b->title, bold);
	worksheet_set_column(ws, 1, 1, 26, NULL);
	worksheet_set_column(ws, 2, KP_INFO_BULLETIN_COLS - 1, 11, NULL);
	for (size_t c = 0; c < KP_INFO_BULLETIN_COLS; c++)
		worksheet_write_string(ws, 1, (lxw_col_t)c,
				       kp_info_bulletin_head[c], bold);
	for (size_t r = 0; r < b->n; r++) {
		kp_info_bulletin_cells(b, r, buf, cells);
		for (size_t c = 0; c < KP_INFO_BULLETIN_COLS; c++) {
			const char *v = cells[c];
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
	}
}

int kp_info_bulletin_xlsx(const kp_info_bulletin *b, const char *path,
			  kp_err *e)
{
	kp_sheet_xlsx o;
	/* a temporary file beside the target, then rename: a crash never
	 * leaves half a bulletin */
	if (kp_sheet_xlsx_begin(&o, path, e) < 0)
		return -1;
	bulletin_sheet(b, o.wb);
	return kp_sheet_xlsx_commit(&o, e);
}
