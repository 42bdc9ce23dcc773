/* monitor's files among themselves: probe.c (transfers) ← schedule.c
 * (steps, jobs, rules, warnings) ← report.c. */
#ifndef KP_MONITOR_INT_H
#define KP_MONITOR_INT_H

#include "monitor/monitor.h"

/* POST body (JSON text) to url; 0 on a 2xx answer, else -1 with e
 * filled (probe.c). */
int kp_monitor_post(const char *url, const char *body, long timeout_ms,
		    kp_err *e);

/* Send one e-mail (message: its headers and body, CRLF lines, as RFC
 * 5322 has them) through c's SMTP server from c->mail_from to each of
 * c->mail_to; 0 when the server took it, else -1 with e (probe.c). */
int kp_monitor_mail(const kp_monitor_conf *c, const char *message,
		    kp_err *e);

/* kp_monitor_probe on a libcurl easy handle the caller keeps, so that a
 * worker's probes of one host reuse its connection (probe.c); the handle
 * from kp_monitor_handle_new (NULL when libcurl cannot), freed by
 * kp_monitor_handle_free.  A NULL handle is a failed probe. */
/* tick (may be NULL) is called about once a second, and more often
 * while data flows, during the transfer: a worker renews its lease
 * there; tick returning -1 stops the probe (its error says so). */
typedef int (*kp_monitor_tick_fn)(void *ctx);
void kp_monitor_probe_on(void *handle, const char *url, long timeout_ms,
			 kp_monitor_tick_fn tick, void *tick_ctx, kp_probe *p,
			 char *err, size_t errsz, char *hash);
void *kp_monitor_handle_new(void);
void kp_monitor_handle_free(void *h);

/* A rule's Chinese name and the text of its veto line (schedule.c). */
const char *kp_monitor_rule_title(const char *rule);
const char *kp_monitor_rule_text(const char *rule);

#endif
