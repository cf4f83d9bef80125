/*
 * calibrate.h: tier bounds from a sample of the user's own prompts: the
 * bound that sends a share of them to the top tier, the bounds that give
 * each tier its share, or the most top-tier calls a budget buys; and what
 * the new bounds do to the sample.
 */
#ifndef LLMROUTE_CALIBRATE_H
#define LLMROUTE_CALIBRATE_H

#include <stddef.h>

#include "base/buf.h"
#include "input/input.h"
#include "route/config.h"
#include "score/scorer.h"

/* The prompts of a sample, as route sees them. */
struct calibrate_sample {
	double	*score;
	double	*tokens;	/* estimated input tokens */
	size_t	 n, cap;
};

#define CALIBRATE_SAMPLE_INIT	{ .score = NULL, .tokens = NULL, .n = 0 }

enum calibrate_mode {
	CALIBRATE_STRONG_PCT,	/* the top tier takes strong_pct % */
	CALIBRATE_SHARES,	/* tier i takes shares[i] % */
	CALIBRATE_MAX_COST	/* the sample costs at most max_cost */
};

/* What the bounds are chosen for. */
struct calibrate_target {
	enum calibrate_mode	 mode;
	double			 strong_pct;	/* 0 to 100 */
	const double		*shares;	/* one a tier, cheapest first */
	double			 max_cost;	/* USD */
};

/* What the new bounds do to the sample. */
struct calibrate_result {
	size_t		 n;		/* prompts */
	size_t		 ntiers;
	size_t		*count;		/* prompts of each tier */
	double		 cost;		/* USD, estimated */
	double		 baseline;	/* USD, all at the baseline model */
	/* CALIBRATE_MAX_COST: the sample all at the first tier's model. */
	const char	*cheap_model;
	double		 cheap_cost;
	int		 over_budget;	/* even cheap_cost is over max_cost */
};

/*
 * Add prompt p, scored by s, to the sample.  Returns 0, or -1 when memory
 * runs out.
 */
int	calibrate_add(struct calibrate_sample *sm, const struct scorer *s,
	    const struct prompt *p);

/*
 * Add the prompts read from fd (named name), scored by s, to the sample:
 * the whole file or, with jsonl, each of its JSON Lines records, of at
 * most max bytes.  A prompt that cannot be used is left out, as route
 * leaves it out, after a call of skip(arg, why) (why is skip's only for
 * the call).  Returns 0, or -1 when memory runs out.
 */
int	calibrate_read(struct calibrate_sample *sm, const struct scorer *s,
	    int fd, const char *name, int jsonl, size_t max,
	    void (*skip)(void *arg, const char *why), void *arg);

void	calibrate_sample_free(struct calibrate_sample *sm);

/*
 * The list of shares "P,P,..." for ntiers tiers into *shares (ntiers of
 * them, which the caller frees): one percentage a tier, adding up to 100.
 * Returns 0, or -1 with *cause (*shares is then NULL).
 */
int	calibrate_shares(const char *list, size_t ntiers, double **shares,
	    char **cause);

/*
 * Choose the bounds of cfg's tiers (their max_score, of every tier but
 * the last) for target t on the sample sm, in [0, 1] and growing, and
 * measure them on it into r (which the caller frees with
 * calibrate_result_free, whatever happens).  cfg needs two tiers or more
 * and sm a prompt or more.  Returns 0, or -1 with *cause.
 */
int	calibrate_run(struct config *cfg, const struct calibrate_sample *sm,
	    const struct calibrate_target *t, struct calibrate_result *r,
	    char **cause);

void	calibrate_result_free(struct calibrate_result *r);

/* A cascade threshold chosen on the labels' confidences. */
struct calibrate_cascade {
	size_t	 n;		/* confidences */
	double	 pct;		/* the share of escalations asked, % */
	double	 threshold;	/* 0 to 1 */
	size_t	 escalated;	/* confidences under it */
};

/*
 * The cascade threshold that escalates pct % (0 to 100) of the n
 * confidences conf (each 0 to 1; not changed) into *out: k = pct n / 100
 * rounded, and the threshold halfway between the k-th and the (k+1)-th
 * least confidence (0 for k = 0, 1 for k = n), so that the k least
 * confident answers are under it; ties may make it fewer (out->escalated
 * says how many).  Returns 0, or -1 when n is 0 or memory runs out.
 */
int	calibrate_cascade(const double *conf, size_t n, double pct,
	    struct calibrate_cascade *out);

/* c as the text calibrate --cascade prints, and as one JSON line. */
void	calibrate_cascade_table(struct buf *b,
	    const struct calibrate_cascade *c);
void	calibrate_cascade_json(struct buf *b,
	    const struct calibrate_cascade *c);

/* r with the bounds of cfg as the text table calibrate prints. */
void	calibrate_table(struct buf *b, const struct config *cfg,
	    const struct calibrate_result *r);

/* r with the bounds of cfg as one JSON line. */
void	calibrate_json(struct buf *b, const struct config *cfg,
	    const struct calibrate_result *r);

/*
 * Append to b the command that calibrates the tier bounds for the model
 * file model: "llmroute calibrate --scorer-model MODEL --jsonl
 * --strong-pct PCT --write FILE...", each path one shell word (quoted
 * when it needs it), PROMPTS.jsonl standing in when n is 0.  Returns 0,
 * or -1 when b cannot grow.
 */
int	calibrate_command(struct buf *b, const char *model, double pct,
	    char *const *files, int n);

#endif
