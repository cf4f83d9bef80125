/*
 * strset.h: a set of strings, for ids seen (answered before, or given
 * twice).  Open addressing with FNV-1a hashes; the set owns copies.
 */
#ifndef LLMROUTE_STRSET_H
#define LLMROUTE_STRSET_H

#include <stddef.h>

struct strset {
	char	**slot;		/* NULL: free */
	size_t	  cap;		/* a power of two, or 0 */
	size_t	  n;
};

/* An empty set; never fails.  Free with strset_free. */
void	strset_init(struct strset *set);

/*
 * Add a copy of the len bytes at s (a string may hold no NUL).  Returns
 * 1 when it was added, 0 when it was there already, -1 when memory ran
 * out (the set is unchanged).
 */
int	strset_add(struct strset *set, const char *s, size_t len);

/* Whether the len bytes at s are in the set. */
int	strset_has(const struct strset *set, const char *s, size_t len);

/* Free every string and the table; the set is empty and usable. */
void	strset_free(struct strset *set);

#endif
