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

int
folds_predict(const struct train_example *ex, size_t n,
    const struct train_opts *o, int k, double *pred, char **cause)
{
	struct train_example	*tr;
	struct scorer_file	 m;
	size_t			*fold, i, nt;
	int			 f, r = -1;

	fold = calloc(n + 1, sizeof *fold);
	tr = calloc(n + 1, sizeof *tr);
	if (fold == NULL || tr == NULL ||
	    folds_assign(n, k, o->seed, fold) == -1) {
		cause_set(cause, "out of memory");
		goto out;
	}
	for (f = 0; f < k; f++) {
		for (i = 0, nt = 0; i < n; i++)
			if (fold[i] != (size_t)f)
				tr[nt++] = ex[i];
		if (train_fit(tr, nt, o, &m, cause) == -1)
			goto out;
		for (i = 0; i < n; i++)
			if (fold[i] == (size_t)f)
				pred[i] = scorer_score(&m.s, &ex[i].f,
				    ex[i].text, ex[i].len, NULL, NULL);
		scorer_file_free(&m);
	}
	r = 0;
out:
	free(fold);
	free(tr);
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
		    ex[i].len, NULL, NULL);
		base[n + i] = scorer_score(&scorer_heuristic, &ex[i].f,
		    ex[i].text, ex[i].len, NULL, NULL);
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

void
folds_free(struct folds_report *rep)
{
	free(rep->sets);
	free(rep->res);
	memset(rep, 0, sizeof *rep);
}
