/*
 * train.h: fitting a scorer to labelled prompts.
 */
#ifndef LLMROUTE_TRAIN_H
#define LLMROUTE_TRAIN_H

#include <stddef.h>

#include "learn/labels.h"
#include "score/features.h"
#include "score/scorer_file.h"

/* One labelled prompt. */
struct train_example {
	const char	*text;
	size_t		 len;
	struct features	 f;
	double		 y;		/* how much it needs the strong model */
	double		 strong, weak;	/* its qualities (equal: unknown) */
	double		 weight;	/* of its loss; 0 counts as 1 */
};

struct train_opts {
	unsigned	hash_bits;	/* 0: features only, no n-grams */
	int		epochs;
	double		l2;
	double		lr;
	unsigned long	seed;
	/*
	 * A prior for the feature weights: they start at prior's and an L2
	 * penalty of prior_l2 pulls them back towards it, so the fit adds
	 * to the hand-set scorer rather than replacing it.  When the prior
	 * has n-gram weights of hash_bits, the n-gram weights start at those
	 * and l2 pulls them back towards them.  NULL: none.
	 */
	const struct scorer *prior;
	double		prior_l2;
	/*
	 * The memory (memory.h): the neighbours of a prompt among the
	 * examples, memory_k of them (0: no memory), shrunk towards the
	 * linear score by memory_shrink.
	 */
	unsigned	memory_k;
	double		memory_shrink;
	/*
	 * Choose l2, epochs, hash bits, the memory and a pull towards
	 * length by inner cross-validation (folds_auto); train_fit itself
	 * ignores it.
	 */
	int		autotune;
};

/*
 * Fit a model to the n examples ex with options o into m (which the
 * caller frees with scorer_file_free, and which is zeroed first).  The
 * same examples, options and seed give the same model, bit for bit.
 * Returns 0, or -1 with *cause.
 */
int	train_fit(const struct train_example *ex, size_t n,
	    const struct train_opts *o, struct scorer_file *m, char **cause);

/*
 * Start o from the scorer named name, as scorer_choose() finds it (a
 * scorer file being loaded into *file, which the caller zeroed and frees
 * with scorer_file_free).  Its n-gram weights are only of use at their
 * own width: o's hash_bits become theirs, unless keep_bits, when another
 * width is an error.  Returns 0, or -1 with *cause.
 */
int	train_prior(struct train_opts *o, const char *name,
	    struct scorer_file *file, int keep_bits, char **cause);

/*
 * One example a label of ls, in its order: the prompt's text (borrowed
 * from ls, which must outlive the examples), its features, and its
 * target labels_target().  The caller frees the array.  Returns NULL
 * when memory runs out.
 */
struct train_example *train_examples(const struct labels *ls);

/*
 * What a model fitted with o on n examples says it was fitted on (its
 * "about"): data names the data (the user's words or a file name), more
 * says other files came too, feedback that verdicts were joined.
 * Returns a string the caller frees, or NULL when memory runs out.
 */
char	*train_about(const struct train_opts *o, size_t n, const char *data,
	    int more, int feedback);

#endif
