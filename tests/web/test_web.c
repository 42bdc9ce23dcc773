/* The web server's parts without HTTP: the route table's matching and
 * parameter validation (kp_web_route_find on a table of test routes and
 * on the server's own table), roles, passwords (Argon2id strings), and
 * the store's accounts, sessions, publication and votes on SQLite and,
 * when KP_TEST_PG names a server, on PostgreSQL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "round/round.h"
#include "store/store.h"
#include "web/web.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void h_none(kp_web_req *rq) { (void)rq; }
static void h_other(kp_web_req *rq) { (void)rq; }

static const kp_web_pspec p_round[] = { { "round", KP_WP_NAME, 16 }, { NULL, 0, 0 } };
static const kp_web_pspec p_two[] = {
	{ "round", KP_WP_NAME, 16 }, { "unit", KP_WP_NAME, 200 }, { NULL, 0, 0 },
};

static const kp_web_route table[] = {
	{ "GET", "/api/rounds", KP_WEB_STAFF, false, h_none, NULL, "" },
	{ "GET", "/api/rounds/{round}/rank", KP_WEB_ADMIN, false, h_none, p_round, "" },
	{ "POST", "/api/rounds/{round}/facts", KP_WEB_STAFF, true, h_other, p_round, "" },
	{ "GET", "/api/rounds/{round}/units/{unit}", KP_WEB_STAFF, false, h_other, p_two, "" },
	{ NULL, NULL, 0, false, NULL, NULL, NULL },
};

static void test_match(void **state)
{
	kp_web_params p;
	kp_err e;
	int status;
	(void)state;
	assert_int_equal(kp_web_route_find(table, "GET", "/api/rounds", &p, &status, &e), 0);
	assert_int_equal(status, 200);
	assert_int_equal(p.n, 0);
	assert_int_equal(kp_web_route_find(table, "GET", "/api/rounds/2016-gk/units/市公安局",
					   &p, &status, &e), 3);
	assert_int_equal(p.n, 2);
	assert_string_equal(kp_web_param(&p, "round"), "2016-gk");
	assert_string_equal(kp_web_param(&p, "unit"), "市公安局");
	assert_null(kp_web_param(&p, "other"));
	kp_web_params_release(&p);
	assert_int_equal(p.n, 0);
	assert_int_equal(kp_web_route_find(table, "POST", "/api/rounds/r1/facts", &p, &status, &e), 2);
	assert_string_equal(kp_web_param(&p, "round"), "r1");
	kp_web_params_release(&p);
}

static void test_no_match(void **state)
{
	kp_web_params p;
	kp_err e;
	int status;
	(void)state;
	/* a path no pattern has: 404 */
	assert_int_equal(kp_web_route_find(table, "GET", "/api/roundsx", &p, &status, &e), -1);
	assert_int_equal(status, 404);
	assert_int_equal(kp_web_route_find(table, "GET", "/api/rounds/", &p, &status, &e), -1);
	assert_int_equal(status, 404);
	assert_int_equal(kp_web_route_find(table, "GET", "/api/rounds/r1/rank/x", &p, &status, &e), -1);
	assert_int_equal(status, 404);
	/* a parameter never spans a '/' */
	assert_int_equal(kp_web_route_find(table, "GET", "/api/rounds/a/b/rank", &p, &status, &e), -1);
	assert_int_equal(status, 404);
	/* the path exists, not with this method: 405 */
	assert_int_equal(kp_web_route_find(table, "DELETE", "/api/rounds/r1/rank", &p, &status, &e), -1);
	assert_int_equal(status, 405);
	assert_non_null(strstr(e.msg, "不支持 DELETE"));
	assert_int_equal(kp_web_route_find(table, "GET", "/api/rounds/r1/facts", &p, &status, &e), -1);
	assert_int_equal(status, 405);
	assert_int_equal(p.n, 0);
}

static void test_params(void **state)
{
	kp_web_params p;
	kp_err e;
	int status;
	char long_name[64];
	(void)state;
	/* empty */
	assert_int_equal(kp_web_route_find(table, "GET", "/api/rounds//rank", &p, &status, &e), -1);
	assert_int_equal(status, 400);
	assert_string_equal(e.msg, "参数 round 为空");
	/* over its max (16 bytes) */
	memset(long_name, 'a', 17);
	long_name[17] = '\0';
	{
		char path[128];
		snprintf(path, sizeof(path), "/api/rounds/%s/rank", long_name);
		assert_int_equal(kp_web_route_find(table, "GET", path, &p, &status, &e), -1);
		assert_int_equal(status, 400);
		assert_string_equal(e.msg, "参数 round 超过 16 字节");
		long_name[16] = '\0';
		snprintf(path, sizeof(path), "/api/rounds/%s/rank", long_name);
		assert_int_equal(kp_web_route_find(table, "GET", path, &p, &status, &e), 1);
		kp_web_params_release(&p);
	}
	/* control characters (a decoded %0A) and bytes that are not UTF-8 */
	assert_int_equal(kp_web_route_find(table, "GET", "/api/rounds/a\nb/rank", &p, &status, &e), -1);
	assert_int_equal(status, 400);
	assert_string_equal(e.msg, "参数 round 含有控制字符");
	assert_int_equal(kp_web_route_find(table, "GET", "/api/rounds/r/units/\xff\xfe", &p, &status, &e), -1);
	assert_int_equal(status, 400);
	assert_string_equal(e.msg, "参数 unit 不是 UTF-8 文本");
	assert_int_equal(p.n, 0);
}

/* The server's own table: every {name} of a pattern has its spec, and
 * the contract's routes are there with their roles. */
static void test_server_table(void **state)
{
	kp_web_params p;
	kp_err e;
	int status, i;
	(void)state;
	for (i = 0; kp_web_routes[i].method; i++) {
		const char *s = kp_web_routes[i].pattern;
		assert_non_null(kp_web_routes[i].fn);
		while ((s = strchr(s, '{'))) {
			const char *close = strchr(s, '}');
			bool found = false;
			for (const kp_web_pspec *ps = kp_web_routes[i].params; ps && ps->name; ps++)
				found |= strlen(ps->name) == (size_t)(close - s - 1) &&
					 !strncmp(ps->name, s + 1, (size_t)(close - s - 1));
			assert_true(found);
			s = close;
		}
	}
	i = kp_web_route_find(kp_web_routes, "POST", "/api/rounds/r/publish", &p, &status, &e);
	assert_true(i >= 0);
	assert_int_equal(kp_web_routes[i].roles, KP_WEB_ADMIN);
	assert_true(kp_web_routes[i].change);
	kp_web_params_release(&p);
	i = kp_web_route_find(kp_web_routes, "GET", "/api/rounds/r/rank", &p, &status, &e);
	assert_int_equal(kp_web_routes[i].roles & KP_WEB_UNIT, 0);
	assert_int_equal(kp_web_routes[i].roles & KP_WEB_PUBLIC, 0);
	kp_web_params_release(&p);
	i = kp_web_route_find(kp_web_routes, "POST", "/api/rounds/r/facts", &p, &status, &e);
	assert_true(kp_web_routes[i].change);
	kp_web_params_release(&p);
	i = kp_web_route_find(kp_web_routes, "GET", "/api/public/rounds/r/rank", &p, &status, &e);
	assert_int_equal(kp_web_routes[i].roles, KP_WEB_PUBLIC);
	kp_web_params_release(&p);
}

static void test_roles(void **state)
{
	(void)state;
	assert_int_equal(kp_web_role_parse("admin"), KP_WEB_ADMIN);
	assert_int_equal(kp_web_role_parse("assessor"), KP_WEB_ASSESSOR);
	assert_int_equal(kp_web_role_parse("unit"), KP_WEB_UNIT);
	assert_int_equal(kp_web_role_parse("public"), 0);
	assert_int_equal(kp_web_role_parse("Admin"), 0);
	assert_int_equal(kp_web_role_parse(NULL), 0);
	assert_string_equal(kp_web_role_label(KP_WEB_ASSESSOR), "考核人员");
	assert_string_equal(kp_web_role_name(KP_WEB_UNIT), "unit");
}

static void test_password(void **state)
{
	char h[KP_WEB_HASH_MAX], g[17];
	kp_err e;
	(void)state;
	assert_int_equal(kp_web_password_hash("correct horse", h, &e), 0);
	assert_memory_equal(h, "$argon2id$", 10);
	assert_true(kp_web_password_verify(h, "correct horse"));
	assert_false(kp_web_password_verify(h, "correct horsE"));
	assert_false(kp_web_password_verify("", "correct horse"));
	kp_web_password_generate(g);
	assert_int_equal(strlen(g), 16);
	assert_int_equal(kp_web_password_check(g, &e), 0);
	assert_int_equal(kp_web_password_check("1234567", &e), -1);
	assert_string_equal(e.msg, "密码至少 8 个字符");
}

/* ---- the store's accounts ---------------------------------------------- */

static char tmpdir[] = "/tmp/kp-web-XXXXXX";

static void accounts(const char *conn)
{
	kp_store *s;
	kp_err e;
	kp_user u;
	kp_session x;
	kp_round_spec sp;
	const char *names[] = { "甲局", "乙局" };
	int64_t id;
	bool pub = true;
	assert_int_equal(kp_store_open(conn, KP_STORE_CREATE, &s, &e), 0);
	assert_int_equal(kp_store_user_add(s, "a1", "admin", "", "$argon2id$x", "测试", &e), 0);
	assert_int_equal(kp_store_user_add(s, "a1", "unit", "甲局", "h", "测试", &e), -1);
	assert_int_equal(e.code, KP_EINPUT);
	assert_int_equal(kp_store_user_add(s, "u1", "unit", "甲局", "h2", "测试", &e), 0);
	assert_int_equal(kp_store_user_get(s, "nobody", &u, &e), 1);
	assert_int_equal(kp_store_user_get(s, "u1", &u, &e), 0);
	assert_string_equal(u.role, "unit");
	assert_string_equal(u.unit, "甲局");
	assert_string_equal(u.hash, "h2");
	assert_false(u.disabled);
	assert_int_equal(kp_store_user_attempt(s, u.id, 5, 1234, "login-throttled", "来自 1.2.3.4", &e), 0);
	assert_int_equal(kp_store_session_add(s, "tok", u.id, "csrf", 99999999999LL, "1.2.3.4", &e), 0);
	kp_user_release(&u);
	assert_int_equal(kp_store_user_get(s, "u1", &u, &e), 0);
	assert_int_equal(u.failed, 5);
	assert_int_equal(u.locked_until, 1234);
	kp_user_release(&u);
	assert_int_equal(kp_store_session_get(s, "tok", &x, &e), 0);
	assert_string_equal(x.user.name, "u1");
	assert_string_equal(x.csrf, "csrf");
	kp_session_release(&x);
	assert_int_equal(kp_store_session_get(s, "other", &x, &e), 1);
	/* disabling ends the sessions */
	assert_int_equal(kp_store_user_disable(s, "u1", "测试", &e), 0);
	assert_int_equal(kp_store_session_get(s, "tok", &x, &e), 1);
	assert_int_equal(kp_store_user_disable(s, "nobody", "测试", &e), -1);

	/* publication and votes of a round */
	memset(&sp, 0, sizeof(sp));
	sp.name = "r";
	sp.period = "2016";
	sp.table_id = "t";
	sp.table_source = "t";
	sp.table_title = "表";
	sp.table_text = "id,name,points\n1,甲,10\n";
	sp.registry = "test";
	sp.author = "测试";
	sp.unit_names = names;
	sp.nunits = 2;
	assert_int_equal(kp_store_round_new(s, &sp, &id, &e), 0);
	assert_int_equal(kp_store_round_published(s, id, &pub, &e), 0);
	assert_false(pub);
	assert_int_equal(kp_store_round_publish(s, id, "a1", "来自 1.2.3.4", &e), 0);
	assert_int_equal(kp_store_round_publish(s, id, "a1", "again", &e), 0);
	assert_int_equal(kp_store_round_published(s, id, &pub, &e), 0);
	assert_true(pub);
	assert_int_equal(kp_store_vote_add(s, id, "v1", "1.2.3.4", "甲局", "满意", 2, &e), 0);
	assert_int_equal(kp_store_vote_add(s, id, "v1", "1.2.3.4", "乙局", "满意", 2, &e), 1);
	assert_int_equal(kp_store_vote_add(s, id, "v2", "1.2.3.4", "乙局", "不满意", 2, &e), 0);
	assert_int_equal(kp_store_vote_add(s, id, "v3", "1.2.3.4", "乙局", "满意", 2, &e), 2);
	assert_int_equal(kp_store_vote_add(s, id, "v3", "5.6.7.8", "乙局", "满意", 2, &e), 0);
	kp_store_close(s);
}

static void test_accounts_sqlite(void **state)
{
	char conn[256];
	(void)state;
	snprintf(conn, sizeof(conn), "%s/a.db", tmpdir);
	accounts(conn);
}

static void test_accounts_pg(void **state)
{
	const char *pg = getenv("KP_TEST_PG");
	char conn[512], sql[128], db[64];
	PGconn *c;
	(void)state;
	if (!pg || !*pg) {
		if (getenv("CI"))
			fail_msg("KP_TEST_PG is not set under CI");
		skip();
	}
	snprintf(db, sizeof(db), "kp_webtest_%d", (int)getpid());
	c = PQconnectdb(pg);
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", db);
	PQclear(PQexec(c, sql));
	snprintf(conn, sizeof(conn), "%s dbname=%s", pg, db);
	accounts(conn);
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", db);
	PQclear(PQexec(c, sql));
	PQfinish(c);
}

static int group_setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_no_match),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_server_table),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_password),
		cmocka_unit_test(test_accounts_sqlite),
		cmocka_unit_test(test_accounts_pg),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
