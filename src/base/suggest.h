/*
 * suggest.h: "did you mean": the known name closest to a mistyped one.
 */
#ifndef LLMROUTE_SUGGEST_H
#define LLMROUTE_SUGGEST_H

#include <stddef.h>

#define SUGGEST_EDITS	2	/* the most edits a suggestion is away */

/*
 * The edits (insert, delete, substitute, swap two neighbours: Damerau's
 * distance) that turn a into b; SIZE_MAX for words over 32 bytes.
 */
size_t	suggest_distance(const char *a, const char *b);

/*
 * The index of the name of names (n of them) closest to word, at most
 * SUGGEST_EDITS edits away and fewer edits than the name is long (so a
 * word is never "close" to a short name it shares nothing with), or -1
 * when none is.  Ties go to the first.
 */
int	suggest_closest(const char *word, const char *const *names, size_t n);

#endif
