/*
 * utf8.h: UTF-8 validation, and the width of text on a terminal.
 */
#ifndef LLMROUTE_UTF8_H
#define LLMROUTE_UTF8_H

#include <stddef.h>

#include "base/buf.h"

/* A continuation byte of a sequence: 10xxxxxx. */
#define UTF8_CONT_MASK	0xc0
#define UTF8_CONT	0x80
#define utf8_is_cont(c)	(((unsigned char)(c) & UTF8_CONT_MASK) == UTF8_CONT)

/*
 * The code points of the n bytes at s: the bytes that are not
 * continuation bytes (an ill-formed byte counts as one).
 */
size_t	utf8_count(const char *s, size_t n);

size_t	utf8_seqlen(const unsigned char *, size_t avail);
int	utf8_add_clean(struct buf *, const char *, size_t, size_t *nbad);
int	utf8_add_cp(struct buf *, unsigned long cp);

/*
 * The columns code point cp takes on a terminal, as wcwidth(3) counts
 * them but without the locale: 2 for the East Asian Wide and Fullwidth
 * characters (CJK ideographs, kana, Hangul syllables, fullwidth forms,
 * emoji), 0 for combining marks, zero-width characters and C0/C1
 * controls, 1 for the rest.
 */
int	utf8_cpwidth(unsigned long cp);

/*
 * The columns the n bytes at s take on a terminal: the sum of
 * utf8_cpwidth over their code points, an ill-formed byte counting one
 * column (it shows as U+FFFD).
 */
size_t	utf8_width(const char *s, size_t n);

/*
 * The length in bytes of the longest start of the n bytes at s that takes
 * at most cols columns, never cutting a character or leaving out the
 * combining marks that follow one; its width goes to *used (if not
 * NULL).
 */
size_t	utf8_prefix(const char *s, size_t n, size_t cols, size_t *used);

/*
 * Append the n bytes at s to b, padded with spaces to cols columns (after
 * them, or before them when right); s wider than cols is appended whole.
 * Returns 0 or -1 (errno from buf).
 */
int	utf8_add_padded(struct buf *b, const char *s, size_t n, size_t cols,
	    int right);

/*
 * Append s to b in exactly cols columns, left-aligned: s itself padded,
 * or, when it is wider, its end after "..." (what tells paths and names
 * apart is most often at the end).  cols must be at least 4.  Returns 0 or
 * -1 (errno from buf).
 */
int	utf8_add_fitted(struct buf *b, const char *s, size_t cols);

#endif
