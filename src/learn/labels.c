/*
 * labels.c: reading labelled prompts.  The qualities may be 1/0
 * correctness or judge scores on any scale; labels_target() maps a
 * prompt's quality gap to how much it needs the strong model, in [0, 1].
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cause.h"
#include "base/jscan.h"
#include "base/lines.h"
#include "base/rng.h"
#include "learn/labels.h"
#include "score/features.h"

#include "base/banned.h"

#define LABELS_MAXBYTES		(1u << 30)
#define LABELS_QUALITY_MAX	1e9	/* the largest quality accepted */
#define LABELS_RANDOM_MUL	2862933555777941757ULL
#define LABELS_RANDOM_ADD	3037000493ULL

/* The members every label must have, in the order a message asks. */
static const struct quality_member {
	const char	*key;
	size_t		 off;		/* of the double in struct label */
} quality_members[] = {
	{ .key = "strong", .off = offsetof(struct label, strong) },
	{ .key = "weak", .off = offsetof(struct label, weak) },
};
#define NQUALITY	(sizeof quality_members / sizeof quality_members[0])

/* The quality member named key, or NULL. */
static const struct quality_member *
quality_find(const char *key)
{
	size_t i;

	for (i = 0; i < NQUALITY; i++)
		if (strcmp(quality_members[i].key, key) == 0)
			return &quality_members[i];
	return NULL;
}

/*
 * The strong, weak and source members of one line (line lineno of the
 * file name) into l.  Returns 0, or -1 with *cause naming the line.
 */
static int
scan_line(const char *line, size_t len, const char *name, size_t lineno,
    struct label *l, char **cause)
{
	const struct quality_member	*qm;
	struct jscan			 js;
	struct buf			 key = BUF_INIT, s = BUF_INIT;
	double				*dst;
	int				 r, have[NQUALITY] = { 0 };
	size_t				 i;

	jscan_init(&js, line, len);
	if (jscan_object_begin(&js) == -1)
		return cause_set(cause, "%s:%zu: expected a JSON object", name,
		    lineno);
	while ((r = jscan_object_next(&js, &key)) == 1) {
		if ((qm = quality_find(key.data)) != NULL) {
			dst = (double *)(void *)((char *)l + qm->off);
			if (jscan_peek(&js) != JSCAN_NUM ||
			    jscan_number(&js, dst) == -1 || !isfinite(*dst) ||
			    fabs(*dst) > LABELS_QUALITY_MAX) {
				cause_set(cause, "%s:%zu: field '%s': expected "
				    "a number (at most 1e9 in size)", name,
				    lineno, qm->key);
				goto out;
			}
			have[qm - quality_members] = 1;
		} else if (strcmp(key.data, "confidence") == 0 &&
		    jscan_peek(&js) != JSCAN_NULL) {
			if (jscan_peek(&js) != JSCAN_NUM ||
			    jscan_number(&js, &l->confidence) == -1 ||
			    !(l->confidence >= 0 && l->confidence <= 1)) {
				r = cause_set(cause, "%s:%zu: field "
				    "'confidence': expected a number from 0 "
				    "to 1", name, lineno);
				goto out;
			}
			l->has_confidence = 1;
		} else if (strcmp(key.data, "source") == 0 &&
		    jscan_peek(&js) == JSCAN_STR) {
			buf_reset(&s);
			if ((r = jscan_string(&js, &s, NULL)) == -1)
				break;
			free(l->source);
			l->source = strdup(s.data);
		} else if ((r = jscan_skip(&js)) == -1)
			break;
	}
	if (r == -1) {
		cause_set(cause, "%s:%zu: invalid JSON", name, lineno);
		goto out;
	}
	for (i = 0; i < NQUALITY; i++)
		if (!have[i]) {
			r = cause_set(cause, "%s:%zu: field '%s' is missing",
			    name, lineno, quality_members[i].key);
			goto out;
		}
out:
	buf_free(&key);
	buf_free(&s);
	return r == 0 ? 0 : -1;
}

/*
 * Append the label of line ln (of the file name) to ls.  Returns 0, or -1
 * with *cause.
 */
static int
add_line(struct labels *ls, const struct line *ln, const char *name,
    char **cause)
{
	struct label	*l, *nv;
	char		*perr = NULL;

	if ((nv = reallocarray(ls->v, ls->n + 1, sizeof *nv)) == NULL)
		return cause_set(cause, "out of memory");
	ls->v = nv;
	l = &ls->v[ls->n];
	memset(l, 0, sizeof *l);
	l->file = name;
	l->lineno = ln->lineno;
	if (scan_line(ln->p, ln->len, name, ln->lineno, l, cause) == -1) {
		free(l->source);
		return -1;
	}
	if (input_jsonl_parse(ln->p, ln->len, ln->lineno, &l->p,
	    &perr) == -1) {
		free(l->source);
		cause_set(cause, "%s:%zu: %s", name, ln->lineno,
		    perr ? perr : "out of memory");
		free(perr);
		return -1;
	}
	if (ls->n == 0)
		ls->qmin = ls->qmax = l->strong;
	ls->qmin = fmin(ls->qmin, fmin(l->strong, l->weak));
	ls->qmax = fmax(ls->qmax, fmax(l->strong, l->weak));
	ls->n++;
	return 0;
}

/*
 * Read every labelled line of fd (name for messages) into ls, appending.
 * Lines are split as lines.h says; blank ones are skipped, any other bad
 * line is an error naming it.  Returns 0, or -1 with *cause (caller
 * frees).
 */
int
labels_read(struct labels *ls, int fd, const char *name, char **cause)
{
	struct buf	b;
	struct lines	lr;
	struct line	ln;
	int		r = 0;

	buf_init(&b, LABELS_MAXBYTES);
	if (buf_read_fd(&b, fd) == -1) {
		buf_free(&b);
		return cause_set(cause, "%s: %s", name, strerror(errno));
	}
	lines_init_mem(&lr, b.data, b.len);
	while (r == 0 && lines_next(&lr, &ln) == 1)
		if (!lines_blank(ln.p, ln.len))
			r = add_line(ls, &ln, name, cause);
	buf_free(&b);
	return r;
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

double
labels_strong_pct(const struct labels *ls)
{
	size_t i, n = 0;

	if (ls->n == 0)
		return 0;
	for (i = 0; i < ls->n; i++)
		n += ls->v[i].weak < ls->v[i].strong;
	return 100.0 * (double)n / (double)ls->n;
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
		out[i] = scorer_score(s, &f, p->text, p->len, NULL, NULL,
	    NULL);
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

int
labels_confidence(const struct labels *ls, double *out, char **cause)
{
	size_t i;

	for (i = 0; i < ls->n; i++) {
		if (!ls->v[i].has_confidence)
			return cause_set(cause, "%s:%zu: field 'confidence' is "
			    "missing; the cascade is measured on the cheap "
			    "answer's confidence of every label", ls->v[i].file,
			    ls->v[i].lineno);
		out[i] = 1 - ls->v[i].confidence;
	}
	return 0;
}
