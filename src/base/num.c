/*
 * num.c: numbers in and out.  Parsing checks that the whole string is a
 * number, finite and in range (OpenBSD's strtonum is the model); formatting
 * never depends on LC_NUMERIC, so JSON and CSV stay valid in any locale.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/num.h"

#include "base/banned.h"

/*
 * Parse s as a finite decimal number in [min, max] into *out.  Returns 0,
 * or -1 with errno EINVAL (not a number, trailing bytes) or ERANGE.
 */
int
num_parse_double(const char *s, double min, double max, double *out)
{
	char	*end;
	double	 v;

	/* Plain decimal only: no white space, hex, "inf" or "nan". */
	if (s == NULL || *s == '\0' ||
	    s[strspn(s, "0123456789+-.eE")] != '\0') {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	v = strtod(s, &end);
	if (*end != '\0' || end == s) {
		errno = EINVAL;
		return -1;
	}
	if (errno == ERANGE || !isfinite(v) || v < min || v > max) {
		errno = ERANGE;
		return -1;
	}
	*out = v;
	return 0;
}

/*
 * Parse s as a whole decimal number in [min, max] into *out, accepting an
 * optional binary suffix k, M or G (KiB, MiB, GiB).  Returns 0 or -1 with
 * errno EINVAL or ERANGE.
 */
int
num_parse_size(const char *s, size_t min, size_t max, size_t *out)
{
	unsigned long long	 v, mul = 1;
	char			*end;

	if (s == NULL || *s < '0' || *s > '9') {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE) {
		errno = ERANGE;
		return -1;
	}
	switch (*end) {
	case '\0':
		break;
	case 'k': case 'K':
		mul = 1ULL << 10;
		end++;
		break;
	case 'M':
		mul = 1ULL << 20;
		end++;
		break;
	case 'G':
		mul = 1ULL << 30;
		end++;
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	if (*end != '\0') {
		errno = EINVAL;
		return -1;
	}
	if (v > (unsigned long long)-1 / mul || v * mul > max ||
	    v * mul < min) {
		errno = ERANGE;
		return -1;
	}
	*out = (size_t)(v * mul);
	return 0;
}

/*
 * A number printf wrote into dst made locale-free: '.' as the decimal
 * separator, and no "-0.0" for what rounds to zero.  Returns dst.
 */
static char *
plain_decimal(char *dst)
{
	char *p;

	for (p = dst; *p != '\0'; p++)
		if (*p == ',')
			*p = '.';
	if (dst[0] == '-' && strspn(dst + 1, "0.") == strlen(dst + 1))
		memmove(dst, dst + 1, strlen(dst));
	return dst;
}

/*
 * Format v with the printf conversion fmt (one double, e.g. "%.6g") into
 * dst, always with '.' as the decimal separator; non-finite values become
 * "null".  Returns dst.
 */
char *
num_fmt(char *dst, size_t dstlen, const char *fmt, double v)
{
	if (!isfinite(v)) {
		snprintf(dst, dstlen, "null");
		return dst;
	}
	if (v == 0)
		v = 0;	/* no "-0" */
	snprintf(dst, dstlen, fmt, v);
	return plain_decimal(dst);
}

/* The decimals num_money shows of a (finite, positive) amount a. */
static int
money_decimals(double a)
{
	int d;

	if (a >= 1 || a == 0)
		return 2;
	/* 3 significant digits: the first of them is 10^floor(log10 a). */
	d = 2 - (int)floor(log10(a));
	if (d < 2)
		d = 2;
	return d > NUM_MONEY_MAXDEC ? NUM_MONEY_MAXDEC : d;
}

char *
num_money(char *dst, size_t dstlen, double usd)
{
	double	a = fabs(usd);
	int	d;

	if (!isfinite(usd))
		return num_fmt(dst, dstlen, "%.2f", usd);
	d = money_decimals(a);
	/*
	 * Rounding may carry into the next digit (0.000999 -> 0.001000,
	 * 0.9996 -> 1.000): then one decimal less keeps 3 digits.
	 */
	if (d > 2 && a > 0) {
		double r = floor(a * pow(10, d) + 0.5) / pow(10, d);

		if (money_decimals(r) < d)
			d--;
	}
	snprintf(dst, dstlen, "%.*f", d, usd);
	return plain_decimal(dst);
}
