/*
 * jsonout.c: JSON text written directly into a buffer, piece by piece or
 * through a writer that places the commas and the indentation.  Strings
 * are always valid UTF-8 (ill-formed bytes become U+FFFD) and numbers
 * never depend on the locale.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonout.h"
#include "base/num.h"
#include "base/utf8.h"

#include "base/banned.h"

/* Significant digits jsonout_double tries: %.10g first, then up to all. */
#define DOUBLE_MINDIG	10
#define DOUBLE_MAXDIG	17

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

int
jsonout_cstr(struct buf *b, const char *s)
{
	if (s == NULL)
		return buf_addstr(b, "null");
	return jsonout_str(b, s, strlen(s));
}

int
jsonout_num(struct buf *b, const char *fmt, double v)
{
	char tmp[NUM_FMTLEN];

	return buf_addstr(b, num_fmt(tmp, sizeof tmp, fmt, v));
}

/*
 * The fewest digits from DOUBLE_MINDIG that read back exactly.  The test
 * reads the C library's own text in its own locale, so it holds whatever
 * LC_NUMERIC is; num_fmt then writes the digits with a '.'.  Starting at
 * ten digits keeps 604800 from becoming 6.048e+05.
 */
int
jsonout_double(struct buf *b, double v)
{
	char	raw[NUM_FMTLEN], fmt[16];
	int	dig;

	if (!isfinite(v))
		return jsonout_num(b, "%g", v);
	for (dig = DOUBLE_MINDIG; dig < DOUBLE_MAXDIG; dig++) {
		snprintf(raw, sizeof raw, "%.*g", dig, v);
		if (strtod(raw, NULL) == v)
			break;
	}
	snprintf(fmt, sizeof fmt, "%%.%dg", dig);
	return jsonout_num(b, fmt, v);
}

int
jsonout_key(struct buf *b, int first, const char *key)
{
	if (!first && buf_addch(b, ',') == -1)
		return -1;
	if (jsonout_cstr(b, key) == -1)
		return -1;
	return buf_addch(b, ':');
}

/* Integer arithmetic on the scaled value: no locale, no float printing. */
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

void
jsonout_init(struct jsonout *jo, struct buf *buf, enum jsonout_style style)
{
	memset(jo, 0, sizeof *jo);
	jo->buf = buf;
	jo->style = style;
}

/* Keep the first failure: every later call returns it. */
static int
check(struct jsonout *jo, int r)
{
	if (r == -1)
		jo->error = -1;
	return jo->error;
}

/* A new line indented to the current depth, in the pretty style. */
static int
newline(struct jsonout *jo)
{
	int i, r = 0;

	if (jo->style != JSONOUT_PRETTY)
		return 0;
	r |= buf_addch(jo->buf, '\n');
	for (i = 0; i < jo->depth * JSONOUT_INDENT; i++)
		r |= buf_addch(jo->buf, ' ');
	return r;
}

/*
 * What comes before a member or an element of the open container: a
 * comma unless it is the first, then its line.  Nothing comes before the
 * value of a named member, or before the top-level value.
 */
static int
separate(struct jsonout *jo)
{
	int r = 0;

	if (jo->named) {
		jo->named = 0;
		return 0;
	}
	if (jo->depth == 0)
		return 0;
	if (!jo->first)
		r |= buf_addch(jo->buf, ',');
	jo->first = 0;
	return r | newline(jo);
}

static int
begin(struct jsonout *jo, int open)
{
	if (jo->error)
		return -1;
	if (check(jo, separate(jo)) == -1)
		return -1;
	jo->depth++;
	jo->first = 1;
	return check(jo, buf_addch(jo->buf, open));
}

/* After the closing bracket the parent holds a value: not first. */
static int
end(struct jsonout *jo, int close)
{
	int r = 0;

	if (jo->error)
		return -1;
	jo->depth--;
	if (!jo->first)
		r |= newline(jo);
	jo->first = 0;
	return check(jo, r | buf_addch(jo->buf, close));
}

int
jsonout_object_begin(struct jsonout *jo)
{
	return begin(jo, '{');
}

int
jsonout_object_end(struct jsonout *jo)
{
	return end(jo, '}');
}

int
jsonout_array_begin(struct jsonout *jo)
{
	return begin(jo, '[');
}

int
jsonout_array_end(struct jsonout *jo)
{
	return end(jo, ']');
}

int
jsonout_member(struct jsonout *jo, const char *name)
{
	int r;

	if (jo->error)
		return -1;
	r = separate(jo);
	r |= jsonout_cstr(jo->buf, name);
	r |= buf_addstr(jo->buf, jo->style == JSONOUT_PRETTY ? ": " : ":");
	jo->named = 1;
	return check(jo, r);
}

/* Write the text of a scalar value, already formatted, in its place. */
int
jsonout_put_raw(struct jsonout *jo, const char *text)
{
	if (jo->error)
		return -1;
	return check(jo, separate(jo) | buf_addstr(jo->buf, text));
}

int
jsonout_put_str(struct jsonout *jo, const char *s, size_t len)
{
	if (jo->error)
		return -1;
	return check(jo, separate(jo) | jsonout_str(jo->buf, s, len));
}

int
jsonout_put_cstr(struct jsonout *jo, const char *s)
{
	if (s == NULL)
		return jsonout_put_null(jo);
	return jsonout_put_str(jo, s, strlen(s));
}

int
jsonout_put_double(struct jsonout *jo, double v)
{
	if (jo->error)
		return -1;
	return check(jo, separate(jo) | jsonout_double(jo->buf, v));
}

int
jsonout_put_int(struct jsonout *jo, long long v)
{
	char tmp[NUM_FMTLEN];

	snprintf(tmp, sizeof tmp, "%lld", v);
	return jsonout_put_raw(jo, tmp);
}

int
jsonout_put_bool(struct jsonout *jo, int v)
{
	return jsonout_put_raw(jo, v ? "true" : "false");
}

int
jsonout_put_null(struct jsonout *jo)
{
	return jsonout_put_raw(jo, "null");
}
