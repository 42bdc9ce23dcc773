/* round/facts_withdraw.c — a round's fact history: which facts count and
 * which were replaced or withdrawn (the engine's rule, kp_fact_fates,
 * applied to the listing), withdrawing facts, and the lines --explain
 * adds about them. */
#include "round/round_int.h"

#include <stdlib.h>
#include <string.h>

struct reasons {
	kp_rnd_facts *l;
};

/* The index of the fact numbered seq in l, or -1 (l is by unit, then
 * seq: a linear search is enough for the few withdrawals there are). */
static long index_of(const kp_rnd_facts *l, int64_t seq)
{
	for (size_t i = 0; i < l->facts.n; i++)
		if (l->seq[i] == seq)
			return (long)i;
	return -1;
}

static int reason_row(void *ctx, const kp_withdrawal *w, kp_err *e)
{
	struct reasons *r = ctx;
	long i = index_of(r->l, w->fact);
	(void)e;
	if (i >= 0 && !r->l->reason[i])
		r->l->reason[i] = kp_xstrdup(w->reason);
	return 0;
}

int kp_rnd_facts_fates(kp_rnd *v, kp_rnd_facts *l, kp_err *e)
{
	size_t n = l->facts.n;
	const kp_fact **run = kp_xcalloc(n ? n : 1, sizeof(*run));
	size_t *by = kp_xcalloc(n ? n : 1, sizeof(*by));
	struct reasons rs = { l };
	bool any_wd = false;
	l->replaced_by = kp_xcalloc(n ? n : 1, sizeof(*l->replaced_by));
	l->reason = kp_xcalloc(n ? n : 1, sizeof(*l->reason));
	/* one unit at a time, as the engine sees them; in a round of
	 * several tables a fact's identity includes its table */
	for (size_t a = 0, b; a < n; a = b) {
		for (b = a; b < n && !strcmp(l->facts.v[b].unit, l->facts.v[a].unit); b++)
			run[b - a] = &l->facts.v[b];
		kp_fact_fates(run, b - a, by);
		for (size_t k = 0; k < b - a; k++) {
			if (by[k] < b - a)
				l->replaced_by[a + k] = l->seq[a + by[k]];
			any_wd |= by[k] == KP_FACT_WITHDRAWN;
		}
	}
	free(run);
	free(by);
	if (any_wd &&
	    kp_store_withdrawals_each(v->db, v->round.id, reason_row, &rs, e) < 0)
		return -1;
	return 0;
}

/* "1.2 quantity monthly_min = 7（考核，2016H1）" */
static void fact_words(const kp_fact *f, kp_buf *out)
{
	char b[32];
	kp_buf_addf(out, "%s %s", f->indicator, kp_fact_kind_label(f->kind));
	if (*f->name)
		kp_buf_addf(out, " %s", f->name);
	if (f->has_value)
		kp_buf_addf(out, " = %s", kp_num_str(f->value, b));
	kp_buf_addf(out, "（%s", kp_source_label(f->source));
	if (f->period && *f->period)
		kp_buf_addf(out, "，期间 %s", f->period);
	if (f->inspection)
		kp_buf_addf(out, "，检测 %lld", (long long)f->inspection);
	kp_buf_adds(out, "）");
}

void kp_rnd_facts_history(const kp_rnd_facts *l, kp_buf *out)
{
	bool head = false;
	for (size_t j = 0; j < l->facts.n; j++) {
		bool any = false;
		for (size_t i = 0; i < l->facts.n; i++) {
			if (l->replaced_by[i] != l->seq[j])
				continue;
			if (!head) {
				kp_buf_adds(out, "\n事实的更正与撤回：\n");
				head = true;
			}
			if (!any) {
				kp_buf_addf(out, "  计入第 %lld 条：", (long long)l->seq[j]);
				fact_words(&l->facts.v[j], out);
				kp_buf_adds(out, "\n");
				any = true;
			}
			kp_buf_addf(out, "    取代了第 %lld 条：", (long long)l->seq[i]);
			fact_words(&l->facts.v[i], out);
			kp_buf_adds(out, "\n");
		}
	}
	for (size_t i = 0; i < l->facts.n; i++) {
		const kp_fact *f = &l->facts.v[i];
		if (!f->withdrawn)
			continue;
		if (!head) {
			kp_buf_adds(out, "\n事实的更正与撤回：\n");
			head = true;
		}
		kp_buf_addf(out, "  第 %lld 条已撤回（第 %lld 条记录，理由：%s），不计：",
			    (long long)l->seq[i], (long long)f->withdrawn,
			    l->reason[i] ? l->reason[i] : "");
		fact_words(f, out);
		kp_buf_adds(out, "\n");
	}
}

int kp_rnd_facts_withdraw(kp_rnd *v, const int64_t *seq, size_t n,
			  const char *reason, const char *author, kp_err *e)
{
	char buf[4096];
	if (!n)
		return kp_fail(e, KP_EINPUT, "没有给出要撤回的事实编号");
	snprintf(buf, sizeof(buf), "%s", reason ? reason : "");
	kp_trim(buf);
	if (!*buf)
		return kp_fail(e, KP_EINPUT, "撤回事实需要说明理由（--reason）");
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (seq[i] == seq[j])
				return kp_fail(e, KP_EINPUT, "事实编号 %lld 给了两次",
					       (long long)seq[i]);
	if (kp_store_facts_withdraw(v->db, v->round.id, seq, n, buf, author, e) < 0)
		return -1;
	return kp_rnd_refresh(v, e);
}
