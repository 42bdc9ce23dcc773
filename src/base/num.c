/* base/num.c — exact numbers; contracts in base.h. */
#include "base/base.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- numbers --------------------------------------------------------- */

/* The greatest common divisor of |a| and |b| (1 when both are 0), by
 * Stein's binary algorithm: shifts and subtractions, no division (a
 * 64-bit division is some 40 cycles, Euclid's algorithm takes several;
 * scoring a national round makes tens of millions of these).  The
 * magnitudes are taken unsigned, so INT64_MIN is allowed; every caller
 * passes at least one non-zero value of at most INT64_MAX (a
 * denominator), so the result fits. */
static int64_t gcd64(int64_t a, int64_t b)
{
	uint64_t u = a < 0 ? -(uint64_t)a : (uint64_t)a;
	uint64_t v = b < 0 ? -(uint64_t)b : (uint64_t)b;
	int shift;
	if (!u || !v)
		return (int64_t)((u | v) ? (u | v) : 1);
	shift = __builtin_ctzll(u | v);
	u >>= __builtin_ctzll(u);
	do {
		v >>= __builtin_ctzll(v);
		if (u > v) {
			uint64_t t = u;
			u = v;
			v = t;
		}
		v -= u;
	} while (v);
	return (int64_t)(u << shift);
}

static int num_make(int64_t n, int64_t d, kp_num *r)
{
	int64_t g;
	if (d == 0)
		return -1;
	if (d < 0) {
		if (n == INT64_MIN || d == INT64_MIN)
			return -1;
		n = -n;
		d = -d;
	}
	g = d == 1 ? 1 : gcd64(n, d);
	if (g != 1) {
		n /= g;
		d /= g;
	}
	/* Keep magnitudes where products of two values cannot overflow
	 * silently: values beyond the limit are refused.  |n / d| > LIMIT,
	 * truncated, is |n| >= (LIMIT + 1) * d: a multiplication in 128
	 * bits, not a division (which the sums of a national round would
	 * make millions of). */
	{
		__int128 lim = (__int128)(KP_NUM_LIMIT + 1) * d;
		if (n >= lim || n <= -lim)
			return -1;
	}
	r->n = n;
	r->d = d;
	return 0;
}

kp_num kp_num_int(int64_t v)
{
	kp_num r = { v, 1 };
	return r;
}

int kp_num_parse(const char *s, kp_num *out)
{
	int64_t n = 0, d = 1;
	int neg = 0, digits = 0, frac = 0;
	kp_num r;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		if (n > (INT64_MAX - 9) / 10)
			return -1;
		n = n * 10 + (*s - '0');
	}
	if (*s == '.') {
		s++;
		for (; *s >= '0' && *s <= '9'; s++, frac++) {
			if (frac >= 9 || n > (INT64_MAX - 9) / 10)
				return -1;
			n = n * 10 + (*s - '0');
			d *= 10;
		}
		if (!frac)
			return -1;
	}
	if (!digits && !frac)
		return -1;
	if (*s == '%') {
		d *= 100;
		s++;
	} else if (*s == '/') {
		int64_t dd = 0;
		int dk = 0;
		if (frac)
			return -1;
		for (s++; *s >= '0' && *s <= '9'; s++, dk++) {
			if (dd > (INT64_MAX - 9) / 10)
				return -1;
			dd = dd * 10 + (*s - '0');
		}
		if (!dk || !dd)
			return -1;
		d = dd;
	}
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s)
		return -1;
	if (num_make(neg ? -n : n, d, &r) < 0)
		return -1;
	*out = r;
	return 0;
}

int kp_num_add(kp_num a, kp_num b, kp_num *r)
{
	int64_t x, y, d;
	int64_t g;
	if (a.d == b.d) {   /* the common case in a sum: no cross products */
		if (__builtin_add_overflow(a.n, b.n, &x))
			return -1;
		return num_make(x, a.d, r);
	}
	g = gcd64(a.d, b.d);
	if (__builtin_mul_overflow(a.n, b.d / g, &x) ||
	    __builtin_mul_overflow(b.n, a.d / g, &y) ||
	    __builtin_add_overflow(x, y, &x) ||
	    __builtin_mul_overflow(a.d / g, b.d, &d))
		return -1;
	return num_make(x, d, r);
}

int kp_num_sub(kp_num a, kp_num b, kp_num *r)
{
	if (b.n == INT64_MIN)
		return -1;
	b.n = -b.n;
	return kp_num_add(a, b, r);
}

int kp_num_mul(kp_num a, kp_num b, kp_num *r)
{
	int64_t g1 = gcd64(a.n, b.d), g2 = gcd64(b.n, a.d), n, d;
	if (__builtin_mul_overflow(a.n / g1, b.n / g2, &n) ||
	    __builtin_mul_overflow(a.d / g2, b.d / g1, &d))
		return -1;
	return num_make(n, d, r);
}

int kp_num_div(kp_num a, kp_num b, kp_num *r)
{
	kp_num inv;
	if (b.n == 0)
		return -1;
	inv.n = b.d;
	inv.d = b.n;
	if (inv.d < 0) {
		inv.d = -inv.d;
		inv.n = -inv.n;
	}
	return kp_num_mul(a, inv, r);
}

int kp_num_cmp(kp_num a, kp_num b)
{
	/* a.n/a.d vs b.n/b.d with d > 0: compare a.n*b.d with b.n*a.d in
	 * 128-bit arithmetic so that no pair can overflow. */
	__int128 x = (__int128)a.n * b.d, y = (__int128)b.n * a.d;
	return x < y ? -1 : x > y;
}

bool kp_num_is_zero(kp_num a)
{
	return a.n == 0;
}

/* Round |a| × 10^places half up; returns false if it does not fit. */
static bool scaled(kp_num a, int places, int64_t *out)
{
	__int128 n = a.n < 0 ? -(__int128)a.n : a.n, p = 1;
	for (int i = 0; i < places; i++)
		p *= 10;
	n = (n * p * 2 + a.d) / (2 * (__int128)a.d);
	if (n > INT64_MAX)
		return false;
	*out = (int64_t)n;
	return true;
}

/* |a| rounded to places decimals (at most 6), "-" when a is negative and
 * the rounded value is not zero, into buf (32 bytes).  Digits are written
 * from the right by hand: the reports format hundreds of thousands of
 * numbers, and two snprintf calls a number were a tenth of their time. */
static const char *fmt_fixed(kp_num a, unsigned places, char *buf)
{
	char tmp[32], *q = tmp + sizeof(tmp);
	int64_t v;
	uint64_t u;
	if (places > 6)
		places = 6;
	if (!scaled(a, (int)places, &v)) {
		snprintf(buf, 32, "溢出");
		return buf;
	}
	u = (uint64_t)v;
	*--q = '\0';
	for (unsigned i = 0; i < places; i++, u /= 10)
		*--q = (char)('0' + u % 10);
	if (places)
		*--q = '.';
	do {
		*--q = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (a.n < 0 && v)
		*--q = '-';
	memcpy(buf, q, (size_t)(tmp + sizeof(tmp) - q));
	return buf;
}

const char *kp_num_str(kp_num a, char *buf)
{
	int64_t d = a.d;
	int twos = 0, fives = 0, places;
	while (d % 2 == 0) {
		d /= 2;
		twos++;
	}
	while (d % 5 == 0) {
		d /= 5;
		fives++;
	}
	places = twos > fives ? twos : fives;
	if (d != 1 || places > 6)
		return fmt_fixed(a, 2, buf);
	return fmt_fixed(a, (unsigned)places, buf);
}

const char *kp_num_fmt2(kp_num a, char *buf)
{
	return fmt_fixed(a, 2, buf);
}

double kp_num_double(kp_num a)
{
	return (double)a.n / (double)a.d;
}
