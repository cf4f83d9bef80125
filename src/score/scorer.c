/*
 * scorer.c: the weights that turn features into a score.  The weights are
 * data, one table per scorer, so that a fitted model can replace them.
 *
 * The heuristic table is set by hand around prompt length, the strongest
 * single signal on public router benchmarks; the other features nudge the
 * score and were checked not to rank the labelled prompts of the project's
 * training data worse than length alone (bench/quality.py).  The built-in
 * scorer is the model fitted by "make weights" (weights.c).
 */
#include <math.h>
#include <string.h>

#include "score/weights.h"
#include "score/ngram.h"
#include "score/scorer.h"

#include "base/banned.h"

/* The least probability whose logit the memory's part is taken from. */
#define SCORER_P_MIN	1e-12

const struct scorer scorer_heuristic = {
	.name = "heuristic",
	.bias = -3.2,
	.w = {
		[FEAT_LENGTH] = 0.45,
		[FEAT_SENTENCES] = 0.05,
		[FEAT_QUESTIONS] = 0.4,
		[FEAT_CODE] = 0.1,
		[FEAT_MATH] = 0.25,
		[FEAT_REASONING] = 0.25,
		[FEAT_MULTIPART] = 0.08,
		[FEAT_CONSTRAINTS] = 0.05,
		[FEAT_DOMAIN] = 0.08,
		[FEAT_SIMPLE] = -0.15,
		[FEAT_CHOICE] = -0.3,
		[FEAT_NONENGLISH] = 0.2,
	},
};

/* Length alone, on the same scale: the baseline every scorer must beat. */
const struct scorer scorer_length = {
	.name = "length",
	.bias = -3.2,
	.w = { [FEAT_LENGTH] = 0.45 },
};

double
scorer_value(const struct scorer *s, const struct features *f, int i)
{
	double v = f->v[i];

	return s->cap[i] > 0 && v > s->cap[i] ? s->cap[i] : v;
}

/* The logit of p, kept finite. */
static double
logit(double p)
{
	if (p < SCORER_P_MIN)
		p = SCORER_P_MIN;
	if (p > 1 - SCORER_P_MIN)
		p = 1 - SCORER_P_MIN;
	return log(p / (1 - p));
}

/*
 * The linear probability moved by the memory's neighbours of text, and
 * what that adds to the logit into *part.
 */
static double
with_memory(const struct memory *m, double p, const char *text, size_t len,
    double *part)
{
	double est, mass, q;

	*part = 0;
	if (memory_score(m, text, len, &est, &mass) == -1 || mass <= 0)
		return p;
	q = memory_blend(m, p, est, mass);
	*part = logit(q) - logit(p);
	return q;
}

/*
 * The logistic of the linear sum plus, for a scorer with n-grams, their
 * term over text (ngram_sum), blended with the memory's neighbours when
 * it has one; a scorer without either never reads text.
 */
double
scorer_score(const struct scorer *s, const struct features *f,
    const char *text, size_t len, double contrib[FEAT_COUNT],
    double *ngram_part, double *memory_part)
{
	double	z = s->bias, t, ng = 0, p, mp = 0;
	int	i;

	for (i = 0; i < FEAT_COUNT; i++) {
		t = s->w[i] * scorer_value(s, f, i);
		if (contrib != NULL)
			contrib[i] = t;
		z += t;
	}
	if (s->ngram != NULL)
		ng = ngram_sum(text, len, s->hash_bits, s->ngram);
	if (ngram_part != NULL)
		*ngram_part = ng;
	p = 1.0 / (1.0 + exp(-(z + ng)));
	if (s->memory != NULL)
		p = with_memory(s->memory, p, text, len, &mp);
	if (memory_part != NULL)
		*memory_part = mp;
	return p;
}

/*
 * The built-in scorer: the weights fitted by "make weights" (weights.c),
 * its n-gram table used in place.
 */
const struct scorer *
scorer_builtin(void)
{
	static struct scorer	 s;
	const struct weights	*d = &weights_builtin;

	if (s.name == NULL) {
		s.bias = d->bias;
		memcpy(s.w, d->w, sizeof s.w);
		memcpy(s.cap, d->cap, sizeof s.cap);
		if (d->hash_bits > 0) {
			s.hash_bits = d->hash_bits;
			s.ngram = d->table;
		}
		s.name = "builtin";
	}
	return &s;
}

/* The compiled-in scorer called name, or NULL. */
const struct scorer *
scorer_find(const char *name)
{
	const struct scorer	*all[] = {
		scorer_builtin(), &scorer_heuristic, &scorer_length
	};
	size_t			 i;

	for (i = 0; i < sizeof all / sizeof all[0]; i++)
		if (strcmp(name, all[i]->name) == 0)
			return all[i];
	return NULL;
}
