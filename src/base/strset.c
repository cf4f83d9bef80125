/*
 * strset.c: a string set; kept at most half full, so probes stay short.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/strset.h"

#include "base/banned.h"

#define STRSET_FIRST_CAP	64
#define FNV_OFFSET		14695981039346656037ULL
#define FNV_PRIME		1099511628211ULL

static uint64_t
hash(const char *s, size_t len)
{
	uint64_t	h = FNV_OFFSET;
	size_t		i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * FNV_PRIME;
	return h;
}

/* The slot of s: where it is, or the free one where it would go. */
static size_t
find(const struct strset *set, const char *s, size_t len)
{
	size_t i = (size_t)hash(s, len) & (set->cap - 1);

	while (set->slot[i] != NULL && (strncmp(set->slot[i], s, len) != 0 ||
	    set->slot[i][len] != '\0'))
		i = (i + 1) & (set->cap - 1);
	return i;
}

void
strset_init(struct strset *set)
{
	memset(set, 0, sizeof *set);
}

static int
grow(struct strset *set)
{
	struct strset	bigger;
	size_t		i;

	bigger.cap = set->cap ? set->cap * 2 : STRSET_FIRST_CAP;
	bigger.n = set->n;
	if (bigger.cap < set->cap ||
	    (bigger.slot = calloc(bigger.cap, sizeof *bigger.slot)) == NULL)
		return -1;
	for (i = 0; i < set->cap; i++)
		if (set->slot[i] != NULL)
			bigger.slot[find(&bigger, set->slot[i],
			    strlen(set->slot[i]))] = set->slot[i];
	free(set->slot);
	*set = bigger;
	return 0;
}

int
strset_add(struct strset *set, const char *s, size_t len)
{
	size_t	 i;
	char	*copy;

	if (set->cap > 0 && set->slot[find(set, s, len)] != NULL)
		return 0;
	if ((set->n + 1) * 2 > set->cap && grow(set) == -1)
		return -1;
	if ((copy = strndup(s, len)) == NULL)
		return -1;
	i = find(set, s, len);
	set->slot[i] = copy;
	set->n++;
	return 1;
}

int
strset_has(const struct strset *set, const char *s, size_t len)
{
	return set->cap > 0 && set->slot[find(set, s, len)] != NULL;
}

void
strset_free(struct strset *set)
{
	size_t i;

	for (i = 0; i < set->cap; i++)
		free(set->slot[i]);
	free(set->slot);
	strset_init(set);
}
