/*
 * jscan.h: a pull scanner over JSON text held in memory.
 *
 * Fast and allocation-free except for decoded strings: the caller walks
 * objects and arrays member by member, decodes what it wants and skips the
 * rest.  Errors leave a static message in err and the offset in the text.
 */
#ifndef LLMROUTE_JSCAN_H
#define LLMROUTE_JSCAN_H

#include <stddef.h>

#include "base/buf.h"

enum jscan_type {
	JSCAN_END = 0,
	JSCAN_NULL,
	JSCAN_BOOL,
	JSCAN_NUM,
	JSCAN_STR,
	JSCAN_ARR,
	JSCAN_OBJ,
	JSCAN_BAD
};

#define JSCAN_MAXDEPTH	512

struct jscan {
	const char	*start;
	const char	*p;
	const char	*end;
	int		 depth;
	int		 first;
	const char	*err;
};

void	jscan_init(struct jscan *, const char *, size_t);
int	jscan_string(struct jscan *, struct buf *, size_t *nbad);
int	jscan_number(struct jscan *, double *);
int	jscan_bool(struct jscan *, int *);
int	jscan_skip(struct jscan *);
int	jscan_object_begin(struct jscan *);
int	jscan_object_next(struct jscan *, struct buf *key);
int	jscan_object_key(struct jscan *, const char **, size_t *,
	    struct buf *);
int	jscan_array_begin(struct jscan *);
int	jscan_array_next(struct jscan *);
int	jscan_finish(struct jscan *);
size_t	jscan_offset(const struct jscan *);

/* Skip white space.  Inline: it runs before every value. */
static inline void
jscan_skip_ws(struct jscan *js)
{
	while (js->p < js->end && (*js->p == ' ' || *js->p == '\n' ||
	    *js->p == '\t' || *js->p == '\r'))
		js->p++;
}

/*
 * The type of the next value, after skipping white space: JSCAN_END at the
 * end of the text, JSCAN_BAD for a byte that starts no value.
 */
static inline int
jscan_peek(struct jscan *js)
{
	jscan_skip_ws(js);
	if (js->p >= js->end)
		return JSCAN_END;
	switch (*js->p) {
	case '"':
		return JSCAN_STR;
	case '{':
		return JSCAN_OBJ;
	case '[':
		return JSCAN_ARR;
	case 't': case 'f':
		return JSCAN_BOOL;
	case 'n':
		return JSCAN_NULL;
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return JSCAN_NUM;
	default:
		return JSCAN_BAD;
	}
}

#endif
