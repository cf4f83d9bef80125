/*
 * test_model.c: model files (model.c): save and load round-trip, the C
 * source written for the built-in weights, and every way scorer_file_load
 * refuses a damaged file, each message naming the file.
 */
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "score/features.h"
#include "score/scorer_file.h"
#include "score/weights.h"
#include "score/ngram.h"
#include "score/scorer.h"
#include "learn/train.h"
#include "unit.h"

static char	dir[] = "/tmp/test_model.XXXXXX";

static const char *const prompts[] = {
	"hello there",
	"What is the capital of France?",
	"Write a python function that reverses a linked list in place.",
	"Solve $x^2 + 3x = 10$ and explain each step.",
	"please check the alpha red report",
	"please check the beta red report",
	"\xe4\xbd\xa0\xe5\xa5\xbd\xef\xbc\x8c\xe4\xbb\x8a\xe5\xa4\xa9",
	"",
};

#define NPROMPTS	(sizeof prompts / sizeof prompts[0])

/* The path of name in the scratch directory (static buffer). */
static const char *
path_of(const char *name)
{
	static char p[256];

	snprintf(p, sizeof p, "%s/%s", dir, name);
	return p;
}

static int
put(const char *name, const char *text, size_t len)
{
	FILE *f = fopen(path_of(name), "w");

	if (f == NULL)
		return -1;
	if (fwrite(text, 1, len, f) != len) {
		fclose(f);
		return -1;
	}
	return fclose(f) == 0 ? 0 : -1;
}

static double
score(const struct scorer *s, const char *text)
{
	struct features f;

	features_extract(text, strlen(text), &f);
	return scorer_score(s, &f, text, strlen(text), NULL, NULL, NULL);
}

/* A model trained on a few prompts, with n-grams of bits bits. */
static int
trained(unsigned bits, struct scorer_file *m)
{
	struct train_example	ex[NPROMPTS];
	struct train_opts	o;
	char			*cause = NULL;
	size_t			i;
	int			r;

	memset(&o, 0, sizeof o);
	o.hash_bits = bits;
	o.epochs = 5;
	o.l2 = 1e-3;
	o.lr = 0.05;
	o.seed = 9;
	for (i = 0; i < NPROMPTS; i++) {
		memset(&ex[i], 0, sizeof ex[i]);
		ex[i].text = prompts[i];
		ex[i].len = strlen(prompts[i]);
		features_extract(ex[i].text, ex[i].len, &ex[i].f);
		ex[i].y = (double)(i % 3) / 2;
	}
	r = train_fit(ex, NPROMPTS, &o, m, &cause);
	free(cause);
	return r;
}

static void
test_roundtrip(void)
{
	struct scorer_file	 m, l, l2;
	struct buf		 b = BUF_INIT, b2 = BUF_INIT;
	char			*cause = NULL;
	size_t			 i, nb;
	double			 dmax = 0;
	int			 same = 1, near = 1, tab = 1;

	CHECK(trained(12, &m) == 0, "round trip: trained a 12-bit model");
	m.about = strdup("unit \"test\" data");
	CHECK(scorer_file_save(&m, &b) == 0, "scorer_file_save: ok");
	CHECK(b.len > 0 && b.data[b.len - 1] == '\n', "scorer_file_save: one line, "
	    "ending in a newline");
	CHECK(strstr(b.data, "\"llmroute_model\":2") != NULL,
	    "scorer_file_save: version 2");
	CHECK(strstr(b.data, "\"about\":\"unit \\\"test\\\" data\"") != NULL,
	    "scorer_file_save: about, escaped");
	CHECK(put("m.json", b.data, b.len) == 0, "round trip: written");
	CHECK(scorer_file_load(path_of("m.json"), &l, &cause) == 0, "scorer_file_load of "
	    "the saved model: ok");
	if (cause != NULL)
		printf("# %s\n", cause);
	free(cause);
	cause = NULL;
	CHECK(l.s.name != NULL && strcmp(l.s.name, path_of("m.json")) == 0,
	    "scorer_file_load: the scorer is named after the file");
	CHECK(l.about != NULL && strcmp(l.about, "unit \"test\" data") == 0,
	    "scorer_file_load: about read back");
	CHECK(l.s.hash_bits == 12 && l.s.ngram != NULL, "scorer_file_load: 12-bit "
	    "n-gram table");
	nb = (size_t)1 << 12;
	for (i = 0; l.s.ngram != NULL && i < nb; i++)
		if ((m.s.ngram[i] == 0) != (l.s.ngram[i] == 0))
			tab = 0;
	CHECK(tab, "scorer_file_load: the same n-gram buckets are set");
	for (i = 0; i < NPROMPTS; i++) {
		double a = score(&m.s, prompts[i]), c = score(&l.s, prompts[i]);

		if (a != c)
			same = 0;
		if (fabs(a - c) > 1e-6)
			near = 0;
		dmax = fmax(dmax, fabs(a - c));
	}
	/* Why the scores differ, if they do (diagnostics, not checks). */
	printf("# largest score difference after the round trip: %g\n", dmax);
	if (l.s.bias != m.s.bias)
		printf("# bias %.17g was saved as %.17g\n", m.s.bias, l.s.bias);
	for (i = 0; i < FEAT_COUNT; i++)
		if (l.s.w[i] != m.s.w[i]) {
			printf("# weight %zu %.17g was saved as %.17g\n", i,
			    m.s.w[i], l.s.w[i]);
			break;
		}
	for (i = 0; l.s.ngram != NULL && i < nb; i++)
		if (l.s.ngram[i] != m.s.ngram[i]) {
			printf("# n-gram %zu %.9g was saved as %.9g\n", i,
			    (double)m.s.ngram[i], (double)l.s.ngram[i]);
			break;
		}
	CHECK(near, "round trip: scores within 1e-6 on every prompt");
	CHECK(same, "round trip: scores identical on every prompt (the file "
	    "keeps every bit of the model)");

	/* Loaded, saved and loaded again: a fixed point. */
	CHECK(scorer_file_save(&l, &b2) == 0 && put("m2.json", b2.data, b2.len) == 0
	    && scorer_file_load(path_of("m2.json"), &l2, &cause) == 0,
	    "round trip twice: ok");
	free(cause);
	for (i = 0, same = 1; i < NPROMPTS; i++)
		if (score(&l.s, prompts[i]) != score(&l2.s, prompts[i]))
			same = 0;
	CHECK(same, "second round trip: identical scores");
	CHECK(l2.trained_on == 0, "load does not read trained_on (it is "
	    "informational)");
	scorer_file_free(&m);
	scorer_file_free(&l);
	scorer_file_free(&l2);
	buf_free(&b);
	buf_free(&b2);
}

/* A model with no n-grams: hash_bits 0, "ngrams": []. */
static void
test_features_only(void)
{
	struct scorer_file	 m, l;
	struct buf		 b = BUF_INIT;
	char			*cause = NULL;
	size_t			 i;
	int			 same = 1;

	CHECK(trained(0, &m) == 0, "features only: trained");
	CHECK(scorer_file_save(&m, &b) == 0 && strstr(b.data, "\"hash_bits\":0,"
	    "\"ngrams\":[]}") != NULL, "features only: hash_bits 0, ngrams []");
	CHECK(put("f.json", b.data, b.len) == 0 &&
	    scorer_file_load(path_of("f.json"), &l, &cause) == 0,
	    "features only: loads");
	free(cause);
	CHECK(l.s.hash_bits == 0 && l.s.ngram == NULL && l.table == NULL,
	    "features only: no table after load");
	for (i = 0; i < NPROMPTS; i++)
		if (fabs(score(&m.s, prompts[i]) - score(&l.s, prompts[i])) >
		    1e-7)
			same = 0;
	CHECK(same, "features only: the same scores");
	scorer_file_free(&m);
	scorer_file_free(&l);
	buf_free(&b);
}

/* A model file written by hand, with exact values, is scored exactly. */
static void	handmade_ngrams(const char *);
static void	emit_caps(void);

static void
test_handmade(void)
{
	struct scorer_file	 l;
	struct buf		 b = BUF_INIT;
	struct features		 f;
	char			*cause = NULL;
	const char		*text = "alpha beta";
	double			 z;
	size_t			 i;

	buf_addstr(&b, "{\"llmroute_model\":1,\"features\":[");
	for (i = 0; i < FEAT_COUNT; i++)
		buf_addf(&b, "%s\"%s\"", i ? "," : "",
		    features_name((enum feature_id)i));
	buf_addstr(&b, "],\"bias\":-0.5,\"weights\":[0.25");
	for (i = 1; i < FEAT_COUNT; i++)
		buf_addstr(&b, ",0");
	buf_addstr(&b, "]}");
	CHECK(put("h.json", b.data, b.len) == 0 &&
	    scorer_file_load(path_of("h.json"), &l, &cause) == 0,
	    "hand-made model without hash_bits or ngrams: loads");
	if (cause)
		printf("# %s\n", cause);
	free(cause);
	cause = NULL;
	features_extract(text, strlen(text), &f);
	z = -0.5 + 0.25 * f.v[FEAT_LENGTH];
	CHECK(l.s.bias == -0.5 && l.s.w[0] == 0.25 && l.s.ngram == NULL,
	    "hand-made: bias and weights as written");
	CHECK_NEAR(score(&l.s, text), 1 / (1 + exp(-z)), 1e-15,
	    "hand-made: score is logistic(bias + w . f)");
	scorer_file_free(&l);

	handmade_ngrams(text);
	buf_free(&b);
}

/*
 * A hand-made model of version v with no feature weights, n-grams of 4
 * bits each weighing w, and caps (a JSON object, or NULL), loaded into l.
 * Returns what scorer_file_load returns; *cause as it leaves it.
 */
static int
handmade(int v, double w, const char *caps, struct scorer_file *l,
    char **cause)
{
	struct buf	b = BUF_INIT;
	size_t		i;
	int		r;

	buf_addf(&b, "{\"llmroute_model\":%d,\"features\":[", v);
	for (i = 0; i < FEAT_COUNT; i++)
		buf_addf(&b, "%s\"%s\"", i ? "," : "",
		    features_name((enum feature_id)i));
	buf_addstr(&b, "],\"bias\":0,\"weights\":[1");
	for (i = 1; i < FEAT_COUNT; i++)
		buf_addstr(&b, i == FEAT_CODE ? ",1" : ",0");
	if (caps != NULL)
		buf_addf(&b, "],\"caps\":%s", caps);
	else
		buf_addstr(&b, "]");
	buf_addf(&b, ",\"hash_bits\":%d,\"ngrams\":[", w != 0 ? 4 : 0);
	for (i = 0; w != 0 && i < 16; i++)
		buf_addf(&b, "%s[%zu,%g]", i ? "," : "", i, w);
	buf_addstr(&b, "]}");
	r = put("hm.json", b.data, b.len) == 0 ?
	    scorer_file_load(path_of("hm.json"), l, cause) : -1;
	buf_free(&b);
	return r;
}

/* The logit of text under s, less its feature part: the n-gram term. */
static double
ngram_term(const struct scorer *s, const char *text)
{
	struct features	f;
	double		c[FEAT_COUNT], ng = 0;

	features_extract(text, strlen(text), &f);
	(void)scorer_score(s, &f, text, strlen(text), c, &ng, NULL);
	return ng;
}

/*
 * The n-gram term is the mean weight of the text's n-grams, within
 * NGRAM_BOUND, so more of the same text leaves it where it was; version
 * 1 files, whose term was a sum, load only without n-grams.
 */
static void
handmade_ngrams(const char *text)
{
	struct scorer_file	 l;
	struct buf		 big = BUF_INIT;
	char			*cause = NULL;
	size_t			 i;

	CHECK(handmade(2, 1, NULL, &l, &cause) == 0,
	    "hand-made 4-bit model: loads");
	free(cause);
	cause = NULL;
	CHECK_NEAR(ngram_term(&l.s, text), 1, 1e-12,
	    "hand-made 4-bit: every n-gram weighs 1, so the mean is 1");
	for (i = 0; i < 20000; i++)
		buf_addstr(&big, "alpha beta gamma ");
	CHECK_NEAR(ngram_term(&l.s, big.data), 1, 1e-9,
	    "hand-made 4-bit: 60,000 tokens, still 1");
	scorer_file_free(&l);
	CHECK(handmade(2, 50, NULL, &l, &cause) == 0 &&
	    ngram_term(&l.s, big.data) == NGRAM_BOUND &&
	    ngram_term(&l.s, text) == NGRAM_BOUND,
	    "n-gram weights of 50: the term stops at NGRAM_BOUND");
	scorer_file_free(&l);
	CHECK(handmade(2, -50, NULL, &l, &cause) == 0 &&
	    ngram_term(&l.s, text) == -NGRAM_BOUND,
	    "n-gram weights of -50: the term stops at -NGRAM_BOUND");
	scorer_file_free(&l);
	free(cause);
	cause = NULL;
	CHECK(handmade(1, 1, NULL, &l, &cause) == -1 && cause != NULL &&
	    strstr(cause, "version 1 n-gram weights") != NULL,
	    "a version 1 file with n-grams is refused, saying why");
	free(cause);
	cause = NULL;
	CHECK(handmade(1, 0, NULL, &l, &cause) == 0 && l.s.w[0] == 1,
	    "a version 1 file without n-grams loads");
	scorer_file_free(&l);
	buf_free(&big);
}

/*
 * Caps: a feature counts up to its cap; a cap on a name that is not a
 * feature, or one that is not above 0, is refused.
 */
static void
test_caps(void)
{
	struct scorer_file	 l;
	struct features		 f;
	char			*cause = NULL;

	CHECK(handmade(2, 0, "{\"code\":1}", &l, &cause) == 0 &&
	    l.s.cap[FEAT_CODE] == 1 && l.s.cap[FEAT_LENGTH] == 0,
	    "caps: loaded by name");
	memset(&f, 0, sizeof f);
	f.v[FEAT_CODE] = 3;
	f.v[FEAT_LENGTH] = 5;
	CHECK(scorer_value(&l.s, &f, FEAT_CODE) == 1 &&
	    scorer_value(&l.s, &f, FEAT_LENGTH) == 5,
	    "scorer_value: capped where a cap is, as it is elsewhere");
	CHECK_NEAR(scorer_score(&l.s, &f, "", 0, NULL, NULL, NULL),
	    1 / (1 + exp(-6.0)), 1e-12, "a capped feature scores its cap");
	scorer_file_free(&l);
	free(cause);
	cause = NULL;
	CHECK(handmade(2, 0, "{\"cod\":1}", &l, &cause) == -1 &&
	    cause != NULL && strstr(cause, "'cod'") != NULL,
	    "caps: an unknown feature is named");
	free(cause);
	cause = NULL;
	CHECK(handmade(2, 0, "{\"code\":0}", &l, &cause) == -1 &&
	    cause != NULL && strstr(cause, "caps.code") != NULL,
	    "caps: a cap of 0 is refused");
	free(cause);
}

/*
 * Read back the table of the C source at src: every number, in order, into
 * w (up to max of them); returns how many, or -1 if a row does not parse.
 */
static long
emitted_table(const char *src, float *w, size_t max)
{
	const char	*p, *stop;
	char		*end;
	size_t		 n = 0;

	if ((p = strstr(src, "static const float table[")) == NULL ||
	    (p = strstr(p, "{\n")) == NULL || (stop = strstr(p, "};")) == NULL)
		return -1;
	for (p += 2; p < stop; p = end) {
		while (*p == '\t' || *p == ' ' || *p == '\n' || *p == ',')
			p++;
		if (p >= stop)
			break;
		if (n == max)
			return -1;
		w[n++] = strtof(p, &end);
		if (end == p)
			return -1;
		if (*end == 'f')
			end++;
		if (*end != ',' && *end != '\n')
			return -1;
	}
	return (long)n;
}

/* The number after "\t.NAME = " in the C source at src, in *out. */
static int
emitted_field(const char *src, const char *name, double *out)
{
	char		 want[64];
	const char	*p;

	snprintf(want, sizeof want, "\t.%s = ", name);
	if ((p = strstr(src, want)) == NULL)
		return -1;
	return sscanf(p + strlen(want), "%lf", out) == 1 ? 0 : -1;
}

/*
 * Check that every row of the table in the C source at src holds eight
 * numbers; *rows is the count of rows.  Returns 0, or -1 for a row that
 * does not.
 */
static int
emitted_rows(const char *src, size_t *rows)
{
	const char	*p, *nl;
	size_t		 commas;

	*rows = 0;
	if ((p = strstr(src, "static const float table[")) == NULL ||
	    (p = strstr(p, "{\n")) == NULL)
		return -1;
	for (p += 2; *p == '\t'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			return -1;
		for (commas = 0; p < nl; p++)
			commas += *p == ',';
		if (commas != 8)
			return -1;
		(*rows)++;
	}
	return strncmp(p, "};\n", 3) == 0 ? 0 : -1;
}

/*
 * Check that the C source in b compiles, with the project's warnings as
 * errors, when a C compiler and the source tree (the tests run from the
 * top of it) are at hand; else skip.
 */
static void
compiles(const struct buf *b, const char *what)
{
	char	cmd[512];
	int	r;

	if (access("src/score/weights.h", R_OK) != 0 ||
	    system("command -v cc >/dev/null 2>&1") != 0) {
		printf("# %s: skipped (no cc or no src/)\n", what);
		CHECK(1, what);
		return;
	}
	snprintf(cmd, sizeof cmd, "cc -std=c11 -Wall -Wextra -pedantic "
	    "-Wmissing-prototypes -Werror -iquote src -fsyntax-only %s",
	    path_of("emit.c"));
	r = put("emit.c", b->data, b->len) == 0 ? system(cmd) : -1;
	CHECK(r == 0, what);
}

static void
test_emit_c(void)
{
	struct scorer_file	 m;
	struct buf		 b = BUF_INIT;
	float			 w[(1 << 10) + 1];
	double			 d = 0, wf[FEAT_COUNT];
	const char		*first = "/* Generated by \"llmroute train "
				    "--emit-c\" (make weights): do not edit. */\n";
	const char		*p;
	char			*end;
	size_t			 i, rows = 0, nz = 0, ok = 1;
	long			 n;

	CHECK(trained(10, &m) == 0, "emit-c: trained");
	m.about = strdup("emit test */ x /* y\nz");
	/* Whole numbers and exponents must be C constants too. */
	m.table[1] = 1;
	m.table[2] = -3e-7f;
	m.s.w[FEAT_CODE] = 2;
	CHECK(scorer_file_emit_c(&m, &b) == 0, "scorer_file_emit_c: ok");
	CHECK(strncmp(b.data, first, strlen(first)) == 0,
	    "emit-c: the first line says how it was made, not to edit it");
	CHECK(strstr(b.data, " *\temit test * / x / * y z\n") != NULL &&
	    strstr(b.data, "\t.about = \"emit test */ x /* y\\nz\",\n") !=
	    NULL, "emit-c: about in the comment (defused) and as a string");
	CHECK(strstr(b.data, "#include \"score/weights.h\"") != NULL &&
	    strstr(b.data, "const struct weights weights_builtin = {") !=
	    NULL, "emit-c: includes score/weights.h, defines weights_builtin");
	CHECK(emitted_field(b.data, "bias", &d) == 0 && d == m.s.bias,
	    "emit-c: holds the bias, every bit of it");
	p = strstr(b.data, "\t.w = {\n");
	for (i = 0; p != NULL && i < FEAT_COUNT; i++) {
		p = strchr(p, '\n') + 1;
		wf[i] = strtod(p, &end);
		if (end == p || wf[i] != m.s.w[i] ||
		    strncmp(end, ",\t/* ", 5) != 0 || strncmp(end + 5,
		    features_name((enum feature_id)i),
		    strlen(features_name((enum feature_id)i))) != 0)
			ok = 0;
	}
	CHECK(p != NULL && ok, "emit-c: each feature weight exact, named");
	CHECK(emitted_field(b.data, "hash_bits", &d) == 0 && d == 10 &&
	    strstr(b.data, "table[1024] = {\n") != NULL &&
	    strstr(b.data, "\t.table = table\n};\n") != NULL,
	    "emit-c: hash_bits 10 and a table of 1024");
	n = emitted_table(b.data, w, sizeof w / sizeof w[0]);
	ok = n == 1 << 10;
	for (i = 0; ok && i < (size_t)n; i++) {
		if (memcmp(&w[i], &m.s.ngram[i], sizeof w[i]) != 0)
			ok = 0;
		nz += m.s.ngram[i] != 0;
	}
	CHECK(ok && nz > 3, "emit-c: every bucket in order, zeros included, "
	    "each weight reads back to the same bits");
	CHECK(emitted_rows(b.data, &rows) == 0 && rows == 1024 / 8,
	    "emit-c: rows of eight weights");
	compiles(&b, "emit-c: the source compiles without a warning");
	scorer_file_free(&m);
	buf_free(&b);

	/* No n-grams: no table, and hash_bits 0. */
	buf_init(&b, BUF_NOLIMIT);
	CHECK(trained(0, &m) == 0 && scorer_file_emit_c(&m, &b) == 0,
	    "emit-c without n-grams: ok");
	CHECK(strstr(b.data, "static const float table") == NULL &&
	    strstr(b.data, "\t.table = NULL\n") != NULL &&
	    strstr(b.data, "\t.hash_bits = 0,\n") != NULL, "emit-c without "
	    "n-grams: no table, hash_bits 0");
	compiles(&b, "emit-c without n-grams: the source compiles");
	scorer_file_free(&m);
	buf_free(&b);
	emit_caps();
}

/* Caps survive the model file and the C source, designated by feature. */
static void
emit_caps(void)
{
	struct scorer_file	 m, l;
	struct buf		 b = BUF_INIT;
	char			*cause = NULL;

	CHECK(trained(0, &m) == 0, "caps: a model without n-grams");
	m.s.cap[FEAT_CODE] = 1;
	m.s.cap[FEAT_DOMAIN] = 0.5;
	buf_init(&b, BUF_NOLIMIT);
	CHECK(scorer_file_emit_c(&m, &b) == 0 && strstr(b.data,
	    "\t.cap = {[FEAT_CODE] = 1, [FEAT_DOMAIN] = 0.5},\n") != NULL,
	    "emit-c: caps as designated initialisers");
	compiles(&b, "emit-c with caps: the source compiles");
	buf_reset(&b);
	CHECK(scorer_file_save(&m, &b) == 0 &&
	    strstr(b.data, "\"caps\":{\"code\":1,\"domain\":0.5}") != NULL &&
	    put("caps.json", b.data, b.len) == 0 &&
	    scorer_file_load(path_of("caps.json"), &l, &cause) == 0 &&
	    l.s.cap[FEAT_CODE] == 1 && l.s.cap[FEAT_DOMAIN] == 0.5 &&
	    l.s.cap[FEAT_MATH] == 0, "caps: saved by name and loaded back");
	free(cause);
	scorer_file_free(&l);
	scorer_file_free(&m);
	buf_free(&b);
}

/* The header of a valid file up to "features" (version as given). */
static void
valid(struct buf *b, const char *version, int nfeat, const char *feat0,
    int nweights, const char *tail)
{
	int i;

	buf_reset(b);
	buf_addf(b, "{\"llmroute_model\":%s,\"features\":[", version);
	for (i = 0; i < nfeat; i++)
		buf_addf(b, "%s\"%s\"", i ? "," : "", i == 0 && feat0 ? feat0 :
		    features_name((enum feature_id)(i % FEAT_COUNT)));
	buf_addstr(b, "],\"bias\":0.5,\"weights\":[");
	for (i = 0; i < nweights; i++)
		buf_addf(b, "%s0.125", i ? "," : "");
	buf_addf(b, "]%s}", tail);
}

/* scorer_file_load of text fails with "PATH: want". */
static void
refused(const char *name, const char *text, size_t len, const char *want,
    const char *what)
{
	struct scorer_file	 m;
	char			*cause = NULL, full[512];
	int			 r = 0;

	snprintf(full, sizeof full, "%s: %s", path_of(name), want);
	if (put(name, text, len) == 0)
		r = scorer_file_load(path_of(name), &m, &cause);
	CHECK(r == -1 && cause != NULL && strcmp(cause, full) == 0, what);
	if (cause == NULL || strcmp(cause, full) != 0)
		printf("# got '%s'\n# want '%s'\n", cause ? cause : "(null)",
		    full);
	CHECK(r == -1 && m.table == NULL && m.name == NULL && m.s.ngram ==
	    NULL, "  ... and leaves nothing allocated in the model");
	free(cause);
}

static void
test_errors(void)
{
	struct scorer_file	 m;
	struct buf		 b = BUF_INIT;
	char			*cause = NULL, want[512];
	const char		*nojson = "not a model file (not a JSON object)";
	const char		*feat = "field 'features': not this llmroute's "
	    "features";
	const char		*wts = "field 'weights': expected one number "
	    "per feature";
	const char		*hb = "field 'hash_bits': expected a whole "
	    "number from 0 to 24";
	const char		*ng = "field 'ngrams': expected [bucket, "
	    "weight] pairs";

#define REFUSE(text, want, what) refused("bad.json", (text), strlen(text), \
	(want), (what))

	REFUSE("this is not json", nojson, "not JSON: refused, names the file");
	REFUSE("", nojson, "empty file: refused");
	REFUSE("{\"llmroute_model\":1,", nojson, "truncated JSON: refused");
	REFUSE("[1, 2, 3]", nojson, "a JSON array: not an object");
	REFUSE("\"model\"", nojson, "a JSON string: not an object");
	REFUSE("{\"version\":1}", "not a model file (no llmroute_model)",
	    "no llmroute_model: refused");
	REFUSE("{\"llmroute_model\":\"1\"}",
	    "not a model file (no llmroute_model)",
	    "llmroute_model a string: refused");
	valid(&b, "3", FEAT_COUNT, NULL, FEAT_COUNT, "");
	refused("v3.json", b.data, b.len, "a model of another version (this "
	    "llmroute reads versions 1 and 2)", "version 3: refused, says so");
	valid(&b, "1", FEAT_COUNT - 1, NULL, FEAT_COUNT, "");
	refused("f1.json", b.data, b.len, feat, "one feature short: refused");
	valid(&b, "1", FEAT_COUNT + 1, NULL, FEAT_COUNT, "");
	refused("f2.json", b.data, b.len, feat, "one feature too many: "
	    "refused");
	valid(&b, "1", FEAT_COUNT, "size", FEAT_COUNT, "");
	refused("f3.json", b.data, b.len, feat, "a wrong feature name: "
	    "refused");
	valid(&b, "1", FEAT_COUNT, NULL, FEAT_COUNT - 1, "");
	refused("w1.json", b.data, b.len, wts, "weights one short: refused");
	valid(&b, "1", FEAT_COUNT, NULL, FEAT_COUNT + 1, "");
	refused("w2.json", b.data, b.len, wts, "weights one too many: refused");
	valid(&b, "1", FEAT_COUNT, NULL, 0, "");
	refused("w3.json", b.data, b.len, wts, "weights empty: refused");
	REFUSE("{\"llmroute_model\":1,\"features\":[],\"bias\":\"x\"}",
	    "field 'bias': expected a number", "bias a string: refused");
	REFUSE("{\"llmroute_model\":1,\"bias\":1e999}",
	    "field 'bias': expected a number", "bias infinite: refused");

	valid(&b, "1", FEAT_COUNT, NULL, FEAT_COUNT, ",\"hash_bits\":25,"
	    "\"ngrams\":[]");
	refused("h1.json", b.data, b.len, hb, "hash_bits 25: refused");
	valid(&b, "1", FEAT_COUNT, NULL, FEAT_COUNT, ",\"hash_bits\":-1");
	refused("h2.json", b.data, b.len, hb, "hash_bits -1: refused");
	valid(&b, "1", FEAT_COUNT, NULL, FEAT_COUNT, ",\"hash_bits\":2.5");
	refused("h3.json", b.data, b.len, hb, "hash_bits 2.5: refused");
	valid(&b, "1", FEAT_COUNT, NULL, FEAT_COUNT, ",\"hash_bits\":\"8\"");
	refused("h4.json", b.data, b.len, hb, "hash_bits a string: refused");
	valid(&b, "2", FEAT_COUNT, NULL, FEAT_COUNT, ",\"hash_bits\":4");
	refused("n0.json", b.data, b.len, "field 'ngrams': expected an array",
	    "hash_bits 4 without ngrams: refused");
	valid(&b, "2", FEAT_COUNT, NULL, FEAT_COUNT, ",\"hash_bits\":4,"
	    "\"ngrams\":{}");
	refused("n1.json", b.data, b.len, "field 'ngrams': expected an array",
	    "ngrams an object: refused");
	valid(&b, "2", FEAT_COUNT, NULL, FEAT_COUNT, ",\"hash_bits\":4,"
	    "\"ngrams\":[[1,0.5],[2]]");
	refused("n2.json", b.data, b.len, ng, "ngrams entry of one element: "
	    "refused");
	valid(&b, "2", FEAT_COUNT, NULL, FEAT_COUNT, ",\"hash_bits\":4,"
	    "\"ngrams\":[[1,0.5,3]]");
	refused("n3.json", b.data, b.len, ng, "ngrams entry of three "
	    "elements: refused");
	valid(&b, "2", FEAT_COUNT, NULL, FEAT_COUNT, ",\"hash_bits\":4,"
	    "\"ngrams\":[7]");
	refused("n4.json", b.data, b.len, ng, "ngrams entry a number: refused");
	valid(&b, "2", FEAT_COUNT, NULL, FEAT_COUNT, ",\"hash_bits\":4,"
	    "\"ngrams\":[[\"1\",0.5]]");
	refused("n5.json", b.data, b.len, ng, "ngrams bucket a string: "
	    "refused");
	valid(&b, "2", FEAT_COUNT, NULL, FEAT_COUNT, ",\"hash_bits\":4,"
	    "\"ngrams\":[[1,null]]");
	refused("n6.json", b.data, b.len, ng, "ngrams weight null: refused");
	valid(&b, "2", FEAT_COUNT, NULL, FEAT_COUNT, ",\"hash_bits\":4,"
	    "\"ngrams\":[[16,0.5]]");
	refused("n7.json", b.data, b.len, ng, "ngrams bucket 16 of 4 bits (out "
	    "of range): refused");
	valid(&b, "2", FEAT_COUNT, NULL, FEAT_COUNT, ",\"hash_bits\":4,"
	    "\"ngrams\":[[-1,0.5]]");
	refused("n8.json", b.data, b.len, ng, "ngrams bucket -1: refused");
	valid(&b, "2", FEAT_COUNT, NULL, FEAT_COUNT, ",\"hash_bits\":4,"
	    "\"ngrams\":[[1.5,0.5]]");
	refused("n9.json", b.data, b.len, ng, "ngrams bucket 1.5: refused");

	/* The last accepted bucket is 2^bits - 1. */
	valid(&b, "2", FEAT_COUNT, NULL, FEAT_COUNT, ",\"hash_bits\":4,"
	    "\"ngrams\":[[15,0.5],[0,-1]]");
	CHECK(put("ok.json", b.data, b.len) == 0 &&
	    scorer_file_load(path_of("ok.json"), &m, &cause) == 0 &&
	    m.s.ngram[15] == 0.5f && m.s.ngram[0] == -1.0f && m.s.bias == 0.5 &&
	    m.s.w[FEAT_COUNT - 1] == 0.125, "buckets 0 and 15 of 4 bits: "
	    "loaded as written");
	free(cause);
	cause = NULL;
	scorer_file_free(&m);

	/* A missing file names the path and the system's reason. */
	snprintf(want, sizeof want, "%s: No such file or directory",
	    path_of("missing.json"));
	CHECK(scorer_file_load(path_of("missing.json"), &m, &cause) == -1 &&
	    cause != NULL && strcmp(cause, want) == 0, "a missing file: "
	    "refused, names the file and the reason");
	free(cause);
	cause = NULL;
	/* A directory is not a model either. */
	CHECK(scorer_file_load(dir, &m, &cause) == -1 && cause != NULL &&
	    strncmp(cause, dir, strlen(dir)) == 0, "a directory: refused, "
	    "named");
	free(cause);
	buf_free(&b);
#undef REFUSE
}

static void
test_builtin(void)
{
	const struct scorer *b = scorer_builtin();
	struct scorer	s = *b;

	CHECK(b == scorer_find("builtin"), "scorer_builtin: found by name");
	CHECK(strcmp(s.name, "builtin") == 0 && s.bias == weights_builtin.bias &&
	    memcmp(s.w, weights_builtin.w, sizeof s.w) == 0,
	    "scorer_builtin: weights_builtin's bias and weights");
	CHECK(weights_builtin.hash_bits == 0 || (s.ngram == weights_builtin.table &&
	    s.hash_bits == weights_builtin.hash_bits), "scorer_builtin: the "
	    "compiled-in n-gram table, used in place");
}

/* One way to choose a scorer: a built-in name, else a file. */
static void
test_choose(void)
{
	struct scorer_file	 f;
	const struct scorer	*s;
	struct buf		 b = BUF_INIT;
	char			*cause = NULL;
	int			 fd;

	memset(&f, 0, sizeof f);
	CHECK(scorer_choose("heuristic", &f, &cause) == &scorer_heuristic &&
	    f.table == NULL, "scorer_choose: a built-in name, nothing loaded");
	CHECK(scorer_choose("builtin", &f, &cause) == scorer_builtin(),
	    "scorer_choose: builtin");
	f.s = scorer_length;
	f.s.name = "length copy";
	scorer_file_save(&f, &b);
	memset(&f, 0, sizeof f);
	fd = open(path_of("h3.json"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd != -1 && write(fd, b.data, b.len) == (ssize_t)b.len,
	    "scorer_choose: a scorer file written");
	if (fd != -1)
		close(fd);
	s = scorer_choose(path_of("h3.json"), &f, &cause);
	CHECK(s == &f.s && s->w[FEAT_LENGTH] == scorer_length.w[FEAT_LENGTH],
	    "scorer_choose: else the file at that path, loaded");
	scorer_file_free(&f);
	CHECK(scorer_choose(path_of("none.json"), &f, &cause) == NULL &&
	    cause != NULL && strstr(cause, "none.json") != NULL,
	    "scorer_choose: neither: NULL, naming the path");
	free(cause);
	buf_free(&b);
}

static void
cleanup(void)
{
	static const char *const names[] = { "m.json", "m2.json", "f.json",
	    "h.json", "h2.json", "bad.json", "v2.json", "f1.json", "f2.json",
	    "f3.json", "w1.json", "w2.json", "w3.json", "h1.json", "h3.json",
	    "h4.json", "n0.json", "n1.json", "n2.json", "n3.json", "n4.json",
	    "n5.json", "n6.json", "n7.json", "n8.json", "n9.json", "ok.json",
	    "emit.c" };
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		unlink(path_of(names[i]));
	rmdir(dir);
}

/* What bounds are recorded for: a built-in name as it is, a file's path. */
static void
test_scorer_id(void)
{
	char	*id, want[PATH_MAX];
	int	 is_file = -1;

	id = scorer_id("heuristic", &is_file);
	CHECK(id != NULL && strcmp(id, "heuristic") == 0 && is_file == 0,
	    "scorer_id: a built-in scorer by its name");
	free(id);
	CHECK(put("id.json", "{}", 2) == 0 &&
	    realpath(path_of("id.json"), want) != NULL, "scorer_id: a file");
	id = scorer_id(path_of("id.json"), &is_file);
	CHECK(id != NULL && strcmp(id, want) == 0 && id[0] == '/' &&
	    is_file == 1, "scorer_id: a file by its absolute path");
	free(id);
	CHECK(scorer_id(path_of("nothing.json"), &is_file) == NULL,
	    "scorer_id: a file that is not there has none");
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_roundtrip();
	test_features_only();
	test_handmade();
	test_caps();
	test_scorer_id();
	test_emit_c();
	test_errors();
	test_builtin();
	test_choose();
	cleanup();
	return unit_done();
}
