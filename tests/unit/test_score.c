/*
 * test_score.c: the linear scorers and their explanation terms.
 */
#include <math.h>
#include <string.h>

#include "base/buf.h"
#include "score/features.h"
#include "score/ngram.h"
#include "score/scorer.h"
#include "unit.h"

static const char *const prompts[] = {
	"hello there",
	"What is the capital of France?",
	"Write a python function that reverses a linked list in place.",
	"Solve $x^2 + 3x = 10$ and explain each step.",
	("Compare and contrast the economic policies of two countries, then "
	    "evaluate the tradeoffs.\n1. growth\n2. inflation\n3. jobs\n"),
	"\xe4\xbd\xa0\xe5\xa5\xbd\xef\xbc\x8c\xe4\xbb\x8a\xe5\xa4\xa9",
	"```\nint main(void) { return 0; }\n```\nWhy does this compile?",
	"Which is a mammal?\nA) shark\nB) whale\nC) trout\n",
};

/* The logistic function, written out again. */
static double
logistic(double z)
{
	return 1.0 / (1.0 + exp(-z));
}

/* The score of f without a text: the linear part alone. */
static double
linear(const struct scorer *s, const struct features *f,
    double contrib[FEAT_COUNT])
{
	return scorer_score(s, f, "", 0, contrib, NULL, NULL);
}

static void
test_range_and_terms(const struct scorer *s)
{
	struct features	f;
	double		contrib[FEAT_COUNT], sum, sc, sc2;
	size_t		i;
	int		j, inrange = 1, terms = 1, same = 1, weighted = 1;
	char		what[128];

	for (i = 0; i < sizeof prompts / sizeof prompts[0]; i++) {
		features_extract(prompts[i], strlen(prompts[i]), &f);
		sc = linear(s, &f, contrib);
		sc2 = linear(s, &f, NULL);
		if (!(sc >= 0 && sc <= 1))
			inrange = 0;
		if (sc != sc2)
			same = 0;
		sum = s->bias;
		for (j = 0; j < FEAT_COUNT; j++) {
			sum += contrib[j];
			if (fabs(contrib[j] - s->w[j] * f.v[j]) > 1e-12)
				weighted = 0;
		}
		if (fabs(logistic(sum) - sc) > 1e-12)
			terms = 0;
	}
	snprintf(what, sizeof what, "%s: scores in [0, 1]", s->name);
	CHECK(inrange, what);
	snprintf(what, sizeof what, "%s: logistic(bias + sum of terms) is "
	    "the score", s->name);
	CHECK(terms, what);
	snprintf(what, sizeof what, "%s: each term is weight * feature",
	    s->name);
	CHECK(weighted, what);
	snprintf(what, sizeof what, "%s: contrib NULL gives the same score",
	    s->name);
	CHECK(same, what);
}

static void
test_handmade(void)
{
	struct features	f;
	double		contrib[FEAT_COUNT], prev = -1, sc;
	int		i, mono = 1, ok = 1;

	memset(&f, 0, sizeof f);
	CHECK_NEAR(linear(&scorer_heuristic, &f, NULL),
	    logistic(scorer_heuristic.bias), 1e-12,
	    "all features 0: logistic(bias)");
	CHECK(linear(&scorer_heuristic, &f, NULL) < 0.5,
	    "all features 0: below one half");

	/* scorer_length: strictly increasing in the length feature. */
	for (i = 0; i <= 40; i++) {
		f.v[FEAT_LENGTH] = i * 0.5;
		sc = linear(&scorer_length, &f, contrib);
		if (!(sc > prev))
			mono = 0;
		prev = sc;
		if (contrib[FEAT_LENGTH] != scorer_length.w[FEAT_LENGTH] *
		    f.v[FEAT_LENGTH])
			ok = 0;
	}
	CHECK(mono, "scorer_length strictly increasing in length");
	CHECK(ok, "scorer_length contrib is weight * length");
	CHECK(prev > 0.99, "a very long prompt scores near 1");

	/* Only length counts for scorer_length. */
	memset(&f, 0, sizeof f);
	f.v[FEAT_LENGTH] = 5;
	sc = linear(&scorer_length, &f, NULL);
	for (i = 0; i < FEAT_COUNT; i++)
		if (i != FEAT_LENGTH)
			f.v[i] = 3;
	CHECK(linear(&scorer_length, &f, contrib) == sc,
	    "scorer_length ignores everything but length");
	for (i = 0; i < FEAT_COUNT; i++)
		if (i != FEAT_LENGTH && contrib[i] != 0)
			ok = 0;
	CHECK(ok, "scorer_length: other terms are 0");

	/* Extremes stay in range. */
	for (i = 0; i < FEAT_COUNT; i++)
		f.v[i] = 1e6;
	sc = linear(&scorer_heuristic, &f, NULL);
	CHECK(sc >= 0 && sc <= 1, "huge features: still in [0, 1]");
	f.v[FEAT_LENGTH] = 0;
	for (i = 0; i < FEAT_COUNT; i++)
		f.v[i] = i == FEAT_SIMPLE ? 1e6 : 0;
	sc = linear(&scorer_heuristic, &f, NULL);
	CHECK(sc >= 0 && sc <= 1, "hugely negative logit: still in [0, 1]");
}

static void
test_texts(void)
{
	struct buf	 b = BUF_INIT;
	struct features	 f;
	double		 prev = -1, sc;
	int		 i, mono = 1;
	const char	*chat = "hello there, how are you today";

	/* Longer texts score higher under scorer_length. */
	for (i = 0; i < 400; i++) {
		buf_addstr(&b, "word ");
		features_extract(b.data, b.len, &f);
		sc = linear(&scorer_length, &f, NULL);
		if (!(sc > prev))
			mono = 0;
		prev = sc;
	}
	CHECK(mono, "scorer_length grows with every added word");
	buf_free(&b);

	/*
	 * Regression: features.c gave FEAT_NONENGLISH NaN for 1 to 4 ASCII
	 * letters (0 / 0), and 0 * NaN is NaN even under scorer_length.
	 */
	features_extract("hi", 2, &f);
	sc = linear(&scorer_heuristic, &f, NULL);
	CHECK(sc >= 0 && sc <= 1, "builtin: \"hi\" scores in [0, 1]");
	sc = linear(&scorer_length, &f, NULL);
	CHECK(sc >= 0 && sc <= 1, "length: \"hi\" scores in [0, 1]");
	features_extract(chat, strlen(chat), &f);
	sc = linear(&scorer_heuristic, &f, NULL);
	CHECK(sc >= 0 && sc < 0.5, "builtin: chit-chat scores below 0.5");
}

static void
test_find(void)
{
	CHECK(scorer_find("builtin") == scorer_builtin(), "find builtin");
	CHECK(scorer_find("heuristic") == &scorer_heuristic, "find heuristic");
	CHECK(scorer_find("length") == &scorer_length, "find length");
	CHECK(scorer_find("nope") == NULL, "unknown scorer: NULL");
	CHECK(scorer_find("") == NULL, "empty name: NULL");
	CHECK(scorer_find("Builtin") == NULL, "names are case-sensitive");
	CHECK_STR(scorer_heuristic.name, "heuristic", "heuristic's name");
	CHECK_STR(scorer_builtin()->name, "builtin", "builtin's name");
	CHECK_STR(scorer_length.name, "length", "length's name");
}

/* The text's part: none without n-grams, ngram_sum's with them. */
static void
test_text_part(void)
{
	const struct scorer	*b = scorer_builtin();
	struct features		 f;
	const char		*text = prompts[2];
	size_t			 len = strlen(text);
	double			 contrib[FEAT_COUNT], ng = -1, z, sc;
	int			 i;

	features_extract(text, len, &f);
	CHECK(scorer_score(&scorer_heuristic, &f, text, len, NULL, &ng, NULL) ==
	    linear(&scorer_heuristic, &f, NULL) && ng == 0,
	    "heuristic: the text adds nothing, n-gram part 0");
	CHECK(linear(b, &f, NULL) == scorer_score(b, &f, "", 0, NULL, &ng, NULL) &&
	    ng == 0, "builtin without a text: n-gram part 0");
	sc = scorer_score(b, &f, text, len, contrib, &ng, NULL);
	CHECK(b->ngram == NULL || ng == ngram_sum(text, len, b->hash_bits,
	    b->ngram), "builtin: the n-gram part is ngram_sum's");
	z = b->bias + ng;
	for (i = 0; i < FEAT_COUNT; i++)
		z += contrib[i];
	CHECK_NEAR(sc, logistic(z), 1e-12, "builtin: logistic(bias + terms "
	    "+ n-gram part) is the score");
}

int
main(void)
{
	/* Line-buffered: a sanitizer exit must not lose TAP lines. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_range_and_terms(&scorer_heuristic);
	test_range_and_terms(&scorer_length);
	test_handmade();
	test_texts();
	test_text_part();
	test_find();
	return unit_done();
}
