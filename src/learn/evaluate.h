/*
 * evaluate.h: a scorer measured on labelled prompts.  The metrics of
 * metrics.h with the cost points eval and train print (CPT at 50, 80 and
 * 95% of the quality gap), the random router averaged over seeded draws,
 * and the text both commands print: rows of a table, JSON objects, and
 * the whole report of "llmroute eval".
 */
#ifndef LLMROUTE_EVALUATE_H
#define LLMROUTE_EVALUATE_H

#include <stddef.h>

#include "base/buf.h"
#include "learn/labels.h"
#include "learn/metrics.h"
#include "route/config.h"
#include "score/scorer.h"
#include "score/scorer_file.h"

#define EVALUATE_ALL		"all"		/* the set of every label */
#define EVALUATE_RANDOM		"random"	/* the random router's name */
#define EVALUATE_CONFIDENCE	"confidence"	/* a cascade, on the labels'
						   confidences */
#define EVALUATE_RANDOM_DRAWS	100		/* draws it is averaged over */

/* The cost points reported: the least % of strong calls for 50, 80 and
 * 95% of the quality gap. */
enum evaluate_cpt {
	EVALUATE_CPT50,
	EVALUATE_CPT80,
	EVALUATE_CPT95,
	EVALUATE_NCPT
};

/*
 * One scorer on one set of labels.  For the random router every figure
 * is the mean over its draws: the curve point by point, APGR and each
 * CPT over the draws that have one.
 */
struct evaluate_result {
	const char	*name;		/* the scorer's; borrowed */
	struct metrics	 m;		/* n, qualities, curve, APGR */
	double		 cpt[EVALUATE_NCPT];
	int		 has_cpt[EVALUATE_NCPT];	/* reached */
};

/*
 * The scorer eval measures, by name: "random" (the random router: *s is
 * NULL) or whatever scorer_choose() accepts, a scorer file being loaded
 * into *file (which the caller zeroed and frees with scorer_file_free).
 * Returns 0, or -1 with *cause.
 */
int	evaluate_scorer(const char *name, struct scorer_file *file,
	    const struct scorer **s, char **cause);

/*
 * The metrics, under the name name, of the labels of ls in the set set
 * (a label's source, or EVALUATE_ALL for every label) scored score[i]
 * (one a label of ls, the others ignored); score NULL measures the random
 * router instead.  Returns 0, or -1 when the set is empty or memory runs
 * out.
 */
int	evaluate_set(const struct labels *ls, const char *set,
	    const double *score, const char *name, struct evaluate_result *r);

/*
 * The sets of ls: EVALUATE_ALL, then each distinct source in the order
 * met, unless there is only one; NULL-terminated.  The strings belong to
 * ls; the caller frees the array.  Returns NULL when memory runs out.
 */
const char **evaluate_sets(const struct labels *ls);

/* The header of the table of evaluate_row(). */
void	evaluate_head(struct buf *b);

/*
 * r as one row of a table, in the set named set.  A set or scorer name
 * wider than its column (a scorer file's path) shows its end after
 * "...", so the columns stay under their heads.
 */
void	evaluate_row(struct buf *b, const char *set,
	    const struct evaluate_result *r);

/* r as a JSON object, without a newline. */
void	evaluate_json(struct buf *b, const struct evaluate_result *r);

/*
 * What "llmroute eval" reports: a scorer next to the length and random
 * baselines, and the cost those figures save routing between the cheapest
 * and the top tier's models.
 */
struct evaluate_report {
	struct evaluate_result	 result, length, random;
	struct evaluate_result	 prompt;	/* has_prompt: the built-in
						   prompt scorer, next to a
						   cascade */
	int			 has_prompt;
	const struct model	*strong;	/* the top tier's; borrowed */
	const struct model	*weak;		/* the first tier's */
	double			 cost_strong;	/* USD, every label at strong */
	double			 cost_weak;
};

/*
 * Measure the scorer s (NULL: the random router) on every label of ls,
 * with the tiers of cfg, into rep.  Returns 0, or -1 when ls is empty or
 * memory runs out.
 */
int	evaluate_report(const struct labels *ls, const struct scorer *s,
	    const struct config *cfg, struct evaluate_report *rep);

/*
 * Measure a cascade on every label of ls into rep, as evaluate_report
 * does: the labels' confidences as its scores (labels_confidence: the
 * least sure answers escalate first), next to the built-in prompt scorer
 * s (rep->prompt), the length and the random router.  Returns 0, or -1
 * with *cause when a label has no confidence, ls is empty or memory runs
 * out.
 */
int	evaluate_report_confidence(const struct labels *ls,
	    const struct scorer *s, const struct config *cfg,
	    struct evaluate_report *rep, char **cause);

/*
 * The % of cost_strong saved when a share cpt % of the prompts goes to
 * the strong model and the others to the weak one.
 */
double	evaluate_saved(double cpt, double cost_strong, double cost_weak);

/* rep as the text table eval prints, its curve included. */
void	evaluate_report_table(struct buf *b, const struct evaluate_report *rep);

/* rep as one JSON line. */
void	evaluate_report_json(struct buf *b, const struct evaluate_report *rep);

#endif
