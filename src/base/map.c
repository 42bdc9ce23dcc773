/* base/map.c — the string-to-index map (open addressing, linear probing,
 * borrowed keys); contracts in base.h. */
#include "base/base.h"

#include <stdlib.h>
#include <string.h>

void kp_map_init(kp_map *m)
{
	m->slots = NULL;
	m->cap = m->n = 0;
}

void kp_map_release(kp_map *m)
{
	free(m->slots);
	kp_map_init(m);
}

/* The slot holding key, or the empty slot where it would go. */
static kp_map_slot *slot_of(kp_map_slot *v, size_t cap, const char *key,
			    size_t len, uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);
	for (;;) {
		kp_map_slot *s = &v[i];
		if (!s->key || (s->hash == h && s->len == len &&
				!memcmp(s->key, key, len)))
			return s;
		i = (i + 1) & (cap - 1);
	}
}

/* Keep the load under 1/2 for one more key. */
static void grow(kp_map *m)
{
	size_t cap = m->cap ? m->cap * 2 : 16;
	kp_map_slot *v;
	if ((m->n + 1) * 2 <= m->cap)
		return;
	v = kp_xcalloc(cap, sizeof(*v));
	for (size_t i = 0; i < m->cap; i++) {
		kp_map_slot *s = &m->slots[i];
		if (s->key)
			*slot_of(v, cap, s->key, s->len, s->hash) = *s;
	}
	free(m->slots);
	m->slots = v;
	m->cap = cap;
}

static int put(kp_map *m, const char *key, size_t len, size_t val,
	       size_t *old, bool replace)
{
	uint64_t h = kp_hash_fnv1a(key, len);
	kp_map_slot *s;
	grow(m);
	s = slot_of(m->slots, m->cap, key, len, h);
	if (s->key) {
		if (old)
			*old = s->val;
		if (replace)
			s->val = val;
		return 0;
	}
	s->key = key;
	s->len = len;
	s->hash = h;
	s->val = val;
	m->n++;
	return 1;
}

int kp_map_putn(kp_map *m, const char *key, size_t len, size_t val,
		size_t *old)
{
	return put(m, key, len, val, old, true);
}

int kp_map_put(kp_map *m, const char *key, size_t val, size_t *old)
{
	return put(m, key, strlen(key), val, old, true);
}

int kp_map_add(kp_map *m, const char *key, size_t val, size_t *val_out)
{
	return put(m, key, strlen(key), val, val_out, false);
}

bool kp_map_getn(const kp_map *m, const char *key, size_t len, size_t *val)
{
	const kp_map_slot *s;
	if (!m->n)
		return false;
	s = slot_of(m->slots, m->cap, key, len, kp_hash_fnv1a(key, len));
	if (!s->key)
		return false;
	if (val)
		*val = s->val;
	return true;
}

bool kp_map_get(const kp_map *m, const char *key, size_t *val)
{
	return kp_map_getn(m, key, strlen(key), val);
}
