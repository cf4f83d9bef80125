/*
 * suggest.c: edit distance for "did you mean".
 */
#include <stdint.h>
#include <string.h>

#include "base/suggest.h"

#include "base/banned.h"

#define SUGGEST_MAXLEN	32

static size_t
min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

size_t
suggest_distance(const char *a, const char *b)
{
	size_t	d[SUGGEST_MAXLEN + 1][SUGGEST_MAXLEN + 1];
	size_t	la = strlen(a), lb = strlen(b), i, j;

	if (la > SUGGEST_MAXLEN || lb > SUGGEST_MAXLEN)
		return SIZE_MAX;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			d[i][j] = min3(d[i - 1][j - 1] + (a[i - 1] != b[j - 1]),
			    d[i - 1][j] + 1, d[i][j - 1] + 1);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	return d[la][lb];
}

int
suggest_closest(const char *word, const char *const *names, size_t n)
{
	size_t	i, d, best = SUGGEST_EDITS + 1;
	int	k = -1;

	for (i = 0; i < n; i++) {
		d = suggest_distance(word, names[i]);
		if (d < best && d < strlen(names[i])) {
			best = d;
			k = (int)i;
		}
	}
	return k;
}
