/*
 * num.h: checked number parsing and locale-independent formatting.
 */
#ifndef LLMROUTE_NUM_H
#define LLMROUTE_NUM_H

#include <stddef.h>

int	 num_parse_double(const char *, double min, double max, double *);
int	 num_parse_size(const char *, size_t min, size_t max, size_t *);
char	*num_fmt(char *dst, size_t dstlen, const char *fmt, double v);

/*
 * An amount of money (USD) for people, into dst (NUM_FMTLEN bytes is
 * enough), without the unit: two decimals from 1 up ("12.50"), and below 1
 * as many decimals as three significant digits need ("0.500", "0.0123",
 * "0.000123"), at most NUM_MONEY_MAXDEC; 0 is "0.00", a negative amount
 * has its sign, what is not finite is "null".  Never depends on the
 * locale.  Machine output (JSON, CSV) keeps full precision and does not
 * use this.  Returns dst.
 */
char	*num_money(char *dst, size_t dstlen, double usd);

#define NUM_FMTLEN	64
#define NUM_MONEY_MAXDEC	10

#endif
