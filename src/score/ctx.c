/* score/ctx.c — the scoring context: the registry and the other tables
 * (quotas, checklists) a table's rules name.  See score.h. */
#include "score/score_int.h"

#include <string.h>

/* ---- context --------------------------------------------------------- */

void kp_score_ctx_init(kp_score_ctx *c)
{
	memset(c, 0, sizeof(*c));
}

void kp_score_ctx_release(kp_score_ctx *c)
{
	for (size_t i = 0; i < c->nown; i++)
		kp_table_free(c->own[i]);
	kp_units_free(c->own_units);
	memset(c, 0, sizeof(*c));
}

const kp_table *kp_score_ctx_table(const kp_score_ctx *c, const char *id)
{
	for (size_t i = 0; c && i < c->ntables; i++) {
		const char *tid = kp_table_id(c->tables[i]);
		if (tid && !strcmp(tid, id))
			return c->tables[i];
	}
	return NULL;
}

int kp_score_ctx_add(kp_score_ctx *c, const kp_table *t, kp_err *e)
{
	const char *id = kp_table_id(t);
	if (id && kp_score_ctx_table(c, id))
		return 0;
	if (c->ntables == KP_CTX_MAX_TABLES)
		return kp_fail(e, KP_EINPUT, "评分上下文最多 %d 张表",
			       KP_CTX_MAX_TABLES);
	c->tables[c->ntables++] = t;
	return 0;
}

static int ctx_open_id(kp_score_ctx *c, const char *id, kp_err *e)
{
	kp_table *t;
	if (kp_score_ctx_table(c, id))
		return 0;
	if (c->nown == KP_CTX_MAX_TABLES || c->ntables == KP_CTX_MAX_TABLES)
		return kp_fail(e, KP_EINPUT, "评分上下文最多 %d 张表",
			       KP_CTX_MAX_TABLES);
	if (kp_table_open(id, &t, e) < 0)
		return -1;
	c->own[c->nown++] = t;
	c->tables[c->ntables++] = t;
	return 0;
}

/* #meta,scope "id:组、组" → the id (into buf) and the groups (borrowed
 * from t, "" when every group). */
static const char *scope_split(const kp_table *t, char *buf, size_t cap)
{
	const char *s = kp_table_get(t, "scope"), *colon;
	size_t n;
	if (!s || !*s)
		return NULL;
	colon = strchr(s, ':');
	n = colon ? (size_t)(colon - s) : strlen(s);
	if (n >= cap)
		n = cap - 1;
	memcpy(buf, s, n);
	buf[n] = 0;
	return colon ? colon + 1 : "";
}

struct in_group {
	const char *group;
	bool hit;
};

static int group_is(void *arg, const char *item)
{
	struct in_group *g = arg;
	if (!strcmp(item, g->group))
		g->hit = true;
	return 0;
}

bool kp_score_in_scope(const kp_table *t, const kp_score_ctx *c,
		       const char *canonical)
{
	char id[256];
	const char *groups = scope_split(t, id, sizeof(id));
	const kp_table *q;
	if (!groups)
		return true;
	if (!(q = kp_score_ctx_table(c, id)))
		return false;
	for (size_t r = 0; r < q->nrecs; r++) {
		const char *name = kp_record_cell(q, r, "unit");
		const char *grp = kp_record_cell(q, r, "group");
		const char *res = name && c->units ? kp_units_resolve(c->units, name)
						   : NULL;
		struct in_group ig = { grp ? grp : "", false };
		if (!name || (strcmp(name, canonical) &&
			      !(res && !strcmp(res, canonical))))
			continue;
		if (!*groups)
			return true;
		kp_list_each(groups, group_is, &ig);
		if (ig.hit)
			return true;
	}
	return false;
}

int kp_score_ctx_open(kp_score_ctx *c, const kp_table *t, kp_err *e)
{
	const char *reg = kp_table_get(t, "registry");
	const char *id = kp_table_id(t);
	char sid[256];
	if (reg && *reg && !c->units) {
		if (kp_units_open(reg, &c->own_units, e) < 0)
			return -1;
		c->units = c->own_units;
	}
	if (scope_split(t, sid, sizeof(sid)) && ctx_open_id(c, sid, e) < 0)
		return -1;
	for (size_t i = 0; i < t->nnodes; i++) {
		const char *q = t->nodes[i]->args.quota;
		const char *l = t->nodes[i]->args.list;
		if (t->nodes[i]->rule == KP_RULE_TIERED && q && *q &&
		    ctx_open_id(c, q, e) < 0)
			return -1;
		if (t->nodes[i]->rule == KP_RULE_CHECKLIST && l && *l &&
		    ctx_open_id(c, l, e) < 0)
			return -1;
	}
	/* Checklist tables that say they feed t. */
	for (size_t i = 0; id && i < kp_bundled_count(); i++) {
		kp_table *b;
		const char *feeds;
		kp_err ignore;
		if (kp_bundled_load(i, &b, &ignore) < 0)
			continue;
		feeds = kp_table_get(b, "feeds");
		if (feeds && !strncmp(feeds, id, strlen(id)) &&
		    feeds[strlen(id)] == ':' &&
		    !kp_score_ctx_table(c, kp_table_id(b)) &&
		    c->nown < KP_CTX_MAX_TABLES &&
		    c->ntables < KP_CTX_MAX_TABLES) {
			c->own[c->nown++] = b;
			c->tables[c->ntables++] = b;
		} else {
			kp_table_free(b);
		}
	}
	return 0;
}

