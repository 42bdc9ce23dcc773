/*
 * The canonical table format refuses what it cannot read exactly, with one
 * message naming the file and line — one case per row below — and reads
 * every rule kind of docs/table-format.md.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"

#define HEAD "#meta,format,kaoping-table/1\n#meta,kind,indicators\n" \
	     "#meta,id,t\n#meta,title,测试\n"

static const struct {
	const char *csv;
	const char *message;   /* the whole message the user reads */
} bad[] = {
	{ "", "t.csv: 文件为空" },
	{ "code,path\n1,a\n",
	  "t.csv:1: 缺少 #meta,format,kaoping-table/1 行：这不是 kaoping 规范格式的表（原样发布的表请用 kaoping table import 导入）" },
	{ HEAD "code,path,points,分值\n",
	  "t.csv:5: 未知的列名“分值”（指标表的列：code、path、points、rule、params、applies、units、check、content、criteria、report、note、quirk）" },
	{ HEAD "code,points\n", "t.csv:5: 表头缺少必需的列“path”" },
	{ HEAD "code,path,points\n1,政务公开,五分\n",
	  "t.csv:6: points 列的“五分”不是数字" },
	{ HEAD "code,path,points\n1,政务公开,-3\n", "t.csv:6: 分值不能为负数（-3）" },
	{ HEAD "code,path,points\n1,政务公开/基本信息,6\n",
	  "t.csv:6: 上级指标“政务公开”没有在此行之前定义（父节点必须先出现）" },
	{ HEAD "code,path,points\n1,政务公开,30\n2,政务公开//概况,1\n",
	  "t.csv:7: path“政务公开//概况”的第 2 级名称为空（缺少一级？）" },
	{ HEAD "code,path,points\n1,,30\n", "t.csv:6: path 为空：每行指标都要有名称" },
	{ HEAD "code,path,points\n1,甲,30\n1,乙,30\n", "t.csv:7: 编号“1”与第 6 行重复" },
	{ HEAD "code,path,points,rule\n1,甲,30,average\n",
	  "t.csv:6: 未知的计分规则“average”（可用：sum、share、judged、binary、deduct、minus、tiered、checklist、item、veto、bonus）" },
	{ HEAD "code,path,points,rule,params\n1,甲,30,deduct,amount=x\n",
	  "t.csv:6: 规则 deduct 的参数 amount=x 无效：应为非负数或 all" },
	{ HEAD "code,path,points,rule,params\n1,甲,30,binary,amount=1\n",
	  "t.csv:6: 规则 binary 不接受参数“amount”" },
	{ HEAD "code,path,points,rule,params\n1,甲,30,tiered,\"tiers=100%:1,七成:0.7\"\n",
	  "t.csv:6: 规则 tiered 的参数 tiers=100%:1,七成:0.7 无效：应为“阈值:系数”的列表，如 100%:1,70%:0.7" },
	{ HEAD "code,path,points,rule,params\n1,甲,,veto,scope=result\n",
	  "t.csv:6: 一票否决（veto）需要参数 outcome=…" },
	{ HEAD "code,path,points,rule,params\n1,甲,,veto,outcome=扣两分\n",
	  "t.csv:6: 规则 veto 的参数 outcome=扣两分 无效：应为 0、不合格 或 deduct:N" },
	{ HEAD "code,path,points,rule,params\n1,甲,5,deduct,\n1.1,甲/a,,minus,\n",
	  "t.csv:7: 扣分项（minus）需要参数 amount=扣分" },
	{ HEAD "code,path,points\n1,甲,1,多余\n",
	  "t.csv:6: 第 4 格超出了表头的列数（3 列）" },
	{ HEAD "code,path,points\n1,\"甲,1\n",
	  "t.csv:6: 引号未闭合（从此行开始的带引号单元格一直到文件末尾）" },
	{ HEAD "#meta,total,一百\ncode,path\n", "t.csv:5: 元数据“total”的值“一百”不是数字" },
	{ HEAD "#meta,colour,red\ncode,path\n",
	  "t.csv:5: 未知的元数据键“colour”（可用的键见 docs/table-format.md）" },
	{ HEAD "#meta,title,again\ncode,path\n", "t.csv:5: 元数据“title”重复出现" },
	{ "#meta,format,kaoping-table/1\n#meta,kind,indicators\n#meta,id,Bad_Id\n#meta,title,x\ncode,path\n",
	  "t.csv:1: 表 id“Bad_Id”只能由小写字母、数字和“-”组成" },
	{ "#meta,format,kaoping-table/2\ncode,path\n",
	  "t.csv:1: 不支持的格式版本“kaoping-table/2”（本程序读 kaoping-table/1）" },
	{ HEAD "code,path\n1,\xD5\xFE\xCE\xF1\n",
	  "t.csv:6: 不是有效的 UTF-8 文本（第 94 字节）；GBK 等编码的表请用 kaoping table import 转换" },
	{ "#meta,format,kaoping-table/1\n#meta,kind,quota\n#meta,id,q\n#meta,title,x\nunit,group,city,province\n东区政府,县区,一百五,12\n",
	  "t.csv:6: “city”列的“一百五”不是非负数" },
	{ "#meta,format,kaoping-table/1\n#meta,kind,quota\n#meta,id,q\n#meta,title,x\nunit,group,city\n",
	  "t.csv:5: 表头缺少必需的列“province”" },
	{ HEAD "code,path\n1,甲\n#meta,note,late\n", "t.csv:7: #meta 行必须写在表头之前" },
};

static void refusals(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		kp_table *t = (kp_table *)1;
		kp_err e = { 0 };
		int rc = kp_table_parse("t.csv", bad[i].csv, strlen(bad[i].csv),
					&t, &e);
		if (rc != -1)
			fail_msg("case %zu accepted, want: %s", i, bad[i].message);
		assert_null(t);
		assert_int_equal(e.code, KP_EINPUT);
		if (strcmp(e.msg, bad[i].message))
			fail_msg("case %zu:\n got: %s\nwant: %s", i, e.msg,
				 bad[i].message);
	}
}

/* Every rule kind, with defaults resolved and automatic codes. */
static void rule_kinds(void **state)
{
	const char *csv = HEAD
		"#meta,convert,deduct:2\n"
		"path,points,rule,params,units\n"
		"评估,60,,,\n"
		"评估/打分,10,,step=0.5,\n"
		"评估/有无,10,binary,,\n"
		"评估/扣分,20,deduct,,\n"
		"评估/扣分/一项,,minus,amount=2.5,\n"
		"评估/扣分/组,,minus,max=10,\n"
		"评估/扣分/组/甲,,minus,amount=5;each,\n"
		"评估/分档,10,tiered,\"tiers=100%:1,70%:0.7;split=city:8,province:2;single=10\",\n"
		"评估/清单,10,checklist,list=pzh2017-web-keyinfo,\n"
		"平分,40,share,,\n"
		"平分/甲,,judged,,市财政局、市发展改革委\n"
		"平分/乙,,judged,,\n"
		"否决,,veto,scope=evaluation;outcome=不合格,\n"
		"加分,30,bonus,,\n"
		"栏目,,,,\n";
	kp_table *t;
	kp_err e;
	const kp_node *n;
	char b[32];
	kp_num total;
	(void)state;
	if (kp_table_parse("kinds.csv", csv, strlen(csv), &t, &e) < 0)
		fail_msg("%s", e.msg);
	assert_int_equal(kp_table_find(t, "评估")->rule, KP_RULE_SUM);
	n = kp_table_find(t, "评估/打分");
	assert_int_equal(n->rule, KP_RULE_JUDGED);
	assert_string_equal(n->code, "1.1");
	assert_string_equal(kp_node_param(n, "step"), "0.5");
	assert_int_equal(kp_table_find(t, "1.3.2.1")->rule, KP_RULE_MINUS);
	assert_string_equal(kp_node_param(kp_table_find(t, "1.3.2.1"), "each"), "");
	assert_int_equal(kp_table_find(t, "评估/分档")->rule, KP_RULE_TIERED);
	assert_int_equal(kp_table_find(t, "平分")->rule, KP_RULE_SHARE);
	assert_string_equal(kp_table_find(t, "平分/甲")->text[KP_T_UNITS],
			    "市财政局、市发展改革委");
	assert_int_equal(kp_table_find(t, "否决")->rule, KP_RULE_VETO);
	assert_int_equal(kp_table_find(t, "栏目")->rule, KP_RULE_ITEM);
	/* the total leaves out veto and bonus */
	assert_true(kp_table_total(t, &total));
	assert_string_equal(kp_num_str(total, b), "100");
	kp_table_free(t);
}

/* A spreadsheet saved by Excel: BOM, CRLF, trailing empty cells. */
static void excel_saved(void **state)
{
	const char *csv = "\xEF\xBB\xBF#meta,format,kaoping-table/1,,\r\n"
			  "#meta,kind,indicators,,\r\n#meta,id,x,,\r\n"
			  "#meta,title,\"标题,带逗号\",,\r\n# 注释,,,,\r\n"
			  ",,,,\r\ncode,path,points,,\r\n1,甲,2.5,,\r\n,,,,\r\n";
	kp_table *t;
	kp_err e;
	char b[32];
	(void)state;
	if (kp_table_parse("excel.csv", csv, strlen(csv), &t, &e) < 0)
		fail_msg("%s", e.msg);
	assert_string_equal(kp_table_get(t, "title"), "标题,带逗号");
	assert_int_equal(t->nnodes, 1);
	assert_string_equal(kp_num_str(t->nodes[0]->points, b), "2.5");
	assert_int_equal(t->nodes[0]->line, 8);
	kp_table_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(refusals),
		cmocka_unit_test(rule_kinds),
		cmocka_unit_test(excel_saved),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
