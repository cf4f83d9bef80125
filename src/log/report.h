/*
 * report.h: summing cost log records: totals, groups, latency percentiles
 * and what other thresholds would have cost.  Memory depends on the number
 * of groups, never on the number of records.
 */
#ifndef LLMROUTE_REPORT_H
#define LLMROUTE_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "route/config.h"
#include "log/logread.h"

enum report_by {
	BY_MODEL,
	BY_TIER,
	BY_PROVIDER,
	BY_DAY,
	BY_WEEK,
	BY_MONTH,
	BY_TAG,
	BY_COUNT
};

enum report_format {
	REPORT_TABLE,
	REPORT_JSON,
	REPORT_CSV,
	REPORT_TSV
};

#define REPORT_MAXBY	4
#define REPORT_MAXWHATIF 32
#define HIST_BUCKETS	1100	/* 2% wide, 1 ms to about 33 days */

/* Status filter bits. */
#define REPORT_OK		1
#define REPORT_ERROR		2
#define REPORT_INTERRUPTED	4
#define REPORT_DRYRUN		8

struct agg {
	uint64_t	 n, ok, error, interrupted, dry, estimated;
	double		 tokens_in, tokens_out, tokens_cached;
	double		 cost, baseline;
	uint64_t	 lat_n;
	uint64_t	*hist;		/* HIST_BUCKETS counts, or NULL */
};

struct group {
	char		*key;		/* the values, joined by US (0x1f) */
	struct agg	 a;
	struct group	*next;
};

/* Groups by one combination of --by keys. */
struct gtable {
	enum report_by	 by[REPORT_MAXBY];
	size_t		 nby;
	struct group	**t;
	size_t		 nb, n;
};

struct whatif {
	double		threshold;
	double		cost;
	uint64_t	strong;		/* records sent to the strong model */
	uint64_t	n;
};

struct report {
	enum report_by	 by[REPORT_MAXBY];
	size_t		 nby;
	/* Filters. */
	int		 has_since, has_until;
	double		 since, until;
	const char	*model;
	const char	*tag;
	unsigned	 status;	/* REPORT_* bits; 0: all */
	/* What-if: two tiers, cheap below the threshold, strong above. */
	const struct model *cheap, *strong;
	struct whatif	 whatif[REPORT_MAXWHATIF];
	size_t		 nwhatif;
	double		 actual_ok;	/* cost of the records what-if saw */
	double		 baseline_ok;
	/* Sums. */
	struct agg	 total;
	struct gtable	 tabs[2];	/* --by, or tier and model */
	size_t		 ntabs;
	struct gtable	 days;		/* for charts: cost per day */
	uint64_t	 lines, damaged, filtered;
};

int	 report_init(struct report *);
int	 report_start(struct report *);
void	 report_free(struct report *);
int	 report_by_parse(const char *, enum report_by *);
const char *report_by_name(enum report_by);
int	 report_add(struct report *, const struct logview *);
int	 report_merge(struct report *, const struct report *);
double	 report_percentile(const struct agg *, double p);
struct group **report_sorted(const struct gtable *);
int	 report_render(struct report *, enum report_format, int color,
	    struct buf *);
int	 report_chart(struct report *, int width, int flags, struct buf *);
int	 report_svg(struct report *, struct buf *);

#endif
