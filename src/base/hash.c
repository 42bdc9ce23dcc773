/* base/hash.c — FNV-1a; contracts in base.h. */
#include "base/base.h"

uint64_t kp_hash_fnv1a_more(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

uint64_t kp_hash_fnv1a_str(uint64_t h, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	do {
		h ^= *u;
		h *= 0x100000001b3ULL;
	} while (*u++);
	return h;
}

uint64_t kp_hash_fnv1a(const void *p, size_t n)
{
	return kp_hash_fnv1a_more(KP_FNV1A_INIT, p, n);
}
