/*
 * test_train.c: fitting a scorer (train.c): the same examples and seed
 * give the same model bit for bit, a separable fixture is ranked
 * perfectly, a prior holds the feature weights, hash_bits 0 trains the
 * features alone.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "score/features.h"
#include "score/scorer_file.h"
#include "score/scorer.h"
#include "learn/labels.h"
#include "learn/train.h"
#include "unit.h"

#define NEX	24

static char		 texts[NEX][128];
static struct train_example ex[NEX];

/*
 * The separable fixture: half the prompts say "alpha" and need the strong
 * model (y 1), half say "beta" and do not (y 0).  The other words are the
 * same filler for both halves, so only the n-grams can tell them apart.
 */
static void
make_fixture(void)
{
	static const char *const fill[] = { "red", "green", "blue", "gold",
	    "grey", "pink" };
	static const char *const verb[] = { "check", "read", "sort", "list" };
	size_t	i;

	for (i = 0; i < NEX; i++) {
		snprintf(texts[i], sizeof texts[i], "please %s the %s %s "
		    "report", verb[(i / 2) % 4], i % 2 ? "beta" : "alpha",
		    fill[(i / 2) % 6]);
		memset(&ex[i], 0, sizeof ex[i]);
		ex[i].text = texts[i];
		ex[i].len = strlen(texts[i]);
		features_extract(ex[i].text, ex[i].len, &ex[i].f);
		ex[i].y = i % 2 ? 0 : 1;
	}
}

static struct train_opts
opts(unsigned bits, unsigned long seed)
{
	struct train_opts o;

	memset(&o, 0, sizeof o);
	o.hash_bits = bits;
	o.epochs = 30;
	o.l2 = 1e-4;
	o.lr = 0.1;
	o.seed = seed;
	return o;
}

static int
fit(const struct train_example *e, size_t n, const struct train_opts *o,
    struct scorer_file *m)
{
	char	*cause = NULL;
	int	 r;

	r = train_fit(e, n, o, m, &cause);
	if (r == -1)
		printf("# train_fit: %s\n", cause ? cause : "(null)");
	free(cause);
	return r;
}

/* Same scalar part and, when there is one, the same n-gram table. */
static int
same_model(const struct scorer_file *a, const struct scorer_file *b)
{
	size_t nb;

	if (memcmp(&a->s.bias, &b->s.bias, sizeof a->s.bias) != 0 ||
	    memcmp(a->s.w, b->s.w, sizeof a->s.w) != 0 ||
	    a->s.hash_bits != b->s.hash_bits)
		return 0;
	if ((a->s.ngram == NULL) != (b->s.ngram == NULL))
		return 0;
	if (a->s.ngram == NULL)
		return 1;
	nb = (size_t)1 << a->s.hash_bits;
	return memcmp(a->s.ngram, b->s.ngram, nb * sizeof *a->s.ngram) == 0;
}

static double
score_of(const struct scorer_file *m, size_t i)
{
	return scorer_score(&m->s, &ex[i].f, ex[i].text, ex[i].len, NULL, NULL, NULL);
}

/* Every y = 1 example scores above every y = 0 one under m. */
static int
ranks_perfectly(const struct scorer_file *m, const struct train_example *e,
    size_t n, int say)
{
	double	lo_pos = 2, hi_neg = -1, s;
	size_t	i;

	for (i = 0; i < n; i++) {
		s = scorer_score(&m->s, &e[i].f, e[i].text, e[i].len, NULL,
		    NULL, NULL);
		if (e[i].y > .5 && s < lo_pos)
			lo_pos = s;
		if (e[i].y < .5 && s > hi_neg)
			hi_neg = s;
	}
	if (say && !(lo_pos > hi_neg))
		printf("# lowest positive %.6f, highest negative %.6f\n",
		    lo_pos, hi_neg);
	return lo_pos > hi_neg;
}

static void
test_deterministic(void)
{
	struct train_opts	o = opts(12, 7), o2 = opts(12, 8);
	struct scorer_file	a, b, c, d;
	struct train_example	w[NEX];
	size_t			i;

	CHECK(fit(ex, NEX, &o, &a) == 0, "fit: ok");
	CHECK(fit(ex, NEX, &o, &b) == 0, "fit again: ok");
	CHECK(same_model(&a, &b), "same examples and seed: bit-identical bias, "
	    "weights and n-gram table");
	CHECK(fit(ex, NEX, &o2, &c) == 0, "fit with another seed: ok");
	CHECK(!same_model(&a, &c), "another seed: another model");
	CHECK(a.trained_on == NEX && a.seed == 7 && a.epochs == 30 &&
	    a.l2 == 1e-4, "fit: trained_on, seed, epochs and l2 recorded");
	CHECK(a.s.hash_bits == 12 && a.s.ngram != NULL && a.s.ngram == a.table,
	    "fit: the n-gram table is the model's own (12 bits)");

	/* A weight of 0 counts as 1. */
	memcpy(w, ex, sizeof w);
	for (i = 0; i < NEX; i++)
		w[i].weight = 1;
	CHECK(fit(w, NEX, &o, &d) == 0 && same_model(&a, &d),
	    "weight 1 everywhere: the same model as weight 0");
	scorer_file_free(&d);
	/* A heavier or lighter example changes the fit. */
	w[0].weight = 5;
	CHECK(fit(w, NEX, &o, &d) == 0 && !same_model(&a, &d),
	    "a weight of 5 on one example changes the model");
	scorer_file_free(&d);
	w[0].weight = 0.5;
	CHECK(fit(w, NEX, &o, &d) == 0 && !same_model(&a, &d),
	    "a weight of 0.5 on one example changes the model");
	scorer_file_free(&d);

	scorer_file_free(&a);
	scorer_file_free(&b);
	scorer_file_free(&c);
	CHECK(a.table == NULL && a.name == NULL, "scorer_file_free clears the "
	    "model");
}

static void
test_separable(void)
{
	struct train_opts	o = opts(14, 1);
	struct scorer_file	m;
	const char		*pos = "please sort the alpha pink report";
	const char		*neg = "please sort the beta pink report";
	struct features		fp, fn;

	CHECK(memcmp(ex[0].f.v, ex[1].f.v, sizeof ex[0].f.v) == 0,
	    "separable fixture: an alpha and a beta prompt have the same "
	    "features (only the n-grams tell them apart)");
	CHECK(fit(ex, NEX, &o, &m) == 0, "separable: fit");
	CHECK(ranks_perfectly(&m, ex, NEX, 1), "separable: every alpha prompt "
	    "scores above every beta prompt");
	/* Unseen combination of filler words, same two keywords. */
	features_extract(pos, strlen(pos), &fp);
	features_extract(neg, strlen(neg), &fn);
	CHECK(scorer_score(&m.s, &fp, pos, strlen(pos), NULL, NULL, NULL) > .5 &&
	    scorer_score(&m.s, &fn, neg, strlen(neg), NULL, NULL, NULL) < .5,
	    "separable: an unseen alpha prompt > .5, beta prompt < .5");
	CHECK(score_of(&m, 0) > score_of(&m, 1), "separable: example 0 "
	    "(alpha) above example 1 (beta)");
	scorer_file_free(&m);
	o.hash_bits = 0;
	CHECK(fit(ex, NEX, &o, &m) == 0 && !ranks_perfectly(&m, ex, NEX, 0),
	    "separable: features alone (hash_bits 0) cannot rank it");
	scorer_file_free(&m);
}

/*
 * Prompts whose features all vary (length, questions, code, maths, lists,
 * choices, other scripts), labelled against the heuristic's grain: the
 * simple-looking half needs strong.
 */
static const char *const varied[] = {
	"hello there",
	"What is the capital of France?",
	"Write a python function that reverses a linked list in place.",
	"Solve $x^2 + 3x = 10$ and explain each step.",
	("Compare and contrast the economic policies of two countries, then "
	    "evaluate the tradeoffs.\n1. growth\n2. inflation\n3. jobs\n"),
	"\xe4\xbd\xa0\xe5\xa5\xbd\xef\xbc\x8c\xe4\xbb\x8a\xe5\xa4\xa9",
	"```\nint main(void) { return 0; }\n```\nWhy does this compile?",
	"Which is a mammal?\nA) shark\nB) whale\nC) trout\n",
	"thanks, bye",
	"Why? Why not? How so? When?",
	"You must answer in JSON with exactly three keys.",
	"The patient's diagnosis and the contract's liability clause.",
};

#define NVARIED	(sizeof varied / sizeof varied[0])

/* The varied prompts as examples, labelled 1 and 0 in turn. */
static void
varied_examples(struct train_example *e)
{
	size_t i;

	for (i = 0; i < NVARIED; i++) {
		memset(&e[i], 0, sizeof e[i]);
		e[i].text = varied[i];
		e[i].len = strlen(varied[i]);
		features_extract(e[i].text, e[i].len, &e[i].f);
		e[i].y = i % 2 ? 0 : 1;
	}
}

/* The largest difference between n weights of a and of b (NULL: 0). */
static double
ngram_gap(const float *a, const float *b, size_t n)
{
	double	d = 0;
	size_t	i;

	for (i = 0; i < n; i++)
		d = fmax(d, fabs(a[i] - (b != NULL ? b[i] : 0)));
	return d;
}

/*
 * A prior with a huge prior_l2 keeps the feature weights at the
 * heuristic's; without it the weights move away.
 */
static void
test_prior(void)
{
	struct train_example	 e[NVARIED];
	struct train_opts	 o = opts(10, 3);
	struct scorer_file	 m, free_fit;
	double			 dmax = 0, dfree = 0, lo, hi;
	size_t			 i;
	int			 f, vary = 1;

	varied_examples(e);
	/* The fixture must move every feature, or a weight cannot move. */
	for (f = 0; f < FEAT_COUNT; f++) {
		lo = hi = e[0].f.v[f];
		for (i = 1; i < NVARIED; i++) {
			lo = fmin(lo, e[i].f.v[f]);
			hi = fmax(hi, e[i].f.v[f]);
		}
		if (hi - lo < 0.1) {
			printf("# feature %d is constant\n", f);
			vary = 0;
		}
	}
	CHECK(vary, "prior fixture: every feature varies");

	o.prior = &scorer_heuristic;
	o.prior_l2 = 1000;
	CHECK(fit(e, NVARIED, &o, &m) == 0, "prior: fit");
	for (f = 0; f < FEAT_COUNT; f++)
		dmax = fmax(dmax, fabs(m.s.w[f] - scorer_heuristic.w[f]));
	printf("# prior: largest difference %g\n", dmax);
	CHECK(dmax < 0.02, "prior, prior_l2 1000: every feature weight within "
	    ".02 of the heuristic's");

	o.prior = NULL;
	CHECK(fit(e, NVARIED, &o, &free_fit) == 0, "no prior: fit");
	for (f = 0; f < FEAT_COUNT; f++)
		dfree = fmax(dfree, fabs(free_fit.s.w[f] -
		    scorer_heuristic.w[f]));
	printf("# no prior: largest difference %g\n", dfree);
	CHECK(dfree > 10 * dmax && dfree > 0.1, "no prior: the weights end "
	    "far from the heuristic's (the prior did the holding)");
	scorer_file_free(&m);
	scorer_file_free(&free_fit);

	/* prior_l2 0 with the prior: starts there but is free to move. */
	o.prior = &scorer_heuristic;
	o.prior_l2 = 0;
	CHECK(fit(e, NVARIED, &o, &m) == 0, "prior, prior_l2 0: fit");
	for (dmax = 0, f = 0; f < FEAT_COUNT; f++)
		dmax = fmax(dmax, fabs(m.s.w[f] - scorer_heuristic.w[f]));
	CHECK(dmax > 0.1, "prior, prior_l2 0: the weights move away");
	scorer_file_free(&m);

	/* A tiny learning rate: the weights stay where they start. */
	o.lr = 1e-6;
	o.epochs = 1;
	CHECK(fit(e, NVARIED, &o, &m) == 0, "prior, lr 1e-6: fit");
	for (dmax = 0, f = 0; f < FEAT_COUNT; f++)
		dmax = fmax(dmax, fabs(m.s.w[f] - scorer_heuristic.w[f]));
	CHECK(dmax < 1e-3, "prior, lr 1e-6: the weights start at the "
	    "heuristic's");
	scorer_file_free(&m);
}

/*
 * hash_bits 0: no table, the score is the linear part alone, and the
 * features can still be learnt (here: long prompts need strong).
 */
/*
 * A prior with n-gram weights of the fit's width: they are where the fit
 * starts, and the n-gram L2 pulls back to them rather than to 0.
 */
static void
test_ngram_prior(void)
{
	struct train_example	 e[NVARIED];
	struct train_opts	 o = opts(10, 3);
	struct scorer_file	 base, m;
	struct scorer		 pr;
	double			 dzero;
	size_t			 i, nb = (size_t)1 << 10;

	varied_examples(e);
	CHECK(fit(e, NVARIED, &o, &base) == 0, "ngram prior: base fit");
	pr = base.s;

	/* The opposite labels, a strong n-gram pull: the prior's stay. */
	for (i = 0; i < NVARIED; i++)
		e[i].y = 1 - e[i].y;
	o.prior = &pr;
	o.prior_l2 = 1000;
	o.l2 = 1000;
	CHECK(fit(e, NVARIED, &o, &m) == 0, "ngram prior, l2 1000: fit");
	dzero = ngram_gap(pr.ngram, NULL, nb);
	CHECK(dzero > 0.01 && ngram_gap(m.s.ngram, pr.ngram, nb) <
	    0.01 * dzero, "ngram prior, l2 1000: the n-gram weights stay at "
	    "the prior's, not at 0");
	scorer_file_free(&m);

	/* Barely moving, the fit shows where it starts: at the prior's. */
	o.l2 = 0;
	o.lr = 1e-6;
	o.epochs = 1;
	CHECK(fit(e, NVARIED, &o, &m) == 0 &&
	    ngram_gap(m.s.ngram, pr.ngram, nb) < 1e-4,
	    "ngram prior, lr 1e-6: the n-gram weights start at the prior's");
	scorer_file_free(&m);
	o.hash_bits = 9;
	CHECK(fit(e, NVARIED, &o, &m) == 0 &&
	    ngram_gap(m.s.ngram, NULL, (size_t)1 << 9) < 1e-4,
	    "ngram prior, another width: its n-grams are not used");
	scorer_file_free(&m);
	scorer_file_free(&base);
}

/*
 * A prior's caps hold in the fit and pass to the model; with no epochs
 * the model is the prior, bit for bit.
 */
static void
test_capped_prior(void)
{
	struct train_example	 e[NVARIED];
	struct train_opts	 o = opts(10, 3);
	struct scorer_file	 base, m;
	struct scorer		 pr;

	varied_examples(e);
	CHECK(fit(e, NVARIED, &o, &base) == 0, "capped prior: base fit");
	pr = base.s;
	pr.cap[FEAT_CODE] = 1;
	pr.cap[FEAT_LENGTH] = 3;
	o.prior = &pr;
	CHECK(fit(e, NVARIED, &o, &m) == 0 && m.s.cap[FEAT_CODE] == 1 &&
	    m.s.cap[FEAT_LENGTH] == 3 && m.s.cap[FEAT_MATH] == 0,
	    "capped prior: the model keeps the prior's caps");
	scorer_file_free(&m);
	o.epochs = 0;
	CHECK(fit(e, NVARIED, &o, &m) == 0 && m.s.bias == pr.bias &&
	    memcmp(m.s.w, pr.w, sizeof m.s.w) == 0 &&
	    memcmp(m.s.cap, pr.cap, sizeof m.s.cap) == 0 &&
	    m.s.hash_bits == pr.hash_bits && m.s.ngram != pr.ngram &&
	    ngram_gap(m.s.ngram, pr.ngram, (size_t)1 << 10) == 0,
	    "no epochs: the model is the prior, weights, caps and n-grams "
	    "(copied)");
	scorer_file_free(&m);
	scorer_file_free(&base);
}

static void
test_features_only(void)
{
	struct train_example	 e[16];
	struct train_opts	 o = opts(0, 5);
	struct scorer_file	 m;
	char			 t[16][600];
	size_t			 i, k;
	int			 same = 1;

	for (i = 0; i < 16; i++) {
		t[i][0] = '\0';
		/* 2 to 9 words short, 60 to 95 words long. */
		for (k = 0; k < (i % 2 ? 2 + i / 2 : 60 + 5 * (i / 2)); k++)
			strcat(t[i], k % 3 ? "word " : "thing ");
		memset(&e[i], 0, sizeof e[i]);
		e[i].text = t[i];
		e[i].len = strlen(t[i]);
		features_extract(e[i].text, e[i].len, &e[i].f);
		e[i].y = i % 2 ? 0 : 1;
	}
	CHECK(fit(e, 16, &o, &m) == 0, "hash_bits 0: fit");
	CHECK(m.s.hash_bits == 0 && m.s.ngram == NULL && m.table == NULL,
	    "hash_bits 0: no n-gram table");
	CHECK(m.s.w[FEAT_LENGTH] > 0, "hash_bits 0: length weight positive "
	    "when long prompts need strong");
	CHECK(ranks_perfectly(&m, e, 16, 1), "hash_bits 0: long above short");
	/*
	 * The standardisation is folded into the raw weights and bias: the
	 * scores are probabilities, not only an order (long > .5 > short).
	 */
	for (i = 0, k = 1; i < 16; i++) {
		double sc = scorer_score(&m.s, &e[i].f, e[i].text, e[i].len,
		    NULL, NULL, NULL);

		if (e[i].y > .5 ? sc <= .5 : sc >= .5)
			k = 0;
	}
	CHECK(k, "hash_bits 0: every long prompt above .5, every short one "
	    "below");
	for (i = 0; i < 16; i++)
		if (scorer_score(&m.s, &e[i].f, e[i].text, e[i].len, NULL,
		    NULL, NULL) != scorer_score(&m.s, &e[i].f, "", 0, NULL, NULL, NULL))
			same = 0;
	CHECK(same, "hash_bits 0: the text adds nothing to the score");
	scorer_file_free(&m);
}

static void
test_errors(void)
{
	struct train_opts	 o = opts(8, 1);
	struct scorer_file	 m;
	char			*cause = NULL;

	CHECK(train_fit(ex, 0, &o, &m, &cause) == -1, "no examples: -1");
	CHECK(cause != NULL && strcmp(cause, "no examples to train on") == 0,
	    "no examples: says so");
	free(cause);
	CHECK(m.table == NULL && m.s.ngram == NULL, "no examples: m empty");
}

/* Labels read from text, or a bail out. */
static void
read_labels(struct labels *ls, const char *text)
{
	char	*cause = NULL;
	int	 fd = unit_tmp_fd(text, strlen(text));

	memset(ls, 0, sizeof *ls);
	if (fd == -1 || labels_read(ls, fd, "l.jsonl", &cause) == -1) {
		printf("Bail out! labels: %s\n", cause ? cause : "?");
		exit(1);
	}
	close(fd);
}

static void
test_examples(void)
{
	struct labels		 ls;
	struct train_example	*e;
	struct features		 f;

	read_labels(&ls, "{\"prompt\":\"say hi\",\"strong\":1,\"weak\":1}\n"
	    "{\"prompt\":\"prove it\",\"strong\":1,\"weak\":0}\n"
	    "{\"prompt\":\"and this\",\"strong\":0.5,\"weak\":0.75}\n");
	e = train_examples(&ls);
	CHECK(e != NULL && e[0].text == ls.v[0].p.text && e[1].len == 8,
	    "examples: the prompts' text, borrowed");
	features_extract("prove it", 8, &f);
	CHECK(e != NULL && memcmp(&e[1].f, &f, sizeof f) == 0,
	    "examples: their features");
	CHECK(e != NULL && e[0].y == 0 && e[1].y == 1 && e[2].y == 0 &&
	    e[0].weight == 0, "examples: the targets, the quality gap");
	free(e);
	labels_free(&ls);
}

static void
test_about(void)
{
	struct train_opts	 o = opts(18, 1);
	char			*a;

	o.epochs = 8;
	o.l2 = 1e-3;
	a = train_about(&o, 32, "sep.jsonl", 0, 0);
	CHECK(a != NULL && strcmp(a, "32 labelled prompts (sep.jsonl), seed 1, "
	    "8 epochs, l2 0.001, 18 hash bits") == 0, "about: one file");
	free(a);
	o.prior = &scorer_heuristic;
	a = train_about(&o, 34, "sep.jsonl", 1, 1);
	CHECK(a != NULL && strcmp(a, "34 labelled prompts (sep.jsonl and "
	    "others + feedback), seed 1, 8 epochs, l2 0.001, 18 hash bits, "
	    "prior heuristic") == 0, "about: more files, feedback, a prior");
	free(a);
}

static void
test_use_prior(void)
{
	struct train_opts	 o = opts(18, 1), o12 = opts(12, 1);
	struct scorer_file	 m, file;
	struct buf		 b = BUF_INIT;
	char			 path[] = "/tmp/llmroute-prior.XXXXXX";
	char			*cause = NULL;
	int			 fd;

	memset(&file, 0, sizeof file);
	CHECK(train_prior(&o, "heuristic", &file, 1, &cause) == 0 &&
	    o.prior == &scorer_heuristic && o.hash_bits == 18,
	    "prior: a built-in one, the width kept");
	CHECK(train_prior(&o, "/nonexistent.json", &file, 0, &cause) == -1 &&
	    cause != NULL && strstr(cause, "not builtin, heuristic or length, "
	    "and not a model file: /nonexistent.json") == cause,
	    "prior: neither a name nor a file");
	free(cause);
	cause = NULL;
	if (train_fit(ex, NEX, &o12, &m, &cause) == -1 ||
	    scorer_file_save(&m, &b) == -1 || (fd = mkstemp(path)) == -1 ||
	    write(fd, b.data, b.len) != (ssize_t)b.len) {
		CHECK(0, "prior: a 12-bit model file written");
		return;
	}
	close(fd);
	CHECK(train_prior(&o, path, &file, 0, &cause) == 0 &&
	    o.hash_bits == 12 && o.prior == &file.s, "prior: a model file, "
	    "its width taken");
	scorer_file_free(&file);
	o.hash_bits = 18;
	CHECK(train_prior(&o, path, &file, 1, &cause) == -1 && cause != NULL &&
	    strcmp(cause, "its n-gram weights have 12 hash bits, not the 18 of "
	    "--hash-bits") == 0, "prior: a width asked for that is not its "
	    "own");
	free(cause);
	scorer_file_free(&file);
	scorer_file_free(&m);
	buf_free(&b);
	unlink(path);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	make_fixture();
	test_deterministic();
	test_separable();
	test_prior();
	test_ngram_prior();
	test_capped_prior();
	test_features_only();
	test_errors();
	test_examples();
	test_about();
	test_use_prior();
	return unit_done();
}
