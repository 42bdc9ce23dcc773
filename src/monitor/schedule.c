/* monitor — the scheduling step: queue due probes, run jobs, judge the
 * rules and notify (monitor.h has the contract). */
#include "monitor/monitor_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DAY 86400

void kp_monitor_conf_default(kp_monitor_conf *c)
{
	*c = (kp_monitor_conf){
		.interval = 600,
		.timeout_ms = 15000,
		.lease = 60,
		.avail_days = 7,
		.veto_permille = 50,
		.warn_permille = 30,
		.resolve_permille = 20,
		.min_probes = 20,
		.home_veto_days = 14,
		.home_warn_days = 10,
		.col_warn_margin = 1,
		.parallel = 64,
		.inspect_every = 86400,
		.columns_every = 21600,
	};
}

/* ---- schedule ------------------------------------------------------------ */

/* The slot at or before t of a schedule of period every (seconds)
 * whose offset is url's fingerprint: sites spread over the period. */
static int64_t slot_of(const char *url, int64_t every, int64_t t)
{
	int64_t off = (int64_t)(kp_hash_fnv1a(url, strlen(url)) % (uint64_t)every);
	int64_t k = (t - off) / every;
	if (t - off < 0 && (t - off) % every)
		k--;   /* floor */
	return off + k * every;
}

int64_t kp_monitor_slot(const kp_monitor_conf *c, const char *url, int64_t t)
{
	return slot_of(url, c->interval, t);
}

struct site_list {
	kp_site *v;         /* strings owned (dup'd) */
	size_t n, cap;
};

static int site_keep(void *ctx, const kp_site *st, kp_err *e)
{
	struct site_list *l = ctx;
	(void)e;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = kp_xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = (kp_site){ st->id, kp_xstrdup(st->unit),
				  kp_xstrdup(st->url), kp_xstrdup(st->kind),
				  kp_xstrdup(st->added) };
	return 0;
}

static void site_list_release(struct site_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free((char *)l->v[i].unit);
		free((char *)l->v[i].url);
		free((char *)l->v[i].kind);
		free((char *)l->v[i].added);
	}
	free(l->v);
	*l = (struct site_list){ 0 };
}

static bool probed_kind(const kp_site *st)
{
	return !strcmp(st->kind, "网站");
}

/* Queue the step's due jobs of every site of kind 网站 in one statement
 * each (kp_store_jobs_queue): its probe at the latest slot of
 * c->interval; when scheduled inspections are on (inspect_every, a
 * round and a connection named), its inspection at the latest slot of
 * inspect_every; and when column checks are (columns_every), its column
 * check at the latest slot of columns_every if an inspection of it is
 * stored.  A slot already queued or probed is not queued again. */
static int queue_due(kp_store *s, const kp_monitor_conf *c,
		     const struct site_list *l, int64_t now,
		     kp_monitor_tally *t, kp_err *e)
{
	int64_t *ids = kp_xmalloc((l->n + 1) * sizeof(*ids));
	int64_t *slots = kp_xmalloc((l->n + 1) * sizeof(*slots));
	int64_t *islots = kp_xmalloc((l->n + 1) * sizeof(*islots));
	int64_t *cslots = kp_xmalloc((l->n + 1) * sizeof(*cslots));
	int64_t q = 0, iq = 0, cq = 0;
	size_t n = 0;
	int r;
	bool inspect = c->inspect_every > 0 && c->conn && c->round;
	for (size_t i = 0; i < l->n; i++) {
		if (!probed_kind(&l->v[i]))
			continue;
		ids[n] = l->v[i].id;
		slots[n] = slot_of(l->v[i].url, c->interval, now);
		if (inspect)
			islots[n] = slot_of(l->v[i].url, c->inspect_every, now);
		if (c->columns_every > 0)
			cslots[n] = slot_of(l->v[i].url, c->columns_every, now);
		n++;
	}
	t->sites += (int64_t)n;
	r = kp_store_jobs_queue(s, "probe", ids, slots, n, &q, e);
	if (r == 0 && inspect)
		r = kp_store_jobs_queue(s, "inspect", ids, islots, n, &iq, e);
	/* the store queues a column check only where an inspection is */
	if (r == 0 && c->columns_every > 0)
		r = kp_store_jobs_queue(s, "columns", ids, cslots, n, &cq, e);
	t->queued += q;
	t->inspect_queued += iq;
	t->columns_queued += cq;
	free(ids);
	free(slots);
	free(islots);
	free(cslots);
	return r;
}

/* ---- rules ----------------------------------------------------------------- */

struct rules_ctx {
	const kp_monitor_conf *c;
	kp_monitor_verdict *v;
	int64_t first_ok;
	char hash[24];
};

static int rules_probe(void *ctx, const kp_probe *p, kp_err *e)
{
	struct rules_ctx *rc = ctx;
	kp_monitor_verdict *v = rc->v;
	(void)e;
	if (p->sched >= v->window_from) {
		v->probes++;
		v->failures += !p->ok;
	}
	if (!p->ok)
		return 0;
	if (!rc->first_ok) {
		rc->first_ok = p->sched;
		v->last_change = p->sched;
		v->since_first = true;
	} else if (strcmp(rc->hash, p->hash)) {
		v->last_change = p->sched;
		v->since_first = false;
	}
	snprintf(rc->hash, sizeof(rc->hash), "%s", p->hash);
	return 0;
}

/* v's window at to, and the lookback from which the homepage's changes
 * are read (the homepage rule's days and 60 more, at least the window). */
static int64_t verdict_window(const kp_monitor_conf *c, int64_t to,
			      kp_monitor_verdict *v)
{
	int64_t from = to - (int64_t)(c->home_veto_days + 60) * DAY;
	*v = (kp_monitor_verdict){ 0 };
	v->window_to = to;
	v->window_from = to - (int64_t)c->avail_days * DAY + 1;
	return from > v->window_from ? v->window_from : from;
}

/* v's levels from its counts and last change. */
static void verdict_levels(const kp_monitor_conf *c, kp_monitor_verdict *v)
{
	v->avail_judged = v->probes >= c->min_probes && v->probes > 0;
	if (v->avail_judged) {
		int64_t pm = v->failures * 1000;
		v->avail_level = pm >= c->veto_permille * v->probes ? 2
			       : pm >= c->warn_permille * v->probes ? 1 : 0;
	}
	if (v->last_change) {
		v->unchanged_days = (v->window_to - v->last_change) / DAY;
		v->home_level = v->unchanged_days >= c->home_veto_days ? 2
			      : v->unchanged_days >= c->home_warn_days ? 1 : 0;
	}
}

int kp_monitor_rules(kp_store *s, const kp_monitor_conf *c, int64_t site,
		     int64_t to, kp_monitor_verdict *v, kp_err *e)
{
	struct rules_ctx rc = { c, v, 0, "" };
	int64_t from = verdict_window(c, to, v);
	if (kp_store_probes_each(s, site, from, to, rules_probe, &rc, e) < 0)
		return -1;
	verdict_levels(c, v);
	return 0;
}

/* ---- warnings and notifications ------------------------------------------- */

json_t *kp_monitor_rule_evidence(const kp_monitor_verdict *v, const char *rule)
{
	char a[24], b[24];
	if (!strcmp(rule, "availability")) {
		char pct[32];
		snprintf(pct, sizeof(pct), "%.2f",
			 v->probes ? 100.0 * (double)v->failures / (double)v->probes
				   : 0.0);
		return json_pack("{s:s, s:s, s:I, s:I, s:s}",
				 "from", kp_monitor_time_str(v->window_from, a),
				 "to", kp_monitor_time_str(v->window_to, b),
				 "probes", (json_int_t)v->probes,
				 "failures", (json_int_t)v->failures,
				 "failure_percent", pct);
	}
	return json_pack("{s:s, s:I, s:b, s:s}", "last_change",
			 kp_monitor_time_str(v->last_change, a), "unchanged_days",
			 (json_int_t)v->unchanged_days, "since_first_probe",
			 v->since_first, "at", kp_monitor_time_str(v->window_to, b));
}

static char *json_text(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	return s;
}

static const kp_site *site_by_id(const struct site_list *l, int64_t id)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].id == id)
			return &l->v[i];
	return NULL;
}

/* The notification's JSON text; caller frees. */
static char *notice_text(const kp_warning *w, const kp_site *st,
			 const char *event)
{
	char at[24];
	bool res = !strcmp(event, "resolved");
	const char *title = kp_monitor_rule_title(w->rule);
	kp_buf msg = KP_BUF_INIT;
	json_t *ev = json_loads(res ? w->resolved_evidence : w->evidence, 0, NULL);
	json_t *j;
	kp_buf_addf(&msg, "%s（%s）%s：%s", st->unit, st->url, title,
		    res ? "已恢复" : !strcmp(w->level, "veto") ? "已达单项否决线"
							       : "预警");
	j = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}",
		      "event", event, "warning", (json_int_t)w->id,
		      "unit", st->unit, "site", st->url, "rule", w->rule,
		      "title", title, "level", w->level,
		      "rule_text", kp_monitor_rule_text(w->rule),
		      "text", msg.data,
		      "at", kp_monitor_time_str(res ? w->resolved : w->opened, at),
		      "evidence", ev ? ev : json_object());
	kp_buf_release(&msg);
	return json_text(j);
}

/* ---- e-mail ---- */

static void base64(kp_buf *b, const char *s)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 |
			     (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) |
			     (i + 2 < n ? p[i + 2] : 0);
		kp_buf_addc(b, tab[v >> 18 & 63]);
		kp_buf_addc(b, tab[v >> 12 & 63]);
		kp_buf_addc(b, i + 1 < n ? tab[v >> 6 & 63] : '=');
		kp_buf_addc(b, i + 2 < n ? tab[v & 63] : '=');
	}
}

static const char *ev_str(json_t *ev, const char *key)
{
	const char *v = json_string_value(json_object_get(ev, key));
	return v ? v : "";
}

/* The e-mail of one event (RFC 5322, UTF-8, CRLF lines): a Chinese
 * subject naming unit, rule and event, and a body with the evidence;
 * caller frees. */
static char *mail_text(const kp_monitor_conf *c, const kp_warning *w,
		       const kp_site *st, const char *event)
{
	char at[24];
	bool res = !strcmp(event, "resolved");
	const char *title = kp_monitor_rule_title(w->rule);
	const char *what = res ? "已恢复" : !strcmp(w->level, "veto")
						? "已达单项否决线" : "预警";
	json_t *ev = json_loads(res ? w->resolved_evidence : w->evidence, 0, NULL);
	kp_buf subj = KP_BUF_INIT, m = KP_BUF_INIT;
	kp_buf_addf(&subj, "【网站监测】%s %s：%s", st->unit, title, what);
	kp_buf_addf(&m, "From: %s\r\nTo: %s\r\nSubject: =?UTF-8?B?", c->mail_from,
		    c->mail_to);
	base64(&m, subj.data);
	kp_buf_adds(&m, "?=\r\nMIME-Version: 1.0\r\n"
			"Content-Type: text/plain; charset=UTF-8\r\n"
			"Content-Transfer-Encoding: 8bit\r\n\r\n");
	kp_buf_addf(&m, "%s（%s）%s：%s\r\n\r\n", st->unit, st->url, title, what);
	kp_buf_addf(&m, "单位：%s\r\n网站：%s\r\n规则：%s（%s）\r\n", st->unit,
		    st->url, title, kp_monitor_rule_text(w->rule));
	/* a raised level's time is its evidence's */
	kp_buf_addf(&m, "事件：%s，%s\r\n",
		    res ? "预警解除" : !strcmp(event, "raised") ? "升为单项否决"
		    : !strcmp(w->level, "veto") ? "发现（已达否决线）" : "发现预警",
		    !strcmp(event, "raised")
			    ? ev_str(ev, !strcmp(w->rule, "availability") ? "to" : "at")
			    : kp_monitor_time_str(res ? w->resolved : w->opened, at));
	kp_buf_adds(&m, "证据：");
	if (kp_monitor_column_rule(w->rule)) {
		kp_monitor_columns_text(ev, w->rule, &m);
		kp_buf_adds(&m, "\r\n");
	} else if (!strcmp(w->rule, "availability"))
		kp_buf_addf(&m, "%s 至 %s 探测 %lld 次，首页无法访问 %lld 次（%s%%）\r\n",
			    ev_str(ev, "from"), ev_str(ev, "to"),
			    (long long)json_integer_value(json_object_get(ev, "probes")),
			    (long long)json_integer_value(json_object_get(ev, "failures")),
			    ev_str(ev, "failure_percent"));
	else
		kp_buf_addf(&m, "首页最后一次变化 %s%s，至 %s 已 %lld 天未更新\r\n",
			    ev_str(ev, "last_change"),
			    json_is_true(json_object_get(ev, "since_first_probe"))
				    ? "（自首次探测起未变）" : "",
			    ev_str(ev, "at"),
			    (long long)json_integer_value(json_object_get(ev, "unchanged_days")));
	kp_buf_addf(&m, "预警编号：%lld\r\n\r\n—— kaoping 网站监测\r\n",
		    (long long)w->id);
	json_decref(ev);
	kp_buf_release(&subj);
	return kp_buf_detach(&m);
}

/* ---- the channels ---- */

/* A way warnings go out (one row each): whether the office set it up,
 * what of a warning it has sent (notified's values: 0 the opening to
 * send, 2 a raised level to send; resolve_sent), the text of one event,
 * how it is sent, and how the sending is marked in the store. */
struct channel {
	const char *name;
	bool (*on)(const kp_monitor_conf *c);
	int (*state)(const kp_warning *w, bool *resolve_sent);
	char *(*text)(const kp_monitor_conf *c, const kp_warning *w,
		      const kp_site *st, const char *event);
	int (*send)(const kp_monitor_conf *c, const char *text, kp_err *e);
	int (*mark)(kp_store *s, int64_t id, int what, kp_err *e);
};

static bool hook_on(const kp_monitor_conf *c)
{
	return c->webhook && *c->webhook;
}

static int hook_state(const kp_warning *w, bool *resolve_sent)
{
	*resolve_sent = w->resolve_notified;
	return w->notified;
}

static char *hook_text(const kp_monitor_conf *c, const kp_warning *w,
		       const kp_site *st, const char *event)
{
	(void)c;
	return notice_text(w, st, event);
}

static int hook_send(const kp_monitor_conf *c, const char *text, kp_err *e)
{
	return kp_monitor_post(c->webhook, text, 10000, e);
}

static bool mail_on(const kp_monitor_conf *c)
{
	return c->smtp && *c->smtp && c->mail_from && c->mail_to;
}

static int mail_state(const kp_warning *w, bool *resolve_sent)
{
	*resolve_sent = w->resolve_mailed;
	return w->mailed;
}

static const struct channel channels[] = {
	{ "webhook", hook_on, hook_state, hook_text, hook_send,
	  kp_store_warning_notified },
	{ "smtp", mail_on, mail_state, mail_text, kp_monitor_mail,
	  kp_store_warning_mailed },
};

/* A notification to send: the warning's number, what it marks when sent
 * (kp_store_warning_notified's what) and its text (owned). */
struct notice {
	int64_t id;
	int what;
	char *body;
};

struct notice_list {
	const struct channel *ch;
	const kp_monitor_conf *c;
	const struct site_list *sites;
	struct notice *v;
	size_t n;
};

static int notice_row(void *ctx, const kp_warning *w, kp_err *e)
{
	struct notice_list *nl = ctx;
	const kp_site *st = site_by_id(nl->sites, w->site);
	const char *event;
	bool resolve_sent;
	int what, state;
	(void)e;
	if (!st)
		return 0;
	state = nl->ch->state(w, &resolve_sent);
	if (state == 0) {
		event = "opened";
		what = 1;
	} else if (state == 2) {
		event = "raised";
		what = 3;
	} else if (w->resolved && !resolve_sent) {
		event = "resolved";
		what = 2;
	} else {
		return 0;
	}
	nl->v = kp_xrealloc(nl->v, (nl->n + 1) * sizeof(*nl->v));
	nl->v[nl->n++] = (struct notice){ w->id, what,
					  nl->ch->text(nl->c, w, st, event) };
	return 0;
}

/* Every warning not yet sent on channel ch (an opening, a raised level,
 * a resolution), oldest first; a warning opened and resolved between two
 * sends sends its opening, then its resolution in a second pass.  A
 * failed send is left unsent, for the next step. */
static int notify_channel(kp_store *s, const kp_monitor_conf *c,
			  const struct channel *ch, const struct site_list *l,
			  kp_monitor_tally *t, kp_err *e)
{
	int r = 0;
	for (int pass = 0; pass < 2 && r == 0; pass++) {
		struct notice_list nl = { ch, c, l, NULL, 0 };
		bool failed = false;
		r = kp_store_warnings_each(s, 0, false, notice_row, &nl, e);
		for (size_t i = 0; i < nl.n; i++) {
			kp_err pe = { 0 };
			if (r == 0 && !failed) {
				if (ch->send(c, nl.v[i].body, &pe) < 0) {
					t->notify_failed++;
					failed = true;   /* the receiver is down */
				} else {
					t->notified++;
					r = ch->mark(s, nl.v[i].id, nl.v[i].what, e);
				}
			}
			free(nl.v[i].body);
		}
		free(nl.v);
		if (failed)
			break;
	}
	return r;
}

static int notify_all(kp_store *s, const kp_monitor_conf *c,
		      const struct site_list *l, kp_monitor_tally *t,
		      kp_err *e)
{
	for (size_t i = 0; i < sizeof(channels) / sizeof(channels[0]); i++)
		if (channels[i].on(c) &&
		    notify_channel(s, c, &channels[i], l, t, e) < 0)
			return -1;
	return 0;
}

/* ---- judging every site of a step ----------------------------------------- */

/* The rules in the order a site's warnings are judged (so warnings get
 * their numbers in this order, site after site). */
enum { R_AVAIL, R_HOME, R_UPDATE, R_BLANK, NRULES };
static const char *const rule_names[NRULES] = {
	"availability", "homepage", "column_update", "column_blank"
};

/* One site's inputs at a step, read for all sites at once. */
struct judged {
	kp_monitor_verdict v;
	kp_monitor_colverdict cv;    /* cv.judged false: no inspection */
	int64_t open[NRULES];        /* its open warning of each rule, 0 none */
	bool veto[NRULES];           /* that warning is at the veto level */
};

struct judge_ctx {
	const kp_monitor_conf *c;
	const struct site_list *l;
	struct judged *j;            /* l->n of them, in l's order */
	int64_t now;
};

static int site_cmp(const void *key, const void *el)
{
	int64_t id = *(const int64_t *)key, b = ((const kp_site *)el)->id;
	return id < b ? -1 : id > b;
}

/* The inputs of site id (l is in id order); NULL: not listed. */
static struct judged *judged_of(struct judge_ctx *jc, int64_t id)
{
	const kp_site *st = bsearch(&id, jc->l->v, jc->l->n, sizeof(*st), site_cmp);
	return st ? &jc->j[st - jc->l->v] : NULL;
}

/* kp_monitor_rules's scan folded by the store: the last change is the
 * first successful probe after the newest one with another hash, or the
 * first successful probe when the hash never changed. */
static int stats_row(void *ctx, const kp_probe_stats *ps, kp_err *e)
{
	struct judged *j = judged_of(ctx, ps->site);
	(void)e;
	if (!j)
		return 0;
	j->v.probes = ps->probes;
	j->v.failures = ps->failures;
	if (ps->first_ok) {
		j->v.last_change = ps->last_change ? ps->last_change : ps->first_ok;
		j->v.since_first = !ps->last_change;
	}
	return 0;
}

/* kp_monitor_warn's open_row for every site: the newest open warning of
 * each rule (warnings come in id order). */
static int open_warning_row(void *ctx, const kp_warning *w, kp_err *e)
{
	struct judged *j = judged_of(ctx, w->site);
	(void)e;
	for (int r = 0; j && r < NRULES; r++)
		if (!strcmp(w->rule, rule_names[r])) {
			j->open[r] = w->id;
			j->veto[r] = !strcmp(w->level, "veto");
		}
	return 0;
}

static int columns_row(void *ctx, const kp_site_columns *sc, kp_err *e)
{
	struct judge_ctx *jc = ctx;
	struct judged *j = judged_of(jc, sc->site);
	(void)e;
	if (!j)
		return 0;
	kp_monitor_colverdict_release(&j->cv);   /* a second call holds */
	kp_monitor_columns_of(jc->c, sc, jc->now, &j->cv);
	return 0;
}

/* Step 3 for every site of kind 网站: its probes' counts and homepage
 * changes, its open warnings and its newest inspection's columns (with
 * the newest check based on it) are read for all sites at once, one
 * statement each; then site after site, rule after rule as before, a
 * warning is opened, raised or resolved where its verdict says so (a
 * statement only for a change), and what is not yet sent is notified. */
static int judge_sites(kp_store *s, const kp_monitor_conf *c,
		       const struct site_list *l, int64_t now,
		       kp_monitor_tally *t, kp_err *e)
{
	struct judge_ctx jc = { c, l, kp_xcalloc(l->n + 1, sizeof(struct judged)), now };
	kp_monitor_verdict w;
	char day[16];
	int64_t from = verdict_window(c, now, &w);
	int r;
	kp_date_str((kp_date)((now + 8 * 3600) / DAY), day);
	for (size_t i = 0; i < l->n; i++)
		verdict_window(c, now, &jc.j[i].v);
	/* dirty homepage runs (a probe written late) read again, so that
	 * the statement below need not read their probes back */
	r = kp_store_site_home_repair(s, NULL, e);
	if (r == 0)
		r = kp_store_probe_stats(s, from, w.window_from, now, stats_row,
					 &jc, e);
	if (r == 0)
		r = kp_store_warnings_each(s, 0, true, open_warning_row, &jc, e);
	if (r == 0)
		r = kp_store_sites_columns(s, day, now, columns_row, &jc, e);
	for (size_t i = 0; i < l->n && r == 0; i++) {
		struct judged *j = &jc.j[i];
		kp_monitor_verdict *v = &j->v;
		const kp_site *st = &l->v[i];
		if (!probed_kind(st))
			continue;
		verdict_levels(c, v);
		if (kp_monitor_warn_known(s, st->id, "availability", j->open[R_AVAIL],
					  j->veto[R_AVAIL], v->avail_level,
					  v->avail_judged &&
					  v->failures * 1000 < (int64_t)c->resolve_permille * v->probes,
					  kp_monitor_rule_evidence(v, "availability"), now, t, e) < 0 ||
		    kp_monitor_warn_known(s, st->id, "homepage", j->open[R_HOME],
					  j->veto[R_HOME], v->home_level,
					  v->last_change && v->home_level == 0,
					  kp_monitor_rule_evidence(v, "homepage"), now, t, e) < 0 ||
		    kp_monitor_judge_columns(s, c, st->id, &j->cv, &j->open[R_UPDATE],
					     &j->veto[R_UPDATE], now, t, e) < 0)
			r = -1;
	}
	for (size_t i = 0; i < l->n; i++)
		kp_monitor_colverdict_release(&jc.j[i].cv);
	free(jc.j);
	return r < 0 ? -1 : notify_all(s, c, l, t, e);
}

int kp_monitor_judge(kp_store *s, const kp_monitor_conf *c, int64_t now,
		     kp_monitor_tally *t, kp_err *e)
{
	struct site_list l = { 0 };
	int r = kp_store_sites_each(s, NULL, site_keep, &l, e);
	if (r == 0)
		r = judge_sites(s, c, &l, now, t, e);
	site_list_release(&l);
	return r;
}

int kp_monitor_step(kp_store *s, const kp_monitor_conf *c, int64_t now,
		    kp_monitor_tally *t, kp_err *e)
{
	struct site_list l = { 0 };
	int r;
	*t = (kp_monitor_tally){ 0 };
	r = kp_store_sites_each(s, NULL, site_keep, &l, e);
	if (r == 0)
		r = queue_due(s, c, &l, now, t, e);
	if (r == 0 && !c->queue_only)
		r = kp_monitor_work(s, c, "monitor", now, true, 0, t, e);
	if (r == 0)
		r = judge_sites(s, c, &l, now, t, e);
	site_list_release(&l);
	return r;
}
