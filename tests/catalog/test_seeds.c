/*
 * Every seed table, bundled in data/, pinned to the structure printed in
 * the seed.  The expected numbers are read off the seed documents in
 * ../shared/seeds/ (quoted beside each); a change to the data that
 * breaks one of them is a transcription error until shown otherwise.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"

static kp_table *open_table(const char *id)
{
	kp_table *t = NULL;
	kp_err e;
	if (kp_table_open(id, &t, &e) < 0)
		fail_msg("%s: %s", id, e.msg);
	return t;
}

static const char *pts(const kp_node *n, char *buf)
{
	return n->has_points ? kp_num_str(n->points, buf) : "-";
}

/* "名称:分值" of each root, joined by spaces. */
static void assert_roots(const kp_table *t, const char *want)
{
	kp_buf b = KP_BUF_INIT;
	char p[32];
	for (size_t i = 0; i < t->nroots; i++)
		if (t->roots[i]->rule != KP_RULE_VETO)
			kp_buf_addf(&b, "%s%s:%s", b.len ? " " : "",
				    t->roots[i]->name, pts(t->roots[i], p));
	assert_string_equal(b.data, want);
	kp_buf_release(&b);
}

static void assert_total(const kp_table *t, const char *want)
{
	kp_num total;
	char p[32];
	assert_true(kp_table_total(t, &total));
	assert_string_equal(kp_num_str(total, p), want);
}

static const kp_node *node(const kp_table *t, const char *path)
{
	const kp_node *n = kp_table_find(t, path);
	if (!n)
		fail_msg("%s: no node %s", kp_table_id(t), path);
	return n;
}

static void assert_points(const kp_table *t, const char *path,
			  const char *want)
{
	char p[32];
	assert_string_equal(pts(node(t, path), p), want);
}

/* 000 表一：“政务公开 (30分) … 政务服务 (28) … 公众参与 (10) … 解读回应 (6分)
 * … 运维保障 (14分) … 监督管理 (12分)” */
static void seed000_county(void **state)
{
	kp_table *t = open_table("pzh2017-web-county");
	(void)state;
	assert_roots(t, "政务公开:30 政务服务:28 公众参与:10 解读回应:6 运维保障:14 监督管理:12");
	assert_total(t, "100");
	assert_int_equal(kp_table_nleaves(t), 40);
	assert_int_equal(t->nnodes, 55);
	/* “基本信息 (6分)”：概况信息1 机构职能1 领导信息1 政策文件1 政务动态2 */
	assert_points(t, "政务公开/基本信息", "6");
	assert_points(t, "政务公开/基本信息/政务动态", "2");
	/* “年度要点 10” */
	assert_points(t, "政务公开/重点信息/年度要点", "10");
	/* “领导信箱 (2分) 渠道建设 0.5 办理情况 1.5” */
	assert_points(t, "公众参与/领导信箱/渠道建设", "0.5");
	assert_points(t, "公众参与/领导信箱/办理情况", "1.5");
	/* the second 依申请公开 row, quirk recorded */
	assert_points(t, "政务公开/公开机制/依申请公开信息填录", "1");
	assert_non_null(strstr(node(t, "政务公开/公开机制/依申请公开信息填录")
				       ->text[KP_T_QUIRK], "二级指标列"));
	/* “监督举报 2 首页添加‘我为政府网站找错’入口” — checked automatically */
	assert_string_equal(node(t, "监督管理/监督举报")->text[KP_T_CHECK],
			    "footer.zhaocuo");
	assert_string_equal(node(t, "政务公开")->text[KP_T_APPLIES], "县区");
	kp_table_free(t);
}

/* 000 表二：same first level, 36 leaves; “年度要点 11 … 详见表三” */
static void seed000_dept(void **state)
{
	kp_table *t = open_table("pzh2017-web-dept");
	const kp_node *n;
	(void)state;
	assert_roots(t, "政务公开:30 政务服务:28 公众参与:10 解读回应:6 运维保障:14 监督管理:12");
	assert_total(t, "100");
	assert_int_equal(kp_table_nleaves(t), 36);
	n = node(t, "政务公开/重点信息/年度要点");
	assert_string_equal(pts(n, (char[32]){ 0 }), "11");
	assert_int_equal(n->rule, KP_RULE_CHECKLIST);
	assert_string_equal(kp_node_param(n, "list"), "pzh2017-web-keyinfo");
	/* “领导信箱 (3分)”, “征集调查 (5分)”, “智能互动 (2分)” */
	assert_points(t, "公众参与/领导信箱", "3");
	assert_points(t, "公众参与/征集调查", "5");
	assert_points(t, "公众参与/智能互动", "2");
	kp_table_free(t);
}

/* 000 表三: 40 departments, 176 items, each feeding 表二 年度要点 */
static void seed000_keyinfo(void **state)
{
	kp_table *t = open_table("pzh2017-web-keyinfo");
	size_t items = 0;
	(void)state;
	assert_int_equal(t->nroots, 40);
	assert_string_equal(t->roots[0]->name, "市发展改革委");
	assert_string_equal(t->roots[9]->name, "市人力资源社会保障局");
	assert_string_equal(t->roots[39]->name, "市残联");
	for (size_t i = 0; i < t->nnodes; i++)
		if (t->nodes[i]->rule == KP_RULE_ITEM && t->nodes[i]->level == 3)
			items++;
	assert_int_equal(items, 176);
	/* 9 市财政局 is split by a page break in the seed: one node, 10 items */
	assert_int_equal(node(t, "市财政局/重点信息公开")->nchildren, 10);
	assert_int_equal(node(t, "市发展改革委/重点信息公开")->nchildren, 10);
	assert_int_equal(node(t, "市信访局/重点信息公开")->nchildren, 1);
	assert_string_equal(kp_table_get(t, "feeds"),
			    "pzh2017-web-dept:政务公开/重点信息/年度要点");
	assert_non_null(strstr(node(t, "市财政局/重点信息公开/地方政府债务")
				       ->text[KP_T_CONTENT], "公开政府债券信息"));
	kp_table_free(t);
}

/* 001: “行政权力信息公开（30分）… 权力运行重点领域信息（40分）… 政务服务公开
 * （10分）… 政务参与和回应关切（10分）… 政务公开能力（10分）” */
static void seed001(void **state)
{
	kp_table *t = open_table("pj2017-gk");
	const kp_node *n;
	(void)state;
	assert_roots(t, "行政权力信息公开:30 权力运行重点领域信息:40 政务服务公开:10 政务参与和回应关切:10 政务公开能力:10");
	assert_total(t, "100");
	for (size_t i = 0; i < t->nroots; i++)
		assert_int_equal(t->roots[i]->rule, KP_RULE_SHARE);
	assert_int_equal(t->roots[0]->nchildren, 20);
	assert_int_equal(t->roots[1]->nchildren, 102);
	assert_int_equal(t->roots[2]->nchildren, 9);
	assert_int_equal(t->roots[3]->nchildren, 5);
	assert_int_equal(t->roots[4]->nchildren, 7);
	/* “公开市政府部门权责清单、中介服务事项清单 …（市编办）” */
	n = t->roots[1]->children[0];
	assert_string_equal(n->name, "公开市政府部门权责清单、中介服务事项清单");
	assert_string_equal(n->text[KP_T_UNITS], "市编办");
	assert_false(n->has_points);
	/* “减税降费政策信息 …（市国税局、市地税局、市物价局）” */
	n = node(t, "政务服务公开/减税降费政策信息");
	assert_string_equal(n->text[KP_T_UNITS], "市国税局、市地税局、市物价局");
	kp_table_free(t);
}

/* 003 政务（信息）公开工作考评表：组织保障 10、日常工作情况 20、重点工作 50、
 * 载体建设 20；“五公开 … 共计扣25分”; four 一票否决 cases “扣2分” */
static void seed003_gk(void **state)
{
	kp_table *t = open_table("pzh2016-gk");
	const kp_node *g;
	size_t vetoes = 0;
	(void)state;
	assert_roots(t, "组织保障:10 日常工作情况:20 重点工作:50 载体建设:20");
	assert_total(t, "100");
	assert_string_equal(kp_table_get(t, "convert"), "deduct:2");
	g = node(t, "3.2");
	assert_int_equal(g->rule, KP_RULE_MINUS);
	assert_string_equal(kp_node_param(g, "max"), "25");
	assert_int_equal(g->nchildren, 5);
	assert_string_equal(kp_node_param(node(t, "1.1"), "amount"), "2.5");
	for (size_t i = 0; i < t->nroots; i++)
		if (t->roots[i]->rule == KP_RULE_VETO) {
			vetoes++;
			assert_string_equal(kp_node_param(t->roots[i], "outcome"),
					    "deduct:2");
		}
	assert_int_equal(vetoes, 4);
	kp_table_free(t);
}

/* 003 效能建设：“少一项制度扣5分”“违反一项扣10分，最多扣20分”
 * “未完成其中一项扣20分”“未按要求上报信息扣10分” */
static void seed003_xn(void **state)
{
	kp_table *t = open_table("pzh2016-xn");
	const kp_node *n;
	(void)state;
	assert_roots(t, "制度建设:20 改进机关作风:20 深化行政审批制度改革、推进行政权力公开运行:30 优化发展软环境:20 信息报送:10");
	n = node(t, "制度建设");
	assert_string_equal(kp_node_param(n, "amount"), "5");
	assert_non_null(kp_node_param(n, "each"));
	n = node(t, "改进机关作风");
	assert_string_equal(kp_node_param(n, "max"), "20");
	assert_string_equal(kp_node_param(node(t, "信息报送"), "amount"), "10");
	assert_string_equal(kp_table_get(t, "convert"), "deduct:2");
	kp_table_free(t);
}

/* 003 政务信息工作考评表, three variants: 基础工作 5, 报送工作 3×5,
 * 采用情况 80 (64 市级 / 16 省级); conversions 满分3分 / 最多扣1分 / 1分 */
static void seed003_info(void **state)
{
	static const struct {
		const char *id, *convert, *monthly, *wording;
	} v[] = {
		{ "pzh2016-info-dept", "earn:3", "monthly_min:6", "earned" },
		{ "pzh2016-info-county", "deduct:1", "monthly_min:8", "deducted" },
		{ "pzh2016-info-gxq", "earn:1", "monthly_min:6", "earned" },
	};
	(void)state;
	for (size_t i = 0; i < 3; i++) {
		kp_table *t = open_table(v[i].id);
		const kp_node *n;
		assert_roots(t, "基础工作:5 报送工作:15 采用情况:80");
		assert_total(t, "100");
		assert_string_equal(kp_table_get(t, "convert"), v[i].convert);
		assert_string_equal(kp_node_param(node(t, "2.1.1"), "when"),
				    v[i].monthly);
		n = node(t, "采用情况");
		assert_int_equal(n->rule, KP_RULE_TIERED);
		assert_string_equal(kp_node_param(n, "wording"), v[i].wording);
		assert_string_equal(kp_node_param(n, "split"),
				    "city:64,province:16");
		assert_string_equal(kp_node_param(n, "quota"),
				    "pzh2016-info-quota");
		kp_table_free(t);
	}
}

/* 003 任务分配表: 5 县区, 56 市级部门, 9 群团, 2 驻外办事处 */
static void seed003_quota(void **state)
{
	kp_table *t = open_table("pzh2016-info-quota");
	static const struct {
		const char *group;
		size_t n;
	} groups[] = { { "县区", 5 }, { "市级部门", 56 }, { "群团", 9 },
		       { "驻外办事处", 2 } };
	static const struct {
		const char *unit, *city, *province;
	} rows[] = {
		{ "东区政府", "150", "12" },      /* 12（含省直报点采用） */
		{ "西区政府", "150", "6" },
		{ "市政府办公室", "300", "36" },
		{ "市人力资源和社会保障局", "120", "9" },
		{ "钒钛高新区管委会", "120", "9" },
		{ "市公安局", "80", "6" },
		{ "市工商局", "60", "3" },
		{ "花城新区管委会", "50", "0" },
		{ "攀枝花海关", "40", "3" },
		{ "市烟草专卖局", "24", "0" },
		{ "市总工会", "20", "0" },
		{ "市政府驻成都办事处", "80", "0" },
	};
	(void)state;
	assert_int_equal(t->kind, KP_KIND_QUOTA);
	assert_int_equal(t->nrecs, 72);
	for (size_t g = 0; g < 4; g++) {
		size_t n = 0;
		for (size_t r = 0; r < t->nrecs; r++)
			n += !strcmp(kp_record_cell(t, r, "group"), groups[g].group);
		assert_int_equal(n, groups[g].n);
	}
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		size_t r;
		for (r = 0; r < t->nrecs; r++)
			if (!strcmp(kp_record_cell(t, r, "unit"), rows[i].unit))
				break;
		assert_true(r < t->nrecs);
		assert_string_equal(kp_record_cell(t, r, "city"), rows[i].city);
		assert_string_equal(kp_record_cell(t, r, "province"),
				    rows[i].province);
	}
	assert_string_equal(kp_record_cell(t, 0, "note"), "含省直报点采用");
	kp_table_free(t);
}

/* 003 计分标准：攀政快讯 4、特刊 8、每日政情 每期 2、市级领导批示 +10；
 * 川政晨讯 3、要情专报 8、国办 动态 3/专报 8 再加 3/8、政务工作交流 3、
 * 省级领导批示 +10 */
static void seed003_points(void **state)
{
	kp_table *t = open_table("pzh2016-info-points");
	static const char *want =
		"攀政快讯=4 攀政快讯特刊=8 每日政情=2 市级领导批示=10 "
		"川政晨讯=3 要情专报=8 省政府上报国办（动态信息）=3 "
		"省政府上报国办（专报信息）=8 国办采用动态信息=3 "
		"国办采用专报信息=8 政务工作交流=3 省级或省级以上领导批示=10";
	kp_buf b = KP_BUF_INIT;
	(void)state;
	for (size_t r = 0; r < t->nrecs; r++)
		kp_buf_addf(&b, "%s%s=%s", r ? " " : "",
			    kp_record_cell(t, r, "publication"),
			    kp_record_cell(t, r, "points"));
	assert_string_equal(b.data, want);
	assert_string_equal(kp_record_cell(t, 2, "per"), "期");
	assert_string_equal(kp_record_cell(t, 8, "bonus_of"), "prov.gb-dt");
	kp_buf_release(&b);
	kp_table_free(t);
}

/* 004: 12 first-level columns; 财政信息 has 5 sub-columns */
static void seed004(void **state)
{
	kp_table *t = open_table("ak2020-columns");
	const kp_node *n;
	kp_num total;
	(void)state;
	assert_roots(t, "财政信息:- 重大建设项目批准实施领域信息:- 公共资源配置领域信息:- 社会公益事业建设领域信息:- 决策公开:- 执行公开:- 行政审批制度改革:- 减证便民行动信息:- 专项行动信息:- 公共卫生信息:- 防范化解重大风险:- “六稳”“六保”信息:-");
	assert_false(kp_table_total(t, &total));
	n = node(t, "财政信息/地方政府债务信息");
	assert_string_equal(n->text[KP_T_REPORT], "经济财政状况、债务发行、存续期管理等信息。");
	assert_string_equal(n->text[KP_T_CHECK], "column.required");
	n = node(t, "财政信息/三公经费公开");
	assert_non_null(strchr(n->text[KP_T_CONTENT], '\n'));   /* 4 rows */
	assert_string_equal(n->text[KP_T_UNITS], "市财政局、各县区、各部门");
	kp_table_free(t);
}

/* the registry: every unit named in 000, 002, 003, aliases resolving */
static void units_registry(void **state)
{
	kp_units *u;
	kp_err e;
	(void)state;
	assert_int_equal(kp_units_open("pzh-units", &u, &e), 0);
	assert_string_equal(kp_units_resolve(u, "市人力资源社会保障局"),
			    kp_units_resolve(u, "市人力资源和社会保障局"));
	assert_string_equal(kp_units_resolve(u, "东区政府"), "东区人民政府");
	assert_string_equal(kp_units_type(u, "东区人民政府"), "县区");
	assert_string_equal(kp_units_type(u, "钒钛高新区管委会"), "高新区");
	assert_string_equal(kp_units_type(u, kp_units_resolve(u, "市总工会")),
			    "群团");
	assert_string_equal(
		kp_units_type(u, kp_units_resolve(u, "市政府驻北京联络处")),
		"驻外办事处");
	assert_null(kp_units_resolve(u, "盘锦市财政局"));
	kp_units_free(u);
}

/* What a phrase in a units cell stands for, as data (#meta,group). */
static size_t nseen;
static char seen[64][64];

static void note_unit(void *arg, const char *canon)
{
	(void)arg;
	if (nseen < 64)
		snprintf(seen[nseen++], sizeof(seen[0]), "%s", canon);
}

static int expand(const kp_units *u, const char *w, bool *indef)
{
	nseen = 0;
	return kp_units_expand(u, w, note_unit, NULL, indef);
}

static void units_groups(void **state)
{
	kp_units *u;
	kp_err e;
	bool indef;
	(void)state;
	/* 安康 2020: 各县区 is 汉滨区 and nine counties, 旬阳 still a county */
	assert_int_equal(kp_units_open("ak-units", &u, &e), 0);
	assert_int_equal(expand(u, "各县区", &indef), 10);
	assert_false(indef);
	assert_string_equal(seen[0], "汉滨区人民政府");
	assert_string_equal(seen[8], "旬阳县人民政府");
	assert_string_equal(seen[9], "白河县人民政府");
	assert_string_equal(kp_units_resolve(u, "旬阳市"), "旬阳县人民政府");
	/* 各部门: the city's departments, not the vertically managed 气象局 */
	assert_int_equal(expand(u, "各部门", &indef), 25);
	for (size_t i = 0; i < nseen; i++)
		assert_string_not_equal(seen[i], "市气象局");
	/* a named unit and an indefinite rest */
	assert_int_equal(expand(u, "市住建局等相关职能部门", &indef), 1);
	assert_true(indef);
	assert_string_equal(seen[0], "市住建局");
	assert_int_equal(expand(u, "市自然资源", &indef), 1);
	assert_string_equal(seen[0], "市自然资源局");
	assert_false(indef);
	assert_int_equal(expand(u, "市不存在局等相关职能部门", &indef), -1);
	assert_int_equal(expand(u, "各乡镇", &indef), -1);
	assert_int_equal(nseen, 0);
	kp_units_free(u);
	/* 盘锦 2017 */
	assert_int_equal(kp_units_open("pj-units", &u, &e), 0);
	assert_int_equal(expand(u, "各县区政府", &indef), 4);
	assert_string_equal(seen[2], "大洼区人民政府");
	assert_int_equal(expand(u, "市政府门户网站", &indef), 1);
	assert_string_equal(seen[0], "市政府办公室");
	assert_int_equal(expand(u, "承担重点公开工作任务的政府相关部门", &indef), 0);
	assert_true(indef);
	assert_string_equal(kp_units_resolve(u, "市发展改革委"), "市发改委");
	kp_units_free(u);
	/* 攀枝花: the plan's collective phrases are the registry's too */
	assert_int_equal(kp_units_open("pzh-units", &u, &e), 0);
	assert_int_equal(expand(u, "各县（区）人民政府", &indef), 5);
	assert_string_equal(seen[0], "东区人民政府");
	kp_units_free(u);
}

/* A bad group is refused with its line. */
static void units_group_errors(void **state)
{
	static const struct {
		const char *csv, *want;
	} bad[] = {
		{ "#meta,group,各县区\n", "x.csv:5: 集合写法“各县区”无效" },
		{ "#meta,group,各县区=乡镇\n", "x.csv:5: 集合“各县区”的成员“乡镇”在名录中既不是单位类型，也不是单位" },
		{ "#meta,group,甲县=县区\n", "x.csv:5: 集合“甲县”与名录中的单位或另一个集合同名" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		kp_buf b = KP_BUF_INIT;
		kp_table *t = NULL;
		kp_units *u = NULL;
		kp_err e;
		kp_buf_addf(&b, "#meta,format,kaoping-table/1\n#meta,kind,units\n"
			    "#meta,id,x\n#meta,title,x\n%sname,type\n甲县,县区\n",
			    bad[i].csv);
		if (kp_table_parse("x.csv", b.data, b.len, &t, &e) == 0 &&
		    kp_units_from_table(t, &u, &e) == 0)
			fail_msg("accepted: %s", bad[i].csv);
		if (!strstr(e.msg, bad[i].want))
			fail_msg("“%s” lacks “%s”", e.msg, bad[i].want);
		kp_units_free(u);
		kp_table_free(t);
		kp_buf_release(&b);
	}
}

/* Every quota unit and every 表三 department is in the registry. */
static void units_cover_seeds(void **state)
{
	kp_units *u;
	kp_table *q = open_table("pzh2016-info-quota");
	kp_table *k = open_table("pzh2017-web-keyinfo");
	kp_err e;
	(void)state;
	assert_int_equal(kp_units_open("pzh-units", &u, &e), 0);
	for (size_t r = 0; r < q->nrecs; r++)
		if (!kp_units_resolve(u, kp_record_cell(q, r, "unit")))
			fail_msg("quota unit %s not in registry",
				 kp_record_cell(q, r, "unit"));
	for (size_t i = 0; i < k->nroots; i++)
		if (!kp_units_resolve(u, k->roots[i]->name))
			fail_msg("表三 unit %s not in registry", k->roots[i]->name);
	kp_units_free(u);
	kp_table_free(q);
	kp_table_free(k);
}

/* The canonical writer is stable: parse → write → parse → write gives
 * the same bytes, and the same tree, for every bundled file. */
static void write_stable(void **state)
{
	(void)state;
	for (size_t i = 0; i < kp_bundled_count(); i++) {
		kp_table *a, *b;
		kp_buf w1 = KP_BUF_INIT, w2 = KP_BUF_INIT;
		kp_err e;
		char why[512];
		assert_int_equal(kp_bundled_load(i, &a, &e), 0);
		assert_int_equal(kp_table_write(a, &w1), 0);
		if (kp_table_parse("rewritten.csv", w1.data, w1.len, &b, &e) < 0)
			fail_msg("%s: %s", kp_bundled_path(i), e.msg);
		assert_int_equal(kp_table_write(b, &w2), 0);
		assert_string_equal(w1.data, w2.data);
		if (a->kind == KP_KIND_INDICATORS &&
		    !kp_table_same_tree(a, b, why, sizeof(why)))
			fail_msg("%s: %s", kp_bundled_path(i), why);
		kp_buf_release(&w1);
		kp_buf_release(&w2);
		kp_table_free(a);
		kp_table_free(b);
	}
}

/* Import → canonical → import: the importer reads the canonical form
 * itself (path column, rules, params) back into the same tree. */
static void import_canonical(void **state)
{
	(void)state;
	for (size_t i = 0; i < kp_bundled_count(); i++) {
		kp_table *a, *b;
		kp_sheet *s;
		kp_import_report rep;
		kp_buf w = KP_BUF_INIT;
		kp_err e;
		char why[512];
		assert_int_equal(kp_bundled_load(i, &a, &e), 0);
		if (a->kind != KP_KIND_INDICATORS) {
			kp_table_free(a);
			continue;
		}
		kp_table_write(a, &w);
		assert_int_equal(kp_sheet_parse("canonical.csv", w.data, w.len,
						NULL, &s, &e), 0);
		if (kp_import(s, NULL, &b, &rep, &e) < 0)
			fail_msg("%s: %s", kp_bundled_path(i), e.msg);
		assert_int_equal(rep.n, 0);
		if (!kp_table_same_tree(a, b, why, sizeof(why)))
			fail_msg("%s: %s", kp_bundled_path(i), why);
		kp_import_report_release(&rep);
		kp_sheet_free(s);
		kp_buf_release(&w);
		kp_table_free(a);
		kp_table_free(b);
	}
}

/* Each bundled file is named after its id. */
static void bundled_ids(void **state)
{
	(void)state;
	/* 11 indicator tables, quota, schedule, 3 registries, 1 scheme */
	assert_int_equal(kp_bundled_count(), 17);
	for (size_t i = 0; i < kp_bundled_count(); i++) {
		kp_table *t;
		kp_err e;
		const char *p = kp_bundled_path(i), *base = strrchr(p, '/') + 1;
		assert_int_equal(kp_bundled_load(i, &t, &e), 0);
		assert_int_equal(strncmp(base, kp_table_id(t), strlen(base) - 4),
				 0);
		assert_int_equal(strlen(kp_table_id(t)), strlen(base) - 4);
		kp_table_free(t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seed000_county),
		cmocka_unit_test(seed000_dept),
		cmocka_unit_test(seed000_keyinfo),
		cmocka_unit_test(seed001),
		cmocka_unit_test(seed003_gk),
		cmocka_unit_test(seed003_xn),
		cmocka_unit_test(seed003_info),
		cmocka_unit_test(seed003_quota),
		cmocka_unit_test(seed003_points),
		cmocka_unit_test(seed004),
		cmocka_unit_test(units_registry),
		cmocka_unit_test(units_cover_seeds),
		cmocka_unit_test(units_groups),
		cmocka_unit_test(units_group_errors),
		cmocka_unit_test(write_stable),
		cmocka_unit_test(import_canonical),
		cmocka_unit_test(bundled_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
