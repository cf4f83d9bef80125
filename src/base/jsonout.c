/*
 * jsonout.c: JSON text written directly into a buffer.  Strings are always
 * valid UTF-8 (ill-formed bytes become U+FFFD) and numbers never depend on
 * the locale.
 */
#include <stdio.h>
#include <string.h>

#include "base/jsonout.h"
#include "base/num.h"
#include "base/utf8.h"

#include "base/banned.h"

/*
 * Append the n bytes at s as a quoted JSON string: control characters and
 * NUL are escaped, ill-formed UTF-8 is replaced.  Returns 0 or -1.
 */
int
jsonout_str(struct buf *b, const char *s, size_t n)
{
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, start = 0, len;
	char			 esc[7];
	const char		*rep;
	size_t			 replen;

	if (buf_addch(b, '"') == -1)
		return -1;
	for (i = 0; i < n; ) {
		unsigned char c = p[i];

		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0x80) {
			len = utf8_seqlen(p + i, n - i);
			if (len != 0) {
				i += len;
				continue;
			}
			rep = "\xef\xbf\xbd";
			replen = 3;
		} else {
			switch (c) {
			case '"':  rep = "\\\""; break;
			case '\\': rep = "\\\\"; break;
			case '\n': rep = "\\n"; break;
			case '\t': rep = "\\t"; break;
			case '\r': rep = "\\r"; break;
			case '\b': rep = "\\b"; break;
			case '\f': rep = "\\f"; break;
			default:
				memcpy(esc, "\\u00", 4);
				esc[4] = hex[c >> 4];
				esc[5] = hex[c & 0xf];
				esc[6] = '\0';
				rep = esc;
				break;
			}
			replen = strlen(rep);
		}
		if (buf_add(b, s + start, i - start) == -1 ||
		    buf_add(b, rep, replen) == -1)
			return -1;
		start = ++i;
	}
	if (buf_add(b, s + start, n - start) == -1)
		return -1;
	return buf_addch(b, '"');
}

/* Append the NUL-terminated s as a JSON string; NULL becomes null. */
int
jsonout_cstr(struct buf *b, const char *s)
{
	if (s == NULL)
		return buf_addstr(b, "null");
	return jsonout_str(b, s, strlen(s));
}

/* Append v formatted with fmt (see num_fmt); non-finite becomes null. */
int
jsonout_num(struct buf *b, const char *fmt, double v)
{
	char tmp[NUM_FMTLEN];

	return buf_addstr(b, num_fmt(tmp, sizeof tmp, fmt, v));
}

/* Append an object key (with a leading comma unless first) and colon. */
int
jsonout_key(struct buf *b, int first, const char *key)
{
	if (!first && buf_addch(b, ',') == -1)
		return -1;
	if (jsonout_cstr(b, key) == -1)
		return -1;
	return buf_addch(b, ':');
}

/*
 * Append v, which must be finite and from 0 to 1e9, with at most decimals
 * (<= 12) digits after the point and no trailing zeros: the common case
 * of costs and scores, without the C library's general float printing.
 * Other values fall back to jsonout_num with "%.*g".
 */
int
jsonout_fixed(struct buf *b, double v, int decimals)
{
	static const double	 scale[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
	    1e7, 1e8, 1e9, 1e10, 1e11, 1e12 };
	char			 tmp[40], *p = tmp + sizeof tmp;
	unsigned long long	 u, ip, fp;
	int			 i, nd = 0;

	if (!(v >= 0 && v <= 1e9) || decimals < 0 || decimals > 12) {
		char fmt[16];

		snprintf(fmt, sizeof fmt, "%%.%dg", decimals > 0 ? decimals :
		    1);
		return jsonout_num(b, fmt, v);
	}
	u = (unsigned long long)(v * scale[decimals] + 0.5);
	ip = u / (unsigned long long)scale[decimals];
	fp = u % (unsigned long long)scale[decimals];
	/* Fraction digits, trailing zeros dropped. */
	for (i = 0; i < decimals; i++, fp /= 10) {
		if (nd == 0 && fp % 10 == 0)
			continue;
		*--p = (char)('0' + fp % 10);
		nd++;
	}
	if (nd > 0)
		*--p = '.';
	do {
		*--p = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip > 0);
	return buf_add(b, p, (size_t)(tmp + sizeof tmp - p));
}
