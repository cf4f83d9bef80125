/*
 * report.h: summing cost log records: totals, groups, latency percentiles
 * and what other thresholds would have cost.  Memory depends on the number
 * of groups, never on the number of records.
 *
 * A report is set up (report_init(), then its settings: --by keys,
 * filters, what-if thresholds and models), started (report_start()),
 * fed records (report_add(), or whole logs through logscan.h), and
 * rendered; report_free() frees it at any point.
 */
#ifndef LLMROUTE_REPORT_H
#define LLMROUTE_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "route/config.h"
#include "log/cascsum.h"
#include "log/logread.h"

enum report_by {
	BY_MODEL,
	BY_TIER,
	BY_PROVIDER,
	BY_DAY,
	BY_WEEK,
	BY_MONTH,
	BY_TAG,
	BY_BATCH,	/* "batch" or "-" */
	BY_COUNT
};

enum report_format {
	REPORT_TABLE,
	REPORT_JSON,
	REPORT_CSV,
	REPORT_TSV,
	REPORT_FORMATS
};

#define REPORT_MAXBY		4	/* --by keys at once */
#define REPORT_MAXWHATIF	32	/* what-if thresholds */
#define REPORT_SWEEP_STEPS	10	/* the sweep: 0, 1/10, ... 1 */
#define HIST_BUCKETS		1100	/* 2% wide, 1 ms to about 33 days */

/* Status filter bits, as --status names them. */
#define REPORT_OK		(1u << 0)
#define REPORT_ERROR		(1u << 1)
#define REPORT_INTERRUPTED	(1u << 2)
#define REPORT_DRYRUN		(1u << 3)
#define REPORT_CLOSED		(1u << 4)

/* The finish_reason of an answer cut at the token limit. */
#define REPORT_TRUNCATED	"length"

/* report_chart() flags. */
#define REPORT_CHART_COLOR	(1 << 0)	/* ANSI colours */
#define REPORT_CHART_ASCII	(1 << 1)	/* '#' and '-', not blocks */
#define REPORT_CHART_MINWIDTH	10		/* columns of bars, at least */

struct agg {
	uint64_t	 n, ok, error, interrupted, dry, estimated;
	uint64_t	 truncated;	/* answers cut at the token limit */
	uint64_t	 batch;		/* requests of provider batches */
	double		 batch_cost;	/* their cost */
	double		 unbatched;	/* theirs without the batch price */
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
	int		 batch;		/* 1: only batch requests, -1: none,
					   0: all */
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
	struct cascsum	 cascade;	/* cascades' calls */
	uint64_t	 lines, damaged, filtered;
};

/* Zero r: no keys, no filters, no what-if.  Returns 0. */
int	report_init(struct report *r);

/*
 * Add the comma-separated --by keys of list ("model,day") to r's.
 * Returns 0, or -1 with *cause (caller frees) naming an unknown key and
 * the known ones, or saying there are more than REPORT_MAXBY.
 */
int	report_by_list(struct report *r, const char *list, char **cause);

/*
 * Add the comma-separated statuses of list ("ok", "error",
 * "interrupted", which takes in "closed", "closed", "dry-run") to r's
 * status filter.  Returns 0, or -1 with
 * *cause naming an unknown status and the known ones.
 */
int	report_status_list(struct report *r, const char *list, char **cause);

/*
 * The format called name ("table", "json", "csv", "tsv") into *format.
 * Returns 0, or -1 with *cause saying what was expected.
 */
int	report_format_parse(const char *name, enum report_format *format,
	    char **cause);

/*
 * Price what-if at cfg's first tier's model below a threshold and its
 * last tier's at or above it (cfg must outlive r).  Never fails.
 */
void	report_whatif_models(struct report *r, const struct config *cfg);

/*
 * Add what-if threshold x (0 to 1).  Returns 0, or -1 with *cause when r
 * has REPORT_MAXWHATIF already.
 */
int	report_whatif_add(struct report *r, double x, char **cause);

/*
 * Add the thresholds of the sweep, 0 to 1 in REPORT_SWEEP_STEPS steps.
 * Returns 0, or -1 with *cause as report_whatif_add().
 */
int	report_whatif_sweep(struct report *r, char **cause);

/*
 * Set up the group tables from r's settings: one table for --by, else
 * two, by tier and by model.  Returns 0, or -1 when memory runs out
 * (report_free() then frees what was set up).
 */
int	report_start(struct report *r);

/* Free what r holds and zero it, settings included.  Never fails. */
void	report_free(struct report *r);

/*
 * Add one parsed record (the caller counts lines and damage).  Returns 1
 * when it was added, 0 when a filter left it out, -1 when memory ran out
 * (r's sums are then partial).
 */
int	report_add(struct report *r, const struct logview *v);

/*
 * Add everything src summed into dst; both were set up alike (the same
 * --by, filters and what-if) and started.  Lets several readers share a
 * log.  src is left alone.  Returns 0, or -1 when memory runs out.
 */
int	report_merge(struct report *dst, const struct report *src);

/*
 * The p-th percentile (0 to 100) of a's latencies in ms: the geometric
 * middle of the bucket holding it, so within about 1%; NAN when a has
 * none.
 */
double	report_percentile(const struct agg *a, double p);

/*
 * Append the report in format f to b: the totals, then each group table
 * (by --by, or by tier and by model), then what-if.  JSON carries the
 * first group table and what-if; CSV and TSV, one table a file, carry
 * what-if when thresholds were given and the first group table
 * otherwise.  color: ANSI bold headers (table only).  Returns 0, or -1
 * when memory runs out.
 */
int	report_render(struct report *r, enum report_format f, int color,
	    struct buf *b);

/*
 * Append daily cost against the baseline to b as horizontal bars, width
 * columns wide (at least REPORT_CHART_MINWIDTH), the cost bar drawn over
 * the baseline bar; flags are REPORT_CHART_* bits.  Returns 0, or -1 when
 * memory runs out.
 */
int	report_chart(struct report *r, int width, int flags, struct buf *b);

/*
 * Append the same chart to b as a standalone SVG document.  Returns 0,
 * or -1 when memory runs out.
 */
int	report_svg(struct report *r, struct buf *b);

#endif
