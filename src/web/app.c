/* web — the server put together (web.h's kp_web_start / kp_web_stop):
 * the core in server.c gets the route table of api.c, and stopping
 * ends the application's own threads (the sheets' builder, sheets.c;
 * the re-inspections, recheck.c) and caches (rcache.c) around the
 * daemon's stop.  Kept apart so that the core calls nothing of the
 * handlers that call it. */
#include "web/web_int.h"

int kp_web_start(const kp_web_config *c, kp_web **out, kp_err *e)
{
	return kp_web_serve_start(c, kp_web_routes, out, e);
}

void kp_web_stop(kp_web *w)
{
	if (!w)
		return;
	/* the sheets' builder is told first, the requests in flight
	 * finish, then the re-inspections end (storing nothing) and the
	 * builder is joined */
	kp_web_sheets_stop(w);
	kp_web_serve_halt(w);
	kp_web_jobs_stop(w);
	kp_web_sheets_join(w);
	kp_web_rounds_release(w);
	kp_web_serve_free(w);
}
