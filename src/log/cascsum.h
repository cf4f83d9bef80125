/*
 * cascsum.h: what cascades cost, summed from cost log records for the
 * report: how many cheap answers escalated, what those cheap first tries
 * cost, the savings net of them against the all-premium baseline, and
 * what other cascade thresholds would have done, from the confidences
 * logged.  Memory is fixed: confidences are kept in buckets of 0.01.
 */
#ifndef LLMROUTE_CASCSUM_H
#define LLMROUTE_CASCSUM_H

#include <stdint.h>

#include "base/buf.h"
#include "log/logread.h"

#define CASCSUM_BUCKETS		101	/* confidence 0, 0.01, ... 1 */
#define CASCSUM_STEPS		10	/* what-if at 0, 0.1, ... 1 */

struct cascsum {
	uint64_t	cheap;		/* cheap records: cascades begun */
	uint64_t	escalated;	/* of them, escalated */
	uint64_t	premium;	/* premium records */
	double		cheap_cost;	/* of every cheap record, and of
					   the verify calls */
	double		wasted;		/* of the cheap records escalated */
	double		premium_cost;
	double		cost, baseline;	/* of every cascade record */
	double		kept_cost, kept_baseline; /* cheap records kept */
	/* Cheap records with a confidence, by floor(100 c). */
	uint64_t	n[CASCSUM_BUCKETS];
	double		c[CASCSUM_BUCKETS];	/* their cheap cost */
	uint64_t	noconf_escalated;	/* without one, as decided */
	double		noconf_cost;
};

/* A what-if point: the cascade at one threshold. */
struct cascsum_point {
	double	threshold;
	double	escalated_pct;	/* of the cheap answers */
	double	cost;		/* USD, estimated */
	double	saved_pct;	/* against the baseline */
};

/* Add record v, if it is a cascade's call with status ok.  Never fails. */
void	cascsum_add(struct cascsum *s, const struct logview *v);

/* Add what src summed to dst. */
void	cascsum_merge(struct cascsum *dst, const struct cascsum *src);

/*
 * The ratio that prices an escalation: what the next tier cost per USD
 * of cheap answer, from the escalated prompts (premium cost over their
 * cheap cost), else from the kept ones (their baseline over their cost),
 * else 0.
 */
double	cascsum_ratio(const struct cascsum *s);

/*
 * What threshold t (0 to 1) would have done into *p: every cheap answer
 * with a confidence under t escalates, those without one as they did.
 * Its cost is every cheap call plus, for each escalation, its cheap cost
 * times cascsum_ratio; the baseline is the one logged.
 */
void	cascsum_whatif(const struct cascsum *s, double t,
	    struct cascsum_point *p);

/*
 * Append the cascade part of a table report to b (nothing when there
 * were no cascades): the counts, costs and net saving, and the what-if
 * at 0, 0.1, ... 1.  Returns 0, or -1 when b cannot grow.
 */
int	cascsum_table(const struct cascsum *s, struct buf *b);

/*
 * Append ,"cascade":{...} to b, the same as JSON (nothing when there were
 * no cascades).  Returns 0, or -1.
 */
int	cascsum_json(const struct cascsum *s, struct buf *b);

#endif
