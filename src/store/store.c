/* store — opening and closing: the connection string picks the backend
 * (sqlite.c, pg.c), then the migrations (migrate.c) bring the schema up
 * to date.  The logic is written once over the backends' narrow
 * interface (store_int.h), a file per part of the schema: rounds.c,
 * facts.c, results.c, audit.c, inspections.c, ledgers.c. */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- open and close -------------------------------------------------- */

static bool is_pg(const char *conn)
{
	const char *eq, *sl;
	if (!strncmp(conn, "postgresql://", 13) || !strncmp(conn, "postgres://", 11))
		return true;
	/* a libpq "key=value …" conninfo: a bare word and '=' before any '/' */
	eq = strchr(conn, '=');
	sl = strchr(conn, '/');
	if (!eq || (sl && sl < eq))
		return false;
	for (const char *p = conn; p < eq; p++)
		if (!((*p >= 'a' && *p <= 'z') || *p == '_' || *p == ' '))
			return false;
	return eq > conn;
}

int kp_store_open(const char *conn, int flags, kp_store **out, kp_err *e)
{
	return kp_store_open_at(conn, flags, kp_store_schema_latest(), out, e);
}

int kp_store_open_at(const char *conn, int flags, int version,
		     kp_store **out, kp_err *e)
{
	kp_store *s;
	int r;
	*out = NULL;
	if (!conn || !*conn)
		return kp_fail(e, KP_EINPUT, "没有给出数据库（--db 或环境变量 KAOPING_DB）");
	s = kp_xcalloc(1, sizeof(*s));
	if (is_pg(conn))
		r = kp_pg_open(s, conn, e);
	else
		r = kp_sqlite_open(s, strncmp(conn, "sqlite:", 7) ? conn : conn + 7,
				   flags, e);
	if (r < 0) {
		free(s->where);
		free(s);
		return -1;
	}
	if (kp_store_migrate(s, version, e) < 0) {
		kp_store_close(s);
		return -1;
	}
	*out = s;
	return 0;
}

void kp_store_close(kp_store *s)
{
	if (!s)
		return;
	if (s->in_tx)
		s->ops->rollback(s);
	s->ops->close(s);
	free(s->where);
	free(s);
}

const char *kp_store_backend(const kp_store *s)
{
	return s->ops->name;
}

const char *kp_store_where(const kp_store *s)
{
	return s->where;
}
