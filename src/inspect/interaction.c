/* inspect/interaction.c — a letter page of a 留言/信箱 column: when the
 * letter was written (来信日期, 留言时间 …) and whether it has a reply,
 * for interaction.unanswered (checks.c).  The national indicators count
 * a message not answered within 3 months (in the year before the
 * monitoring day) as 互动回应差. */
#define _GNU_SOURCE /* memmem */
#include "inspect/inspect_int.h"

#include <string.h>

static const char *const letter_labels[] = {
	"来信日期", "来信时间", "留言时间", "留言日期", "提问时间", "提问日期",
	"咨询时间", "写信时间", NULL
};
static const char *const reply_labels[] = {
	"回复内容", "答复内容", "回复时间", "回复日期", "答复时间", "答复日期",
	"回复单位", "答复单位", "办理结果", "已回复", "已答复", "已办结", NULL
};
static const char *const no_reply[] = {
	"未回复", "暂无回复", "待回复", "尚未回复", "未答复", "暂未答复", "办理中",
	NULL
};

static bool has_any(const char *t, size_t n, const char *const *words)
{
	for (size_t i = 0; words[i]; i++)
		if (memmem(t, n, words[i], strlen(words[i])))
			return true;
	return false;
}

void kp_inspect_letter_read(const char *t, size_t n, kp_inspect_date as_of,
			    kp_inspect_date *letter, bool *replied)
{
	*letter = 0;
	*replied = false;
	for (size_t i = 0; letter_labels[i] && !*letter; i++) {
		size_t ln = strlen(letter_labels[i]);
		const char *p = memmem(t, n, letter_labels[i], ln);
		if (!p)
			continue;
		size_t off = (size_t)(p - t) + ln, w = n - off < 48 ? n - off : 48;
		*letter = kp_inspect_date_find(t + off, w, as_of);
	}
	if (*letter)
		*replied = has_any(t, n, reply_labels) && !has_any(t, n, no_reply);
}
