/*
 * labels.h: labelled prompts, {"prompt" | "messages", "strong": Q,
 * "weak": Q, "id"?, "source"?, "confidence"?} one per line, for eval and
 * train.  "confidence", from 0 to 1 (or null: none), is how sure the
 * cheap tier's answer was, as a cascade measures it (confidence.h).
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
	int		 has_confidence;
	double		 confidence;	/* of the cheap answer, 0 to 1 */
	const char	*file;		/* read from (the caller's name) */
	size_t		 lineno;
};

struct labels {
	struct label	*v;
	size_t		 n;
	double		 qmin, qmax;	/* range of all qualities */
};

/*
 * Append every label of the lines read from fd (named name in messages)
 * to ls, which the caller zeroed or filled before and frees with
 * labels_free, whatever happens.  Lines are split as base/lines.h says;
 * blank ones are skipped.  Returns 0, or -1 with *cause naming the file,
 * the line and the field at fault (ls keeps the labels before it).
 */
int	labels_read(struct labels *ls, int fd, const char *name, char **cause);

/*
 * How much label l of ls needs the strong model, in [0, 1]: its quality
 * gap over the range of qualities in ls, no less than 0.
 */
double	labels_target(const struct labels *ls, const struct label *l);

/*
 * The percentage of the labels of ls whose weak model answers worse than
 * the strong one (weak < strong), from 0 to 100: the share of prompts
 * that need the top tier, as calibrate --strong-pct takes it.  0 when ls
 * is empty.
 */
double	labels_strong_pct(const struct labels *ls);

/*
 * The cascade's score of every label of ls into out[] (ls->n): 1 minus
 * its confidence, so that the least sure answers go to the strong model
 * first.  Returns 0, or -1 with *cause naming the file and line of the
 * first label without a confidence.
 */
int	labels_confidence(const struct labels *ls, double *out, char **cause);

/* Free the labels of ls and zero it. */
void	labels_free(struct labels *ls);

/* The score of every label of ls under scorer s into out[] (ls->n). */
void	labels_score(const struct labels *ls, const struct scorer *s,
	    double *out);

/*
 * n uniform scores in [0, 1) from seed into out[]: one draw of the
 * random router.
 */
void	labels_random(size_t n, unsigned long seed, double *out);

#endif
