/* web — helpers shared by the registry pages' handlers (pages_int.h). */
#include "web/pages_int.h"

#include <string.h>

json_t *kp_web_pages_body(kp_web_req *rq)
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

const char *kp_web_pages_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

kp_rnd *kp_web_pages_round(kp_web_req *rq)
{
	const char *name = kp_web_param(&rq->params, "round");
	kp_store *db = kp_web_pages_store(rq);
	kp_round rd;
	kp_rnd *r;
	kp_err e;
	if (!db)
		return NULL;
	memset(&rd, 0, sizeof(rd));
	if (kp_store_round_get(db, name, &rd, &e) < 0) {
		if (e.code == KP_EINPUT)
			kp_web_error(rq, 404, "没有名为“%s”的轮次", name);
		else
			kp_web_fail(rq, &e);
		kp_round_release(&rd);
		kp_store_close(db);
		return NULL;
	}
	kp_round_release(&rd);
	kp_store_close(db);
	if (kp_rnd_open(rq->w->conn, name, &r, &e) < 0) {
		kp_web_fail(rq, &e);
		return NULL;
	}
	return r;
}

kp_store *kp_web_pages_store(kp_web_req *rq)
{
	kp_store *db;
	kp_err e;
	if (kp_store_open(rq->w->conn, 0, &db, &e) < 0) {
		kp_web_fail(rq, &e);
		return NULL;
	}
	return db;
}

bool kp_web_pages_visible(const kp_web_req *rq, const kp_rnd *r,
			  const char *unit)
{
	long mine;
	if (rq->role != KP_WEB_UNIT)
		return true;
	mine = kp_rnd_find_unit(r, rq->session->user.unit);
	return mine >= 0 && unit && kp_rnd_find_unit(r, unit) == mine;
}

const char *kp_web_pages_who(const kp_web_req *rq)
{
	return rq->session ? rq->session->user.name : "公众";
}
