/*
 * num.h: checked number parsing and locale-independent formatting.
 */
#ifndef LLMROUTE_NUM_H
#define LLMROUTE_NUM_H

#include <stddef.h>

int	 num_parse_double(const char *, double min, double max, double *);
int	 num_parse_size(const char *, size_t min, size_t max, size_t *);
char	*num_fmt(char *dst, size_t dstlen, const char *fmt, double v);

#define NUM_FMTLEN	64

#endif
