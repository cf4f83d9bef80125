/*
 * evaluate.c: scorers measured on labelled prompts, and the tables and
 * JSON that eval and train print of them.
 */
#include <stdlib.h>
#include <string.h>

#include "base/cause.h"
#include "base/jsonout.h"
#include "base/num.h"
#include "base/utf8.h"
#include "learn/evaluate.h"
#include "route/cost.h"
#include "score/features.h"

#include "base/banned.h"

/* Each cost point: its share of the gap and its names in JSON. */
static const struct cpt_point {
	double		 pct;
	const char	*key;		/* in a result's object */
	const char	*saved_key;	/* in eval's cost_saved_pct */
} cpt_points[EVALUATE_NCPT] = {
	[EVALUATE_CPT50] = { .pct = 50, .key = "cpt50", .saved_key = "50" },
	[EVALUATE_CPT80] = { .pct = 80, .key = "cpt80", .saved_key = "80" },
	[EVALUATE_CPT95] = { .pct = 95, .key = "cpt95", .saved_key = "95" },
};

int
evaluate_scorer(const char *name, struct scorer_file *file,
    const struct scorer **s, char **cause)
{
	if (strcmp(name, EVALUATE_RANDOM) == 0) {
		*s = NULL;
		return 0;
	}
	return (*s = scorer_choose(name, file, cause)) == NULL ? -1 : 0;
}

/* The metrics of the n scores on (qs, qw) into r.  Returns 0 or -1. */
static int
measure(const double *score, const double *qs, const double *qw, size_t n,
    const char *name, struct evaluate_result *r)
{
	int k;

	memset(r, 0, sizeof *r);
	r->name = name;
	if (metrics_eval(score, qs, qw, n, &r->m) == -1)
		return -1;
	for (k = 0; k < EVALUATE_NCPT; k++)
		r->has_cpt[k] = metrics_cpt(&r->m, cpt_points[k].pct,
		    &r->cpt[k]) == 0;
	return 0;
}

/*
 * The random router on (qs, qw): the mean of its seeded draws, seeds 1 to
 * EVALUATE_RANDOM_DRAWS.  Returns 0 or -1.
 */
static int
measure_random(const double *qs, const double *qw, size_t n,
    struct evaluate_result *r)
{
	struct evaluate_result	 one;
	double			*s, apgr = 0, cpt[EVALUATE_NCPT] = { 0 };
	int			 d, i, k, napgr = 0;
	int			 ncpt[EVALUATE_NCPT] = { 0 };

	if ((s = calloc(n, sizeof *s)) == NULL)
		return -1;
	for (d = 0; d < EVALUATE_RANDOM_DRAWS; d++) {
		labels_random(n, (unsigned long)d + 1, s);
		if (measure(s, qs, qw, n, EVALUATE_RANDOM, &one) == -1) {
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
		if (one.m.has_apgr) {
			apgr += one.m.apgr;
			napgr++;
		}
		for (k = 0; k < EVALUATE_NCPT; k++)
			if (one.has_cpt[k]) {
				cpt[k] += one.cpt[k];
				ncpt[k]++;
			}
	}
	free(s);
	for (i = 0; i < METRICS_POINTS; i++) {
		r->m.pts[i].x /= EVALUATE_RANDOM_DRAWS;
		r->m.pts[i].y /= EVALUATE_RANDOM_DRAWS;
	}
	r->m.has_apgr = napgr > 0;
	r->m.apgr = napgr ? apgr / napgr : 0;
	for (k = 0; k < EVALUATE_NCPT; k++) {
		r->has_cpt[k] = ncpt[k] > 0;
		r->cpt[k] = ncpt[k] ? cpt[k] / ncpt[k] : 0;
	}
	return 0;
}

int
evaluate_set(const struct labels *ls, const char *set, const double *score,
    const char *name, struct evaluate_result *r)
{
	double	*s, *qs, *qw;
	size_t	 i, n = 0;
	int	 st = -1;

	s = calloc(ls->n + 1, sizeof *s);
	qs = calloc(ls->n + 1, sizeof *qs);
	qw = calloc(ls->n + 1, sizeof *qw);
	if (s != NULL && qs != NULL && qw != NULL) {
		for (i = 0; i < ls->n; i++) {
			if (strcmp(set, EVALUATE_ALL) != 0 &&
			    (ls->v[i].source == NULL ||
			    strcmp(ls->v[i].source, set) != 0))
				continue;
			s[n] = score ? score[i] : 0;
			qs[n] = ls->v[i].strong;
			qw[n++] = ls->v[i].weak;
		}
		st = score ? measure(s, qs, qw, n, name, r) :
		    measure_random(qs, qw, n, r);
	}
	free(s);
	free(qs);
	free(qw);
	return st;
}

const char **
evaluate_sets(const struct labels *ls)
{
	const char	**v;
	size_t		  i, k, n = 1;

	if ((v = calloc(ls->n + 2, sizeof *v)) == NULL)
		return NULL;
	v[0] = EVALUATE_ALL;
	for (i = 0; i < ls->n; i++) {
		if (ls->v[i].source == NULL)
			continue;
		for (k = 1; k < n; k++)
			if (strcmp(v[k], ls->v[i].source) == 0)
				break;
		if (k == n)
			v[n++] = ls->v[i].source;
	}
	if (n == 2)
		v[1] = NULL;	/* one source: EVALUATE_ALL says it */
	return v;
}

/* v in the format fmt into dst (NUM_FMTLEN bytes), or "-" unless has. */
static const char *
opt_num(char *dst, const char *fmt, int has, double v)
{
	if (!has)
		return "-";
	return num_fmt(dst, NUM_FMTLEN, fmt, v);
}

/* The columns of the set and the scorer: a longer name is cut at the front. */
#define SET_COLS	14
#define SCORER_COLS	12

void
evaluate_head(struct buf *b)
{
	buf_addf(b, "%-*s %-*s %6s %7s %7s %7s %8s %8s\n", SET_COLS, "SET",
	    SCORER_COLS, "SCORER", "N", "Q_WEAK", "Q_STR", "APGR", "CPT(50)",
	    "CPT(80)");
}

void
evaluate_row(struct buf *b, const char *set, const struct evaluate_result *r)
{
	char t1[NUM_FMTLEN], t2[NUM_FMTLEN], t3[NUM_FMTLEN], t4[NUM_FMTLEN];
	char t5[NUM_FMTLEN];

	/* A scorer file's path, or a set's, must not push the columns out. */
	utf8_add_fitted(b, set, SET_COLS);
	buf_addch(b, ' ');
	utf8_add_fitted(b, r->name, SCORER_COLS);
	buf_addf(b, " %6zu %7s %7s %7s %8s %8s\n", r->m.n, num_fmt(t1, sizeof t1, "%.3f", r->m.q_weak),
	    num_fmt(t2, sizeof t2, "%.3f", r->m.q_strong),
	    opt_num(t3, "%.3f", r->m.has_apgr, r->m.apgr),
	    opt_num(t4, "%.1f%%", r->has_cpt[EVALUATE_CPT50],
	    r->cpt[EVALUATE_CPT50]),
	    opt_num(t5, "%.1f%%", r->has_cpt[EVALUATE_CPT80],
	    r->cpt[EVALUATE_CPT80]));
}

/*
 * The member key of a JSON object: v in the format fmt, or null unless
 * has; first leaves out the comma after the member before.
 */
static void
json_num(struct buf *b, int first, const char *key, const char *fmt,
    int has, double v)
{
	jsonout_key(b, first, key);
	if (has)
		jsonout_num(b, fmt, v);
	else
		buf_addstr(b, "null");
}

void
evaluate_json(struct buf *b, const struct evaluate_result *r)
{
	int i, k;

	buf_addstr(b, "{\"scorer\":");
	jsonout_cstr(b, r->name);
	buf_addf(b, ",\"n\":%zu", r->m.n);
	json_num(b, 0, "q_weak", "%.6g", 1, r->m.q_weak);
	json_num(b, 0, "q_strong", "%.6g", 1, r->m.q_strong);
	json_num(b, 0, "apgr", "%.6g", r->m.has_apgr, r->m.apgr);
	for (k = 0; k < EVALUATE_NCPT; k++)
		json_num(b, 0, cpt_points[k].key, "%.6g", r->has_cpt[k],
		    r->cpt[k]);
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

/* What every label of ls costs at the strong and at the weak model. */
static void
costs(const struct labels *ls, struct evaluate_report *rep)
{
	struct features	f;
	struct usage	u;
	size_t		i;

	rep->cost_strong = rep->cost_weak = 0;
	for (i = 0; i < ls->n; i++) {
		features_extract(ls->v[i].p.text, ls->v[i].p.len, &f);
		u = cost_usage(f.tokens, 0, rep->strong->out_tokens);
		rep->cost_strong += cost_of(rep->strong, &u);
		rep->cost_weak += cost_of(rep->weak, &u);
	}
}

int
evaluate_report(const struct labels *ls, const struct scorer *s,
    const struct config *cfg, struct evaluate_report *rep)
{
	double	*score;
	int	 st = -1;

	memset(rep, 0, sizeof *rep);
	if (ls->n == 0 || (score = calloc(ls->n, sizeof *score)) == NULL)
		return -1;
	if (s != NULL)
		labels_score(ls, s, score);
	if (evaluate_set(ls, EVALUATE_ALL, s ? score : NULL, s ? s->name :
	    NULL, &rep->result) == 0 &&
	    evaluate_set(ls, EVALUATE_ALL, NULL, NULL, &rep->random) == 0) {
		labels_score(ls, &scorer_length, score);
		st = evaluate_set(ls, EVALUATE_ALL, score, scorer_length.name,
		    &rep->length);
	}
	free(score);
	if (st == 0) {
		rep->strong = config_model(cfg,
		    cfg->tiers[cfg->ntiers - 1].model);
		rep->weak = config_model(cfg, cfg->tiers[0].model);
		costs(ls, rep);
	}
	return st;
}

int
evaluate_report_confidence(const struct labels *ls, const struct scorer *s,
    const struct config *cfg, struct evaluate_report *rep, char **cause)
{
	struct evaluate_report	 base;
	double			*score;
	int			 st = -1;

	memset(rep, 0, sizeof *rep);
	if (ls->n == 0)
		return cause_set(cause, "no labels");
	if ((score = calloc(ls->n, sizeof *score)) == NULL)
		return cause_set(cause, "out of memory");
	if (labels_confidence(ls, score, cause) == -1) {
		free(score);
		return -1;
	}
	if (evaluate_report(ls, s, cfg, &base) == 0 &&
	    evaluate_set(ls, EVALUATE_ALL, score, EVALUATE_CONFIDENCE,
	    &rep->result) == 0) {
		rep->prompt = base.result;
		rep->has_prompt = 1;
		rep->length = base.length;
		rep->random = base.random;
		rep->strong = base.strong;
		rep->weak = base.weak;
		rep->cost_strong = base.cost_strong;
		rep->cost_weak = base.cost_weak;
		st = 0;
	} else
		cause_set(cause, "out of memory");
	free(score);
	return st;
}

double
evaluate_saved(double cpt, double cost_strong, double cost_weak)
{
	double c = cpt / 100 * cost_strong + (1 - cpt / 100) * cost_weak;

	return cost_strong > 0 ? 100 * (1 - c / cost_strong) : 0;
}

void
evaluate_report_table(struct buf *b, const struct evaluate_report *rep)
{
	const struct evaluate_result	*r = &rep->result;
	char				 t1[NUM_FMTLEN], t2[NUM_FMTLEN];
	int				 i, k;

	buf_addf(b, "%zu prompts: quality %s all-weak, %s all-strong\n\n",
	    r->m.n, num_fmt(t1, sizeof t1, "%.3f", r->m.q_weak),
	    num_fmt(t2, sizeof t2, "%.3f", r->m.q_strong));
	evaluate_head(b);
	evaluate_row(b, EVALUATE_ALL, r);
	if (rep->has_prompt)
		evaluate_row(b, EVALUATE_ALL, &rep->prompt);
	evaluate_row(b, EVALUATE_ALL, &rep->length);
	evaluate_row(b, EVALUATE_ALL, &rep->random);
	buf_addf(b, "\ncost saved against all-%s, routing to %s below the "
	    "threshold\n(estimated tokens at catalog prices):",
	    rep->strong->name, rep->weak->name);
	for (k = 0; k < EVALUATE_NCPT; k++)
		buf_addf(b, " %s at %s%%%s", opt_num(t1, "%.1f%%",
		    r->has_cpt[k], evaluate_saved(r->cpt[k], rep->cost_strong,
		    rep->cost_weak)), cpt_points[k].saved_key,
		    k + 1 < EVALUATE_NCPT ? "," : "");
	buf_addf(b, " of the quality gap\n\n%9s  %7s\n", "%STRONG",
	    "QUALITY");
	for (i = 0; i < METRICS_POINTS; i++)
		buf_addf(b, "%9s  %7s\n", num_fmt(t1, sizeof t1, "%.1f",
		    r->m.pts[i].x), num_fmt(t2, sizeof t2, "%.4f",
		    r->m.pts[i].y));
}

void
evaluate_report_json(struct buf *b, const struct evaluate_report *rep)
{
	const struct evaluate_result	*r = &rep->result;
	int				 k;

	buf_addstr(b, "{\"result\":");
	evaluate_json(b, r);
	buf_addstr(b, ",\"baselines\":[");
	if (rep->has_prompt) {
		evaluate_json(b, &rep->prompt);
		buf_addch(b, ',');
	}
	evaluate_json(b, &rep->length);
	buf_addch(b, ',');
	evaluate_json(b, &rep->random);
	buf_addstr(b, "],\"strong_model\":");
	jsonout_cstr(b, rep->strong->name);
	buf_addstr(b, ",\"weak_model\":");
	jsonout_cstr(b, rep->weak->name);
	buf_addstr(b, ",\"cost_saved_pct\":{");
	for (k = 0; k < EVALUATE_NCPT; k++)
		json_num(b, k == 0, cpt_points[k].saved_key, "%.4g",
		    r->has_cpt[k], evaluate_saved(r->cpt[k], rep->cost_strong,
		    rep->cost_weak));
	buf_addstr(b, "}}\n");
}
