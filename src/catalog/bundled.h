/* Internal to src/catalog: the data files compiled into the binary by
 * tools/embed.c (see the Makefile).  Terminated by a NULL path. */
#ifndef KP_BUNDLED_H
#define KP_BUNDLED_H

#include <stddef.h>

typedef struct kp_bundled_file {
	const char *path;
	const char *data;
	size_t len;
} kp_bundled_file;

extern const kp_bundled_file kp_bundled[];

#endif
