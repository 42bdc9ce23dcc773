/* kaoping eval log — the audit log (round: kp_rnd_log_get). */
#include "cli/cli.h"
#include "round/round.h"

#include <jansson.h>

const struct cli_opt eval_log_opts[] = { CLI_OPT_DB, CLI_OPT_ROUND, CLI_OPT_JSON, CLI_OPT_END };

int cmd_eval_log(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli_args a;
	kp_rnd_log l;
	kp_err e;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (a.npos)
		return cli_usage_error("eval log 不接受参数“%s”", a.pos[0]);
	if (kp_rnd_log_get(cli_db_conn(cmd, &a), cli_get(cmd, &a, "round"), &l, &e) < 0)
		return cli_error(&e);
	if (cli_get(cmd, &a, "json")) {
		json_t *j = kp_rnd_log_json(&l);
		kp_rnd_log_release(&l);
		return cli_print_json(j);
	}
	for (size_t i = 0; i < l.n; i++) {
		char at[48];
		/* stored in UTC; shown in Beijing time, the office's */
		printf("%s  ", kp_time_bj(l.v[i].at, at, sizeof(at)));
		cli_put(stdout, l.v[i].who);
		fputs("  ", stdout);
		cli_put(stdout, l.v[i].action);
		fputs("  ", stdout);
		cli_put(stdout, l.v[i].detail);
		putchar('\n');
	}
	kp_rnd_log_release(&l);
	return KP_EXIT_OK;
}
