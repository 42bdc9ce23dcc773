/* `kaoping inspect URL --round R --unit U`: where the inspection is
 * stored (round: kp_rnd_target_*), and the text account of what changed
 * since the one before it, which inspect show prints too. */
#include "cli/cli.h"
#include "inspect/inspect.h"
#include "round/round.h"

#include <jansson.h>
#include <stdlib.h>

int inspect_target_open(const struct cli_cmd *cmd, const struct cli_args *a,
			struct inspect_target *t)
{
	kp_err e;
	t->t = kp_xcalloc(1, sizeof(*t->t));
	if (kp_rnd_target_open(cli_db_conn(cmd, a), cli_get(cmd, a, "round"),
			       cli_get(cmd, a, "unit"), t->t, &e) < 0) {
		free(t->t);
		t->t = NULL;
		return cli_error(&e);
	}
	return 0;
}

void inspect_target_close(struct inspect_target *t)
{
	if (t->t)
		kp_rnd_target_close(t->t);
	free(t->t);
	t->t = NULL;
}

int inspect_target_store(struct inspect_target *t, const kp_inspect_result *r,
			 char *const *keys, json_t *j, const char *started,
			 const char *finished, const char *who)
{
	kp_err e;
	if (kp_rnd_target_store(t->t, r, keys, j, started, finished, who, &e) < 0)
		return cli_error(&e);
	return 0;
}

int inspect_target_filter(struct inspect_target *t, kp_inspect_result *r,
			  char **keys, json_t *j)
{
	kp_err e;
	if (kp_rnd_target_filter(t->t, r, keys, j, &e) < 0)
		return cli_error(&e);
	return 0;
}

static void print_list(const char *title, json_t *arr)
{
	size_t i;
	json_t *f;
	if (!json_array_size(arr))
		return;
	printf("%s：\n", title);
	json_array_foreach(arr, i, f) {
		const char *url = json_string_value(json_object_get(f, "url"));
		printf("  [%s] %s  %s",
		       json_string_value(json_object_get(f, "severity")),
		       json_string_value(json_object_get(f, "check")),
		       json_string_value(json_object_get(f, "message")));
		if (url && *url)
			printf("  %s", url);
		putchar('\n');
	}
}

void inspect_print_changes(json_t *ch)
{
	json_t *nw = json_object_get(ch, "new"), *fx = json_object_get(ch, "fixed");
	json_t *prev = json_object_get(ch, "previous");
	if (json_is_null(prev)) {
		printf("\n本轮次中此单位此网站的第一次检测，没有可比较的上次检测\n");
		return;
	}
	printf("\n与上次检测（编号 %lld，%s）相比：新发现 %zu 条，已整改 %zu 条，仍存在 %lld 条\n",
	       (long long)json_integer_value(json_object_get(ch, "previous_id")),
	       json_string_value(prev), json_array_size(nw), json_array_size(fx),
	       (long long)json_integer_value(json_object_get(ch, "still")));
	print_list("新发现", nw);
	print_list("已整改", fx);
}

void inspect_print_stored(json_t *j)
{
	json_t *in = json_object_get(j, "inspection");
	if (!in)
		return;
	printf("\n已存入数据库：轮次“%s”，单位“%s”，检测编号 %lld（kaoping inspect show %lld）\n",
	       json_string_value(json_object_get(in, "round")),
	       json_string_value(json_object_get(in, "unit")),
	       (long long)json_integer_value(json_object_get(in, "id")),
	       (long long)json_integer_value(json_object_get(in, "id")));
	if (json_array_size(json_object_get(j, "false_alarms")))
		printf("复核为误报、本次不再报告的发现 %zu 条（kaoping inspect show 看复核记录）\n",
		       json_array_size(json_object_get(j, "false_alarms")));
	inspect_print_changes(json_object_get(j, "changes"));
}
