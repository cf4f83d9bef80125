/*
 * test_memory.c: the memory of labelled prompts (memory.c) and what it
 * brings to a fit (train.c, folds.c): a prompt's nearest neighbours are
 * the prompts on its topic, a fit with a memory ranks a fixture of
 * topics that the linear model cannot, the same seed gives the same
 * scores, a model file keeps its memory, --auto chooses from its grid
 * deterministically.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "learn/folds.h"
#include "learn/metrics.h"
#include "learn/train.h"
#include "score/features.h"
#include "score/memory.h"
#include "score/scorer_file.h"
#include "unit.h"

#define NTOPIC	6
#define NPER	12
#define NEX	(NTOPIC * NPER)

static char			texts[NEX][512];
static struct train_example	ex[NEX];

/*
 * The fixture of topics: each prompt is the same long request about one
 * of six arbitrary topics, named by three of the topic's four words;
 * topics 0, 2 and 3 need the strong model.  Length and the features are
 * the same for every prompt, so only the topic's words tell them apart:
 * a few n-grams among many, which the linear model's n-gram weights
 * learn only in part from a few prompts each; among the stored prompts
 * they are what is rare, so a prompt's nearest neighbours are those on
 * its topic.
 */
static void
make_topics(void)
{
	static const char *const topic[NTOPIC][4] = {
		{ "harbour", "ferry", "tide", "anchor" },
		{ "violin", "sonata", "cello", "bow" },
		{ "glacier", "moraine", "crevasse", "ice" },
		{ "ledger", "invoice", "audit", "tax" },
		{ "orchard", "pear", "graft", "blossom" },
		{ "comet", "orbit", "perihelion", "tail" },
	};
	size_t	i, t, j;
	int	strong;

	for (i = 0; i < NEX; i++) {
		t = i % NTOPIC;
		j = i / NTOPIC;
		strong = t == 0 || t == 2 || t == 3;
		snprintf(texts[i], sizeof texts[i], "please read the whole of "
		    "this request with care and then answer it in full, with "
		    "every detail you can give, in plain words and in good "
		    "order; say what you know, say how you know it, and say "
		    "what you do not know, so that a reader new to all of it "
		    "can follow, about the %s, the %s and the %s",
		    topic[t][j % 4],
		    topic[t][(j + 1) % 4], topic[t][(j + 2) % 4]);
		memset(&ex[i], 0, sizeof ex[i]);
		ex[i].text = texts[i];
		ex[i].len = strlen(texts[i]);
		features_extract(ex[i].text, ex[i].len, &ex[i].f);
		ex[i].y = strong ? 1 : 0;
		ex[i].strong = 1;
		ex[i].weak = strong ? 0 : 1;
	}
}

/*
 * The share of the pairs of a prompt that needs the strong model and one
 * that does not which pred ranks the right way round (a tie: half).
 */
static double
pairs_right(const double *pred)
{
	double	right = 0, all = 0;
	size_t	i, j;

	for (i = 0; i < NEX; i++)
		for (j = 0; j < NEX; j++)
			if (ex[i].y > ex[j].y) {
				all++;
				right += pred[i] > pred[j] ? 1 :
				    pred[i] == pred[j] ? 0.5 : 0;
			}
	return right / all;
}

static struct train_opts
opts(unsigned memory_k)
{
	struct train_opts o;

	memset(&o, 0, sizeof o);
	o.hash_bits = 18;
	o.epochs = 8;
	o.l2 = 1e-3;
	o.lr = 0.02;
	o.seed = 1;
	o.memory_k = memory_k;
	o.memory_shrink = MEMORY_SHRINK_DEFAULT;
	return o;
}

/* The APGR of the 2-fold cross-validated fit with o; -1 on failure. */
static double
cv_apgr(const struct train_opts *o, double *pred)
{
	struct metrics	m;
	double		qs[NEX], qw[NEX];
	char		*cause = NULL;
	size_t		i;

	for (i = 0; i < NEX; i++) {
		qs[i] = ex[i].strong;
		qw[i] = ex[i].weak;
	}
	if (folds_predict(ex, NEX, o, 2, pred, &cause) == -1 ||
	    metrics_eval(pred, qs, qw, NEX, &m) == -1) {
		free(cause);
		return -1;
	}
	return m.apgr;
}

/* The neighbours of a prompt are on its topic. */
static void
test_neighbours(void)
{
	struct memory		 m;
	struct memory_term	*terms[NEX];
	size_t			 nterms[NEX], i;
	float			 y[NEX];
	double			 est, mass;
	const char		*q = "a question on the ferry and the tide";
	int			 ok = 1;

	for (i = 0; i < NEX; i++) {
		y[i] = i % NTOPIC == 0 ? 1.0f : -1.0f;	/* the harbour */
		ok &= memory_terms(ex[i].text, ex[i].len, 18, &terms[i],
		    &nterms[i]) == 0;
	}
	CHECK(ok, "memory_terms: every prompt's terms");
	CHECK(memory_build(&m, 18, 8, 1, NEX, terms, nterms, y) == 0,
	    "memory_build");
	CHECK(memory_score(&m, q, strlen(q), &est, &mass) == 0 &&
	    est > 0.99 && mass > 0, "a prompt on the ferry: its 8 nearest "
	    "are all about the harbour");
	CHECK(memory_score(&m, "zebra", 5, &est, &mass) == 0 && est == 0 &&
	    mass == 0, "a prompt with no known word has no neighbours");
	CHECK(memory_blend(&m, 0.5, 1, 1) == 1 && memory_blend(&m, 0.5, 0,
	    3) == 0.5 && memory_blend(&m, 0.5, 1, 0) == 0.5,
	    "memory_blend: half way at mass = shrink, nothing without mass");
	memory_free(&m);
	for (i = 0; i < NEX; i++)
		free(terms[i]);
}

/*
 * A memory ranks the topics, clearly better than the linear model alone.
 * Both cross-validated with 2 folds: fitted on one half, scored on the
 * other.
 */
static void
test_topics(void)
{
	struct train_opts	o = opts(MEMORY_K_DEFAULT), lin = opts(0);
	double			p1[NEX], p2[NEX], plin[NEX], a, alin, r, rlin;

	a = cv_apgr(&o, p1);
	alin = cv_apgr(&lin, plin);
	r = pairs_right(p1);
	rlin = pairs_right(plin);
	printf("# topics: with a memory APGR %.3f, pairs right %.3f; linear "
	    "alone APGR %.3f, pairs right %.3f\n", a, r, alin, rlin);
	CHECK(r > 0.95, "topics: a memory ranks them, above 95% of the pairs");
	CHECK(r > rlin + 0.15, "topics: the linear model alone does not: the "
	    "memory orders 15% more of the pairs right");
	CHECK(a > alin + 0.05, "topics: and its APGR is 0.05 higher");
	CHECK(cv_apgr(&o, p2) == a && memcmp(p1, p2, sizeof p1) == 0,
	    "topics: the same seed gives the same scores, bit for bit");
}

/* A model file keeps its memory: the same scores after a round trip. */
static void
test_round_trip(void)
{
	struct train_opts	 o = opts(MEMORY_K_DEFAULT);
	struct scorer_file	 m, l;
	struct buf		 b = BUF_INIT;
	char			 path[] = "/tmp/llmroute-memory-XXXXXX";
	char			*cause = NULL;
	size_t			 i;
	int			 fd, same = 1;

	CHECK(train_fit(ex, NEX, &o, &m, &cause) == 0 && m.s.memory != NULL,
	    "a fit with memory_k keeps a memory");
	m.beats_length = -1;
	m.note = strdup("a note");
	CHECK(scorer_file_save(&m, &b) == 0 && strstr(b.data,
	    "\"memory\":{\"bits\":18,\"k\":32,") != NULL &&
	    strstr(b.data, "\"beats_length\":false,\"note\":\"a note\"") !=
	    NULL, "saved: the memory, beats_length and the note");
	fd = mkstemp(path);
	CHECK(fd != -1 && write(fd, b.data, b.len) == (ssize_t)b.len,
	    "written");
	if (fd != -1)
		close(fd);
	CHECK(scorer_file_load(path, &l, &cause) == 0 && l.s.memory != NULL &&
	    l.mem.n == NEX && l.beats_length == -1 && l.note != NULL &&
	    strcmp(l.note, "a note") == 0, "loaded back with its memory");
	for (i = 0; l.s.memory != NULL && i < NEX; i++)
		same &= scorer_score(&m.s, &ex[i].f, ex[i].text, ex[i].len,
		    NULL, NULL, NULL) == scorer_score(&l.s, &ex[i].f,
		    ex[i].text, ex[i].len, NULL, NULL, NULL);
	CHECK(same && l.s.memory != NULL, "round trip: the same scores");
	unlink(path);
	scorer_file_free(&l);
	scorer_file_free(&m);
	buf_free(&b);
	free(cause);
}

/* A damaged memory is refused, naming the field. */
static void
test_damaged(void)
{
	static const char *const bad[] = {
		"\"memory\":{\"bits\":18,\"k\":4,\"shrink\":1,\"idf\":[[1,2]],"
		    "\"prompts\":[[2,1,1]]}",
		"\"memory\":{\"bits\":18,\"k\":4,\"shrink\":1,\"idf\":[[1,2]],"
		    "\"prompts\":[[0.5,262144,1]]}",
		"\"memory\":{\"bits\":18,\"k\":4,\"shrink\":1,\"idf\":[[1,-2]],"
		    "\"prompts\":[]}",
		"\"memory\":{\"bits\":18,\"k\":0,\"shrink\":1,\"idf\":[],"
		    "\"prompts\":[]}",
	};
	struct scorer_file	 l;
	char			 path[] = "/tmp/llmroute-memory-XXXXXX";
	char			*cause;
	size_t			 i;
	int			 fd, refused = 1;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		fd = mkstemp(path);
		if (fd == -1)
			break;
		dprintf(fd, "{\"llmroute_model\":2,\"features\":[\"length\","
		    "\"sentences\",\"questions\",\"code\",\"math\","
		    "\"reasoning\",\"multipart\",\"constraints\",\"domain\","
		    "\"simple\",\"choice\",\"nonenglish\"],\"bias\":0,"
		    "\"weights\":[0,0,0,0,0,0,0,0,0,0,0,0],%s}", bad[i]);
		close(fd);
		cause = NULL;
		refused &= scorer_file_load(path, &l, &cause) == -1 &&
		    cause != NULL && strstr(cause, "'memory") != NULL;
		free(cause);
		unlink(path);
		memcpy(path + strlen(path) - 6, "XXXXXX", 6);
	}
	CHECK(refused, "a damaged memory is refused, naming the field");
}

/* --auto: a memory for the topics, the same choice every time. */
static void
test_auto(void)
{
	struct train_opts	o = opts(0), c1, c2;
	char			*cause = NULL;
	double			a1, a2;

	o.autotune = 1;
	CHECK(folds_auto(ex, NEX, &o, &c1, &a1, &cause) == 0 &&
	    folds_auto(ex, NEX, &o, &c2, &a2, &cause) == 0,
	    "folds_auto runs");
	CHECK(a1 == a2 && memcmp(&c1, &c2, sizeof c1) == 0,
	    "--auto: the same examples and seed, the same choice");
	CHECK(c1.memory_k > 0 && c1.autotune == 0 && c1.epochs > 0,
	    "--auto: the topics get a memory");
	free(cause);
}

int
main(void)
{
	make_topics();
	test_neighbours();
	test_topics();
	test_round_trip();
	test_damaged();
	test_auto();
	return unit_done();
}
