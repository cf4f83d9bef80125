/*
 * utf8.h: UTF-8 validation.
 */
#ifndef LLMROUTE_UTF8_H
#define LLMROUTE_UTF8_H

#include <stddef.h>

#include "base/buf.h"

size_t	utf8_seqlen(const unsigned char *, size_t avail);
int	utf8_add_clean(struct buf *, const char *, size_t, size_t *nbad);
int	utf8_add_cp(struct buf *, unsigned long cp);

#endif
