/*
 * test_features.c: the signals features_extract() finds in a prompt.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "score/features.h"
#include "unit.h"

/* Features of the NUL-terminated s. */
static struct features
fx(const char *s)
{
	struct features f;

	features_extract(s, strlen(s), &f);
	return f;
}

/* 1 when every value of f is finite and the share is in [0, 1]. */
static int
sane(const struct features *f)
{
	int i;

	for (i = 0; i < FEAT_COUNT; i++)
		if (!isfinite(f->v[i]) || f->v[i] < 0)
			return 0;
	return isfinite(f->tokens) && f->tokens >= 0 &&
	    f->v[FEAT_NONENGLISH] <= 1;
}

static void
test_empty(void)
{
	struct features	f;
	int		i, zero = 1;

	/* Dirty the struct first: nothing may leak from a previous call. */
	f = fx("Explain why this code fails: ```int x = 1;```");
	features_extract("", 0, &f);
	for (i = 0; i < FEAT_COUNT; i++)
		if (f.v[i] != 0)
			zero = 0;
	CHECK(zero, "empty input: every feature is 0");
	CHECK(f.tokens == 0 && f.c.bytes == 0 && f.c.words == 0 &&
	    f.c.lines == 0 && f.c.sentences == 0, "empty input: zero counts");
	f = fx("   \n\t ");
	CHECK(f.c.words == 0 && f.c.sentences == 0 && f.v[FEAT_SIMPLE] == 0 &&
	    f.tokens == 1, "white space only: no words, token floor of 1");
}

static void
test_simple(void)
{
	struct features f, g;

	f = fx("hello there");
	CHECK(f.v[FEAT_SIMPLE] > 0, "greeting raises simple");
	CHECK(f.c.simple == 1, "greeting counted once");
	f = fx("Hi! Thanks, bye");
	CHECK(f.c.simple == 3, "three greeting words, any case");
	f = fx("What is the capital of France?");
	CHECK(f.c.simple == 2 && f.v[FEAT_SIMPLE] > 0,
	    "'what is' and 'capital' are lookups");
	CHECK(f.c.questions == 1 && f.v[FEAT_QUESTIONS] == 1,
	    "one question mark: log2(2)");
	g = fx("The quick brown fox jumps over the lazy dog");
	CHECK(g.v[FEAT_SIMPLE] == 0, "plain sentence: simple is 0");
	CHECK(g.v[FEAT_CODE] == 0 && g.v[FEAT_MATH] == 0 &&
	    g.v[FEAT_REASONING] == 0 && g.v[FEAT_NONENGLISH] == 0,
	    "plain sentence: no code, math, reasoning or foreign text");
	f = fx("what about it");
	CHECK(f.c.simple == 0, "'what' alone is not a lookup");
	f = fx("Hello. How are you? Fine!");
	CHECK(f.c.sentences == 3 && f.c.questions == 1, "three sentences");
	f = fx("Why? Explain and compare the tradeoffs.");
	CHECK(f.c.reasoning == 4 && f.v[FEAT_REASONING] > 2,
	    "reasoning words counted");
}

static void
test_code(void)
{
	struct features	plain, f, g;

	plain = fx("Tell me about the history of the river.");
	CHECK(plain.v[FEAT_CODE] == 0, "prose: no code");
	f = fx("Fix this:\n```\nx = foo(1);\nif (x) {\n    bar();\n}\n```\n");
	CHECK(f.c.fences == 2, "two fence lines");
	CHECK(f.c.code_lines >= 3, "lines ending in ; { } counted");
	CHECK(f.v[FEAT_CODE] > 2.5, "fenced code raises code a lot");
	g = fx("Write a python function using recursion");
	CHECK(g.c.code_words == 3 && g.v[FEAT_CODE] == 2,
	    "code keywords: python, function, recursion");
	g = fx("#include <stdio.h>\nint main(void) { return 0; }\n");
	CHECK(g.v[FEAT_CODE] > plain.v[FEAT_CODE] && g.c.code_lines >= 2,
	    "#include and a brace line are code");
	g = fx("Look at this:\n\n    for i in range(3):\n        print(i)\n");
	CHECK(g.c.code_lines == 2, "indented lines are code");
}

static void
test_math(void)
{
	struct features	f, g;

	f = fx("Solve $x^2 + 3x = 10$ and simplify \\frac{a}{b}.");
	CHECK(f.c.latex == 3, "two $ and one \\command");
	CHECK(f.c.math_words >= 1 && f.c.math_ops >= 2,
	    "math words and operators counted");
	CHECK(f.v[FEAT_MATH] > 3, "LaTeX equation raises math");
	g = fx("Compute the integral of sin(x) from 0 to 1");
	CHECK(g.v[FEAT_MATH] >= 2, "math words raise math");
	g = fx("Describe your favourite walk in the park");
	CHECK(g.v[FEAT_MATH] == 0, "no math in prose");
	g = fx("2 + 2 = 4");
	CHECK(g.c.math_ops == 2 && g.v[FEAT_MATH] > 0,
	    "arithmetic operators counted");
}

static void
test_lists(void)
{
	struct features f, g;

	f = fx("Do these:\n1. wash\n2. dry\n3. fold\n");
	CHECK(f.c.list_items == 3 && f.v[FEAT_MULTIPART] == 2,
	    "three numbered lines: log2(4)");
	g = fx("Do these:\n- wash\n* dry\n+ fold\n10) iron\n");
	CHECK(g.c.list_items == 4, "bullets and 10) are list items");
	g = fx("First do this, then that, and finally the rest.");
	CHECK(g.c.sequencing == 3 && g.v[FEAT_MULTIPART] == 2,
	    "sequencing words count as parts");
	g = fx("In 1999. it rained");
	CHECK(g.c.list_items == 0, "a year mid-line is not a list item");

	f = fx("Which is a mammal?\nA) shark\nB) whale\nC) trout\nD) eel\n");
	CHECK(f.c.choices == 4 && f.v[FEAT_CHOICE] == log2(5),
	    "A) ... D) lines are choices");
	g = fx("Pick one:\n(a) red\n(b) blue\nc. green\n");
	CHECK(g.c.choices == 3, "(a), (b) and c. are choices");
	g = fx("A long time ago.\nB is a letter.\n");
	CHECK(g.c.choices == 0, "'A ' and 'B ' are not choices");
	CHECK(fx("Z) not an option").c.choices == 0,
	    "letters past H are not choices");
}

static void
test_nonenglish(void)
{
	struct features	f, g;

	f = fx("\xe4\xbd\xa0\xe5\xa5\xbd\xef\xbc\x8c\xe4\xbb\x8a\xe5\xa4\xa9"
	    "\xe5\xa4\xa9\xe6\xb0\x94\xe6\x80\x8e\xe4\xb9\x88\xe6\xa0\xb7");
	CHECK(f.v[FEAT_NONENGLISH] == 1, "Chinese: nonenglish 1");
	CHECK(f.c.nonascii == 10 && f.c.wide == 10, "ten CJK characters");
	CHECK_NEAR(f.tokens, 7.5, 1e-9, "CJK tokens: 0.75 each");
	g = fx("\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82, "
	    "\xd0\xba\xd0\xb0\xd0\xba \xd0\xb4\xd0\xb5\xd0\xbb\xd0\xb0?");
	CHECK(g.v[FEAT_NONENGLISH] == 1, "Russian: nonenglish 1");
	CHECK(g.c.nonascii == 13 && g.c.wide == 0, "13 Cyrillic letters");
	g = fx("The word caf\xc3\xa9 is French");
	CHECK(g.v[FEAT_NONENGLISH] > 0 && g.v[FEAT_NONENGLISH] < 0.5,
	    "one accented letter in English: small share");
	g = fx("He said \xe2\x80\x9chello\xe2\x80\x9d \xe2\x80\x94 twice");
	CHECK(g.v[FEAT_NONENGLISH] == 0,
	    "typographic quotes and dashes are not foreign letters");
	CHECK(fx("plain english").v[FEAT_NONENGLISH] == 0, "English: 0");
	/*
	 * Regression: with 1 to 4 ASCII letters and no foreign letter the
	 * share was 0 / (letters / 5) = 0 / 0 in integer division, NaN, and
	 * "hi" went to the top tier with a null score.
	 */
	g = fx("hi");
	CHECK(g.v[FEAT_NONENGLISH] == 0, "\"hi\": nonenglish 0, not NaN");
	g = fx("ok 42");
	CHECK(sane(&g) && g.v[FEAT_NONENGLISH] == 0,
	    "\"ok 42\": every feature finite");
}

static void
test_length(void)
{
	static const char *const words[] = { "the", "river", "runs",
	    "quietly", "through", "a", "green", "valley", "under", "tall" };
	struct buf	b = BUF_INIT;
	struct features	f, s, l;
	size_t		i;

	f = fx("hello world");
	CHECK(f.c.words == 2, "hello world: two words");
	CHECK(f.tokens >= 1.5 && f.tokens <= 3, "hello world: about 2 tokens");
	CHECK_NEAR(f.tokens, 2.14, 1e-9, "hello world: 1.07 per word");
	CHECK_NEAR(f.v[FEAT_LENGTH], log2(1 + f.tokens), 1e-12,
	    "length is log2(1 + tokens)");
	f = fx("x");
	CHECK(f.tokens >= 1, "one letter: at least one token");
	f = fx("!!!");
	CHECK_NEAR(f.tokens, 3 * 0.79, 1e-9, "punctuation: 0.79 each");

	/* 1000 words, a full stop after every tenth. */
	for (i = 0; i < 1000; i++)
		buf_addf(&b, "%s%s", words[i % 10], i % 10 == 9 ? ". " : " ");
	f = fx(b.data);
	CHECK(f.c.words == 1000 && f.c.punct == 100,
	    "1000-word text: 1000 words, 100 stops");
	CHECK(f.tokens > 1070 * 0.8 && f.tokens < 1070 * 1.2,
	    "1000-word text: tokens within 20% of 1070");
	CHECK_NEAR(f.tokens, 1000 * 1.07 + 100 * 0.79, 1e-6,
	    "1000-word text: 1.07 per word + 0.79 per stop");
	CHECK(f.c.sentences == 100, "1000-word text: 100 sentences");
	CHECK_NEAR(features_tokens(&f.c), f.tokens, 1e-12,
	    "features_tokens agrees with features_extract");

	s = fx("Summarise the plot of the novel.");
	l = fx(b.data);
	CHECK(l.v[FEAT_LENGTH] > s.v[FEAT_LENGTH] + 4,
	    "longer text raises length");
	buf_free(&b);
}

static void
test_bytes(void)
{
	char		 all[512];
	struct features	 f, g;
	int		 i, ok = 1;
	unsigned	 seed = 12345;
	char		*junk;

	for (i = 0; i < 256; i++) {
		all[i] = (char)i;
		all[511 - i] = (char)i;
	}
	features_extract(all, sizeof all, &f);
	CHECK(sane(&f) && f.c.bytes == 512, "every byte value: sane result");
	features_extract(all, sizeof all, &g);
	CHECK(memcmp(f.v, g.v, sizeof f.v) == 0 && f.tokens == g.tokens,
	    "same bytes, same features");

	/* Pseudo-random junk, cut at every length up to 300. */
	junk = malloc(300);
	for (i = 0; i < 300; i++) {
		seed = seed * 1103515245 + 12345;
		junk[i] = (char)(seed >> 16);
	}
	for (i = 0; i <= 300; i++) {
		features_extract(junk, (size_t)i, &f);
		if (!sane(&f) || f.c.bytes != (size_t)i)
			ok = 0;
	}
	CHECK(ok, "random bytes at every length: sane results");
	/* Multi-byte lead bytes cut off at the end. */
	features_extract("ab\xe2", 3, &f);
	CHECK(sane(&f) && f.c.nonascii == 1, "truncated lead byte at end");
	features_extract("a\0b", 3, &f);
	CHECK(f.c.bytes == 3 && f.c.words == 2 && f.c.letters == 2,
	    "NUL byte separates words");
	free(junk);
}

static void
test_names(void)
{
	CHECK_STR(features_name(FEAT_LENGTH), "length", "name of FEAT_LENGTH");
	CHECK_STR(features_name(FEAT_CODE), "code", "name of FEAT_CODE");
	CHECK_STR(features_name(FEAT_NONENGLISH), "nonenglish",
	    "name of FEAT_NONENGLISH");
	CHECK_STR(features_name(FEAT_COUNT), "?", "name out of range");
}

/*
 * Keywords count in any case and at any length up to the longest; words
 * of a keyword's length and first and last letters that are not one do
 * not count.
 */
static void
test_keywords(void)
{
	static const char *yes = "Explain EXPLAIN explain Thermodynamics "
	    "additionally Why kubernetes IS";
	static const char *no = "Explaun exploin thermodynamicz whx whey "
	    "kubernetez additionallx";
	struct features f;

	features_extract(yes, strlen(yes), &f);
	CHECK(f.c.reasoning == 4 && f.c.domain == 1 && f.c.sequencing == 1 &&
	    f.c.code_words == 1, "keywords count in any case, the longest "
	    "too");
	features_extract(no, strlen(no), &f);
	CHECK(f.c.reasoning == 0 && f.c.domain == 0 && f.c.sequencing == 0 &&
	    f.c.code_words == 0 && f.c.words == 7, "near misses are words, "
	    "not keywords");
}

int
main(void)
{
	/* Line-buffered: a sanitizer exit must not lose TAP lines. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_empty();
	test_simple();
	test_code();
	test_math();
	test_lists();
	test_nonenglish();
	test_length();
	test_bytes();
	test_names();
	test_keywords();
	return unit_done();
}
