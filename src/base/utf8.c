/*
 * utf8.c: UTF-8 validation and width.  llmroute never emits invalid UTF-8: every
 * ill-formed byte of a prompt is replaced by U+FFFD (one per byte, as the
 * Unicode "maximal subpart" practice does for lone bytes).
 */
#include <string.h>

#include "base/utf8.h"

#include "base/banned.h"

/*
 * Length of the well-formed UTF-8 sequence starting at s (1 to 4), given
 * avail bytes, or 0 when s does not start one (overlongs, surrogates and
 * code points past U+10FFFF are ill-formed).  s[0] must be >= 0x80.
 */
size_t
utf8_seqlen(const unsigned char *s, size_t avail)
{
	unsigned char	c = s[0], lo = 0x80, hi = 0xbf;
	size_t		n, i;

	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (avail < n)
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

/*
 * Append the n bytes at s, replacing each ill-formed byte by U+FFFD and
 * counting the replacements in *nbad (if not NULL).  NUL bytes are copied
 * as they are: callers that must refuse them check for them.  Returns 0 or
 * -1 (errno from buf).
 */
int
utf8_add_clean(struct buf *b, const char *s, size_t n, size_t *nbad)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, start = 0, len;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		len = utf8_seqlen(p + i, n - i);
		if (len != 0) {
			i += len;
			continue;
		}
		if (buf_add(b, s + start, i - start) == -1 ||
		    buf_add(b, "\xef\xbf\xbd", 3) == -1)
			return -1;
		if (nbad != NULL)
			(*nbad)++;
		start = ++i;
	}
	return buf_add(b, s + start, i - start);
}

/* Append code point cp (must be a Unicode scalar value) as UTF-8. */
int
utf8_add_cp(struct buf *b, unsigned long cp)
{
	char	s[4];
	size_t	n;

	if (cp < 0x80) {
		s[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		s[0] = (char)(0xc0 | (cp >> 6));
		s[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		s[0] = (char)(0xe0 | (cp >> 12));
		s[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		s[0] = (char)(0xf0 | (cp >> 18));
		s[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		s[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return buf_add(b, s, n);
}

/*
 * Width on a terminal.  The tables follow Unicode's EastAsianWidth.txt (W
 * and F) and the general categories Mn, Me and Cf, by block where a
 * block is all of one kind; they need no locale, so a table lines up the
 * same under LC_ALL=C and under a UTF-8 locale.
 */
struct cprange {
	unsigned long	lo, hi;
};

static const struct cprange zero_width[] = {
	{ 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd },
	{ 0x05bf, 0x05bf }, { 0x05c1, 0x05c2 }, { 0x05c4, 0x05c5 },
	{ 0x05c7, 0x05c7 }, { 0x0610, 0x061a }, { 0x061c, 0x061c },
	{ 0x064b, 0x065f }, { 0x0670, 0x0670 }, { 0x06d6, 0x06dc },
	{ 0x06df, 0x06e4 }, { 0x06e7, 0x06e8 }, { 0x06ea, 0x06ed },
	{ 0x0900, 0x0902 }, { 0x093a, 0x093a }, { 0x093c, 0x093c },
	{ 0x0941, 0x0948 }, { 0x094d, 0x094d }, { 0x0951, 0x0957 },
	{ 0x0962, 0x0963 }, { 0x0e31, 0x0e31 }, { 0x0e34, 0x0e3a },
	{ 0x0e47, 0x0e4e }, { 0x1160, 0x11ff }, { 0x1ab0, 0x1aff },
	{ 0x1dc0, 0x1dff }, { 0x200b, 0x200f }, { 0x202a, 0x202e },
	{ 0x2060, 0x2064 }, { 0x20d0, 0x20ff }, { 0x302a, 0x302d },
	{ 0x3099, 0x309a }, { 0xfe00, 0xfe0f }, { 0xfe20, 0xfe2f },
	{ 0xfeff, 0xfeff }, { 0x1f3fb, 0x1f3ff }, { 0xe0001, 0xe0001 },
	{ 0xe0020, 0xe007f }, { 0xe0100, 0xe01ef }
};

static const struct cprange double_width[] = {
	{ 0x1100, 0x115f }, { 0x231a, 0x231b }, { 0x2329, 0x232a },
	{ 0x23e9, 0x23ec }, { 0x23f0, 0x23f0 }, { 0x23f3, 0x23f3 },
	{ 0x25fd, 0x25fe }, { 0x2614, 0x2615 }, { 0x2648, 0x2653 },
	{ 0x267f, 0x267f }, { 0x2693, 0x2693 }, { 0x26a1, 0x26a1 },
	{ 0x26aa, 0x26ab }, { 0x26bd, 0x26be }, { 0x26c4, 0x26c5 },
	{ 0x26ce, 0x26ce }, { 0x26d4, 0x26d4 }, { 0x26ea, 0x26ea },
	{ 0x26f2, 0x26f3 }, { 0x26f5, 0x26f5 }, { 0x26fa, 0x26fa },
	{ 0x26fd, 0x26fd }, { 0x2705, 0x2705 }, { 0x270a, 0x270b },
	{ 0x2728, 0x2728 }, { 0x274c, 0x274c }, { 0x274e, 0x274e },
	{ 0x2753, 0x2755 }, { 0x2757, 0x2757 }, { 0x2795, 0x2797 },
	{ 0x27b0, 0x27b0 }, { 0x27bf, 0x27bf }, { 0x2b1b, 0x2b1c },
	{ 0x2b50, 0x2b50 }, { 0x2b55, 0x2b55 }, { 0x2e80, 0x3029 },
	{ 0x302e, 0x303e }, { 0x3041, 0x3098 }, { 0x309b, 0x33ff },
	{ 0x3400, 0x4dbf }, { 0x4e00, 0x9fff }, { 0xa000, 0xa4cf },
	{ 0xa960, 0xa97f }, { 0xac00, 0xd7a3 }, { 0xf900, 0xfaff },
	{ 0xfe10, 0xfe19 }, { 0xfe30, 0xfe6f }, { 0xff00, 0xff60 },
	{ 0xffe0, 0xffe6 }, { 0x16fe0, 0x16fe4 }, { 0x17000, 0x18cff },
	{ 0x1b000, 0x1b2ff }, { 0x1f004, 0x1f004 }, { 0x1f0cf, 0x1f0cf },
	{ 0x1f18e, 0x1f18e }, { 0x1f191, 0x1f19a }, { 0x1f200, 0x1f251 },
	{ 0x1f300, 0x1f320 }, { 0x1f32d, 0x1f335 }, { 0x1f337, 0x1f37c },
	{ 0x1f37e, 0x1f393 }, { 0x1f3a0, 0x1f3ca }, { 0x1f3cf, 0x1f3d3 },
	{ 0x1f3e0, 0x1f3f0 }, { 0x1f3f4, 0x1f3f4 }, { 0x1f3f8, 0x1f3fa },
	{ 0x1f400, 0x1f43e }, { 0x1f440, 0x1f440 }, { 0x1f442, 0x1f4fc },
	{ 0x1f4ff, 0x1f53d }, { 0x1f54b, 0x1f54e }, { 0x1f550, 0x1f567 },
	{ 0x1f57a, 0x1f57a }, { 0x1f595, 0x1f596 }, { 0x1f5a4, 0x1f5a4 },
	{ 0x1f5fb, 0x1f64f }, { 0x1f680, 0x1f6c5 }, { 0x1f6cc, 0x1f6cc },
	{ 0x1f6d0, 0x1f6d2 }, { 0x1f6d5, 0x1f6d7 }, { 0x1f6dc, 0x1f6df },
	{ 0x1f6eb, 0x1f6ec }, { 0x1f6f4, 0x1f6fc }, { 0x1f7e0, 0x1f7eb },
	{ 0x1f7f0, 0x1f7f0 }, { 0x1f90c, 0x1f93a }, { 0x1f93c, 0x1f945 },
	{ 0x1f947, 0x1f9ff }, { 0x1fa70, 0x1faff }, { 0x20000, 0x2fffd },
	{ 0x30000, 0x3fffd }
};

/* Whether cp is in one of the n sorted ranges of v. */
static int
in_ranges(unsigned long cp, const struct cprange *v, size_t n)
{
	size_t lo = 0, hi = n, mid;

	if (cp < v[0].lo || cp > v[n - 1].hi)
		return 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cp > v[mid].hi)
			lo = mid + 1;
		else if (cp < v[mid].lo)
			hi = mid;
		else
			return 1;
	}
	return 0;
}

int
utf8_cpwidth(unsigned long cp)
{
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
		return 0;
	if (cp < 0x300)
		return 1;
	if (in_ranges(cp, zero_width, sizeof zero_width /
	    sizeof zero_width[0]))
		return 0;
	if (in_ranges(cp, double_width, sizeof double_width /
	    sizeof double_width[0]))
		return 2;
	return 1;
}

/*
 * The code point at s (n > 0 bytes) into *cp, U+FFFD for an ill-formed
 * byte; returns the bytes it takes.
 */
static size_t
next_cp(const unsigned char *s, size_t n, unsigned long *cp)
{
	size_t len, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((len = utf8_seqlen(s, n)) == 0) {
		*cp = 0xfffd;
		return 1;
	}
	*cp = s[0] & (0x7f >> len);
	for (i = 1; i < len; i++)
		*cp = (*cp << 6) | (s[i] & 0x3f);
	return len;
}

size_t
utf8_width(const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned long		 cp;
	size_t			 i = 0, w = 0;

	while (i < n) {
		i += next_cp(p + i, n - i, &cp);
		w += (size_t)utf8_cpwidth(cp);
	}
	return w;
}

size_t
utf8_prefix(const char *s, size_t n, size_t cols, size_t *used)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned long		 cp;
	size_t			 i = 0, len, w = 0, cw;

	while (i < n) {
		len = next_cp(p + i, n - i, &cp);
		cw = (size_t)utf8_cpwidth(cp);
		if (w + cw > cols)
			break;
		w += cw;
		i += len;
	}
	if (used != NULL)
		*used = w;
	return i;
}

int
utf8_add_padded(struct buf *b, const char *s, size_t n, size_t cols,
    int right)
{
	size_t	w = utf8_width(s, n);
	int	e = 0;

	if (right)
		for (; w < cols; w++)
			e |= buf_addch(b, ' ');
	e |= buf_add(b, s, n);
	if (!right)
		for (; w < cols; w++)
			e |= buf_addch(b, ' ');
	return e ? -1 : 0;
}

int
utf8_add_fitted(struct buf *b, const char *s, size_t cols)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned long		 cp;
	size_t			 n = strlen(s), w = utf8_width(s, n), i = 0;
	size_t			 len;

	if (w <= cols)
		return utf8_add_padded(b, s, n, cols, 0);
	/* Drop characters from the front until the rest fits after "...". */
	while (i < n) {
		len = next_cp(p + i, n - i, &cp);
		if (w <= cols - 3 && utf8_cpwidth(cp) > 0)
			break;
		w -= (size_t)utf8_cpwidth(cp);
		i += len;
	}
	if (buf_addstr(b, "...") == -1)
		return -1;
	return utf8_add_padded(b, s + i, n - i, cols - 3, 0);
}

size_t
utf8_count(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if (!utf8_is_cont(s[i]))
			c++;
	return c;
}
