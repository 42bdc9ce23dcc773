/* ledger/info_title.h — title normalising for the 政务信息 ledger's
 * duplicate rule (info_title.c).  Not a public header: the public pair
 * kp_info_title_norm_dup and kp_info_titles_near is in ledger.h. */
#ifndef KP_INFO_TITLE_H
#define KP_INFO_TITLE_H

#include "ledger/ledger.h"

/* Code points of s that matter for comparing titles, at most max, into
 * out; returns how many. */
size_t kp_info_title_norm(const char *s, int32_t *out, size_t max);
/* Whether two normalised titles count as the same item. */
bool kp_info_near(const int32_t *a, size_t na, const int32_t *b, size_t nb);

#endif
