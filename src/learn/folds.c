/*
 * folds.c: k-fold cross-validation.  The folds come from the one seeded
 * generator, so that the same seed and data give the same report.
 */
#include <stdlib.h>
#include <string.h>

#include "base/cause.h"
#include "base/jsonout.h"
#include "base/rng.h"
#include "learn/folds.h"
#include "learn/metrics.h"
#include "score/scorer.h"

#include "base/banned.h"

int
folds_assign(size_t n, int k, unsigned long seed, size_t *fold)
{
	struct rng	 r;
	size_t		*perm, i, j, t;

	if (n == 0)
		return 0;
	if ((perm = calloc(n, sizeof *perm)) == NULL)
		return -1;
	rng_seed(&r, (uint64_t)seed * FOLDS_SEED_MUL + FOLDS_SEED_ADD);
	for (i = 0; i < n; i++)
		perm[i] = i;
	for (i = n - 1; i > 0; i--) {
		j = rng_below(&r, i + 1);
		t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}
	for (i = 0; i < n; i++)
		fold[perm[i]] = i % (size_t)k;
	free(perm);
	return 0;
}

/*
 * Score each example ex[i] whose fold[i] is f into pred[i] with a model
 * fitted with o on the others (the n of them in tr, a scratch array).
 * o's autotune is honoured: folds_auto on the others first.  Returns 0,
 * or -1 with *cause.
 */
static int
predict_fold(const struct train_example *ex, size_t n, const size_t *fold,
    size_t f, const struct train_opts *o, struct train_example *tr,
    double *pred, char **cause)
{
	struct train_opts	 chosen;
	struct scorer_file	 m;
	size_t			 i, nt;

	for (i = 0, nt = 0; i < n; i++)
		if (fold[i] != f)
			tr[nt++] = ex[i];
	if (o->autotune) {
		if (folds_auto(tr, nt, o, &chosen, NULL, cause) == -1)
			return -1;
		o = &chosen;
	}
	if (train_fit(tr, nt, o, &m, cause) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (fold[i] == f)
			pred[i] = scorer_score(&m.s, &ex[i].f, ex[i].text,
			    ex[i].len, NULL, NULL, NULL);
	scorer_file_free(&m);
	return 0;
}

int
folds_predict(const struct train_example *ex, size_t n,
    const struct train_opts *o, int k, double *pred, char **cause)
{
	struct train_example	*tr;
	size_t			*fold;
	int			 f, r = -1;

	fold = calloc(n + 1, sizeof *fold);
	tr = calloc(n + 1, sizeof *tr);
	if (fold == NULL || tr == NULL ||
	    folds_assign(n, k, o->seed, fold) == -1) {
		cause_set(cause, "out of memory");
		goto out;
	}
	for (f = 0; f < k; f++)
		if (predict_fold(ex, n, fold, (size_t)f, o, tr, pred,
		    cause) == -1)
			goto out;
	r = 0;
out:
	free(fold);
	free(tr);
	return r;
}

/*
 * The grid of --auto, simplest first (a tie goes to the earlier row):
 * length alone; the linear model free, as train fitted it before it had a
 * memory; pulled towards length, the default, without and with a memory
 * of more or fewer neighbours; then at a higher L2, more epochs and
 * fewer hash bits; and free with a memory.
 */
static const struct folds_cand {
	int		toward_length;	/* 2: length alone */
	unsigned	memory_k;
	double		shrink;
	double		l2;
	int		epochs;
	unsigned	bits;
} folds_grid[] = {
	{ 2, 0, 0, 0, 0, 0 },
	{ 0, 0, 0, 1e-3, 8, 18 },
	{ 1, 0, 0, 1e-3, 8, 18 },
	{ 1, 32, 1, 1e-3, 8, 18 },
	{ 1, 16, 0.3, 1e-3, 8, 18 },
	{ 1, 32, 1, 1e-2, 16, 14 },
	{ 0, 32, 1, 1e-3, 8, 18 },
};

#define FOLDS_GRID	(sizeof folds_grid / sizeof folds_grid[0])
#define FOLDS_INNER	2	/* the folds of the inner cross-validation */

/* Row c of the grid applied to base into *o. */
static void
grid_opts(const struct train_opts *base, size_t c, struct train_opts *o)
{
	const struct folds_cand *g = &folds_grid[c];

	*o = *base;
	o->autotune = 0;
	o->memory_k = g->memory_k;
	o->memory_shrink = g->shrink;
	if (g->toward_length) {
		o->prior = &scorer_length;
		o->prior_l2 = 1;
	} else if (base->prior == &scorer_length)
		o->prior = NULL;	/* free, unless another prior was named */
	o->epochs = g->toward_length == 2 ? 0 : g->epochs;
	o->l2 = g->toward_length == 2 ? base->l2 : g->l2;
	o->hash_bits = g->toward_length == 2 ? 0 : g->bits;
}

/*
 * The inner APGR of n predictions pred of ex: on the qualities when the
 * examples have them, else on the labels.  -1 when there is no gap.
 */
static double
inner_apgr(const struct train_example *ex, size_t n, const double *pred,
    double *qs, double *qw)
{
	struct metrics	m;
	size_t		i;
	int		known = 0;

	for (i = 0; i < n; i++)
		known |= ex[i].strong != ex[i].weak;
	for (i = 0; i < n; i++) {
		qs[i] = known ? ex[i].strong : ex[i].y;
		qw[i] = known ? ex[i].weak : 0;
	}
	if (metrics_eval(pred, qs, qw, n, &m) == -1 || !m.has_apgr)
		return -1;
	return m.apgr;
}

int
folds_auto(const struct train_example *ex, size_t n,
    const struct train_opts *o, struct train_opts *chosen,
    double *apgr, char **cause)
{
	struct train_opts	 c;
	double			*pred, *qs, *qw, a, best = -2;
	size_t			 g, pick = 0;
	int			 r = -1;

	pred = calloc(n + 1, sizeof *pred);
	qs = calloc(n + 1, sizeof *qs);
	qw = calloc(n + 1, sizeof *qw);
	if (pred == NULL || qs == NULL || qw == NULL) {
		cause_set(cause, "out of memory");
		goto out;
	}
	for (g = 0; g < FOLDS_GRID && n >= FOLDS_INNER; g++) {
		grid_opts(o, g, &c);
		if (folds_predict(ex, n, &c, FOLDS_INNER, pred, cause) == -1)
			goto out;
		if ((a = inner_apgr(ex, n, pred, qs, qw)) > best) {
			best = a;
			pick = g;
		}
	}
	grid_opts(o, pick, chosen);
	if (apgr != NULL)
		*apgr = best;
	r = 0;
out:
	free(pred);
	free(qs);
	free(qw);
	return r;
}

/*
 * The scores of every scorer of a report, each a label of ls: pred for
 * the trained one, the baselines' computed here into base (2 n of them),
 * NULL for the random router.
 */
static void
baselines(const struct train_example *ex, size_t n, const double *pred,
    double *base, const double *scores[FOLDS_NSCORERS])
{
	size_t i;

	/* The baselines score every set alike: once, up front. */
	for (i = 0; i < n; i++) {
		base[i] = scorer_score(&scorer_length, &ex[i].f, ex[i].text,
		    ex[i].len, NULL, NULL, NULL);
		base[n + i] = scorer_score(&scorer_heuristic, &ex[i].f,
		    ex[i].text, ex[i].len, NULL, NULL, NULL);
	}
	scores[FOLDS_TRAINED] = pred;
	scores[FOLDS_LENGTH] = base;
	scores[FOLDS_HEURISTIC] = base + n;
	scores[FOLDS_RANDOM] = NULL;
}

int
folds_run(const struct labels *ls, const struct train_example *ex,
    const struct train_opts *o, int k, struct folds_report *rep,
    char **cause)
{
	static const char *const names[FOLDS_NSCORERS] = {
		[FOLDS_TRAINED] = "trained",
		[FOLDS_LENGTH] = "length",
		[FOLDS_HEURISTIC] = "heuristic",
		[FOLDS_RANDOM] = EVALUATE_RANDOM,
	};
	const double	*scores[FOLDS_NSCORERS];
	double		*pred, *base;
	size_t		 s, j;
	int		 r = -1;

	memset(rep, 0, sizeof *rep);
	rep->k = k;
	rep->seed = o->seed;
	pred = calloc(ls->n + 1, sizeof *pred);
	base = calloc(ls->n + 1, 2 * sizeof *base);
	if (pred == NULL || base == NULL) {
		cause_set(cause, "out of memory");
		goto out;
	}
	if (folds_predict(ex, ls->n, o, k, pred, cause) == -1)
		goto out;
	if ((rep->sets = evaluate_sets(ls)) == NULL)
		goto nomem;
	while (rep->sets[rep->nsets] != NULL)
		rep->nsets++;
	if ((rep->res = calloc(rep->nsets * FOLDS_NSCORERS,
	    sizeof *rep->res)) == NULL)
		goto nomem;
	baselines(ex, ls->n, pred, base, scores);
	for (s = 0; s < rep->nsets; s++)
		for (j = 0; j < FOLDS_NSCORERS; j++)
			if (evaluate_set(ls, rep->sets[s], scores[j], names[j],
			    &rep->res[s * FOLDS_NSCORERS + j]) == -1)
				goto nomem;
	r = 0;
	goto out;
nomem:
	cause_set(cause, "out of memory");
out:
	free(pred);
	free(base);
	return r;
}

void
folds_table(struct buf *b, const struct folds_report *rep)
{
	size_t s, j;

	buf_addf(b, "%d-fold cross-validation (seed %lu)\n", rep->k,
	    rep->seed);
	evaluate_head(b);
	for (s = 0; s < rep->nsets; s++)
		for (j = 0; j < FOLDS_NSCORERS; j++)
			evaluate_row(b, rep->sets[s],
			    &rep->res[s * FOLDS_NSCORERS + j]);
}

void
folds_json(struct buf *b, const struct folds_report *rep)
{
	size_t s, j;

	buf_addf(b, "{\"folds\":%d,\"seed\":%lu,\"sets\":[", rep->k,
	    rep->seed);
	for (s = 0; s < rep->nsets; s++) {
		buf_addstr(b, s ? ",{\"set\":" : "{\"set\":");
		jsonout_cstr(b, rep->sets[s]);
		buf_addstr(b, ",\"scorers\":[");
		for (j = 0; j < FOLDS_NSCORERS; j++) {
			if (j > 0)
				buf_addch(b, ',');
			evaluate_json(b, &rep->res[s * FOLDS_NSCORERS + j]);
		}
		buf_addstr(b, "]}");
	}
	buf_addstr(b, "]}\n");
}

int
folds_beats_length(const struct folds_report *rep, double *trained,
    double *length)
{
	const struct evaluate_result *t, *l;

	*trained = *length = 0;
	if (rep->nsets == 0)
		return 0;
	t = &rep->res[FOLDS_TRAINED];	/* the first set: every label */
	l = &rep->res[FOLDS_LENGTH];
	if (!t->m.has_apgr || !l->m.has_apgr)
		return 0;
	*trained = t->m.apgr;
	*length = l->m.apgr;
	return *trained > *length ? 1 : -1;
}

void
folds_free(struct folds_report *rep)
{
	free(rep->sets);
	free(rep->res);
	memset(rep, 0, sizeof *rep);
}
