/*
 * folds.h: k-fold cross-validation of train.h's fit: every labelled
 * prompt scored by a model fitted on the other folds, measured per set
 * next to the length, heuristic and random baselines.
 */
#ifndef LLMROUTE_FOLDS_H
#define LLMROUTE_FOLDS_H

#include <stddef.h>

#include "base/buf.h"
#include "learn/evaluate.h"
#include "learn/labels.h"
#include "learn/train.h"

/*
 * The fold seed's scramble: the state of the generator (rng.h) that deals
 * the folds is seed * FOLDS_SEED_MUL + FOLDS_SEED_ADD, so that the folds
 * do not follow the visiting order of the fit with the same seed.
 */
#define FOLDS_SEED_MUL	2654435761UL	/* Knuth's multiplicative hash */
#define FOLDS_SEED_ADD	1UL

/* The scorers of a report, in the order printed. */
enum folds_scorer {
	FOLDS_TRAINED,		/* cross-validated */
	FOLDS_LENGTH,
	FOLDS_HEURISTIC,
	FOLDS_RANDOM,
	FOLDS_NSCORERS
};

/* What "llmroute train --folds K" reports. */
struct folds_report {
	int			 k;
	unsigned long		 seed;
	const char		**sets;		/* evaluate_sets() */
	size_t			 nsets;
	/* res[set * FOLDS_NSCORERS + scorer] */
	struct evaluate_result	*res;
};

/*
 * Deal the n examples into k folds (k >= 1): fold[i] in [0, k), from a
 * Fisher-Yates shuffle of the generator seeded from seed (FOLDS_SEED_*),
 * the shuffled order dealt round-robin.  Returns 0, or -1 when memory
 * runs out.
 */
int	folds_assign(size_t n, int k, unsigned long seed, size_t *fold);

/*
 * Score each of the n examples ex into pred[i] with a model fitted with
 * o on the examples of the other k folds (folds_assign with o->seed),
 * o's choice made first on those folds when it asks for --auto.
 * Returns 0, or -1 with *cause.
 */
int	folds_predict(const struct train_example *ex, size_t n,
	    const struct train_opts *o, int k, double *pred, char **cause);

/*
 * The options --auto fits with: every row of a fixed grid (l2, epochs,
 * hash bits, the memory, length alone or a pull towards it) applied to
 * o and cross-validated with 2 folds on the n examples ex, the one of the
 * highest APGR (on the examples' qualities, or their labels when they
 * have none) into *chosen, and that APGR into *apgr (NULL: not wanted;
 * -2 when too few examples to measure: chosen is then length alone).  A
 * tie goes to the simpler row.  Deterministic for o's seed.  Returns 0,
 * or -1 with *cause.
 */
int	folds_auto(const struct train_example *ex, size_t n,
	    const struct train_opts *o, struct train_opts *chosen,
	    double *apgr, char **cause);

/*
 * Cross-validate with k folds the fit with o of the examples ex, one a
 * label of ls, and measure it and the baselines on every set of ls into
 * rep (which the caller frees with folds_free, whatever happens).
 * Returns 0, or -1 with *cause.
 */
int	folds_run(const struct labels *ls, const struct train_example *ex,
	    const struct train_opts *o, int k, struct folds_report *rep,
	    char **cause);

/* rep as the text table train prints. */
void	folds_table(struct buf *b, const struct folds_report *rep);

/* rep as one JSON line. */
void	folds_json(struct buf *b, const struct folds_report *rep);

/*
 * Whether the cross-validated model of rep beat prompt length on every
 * label (the set EVALUATE_ALL): 1 when its APGR is higher, -1 when it is
 * not, 0 when there is no quality gap to measure.  The two APGRs go to
 * *trained and *length (0 when not measured).
 */
int	folds_beats_length(const struct folds_report *rep, double *trained,
	    double *length);

void	folds_free(struct folds_report *rep);

#endif
