/* catalog/rule_text.c — a node's scoring rule in the words a person reads:
 * 倒扣分：每项扣2分，最多扣10分.  `table show`, the import report and
 * the published export all describe rules here, never with the format's
 * keywords (deduct, amount=2;each). */
#include "catalog/catalog.h"

#include <stdlib.h>
#include <string.h>

/* Conditions the ledgers define (when=…), in Chinese. */
static const struct {
	const char *name, *text;
} conditions[] = {
	{ "monthly_min", "某月报送信息少于%s条" },
	{ "duplicate", "存在重复报送" },
	{ "urgent_late", "紧急重要信息迟报、漏报、瞒报" },
	{ "feedback_missed", "领导批示或约稿信息未按时反馈" },
	{ "false_info", "报送虚假信息" },
};

static void sep(kp_buf *out, bool *first)
{
	kp_buf_adds(out, *first ? "：" : "，");
	*first = false;
}

static void when_text(const char *w, kp_buf *out)
{
	const char *colon = strchr(w, ':');
	size_t n = colon ? (size_t)(colon - w) : strlen(w);
	for (size_t i = 0; i < sizeof(conditions) / sizeof(conditions[0]); i++)
		if (strlen(conditions[i].name) == n &&
		    !strncmp(conditions[i].name, w, n)) {
			const char *fmt = conditions[i].text;
			const char *pct = strstr(fmt, "%s");
			if (pct) {
				kp_buf_add(out, fmt, (size_t)(pct - fmt));
				kp_buf_adds(out, colon ? colon + 1 : "");
				kp_buf_adds(out, pct + 2);
			} else {
				kp_buf_adds(out, fmt);
			}
			return;
		}
	kp_buf_addf(out, "台账条件“%s”", w);
}

/* amount / each / max / when, shared by deduct and minus. */
static void deduction(const kp_node *n, kp_buf *out, bool *first)
{
	const char *amount = kp_node_param(n, "amount");
	const char *max = kp_node_param(n, "max");
	const char *when = kp_node_param(n, "when");
	bool each = kp_node_param(n, "each") != NULL;
	if (when || amount)
		sep(out, first);
	if (when) {
		when_text(when, out);
		kp_buf_adds(out, "时");
	}
	if (amount && !strcmp(amount, "all"))
		kp_buf_adds(out, n->rule == KP_RULE_MINUS ? "上级指标不得分"
							  : "本项不得分");
	else if (amount)
		kp_buf_addf(out, "%s扣%s分", each ? "每项" : "", amount);
	if (max) {
		sep(out, first);
		kp_buf_addf(out, "最多扣%s分", max);
	}
}

static void tiers_text(const kp_node *n, kp_buf *out, bool *first)
{
	const char *tiers = kp_node_param(n, "tiers");
	const char *wording = kp_node_param(n, "wording");
	bool deducted = wording && !strcmp(wording, "deducted");
	char *copy, *save = NULL, *tok;
	if (!tiers)
		return;
	copy = kp_xstrdup(tiers);
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(tok, ':');
		kp_num coef, v;
		char b[32];
		if (!colon)
			continue;
		*colon = '\0';
		sep(out, first);
		kp_buf_addf(out, "完成%s及以上", tok);
		if (kp_num_parse(colon + 1, &coef) < 0)
			continue;
		if (n->has_points && kp_num_mul(coef, n->points, &v) == 0)
			kp_buf_addf(out, "%s%s分", deducted ? "扣" : "得",
				    kp_num_str(v, b));
		else
			kp_buf_addf(out, "%s满分的%s倍", deducted ? "扣" : "得",
				    kp_num_str(coef, b));
	}
	free(copy);
	sep(out, first);
	kp_buf_adds(out, deducted ? "低于最低一档扣完" : "低于最低一档不得分");
}

int kp_rule_describe(const kp_node *n, kp_buf *out)
{
	bool first = true;
	const char *v;
	kp_buf_adds(out, kp_rule_label(n->rule));
	switch (n->rule) {
	case KP_RULE_JUDGED:
	case KP_RULE_BONUS:
		if ((v = kp_node_param(n, "grades"))) {
			sep(out, &first);
			kp_buf_adds(out, "按档打分（");
			for (; *v; v++)
				if (*v == ',')
					kp_buf_adds(out, "、");
				else
					kp_buf_addc(out, *v);
			kp_buf_adds(out, "分）");
		}
		if ((v = kp_node_param(n, "step"))) {
			sep(out, &first);
			kp_buf_addf(out, "打分步长%s分", v);
		}
		if (n->rule == KP_RULE_BONUS && n->has_points) {
			char b[32];
			sep(out, &first);
			kp_buf_addf(out, "最高加%s分", kp_num_str(n->points, b));
		}
		break;
	case KP_RULE_BINARY:
		sep(out, &first);
		kp_buf_adds(out, "达到得满分，否则不得分");
		break;
	case KP_RULE_DEDUCT:
	case KP_RULE_MINUS:
		deduction(n, out, &first);
		if ((v = kp_node_param(n, "wording")) && !strcmp(v, "deducted")) {
			sep(out, &first);
			kp_buf_adds(out, "按扣分说法");
		}
		break;
	case KP_RULE_TIERED:
		tiers_text(n, out, &first);
		if ((v = kp_node_param(n, "split"))) {
			char *copy = kp_xstrdup(v), *save = NULL, *tok;
			for (tok = strtok_r(copy, ",", &save); tok;
			     tok = strtok_r(NULL, ",", &save)) {
				char *colon = strchr(tok, ':');
				if (!colon)
					continue;
				*colon = '\0';
				sep(out, &first);
				kp_buf_addf(out, "%s任务%s分",
					    !strcmp(tok, "city") ? "市级"
					    : !strcmp(tok, "province") ? "省级"
								      : tok,
					    colon + 1);
			}
			free(copy);
		}
		if ((v = kp_node_param(n, "single"))) {
			sep(out, &first);
			kp_buf_addf(out, "只有一类任务时满分%s分", v);
		}
		if ((v = kp_node_param(n, "quota"))) {
			sep(out, &first);
			kp_buf_addf(out, "任务见表 %s", v);
		}
		break;
	case KP_RULE_CHECKLIST:
		if ((v = kp_node_param(n, "list"))) {
			sep(out, &first);
			kp_buf_addf(out, "清单见表 %s", v);
		}
		break;
	case KP_RULE_VETO:
		if ((v = kp_node_param(n, "when"))) {
			sep(out, &first);
			when_text(v, out);
			kp_buf_adds(out, "时");
		}
		v = kp_node_param(n, "scope");
		sep(out, &first);
		kp_buf_adds(out, !v || !strcmp(v, "node") ? "本项"
				 : !strcmp(v, "evaluation") ? "整项考核"
							    : "折算后的结果");
		v = kp_node_param(n, "outcome");
		if (!v || !strcmp(v, "0"))
			kp_buf_adds(out, "得0分");
		else if (!strncmp(v, "deduct:", 7))
			kp_buf_addf(out, "扣%s分", v + 7);
		else
			kp_buf_addf(out, "为%s", v);
		break;
	default:
		break;
	}
	return out->max && out->len > out->max ? -1 : 0;
}
