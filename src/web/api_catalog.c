/* web — 指标体系: the indicator tables (bundled, and each round's as the
 * round keeps it) as trees with each rule in Chinese, and the import of
 * an office's table from CSV/XLSX with its report and lint, as `kaoping
 * table import` and `table lint` give them. */
#include "web/pages_int.h"
#include "catalog/catalog.h"
#include "round/round.h"
#include "sheet/sheet.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* A round's table is named "round:NAME:POS" (POS from 0); one an office
 * imported "stored:N" (its row in imported_tables); a bundled one by its
 * id. */
#define ROUND_REF "round:"

static json_t *num_or_null(bool has, kp_num v)
{
	return has ? kp_num_json(v) : json_null();
}

static json_t *node_json(const kp_node *n)
{
	json_t *o = json_object(), *kids = json_array();
	kp_buf rule = KP_BUF_INIT;
	kp_rule_describe(n, &rule);
	json_object_set_new(o, "code", json_string(n->code));
	json_object_set_new(o, "name", json_string(n->name));
	json_object_set_new(o, "path", json_string(n->path));
	json_object_set_new(o, "level", json_integer(n->level));
	json_object_set_new(o, "points", num_or_null(n->has_points, n->points));
	json_object_set_new(o, "rule", json_string(kp_rule_name(n->rule)));
	json_object_set_new(o, "rule_label", json_string(kp_rule_label(n->rule)));
	json_object_set_new(o, "rule_text", json_string(rule.data ? rule.data : ""));
	json_object_set_new(o, "content", json_string(n->text[KP_T_CONTENT]));
	json_object_set_new(o, "criteria", json_string(n->text[KP_T_CRITERIA]));
	json_object_set_new(o, "applies", json_string(n->text[KP_T_APPLIES]));
	json_object_set_new(o, "note", json_string(n->text[KP_T_NOTE]));
	for (size_t i = 0; i < n->nchildren; i++)
		json_array_append_new(kids, node_json(n->children[i]));
	json_object_set_new(o, "children", kids);
	kp_buf_release(&rule);
	return o;
}

static json_t *findings_json(const kp_findings *f)
{
	json_t *a = json_array();
	for (size_t i = 0; i < f->n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:I, s:s, s:b}",
			"kind", f->v[i].kind, "label", kp_lint_label(f->v[i].kind),
			"code", f->v[i].code ? f->v[i].code : "",
			"line", (json_int_t)f->v[i].line, "message", f->v[i].message,
			"known", f->v[i].known));
	return a;
}

/* The table as the page shows it: what it is, its tree, its lint. */
static json_t *table_json(const kp_table *t, const char *ref)
{
	json_t *o = json_object(), *roots = json_array();
	kp_findings f = { 0 };
	kp_num total;
	bool has_total = kp_table_total(t, &total);
	const char *v;
	json_object_set_new(o, "ref", json_string(ref));
	json_object_set_new(o, "id", json_string(kp_table_id(t)));
	json_object_set_new(o, "title", json_string(kp_table_get(t, "title")));
	json_object_set_new(o, "kind", json_string(kp_kind_name(t->kind)));
	json_object_set_new(o, "kind_label", json_string(kp_kind_label(t->kind)));
	json_object_set_new(o, "issuer", (v = kp_table_get(t, "issuer")) ? json_string(v) : json_null());
	json_object_set_new(o, "year", (v = kp_table_get(t, "year")) ? json_string(v) : json_null());
	json_object_set_new(o, "total", num_or_null(has_total, total));
	json_object_set_new(o, "nodes", json_integer((json_int_t)t->nnodes));
	for (size_t i = 0; i < t->nroots; i++)
		json_array_append_new(roots, node_json(t->roots[i]));
	json_object_set_new(o, "tree", roots);
	kp_lint(t, NULL, &f);
	kp_lint_confirm(t, &f);
	json_object_set_new(o, "lint", findings_json(&f));
	kp_findings_release(&f);
	return o;
}

/* ---- GET /api/tables ---- */

static json_t *entry(const char *ref, const char *id, const char *title,
		     const char *round, const char *label)
{
	return json_pack("{s:s, s:s, s:s, s:o, s:s}", "ref", ref, "id", id,
			 "title", title ? title : "", "round",
			 round ? json_string(round) : json_null(), "label",
			 label ? label : "");
}

static int round_tables(void *ctx, const kp_round *r, kp_err *e)
{
	json_t *a = ctx;
	(void)e;
	for (size_t i = 0; i < r->ntables; i++) {
		kp_buf ref = KP_BUF_INIT;
		kp_buf_addf(&ref, ROUND_REF "%s:%zu", r->name, i);
		json_array_append_new(a, entry(ref.data, r->tables[i].table_id,
					       r->tables[i].title, r->name,
					       r->tables[i].label));
		kp_buf_release(&ref);
	}
	return 0;
}

/* An imported table: "stored:N", with who imported it from which file. */
static int imported_entry(void *ctx, const kp_imported *t, kp_err *e)
{
	kp_buf ref = KP_BUF_INIT;
	json_t *o;
	(void)e;
	kp_buf_addf(&ref, KP_RND_STORED_REF "%lld", (long long)t->id);
	o = entry(ref.data, t->table_id, t->title, NULL, NULL);
	json_object_set_new(o, "imported", json_pack("{s:s, s:s, s:I, s:s, s:s}",
		"file", t->file, "encoding", t->encoding, "unsure", (json_int_t)t->unsure,
		"by", t->author, "at", t->at));
	json_array_append_new(ctx, o);
	kp_buf_release(&ref);
	return 0;
}

void kp_web_tables(kp_web_req *rq)
{
	json_t *a = json_array();
	kp_store *db = kp_web_pages_store(rq);
	kp_err e;
	if (!db) {
		json_decref(a);
		return;
	}
	if (kp_store_rounds_each(db, round_tables, a, &e) < 0 ||
	    kp_store_tables_imported_each(db, 0, imported_entry, a, &e) < 0) {
		kp_web_fail(rq, &e);
		json_decref(a);
		kp_store_close(db);
		return;
	}
	kp_store_close(db);
	for (size_t i = 0; i < kp_bundled_count(); i++) {
		kp_table *t;
		if (kp_bundled_load(i, &t, &e) < 0) {
			kp_web_fail(rq, &e);
			json_decref(a);
			return;
		}
		if (t->kind == KP_KIND_INDICATORS)
			json_array_append_new(a, entry(kp_table_id(t), kp_table_id(t),
						       kp_table_get(t, "title"), NULL, NULL));
		kp_table_free(t);
	}
	rq->out = a;
}

/* ---- GET /api/tables/{id} ---- */

/* The round's table named by ref ("round:NAME:POS"): 0, 1 when there is
 * none, -1 on an error. */
static int round_table(kp_web_req *rq, const char *ref, kp_table **t,
		       kp_err *e)
{
	const char *colon = strrchr(ref, ':');
	char *name, *end;
	long pos;
	kp_store *db;
	kp_round r;
	kp_buf text = KP_BUF_INIT;
	int rc = 1;
	if (colon <= ref + strlen(ROUND_REF) - 1)
		return 1;
	pos = strtol(colon + 1, &end, 10);
	if (*end || colon[1] == '\0' || pos < 0 || pos > KP_SCHEME_MAX_TABLES)
		return 1;
	if (kp_store_open(rq->w->conn, 0, &db, e) < 0)
		return -1;
	name = kp_xstrndup(ref + strlen(ROUND_REF),
			   (size_t)(colon - ref) - strlen(ROUND_REF));
	memset(&r, 0, sizeof(r));
	if (kp_store_round_get(db, name, &r, e) < 0) {
		rc = e->code == KP_EINPUT ? 1 : -1;
	} else if ((size_t)pos < r.ntables) {
		if (kp_store_round_table(db, r.id, (int)pos, &text, e) < 0)
			rc = -1;
		else
			rc = kp_table_parse(r.tables[pos].table_id, text.data,
					    text.len, t, e) < 0 ? -1 : 0;
	}
	kp_buf_release(&text);
	kp_round_release(&r);
	free(name);
	kp_store_close(db);
	return rc;
}

/* The imported table named by ref ("stored:N"), as eval new opens it
 * (round: kp_rnd_table_stored): 0, 1 none, -1 error. */
static int stored_table(kp_web_req *rq, const char *ref, kp_table **t,
			kp_err *e)
{
	if (kp_rnd_table_stored(rq->w->conn, ref, t, e) < 0)
		return e->code == KP_RND_ENOTFOUND ? 1 : -1;
	return 0;
}

/* The bundled indicator table of this id (never a file path): 0, 1 none,
 * -1 an error. */
static int bundled_table(const char *id, kp_table **out, kp_err *e)
{
	for (size_t i = 0; i < kp_bundled_count(); i++) {
		kp_table *t;
		if (kp_bundled_load(i, &t, e) < 0)
			return -1;
		if (t->kind == KP_KIND_INDICATORS && !strcmp(kp_table_id(t), id)) {
			*out = t;
			return 0;
		}
		kp_table_free(t);
	}
	return 1;
}

void kp_web_table(kp_web_req *rq)
{
	const char *ref = kp_web_param(&rq->params, "id");
	kp_table *t = NULL;
	kp_err e;
	int rc;
	if (!strncmp(ref, ROUND_REF, strlen(ROUND_REF)))
		rc = round_table(rq, ref, &t, &e);
	else if (kp_rnd_stored_ref(ref))
		rc = stored_table(rq, ref, &t, &e);
	else
		rc = bundled_table(ref, &t, &e);
	if (rc < 0) {
		kp_web_fail(rq, &e);
		return;
	}
	if (rc > 0 || t->kind != KP_KIND_INDICATORS) {
		kp_table_free(t);
		kp_web_error(rq, 404, "没有指标表“%s”", ref);
		return;
	}
	rq->out = table_json(t, ref);
	kp_table_free(t);
}

/* ---- POST /api/tables/import ---- */

/* The import report as `table import` prints it: each row's rule and
 * whether it is sure, the rows it could not place. */
static json_t *report_json(const kp_import_report *rep)
{
	json_t *o = json_object(), *rows = json_array(), *notes = json_array();
	for (size_t i = 0; i < rep->n; i++)
		json_array_append_new(notes, json_string(rep->lines[i]));
	for (size_t i = 0; i < rep->nrows; i++) {
		const kp_import_row *r = &rep->rows[i];
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:b, s:b, s:s, s:s, s:I}",
			"code", r->node->code, "path", r->node->path, "rule", r->rule,
			"sure", r->sure, "from_sheet", r->from_sheet, "why", r->why,
			"words", r->words, "line", (json_int_t)r->line));
	}
	json_object_set_new(o, "header_where", json_string(rep->header_where ? rep->header_where : ""));
	json_object_set_new(o, "rows_read", json_integer((json_int_t)rep->rows_read));
	json_object_set_new(o, "unsure", json_integer((json_int_t)rep->unsure));
	json_object_set_new(o, "notes", notes);
	json_object_set_new(o, "rules", rows);
	return o;
}

void kp_web_table_import(kp_web_req *rq)
{
	json_t *in = kp_web_pages_body(rq), *o;
	const char *file, *b64, *id, *title;
	unsigned char *data = NULL;
	size_t n = 0, cap;
	kp_import_opts io = { NULL, NULL, NULL, false };
	kp_rnd_import x;
	kp_buf ref = KP_BUF_INIT;
	kp_err e;
	if (!in)
		return;
	file = kp_web_pages_str(in, "filename");
	b64 = kp_web_pages_str(in, "content");
	id = kp_web_pages_str(in, "id");
	title = kp_web_pages_str(in, "title");
	if (!file || !*file || !b64) {
		kp_web_error(rq, 400, "导入需要 filename（文件名，.csv、.tsv 或 .xlsx）和 content（文件内容的 base64）");
		goto out;
	}
	cap = strlen(b64) / 4 * 3 + 3;
	data = kp_xmalloc(cap);
	if (sodium_base642bin(data, cap, b64, strlen(b64), "\r\n", &n, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0) {
		kp_web_error(rq, 400, "content 不是有效的 base64");
		goto out;
	}
	io.id = id && *id ? id : NULL;
	io.title = title && *title ? title : NULL;
	if (kp_rnd_table_import(rq->w->conn, file, (const char *)data, n, &io,
				kp_web_pages_who(rq), rq->addr, &x, &e) < 0) {
		if (x.refused)
			kp_web_error(rq, 422, "%s", e.msg);
		else
			kp_web_fail(rq, &e);
		goto out;
	}
	kp_buf_addf(&ref, KP_RND_STORED_REF "%lld", (long long)x.id);
	o = table_json(x.table, ref.data);
	json_object_set_new(o, "stored", json_integer((json_int_t)x.id));
	json_object_set_new(o, "file", json_string(file));
	json_object_set_new(o, "encoding", json_string(kp_sheet_encoding(x.sheet)));
	json_object_set_new(o, "report", report_json(&x.rep));
	json_object_set_new(o, "canonical", json_stringn(x.canonical.data ? x.canonical.data : "",
							 x.canonical.len));
	rq->out = o;
	kp_rnd_import_release(&x);
out:
	kp_buf_release(&ref);
	free(data);
	json_decref(in);
}
