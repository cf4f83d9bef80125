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
 * Format v with the printf conversion fmt (one double, e.g. "%.6g") into
 * dst, always with '.' as the decimal separator; non-finite values become
 * "null".  Returns dst.
 */
char *
num_fmt(char *dst, size_t dstlen, const char *fmt, double v)
{
	char *p;

	if (!isfinite(v)) {
		snprintf(dst, dstlen, "null");
		return dst;
	}
	if (v == 0)
		v = 0;	/* no "-0" */
	snprintf(dst, dstlen, fmt, v);
	for (p = dst; *p != '\0'; p++)
		if (*p == ',')
			*p = '.';
	/* A value that rounds to zero is not "-0.0". */
	if (dst[0] == '-' && strspn(dst + 1, "0.") == strlen(dst + 1))
		memmove(dst, dst + 1, strlen(dst));
	return dst;
}
