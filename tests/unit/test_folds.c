/*
 * test_folds.c: k-fold cross-validation (folds.c): the folds are dealt
 * by the one generator exactly as train's cross-validation has always
 * drawn them, every prompt is scored by a model that did not see it, and
 * the report has every set and scorer in order.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "learn/folds.h"
#include "learn/labels.h"
#include "learn/train.h"
#include "unit.h"

#define NLAB	16

/* Whether the text of b starts with the string lit. */
#define STARTS(b, lit)	(strncmp((b).data, (lit), strlen(lit)) == 0)

/*
 * The folds as train drew them before the generator had its own module:
 * the state seed * 2654435761 + 1, MMIX steps, the top 31 bits of each.
 */
static void
reference(size_t n, int k, unsigned long seed, size_t *fold)
{
	size_t		perm[64], i, j, t;
	uint64_t	s = (uint64_t)seed * 2654435761ULL + 1;

	for (i = 0; i < n; i++)
		perm[i] = i;
	for (i = n - 1; i > 0; i--) {
		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		j = (size_t)((s >> 33) % (i + 1));
		t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}
	for (i = 0; i < n; i++)
		fold[perm[i]] = i % (size_t)k;
}

static void
test_assign(void)
{
	size_t		got[64], want[64], size[5], i;
	unsigned long	seed;
	int		k, same = 1, balanced = 1;

	for (seed = 0; seed < 20; seed++)
		for (k = 2; k <= 5; k++) {
			reference(64, k, seed, want);
			if (folds_assign(64, k, seed, got) == -1 ||
			    memcmp(got, want, sizeof got) != 0)
				same = 0;
			memset(size, 0, sizeof size);
			for (i = 0; i < 64; i++)
				size[got[i]]++;
			for (i = 0; i < (size_t)k; i++)
				if (size[i] != 64 / (size_t)k &&
				    size[i] != 64 / (size_t)k + 1)
					balanced = 0;
		}
	CHECK(same, "assign: the draws of seeds 0 to 19, 2 to 5 folds, are "
	    "the ones train always made");
	CHECK(balanced, "assign: the folds differ in size by one at most");
	folds_assign(64, 3, 1, want);
	folds_assign(64, 3, 2, got);
	CHECK(memcmp(got, want, sizeof got) != 0, "assign: another seed, "
	    "other folds");
	CHECK(folds_assign(0, 3, 1, got) == 0, "assign: no examples");
}

/* NLAB labels, "alpha" ones needing the strong model, sources A and B. */
static int
fixture(struct labels *ls)
{
	static const char *const fill[] = { "red", "green", "blue", "gold" };
	struct buf	 b = BUF_INIT;
	char		*cause = NULL;
	int		 i, fd, r;

	for (i = 0; i < NLAB; i++)
		buf_addf(&b, "{\"prompt\":\"please check the %s %s report\","
		    "\"strong\":1,\"weak\":%d,\"source\":\"%s\"}\n",
		    i % 2 ? "beta" : "alpha", fill[i / 2 % 4], i % 2,
		    i % 4 < 2 ? "A" : "B");
	memset(ls, 0, sizeof *ls);
	r = -1;
	if ((fd = unit_pipe_fd(b.data, b.len)) != -1) {
		if ((r = labels_read(ls, fd, "f.jsonl", &cause)) == -1)
			printf("# %s\n", cause);
		close(fd);
	}
	free(cause);
	buf_free(&b);
	return r;
}

static void
test_predict(const struct labels *ls, const struct train_example *ex)
{
	struct train_opts	 o = { .hash_bits = 10, .epochs = 8, .l2 = 1e-3,
	    .lr = 0.02, .seed = 1, .prior = NULL, .prior_l2 = 1 };
	double			 p1[NLAB], p2[NLAB];
	char			*cause = NULL;
	size_t			 i;
	int			 inrange = 1;

	CHECK(folds_predict(ex, ls->n, &o, 4, p1, &cause) == 0 &&
	    folds_predict(ex, ls->n, &o, 4, p2, &cause) == 0,
	    "predict: four folds, twice");
	CHECK(memcmp(p1, p2, sizeof p1) == 0, "predict: the same seed, the "
	    "same scores");
	for (i = 0; i < ls->n; i++)
		if (!(p1[i] >= 0 && p1[i] <= 1))
			inrange = 0;
	CHECK(inrange, "predict: scores in [0, 1]");
	o.seed = 2;
	CHECK(folds_predict(ex, ls->n, &o, 4, p2, &cause) == 0 &&
	    memcmp(p1, p2, sizeof p1) != 0, "predict: another seed, other "
	    "folds and scores");
	CHECK(folds_predict(ex, ls->n, &o, 1, p2, &cause) == -1 &&
	    cause != NULL, "predict: one fold leaves nothing to fit on");
	free(cause);
}

static void
test_report(const struct labels *ls, const struct train_example *ex)
{
	struct train_opts	 o = { .hash_bits = 10, .epochs = 8, .l2 = 1e-3,
	    .lr = 0.02, .seed = 3, .prior = NULL, .prior_l2 = 1 };
	struct folds_report	 rep;
	struct buf		 b = BUF_INIT;
	char			*cause = NULL;

	CHECK(folds_run(ls, ex, &o, 2, &rep, &cause) == 0, "run: two folds");
	CHECK(rep.nsets == 3 && strcmp(rep.sets[0], "all") == 0 &&
	    strcmp(rep.sets[1], "A") == 0 && strcmp(rep.sets[2], "B") == 0,
	    "run: the sets all, A and B");
	CHECK(strcmp(rep.res[FOLDS_TRAINED].name, "trained") == 0 &&
	    strcmp(rep.res[FOLDS_LENGTH].name, "length") == 0 &&
	    strcmp(rep.res[FOLDS_HEURISTIC].name, "heuristic") == 0 &&
	    strcmp(rep.res[FOLDS_RANDOM].name, "random") == 0,
	    "run: trained, length, heuristic and random");
	CHECK(rep.res[0].m.n == NLAB && rep.res[FOLDS_NSCORERS].m.n == NLAB / 2,
	    "run: all has every label, A half");
	folds_table(&b, &rep);
	CHECK(STARTS(b, "2-fold cross-validation (seed 3)\nSET ") &&
	    strstr(b.data, "\nB              random            8 ") != NULL,
	    "table: the title and the last row");
	buf_reset(&b);
	folds_json(&b, &rep);
	CHECK(STARTS(b, "{\"folds\":2,\"seed\":3,\"sets\":[{\"set\":\"all\","
	    "\"scorers\":[{\"scorer\":\"trained\",\"n\":16,") &&
	    strstr(b.data, "]},{\"set\":\"B\",\"scorers\":[{\"scorer\":"
	    "\"trained\",\"n\":8,") != NULL &&
	    strcmp(b.data + b.len - 5, "]}]}\n") == 0, "json: one line");
	folds_free(&rep);
	buf_free(&b);
}

int
main(void)
{
	struct labels		 ls;
	struct train_example	*ex;

	setvbuf(stdout, NULL, _IOLBF, 0);
	test_assign();
	if (fixture(&ls) == -1 || (ex = train_examples(&ls)) == NULL) {
		printf("Bail out! the fixture does not read\n");
		return 1;
	}
	test_predict(&ls, ex);
	test_report(&ls, ex);
	free(ex);
	labels_free(&ls);
	return unit_done();
}
