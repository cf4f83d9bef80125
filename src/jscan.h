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

#include "buf.h"

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
int	jscan_peek(struct jscan *);
int	jscan_string(struct jscan *, struct buf *, size_t *nbad);
int	jscan_number(struct jscan *, double *);
int	jscan_bool(struct jscan *, int *);
int	jscan_skip(struct jscan *);
int	jscan_object_begin(struct jscan *);
int	jscan_object_next(struct jscan *, struct buf *key);
int	jscan_array_begin(struct jscan *);
int	jscan_array_next(struct jscan *);
int	jscan_finish(struct jscan *);
size_t	jscan_offset(const struct jscan *);

#endif
