/* Internal to src/catalog: helpers shared by its files. */
#ifndef KP_CATALOG_INT_H
#define KP_CATALOG_INT_H

#include "catalog/catalog.h"

/* Call fn for each trimmed, non-empty item of a list written with '、'
 * or ','.  Stops at and returns the first non-zero return of fn. */
int kp_list_each(const char *list, int (*fn)(void *, const char *),
		 void *arg);

#endif
