/* catalog/findings.c — lint findings: their labels, how one is added
 * (marked known when the table acknowledges it), how a list is freed.
 * Below both rules.c (each rule kind's own checks) and lint.c.  See
 * catalog.h and catalog_int.h. */
#include "catalog/catalog_int.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	const char *kind;
	const char *label;
} labels[] = {
	{ "sum", "分值合计不符" },
	{ "total", "总分不符" },
	{ "deduct-over", "扣分超过分值" },
	{ "deduct-short", "扣分项合计低于分值" },
	{ "text-points", "文字与分值矛盾" },
	{ "duplicate", "重名" },
	{ "unit-spelling", "单位写法不一" },
	{ "unit-unknown", "单位不在名录中" },
	{ "quirk", "原文问题" },
	{ "rule", "规则用法" },
	{ "ref", "引用无效" },
	{ "overflow", "数值溢出" },
};

const char *kp_lint_label(const char *kind)
{
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (!strcmp(labels[i].kind, kind))
			return labels[i].label;
	return kind;
}

void kp_findings_release(kp_findings *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].kind);
		free(f->v[i].code);
		free(f->v[i].message);
	}
	free(f->v);
	f->v = NULL;
	f->n = f->cap = 0;
}

/* Is "KIND CODE" or "KIND *" among the table's #meta,known rows? */
static bool acknowledged(const kp_table *t, const char *kind,
			 const char *code)
{
	size_t kl = strlen(kind);
	for (size_t i = 0; i < t->nmeta; i++) {
		const char *v = t->meta[i].value;
		if (strcmp(t->meta[i].key, "known") || strncmp(v, kind, kl) ||
		    v[kl] != ' ')
			continue;
		v += kl + 1;
		while (*v == ' ')
			v++;
		if (!strcmp(v, "*") || !strcmp(v, code))
			return true;
	}
	return false;
}

void kp_findings_add(kp_findings *f, const kp_table *t, const char *kind,
		const char *code, size_t line, const char *fmt, ...)
{
	kp_buf msg = KP_BUF_INIT;
	va_list ap;
	kp_finding *x;
	va_start(ap, fmt);
	kp_buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 16;
		f->v = kp_xrealloc(f->v, f->cap * sizeof(*f->v));
	}
	x = &f->v[f->n++];
	x->kind = kp_xstrdup(kind);
	x->code = kp_xstrdup(code ? code : "");
	x->line = line;
	x->message = kp_buf_detach(&msg);
	x->known = !strcmp(kind, "quirk") ||
		   (t && acknowledged(t, kind, x->code));
}
