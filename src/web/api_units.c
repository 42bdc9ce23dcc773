/* web — 单位: the round's units as its registry gave them (type, aliases,
 * tags, website), the sites kept for monitoring, the 政务信息 quota of
 * the round's year (任务分配表) and, for the office, the accounts; and
 * the accounts themselves, listed and added as `kaoping user list|add`
 * do it (admin only). */
#include "web/pages_int.h"
#include "ledger/ledger.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct units_ctx {
	kp_rnd *r;
	json_t *arr;          /* the rows, in the round's order */
	json_t **row;         /* row[i]: unit i's object (borrowed) */
};

static int unit_row(void *ctx, const kp_store_unit *u, kp_err *e)
{
	struct units_ctx *c = ctx;
	long i = kp_rnd_find_unit(c->r, u->name);
	json_t *o;
	(void)e;
	if (i < 0 || c->row[i])
		return 0;
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:[], s:n, s:[]}", "name", u->name,
		      "type", u->type, "aliases", u->aliases, "tags", u->tags,
		      "website", u->website, "sites", "quota", "accounts");
	c->row[i] = o;
	json_array_append_new(c->arr, o);
	return 0;
}

static int site_row(void *ctx, const kp_site *s, kp_err *e)
{
	struct units_ctx *c = ctx;
	long i = kp_rnd_find_unit(c->r, s->unit);
	(void)e;
	if (i >= 0 && c->row[i])
		json_array_append_new(json_object_get(c->row[i], "sites"),
				      json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)s->id,
						"url", s->url, "kind", *s->kind ? s->kind : "网站",
						"added", s->added));
	return 0;
}

static int account_row(void *ctx, const kp_user *u, kp_err *e)
{
	struct units_ctx *c = ctx;
	long i = *u->unit ? kp_rnd_find_unit(c->r, u->unit) : -1;
	(void)e;
	if (i >= 0 && c->row[i])
		json_array_append_new(json_object_get(c->row[i], "accounts"),
				      json_pack("{s:s, s:b}", "username", u->name,
						"disabled", u->disabled));
	return 0;
}

/* The 任务分配 quota of each unit for the round's year. */
static int quotas(struct units_ctx *c, kp_err *e)
{
	kp_info_period p;
	kp_info_ledger *l = NULL;
	kp_info_stats st;
	kp_info_rules *rules = NULL;
	kp_err pe;
	int rc = -1;
	if (kp_info_period_parse(kp_rnd_round(c->r)->period, &p, &pe) < 0)
		return 0;   /* no year: no quota to show */
	if (kp_info_rules_open(NULL, &rules, e) < 0)
		return -1;
	if (kp_info_load_db(kp_rnd_store(c->r), rules, &l, e) < 0)
		goto out;
	p.from_month = 1;
	p.to_month = 12;
	if (kp_info_stats_compute(l, &p, NULL, &st, e) < 0)
		goto out;
	for (size_t k = 0; k < st.n; k++) {
		long i = kp_rnd_find_unit(c->r, st.v[k].unit);
		if (i >= 0 && c->row[i] && st.v[k].has_quota)
			json_object_set_new(c->row[i], "quota", json_pack("{s:o, s:o, s:i}",
				"city", kp_num_json(st.v[k].city_quota),
				"province", kp_num_json(st.v[k].province_quota),
				"monthly_min", st.v[k].monthly_min));
	}
	kp_info_stats_release(&st);
	rc = 0;
out:
	kp_info_free(l);
	kp_info_rules_free(rules);
	return rc;
}

void kp_web_units(kp_web_req *rq)
{
	kp_rnd *r = kp_web_pages_round(rq);
	struct units_ctx c;
	kp_err e;
	if (!r)
		return;
	c.r = r;
	c.arr = json_array();
	c.row = kp_xcalloc(kp_rnd_nunits(r) + 1, sizeof(*c.row));
	if (kp_store_units_each(kp_rnd_store(r), kp_rnd_round(r)->id, unit_row, &c, &e) < 0 ||
	    kp_store_sites_each(kp_rnd_store(r), NULL, site_row, &c, &e) < 0 ||
	    quotas(&c, &e) < 0 ||
	    (rq->role == KP_WEB_ADMIN &&
	     kp_store_users_each(kp_rnd_store(r), account_row, &c, &e) < 0)) {
		kp_web_fail(rq, &e);
		json_decref(c.arr);
	} else {
		rq->out = json_pack("{s:s, s:s, s:b, s:o}", "round", kp_rnd_round(r)->name,
				    "period", kp_rnd_round(r)->period, "accounts",
				    rq->role == KP_WEB_ADMIN, "units", c.arr);
	}
	free(c.row);
	kp_rnd_close(r);
}

/* ---- accounts ---- */

static int user_row(void *ctx, const kp_user *u, kp_err *e)
{
	(void)e;
	json_array_append_new(ctx, json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:s, s:s}",
		"username", u->name, "role", u->role,
		"role_label", kp_web_role_label(kp_web_role_parse(u->role)),
		"unit", u->unit, "disabled", u->disabled,
		"throttled", u->locked_until > time(NULL),
		"created_at", u->created_at, "created_by", u->created_by));
	return 0;
}

void kp_web_users(kp_web_req *rq)
{
	kp_store *db = kp_web_pages_store(rq);
	json_t *a = json_array();
	kp_err e;
	if (!db) {
		json_decref(a);
		return;
	}
	if (kp_store_users_each(db, user_row, a, &e) < 0) {
		kp_web_fail(rq, &e);
		json_decref(a);
	} else {
		rq->out = a;
	}
	kp_store_close(db);
}

/* The unit of a new unit account: its canonical name in the round named
 * round_name, into *out (caller frees); or an answer and -1. */
static int unit_of(kp_web_req *rq, const char *round_name, const char *unit,
		   char **out)
{
	kp_rnd *r;
	kp_err e;
	long i;
	if (kp_rnd_open(rq->w->conn, round_name, &r, &e) < 0) {
		if (e.code == KP_RND_ENOTFOUND || e.code == KP_EINPUT)
			kp_web_error(rq, 404, "没有名为“%s”的轮次", round_name);
		else
			kp_web_fail(rq, &e);
		return -1;
	}
	if ((i = kp_rnd_find_unit(r, unit)) < 0) {
		kp_web_error(rq, 400, "单位“%s”不在轮次“%s”中", unit, round_name);
		kp_rnd_close(r);
		return -1;
	}
	*out = kp_xstrdup(kp_rnd_unit_name(r, (size_t)i));
	kp_rnd_close(r);
	return 0;
}

void kp_web_user_add(kp_web_req *rq)
{
	json_t *in = kp_web_pages_body(rq);
	const char *name, *role, *unit, *round, *given;
	char pw[160], hash[KP_WEB_HASH_MAX];
	char *canon = NULL;
	kp_store *db = NULL;
	kp_err e;
	int bit;
	if (!in)
		return;
	name = kp_web_pages_str(in, "username");
	role = kp_web_pages_str(in, "role");
	unit = kp_web_pages_str(in, "unit");
	round = kp_web_pages_str(in, "round");
	given = kp_web_pages_str(in, "password");
	if (!name || !*name || strlen(name) > 64) {
		kp_web_error(rq, 400, "用户名应为 1 到 64 个字节");
		goto out;
	}
	if (!(bit = kp_web_role_parse(role))) {
		kp_web_error(rq, 400, "role 应是 admin、assessor 或 unit");
		goto out;
	}
	if (bit == KP_WEB_UNIT && (!unit || !*unit || !round || !*round)) {
		kp_web_error(rq, 400, "单位用户需要 unit（所属单位）和 round（该单位所在的轮次）");
		goto out;
	}
	if (bit != KP_WEB_UNIT && unit && *unit) {
		kp_web_error(rq, 400, "只有单位用户（role 为 unit）才有所属单位");
		goto out;
	}
	if (bit == KP_WEB_UNIT && unit_of(rq, round, unit, &canon) < 0)
		goto out;
	if (given && *given)
		snprintf(pw, sizeof(pw), "%s", given);
	else
		kp_web_password_generate(pw);
	if (given && strlen(given) >= sizeof(pw)) {
		kp_web_error(rq, 400, "密码最多 128 个字节");
		goto out;
	}
	if (kp_web_password_check(pw, &e) < 0) {
		kp_web_error(rq, 400, "%s", e.msg);
		goto out;
	}
	if (kp_web_password_hash(pw, hash, &e) < 0) {
		kp_web_fail(rq, &e);
		goto out;
	}
	if (!(db = kp_web_pages_store(rq)))
		goto out;
	if (kp_store_user_add(db, name, kp_web_role_name(bit), canon ? canon : "",
			      hash, kp_web_pages_who(rq), &e) < 0) {
		if (e.code == KP_EINPUT)
			kp_web_error(rq, 409, "%s", e.msg);
		else
			kp_web_fail(rq, &e);
		goto out;
	}
	rq->out = json_pack("{s:s, s:s, s:s, s:s}", "username", name, "role",
			    kp_web_role_name(bit), "role_label", kp_web_role_label(bit),
			    "unit", canon ? canon : "");
	if (!(given && *given))   /* shown this once, as user add --generate */
		json_object_set_new(rq->out, "password", json_string(pw));
out:
	sodium_memzero(pw, sizeof(pw));
	kp_store_close(db);
	free(canon);
	json_decref(in);
}
