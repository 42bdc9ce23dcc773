/* kaoping tasks show — one task: its requirement, lead units, dates,
 * note and progress. */
#include "cli/cmd_tasks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct cli_opt tasks_show_opts[] = {
	TASKS_COMMON_OPTS,
	{ "ledger", 0, "文件", "任务进展台账文件（列出这项任务的全部进展）；不给则用数据库中这个方案的台账（没有数据库则视为尚无进展）" },
	CLI_OPT_DB,
	{ "json", 0, NULL, "以 JSON 输出" },
	{ NULL, 0, NULL, NULL },
};

/* The task as text: the plan's words, its lead units, dates, note and
 * each progress entry. */
static void show_text(const struct tasks_ctx *c, const kp_task *k,
		      const kp_occurrence *occ, size_t nocc)
{
	char b[16];
	bool derived = c->plan->table != NULL;
	printf("第%s项  %s%s%s\n", k->no, k->cat1, *k->cat2 ? "／" : "",
	       k->cat2);
	if (derived) {
		printf("信息公开内容：%s\n", k->content);
		printf("需报送信息：%s\n", k->requirement);
		printf("建设单位（原文）：%s\n", k->units);
	} else {
		printf("具体要求：%s\n", k->requirement);
		printf("牵头落实单位（原文）：%s\n", k->units);
	}
	printf("责任单位（%zu 个）：", k->nleads);
	for (size_t i = 0; i < k->nleads; i++)
		printf("%s%s", i ? "、" : "", k->leads[i]);
	putchar('\n');
	if (*k->unnamed)
		printf("未点名的单位：%s（原文没有点名，不逐个跟踪）\n",
		       k->unnamed);
	if (k->nassists) {
		printf("配合单位：");
		for (size_t i = 0; i < k->nassists; i++)
			printf("%s%s", i ? "、" : "", k->assists[i]);
		putchar('\n');
	}
	printf("完成时限（原文）：%s\n",
	       *k->deadline_text ? k->deadline_text : "（未写）");
	printf("日期：");
	for (size_t i = 0; i < nocc; i++) {
		if (i)
			fputs("，", stdout);
		if (k->deadline.kind == KP_DL_NONE)
			fputs(KP_TASKS_UNRESOLVED, stdout);
		else if (occ[i].due == KP_DAY_NONE)
			printf("待事件“%s”", k->deadline.event);
		else
			printf("%s%s%s", occ[i].period,
			       occ[i].period[0] ? "→" : "",
			       kp_day_str(occ[i].due, b));
	}
	if (!nocc)
		printf("（本年度没有通知日期之后到期的期次）");
	putchar('\n');
	if (*k->note)
		printf("备注：%s\n", k->note);
	if (*k->quirk)
		printf("原文问题：%s\n", k->quirk);
	for (size_t i = 0; c->ledger && i < c->ledger->n; i++) {
		const kp_progress *p = &c->ledger->v[i];
		if (strcmp(p->task, k->no))
			continue;
		printf("进展：%s  %s  %s  %s%s%s\n", kp_day_str(p->day, b),
		       p->unit, kp_status_label(p->status), p->note,
		       *p->url ? "  " : "", p->url);
	}
	}

int cmd_tasks_show(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	struct tasks_ctx c;
	const kp_task *k;
	kp_occurrence *occ = NULL;
	size_t nocc = 0;
	kp_err e;
	int rc;
	bool json;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	json = cli_get(cmd, &a, "json") != NULL;
	if (a.npos != 1)
		return cli_usage_error("tasks show 需要一个任务序号（如 14、N1；导出的方案写指标编号或名称，如 1.4）");
	if ((rc = tasks_ctx_load(&c, cmd, &a, false)))
		return rc;
	k = kp_tasks_lookup(c.plan, a.pos[0]);
	if (!k) {
		bool missing = false;
		for (size_t i = 0; i < c.plan->nmissing; i++)
			if (!strcmp(c.plan->missing[i], a.pos[0]))
				missing = true;
		rc = missing ? cli_usage_error("第%s项在原文中缺失（%s 没有这一项）",
					       a.pos[0], c.plan->docno ? c.plan->docno : c.plan->file)
		     : c.plan->table
			     ? cli_usage_error("“%s”不是方案 %s 的任务（写指标编号如 1.4，或指标名称；写了“需报送信息”的指标才是任务）",
					       a.pos[0], c.plan->id ? c.plan->id : c.plan->file)
			     : cli_usage_error("任务序号“%s”不在分工方案中", a.pos[0]);
		tasks_ctx_release(&c);
		return rc;
	}
	if (kp_task_occurrences(c.plan, &c.ev, k, c.cal, &occ, &nocc, &e) < 0) {
		tasks_ctx_release(&c);
		return cli_error(&e);
	}
	if (json)
		rc = cli_print_json(kp_task_json(k, occ, nocc, c.ledger));
	else
		show_text(&c, k, occ, nocc);
	free(occ);
	tasks_ctx_release(&c);
	return rc;
}
