/*
 * test_sense.c: the built-in scorer against common sense.  Pairs of an
 * easy and a hard prompt that anyone would order the same way; a
 * document that grows must never be sent to a cheaper tier; more of the
 * same request never lowers its score.
 */
#include <string.h>

#include "base/buf.h"
#include "route/config.h"
#include "route/policy.h"
#include "score/features.h"
#include "score/scorer.h"
#include "unit.h"

struct pair {
	const char	*easy, *hard;
};

static const struct pair pairs[] = {
	{ "hi", "Prove that there are infinitely many prime numbers." },
	{ "What is the capital of France?",
	  "Prove the Riemann hypothesis." },
	{ "Thanks, that helps!",
	  "Design a distributed rate limiter for an API gateway that serves "
	  "a million requests per second across three regions, and explain "
	  "how it behaves when a region fails." },
	{ "Translate 'cat' into Spanish.",
	  "Translate this clause into German so that it keeps its legal "
	  "effect: 'The licensee shall indemnify the licensor against any "
	  "claim arising from a breach of warranty, save where the breach "
	  "results from the licensor's own negligence.'" },
	{ "What time zone is Tokyo in?",
	  "Derive the closed form of the integral of x^2 e^{-x} from 0 to "
	  "infinity and check it numerically." },
	{ "Good morning!",
	  "Write a Python function that merges overlapping intervals and "
	  "explain its time complexity." },
	{ "Name a primary colour.",
	  "Explain why the halting problem is undecidable, with a proof by "
	  "diagonalisation." },
	{ "How do you spell 'necessary'?",
	  "Analyse the trade-offs between optimistic and pessimistic "
	  "concurrency control in a database under heavy write contention." },
	{ "Who wrote Hamlet?",
	  "Compare the causes of the First and Second World Wars and "
	  "evaluate which historians' explanations hold up best." },
	{ "Is water wet?",
	  "A patient on warfarin starts a course of clarithromycin. What "
	  "interaction should the physician expect, and how should the dose "
	  "be managed?" },
	{ "Give me a synonym for happy.",
	  "Solve for x: 3x^2 - 12x + 9 = 0, and show each step." },
	{ "What is 2 + 2?",
	  "Compute the eigenvalues of the matrix [[2, 1], [1, 2]] and the "
	  "corresponding eigenvectors." },
	{ "Say hello in French.",
	  "Refactor this C function so that it cannot overflow its buffer:\n"
	  "```c\nvoid copy(char *d, const char *s) { while ((*d++ = *s++)); }"
	  "\n```" },
	{ "What day comes after Monday?",
	  "Explain the difference between a Roth IRA and a traditional IRA "
	  "for someone who expects a higher tax rate at retirement, and "
	  "recommend one with reasons." },
	{ "Tell me a joke.",
	  "Write a SQL query that returns, for each customer, their three "
	  "most recent orders, using window functions." },
	{ "What colour is the sky?",
	  "Why is the sky blue? Explain Rayleigh scattering and derive how "
	  "the scattered intensity depends on wavelength." },
	{ "How many legs does a spider have?",
	  "Evaluate the argument that consciousness cannot be explained by "
	  "physical processes alone, considering both sides." },
	{ "Convert 5 km to miles.",
	  "Prove that the square root of 2 is irrational, then generalise "
	  "the proof to the square root of any prime." },
	{ "What's up?",
	  "Implement a lock-free single-producer single-consumer ring "
	  "buffer in C11 with atomics, and argue why it is correct." },
	{ "Define 'ephemeral'.",
	  "Draft the liability and termination clauses of a software "
	  "licence agreement under English law." },
	{ "List three fruits.",
	  "Given a graph with weighted edges, write an algorithm to find "
	  "the shortest path that visits every node exactly once, and "
	  "analyse why no efficient exact algorithm is known." },
	{ "What is the boiling point of water?",
	  "Calculate the pH of a 0.1 M acetic acid solution, given Ka = "
	  "1.8e-5, and explain the approximation you use." },
	{ "Hello, how are you?",
	  "Debug this: my Rust program fails with 'borrowed value does not "
	  "live long enough' when I return a reference to a local String "
	  "from a function. Why, and how do I fix it?" },
	{ "Which is bigger, 3 or 5?",
	  "Estimate how many piano tuners work in Chicago, stating each "
	  "assumption and how sensitive the answer is to it." },
	{ "What is the plural of mouse?",
	  "Explain the statistical reasoning behind a Bayesian A/B test "
	  "and when it should be preferred to a frequentist test." },
	{ "Recommend a good book.",
	  "Summarise the key holdings of Marbury v. Madison and analyse its "
	  "effect on judicial review in the United States." },
	{ "Yes or no: is Paris in France?",
	  "Find all real solutions of the system x + y = 5, x^2 + y^2 = 13, "
	  "and prove there are no others." },
	{ "Spell 'cat' backwards.",
	  "Write a function in JavaScript that debounces another function, "
	  "with tests, and explain how it differs from throttling." },
	{ "What does CPU stand for?",
	  "Explain how a CPU's branch predictor works and why speculative "
	  "execution led to the Spectre vulnerability." },
	{ "Capital of Italy?",
	  "Compare the theoretical convergence guarantees of gradient "
	  "descent and Newton's method for strongly convex functions." },
};

static double
score_of(const char *text, size_t len)
{
	struct features f;

	features_extract(text, len, &f);
	return scorer_score(scorer_builtin(), &f, text, len, NULL, NULL, NULL);
}

/* Every hard prompt of the table scores above its easy one. */
static void
test_pairs(void)
{
	size_t	i, n = sizeof pairs / sizeof pairs[0], wrong = 0;
	double	e, h;

	CHECK(n >= 20, "at least 20 easy/hard pairs");
	for (i = 0; i < n; i++) {
		e = score_of(pairs[i].easy, strlen(pairs[i].easy));
		h = score_of(pairs[i].hard, strlen(pairs[i].hard));
		if (h <= e) {
			printf("# pair %zu: %.4f '%s' >= %.4f '%s'\n", i, e,
			    pairs[i].easy, h, pairs[i].hard);
			wrong++;
		}
	}
	CHECK(wrong == 0, "every hard prompt scores above its easy pair");
}

/*
 * "Summarise the following document" with a document of 1 KiB to
 * 320 KiB: the score never falls and the tier of the default policy
 * never gets cheaper.
 */
static void
test_growing_document(void)
{
	static const char	*para = "The committee met on Tuesday to review "
	    "the budget for the coming year. Several members raised concerns "
	    "about the cost of the new building, while others argued that "
	    "the delay had already cost more than the work itself. ";
	struct config		 c;
	struct route_opts	 ro;
	struct decision		 d;
	struct buf		 b = BUF_INIT;
	char			*cause = NULL;
	double			 s, prev = -1;
	long			 t, last = -1;
	int			 falls = 0, cheaper = 0, kib;

	memset(&ro, 0, sizeof ro);
	CHECK(config_init(&c, &cause) == 0, "the built-in configuration");
	free(cause);
	buf_addstr(&b, "Summarise the following document in detail.\n\n");
	for (kib = 1; kib <= 320; kib++) {
		while (b.len < (size_t)kib * 1024)
			buf_addstr(&b, para);
		s = score_of(b.data, b.len);
		policy_decide(&c, &ro, s, (double)b.len / 4, &d);
		t = d.tier - c.tiers;
		if (s < prev) {
			printf("# %d KiB: %.4f after %.4f\n", kib, s, prev);
			falls++;
		}
		if (t < last)
			cheaper++;
		prev = s;
		last = t;
		if (kib == 1 || kib == 320)
			printf("# %d KiB: score %.4f, tier %s\n", kib, s,
			    d.tier->name);
	}
	CHECK(falls == 0, "a growing document: the score never falls");
	CHECK(cheaper == 0, "a growing document: never a cheaper tier");
	buf_free(&b);
	config_free(&c);
}

/* Each pair's hard prompt with more of itself appended never scores less. */
static void
test_appended(void)
{
	struct buf	b = BUF_INIT;
	size_t		i, k, n = sizeof pairs / sizeof pairs[0], lower = 0;
	double		base, s;

	for (i = 0; i < 2 * n; i++) {
		const char *p = i < n ? pairs[i].hard : pairs[i - n].easy;

		buf_reset(&b);
		buf_addstr(&b, p);
		base = score_of(b.data, b.len);
		for (k = 0; k < 60; k++) {
			buf_addstr(&b, "\n");
			buf_addstr(&b, p);
			if ((s = score_of(b.data, b.len)) < base)
				lower++;
			base = s;
		}
	}
	printf("# %zu appended prompts scored\n", 2 * n * 60);
	CHECK(lower == 0, "more of the same request never scores lower");
	buf_free(&b);
}

/* A hundred code fences weigh as one: the code signal is capped. */
static void
test_capped(void)
{
	struct buf	b = BUF_INIT;
	struct features	f1, f100;
	double		c1[FEAT_COUNT], c100[FEAT_COUNT];
	int		i;

	buf_addstr(&b, "```\nx = 1\n```\n");
	features_extract(b.data, b.len, &f1);
	for (i = 1; i < 100; i++)
		buf_addstr(&b, "```\nx = 1\n```\n");
	features_extract(b.data, b.len, &f100);
	(void)scorer_score(scorer_builtin(), &f1, "", 0, c1, NULL, NULL);
	(void)scorer_score(scorer_builtin(), &f100, "", 0, c100, NULL, NULL);
	CHECK(f100.v[FEAT_CODE] > f1.v[FEAT_CODE] &&
	    c100[FEAT_CODE] == c1[FEAT_CODE] && c1[FEAT_CODE] > 0,
	    "a hundred code blocks add what one does");
	buf_free(&b);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_pairs();
	test_growing_document();
	test_appended();
	test_capped();
	return unit_done();
}
