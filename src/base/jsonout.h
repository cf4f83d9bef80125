/*
 * jsonout.h: writing JSON text into a buf.
 */
#ifndef LLMROUTE_JSONOUT_H
#define LLMROUTE_JSONOUT_H

#include <stddef.h>

#include "base/buf.h"

int	jsonout_str(struct buf *, const char *, size_t);
int	jsonout_cstr(struct buf *, const char *);
int	jsonout_num(struct buf *, const char *fmt, double);
int	jsonout_key(struct buf *, int first, const char *);
int	jsonout_fixed(struct buf *, double, int decimals);

#endif
