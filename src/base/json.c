/* base/json.c — a kp_num as JSON; contracts in base.h. */
#include "base/base.h"

#include <jansson.h>
#include <stdlib.h>

json_t *kp_num_json(kp_num a)
{
	char buf[32];
	if (a.d == 1)
		return json_integer((json_int_t)a.n);
	return json_real(strtod(kp_num_str(a, buf), NULL));
}
