/* monitor's files among themselves: probe.c (transfers) ← work.c (a
 * worker's jobs, many transfers at once) ← schedule.c (steps, rules,
 * warnings) ← report.c. */
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

/* A probe's transfer in two halves (probe.c), so that work.c can run
 * many at once on a libcurl multi handle: setup readies the easy handle
 * (reset, keeping its connections) to GET url within timeout_ms into
 * body (its cap is the caller's: 4 MB), errors into cerr
 * (CURL_ERROR_SIZE bytes); result reads the finished transfer (rc its
 * CURLcode; handle NULL: libcurl could not start) into p's status,
 * latency_ms and ok, err ("" when ok) and hash (17 bytes). */
#define KP_PROBE_BODY_MAX (4u << 20)
void kp_monitor_probe_setup(void *handle, const char *url, long timeout_ms,
			    kp_buf *body, char *cerr);
void kp_monitor_probe_result(void *handle, int rc, const kp_buf *body,
			     const char *cerr, int64_t latency_ms, kp_probe *p,
			     char *err, size_t errsz, char *hash);

/* A rule's Chinese name and the text of its veto line (schedule.c). */
const char *kp_monitor_rule_title(const char *rule);
const char *kp_monitor_rule_text(const char *rule);

#endif
