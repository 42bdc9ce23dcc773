/* web — matching a request's path against the route table and
 * validating its parameters (no HTTP here: tests/web calls it as is). */
#include "web/web.h"
#include "round/round.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	int bit;
	const char *name, *label;
} roles[] = {
	{ KP_WEB_ADMIN, "admin", "管理员" },
	{ KP_WEB_ASSESSOR, "assessor", "考核人员" },
	{ KP_WEB_UNIT, "unit", "单位用户" },
	{ KP_WEB_PUBLIC, "public", "公众" },
};

int kp_web_role_parse(const char *s)
{
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (roles[i].bit != KP_WEB_PUBLIC && s && !strcmp(s, roles[i].name))
			return roles[i].bit;
	return 0;
}

const char *kp_web_role_name(int role)
{
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (roles[i].bit == role)
			return roles[i].name;
	return "";
}

const char *kp_web_role_label(int role)
{
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (roles[i].bit == role)
			return roles[i].label;
	return "";
}

const char *kp_web_param(const kp_web_params *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->name[i], name))
			return p->val[i];
	return NULL;
}

void kp_web_params_release(kp_web_params *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->val[i]);
	memset(p, 0, sizeof(*p));
}

static const kp_web_pspec *spec_of(const kp_web_route *r, const char *name,
				   size_t n)
{
	for (const kp_web_pspec *s = r->params; s && s->name; s++)
		if (strlen(s->name) == n && !memcmp(s->name, name, n))
			return s;
	return NULL;
}

/* v[0..n) against its spec: 0, or -1 with e saying why. */
static int check_param(const kp_web_pspec *s, const char *v, size_t n,
		       kp_err *e)
{
	if (!n)
		return kp_fail(e, KP_EINPUT, "参数 %s 为空", s->name);
	if (n > s->max)
		return kp_fail(e, KP_EINPUT, "参数 %s 超过 %zu 字节", s->name, s->max);
	if (kp_utf8_valid_prefix(v, n) != n)
		return kp_fail(e, KP_EINPUT, "参数 %s 不是 UTF-8 文本", s->name);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return kp_fail(e, KP_EINPUT, "参数 %s 含有控制字符", s->name);
	return 0;
}

/* Does path match pattern?  1 yes (p filled), 0 no, -1 a parameter
 * fails its spec (e says why). */
static int match(const kp_web_route *r, const char *path, kp_web_params *p,
		 kp_err *e)
{
	const char *pat = r->pattern, *s = path;
	kp_web_params tmp = { 0 };
	while (*pat) {
		if (*pat == '{') {
			const char *close = strchr(pat, '}');
			const char *end = strchr(s, '/');
			const kp_web_pspec *sp;
			size_t n;
			if (!close)
				return 0;
			sp = spec_of(r, pat + 1, (size_t)(close - pat - 1));
			n = end ? (size_t)(end - s) : strlen(s);
			if (!sp || tmp.n == KP_WEB_MAXPARAMS) {
				kp_web_params_release(&tmp);
				return 0;
			}
			tmp.name[tmp.n] = sp->name;
			tmp.val[tmp.n++] = kp_xstrndup(s, n);
			s += n;
			pat = close + 1;
			continue;
		}
		if (*pat != *s) {
			kp_web_params_release(&tmp);
			return 0;
		}
		pat++;
		s++;
	}
	if (*s) {
		kp_web_params_release(&tmp);
		return 0;
	}
	for (size_t i = 0; i < tmp.n; i++) {
		const kp_web_pspec *sp = spec_of(r, tmp.name[i], strlen(tmp.name[i]));
		if (check_param(sp, tmp.val[i], strlen(tmp.val[i]), e) < 0) {
			kp_web_params_release(&tmp);
			return -1;
		}
	}
	*p = tmp;
	return 1;
}

int kp_web_route_find(const kp_web_route *t, const char *method,
		      const char *path, kp_web_params *p, int *status,
		      kp_err *e)
{
	bool path_known = false;
	memset(p, 0, sizeof(*p));
	*status = 404;
	for (int i = 0; t[i].method; i++) {
		kp_web_params tmp;
		kp_err pe;
		int m = match(&t[i], path, &tmp, &pe);
		if (m == 0)
			continue;
		if (strcmp(t[i].method, method)) {
			if (m > 0)
				kp_web_params_release(&tmp);
			path_known = true;
			continue;
		}
		if (m < 0) {
			*status = 400;
			if (e)
				*e = pe;
			return -1;
		}
		*p = tmp;
		*status = 200;
		return i;
	}
	if (path_known) {
		*status = 405;
		return kp_fail(e, KP_EINPUT, "%s 不支持 %s 方法", path, method);
	}
	return kp_fail(e, KP_RND_ENOTFOUND, "没有这个接口：%s", path);
}
