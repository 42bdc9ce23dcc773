/* kaoping info import — an office's sheet of submissions and adoptions
 * into the ledger: every row checked, all rows or none. */
#include "cli/cmd_info.h"

#include <stdio.h>
#include <string.h>

const struct cli_opt info_import_opts[] = {
	INFO_COMMON_OPTS,
	{ "sheet", 0, "N", "XLSX：读第 N 个工作表（默认第一个）" },
	{ NULL, 0, NULL, NULL },
};

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
	if ((rc = info_env_open(cmd, &a, true, &v)))
		return rc;
	ns = kp_info_nsubmissions(v.l);
	na = kp_info_nadoptions(v.l);
	if (kp_sheet_load(a.pos[0], &so, &sh, &e) < 0 ||
	    kp_info_import(v.l, sh, &rows, &e) < 0 ||
	    info_env_save(&v, &e) < 0) {
		kp_sheet_free(sh);
		info_env_release(&v);
		return cli_error(&e);
	}
	printf("%s：导入 %zu 行：报送 %zu 条，采用 %zu 条；台账现有报送 %zu 条，采用 %zu 条\n",
	       a.pos[0], rows, kp_info_nsubmissions(v.l) - ns,
	       kp_info_nadoptions(v.l) - na, kp_info_nsubmissions(v.l),
	       kp_info_nadoptions(v.l));
	kp_sheet_free(sh);
	info_env_release(&v);
	return 0;
}
