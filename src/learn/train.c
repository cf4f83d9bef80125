/*
 * train.c: logistic regression with L2, fitted by stochastic gradient
 * descent with AdaGrad steps, on the heuristic features (standardised)
 * and the hashed word n-grams of each prompt (ngram.c, scaled by one over
 * the square root of the token count).  The labels are soft, in [0, 1]:
 * the cross-entropy to a soft label is still convex.
 *
 * Everything that varies between runs is fixed by the seed: the order in
 * which examples are visited each epoch comes from a 64-bit LCG.  The same
 * file and seed give the same model, bit for bit.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "score/ngram.h"
#include "learn/train.h"

#include "base/banned.h"

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
 * Fit a model to the n examples ex with options o into m (which the
 * caller frees with scorer_file_free).  Returns 0, or -1 with *cause.
 */
int
train_fit(const struct train_example *ex, size_t n,
    const struct train_opts *o, struct scorer_file *m, char **cause)
{
	struct grams	*g = NULL;
	double		 mean[FEAT_COUNT] = { 0 }, sd[FEAT_COUNT] = { 0 };
	double		 w[FEAT_COUNT] = { 0 }, gw[FEAT_COUNT] = { 0 };
	double		 w0[FEAT_COUNT] = { 0 }, lw;
	double		 b = 0, gb = 0, z, p, err, x, grad, *scale = NULL;
	float		*v = NULL, *gv = NULL;
	const float	*v0 = NULL;
	size_t		*order = NULL, i, k, t, nb;
	struct rng	 rng;
	int		 e, f, r = -1;

	memset(m, 0, sizeof *m);
	rng_seed(&rng, o->seed);
	if (n == 0) {
		*cause = strdup("no examples to train on");
		return -1;
	}
	nb = o->hash_bits ? (size_t)1 << o->hash_bits : 0;
	if ((order = calloc(n, sizeof *order)) == NULL ||
	    (scale = calloc(n, sizeof *scale)) == NULL ||
	    (nb && ((g = calloc(n, sizeof *g)) == NULL ||
	    (v = calloc(nb, sizeof *v)) == NULL ||
	    (gv = calloc(nb, sizeof *gv)) == NULL)))
		goto nomem;

	/* Standardise the dense features: mean 0, deviation 1. */
	for (i = 0; i < n; i++)
		for (f = 0; f < FEAT_COUNT; f++)
			mean[f] += ex[i].f.v[f];
	for (f = 0; f < FEAT_COUNT; f++)
		mean[f] /= (double)n;
	for (i = 0; i < n; i++)
		for (f = 0; f < FEAT_COUNT; f++)
			sd[f] += (ex[i].f.v[f] - mean[f]) *
			    (ex[i].f.v[f] - mean[f]);
	for (f = 0; f < FEAT_COUNT; f++) {
		sd[f] = sqrt(sd[f] / (double)n);
		if (sd[f] < 1e-9)
			sd[f] = 1;	/* a constant feature: weight stays 0 */
	}
	/* The prior in the standardised space: z = (v - mean) / sd. */
	if (o->prior != NULL) {
		b = o->prior->bias;
		for (f = 0; f < FEAT_COUNT; f++) {
			w0[f] = o->prior->w[f] * sd[f];
			b += o->prior->w[f] * mean[f];
		}
		memcpy(w, w0, sizeof w);
	}
	lw = o->prior != NULL ? o->prior_l2 : o->l2;
	/*
	 * A prior with n-gram weights of the same width: they are the start,
	 * and the n-gram L2 pulls towards them instead of towards 0.
	 */
	if (nb && o->prior != NULL && o->prior->ngram != NULL &&
	    o->prior->hash_bits == o->hash_bits) {
		v0 = o->prior->ngram;
		memcpy(v, v0, nb * sizeof *v);
	}
	for (i = 0; i < n; i++) {
		order[i] = i;
		if (nb == 0)
			continue;
		t = ngram_each(ex[i].text, ex[i].len, o->hash_bits, collect,
		    &g[i]);
		if (g[i].failed)
			goto nomem;
		scale[i] = t > 0 ? 1 / sqrt((double)t) : 0;
	}

	for (e = 0; e < o->epochs; e++) {
		/* Fisher-Yates with the seeded generator. */
		for (i = n - 1; i > 0; i--) {
			k = rng_below(&rng, i + 1);
			t = order[i];
			order[i] = order[k];
			order[k] = t;
		}
		for (t = 0; t < n; t++) {
			i = order[t];
			z = b;
			for (f = 0; f < FEAT_COUNT; f++)
				z += w[f] * (ex[i].f.v[f] - mean[f]) / sd[f];
			for (k = 0; nb && k < g[i].n; k++)
				z += v[g[i].b[k]] * scale[i];
			p = 1 / (1 + exp(-z));
			err = (p - ex[i].y) * (ex[i].weight > 0 ?
			    ex[i].weight : 1);
			gb += err * err;
			b -= o->lr * err / sqrt(gb + 1e-8);
			for (f = 0; f < FEAT_COUNT; f++) {
				x = (ex[i].f.v[f] - mean[f]) / sd[f];
				grad = err * x + lw * (w[f] - w0[f]);
				gw[f] += grad * grad;
				w[f] -= o->lr * grad / sqrt(gw[f] + 1e-8);
			}
			for (k = 0; nb && k < g[i].n; k++) {
				uint32_t j = g[i].b[k];

				grad = err * scale[i] + o->l2 * (v[j] -
				    (v0 != NULL ? v0[j] : 0));
				gv[j] += (float)(grad * grad);
				v[j] -= (float)(o->lr * grad /
				    sqrt((double)gv[j] + 1e-8));
			}
		}
	}

	/* Fold the standardisation into raw-space weights. */
	m->s.bias = b;
	for (f = 0; f < FEAT_COUNT; f++) {
		m->s.w[f] = w[f] / sd[f];
		m->s.bias -= w[f] * mean[f] / sd[f];
	}
	m->s.hash_bits = nb ? o->hash_bits : 0;
	m->s.ngram = v;
	m->table = v;
	v = NULL;
	m->trained_on = n;
	m->seed = o->seed;
	m->l2 = o->l2;
	m->epochs = o->epochs;
	r = 0;
	goto out;
nomem:
	*cause = strdup("out of memory");
out:
	for (i = 0; g != NULL && i < n; i++)
		free(g[i].b);
	free(g);
	free(order);
	free(scale);
	free(v);
	free(gv);
	return r;
}
