/* web — the API: the route table and its handlers.  Each handler takes
 * validated parameters, calls src/round (or the store's accounts) and
 * answers with round's JSON renderers, as the CLI's commands print them. */
#include "web/web_int.h"
#include "web/pages_int.h"
#include "round/round.h"
#include "score/score.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* The round named by {round} in the store (as the server last read it
 * while it has not changed: rcache.c), its stamp in *stamp when stamp is
 * not NULL, or an answer of 404. */
static int round_stamp(kp_web_req *rq, kp_round *r, int64_t *stamp)
{
	kp_err e;
	int64_t st;
	const char *name = kp_web_param(&rq->params, "round");
	if (kp_web_round_get(rq, name, r, stamp ? stamp : &st, &e) < 0) {
		kp_round_release(r);
		if (e.code == KP_EINPUT)
			kp_web_error(rq, 404, "没有名为“%s”的轮次", name);
		else
			kp_web_fail(rq, &e);
		return -1;
	}
	return 0;
}

static int round_get(kp_web_req *rq, kp_round *r)
{
	return round_stamp(rq, r, NULL);
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
	if (kp_store_round_published(rq->db, r->id, &pub, &e) < 0) {
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
	if ((r = kp_store_user_get(rq->db, name, &u, &e)) < 0) {
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
		if (kp_store_user_attempt(rq->db, u.id, lock ? 0 : failed,
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
	if (kp_store_user_attempt(rq->db, u.id, 0, 0, "login", detail, &e) < 0 ||
	    kp_store_session_add(rq->db, th, u.id, ch, now + rq->w->session_s,
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
	if (kp_store_session_end(rq->db, h, &e) < 0 ||
	    kp_store_audit(rq->db, 0, who(rq), "logout", detail, &e) < 0) {
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
		if (kp_store_round_published(rq->db, l.v[i].id, &pub, &e) < 0) {
			kp_rnd_list_release(&l);
			kp_web_fail(rq, &e);
			return;
		}
		json_object_set_new(json_array_get(rq->out, i), "published",
				    json_boolean(pub));
	}
	kp_rnd_list_release(&l);
}

/* The key of round r's stored ranking: what it renders changes only with
 * a scoring (scored_seq, the rows), a fact (last_seq: "current") or a
 * table (its hash).  Caller frees. */
static char *ranking_key(const kp_round *r)
{
	kp_buf k = KP_BUF_INIT;
	kp_buf_addf(&k, "%lld/%lld/%lld/%lld", (long long)r->scored_seq,
		    (long long)r->last_seq, (long long)r->nresults,
		    (long long)r->nunits);
	for (size_t i = 0; i < r->ntables; i++)
		kp_buf_addf(&k, "/%s", r->tables[i].hash);
	return kp_buf_detach(&k);
}

/* Round r's ranking as JSON text, from the cache when its key has not
 * changed, else rendered and cached: a reference (the caller's), or NULL
 * with an answer.  With it, in rq: the same gzipped (blob_gz, for a
 * client that takes gzip) and its ETag. */
static kp_web_blob *ranking(kp_web_req *rq, const kp_round *r)
{
	kp_web *w = rq->w;
	kp_web_blob *b = NULL, *gz;
	kp_rnd_ranking k;
	kp_err e;
	json_t *j;
	char *key = ranking_key(r), *text, hash[17];
	pthread_mutex_lock(&w->lock);
	for (size_t i = 0; i < KP_WEB_RANK_CACHE && !b; i++)
		if (w->ranks[i].blob && w->ranks[i].round == r->id &&
		    !strcmp(w->ranks[i].key, key)) {
			b = kp_web_blob_ref(w->ranks[i].blob);
			rq->blob_gz = w->ranks[i].gz ? kp_web_blob_ref(w->ranks[i].gz)
						     : NULL;
			memcpy(rq->etag, w->ranks[i].etag, sizeof(rq->etag));
		}
	pthread_mutex_unlock(&w->lock);
	if (b) {
		free(key);
		return b;
	}
	if (kp_rnd_ranking_get(w->conn, r->name, &k, &e) < 0) {
		kp_web_fail(rq, &e);
		free(key);
		return NULL;
	}
	j = kp_rnd_ranking_json(&k);
	kp_rnd_ranking_release(&k);
	/* compact: a national ranking is large, and sent often */
	text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER |
			  JSON_REAL_PRECISION(15));
	json_decref(j);
	if (!text) {
		kp_web_error(rq, 500, "内部错误：排名无法写成 JSON");
		free(key);
		return NULL;
	}
	b = kp_web_blob_new(text, strlen(text));
	free(text);
	gz = kp_web_blob_gzip(b->data, b->n, 6);
	kp_store_hash(b->data, b->n, hash);
	/* weak: the same for the plain and the gzipped bytes (RFC 9110
	 * 8.8.3: a strong one would have to differ) */
	snprintf(rq->etag, sizeof(rq->etag), "W/\"%s\"", hash);
	rq->blob_gz = gz;
	pthread_mutex_lock(&w->lock);
	{
		struct kp_web_rank_cached *c = NULL;
		for (size_t i = 0; i < KP_WEB_RANK_CACHE && !c; i++)
			if (w->ranks[i].blob && w->ranks[i].round == r->id)
				c = &w->ranks[i];      /* the round's older one */
		if (!c) {
			c = &w->ranks[w->rank_next];
			w->rank_next = (w->rank_next + 1) % KP_WEB_RANK_CACHE;
		}
		free(c->key);
		kp_web_blob_unref(c->blob);
		kp_web_blob_unref(c->gz);
		c->round = r->id;
		c->key = key;
		c->blob = kp_web_blob_ref(b);
		c->gz = gz ? kp_web_blob_ref(gz) : NULL;
		memcpy(c->etag, rq->etag, sizeof(c->etag));
	}
	pthread_mutex_unlock(&w->lock);
	return b;
}

static void rank(kp_web_req *rq)
{
	kp_round r;
	if (round_get(rq, &r) < 0)
		return;
	rq->blob = ranking(rq, &r);
	kp_round_release(&r);
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

/* A sheet: the round (its tables, its units) opened and the sheets sent
 * are kept between requests while the round's stamp stays (rcache.c,
 * sheets.c); a sheet not kept is scored now, and the round's other
 * sheets are built in the background. */
static void sheet(kp_web_req *rq)
{
	const char *unit = kp_web_param(&rq->params, "unit");
	const char *name = kp_web_param(&rq->params, "round");
	kp_round rd;
	int64_t stamp;
	kp_rnd *r;
	kp_rnd_sheet s;
	kp_err e;
	long u;
	if (round_stamp(rq, &rd, &stamp) < 0)
		return;
	kp_round_release(&rd);
	if (!(r = kp_web_rnd_take(rq, name, stamp, &e))) {
		kp_web_fail(rq, &e);
		return;
	}
	/* another unit's sheet is "not there" to a unit account, whether or
	 * not the unit exists */
	u = kp_rnd_find_unit(r, unit);
	if (!own_unit(rq, r, u)) {
		kp_web_error(rq, 404, "单位“%s”不在轮次“%s”中", unit,
			     kp_rnd_round(r)->name);
		goto out;
	}
	/* the same round at the same stamp: the same sheet, as sent */
	if (u >= 0 && kp_web_sheet_kept(rq, name, stamp, (size_t)u))
		goto out;
	if (kp_rnd_sheet_get(r, unit, 0, &s, &e) < 0) {
		kp_web_fail(rq, &e);
		goto out;
	}
	if (kp_web_sheet_render(r, &s, &rq->blob, &rq->blob_gz, rq->etag) < 0) {
		kp_web_error(rq, 500, "内部错误：考评表无法写成 JSON");
	} else {
		if (rq->blob_gz)
			kp_web_sheet_keep(rq->w, name, stamp, s.unit, kp_rnd_nunits(r),
					  kp_web_blob_ref(rq->blob_gz), rq->etag);
		kp_web_sheets_build(rq->w, name, stamp);
	}
	kp_rnd_sheet_release(&s);
out:
	kp_web_rnd_give(rq, name, stamp, r);
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
	if (kp_store_round_publish(rq->db, r.id, who(rq), detail, &e) < 0)
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
	kp_web_blob *b;
	if (published_round(rq, &r) < 0)
		return;
	if ((b = ranking(rq, &r))) {
		json_error_t je;
		/* sent as a document with the vote token: not the cached
		 * bytes, so neither their gzip nor their ETag */
		kp_web_blob_unref(rq->blob_gz);
		rq->blob_gz = NULL;
		rq->etag[0] = '\0';
		rq->out = json_loadb(b->data, b->n, 0, &je);
		kp_web_blob_unref(b);
		if (!rq->out)
			kp_web_error(rq, 500, "内部错误：排名的 JSON 无法读回");
	}
	if (rq->status == 200 && rq->out) {
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
	res = kp_store_vote_add(rq->db, r.id, voter, rq->addr,
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

/* ---- rescoring, evidence ------------------------------------------------------- */

/* POST /api/rounds/{round}/score: score the round again on its facts
 * (round's scorer, as `eval score` does). */
static void rescore(kp_web_req *rq)
{
	kp_rnd *r = open_round(rq);
	kp_rnd_scored sc;
	kp_err e;
	char detail[128];
	if (!r)
		return;
	if (kp_rnd_score(r, who(rq), &sc, &e) < 0) {
		kp_web_fail(rq, &e);
	} else {
		snprintf(detail, sizeof(detail), "网页重新计分 %zu 个单位，来自 %s",
			 sc.nunits, rq->addr);
		if (kp_store_audit(kp_rnd_store(r), kp_rnd_round(r)->id, who(rq),
				   "web-score", detail, &e) < 0)
			kp_web_fail(rq, &e);
		else
			rq->out = json_pack("{s:s, s:I, s:I, s:I}", "round",
					    kp_rnd_round(r)->name, "units",
					    (json_int_t)sc.nunits, "facts",
					    (json_int_t)sc.nfacts, "snapshot",
					    (json_int_t)sc.snapshot);
	}
	kp_rnd_close(r);
}

/* What may be uploaded: by extension, with its media type and the bytes
 * the file must begin with (NULL: any text). */
static const struct {
	const char *ext, *type, *magic;
	size_t nmagic;
} kinds[] = {
	{ "pdf", "application/pdf", "%PDF-", 5 },
	{ "ofd", "application/ofd", "PK\x03\x04", 4 },
	{ "png", "image/png", "\x89PNG\r\n\x1a\n", 8 },
	{ "jpg", "image/jpeg", "\xff\xd8\xff", 3 },
	{ "jpeg", "image/jpeg", "\xff\xd8\xff", 3 },
	{ "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "PK\x03\x04", 4 },
	{ "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK\x03\x04", 4 },
	{ "doc", "application/msword", "\xd0\xcf\x11\xe0", 4 },
	{ "xls", "application/vnd.ms-excel", "\xd0\xcf\x11\xe0", 4 },
	{ "zip", "application/zip", "PK\x03\x04", 4 },
	{ "txt", "text/plain; charset=utf-8", NULL, 0 },
	{ "csv", "text/csv; charset=utf-8", NULL, 0 },
};
#define KINDS_LIST "pdf、ofd、png、jpg、docx、xlsx、doc、xls、zip、txt、csv"

/* The uploader's file name made safe to keep and show: the last path
 * segment, control characters and quotes dropped, at most 200 bytes of
 * whole UTF-8 characters; "" when nothing is left (caller frees). */
static char *safe_name(const char *given)
{
	const char *b = given;
	kp_buf out = KP_BUF_INIT;
	size_t n;
	for (const char *p = given; *p; p++)
		if (*p == '/' || *p == '\\')
			b = p + 1;
	n = kp_utf8_valid_prefix(b, strlen(b));
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)b[i];
		if (ch < 0x20 || ch == 0x7f || ch == '"')
			continue;
		if (out.len >= 200 && (ch & 0xc0) != 0x80)
			break;
		kp_buf_addc(&out, (char)ch);
	}
	while (out.len > 200 || (out.len && ((unsigned char)out.data[out.len - 1] & 0xc0) == 0x80 &&
				 kp_utf8_valid_prefix(out.data, out.len) != out.len))
		out.data[--out.len] = '\0';
	if (!out.data || out.data[0] == '.')   /* no hidden names, no ".." */
		kp_buf_release(&out);
	return out.data ? kp_buf_detach(&out) : kp_xstrdup("");
}

/* The kind of name by its extension, or -1. */
static int kind_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot)
		return -1;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcasecmp(dot + 1, kinds[i].ext))
			return (int)i;
	return -1;
}

/* Does the file at path begin as kind k's files do (text: valid UTF-8
 * in its first 4 KiB, no NUL)? */
static bool content_fits(const char *path, int k)
{
	char head[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, head, sizeof(head));
	close(fd);
	if (n <= 0)
		return false;
	if (kinds[k].magic)
		return (size_t)n >= kinds[k].nmagic &&
		       !memcmp(head, kinds[k].magic, kinds[k].nmagic);
	if (memchr(head, '\0', (size_t)n))
		return false;
	/* a character cut at the 4 KiB boundary is not an error */
	return kp_utf8_valid_prefix(head, (size_t)n) + 4 > (size_t)n;
}

/* Is indicator a node of the unit's sheet? */
static bool sheet_has(const kp_rnd_sheet *s, const char *indicator)
{
	for (size_t k = 0; k < KP_SCHEME_MAX_TABLES; k++)
		for (size_t i = 0; s->res[k] && i < s->res[k]->nnodes; i++)
			if (!strcmp(s->res[k]->nodes[i].node->code, indicator))
				return true;
	return false;
}

/* Move the upload's temporary file to DATA/evidence/ab/SHA256 (one copy
 * per content): rename, then fsync of the directory.  Its path relative
 * to DATA into rel. */
static int keep_file(kp_web_req *rq, kp_buf *rel, kp_err *e)
{
	kp_web_upload *up = rq->upload;
	kp_buf dir = KP_BUF_INIT, path = KP_BUF_INIT;
	int fd, r = 0;
	kp_buf_addf(&dir, "%s/evidence/%.2s", rq->w->data, up->sha256);
	if (mkdir(dir.data, 0750) < 0 && errno != EEXIST)
		r = kp_fail(e, KP_EIO, "无法建立附件目录：%s", strerror(errno));
	kp_buf_addf(&path, "%s/%s", dir.data, up->sha256);
	if (!r && rename(up->tmp, path.data) < 0)
		r = kp_fail(e, KP_EIO, "无法保存附件：%s", strerror(errno));
	if (!r) {
		free(up->tmp);
		up->tmp = NULL;                 /* kept */
		if ((fd = open(dir.data, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
			fsync(fd);
			close(fd);
		}
		kp_buf_addf(rel, "evidence/%.2s/%s", up->sha256, up->sha256);
	}
	kp_buf_release(&dir);
	kp_buf_release(&path);
	return r;
}

static json_t *evidence_json(const kp_evidence *x)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s}",
			 "id", (json_int_t)x->id, "unit", x->unit, "indicator",
			 x->indicator, "name", x->name, "size",
			 (json_int_t)x->size, "type", x->type, "sha256",
			 x->sha256, "author", x->author, "at", x->at);
}

/* POST /api/rounds/{round}/evidence (multipart: file, unit, indicator,
 * note). */
static void evidence_add(kp_web_req *rq)
{
	kp_web_upload *up = rq->upload;
	const char *unit, *ind, *note;
	kp_rnd *r = NULL;
	kp_rnd_sheet sh;
	kp_evidence ev;
	kp_buf rel = KP_BUF_INIT, detail = KP_BUF_INIT;
	kp_err e;
	long u;
	int k;
	char *name = NULL;
	int64_t id;
	memset(&sh, 0, sizeof(sh));
	if (!up) {
		kp_web_error(rq, 400, "附件应以 multipart/form-data 上传（字段 file、unit、indicator）");
		return;
	}
	unit = kp_web_upload_field(up, "unit");
	ind = kp_web_upload_field(up, "indicator");
	note = kp_web_upload_field(up, "note");
	if (up->bad) {
		kp_web_error(rq, 400, "%s", up->bad);
		return;
	}
	if (!up->filename) {
		kp_web_error(rq, 400, "缺少文件（表单字段 file）");
		return;
	}
	if (!unit || !*unit || !ind || !*ind) {
		kp_web_error(rq, 400, "附件需要 unit（单位）和 indicator（指标编号）两个字段");
		return;
	}
	name = safe_name(up->filename);
	if (!*name) {
		kp_web_error(rq, 400, "文件名“%s”不可用", up->filename);
		goto out;
	}
	if ((k = kind_of(name)) < 0) {
		kp_web_error(rq, 400, "不接受文件“%s”的类型：附件应是 " KINDS_LIST " 之一", name);
		goto out;
	}
	if (!up->size) {
		kp_web_error(rq, 400, "文件“%s”是空的", name);
		goto out;
	}
	if (!content_fits(up->tmp, k)) {
		kp_web_error(rq, 400, "文件“%s”的内容不是 %s 文件（扩展名与内容不符）", name,
			     kinds[k].ext);
		goto out;
	}
	if (!(r = open_round(rq)))
		goto out;
	u = kp_rnd_find_unit(r, unit);
	if (u < 0 || !own_unit(rq, r, u)) {
		kp_web_error(rq, 404, "单位“%s”不在轮次“%s”中%s", unit,
			     kp_rnd_round(r)->name,
			     rq->role == KP_WEB_UNIT ? "（单位账号只能上传本单位的附件）" : "");
		goto out;
	}
	if (kp_rnd_sheet_get(r, unit, 0, &sh, &e) < 0) {
		kp_web_fail(rq, &e);
		goto out;
	}
	if (!sheet_has(&sh, ind)) {
		kp_web_error(rq, 400, "单位“%s”的考评表中没有指标“%s”",
			     kp_rnd_unit_name(r, (size_t)u), ind);
		goto out;
	}
	if (keep_file(rq, &rel, &e) < 0) {
		kp_web_fail(rq, &e);
		goto out;
	}
	memset(&ev, 0, sizeof(ev));
	ev.round = kp_rnd_round(r)->id;
	ev.unit = (char *)kp_rnd_unit_name(r, (size_t)u);
	ev.indicator = (char *)ind;
	ev.name = name;
	ev.type = (char *)kinds[k].type;
	ev.size = (int64_t)up->size;
	ev.sha256 = up->sha256;
	ev.path = rel.data;
	ev.note = (char *)(note ? note : "");
	ev.author = (char *)who(rq);
	kp_buf_addf(&detail, "上传附件“%s”（%zu 字节，SHA-256 %.12s…），%s 指标 %s，来自 %s",
		    name, up->size, up->sha256, ev.unit, ind, rq->addr);
	if (kp_store_evidence_add(kp_rnd_store(r), &ev, detail.data, &id, &e) < 0) {
		kp_web_fail(rq, &e);
		goto out;
	}
	rq->out = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:s}", "id",
			    (json_int_t)id, "round", kp_rnd_round(r)->name,
			    "unit", ev.unit, "indicator", ind, "name", name,
			    "size", (json_int_t)up->size, "type", ev.type,
			    "sha256", up->sha256);
out:
	kp_rnd_sheet_release(&sh);
	kp_rnd_close(r);
	kp_buf_release(&rel);
	kp_buf_release(&detail);
	free(name);
}

static int evidence_row(void *ctx, const kp_evidence *x, kp_err *e)
{
	(void)e;
	json_array_append_new(ctx, evidence_json(x));
	return 0;
}

/* GET /api/rounds/{round}/units/{unit}/evidence */
static void evidence_list(kp_web_req *rq)
{
	const char *unit = kp_web_param(&rq->params, "unit");
	kp_rnd *r = open_round(rq);
	json_t *a;
	kp_err e;
	long u;
	if (!r)
		return;
	u = kp_rnd_find_unit(r, unit);
	if (u < 0 || !own_unit(rq, r, u)) {
		kp_web_error(rq, 404, "单位“%s”不在轮次“%s”中", unit,
			     kp_rnd_round(r)->name);
		kp_rnd_close(r);
		return;
	}
	a = json_array();
	if (kp_store_evidence_each(kp_rnd_store(r), kp_rnd_round(r)->id,
				   kp_rnd_unit_name(r, (size_t)u), evidence_row, a,
				   &e) < 0) {
		json_decref(a);
		kp_web_fail(rq, &e);
	} else {
		rq->out = json_pack("{s:s, s:s, s:o}", "round", kp_rnd_round(r)->name,
				    "unit", kp_rnd_unit_name(r, (size_t)u),
				    "evidence", a);
	}
	kp_rnd_close(r);
}

/* GET /api/evidence/{id}: the file, to whoever may see its unit's data
 * (another unit's is 404, as if it were not there). */
static void evidence_get(kp_web_req *rq)
{
	const char *ids = kp_web_param(&rq->params, "id");
	kp_evidence x;
	kp_rnd *r = NULL;
	kp_buf path = KP_BUF_INIT;
	kp_err e;
	struct stat st;
	char *end;
	long long id = strtoll(ids, &end, 10);
	int fd, g;
	memset(&x, 0, sizeof(x));
	if (*end || id <= 0) {
		kp_web_error(rq, 404, "没有编号为“%s”的附件", ids);
		return;
	}
	if ((g = kp_store_evidence_get(rq->db, id, &x, &e)) < 0) {
		kp_web_fail(rq, &e);
		return;
	}
	if (g > 0) {
		kp_web_error(rq, 404, "没有编号为 %lld 的附件", id);
		return;
	}
	if (rq->role == KP_WEB_UNIT) {
		bool mine = false;
		if (kp_rnd_open(rq->w->conn, x.round_name, &r, &e) == 0)
			mine = own_unit(rq, r, kp_rnd_find_unit(r, x.unit));
		if (!mine) {
			kp_web_error(rq, 404, "没有编号为 %lld 的附件", id);
			goto out;
		}
	}
	kp_buf_addf(&path, "%s/%s", rq->w->data, x.path);
	fd = open(path.data, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		kp_web_error(rq, 410, "附件 %lld 的文件已不在服务器的数据目录中", id);
		goto out;
	}
	rq->file = true;
	rq->file_fd = fd;
	rq->file_size = (int64_t)st.st_size;
	rq->file_name = kp_xstrdup(x.name);
	rq->file_type = kind_of(x.name) >= 0 ? kinds[kind_of(x.name)].type :
					      "application/octet-stream";
out:
	kp_rnd_close(r);
	kp_evidence_release(&x);
	kp_buf_release(&path);
}

/* ---- the table --------------------------------------------------------------- */

static const kp_web_pspec p_round[] = { { "round", KP_WP_NAME, 200 }, { NULL, 0, 0 } };
static const kp_web_pspec p_round_unit[] = {
	{ "round", KP_WP_NAME, 200 }, { "unit", KP_WP_NAME, 200 }, { NULL, 0, 0 },
};

static const kp_web_pspec p_id[] = { { "id", KP_WP_NAME, 20 }, { NULL, 0, 0 } };
static const kp_web_pspec p_round_doc[] = {
	{ "round", KP_WP_NAME, 200 }, { "doc", KP_WP_NAME, 40 }, { NULL, 0, 0 },
};
static const kp_web_pspec p_round_unit_doc[] = {
	{ "round", KP_WP_NAME, 200 }, { "unit", KP_WP_NAME, 200 },
	{ "doc", KP_WP_NAME, 40 }, { NULL, 0, 0 },
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
	/* rescoring and evidence (佐证材料) */
	{ "POST", "/api/rounds/{round}/score", KP_WEB_ADMIN, true, rescore, p_round,
	  "重新计分（按轮次的事实重新计算并排名）" },
	{ "POST", "/api/rounds/{round}/evidence", KP_WEB_STAFF, KP_WEB_UPLOAD,
	  evidence_add, p_round,
	  "上传附件（multipart：file、unit、indicator、note；单位用户只能传本单位的）" },
	{ "GET", "/api/rounds/{round}/units/{unit}/evidence", KP_WEB_STAFF, false,
	  evidence_list, p_round_unit, "一个单位的附件列表" },
	{ "GET", "/api/evidence/{id}", KP_WEB_STAFF, false, evidence_get, p_id,
	  "下载附件（单位用户只能下载本单位的）" },
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
	/* the reports' documents (api_docs.c) */
	{ "GET", "/api/rounds/{round}/documents/{doc}", OFFICE, false, kp_web_document,
	  p_round_doc, "下载文档：rank、sheets、bulletin、rectify，扩展名 xlsx、csv、html、docx、pdf" },
	{ "GET", "/api/rounds/{round}/units/{unit}/documents/{doc}", KP_WEB_STAFF, false,
	  kp_web_document, p_round_unit_doc,
	  "下载一个单位的文档：sheet（考评表）、rectify（整改清单）；单位用户只能下载本单位的" },
	{ "GET", "/api/rounds/{round}/inspections", KP_WEB_STAFF, false, kp_web_inspections,
	  p_round, "轮次的检测及其发现（单位用户只看本单位）" },
	{ "GET", "/api/rounds/{round}/inspections/{id}", KP_WEB_STAFF, false,
	  kp_web_inspection, p_round_id, "一次检测及其发现" },
	{ "POST", "/api/rounds/{round}/inspections/{id}/recheck", OFFICE, true,
	  kp_web_inspection_recheck, p_round_id, "复查：在后台重新检测该单位的网站并存入轮次" },
	{ "GET", "/api/rounds/{round}/rechecks", KP_WEB_STAFF, false, kp_web_rechecks,
	  p_round, "复查的进度和结果（单位用户只看本单位）" },
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
