/*
 * learn.c: the parts of eval, train and calibrate that are the same:
 * label files, scorers by name and metrics tables.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "front.h"
#include "learn.h"

#include "base/banned.h"

/* Read the label files named in argv ('-' or none: stdin).  Returns 0 or an
 * exit status after printing why. */
int
learn_read(struct labels *ls, int argc, char **argv)
{
	char	*cause = NULL;
	int	 i, fd;

	memset(ls, 0, sizeof *ls);
	for (i = 0; i < (argc ? argc : 1); i++) {
		const char *name = argc ? argv[i] : "-";

		if (strcmp(name, "-") == 0)
			fd = STDIN_FILENO;
		else if ((fd = open(name, O_RDONLY | O_CLOEXEC)) == -1) {
			front_error("%s: %s", name, strerror(errno));
			labels_free(ls);
			return LR_EXIT_INPUT;
		}
		if (labels_read(ls, fd, name, &cause) == -1) {
			front_error("%s", cause ? cause : "out of memory");
			free(cause);
			if (fd != STDIN_FILENO)
				close(fd);
			labels_free(ls);
			return LR_EXIT_INPUT;
		}
		if (fd != STDIN_FILENO)
			close(fd);
	}
	if (ls->n == 0) {
		front_error("no labelled prompts");
		return LR_EXIT_INPUT;
	}
	return 0;
}

/*
 * Choose a scorer: builtin, heuristic, length, random, or the path of a
 * model file.  Returns 0 or an exit status after printing why.
 */
int
learn_scorer(struct learn_scorer *ls, const char *name)
{
	char *cause = NULL;

	memset(ls, 0, sizeof *ls);
	ls->name = name;
	if (strcmp(name, "random") == 0) {
		ls->random = 1;
		return 0;
	}
	if ((ls->s = scorer_find(name)) != NULL)
		return 0;
	if (scorer_file_load(name, &ls->m, &cause) == -1) {
		front_error("--scorer: %s", cause ? cause : "out of memory");
		free(cause);
		return LR_EXIT_USAGE;
	}
	ls->loaded = 1;
	ls->s = &ls->m.s;
	return 0;
}

void
learn_scorer_free(struct learn_scorer *ls)
{
	if (ls->loaded)
		scorer_file_free(&ls->m);
}

/* Metrics of scores on (qs, qw) into r.  Returns 0 or -1 (memory). */
int
learn_eval(const double *scores, const double *qs, const double *qw,
    size_t n, const char *name, struct learn_result *r)
{
	memset(r, 0, sizeof *r);
	r->name = name;
	if (metrics_eval(scores, qs, qw, n, &r->m) == -1)
		return -1;
	r->n = n;
	r->q_strong = r->m.q_strong;
	r->q_weak = r->m.q_weak;
	r->has_apgr = r->m.has_apgr;
	r->apgr = r->m.apgr;
	r->has50 = metrics_cpt(&r->m, 50, &r->cpt50) == 0;
	r->has80 = metrics_cpt(&r->m, 80, &r->cpt80) == 0;
	r->has95 = metrics_cpt(&r->m, 95, &r->cpt95) == 0;
	return 0;
}

/*
 * The random router: the mean metrics (and curve) over seeded draws.
 * Returns 0 or -1 (memory).
 */
int
learn_eval_random(const double *qs, const double *qw, size_t n,
    struct learn_result *r)
{
	struct learn_result	 one;
	double			*s, a = 0, c50 = 0, c80 = 0, c95 = 0;
	int			 d, k50 = 0, k80 = 0, k95 = 0, ka = 0, i;

	if ((s = calloc(n, sizeof *s)) == NULL)
		return -1;
	memset(r, 0, sizeof *r);
	for (d = 0; d < LEARN_RANDOM_DRAWS; d++) {
		labels_random(n, (unsigned long)d + 1, s);
		if (learn_eval(s, qs, qw, n, "random", &one) == -1) {
			free(s);
			return -1;
		}
		if (d == 0)
			*r = one;
		else
			for (i = 0; i < METRICS_POINTS; i++) {
				r->m.pts[i].x += one.m.pts[i].x;
				r->m.pts[i].y += one.m.pts[i].y;
			}
		if (one.has_apgr) {
			a += one.apgr;
			ka++;
		}
		if (one.has50) {
			c50 += one.cpt50;
			k50++;
		}
		if (one.has80) {
			c80 += one.cpt80;
			k80++;
		}
		if (one.has95) {
			c95 += one.cpt95;
			k95++;
		}
	}
	for (i = 0; i < METRICS_POINTS; i++) {
		r->m.pts[i].x /= LEARN_RANDOM_DRAWS;
		r->m.pts[i].y /= LEARN_RANDOM_DRAWS;
	}
	r->name = "random";
	r->has_apgr = ka > 0;
	r->apgr = ka ? a / ka : 0;
	r->has50 = k50 > 0;
	r->cpt50 = k50 ? c50 / k50 : 0;
	r->has80 = k80 > 0;
	r->cpt80 = k80 ? c80 / k80 : 0;
	r->has95 = k95 > 0;
	r->cpt95 = k95 ? c95 / k95 : 0;
	free(s);
	return 0;
}

static const char *
opt_num(char *dst, const char *fmt, int has, double v)
{
	if (!has)
		return "-";
	return num_fmt(dst, NUM_FMTLEN, fmt, v);
}

void
learn_head(struct buf *b)
{
	buf_addf(b, "%-14s %-12s %6s %7s %7s %7s %8s %8s\n", "SET", "SCORER",
	    "N", "Q_WEAK", "Q_STR", "APGR", "CPT(50)", "CPT(80)");
}

/* One aligned row of metrics. */
void
learn_row(struct buf *b, const char *set, const struct learn_result *r)
{
	char t1[NUM_FMTLEN], t2[NUM_FMTLEN], t3[NUM_FMTLEN], t4[NUM_FMTLEN];
	char t5[NUM_FMTLEN];

	buf_addf(b, "%-14s %-12s %6zu %7s %7s %7s %8s %8s\n", set, r->name,
	    r->n, num_fmt(t1, sizeof t1, "%.3f", r->q_weak),
	    num_fmt(t2, sizeof t2, "%.3f", r->q_strong),
	    opt_num(t3, "%.3f", r->has_apgr, r->apgr),
	    opt_num(t4, "%.1f%%", r->has50, r->cpt50),
	    opt_num(t5, "%.1f%%", r->has80, r->cpt80));
}

/*
 * The member key of a JSON object: v in the format fmt, or null unless
 * has; first leaves out the comma after the member before.
 */
void
learn_json_num(struct buf *b, int first, const char *key, const char *fmt,
    int has, double v)
{
	jsonout_key(b, first, key);
	if (has)
		jsonout_num(b, fmt, v);
	else
		buf_addstr(b, "null");
}

/* The members of r as a JSON object (with braces). */
void
learn_json(struct buf *b, const struct learn_result *r)
{
	int i;

	buf_addstr(b, "{\"scorer\":");
	jsonout_cstr(b, r->name);
	buf_addf(b, ",\"n\":%zu", r->n);
	learn_json_num(b, 0, "q_weak", "%.6g", 1, r->q_weak);
	learn_json_num(b, 0, "q_strong", "%.6g", 1, r->q_strong);
	learn_json_num(b, 0, "apgr", "%.6g", r->has_apgr, r->apgr);
	learn_json_num(b, 0, "cpt50", "%.6g", r->has50, r->cpt50);
	learn_json_num(b, 0, "cpt80", "%.6g", r->has80, r->cpt80);
	learn_json_num(b, 0, "cpt95", "%.6g", r->has95, r->cpt95);
	buf_addstr(b, ",\"curve\":[");
	for (i = 0; i < METRICS_POINTS; i++) {
		buf_addstr(b, i ? ",[" : "[");
		jsonout_num(b, "%.6g", r->m.pts[i].x);
		buf_addch(b, ',');
		jsonout_num(b, "%.6g", r->m.pts[i].y);
		buf_addch(b, ']');
	}
	buf_addstr(b, "]}");
}
