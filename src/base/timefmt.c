/*
 * timefmt.c: time stamps without the C library's time zone machinery:
 * everything in the log is UTC, and civil dates convert to days since the
 * epoch with the usual era arithmetic.
 */
#include <stdio.h>
#include <string.h>

#include "base/num.h"
#include "base/timefmt.h"

#include "base/banned.h"

/* Days since 1970-01-01 of the proleptic Gregorian date y-m-d. */
long
timefmt_days(long y, unsigned m, unsigned d)
{
	long	 era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static void
civil(long z, long *y, unsigned *m, unsigned *d)
{
	long	 era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (long)yoe + era * 400 + (*m <= 2);
}

static int
digits(const char *s, size_t n, unsigned *out)
{
	size_t		i;
	unsigned	v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return 0;
}

/*
 * Parse an RFC 3339 stamp of n bytes ("2026-11-28T08:59:33.025Z"; an
 * offset such as +02:00 instead of Z, a space instead of T and a missing
 * fraction are accepted) or a plain date into seconds since the epoch.
 * Returns 0 or -1.
 */
int
timefmt_parse(const char *s, size_t n, double *out)
{
	unsigned	y, mo, d, h = 0, mi = 0, se = 0, oh, om;
	double		frac = 0, scale = 0.1;
	long		off = 0;
	size_t		i = 19;

	if (n < 10 || digits(s, 4, &y) || s[4] != '-' ||
	    digits(s + 5, 2, &mo) || s[7] != '-' || digits(s + 8, 2, &d) ||
	    mo < 1 || mo > 12 || d < 1 || d > 31)
		return -1;
	if (n == 10) {
		*out = (double)timefmt_days(y, mo, d) * 86400;
		return 0;
	}
	if (n < 20 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) ||
	    s[16] != ':' || digits(s + 17, 2, &se) || h > 23 || mi > 59 ||
	    se > 60)
		return -1;
	if (s[i] == '.') {
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
			frac += (s[i] - '0') * scale;
			scale /= 10;
		}
	}
	if (i + 1 == n && (s[i] == 'Z' || s[i] == 'z'))
		off = 0;
	else if (i + 6 == n && (s[i] == '+' || s[i] == '-') &&
	    digits(s + i + 1, 2, &oh) == 0 && s[i + 3] == ':' &&
	    digits(s + i + 4, 2, &om) == 0)
		off = (s[i] == '-' ? -1 : 1) * (long)(oh * 3600 + om * 60);
	else
		return -1;
	*out = (double)(timefmt_days(y, mo, d) * 86400 + h * 3600L +
	    mi * 60L + se - off) + frac;
	return 0;
}

/*
 * A --since/--until argument: a date, an RFC 3339 stamp, or an age before
 * now such as 90m, 24h, 7d or 2w.  Returns 0 or -1.
 */
int
timefmt_arg(const char *s, double now, double *out)
{
	char	num[32];
	size_t	n = strlen(s);
	double	v, unit;

	if (timefmt_parse(s, n, out) == 0)
		return 0;
	if (n < 2 || n >= sizeof num)
		return -1;
	switch (s[n - 1]) {
	case 's': unit = 1; break;
	case 'm': unit = 60; break;
	case 'h': unit = 3600; break;
	case 'd': unit = 86400; break;
	case 'w': unit = 7 * 86400; break;
	default: return -1;
	}
	memcpy(num, s, n - 1);
	num[n - 1] = '\0';
	if (num_parse_double(num, 0, 1e6, &v) == -1)
		return -1;
	*out = now - v * unit;
	return 0;
}

/* Write v as exactly n decimal digits at p (v must fit). */
static char *
put_digits(char *p, long v, int n)
{
	int i;

	for (i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + n;
}

/*
 * Write the bucket of time t ("2026-11-28", "2026-W48", "2026-11") into
 * dst (at least 11 bytes); returns its length.  Years 0 to 9999.
 */
size_t
timefmt_bucket(double t, enum time_bucket b, char *dst, size_t len)
{
	long		days = (long)(t / 86400), y, wy;
	unsigned	m, d, wd, mw, dw;
	long		thursday, jan1;
	char		*p;
	int		n;

	if (t < 0 && (double)days * 86400 != t)
		days--;
	civil(days, &y, &m, &d);
	if (len < 11 || y < 0 || y > 9999) {
		n = snprintf(dst, len, "%ld", y);
		return n < 0 ? 0 : (size_t)n;
	}
	p = put_digits(dst, y, 4);
	switch (b) {
	case BUCKET_DAY:
		*p++ = '-';
		p = put_digits(p, m, 2);
		*p++ = '-';
		p = put_digits(p, d, 2);
		break;
	case BUCKET_MONTH:
		*p++ = '-';
		p = put_digits(p, m, 2);
		break;
	default:
		/* ISO week: the week of this week's Thursday. */
		wd = (unsigned)((days % 7 + 7 + 3) % 7);	/* Monday 0 */
		thursday = days - (long)wd + 3;
		civil(thursday, &wy, &mw, &dw);
		jan1 = timefmt_days(wy, 1, 1);
		p = put_digits(dst, wy, 4);
		*p++ = '-';
		*p++ = 'W';
		p = put_digits(p, (thursday - jan1) / 7 + 1, 2);
		break;
	}
	*p = '\0';
	return (size_t)(p - dst);
}
