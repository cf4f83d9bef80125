/*
 * utf8.c: UTF-8 validation.  llmroute never emits invalid UTF-8: every
 * ill-formed byte of a prompt is replaced by U+FFFD (one per byte, as the
 * Unicode "maximal subpart" practice does for lone bytes).
 */
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
