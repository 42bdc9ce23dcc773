/* The report commands' shared steps (cli_report_run: parse, -o, the round,
 * build, write — or build and write a part at a time, kp_rep_out) and end
 * (cli_report_write: a document written where -o says; report:
 * kp_rep_write, kp_rep_write_each). */
#include "cli/cli.h"
#include "report/report.h"
#include "round/round.h"

#include <string.h>
#include <sys/stat.h>

/* Where -o out says to write: a directory (dirs, and out ends in '/' or
 * is one) or a file; the format (--format, else out's extension); 0, or
 * the exit status after saying why not. */
static int target(const char *out, const char *format, bool dirs,
		  kp_rep_format *f, bool *dir)
{
	struct stat st;
	size_t len = strlen(out);
	*f = KP_REP_NONE;
	if (format && !(*f = kp_rep_format_named(format)))
		return cli_usage_error("--format 只能是 xlsx、csv、html、docx 或 pdf：%s", format);
	*dir = dirs && ((len && out[len - 1] == '/') ||
			(stat(out, &st) == 0 && S_ISDIR(st.st_mode)));
	if (!*dir && *f == KP_REP_NONE && kp_rep_format_of(out) == KP_REP_NONE)
		return cli_usage_error("%s: 文件名应以 .xlsx、.csv、.html、.docx 或 .pdf 结尾（或用 --format）%s",
				       out, dirs ? "；写到目录时以 / 结尾" : "");
	return 0;
}

static void written(const char *out, bool dir, size_t n)
{
	if (dir)
		printf("已写出 %zu 个文件到目录 %s\n", n, out);
	else if (strcmp(out, "-"))
		printf("已写出 %s（%zu 张表）\n", out, n);
}

int cli_report_write(const struct kp_rep_doc *d, const char *out,
		     const char *format, bool dirs)
{
	kp_rep_format f;
	size_t nfiles = 0;
	bool dir;
	kp_err e;
	int ret = target(out, format, dirs, &f, &dir);
	if (ret)
		return ret;
	if (dir ? kp_rep_write_each(d, out, f, &nfiles, &e) < 0
		: kp_rep_write(d, out, f, &e) < 0)
		return cli_error(&e);
	written(out, dir, dir ? nfiles : d->n);
	return KP_EXIT_OK;
}

/* The report written as it is built (rep->stream). */
static int stream(const struct cli_cmd *cmd, const struct cli_args *a,
		  const struct cli_report *rep, struct kp_rnd *r,
		  const char *out)
{
	kp_rep_format f;
	kp_rep_out *o;
	size_t n;
	bool dir;
	kp_err e;
	int ret = target(out, rep->dirs ? cli_get(cmd, a, "format") : NULL,
			 rep->dirs, &f, &dir);
	if (ret)
		return ret;
	if (kp_rep_out_open(out, dir, f, rep->title, &o, &e) < 0)
		return cli_error(&e);
	if (rep->stream(cmd, a, r, o, &e) < 0) {
		kp_rep_out_abort(o);
		return cli_error(&e);
	}
	if (kp_rep_out_close(o, &n, &e) < 0)
		return cli_error(&e);
	written(out, dir, n);
	return KP_EXIT_OK;
}

int cli_report_run(const struct cli_cmd *cmd, int argc, char **argv,
		   const struct cli_report *rep)
{
	struct cli_args a;
	struct kp_rnd *r = NULL;
	kp_rep_doc d;
	kp_err e;
	const char *out;
	int ret;
	CLI_PARSE(cmd, argc, argv, &a, NULL);
	if (rep->args) {
		if ((ret = rep->args(cmd, &a)))
			return ret;
	} else if (a.npos) {
		return cli_usage_error("report %s 不接受位置参数：%s", rep->verb,
				       a.pos[0]);
	}
	if (!(out = cli_get(cmd, &a, "output")))
		return cli_usage_error("report %s 需要 -o %s", rep->verb,
				       rep->dirs ? "文件或目录"
				       : rep->charts ? "目录" : "文件");
	if (rep->round && (ret = cli_open_round(cmd, &a, &r)))
		return ret;
	kp_rep_doc_init(&d, rep->title);
	if (rep->stream) {
		ret = stream(cmd, &a, rep, r, out);
	} else if (rep->build(cmd, &a, r, &d, &e) < 0) {
		ret = cli_error(&e);
	} else if (rep->charts) {
		size_t n = 0;
		if (kp_rep_write_charts(&d, out, &n, &e) < 0)
			ret = cli_error(&e);
		else
			printf("已写出 %zu 个图表（%zu 个文件：SVG 和 PNG）到目录 %s\n",
			       d.ncharts, n, out);
	} else
		ret = cli_report_write(&d, out,
				       rep->dirs ? cli_get(cmd, &a, "format") : NULL,
				       rep->dirs);
	if (r) {
		cli_round_notes(r);
		kp_rnd_close(r);
	}
	kp_rep_doc_release(&d);
	kp_rep_fonts_release();
	return ret;
}
