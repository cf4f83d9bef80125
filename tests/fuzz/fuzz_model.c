/*
 * fuzz_model.c: the files "llmroute train" and "eval" read: a trained
 * model file (src/score/scorer_file.h, scorer_file_load, by path: the
 * input is written to a memfd opened by its /proc/self/fd path,
 * memfd_fuzz.h) and a labelled-prompts file (src/learn/labels.h,
 * labels_read over the same memfd).
 * A model that loads must score prompts in [0, 1]; every label read is
 * scored by it and by the built-in scorer, and its training target is in
 * [0, 1].  The same bytes, as verdicts and as a cost log, are joined
 * (src/learn/feedback.h): every verdict is counted once at most, and the
 * labels made have targets in [0, 1]; and checked to be recorded, which
 * writes one line a verdict or none.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "learn/feedback.h"
#include "learn/labels.h"
#include "score/features.h"
#include "score/scorer_file.h"
#include "score/scorer.h"
#include "memfd_fuzz.h"

static const char *const prompts[] = {
	"hi",
	"Prove that there are infinitely many primes, then write a C "
	"function that lists the first n of them; explain its complexity.",
	"Traduis en fran\xc3\xa7" "ais : 'the weather is nice today'.",
};

int LLVMFuzzerInitialize(int *, char ***);
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_file_open("fuzz_model");
	return 0;
}

static void
check_score(double x)
{
	if (!(x >= 0 && x <= 1))
		abort();
}

/* The input as verdicts joined to itself as a log, and recorded. */
static void
feedback(const uint8_t *d, size_t n)
{
	struct feedback_request	 rq = {
		.log = (const char *)d, .log_len = n, .log_name = "log",
		.file_name = "verdicts", .file = (const char *)d,
		.file_len = n, .now = 0
	};
	struct feedback_counts	 c;
	struct labels		 ls;
	struct buf		 b;
	char			*cause = NULL;
	size_t			 i, lines = 0, nv = 0;

	memset(&ls, 0, sizeof ls);
	if (feedback_join((const char *)d, n, (const char *)d, n, "large",
	    &ls, &c, &cause) == 0) {
		if (c.used + c.top + c.noprompt > c.verdicts || c.used != ls.n)
			abort();
		for (i = 0; i < ls.n; i++)
			check_score(labels_target(&ls, &ls.v[i]));
	} else
		free(cause);
	labels_free(&ls);
	cause = NULL;
	buf_init(&b, BUF_NOLIMIT);
	switch (feedback_record(&rq, &b, &nv, &cause)) {
	case 0:
		for (i = 0; i < b.len; i++)
			lines += b.data[i] == '\n';
		if (lines != nv || cause != NULL)
			abort();
		break;
	default:
		if (cause == NULL || b.len != 0)
			abort();
		free(cause);
		break;
	}
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct scorer_file	 m;
	struct labels		 ls;
	struct features		 f;
	struct buf		 b;
	const struct scorer	*s = NULL;
	double			*out;
	char			*cause = NULL;
	size_t			 i;
	int			 loaded;

	fuzz_file_put(d, n);
	loaded = scorer_file_load(fuzz_path, &m, &cause) == 0;
	if (loaded) {
		if (cause != NULL)
			abort();
		s = &m.s;
		for (i = 0; i < sizeof prompts / sizeof prompts[0]; i++) {
			features_extract(prompts[i], strlen(prompts[i]), &f);
			check_score(scorer_score(s, &f, "", 0, NULL, NULL, NULL));
			check_score(scorer_score(s, &f, prompts[i],
			    strlen(prompts[i]), NULL, NULL, NULL));
		}
		/* Writing it back, as "llmroute train" does. */
		buf_init(&b, BUF_NOLIMIT);
		if (scorer_file_save(&m, &b) == -1)
			abort();
		buf_free(&b);
	} else {
		if (cause == NULL)
			abort();
		free(cause);
		cause = NULL;
	}

	memset(&ls, 0, sizeof ls);
	if (lseek(fuzz_fd, 0, SEEK_SET) == -1)
		abort();
	if (labels_read(&ls, fuzz_fd, "fuzz-labels.jsonl", &cause) == 0) {
		if ((out = calloc(ls.n + 1, sizeof *out)) == NULL)
			abort();
		labels_score(&ls, scorer_builtin(), out);
		for (i = 0; i < ls.n; i++) {
			check_score(out[i]);
			/* The training target, in [0, 1] too. */
			check_score(labels_target(&ls, &ls.v[i]));
		}
		if (s != NULL) {
			labels_score(&ls, s, out);
			for (i = 0; i < ls.n; i++)
				check_score(out[i]);
		}
		free(out);
	} else {
		if (cause == NULL)
			abort();
		free(cause);
	}
	labels_free(&ls);
	if (loaded)
		scorer_file_free(&m);
	feedback(d, n);
	return 0;
}
