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

int kp_score_ctx_open(kp_score_ctx *c, const kp_table *t, kp_err *e)
{
	const char *reg = kp_table_get(t, "registry");
	const char *id = kp_table_id(t);
	if (reg && *reg && !c->units) {
		if (kp_units_open(reg, &c->own_units, e) < 0)
			return -1;
		c->units = c->own_units;
	}
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

