/*
 * timefmt.h: the times of the cost log: RFC 3339 stamps in UTC, calendar
 * buckets and the --since/--until forms.
 */
#ifndef LLMROUTE_TIMEFMT_H
#define LLMROUTE_TIMEFMT_H

#include <stddef.h>

enum time_bucket {
	BUCKET_DAY,		/* 2026-11-28 */
	BUCKET_WEEK,		/* 2026-W48 (ISO 8601) */
	BUCKET_MONTH		/* 2026-11 */
};

long	timefmt_days(long y, unsigned m, unsigned d);
int	timefmt_parse(const char *, size_t, double *);
int	timefmt_arg(const char *, double now, double *);
size_t	timefmt_bucket(double, enum time_bucket, char *, size_t);

#endif
