/* web — the API: the route table and its handlers.  Each handler takes
 * validated parameters, calls src/round (or the store's accounts) and
 * answers with round's JSON renderers, as the CLI's commands print them. */
#include "web/web_int.h"
#include "web/pages_int.h"
#include "round/round.h"
#include "score/score.h"

#include <stdlib.h>
#include <string.h>

/* ---- helpers ------------------------------------------------------------- */

/* The body as a JSON object, or an answer of 400 and NULL. */
static json_t *body_object(kp_web_req *rq)
{
	json_error_t je;
	json_t *j = json_loadb(rq->body, rq->nbody, JSON_REJECT_DUPLICATES, &je);
	if (!j || !json_is_object(j)) {
		json_decref(j);
		kp_web_error(rq, 400, "请求正文应是一个 JSON 对象%s%s", j ? "" : "：",
			     j ? "" : je.text);
		return NULL;
	}
	return j;
}

static const char *str_field(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static const char *who(const kp_web_req *rq)
{
	return rq->session ? rq->session->user.name : "公众";
}

/* The round named by {round} in the store, or an answer of 404. */
static int round_get(kp_web_req *rq, kp_round *r)
{
	kp_err e;
	const char *name = kp_web_param(&rq->params, "round");
	memset(r, 0, sizeof(*r));
	if (kp_store_round_get(rq->w->db, name, r, &e) < 0) {
		kp_round_release(r);
		if (e.code == KP_EINPUT)
			kp_web_error(rq, 404, "没有名为“%s”的轮次", name);
		else
			kp_web_fail(rq, &e);
		return -1;
	}
	return 0;
}

/* The round {round}, published, or an answer of 404 (never saying which
 * of the two it lacks). */
static int published_round(kp_web_req *rq, kp_round *r)
{
	bool pub = false;
	kp_err e;
	const char *name = kp_web_param(&rq->params, "round");
	if (round_get(rq, r) < 0) {
		kp_web_error(rq, 404, "没有已公示的轮次“%s”", name);
		return -1;
	}
	if (kp_store_round_published(rq->w->db, r->id, &pub, &e) < 0) {
		kp_round_release(r);
		kp_web_fail(rq, &e);
		return -1;
	}
	if (!pub) {
		kp_round_release(r);
		kp_web_error(rq, 404, "没有已公示的轮次“%s”", name);
		return -1;
	}
	return 0;
}

/* ---- login, logout ---------------------------------------------------------- */

static void login(kp_web_req *rq)
{
	json_t *in = body_object(rq);
	const char *name, *pw;
	kp_user u;
	kp_err e;
	time_t now = time(NULL);
	char token[KP_WEB_TOKEN_HEX], csrf[KP_WEB_TOKEN_HEX];
	char th[KP_WEB_TOKEN_HEX], ch[KP_WEB_TOKEN_HEX], detail[128];
	kp_buf cookie = KP_BUF_INIT;
	int r;
	if (!in)
		return;
	name = str_field(in, "username");
	pw = str_field(in, "password");
	if (!name || !pw) {
		kp_web_error(rq, 400, "登录需要 username 和 password 两个字符串");
		goto out;
	}
	if (kp_web_addr_throttled(rq->w, rq->addr, now)) {
		kp_web_error(rq, 429, "此地址登录失败次数过多，请 %d 分钟后再试",
			     KP_WEB_LOGIN_LOCK_S / 60);
		goto out;
	}
	if ((r = kp_store_user_get(rq->w->db, name, &u, &e)) < 0) {
		kp_web_fail(rq, &e);
		goto out;
	}
	snprintf(detail, sizeof(detail), "来自 %s", rq->addr);
	if (r > 0 || u.disabled) {
		kp_web_addr_failed(rq->w, rq->addr, now);
		kp_web_error(rq, 401, "用户名或密码错误");
		kp_user_release(&u);
		goto out;
	}
	if (u.locked_until > now) {
		kp_web_error(rq, 429, "账号“%s”连续 %d 次密码错误，已暂停登录，请 %lld 分钟后再试",
			     name, KP_WEB_LOGIN_FAILS,
			     (long long)((u.locked_until - now + 59) / 60));
		kp_user_release(&u);
		goto out;
	}
	if (!kp_web_password_verify(u.hash, pw)) {
		int64_t failed = u.failed + 1;
		bool lock = failed >= KP_WEB_LOGIN_FAILS;
		kp_web_addr_failed(rq->w, rq->addr, now);
		if (kp_store_user_attempt(rq->w->db, u.id, lock ? 0 : failed,
					  lock ? now + KP_WEB_LOGIN_LOCK_S : 0,
					  lock ? "login-throttled" : "login-failed",
					  detail, &e) < 0)
			kp_web_fail(rq, &e);
		else
			kp_web_error(rq, 401, "用户名或密码错误");
		kp_user_release(&u);
		goto out;
	}
	kp_web_token_new(token);
	kp_web_token_new(csrf);
	kp_web_token_hash(token, th);
	kp_web_token_hash(csrf, ch);
	if (kp_store_user_attempt(rq->w->db, u.id, 0, 0, "login", detail, &e) < 0 ||
	    kp_store_session_add(rq->w->db, th, u.id, ch, now + rq->w->session_s,
				 rq->addr, &e) < 0) {
		kp_web_fail(rq, &e);
		kp_user_release(&u);
		goto out;
	}
	kp_buf_addf(&cookie, "kp_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%ld",
		    token, rq->w->session_s);
	kp_web_cookie(rq, cookie.data);
	kp_buf_release(&cookie);
	rq->out = json_pack("{s:s, s:s, s:s, s:s, s:I}", "csrf", csrf, "role",
			    u.role, "unit", u.unit, "username", u.name, "expires",
			    (json_int_t)(now + rq->w->session_s));
	kp_user_release(&u);
out:
	json_decref(in);
}

static void logout(kp_web_req *rq)
{
	char h[KP_WEB_TOKEN_HEX], detail[128];
	kp_err e;
	kp_web_token_hash(rq->cookie_session, h);
	snprintf(detail, sizeof(detail), "来自 %s", rq->addr);
	if (kp_store_session_end(rq->w->db, h, &e) < 0 ||
	    kp_store_audit(rq->w->db, 0, who(rq), "logout", detail, &e) < 0) {
		kp_web_fail(rq, &e);
		return;
	}
	kp_web_cookie(rq, "kp_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
	rq->out = json_pack("{s:b}", "logged_out", 1);
}

static void me(kp_web_req *rq)
{
	rq->out = json_pack("{s:s, s:s, s:s}", "username", rq->session->user.name,
			    "role", rq->session->user.role, "unit",
			    rq->session->user.unit);
}

/* ---- rounds ------------------------------------------------------------------ */

static void rounds(kp_web_req *rq)
{
	kp_rnd_list l;
	kp_err e;
	if (kp_rnd_list_get(rq->w->conn, &l, &e) < 0) {
		kp_web_fail(rq, &e);
		return;
	}
	rq->out = kp_rnd_list_json(&l);
	for (size_t i = 0; i < l.n; i++) {
		bool pub = false;
		if (kp_store_round_published(rq->w->db, l.v[i].id, &pub, &e) < 0) {
			kp_rnd_list_release(&l);
			kp_web_fail(rq, &e);
			return;
		}
		json_object_set_new(json_array_get(rq->out, i), "published",
				    json_boolean(pub));
	}
	kp_rnd_list_release(&l);
}

static void ranking(kp_web_req *rq, const char *name)
{
	kp_rnd_ranking k;
	kp_err e;
	if (kp_rnd_ranking_get(rq->w->conn, name, &k, &e) < 0) {
		kp_web_fail(rq, &e);
		return;
	}
	rq->out = kp_rnd_ranking_json(&k);
	kp_rnd_ranking_release(&k);
}

static void rank(kp_web_req *rq)
{
	kp_round r;
	if (round_get(rq, &r) < 0)
		return;
	kp_round_release(&r);
	ranking(rq, kp_web_param(&rq->params, "round"));
}

/* Open {round} for work, or an answer (404 when it is not there). */
static kp_rnd *open_round(kp_web_req *rq)
{
	kp_rnd *r;
	kp_round rd;
	kp_err e;
	if (round_get(rq, &rd) < 0)
		return NULL;
	kp_round_release(&rd);
	if (kp_rnd_open(rq->w->conn, kp_web_param(&rq->params, "round"), &r, &e) < 0) {
		kp_web_fail(rq, &e);
		return NULL;
	}
	return r;
}

/* May the session act on unit i of round r?  A unit account only on its
 * own unit. */
static bool own_unit(const kp_web_req *rq, kp_rnd *r, long i)
{
	if (rq->role != KP_WEB_UNIT)
		return true;
	return i >= 0 && kp_rnd_find_unit(r, rq->session->user.unit) == i;
}

static void sheet(kp_web_req *rq)
{
	const char *unit = kp_web_param(&rq->params, "unit");
	kp_rnd *r = open_round(rq);
	kp_rnd_sheet s;
	kp_err e;
	if (!r)
		return;
	/* another unit's sheet is "not there" to a unit account, whether or
	 * not the unit exists */
	if (!own_unit(rq, r, kp_rnd_find_unit(r, unit))) {
		kp_web_error(rq, 404, "单位“%s”不在轮次“%s”中", unit,
			     kp_rnd_round(r)->name);
		kp_rnd_close(r);
		return;
	}
	if (kp_rnd_sheet_get(r, unit, 0, &s, &e) < 0) {
		kp_web_fail(rq, &e);
	} else {
		rq->out = kp_rnd_sheet_json(r, &s);
		kp_rnd_sheet_release(&s);
	}
	kp_rnd_close(r);
}

/* Each fact may be added by this session: a unit account only self facts
 * of its own unit, an assessor only assessor facts.  0, or an answer. */
static int facts_allowed(kp_web_req *rq, kp_rnd *r, const kp_facts *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		const kp_fact *f = &fs->v[i];
		if (rq->role == KP_WEB_UNIT && !own_unit(rq, r, kp_rnd_find_unit(r, f->unit))) {
			kp_web_error(rq, 404, "第 %zu 条事实：单位“%s”不在轮次“%s”中（单位账号只能登记本单位的事实）",
				     i + 1, f->unit, kp_rnd_round(r)->name);
			return -1;
		}
		if (rq->role == KP_WEB_UNIT && f->source != KP_SRC_SELF) {
			kp_web_error(rq, 403, "第 %zu 条事实：单位用户只能登记自评（self）事实，不能登记%s事实",
				     i + 1, kp_source_label(f->source));
			return -1;
		}
		if (rq->role == KP_WEB_ASSESSOR && f->source != KP_SRC_ASSESSOR) {
			kp_web_error(rq, 403, "第 %zu 条事实：考核人员只能登记考核（assessor）事实，不能登记%s事实",
				     i + 1, kp_source_label(f->source));
			return -1;
		}
	}
	return 0;
}

static void facts_add(kp_web_req *rq)
{
	kp_facts fs = KP_FACTS_INIT;
	kp_rnd *r;
	kp_err e;
	size_t added;
	char detail[160];
	if (kp_facts_parse("请求正文", rq->body, rq->nbody, &fs, &e) < 0) {
		kp_web_fail(rq, &e);
		return;
	}
	if (!(r = open_round(rq))) {
		kp_facts_release(&fs);
		return;
	}
	if (facts_allowed(rq, r, &fs) == 0) {
		if (kp_rnd_facts_add_text(r, "请求正文", rq->body, rq->nbody,
					  who(rq), &added, &e) < 0) {
			kp_web_fail(rq, &e);
		} else {
			snprintf(detail, sizeof(detail), "网页登记 %zu 条事实，来自 %s",
				 added, rq->addr);
			if (kp_store_audit(kp_rnd_store(r), kp_rnd_round(r)->id, who(rq),
					   "web-facts", detail, &e) < 0)
				kp_web_fail(rq, &e);
			else
				rq->out = json_pack("{s:s, s:I}", "round",
						    kp_rnd_round(r)->name, "added",
						    (json_int_t)added);
		}
	}
	kp_facts_release(&fs);
	kp_rnd_close(r);
}

static void publish(kp_web_req *rq)
{
	kp_rnd_ranking k;
	kp_round r;
	kp_err e;
	char detail[128];
	if (round_get(rq, &r) < 0)
		return;
	/* only a scored round has a ranking to publish */
	if (kp_rnd_ranking_get(rq->w->conn, r.name, &k, &e) < 0) {
		kp_web_fail(rq, &e);
		kp_round_release(&r);
		return;
	}
	snprintf(detail, sizeof(detail), "公示排名，来自 %s", rq->addr);
	if (kp_store_round_publish(rq->w->db, r.id, who(rq), detail, &e) < 0)
		kp_web_fail(rq, &e);
	else
		rq->out = json_pack("{s:s, s:b, s:b}", "round", r.name, "published",
				    1, "stale", k.stale);
	kp_rnd_ranking_release(&k);
	kp_round_release(&r);
}

/* ---- the public ------------------------------------------------------------ */

static void public_rank(kp_web_req *rq)
{
	kp_round r;
	char voter[KP_WEB_TOKEN_HEX], token[KP_WEB_TOKEN_HEX];
	kp_buf cookie = KP_BUF_INIT;
	if (published_round(rq, &r) < 0)
		return;
	ranking(rq, r.name);
	if (rq->status == 200) {
		/* the voter's cookie (first visit) and the token its vote
		 * must carry */
		if (rq->cookie_voter && strlen(rq->cookie_voter) == KP_WEB_TOKEN_HEX - 1) {
			snprintf(voter, sizeof(voter), "%s", rq->cookie_voter);
		} else {
			kp_web_token_new(voter);
			kp_buf_addf(&cookie, "kp_voter=%s; Path=/api/public; HttpOnly; SameSite=Strict; Max-Age=31536000",
				    voter);
			kp_web_cookie(rq, cookie.data);
			kp_buf_release(&cookie);
		}
		kp_web_vote_token(rq->w, voter, r.name, token);
		json_object_set_new(rq->out, "vote_token", json_string(token));
	}
	kp_round_release(&r);
}

static const char *const ratings[] = { "满意", "基本满意", "不满意", NULL };

static void public_vote(kp_web_req *rq)
{
	kp_round r;
	kp_rnd *rnd = NULL;
	json_t *in = NULL;
	const char *unit, *rating;
	char token[KP_WEB_TOKEN_HEX], voter[KP_WEB_TOKEN_HEX];
	kp_err e;
	long u;
	int ok = 0, res;
	if (published_round(rq, &r) < 0)
		return;
	if (!rq->cookie_voter || strlen(rq->cookie_voter) != KP_WEB_TOKEN_HEX - 1 ||
	    !rq->csrf) {
		kp_web_error(rq, 403, "投票需要先打开公示排名（取得 kp_voter Cookie 和 vote_token），并在 X-CSRF-Token 请求头中带上 vote_token");
		goto out;
	}
	kp_web_vote_token(rq->w, rq->cookie_voter, r.name, token);
	if (!kp_web_same(token, rq->csrf)) {
		kp_web_error(rq, 403, "X-CSRF-Token 与投票凭证不符");
		goto out;
	}
	if (!(in = body_object(rq)))
		goto out;
	unit = str_field(in, "unit");
	rating = str_field(in, "rating");
	for (size_t i = 0; rating && ratings[i]; i++)
		ok |= !strcmp(rating, ratings[i]);
	if (!unit || !ok) {
		kp_web_error(rq, 400, "投票需要 unit（单位）和 rating（满意、基本满意或不满意）");
		goto out;
	}
	if (kp_rnd_open(rq->w->conn, r.name, &rnd, &e) < 0) {
		kp_web_fail(rq, &e);
		goto out;
	}
	if ((u = kp_rnd_find_unit(rnd, unit)) < 0) {
		kp_web_error(rq, 404, "单位“%s”不在轮次“%s”中", unit, r.name);
		goto out;
	}
	kp_web_token_hash(rq->cookie_voter, voter);
	res = kp_store_vote_add(rq->w->db, r.id, voter, rq->addr,
				kp_rnd_unit_name(rnd, (size_t)u), rating,
				KP_WEB_VOTES_PER_ADDRESS, &e);
	if (res < 0)
		kp_web_fail(rq, &e);
	else if (res == 1)
		kp_web_error(rq, 409, "本轮已经投过票（每人每轮一票）");
	else if (res == 2)
		kp_web_error(rq, 429, "此地址本轮的投票已达 %d 票上限", KP_WEB_VOTES_PER_ADDRESS);
	else
		rq->out = json_pack("{s:s, s:s, s:s, s:b}", "round", r.name, "unit",
				    kp_rnd_unit_name(rnd, (size_t)u), "rating",
				    rating, "voted", 1);
out:
	kp_rnd_close(rnd);
	json_decref(in);
	kp_round_release(&r);
}

/* ---- the table --------------------------------------------------------------- */

static const kp_web_pspec p_round[] = { { "round", KP_WP_NAME, 200 }, { NULL, 0, 0 } };
static const kp_web_pspec p_round_unit[] = {
	{ "round", KP_WP_NAME, 200 }, { "unit", KP_WP_NAME, 200 }, { NULL, 0, 0 },
};

/* 指标体系、单位、检测、台账 (pages_int.h) */
static const kp_web_pspec p_table[] = { { "id", KP_WP_NAME, 300 }, { NULL, 0, 0 } };
static const kp_web_pspec p_round_id[] = {
	{ "round", KP_WP_NAME, 200 }, { "id", KP_WP_NAME, 20 }, { NULL, 0, 0 },
};

#define ANY (KP_WEB_PUBLIC | KP_WEB_STAFF)
#define OFFICE (KP_WEB_ADMIN | KP_WEB_ASSESSOR)

const kp_web_route kp_web_routes[] = {
	{ "POST", "/api/login", ANY, false, login, NULL, "登录：返回会话 Cookie 和 csrf" },
	{ "POST", "/api/logout", KP_WEB_STAFF, true, logout, NULL, "退出登录" },
	{ "GET", "/api/me", KP_WEB_STAFF, false, me, NULL, "当前账号：用户名、角色、单位" },
	{ "GET", "/api/rounds", KP_WEB_STAFF, false, rounds, NULL, "轮次列表（含是否已公示）" },
	{ "GET", "/api/rounds/{round}/rank", OFFICE, false, rank, p_round, "排名" },
	{ "GET", "/api/rounds/{round}/units/{unit}", KP_WEB_STAFF, false, sheet, p_round_unit,
	  "一个单位的考评表（单位用户只能看本单位）" },
	{ "POST", "/api/rounds/{round}/facts", KP_WEB_STAFF, true, facts_add, p_round,
	  "登记事实（单位用户：本单位自评；考核人员：考核）" },
	{ "POST", "/api/rounds/{round}/publish", KP_WEB_ADMIN, true, publish, p_round,
	  "公示轮次的排名" },
	{ "GET", "/api/public/rounds/{round}/rank", KP_WEB_PUBLIC, false, public_rank, p_round,
	  "已公示轮次的排名（公众）" },
	{ "POST", "/api/public/rounds/{round}/vote", KP_WEB_PUBLIC, false, public_vote, p_round,
	  "公众评估投票（每人每轮一票）" },
	/* 指标体系、单位、检测、台账 (api_catalog.c, api_units.c, api_inspect.c,
	 * api_ledger.c; docs/api.md) */
	{ "GET", "/api/tables", KP_WEB_STAFF, false, kp_web_tables, NULL,
	  "指标表列表：各轮次的表和内置的指标表" },
	{ "POST", "/api/tables/import", KP_WEB_ADMIN, true, kp_web_table_import, NULL,
	  "导入指标表（CSV/XLSX）：导入报告、需确认的规则、检查结果和规范文本" },
	{ "GET", "/api/tables/{id}", KP_WEB_STAFF, false, kp_web_table, p_table,
	  "一张指标表：指标树、分值、评分标准、规则的中文说明、检查结果" },
	{ "GET", "/api/units/{round}", OFFICE, false, kp_web_units, p_round,
	  "轮次的单位：类型、网站、政务信息任务分配（管理员另见账号）" },
	{ "GET", "/api/users", KP_WEB_ADMIN, false, kp_web_users, NULL, "账号列表" },
	{ "POST", "/api/users", KP_WEB_ADMIN, true, kp_web_user_add, NULL,
	  "添加账号（同 kaoping user add）" },
	{ "GET", "/api/rounds/{round}/inspections", KP_WEB_STAFF, false, kp_web_inspections,
	  p_round, "轮次的检测及其发现（单位用户只看本单位）" },
	{ "GET", "/api/rounds/{round}/inspections/{id}", KP_WEB_STAFF, false,
	  kp_web_inspection, p_round_id, "一次检测及其发现" },
	{ "POST", "/api/rounds/{round}/inspections/{id}/recheck", OFFICE, true,
	  kp_web_inspection_recheck, p_round_id, "复查：把单位登记的网站排入监测队列" },
	{ "GET", "/api/rounds/{round}/ledger/info", KP_WEB_STAFF, false, kp_web_ledger_info,
	  p_round, "政务信息台账：各单位统计与得分、报送与采用" },
	{ "GET", "/api/rounds/{round}/ledger/info/{unit}", KP_WEB_STAFF, false,
	  kp_web_ledger_info, p_round_unit, "一个单位的政务信息台账" },
	{ "GET", "/api/rounds/{round}/ledger/tasks", KP_WEB_STAFF, false, kp_web_ledger_tasks,
	  p_round, "任务进展台账" },
	{ "GET", "/api/rounds/{round}/ledger/tasks/{unit}", KP_WEB_STAFF, false,
	  kp_web_ledger_tasks, p_round_unit, "一个单位的任务进展台账" },
	{ NULL, NULL, 0, false, NULL, NULL, NULL },
};
