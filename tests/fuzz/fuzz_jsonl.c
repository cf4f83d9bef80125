/*
 * fuzz_jsonl.c: prompts read from files (src/input/input.h): the JSON Lines
 * reader, input_jsonl_open/next over a memfd holding the input
 * (memfd_fuzz.h), looped to the end with a large and a small line cap; and
 * input_whole on the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/input.h"
#include "memfd_fuzz.h"

int LLVMFuzzerInitialize(int *, char ***);
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_file_open("fuzz_jsonl");
	return 0;
}

/* What input.h promises of every prompt. */
static void
check(const struct prompt *p, size_t max)
{
	size_t i;

	if (p->id == NULL || p->name == NULL || p->text == NULL ||
	    strlen(p->text) != p->len || p->len > max || p->nmsgs == 0 ||
	    p->msgs == NULL)
		abort();
	for (i = 0; i < p->nmsgs; i++)
		if (p->msgs[i].role == NULL || p->msgs[i].content == NULL)
			abort();
	for (i = 0; i < p->ntags; i++)
		if (p->tags == NULL || p->tags[i] == NULL)
			abort();
	if (p->max_tokens < 0)
		abort();
}

static void
lines(size_t max, size_t nlines)
{
	struct jsonl	 r;
	struct prompt	 p;
	char		*cause;
	size_t		 calls = 0, last = 0;
	int		 st;

	if (lseek(fuzz_fd, 0, SEEK_SET) == -1 ||
	    input_jsonl_open(&r, fuzz_fd, "fuzz.jsonl", max) == -1)
		abort();
	for (;;) {
		cause = NULL;
		st = input_jsonl_next(&r, &p, &cause);
		if (st == INPUT_EOF) {
			if (cause != NULL)
				abort();
			break;
		}
		if (st == INPUT_OK) {
			if (cause != NULL)
				abort();
			/* Bad UTF-8 bytes grow threefold into U+FFFD. */
			check(&p, 3 * max);
			if (p.lineno <= last)
				abort();
			last = p.lineno;
			prompt_free(&p);
		} else if (st == INPUT_BAD) {
			if (cause == NULL)
				abort();
			free(cause);
		} else {
			/*
			 * A memfd does not fail to read: only a line too
			 * long to skip stops the reader, saying why.
			 */
			if (cause == NULL || strstr(cause, "without ending") ==
			    NULL)
				abort();
			free(cause);
			break;
		}
		/* Every call takes at least one line. */
		if (++calls > nlines + 1)
			abort();
	}
	input_jsonl_close(&r);
}

static void
whole(size_t max)
{
	struct prompt	 p;
	char		*cause = NULL;

	if (lseek(fuzz_fd, 0, SEEK_SET) == -1)
		abort();
	if (input_whole(fuzz_fd, "fuzz.txt", max, &p, &cause) == 0) {
		if (cause != NULL)
			abort();
		check(&p, (size_t)-1);
		prompt_free(&p);
	} else {
		if (cause == NULL)
			abort();
		free(cause);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	size_t i, nlines = 1;

	for (i = 0; i < n; i++)
		nlines += d[i] == '\n';
	fuzz_file_put(d, n);
	lines(4096, nlines);
	lines(24, nlines);
	lines(1, nlines);
	whole(4096);
	whole(16);
	return 0;
}
