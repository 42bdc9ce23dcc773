/* Tests of base's shared vocabulary: dates, the map, FNV-1a, numbers as
 * JSON, the atomic writer's refusals and permissions, kp_err's fields. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/base.h"

/* ---- dates ---- */

static kp_date D(const char *s)
{
	kp_date d = 12345;
	assert_int_equal(kp_date_parse(s, &d), 0);
	return d;
}

static bool refused(const char *s)
{
	kp_date d = 777;
	return kp_date_parse(s, &d) == -1 && d == 777;
}

static void dates_calendar(void **state)
{
	char b[KP_DATE_STRLEN];
	int y, m, d;
	(void)state;
	/* the epoch of kp_inspect_date: days since 1970-01-01 */
	assert_int_equal(kp_date_from_ymd(1970, 1, 2), 1);
	assert_int_equal(kp_date_from_ymd(2024, 6, 30), 19904);
	assert_int_equal(kp_date_from_ymd(1969, 12, 31), -1);
	assert_int_equal(kp_date_from_ymd(1970, 1, 1), KP_DATE_NONE);
	/* leap years: every 4th, not every 100th, but every 400th */
	assert_int_not_equal(kp_date_from_ymd(2024, 2, 29), KP_DATE_NONE);
	assert_int_equal(kp_date_from_ymd(2023, 2, 29), KP_DATE_NONE);
	assert_int_equal(kp_date_from_ymd(1900, 2, 29), KP_DATE_NONE);
	assert_int_not_equal(kp_date_from_ymd(2000, 2, 29), KP_DATE_NONE);
	assert_int_equal(kp_date_from_ymd(2100, 2, 29), KP_DATE_NONE);
	assert_int_equal(kp_date_from_ymd(2024, 2, 30), KP_DATE_NONE);
	assert_int_equal(kp_date_from_ymd(2024, 4, 31), KP_DATE_NONE);
	assert_int_equal(kp_date_from_ymd(2024, 13, 1), KP_DATE_NONE);
	assert_int_equal(kp_date_from_ymd(1899, 12, 31), KP_DATE_NONE);
	assert_int_equal(kp_date_from_ymd(2200, 1, 1), KP_DATE_NONE);
	assert_int_equal(kp_date_days_in_month(1900, 2), 28);
	assert_int_equal(kp_date_days_in_month(2000, 2), 29);
	/* round trips across the range */
	for (kp_date x = kp_date_from_ymd(1900, 1, 1);
	     x <= kp_date_from_ymd(2199, 12, 31); x += 97) {
		if (x == KP_DATE_NONE)
			continue;
		kp_date_ymd(x, &y, &m, &d);
		assert_int_equal(kp_date_from_ymd(y, m, d), x);
	}
	kp_date_ymd(kp_date_from_ymd(2000, 2, 29), &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 20000229);
	assert_string_equal(kp_date_str(kp_date_from_ymd(1900, 3, 1), b),
			    "1900-03-01");
	assert_string_equal(kp_date_str(KP_DATE_NONE, b), "");
	/* 2024-06-30 was a Sunday, 1970-01-02 a Friday, 2000-02-29 a Tuesday */
	assert_int_equal(kp_date_weekday(D("2024-06-30")), 7);
	assert_int_equal(kp_date_weekday(1), 5);
	assert_int_equal(kp_date_weekday(D("2000-02-29")), 2);
	assert_int_equal(kp_date_weekday(D("1900-01-01")), 1);
	/* adding days crosses months, leap days and years */
	assert_string_equal(kp_date_str(kp_date_add_days(D("2000-02-28"), 1), b),
			    "2000-02-29");
	assert_string_equal(kp_date_str(kp_date_add_days(D("1900-02-28"), 1), b),
			    "1900-03-01");
	assert_string_equal(kp_date_str(kp_date_add_days(D("2023-12-31"), 1), b),
			    "2024-01-01");
	assert_string_equal(kp_date_str(kp_date_add_days(D("2024-03-01"), -1), b),
			    "2024-02-29");
	assert_int_equal(kp_date_add_days(KP_DATE_NONE, 5), KP_DATE_NONE);
	assert_int_equal(kp_date_add_days(D("2199-12-31"), 1), KP_DATE_NONE);
	assert_int_equal(kp_date_add_days(D("1900-01-01"), -1), KP_DATE_NONE);
}

static void dates_parse(void **state)
{
	char b[KP_DATE_STRLEN];
	(void)state;
	assert_string_equal(kp_date_str(D("2017-07-03"), b), "2017-07-03");
	assert_string_equal(kp_date_str(D("2017/7/3"), b), "2017-07-03");
	assert_string_equal(kp_date_str(D("2017.7.3"), b), "2017-07-03");
	assert_string_equal(kp_date_str(D("2017年7月3日"), b), "2017-07-03");
	assert_string_equal(kp_date_str(D("2017年7月3"), b), "2017-07-03");
	assert_string_equal(kp_date_str(D("20170703"), b), "2017-07-03");
	assert_string_equal(kp_date_str(D("  2017-07-03  "), b), "2017-07-03");
	assert_string_equal(kp_date_str(D("2017-07-03 10:30"), b), "2017-07-03");
	assert_string_equal(kp_date_str(D("2017-07-03T23:59:59"), b),
			    "2017-07-03");
	assert_string_equal(kp_date_str(D("2017-07-03 0:00"), b), "2017-07-03");
	assert_string_equal(kp_date_str(D("2000-02-29"), b), "2000-02-29");
	assert_true(refused("1900-02-29"));
	assert_true(refused("2023-02-29"));
	assert_true(refused("2024-02-30"));
	assert_true(refused("2024-00-10"));
	assert_true(refused("2024-01-32"));
	assert_true(refused("1899-12-31"));
	assert_true(refused("2200-01-01"));
	assert_true(refused("1970-01-01"));
	assert_true(refused("2017-07-03 25:00"));
	assert_true(refused("2017-07-03 24:00"));
	assert_true(refused("2017-07-03T10:60"));
	assert_true(refused("2017-07-03 10:30:61"));
	assert_true(refused("2017-07-03 10:3"));
	assert_true(refused("2017-07-03 10"));
	assert_true(refused("2017-07-03x"));
	assert_true(refused("17-07-03"));
	assert_true(refused(""));
	assert_true(refused("明天"));
}

/* ---- the map ---- */

static void map_basics(void **state)
{
	kp_map m = KP_MAP_INIT;
	size_t v = 99, old = 0;
	char keys[2000][12];
	const char slice[] = "市财政局市民政局";
	(void)state;
	assert_false(kp_map_get(&m, "x", &v));
	assert_int_equal(v, 99);
	assert_int_equal(kp_map_put(&m, "市财政局", 7, NULL), 1);
	assert_int_equal(kp_map_put(&m, "市民政局", 8, NULL), 1);
	assert_true(kp_map_get(&m, "市财政局", &v));
	assert_int_equal(v, 7);
	assert_int_equal(kp_map_put(&m, "市财政局", 9, &old), 0);
	assert_int_equal(old, 7);
	assert_true(kp_map_get(&m, "市财政局", &v));
	assert_int_equal(v, 9);
	assert_int_equal(kp_map_add(&m, "市财政局", 1, &old), 0);
	assert_int_equal(old, 9);
	assert_true(kp_map_get(&m, "市财政局", &v));
	assert_int_equal(v, 9);
	assert_int_equal(m.n, 2);
	/* slices: the key "市民政局" inside a longer string */
	assert_true(kp_map_getn(&m, slice + strlen("市财政局"),
				strlen("市民政局"), &v));
	assert_int_equal(v, 8);
	assert_true(kp_map_getn(&m, slice, strlen("市财政局"), &v));
	assert_int_equal(v, 9);
	assert_false(kp_map_getn(&m, slice, 3, NULL));
	assert_false(kp_map_get(&m, "", NULL));
	assert_int_equal(kp_map_put(&m, "", 5, NULL), 1);
	assert_true(kp_map_get(&m, "", &v));
	assert_int_equal(v, 5);
	kp_map_release(&m);
	assert_int_equal(m.n, 0);
	assert_false(kp_map_get(&m, "市财政局", NULL));

	/* growing keeps every key (borrowed: keys[] outlives the map) */
	kp_map_init(&m);
	for (size_t i = 0; i < 2000; i++) {
		snprintf(keys[i], sizeof(keys[i]), "k%zu", i);
		assert_int_equal(kp_map_add(&m, keys[i], i, NULL), 1);
	}
	assert_int_equal(m.n, 2000);
	assert_true(m.cap >= 4000);
	for (size_t i = 0; i < 2000; i++) {
		assert_true(kp_map_get(&m, keys[i], &v));
		assert_int_equal(v, i);
	}
	assert_false(kp_map_get(&m, "k2000", NULL));
	kp_map_release(&m);
}

/* ---- FNV-1a ---- */

static void hash_vectors(void **state)
{
	(void)state;
	/* the published FNV-1a 64-bit test vectors */
	assert_true(kp_hash_fnv1a("", 0) == 0xcbf29ce484222325ULL);
	assert_true(kp_hash_fnv1a("a", 1) == 0xaf63dc4c8601ec8cULL);
	assert_true(kp_hash_fnv1a("foobar", 6) == 0x85944171f73967e8ULL);
	assert_true(kp_hash_fnv1a_more(kp_hash_fnv1a("foo", 3), "bar", 3) ==
		    0x85944171f73967e8ULL);
	/* a string with its terminator, without a length */
	assert_true(kp_hash_fnv1a_str(KP_FNV1A_INIT, "foobar") ==
		    kp_hash_fnv1a("foobar", 7));
	assert_true(kp_hash_fnv1a_str(KP_FNV1A_INIT, "") == kp_hash_fnv1a("", 1));
	assert_true(kp_hash_fnv1a_str(kp_hash_fnv1a("指标", 6), "1.2") ==
		    kp_hash_fnv1a_more(kp_hash_fnv1a("指标", 6), "1.2", 4));
}

/* ---- numbers as JSON ---- */

static char *dump(json_t *j)
{
	char *s;
	assert_non_null(j);
	s = json_dumps(j, JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
	json_decref(j);
	return s;
}

static void num_json(void **state)
{
	kp_num v;
	char *s;
	(void)state;
	assert_int_equal(kp_num_parse("30", &v), 0);
	s = dump(kp_num_json(v));
	assert_string_equal(s, "30");
	free(s);
	assert_int_equal(kp_num_parse("-2.5", &v), 0);
	s = dump(kp_num_json(v));
	assert_string_equal(s, "-2.5");
	free(s);
	assert_int_equal(kp_num_parse("0.125", &v), 0);
	s = dump(kp_num_json(v));
	assert_string_equal(s, "0.125");
	free(s);
	assert_int_equal(kp_num_parse("4/3", &v), 0);
	s = dump(kp_num_json(v));
	assert_string_equal(s, "1.33");
	free(s);
	assert_int_equal(kp_num_parse("26.665", &v), 0);
	s = dump(kp_num_json(v));
	assert_string_equal(s, "26.665");
	free(s);
	assert_int_equal(kp_num_parse("80/3", &v), 0);
	s = dump(kp_num_json(v));
	assert_string_equal(s, "26.67");
	free(s);
}

/* ---- errors ---- */

static void err_fields(void **state)
{
	kp_err e;
	(void)state;
	assert_int_equal(kp_fail_at(&e, KP_EINPUT, "f.csv", 12, "坏了%d", 1),
			 -1);
	assert_string_equal(e.msg, "f.csv:12: 坏了1");
	assert_string_equal(e.file, "f.csv");
	assert_int_equal(e.line, 12);
	assert_string_equal(kp_err_reason(&e), "坏了1");
	assert_int_equal(e.code, KP_EINPUT);
	kp_fail_at(&e, KP_EIO, "g.csv", 0, "读不了");
	assert_string_equal(e.msg, "g.csv: 读不了");
	assert_int_equal(e.line, 0);
	assert_string_equal(kp_err_reason(&e), "读不了");
	kp_fail_line(&e, KP_EINPUT, 7, "单位“%s”未知", "甲");
	assert_string_equal(e.msg, "第7行: 单位“甲”未知");
	assert_string_equal(e.file, "");
	assert_int_equal(e.line, 7);
	assert_string_equal(kp_err_reason(&e), "单位“甲”未知");
	kp_fail(&e, KP_EINTERNAL, "无处");
	assert_string_equal(e.file, "");
	assert_int_equal(e.line, 0);
	assert_string_equal(kp_err_reason(&e), "无处");
	assert_int_equal(kp_fail(NULL, KP_EIO, "x"), -1);
}

/* ---- the atomic writer ---- */

static char dir[64];

static int mkdir_tmp(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/kp-vocab-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int rm_tmp(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *in_dir(const char *name, char *buf)
{
	snprintf(buf, 128, "%s/%s", dir, name);
	return buf;
}

/* The entries of dir, sorted, joined by ' ' (to see no stray temp file). */
static void listing(char *out, size_t n)
{
	char cmd[160];
	FILE *p;
	size_t k;
	snprintf(cmd, sizeof(cmd), "ls -A '%s' | tr '\\n' ' '", dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	k = fread(out, 1, n - 1, p);
	out[k] = '\0';
	pclose(p);
}

static void read_back(const char *path, const char *want)
{
	kp_buf b = KP_BUF_INIT;
	kp_err e;
	assert_int_equal(kp_read_file(path, 1 << 20, &b, &e), 0);
	assert_string_equal(b.data ? b.data : "", want);
	kp_buf_release(&b);
}

static void refuse(const char *path, const char *why)
{
	kp_err e;
	kp_atomic a;
	char ls1[512], ls2[512];
	listing(ls1, sizeof(ls1));
	assert_int_equal(kp_write_atomic(path, "x\n", 2, &e), -1);
	assert_int_equal(e.code, KP_EINPUT);
	assert_non_null(strstr(e.msg, path));
	assert_non_null(strstr(e.msg, why));
	assert_non_null(strstr(e.msg, "未写入任何内容"));
	assert_int_equal(kp_atomic_begin(&a, path, &e), -1);
	assert_non_null(strstr(e.msg, why));
	listing(ls2, sizeof(ls2));
	assert_string_equal(ls1, ls2);
}

static void atomic_refuses_directory(void **state)
{
	char p[128];
	(void)state;
	assert_int_equal(mkdir(in_dir("d", p), 0755), 0);
	refuse(p, "是目录");
}

static void atomic_refuses_device(void **state)
{
	struct stat st;
	(void)state;
	assert_int_equal(stat("/dev/null", &st), 0);
	refuse("/dev/null", "是设备文件");
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
}

static void atomic_refuses_fifo(void **state)
{
	char p[128];
	(void)state;
	assert_int_equal(mkfifo(in_dir("fifo", p), 0644), 0);
	refuse(p, "是命名管道");
}

static void atomic_refuses_socket(void **state)
{
	char p[128];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	(void)state;
	assert_true(fd >= 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", in_dir("sock", p));
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	refuse(p, "是套接字");
	close(fd);
}

static void atomic_refuses_symlink(void **state)
{
	char p[128], t[128];
	(void)state;
	assert_int_equal(kp_write_atomic(in_dir("real", t), "old\n", 4, NULL),
			 0);
	assert_int_equal(symlink(t, in_dir("link", p)), 0);
	refuse(p, "是符号链接");
	read_back(t, "old\n");
}

static void atomic_keeps_mode(void **state)
{
	char p[128], ls[512];
	struct stat st;
	kp_err e;
	mode_t old = umask(022);
	(void)state;
	/* a new file: 0666 less the umask */
	assert_int_equal(kp_write_atomic(in_dir("new.csv", p), "a\n", 2, &e), 0);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	/* an existing 0600 file stays 0600, 0640 stays 0640 */
	assert_int_equal(chmod(p, 0600), 0);
	assert_int_equal(kp_write_atomic(p, "bb\n", 3, &e), 0);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	read_back(p, "bb\n");
	assert_int_equal(chmod(p, 0640), 0);
	assert_int_equal(kp_write_atomic(p, "ccc\n", 4, &e), 0);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	read_back(p, "ccc\n");
	listing(ls, sizeof(ls));
	assert_string_equal(ls, "new.csv ");
	umask(old);
}

static void atomic_stream(void **state)
{
	char p[128], ls[512];
	struct stat st;
	kp_atomic a;
	kp_err e;
	FILE *f;
	(void)state;
	assert_int_equal(kp_write_atomic(in_dir("s.txt", p), "old\n", 4, &e), 0);
	assert_int_equal(chmod(p, 0600), 0);
	/* abort: the old file stays, no temporary file is left */
	assert_int_equal(kp_atomic_begin(&a, p, &e), 0);
	assert_non_null(a.fp);
	fputs("half", a.fp);
	kp_atomic_abort(&a);
	read_back(p, "old\n");
	listing(ls, sizeof(ls));
	assert_string_equal(ls, "s.txt ");
	/* commit through the stream */
	assert_int_equal(kp_atomic_begin(&a, p, &e), 0);
	fputs("new\n", a.fp);
	assert_int_equal(kp_atomic_commit(&a, &e), 0);
	read_back(p, "new\n");
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	/* a library writing the temporary path itself */
	assert_int_equal(kp_atomic_begin(&a, p, &e), 0);
	kp_atomic_close_fp(&a);
	f = fopen(a.tmp, "wb");
	assert_non_null(f);
	fputs("by path\n", f);
	fclose(f);
	assert_int_equal(kp_atomic_commit(&a, &e), 0);
	read_back(p, "by path\n");
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	listing(ls, sizeof(ls));
	assert_string_equal(ls, "s.txt ");
	/* a missing directory: a clear error naming the path */
	assert_int_equal(kp_write_atomic(in_dir("no/such.txt", p), "x", 1, &e),
			 -1);
	assert_int_equal(e.code, KP_EIO);
	assert_non_null(strstr(e.msg, p));
}

/* Stored UTC times as a person reads them: Beijing time, across a day,
 * a leap day and a year's end; anything else shown as it is. */
static void time_bj(void **state)
{
	char b[40];
	(void)state;
	assert_string_equal(kp_time_bj("2026-12-07T16:08:00Z", b, sizeof(b)),
			    "2026-12-08 00:08:00+08:00");
	assert_string_equal(kp_time_bj("2026-12-07T03:04:05Z", b, sizeof(b)),
			    "2026-12-07 11:04:05+08:00");
	assert_string_equal(kp_time_bj("2024-02-28T20:00:00.123Z", b, sizeof(b)),
			    "2024-02-29 04:00:00+08:00");
	assert_string_equal(kp_time_bj("2023-12-31T16:00:00Z", b, sizeof(b)),
			    "2024-01-01 00:00:00+08:00");
	assert_string_equal(kp_time_bj("2024-13-01T00:00:00Z", b, sizeof(b)),
			    "2024-13-01T00:00:00Z");
	assert_string_equal(kp_time_bj("2024-06-30", b, sizeof(b)), "2024-06-30");
	assert_string_equal(kp_time_bj("", b, sizeof(b)), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dates_calendar),
		cmocka_unit_test(dates_parse),
		cmocka_unit_test(map_basics),
		cmocka_unit_test(hash_vectors),
		cmocka_unit_test(num_json),
		cmocka_unit_test(err_fields),
		cmocka_unit_test(time_bj),
		cmocka_unit_test_setup_teardown(atomic_refuses_directory,
						mkdir_tmp, rm_tmp),
		cmocka_unit_test_setup_teardown(atomic_refuses_device,
						mkdir_tmp, rm_tmp),
		cmocka_unit_test_setup_teardown(atomic_refuses_fifo,
						mkdir_tmp, rm_tmp),
		cmocka_unit_test_setup_teardown(atomic_refuses_socket,
						mkdir_tmp, rm_tmp),
		cmocka_unit_test_setup_teardown(atomic_refuses_symlink,
						mkdir_tmp, rm_tmp),
		cmocka_unit_test_setup_teardown(atomic_keeps_mode,
						mkdir_tmp, rm_tmp),
		cmocka_unit_test_setup_teardown(atomic_stream,
						mkdir_tmp, rm_tmp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
