/*
 * learn.h: what eval, train and calibrate share: reading labelled files,
 * choosing a scorer, printing router metrics.
 */
#ifndef LLMROUTE_CMD_LEARN_H
#define LLMROUTE_CMD_LEARN_H

#include "llmroute.h"

#define LEARN_RANDOM_DRAWS	100

/* A scorer chosen by name or model file. */
struct learn_scorer {
	const struct scorer	*s;	/* NULL for the random router */
	struct scorer_file	 m;
	int			 loaded;
	int			 random;
	const char		*name;
};

/* Metrics of one scorer on one set, averaged for the random router. */
struct learn_result {
	const char	*name;
	size_t		 n;
	double		 q_strong, q_weak;
	double		 apgr, cpt50, cpt80, cpt95;
	int		 has_apgr, has50, has80, has95;
	struct metrics	 m;		/* the curve (averaged if random) */
};

int	learn_read(struct labels *, int argc, char **argv);
int	learn_scorer(struct learn_scorer *, const char *);
void	learn_scorer_free(struct learn_scorer *);
int	learn_eval(const double *scores, const double *qs, const double *qw,
	    size_t n, const char *name, struct learn_result *);
int	learn_eval_random(const double *qs, const double *qw, size_t n,
	    struct learn_result *);
void	learn_row(struct buf *, const char *set, const struct learn_result *);
void	learn_head(struct buf *);
void	learn_json(struct buf *, const struct learn_result *);
void	learn_json_num(struct buf *, int first, const char *key,
	    const char *fmt, int has, double);

#endif
