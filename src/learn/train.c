/*
 * train.c: logistic regression with L2, fitted by stochastic gradient
 * descent with AdaGrad steps, on the heuristic features (standardised)
 * and the hashed word n-grams of each prompt (ngram.c: their mean, within
 * NGRAM_BOUND).  The labels are soft, in [0, 1]: the cross-entropy to a
 * soft label is still convex.  A prior's feature caps (scorer.h) hold in
 * the fit and pass to the model: the fit sees the values the scorer
 * will weigh.
 *
 * With memory_k, the model then remembers the examples (memory.h), each
 * with what the linear model missed on it.
 *
 * Everything that varies between runs is fixed by the seed: the order in
 * which examples are visited each epoch comes from a 64-bit LCG.  The same
 * file and seed give the same model, bit for bit.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cause.h"
#include "base/rng.h"
#include "score/ngram.h"
#include "learn/train.h"

#include "base/banned.h"

#define TRAIN_SD_MIN		1e-9	/* below: a constant feature */
#define TRAIN_ADAGRAD_EPS	1e-8	/* keeps the first steps finite */

struct grams {
	uint32_t	*b;
	size_t		 n, cap;
	int		 failed;
};

static void
collect(void *arg, uint32_t bucket)
{
	struct grams	*g = arg;
	uint32_t	*nb;

	if (g->failed)
		return;
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 256;
		if ((nb = reallocarray(g->b, g->cap, sizeof *nb)) == NULL) {
			g->failed = 1;
			return;
		}
		g->b = nb;
	}
	g->b[g->n++] = bucket;
}

/*
 * What a fit works on: the examples, the standardisation of their dense
 * features, the weights being fitted and their AdaGrad sums of squared
 * gradients.  Dense weights live in the standardised space until fold().
 */
struct fit {
	const struct train_example *ex;
	size_t			 n;
	const struct train_opts	*o;
	size_t			 nb;		/* n-gram buckets; 0: none */
	struct grams		*g;		/* each example's buckets */
	double			*scale;		/* of each example's n-grams */
	size_t			*order;		/* of the visits in an epoch */
	double			 mean[FEAT_COUNT], sd[FEAT_COUNT];
	double			 w[FEAT_COUNT], gw[FEAT_COUNT];
	double			 w0[FEAT_COUNT];	/* the prior's, or 0 */
	struct scorer		 caps;		/* the prior's caps, or none */
	double			 lw;		/* L2 of the dense weights */
	double			 b, gb;
	float			*v, *gv;	/* n-gram weights, their sums */
	const float		*v0;		/* the prior's, or NULL */
};

/* Feature f of example e as the fitted scorer will weigh it. */
static double
value(const struct fit *ft, const struct train_example *e, int f)
{
	return scorer_value(&ft->caps, &e->f, f);
}

/* Allocate what a fit of n examples needs.  Returns 0 or -1. */
static int
fit_alloc(struct fit *ft)
{
	size_t n = ft->n, nb = ft->nb;

	if ((ft->order = calloc(n, sizeof *ft->order)) == NULL ||
	    (ft->scale = calloc(n, sizeof *ft->scale)) == NULL)
		return -1;
	if (nb && ((ft->g = calloc(n, sizeof *ft->g)) == NULL ||
	    (ft->v = calloc(nb, sizeof *ft->v)) == NULL ||
	    (ft->gv = calloc(nb, sizeof *ft->gv)) == NULL))
		return -1;
	return 0;
}

static void
fit_free(struct fit *ft)
{
	size_t i;

	for (i = 0; ft->g != NULL && i < ft->n; i++)
		free(ft->g[i].b);
	free(ft->g);
	free(ft->order);
	free(ft->scale);
	free(ft->v);
	free(ft->gv);
}

/* Standardise the dense features: mean 0, deviation 1. */
static void
standardise(struct fit *ft)
{
	const struct train_example	*ex = ft->ex;
	size_t				 i, n = ft->n;
	int				 f;

	for (i = 0; i < n; i++)
		for (f = 0; f < FEAT_COUNT; f++)
			ft->mean[f] += value(ft, &ex[i], f);
	for (f = 0; f < FEAT_COUNT; f++)
		ft->mean[f] /= (double)n;
	for (i = 0; i < n; i++)
		for (f = 0; f < FEAT_COUNT; f++)
			ft->sd[f] += (value(ft, &ex[i], f) - ft->mean[f]) *
			    (value(ft, &ex[i], f) - ft->mean[f]);
	for (f = 0; f < FEAT_COUNT; f++) {
		ft->sd[f] = sqrt(ft->sd[f] / (double)n);
		if (ft->sd[f] < TRAIN_SD_MIN)
			ft->sd[f] = 1;	/* a constant feature: weight stays 0 */
	}
}

/*
 * Start from the prior, if any.  Its dense weights in the standardised
 * space: z = (v - mean) / sd.  Its n-gram weights, when of the same
 * width, are the start and the n-gram L2 pulls towards them instead of
 * towards 0.
 */
static void
start_from_prior(struct fit *ft)
{
	const struct scorer	*pr = ft->o->prior;
	int			 f;

	if (pr != NULL) {
		ft->b = pr->bias;
		for (f = 0; f < FEAT_COUNT; f++) {
			ft->w0[f] = pr->w[f] * ft->sd[f];
			ft->b += pr->w[f] * ft->mean[f];
		}
		memcpy(ft->w, ft->w0, sizeof ft->w);
	}
	ft->lw = pr != NULL ? ft->o->prior_l2 : ft->o->l2;
	if (ft->nb && pr != NULL && pr->ngram != NULL &&
	    pr->hash_bits == ft->o->hash_bits) {
		ft->v0 = pr->ngram;
		memcpy(ft->v, ft->v0, ft->nb * sizeof *ft->v);
	}
}

/*
 * The first visiting order, and each example's n-gram buckets with their
 * scale, one over their count (the term is their mean).  Returns 0 or -1.
 */
static int
hash_grams(struct fit *ft)
{
	const struct train_example	*ex = ft->ex;
	size_t				 i, t;

	for (i = 0; i < ft->n; i++) {
		ft->order[i] = i;
		if (ft->nb == 0)
			continue;
		t = ngram_each(ex[i].text, ex[i].len, ft->o->hash_bits,
		    collect, &ft->g[i]);
		if (ft->g[i].failed)
			return -1;
		ft->scale[i] = t > 0 ? 1 / (double)ngram_grams(t) : 0;
	}
	return 0;
}

/* One AdaGrad step on example i. */
static void
step(struct fit *ft, size_t i)
{
	const struct train_example	*e = &ft->ex[i];
	const struct grams		*g = ft->nb ? &ft->g[i] : NULL;
	double				 lr = ft->o->lr, z, p, err, x, grad;
	double				 ng = 0;
	size_t				 k;
	int				 f;

	z = ft->b;
	for (f = 0; f < FEAT_COUNT; f++)
		z += ft->w[f] * (value(ft, e, f) - ft->mean[f]) / ft->sd[f];
	for (k = 0; g != NULL && k < g->n; k++)
		ng += ft->v[g->b[k]] * ft->scale[i];
	/* At the bound the term no longer moves with its weights. */
	if (ngram_bound(ng) != ng)
		g = NULL;
	p = 1 / (1 + exp(-(z + ngram_bound(ng))));
	err = (p - e->y) * (e->weight > 0 ? e->weight : 1);
	ft->gb += err * err;
	ft->b -= lr * err / sqrt(ft->gb + TRAIN_ADAGRAD_EPS);
	for (f = 0; f < FEAT_COUNT; f++) {
		x = (value(ft, e, f) - ft->mean[f]) / ft->sd[f];
		grad = err * x + ft->lw * (ft->w[f] - ft->w0[f]);
		ft->gw[f] += grad * grad;
		ft->w[f] -= lr * grad / sqrt(ft->gw[f] + TRAIN_ADAGRAD_EPS);
	}
	for (k = 0; g != NULL && k < g->n; k++) {
		uint32_t j = g->b[k];

		grad = err * ft->scale[i] + ft->o->l2 * (ft->v[j] -
		    (ft->v0 != NULL ? ft->v0[j] : 0));
		ft->gv[j] += (float)(grad * grad);
		ft->v[j] -= (float)(lr * grad /
		    sqrt((double)ft->gv[j] + TRAIN_ADAGRAD_EPS));
	}
}

/* The epochs: each visits the examples in a new seeded order. */
static void
epochs(struct fit *ft)
{
	struct rng	rng;
	size_t		i, k, t;
	int		e;

	rng_seed(&rng, ft->o->seed);
	for (e = 0; e < ft->o->epochs; e++) {
		/* Fisher-Yates with the seeded generator. */
		for (i = ft->n - 1; i > 0; i--) {
			k = rng_below(&rng, i + 1);
			t = ft->order[i];
			ft->order[i] = ft->order[k];
			ft->order[k] = t;
		}
		for (t = 0; t < ft->n; t++)
			step(ft, ft->order[t]);
	}
}

/*
 * The fitted model into m: the standardisation folded into raw-space
 * weights, the n-gram table handed over.
 */
static void
fold(struct fit *ft, struct scorer_file *m)
{
	int f;

	m->s.bias = ft->b;
	for (f = 0; f < FEAT_COUNT; f++) {
		m->s.w[f] = ft->w[f] / ft->sd[f];
		m->s.bias -= ft->w[f] * ft->mean[f] / ft->sd[f];
	}
	memcpy(m->s.cap, ft->caps.cap, sizeof m->s.cap);
	m->s.hash_bits = ft->nb ? ft->o->hash_bits : 0;
	m->s.ngram = ft->v;
	m->table = ft->v;
	ft->v = NULL;
	m->trained_on = ft->n;
	m->seed = ft->o->seed;
	m->l2 = ft->o->l2;
	m->epochs = ft->o->epochs;
}

/*
 * The memory of the n examples ex into m, when o asks for one: their
 * terms at MEMORY_BITS and their labels.  Returns 0 or -1 (memory).
 */
static int
remember(const struct train_example *ex, size_t n,
    const struct train_opts *o, struct scorer_file *m)
{
	struct memory_term	**terms;
	size_t			 *nterms, i;
	float			 *y;
	int			  r = -1;

	if (o->memory_k == 0)
		return 0;
	terms = calloc(n + 1, sizeof *terms);
	nterms = calloc(n + 1, sizeof *nterms);
	y = calloc(n + 1, sizeof *y);
	if (terms == NULL || nterms == NULL || y == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		/* What the linear model misses there is what is remembered. */
		y[i] = (float)(ex[i].y - scorer_score(&m->s, &ex[i].f,
		    ex[i].text, ex[i].len, NULL, NULL, NULL));
		if (memory_terms(ex[i].text, ex[i].len, MEMORY_BITS, &terms[i],
		    &nterms[i]) == -1)
			goto out;
	}
	if (memory_build(&m->mem, MEMORY_BITS, o->memory_k,
	    o->memory_shrink, n, terms, nterms, y) == 0) {
		m->s.memory = &m->mem;
		r = 0;
	}
out:
	for (i = 0; terms != NULL && i < n; i++)
		free(terms[i]);
	free(terms);
	free(nterms);
	free(y);
	return r;
}

/*
 * No epochs: the model is the prior as it is, its caps and, at the same
 * width, its n-gram weights.  Returns 0, or -1 with *cause.
 */
static int
copy_prior(const struct fit *ft, struct scorer_file *m, char **cause)
{
	const struct scorer	*pr = ft->o->prior;

	m->s.bias = pr->bias;
	memcpy(m->s.w, pr->w, sizeof m->s.w);
	memcpy(m->s.cap, pr->cap, sizeof m->s.cap);
	if (ft->nb && pr->ngram != NULL && pr->hash_bits == ft->o->hash_bits) {
		if ((m->table = malloc(ft->nb * sizeof *m->table)) == NULL)
			return cause_set(cause, "out of memory");
		memcpy(m->table, pr->ngram, ft->nb * sizeof *m->table);
		m->s.hash_bits = pr->hash_bits;
		m->s.ngram = m->table;
	}
	m->trained_on = ft->n;
	m->seed = ft->o->seed;
	m->l2 = ft->o->l2;
	return 0;
}

int
train_fit(const struct train_example *ex, size_t n,
    const struct train_opts *o, struct scorer_file *m, char **cause)
{
	struct fit	ft;
	int		r = -1;

	memset(m, 0, sizeof *m);
	if (n == 0)
		return cause_set(cause, "no examples to train on");
	memset(&ft, 0, sizeof ft);
	ft.ex = ex;
	ft.n = n;
	ft.o = o;
	ft.nb = o->hash_bits ? (size_t)1 << o->hash_bits : 0;
	if (o->prior != NULL)
		memcpy(ft.caps.cap, o->prior->cap, sizeof ft.caps.cap);
	if (o->epochs == 0 && o->prior != NULL)
		return copy_prior(&ft, m, cause);
	if (fit_alloc(&ft) == 0) {
		standardise(&ft);
		start_from_prior(&ft);
		r = hash_grams(&ft);
	}
	if (r == 0) {
		epochs(&ft);
		fold(&ft, m);
		r = remember(ex, n, o, m);
	}
	if (r == -1) {
		cause_set(cause, "out of memory");
		scorer_file_free(m);
	}
	fit_free(&ft);
	return r;
}

int
train_prior(struct train_opts *o, const char *name,
    struct scorer_file *file, int keep_bits, char **cause)
{
	const struct scorer	*prior;
	char			*why = NULL;

	if ((prior = scorer_choose(name, file, &why)) == NULL) {
		cause_set(cause, "not builtin, heuristic or length, and not a "
		    "model file: %s", why ? why : "out of memory");
		free(why);
		return -1;
	}
	o->prior = prior;
	if (prior->ngram == NULL || prior->hash_bits == o->hash_bits)
		return 0;
	if (keep_bits)
		return cause_set(cause, "its n-gram weights have %u hash bits, "
		    "not the %u of --hash-bits", prior->hash_bits,
		    o->hash_bits);
	o->hash_bits = prior->hash_bits;
	return 0;
}

struct train_example *
train_examples(const struct labels *ls)
{
	struct train_example	*ex;
	size_t			 i;

	if ((ex = calloc(ls->n + 1, sizeof *ex)) == NULL)
		return NULL;
	for (i = 0; i < ls->n; i++) {
		ex[i].text = ls->v[i].p.text;
		ex[i].len = ls->v[i].p.len;
		features_extract(ex[i].text, ex[i].len, &ex[i].f);
		ex[i].y = labels_target(ls, &ls->v[i]);
		ex[i].strong = ls->v[i].strong;
		ex[i].weak = ls->v[i].weak;
	}
	return ex;
}

char *
train_about(const struct train_opts *o, size_t n, const char *data,
    int more, int feedback)
{
	char	*about, mem[64] = "";

	if (o->memory_k > 0)
		snprintf(mem, sizeof mem, ", memory %u shrink %g", o->memory_k,
		    o->memory_shrink);
	if (asprintf(&about, "%zu labelled prompts (%s%s%s), seed %lu, "
	    "%d epochs, l2 %g, %u hash bits%s%s%s", n, data, more ?
	    " and others" : "", feedback ? " + feedback" : "", o->seed,
	    o->epochs, o->l2, o->hash_bits, o->prior ? ", prior " : "",
	    o->prior ? o->prior->name : "", mem) == -1)
		return NULL;
	return about;
}
