/*
 * web/assets — the browser UI's files, bundled in the binary.
 *
 * `make web` builds the UI (web/, Vue 3 + Element Plus + ECharts, with
 * Vite) into web/dist; the Makefile turns every file there into a row of
 * kp_web_assets[] (tools/embed.c, generated under build/gen), so the
 * server reads nothing from disk at run time and needs no node.  When
 * web/dist was not built the table is empty and "/" answers with a
 * Chinese page saying so; the JSON API works the same either way.
 *
 * kp_web_asset_answer serves every path outside /api/: a file of the
 * table by its path ("/" is "/index.html"), with its MIME type, a
 * Content-Security-Policy that admits nothing from outside this server,
 * and a year's caching for Vite's hashed /assets/ files (index.html is
 * never cached, so a new build is seen at once).
 *
 * Ownership: the table and its bytes are static; nothing to free.
 */
#ifndef KP_WEB_ASSETS_H
#define KP_WEB_ASSETS_H

#include <stddef.h>
#include <time.h>

typedef struct kp_web_asset {
	const char *path;       /* "/index.html", "/assets/index-1a2b.js" */
	const char *mime;       /* "text/html; charset=utf-8" */
	const char *data;
	size_t len;
} kp_web_asset;

/* Generated (build/gen/web_assets.c); ends with a row whose path is NULL. */
extern const kp_web_asset kp_web_assets[];

/* The file served at path ("/" means "/index.html"), or NULL. */
const kp_web_asset *kp_web_asset_find(const char *path);

/* The page "/" shows when the UI was not built (HTML, static). */
extern const char kp_web_unbuilt_page[];

struct MHD_Connection;
/* Answer a GET or HEAD of a UI path on connection c (another method: 405;
 * an unknown path: 404) and log one line on stderr like the API's, addr
 * being the client's address and t0 the request's start (monotonic).
 * Returns libmicrohttpd's MHD_YES / MHD_NO as an int. */
int kp_web_asset_answer(struct MHD_Connection *c, const char *method,
			const char *path, const char *addr,
			const struct timespec *t0);

#endif
