/*
 * labels.h: labelled prompts, {"prompt" | "messages", "strong": Q,
 * "weak": Q, "id"?, "source"?} one per line, for eval and train.
 */
#ifndef LLMROUTE_LABELS_H
#define LLMROUTE_LABELS_H

#include <stddef.h>

#include "input/input.h"
#include "score/scorer.h"

struct label {
	struct prompt	 p;
	double		 strong;	/* quality of the strong model */
	double		 weak;		/* quality of the weak model */
	char		*source;	/* optional group for reports */
};

struct labels {
	struct label	*v;
	size_t		 n;
	double		 qmin, qmax;	/* range of all qualities */
};

int	labels_read(struct labels *, int fd, const char *name, char **cause);
double	labels_target(const struct labels *, const struct label *);
void	labels_free(struct labels *);
void	labels_score(const struct labels *, const struct scorer *,
	    double *);
void	labels_random(size_t, unsigned long seed, double *);

#endif
