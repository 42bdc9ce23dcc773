/* base/date.c — days as kp_date; contracts in base.h. */
#include "base/base.h"

#include <stdio.h>
#include <string.h>

int kp_date_days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30,
				  31, 31, 30, 31, 30, 31 };
	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

bool kp_date_valid_ymd(int y, int m, int d)
{
	return y >= KP_DATE_MIN_YEAR && y <= KP_DATE_MAX_YEAR && m >= 1 &&
	       m <= 12 && d >= 1 && d <= kp_date_days_in_month(y, m) &&
	       !(y == 1970 && m == 1 && d == 1);
}

/* Howard Hinnant's days_from_civil / civil_from_days. */
static int32_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

kp_date kp_date_from_ymd(int y, int m, int d)
{
	if (!kp_date_valid_ymd(y, m, d))
		return KP_DATE_NONE;
	return days_from_civil(y, m, d);
}

void kp_date_ymd(kp_date day, int *y, int *m, int *d)
{
	int32_t z = day + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

int kp_date_weekday(kp_date day)
{
	/* 1970-01-01 was a Thursday (4). */
	int w = (day % 7 + 7) % 7;   /* 0 = Thursday */
	return (w + 3) % 7 + 1;
}

kp_date kp_date_add_days(kp_date d, int n)
{
	int32_t lo = days_from_civil(KP_DATE_MIN_YEAR, 1, 1);
	int32_t hi = days_from_civil(KP_DATE_MAX_YEAR, 12, 31);
	int64_t r;
	if (d == KP_DATE_NONE)
		return KP_DATE_NONE;
	r = (int64_t)d + n;
	if (r < lo || r > hi || r == 0)
		return KP_DATE_NONE;
	return (kp_date)r;
}

/* Read 1..max decimal digits at *p; -1 when none. */
static int digits(const char **p, int max)
{
	int v = 0, n = 0;
	while (**p >= '0' && **p <= '9' && n < max) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n ? v : -1;
}

/* Skip one of the separators (NULL-terminated list) at *p. */
static bool eat_one(const char **p, const char *const *seps)
{
	for (; *seps; seps++) {
		size_t n = strlen(*seps);
		if (!strncmp(*p, *seps, n)) {
			*p += n;
			return true;
		}
	}
	return false;
}

/* "HH:MM" or "HH:MM:SS" (one or two digits for the hour), checked. */
static bool time_of_day(const char **p)
{
	int h = digits(p, 2), mi, s;
	if (h < 0 || h > 23 || **p != ':')
		return false;
	(*p)++;
	if (!(**p >= '0' && **p <= '9' && (*p)[1] >= '0' && (*p)[1] <= '9'))
		return false;
	mi = digits(p, 2);
	if (mi > 59)
		return false;
	if (**p == ':') {
		(*p)++;
		if (!(**p >= '0' && **p <= '9' && (*p)[1] >= '0' &&
		      (*p)[1] <= '9'))
			return false;
		s = digits(p, 2);
		if (s > 59)
			return false;
	}
	return true;
}

int kp_date_parse(const char *s, kp_date *out)
{
	static const char *const after_y[] = { "-", "/", ".", "年", NULL };
	static const char *const after_m[] = { "-", "/", ".", "月", NULL };
	const char *p = s, *q;
	int y, m, d;
	while (*p == ' ')
		p++;
	q = p;
	if (strspn(p, "0123456789") == 8) {
		y = digits(&p, 4);
		m = digits(&p, 2);
		d = digits(&p, 2);
	} else {
		y = digits(&p, 4);
		if (y < 0 || p - q != 4 || !eat_one(&p, after_y))
			return -1;
		m = digits(&p, 2);
		if (m < 0 || !eat_one(&p, after_m))
			return -1;
		d = digits(&p, 2);
		if (d < 0)
			return -1;
		if (!strncmp(p, "日", strlen("日")))
			p += strlen("日");
	}
	if (*p == 'T' || (*p == ' ' && p[strspn(p, " ")] >= '0' &&
			  p[strspn(p, " ")] <= '9')) {
		p += *p == 'T' ? 1 : strspn(p, " ");
		if (!time_of_day(&p))
			return -1;
	}
	while (*p == ' ')
		p++;
	if (*p || !kp_date_valid_ymd(y, m, d))
		return -1;
	*out = days_from_civil(y, m, d);
	return 0;
}

const char *kp_date_str(kp_date d, char *buf)
{
	int y, m, dd;
	if (d == KP_DATE_NONE) {
		buf[0] = '\0';
		return buf;
	}
	kp_date_ymd(d, &y, &m, &dd);
	snprintf(buf, KP_DATE_STRLEN, "%04d-%02d-%02d", y % 10000, m % 100,
		 dd % 100);
	return buf;
}

const char *kp_time_bj(const char *utc, char *buf, size_t n)
{
	int y, mo, d, h, mi, sec, k = 0;
	long secs;
	kp_date day;
	if (sscanf(utc, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi,
		   &sec, &k) != 6 || k != 19 ||
	    (utc[k] == '.' ? utc[k + strspn(utc + k + 1, "0123456789") + 1]
			   : utc[k]) != 'Z' ||
	    !kp_date_valid_ymd(y, mo, d) || h > 23 || mi > 59 || sec > 60 ||
	    h < 0 || mi < 0 || sec < 0) {
		snprintf(buf, n, "%s", utc);
		return buf;
	}
	day = kp_date_from_ymd(y, mo, d);
	secs = h * 3600L + mi * 60L + sec + 8 * 3600L;
	if (secs >= 86400) {
		day = kp_date_add_days(day, 1);
		secs -= 86400;
	}
	kp_date_ymd(day, &y, &mo, &d);
	snprintf(buf, n, "%04d-%02d-%02d %02ld:%02ld:%02ld+08:00", y, mo, d,
		 secs / 3600, secs / 60 % 60, secs % 60);
	return buf;
}
