/* score/score_int.h — what the engine's files share; not public. */
#ifndef KP_SCORE_INT_H
#define KP_SCORE_INT_H

#include "score/score.h"

/* Deep copy of f into dst. */
void kp_fact_copy(kp_fact *dst, const kp_fact *f);
/* Whether facts of source s decide scores (all but 自评). */
bool kp_source_counts(kp_source s);
/* The node a fact's indicator names: in t, or "id:path" in a context
 * table (*in tells which). */
const kp_node *kp_fact_target(const kp_table *t, const kp_score_ctx *c,
			      const char *ind, const kp_table **in);

#endif
