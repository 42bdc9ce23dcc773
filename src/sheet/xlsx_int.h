/*
 * Internal to src/sheet: what the XLSX reader's files share (see
 * xlsx.c's top comment for the format and the defences).  The files
 * depend one way: xlsx.c (the workbook, its relationships and shared
 * strings; the entry point) → xlsx_cells.c (a worksheet's cells) →
 * xlsx_part.c (one zip part streamed through libxml2's reader, errors).
 */
#ifndef KP_SHEET_XLSX_INT_H
#define KP_SHEET_XLSX_INT_H

#include "sheet/xlsx.h"

#include <libxml/xmlreader.h>
#include <zip.h>

#define XLSX_MAX_COL 16384     /* columns A..XFD */
#define XLSX_MAX_ROW 1048576
#define XLSX_PATH_MAX 1024

typedef struct xlsx {
	const char *name;      /* for messages; borrowed */
	kp_sheet *s;
	kp_err *e;
	zip_t *zip;
	size_t max;            /* cap on inflated bytes, all parts together */
	size_t used;           /* inflated bytes read so far */

	/* Shared strings: NUL-terminated, string i at pool.data + off[i]. */
	kp_buf pool;
	size_t *off;
	size_t nstr, cap_str;

	/* The part being read. */
	const char *part;
	zip_file_t *zf;
	xmlTextReaderPtr rd;
	bool too_big;          /* the read callback stopped at the cap */
	bool zip_bad;          /* the read callback met a zip error */
	int xml_line, xml_code;
	char xml_msg[256];     /* first XML error, "" if none */
} xlsx;

enum cell_type { T_NUM, T_SST, T_INLINE, T_STR, T_BOOL, T_ERR, T_OTHER };

/* ---- xlsx_part.c ---- */

/* Fail (and return -1) for inflating past the cap, for a zip error on
 * path (code from libzip). */
int kp_xlsx_fail_big(xlsx *x);
int kp_xlsx_fail_zip(xlsx *x, const char *path, int code);
/* Open part path for reading (optional: 1 when missing, nothing open);
 * the next node (1), the end (0) or an error (-1); close it. */
int kp_xlsx_part_open(xlsx *x, const char *path, bool optional);
int kp_xlsx_part_next(xlsx *x);
void kp_xlsx_part_close(xlsx *x);
/* The current node's local name; whether a node type holds text; append
 * the current text node to b. */
const char *kp_xlsx_node_name(xlsx *x);
bool kp_xlsx_node_is_text(int type);
int kp_xlsx_add_text(xlsx *x, kp_buf *b);
/* Attribute local (ns: in the relationships namespace) of the current
 * element into buf[0..size): its length, or -1 when absent. */
long kp_xlsx_attr_get(xlsx *x, const char *local, bool ns, char *buf,
		      size_t size);

/* ---- xlsx_cells.c ---- */

/* Read worksheet part path into x->s. */
int kp_xlsx_read_worksheet(xlsx *x, const char *path);

#endif
