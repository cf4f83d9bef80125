/*
 * labels.c: reading labelled prompts.  The qualities may be 1/0
 * correctness or judge scores on any scale; labels_target() maps a
 * prompt's quality gap to how much it needs the strong model, in [0, 1].
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cause.h"
#include "base/rng.h"
#include "score/features.h"
#include "base/jscan.h"
#include "learn/labels.h"

#include "base/banned.h"

#define LABELS_MAXBYTES	(1u << 30)
#define LABELS_RANDOM_MUL	2862933555777941757ULL
#define LABELS_RANDOM_ADD	3037000493ULL

/* The strong, weak and source members of one line. */
static int
scan_line(const char *line, size_t len, struct label *l, const char **why)
{
	struct jscan	js;
	struct buf	key = BUF_INIT, s = BUF_INIT;
	int		r, have = 0;

	jscan_init(&js, line, len);
	if (jscan_object_begin(&js) == -1) {
		*why = "expected a JSON object";
		return -1;
	}
	while ((r = jscan_object_next(&js, &key)) == 1) {
		if (strcmp(key.data, "strong") == 0 ||
		    strcmp(key.data, "weak") == 0) {
			double *dst = key.data[0] == 's' ? &l->strong :
			    &l->weak;

			if (jscan_peek(&js) != JSCAN_NUM ||
			    jscan_number(&js, dst) == -1 || !isfinite(*dst) ||
			    fabs(*dst) > 1e9) {
				*why = key.data[0] == 's' ?
				    "field 'strong': expected a number (at most "
				    "1e9 in size)" : "field 'weak': expected a "
				    "number (at most 1e9 in size)";
				goto bad;
			}
			have |= key.data[0] == 's' ? 1 : 2;
		} else if (strcmp(key.data, "source") == 0 &&
		    jscan_peek(&js) == JSCAN_STR) {
			buf_reset(&s);
			if (jscan_string(&js, &s, NULL) == -1)
				goto syntax;
			free(l->source);
			l->source = strdup(s.data);
		} else if (jscan_skip(&js) == -1)
			goto syntax;
	}
	if (r == -1)
		goto syntax;
	if (have != 3) {
		*why = (have & 1) ? "field 'weak' is missing" :
		    "field 'strong' is missing";
		goto bad;
	}
	buf_free(&key);
	buf_free(&s);
	return 0;
syntax:
	*why = "invalid JSON";
bad:
	buf_free(&key);
	buf_free(&s);
	return -1;
}

/*
 * Read every labelled line of fd (name for messages) into ls, appending.
 * Blank lines are skipped; any other bad line is an error naming it.
 * Returns 0, or -1 with *cause (caller frees).
 */
int
labels_read(struct labels *ls, int fd, const char *name, char **cause)
{
	struct buf	 b;
	struct label	*l, *nv;
	const char	*why;
	char		*p, *nl, *end, *perr = NULL;
	size_t		 lineno = 0, len;

	buf_init(&b, LABELS_MAXBYTES);
	if (buf_read_fd(&b, fd) == -1) {
		buf_free(&b);
		return cause_set(cause, "%s: %s", name, strerror(errno));
	}
	for (p = b.data, end = b.data + b.len; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		lineno++;
		len = (size_t)(nl - p);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (strspn(p, " \t\r") >= len)
			continue;
		if ((nv = reallocarray(ls->v, ls->n + 1, sizeof *nv)) == NULL) {
			buf_free(&b);
			return cause_set(cause, "out of memory");
		}
		ls->v = nv;
		l = &ls->v[ls->n];
		memset(l, 0, sizeof *l);
		if (scan_line(p, len, l, &why) == -1) {
			free(l->source);
			buf_free(&b);
			return cause_set(cause, "%s:%zu: %s", name, lineno, why);
		}
		if (input_jsonl_parse(p, len, lineno, &l->p, &perr) == -1) {
			free(l->source);
			buf_free(&b);
			cause_set(cause, "%s:%zu: %s", name, lineno,
			    perr ? perr : "out of memory");
			free(perr);
			return -1;
		}
		if (ls->n == 0) {
			ls->qmin = ls->qmax = l->strong;
		}
		ls->qmin = fmin(ls->qmin, fmin(l->strong, l->weak));
		ls->qmax = fmax(ls->qmax, fmax(l->strong, l->weak));
		ls->n++;
	}
	buf_free(&b);
	return 0;
}

/*
 * How much label l needs the strong model, in [0, 1]: its quality gap
 * over the range of qualities in the set, no less than 0 (the weak model
 * being better says only "not needed").
 */
double
labels_target(const struct labels *ls, const struct label *l)
{
	double range = ls->qmax - ls->qmin, y;

	if (range <= 0)
		return 0;
	y = (l->strong - l->weak) / range;
	return y < 0 ? 0 : y > 1 ? 1 : y;
}

void
labels_free(struct labels *ls)
{
	size_t i;

	for (i = 0; i < ls->n; i++) {
		prompt_free(&ls->v[i].p);
		free(ls->v[i].source);
	}
	free(ls->v);
	memset(ls, 0, sizeof *ls);
}

/*
 * The score of every label under scorer s into out[] (ls->n of them).
 */
void
labels_score(const struct labels *ls, const struct scorer *s, double *out)
{
	struct features	f;
	size_t		i;

	for (i = 0; i < ls->n; i++) {
		const struct prompt *p = &ls->v[i].p;

		features_extract(p->text, p->len, &f);
		out[i] = scorer_score(s, &f, p->text, p->len, NULL, NULL);
	}
}

/*
 * Uniform random scores in [0, 1) from seed: the random router.  Its
 * stream is set apart from the seed's other uses by a fixed scramble.
 */
void
labels_random(size_t n, unsigned long seed, double *out)
{
	struct rng	r;
	size_t		i;

	rng_seed(&r, (uint64_t)seed * LABELS_RANDOM_MUL + LABELS_RANDOM_ADD);
	for (i = 0; i < n; i++)
		out[i] = rng_uniform(&r);
}
