/*
 * dryrun.h: what a dry run (-n) prints for each decision: the model's
 * name, a JSON object, or a table row, with --explain's terms.
 */
#ifndef LLMROUTE_DRYRUN_H
#define LLMROUTE_DRYRUN_H

#include <stddef.h>

#include "base/buf.h"
#include "input/input.h"
#include "route/policy.h"
#include "route/router.h"

/*
 * Append the JSON line of decision d for prompt p to b: id, score, tier,
 * model, provider, the token and cost estimates and the baseline's (with
 * d->batch, "batch" and the estimate without the batch), and with
 * why (not NULL), an "explain" member with scorer s's terms.  Returns 0
 * or -1 when memory runs out.
 */
int	dryrun_json(struct buf *b, const struct prompt *p,
	    const struct decision *d, const struct explain *why,
	    const struct scorer *s);

/*
 * Append --explain's text for p to b: the score, tier and model, then a
 * line per feature (value, weight, contribution), the n-gram term, the
 * bias and the logit.  Returns 0 or -1.
 */
int	dryrun_explain(struct buf *b, const struct prompt *p,
	    const struct decision *d, const struct explain *why,
	    const struct scorer *s);

/* The table of -f table, kept whole to align its columns. */
struct dryrun_table {
	char	**rows;		/* tab-separated cells, owned */
	size_t	  n;
	double	  cost, baseline;
};

/*
 * Add the row of decision d for prompt p to t, and its costs to the
 * totals.  A name's tabs and newlines become spaces.  Returns 0 or -1.
 */
int	dryrun_table_add(struct dryrun_table *t, const struct prompt *p,
	    const struct decision *d);

/*
 * Append t to b with aligned columns, a header (bold when color) and a
 * line of totals with the saving against the baseline.  Returns 0 or -1.
 */
int	dryrun_table_render(const struct dryrun_table *t, int color,
	    struct buf *b);

/* Free t's rows and zero it. */
void	dryrun_table_free(struct dryrun_table *t);

#endif
