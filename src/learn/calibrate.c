/*
 * calibrate.c: tier bounds that give a share or keep a budget.  A bound
 * falls halfway between two scores of the sample, so that the same
 * prompts routed again land as the sample did.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cause.h"
#include "base/jsonout.h"
#include "base/lines.h"
#include "base/num.h"
#include "base/utf8.h"
#include "learn/calibrate.h"
#include "route/cost.h"
#include "route/policy.h"
#include "score/features.h"

#include "base/banned.h"

#define CALIBRATE_FIRST_CAP	256	/* prompts room is made for at first */
#define CALIBRATE_SUM_SLACK	0.01	/* how far from 100 shares may add */

int
calibrate_add(struct calibrate_sample *sm, const struct scorer *s,
    const struct prompt *p)
{
	struct features	 f;
	double		*a, *b;

	if (sm->n == sm->cap) {
		sm->cap = sm->cap ? sm->cap * 2 : CALIBRATE_FIRST_CAP;
		a = reallocarray(sm->score, sm->cap, sizeof *a);
		if (a != NULL)
			sm->score = a;
		b = reallocarray(sm->tokens, sm->cap, sizeof *b);
		if (b != NULL)
			sm->tokens = b;
		if (a == NULL || b == NULL)
			return -1;
	}
	features_extract(p->text, p->len, &f);
	sm->score[sm->n] = scorer_score(s, &f, p->text, p->len, NULL, NULL,
	    NULL);
	sm->tokens[sm->n++] = f.tokens;
	return 0;
}

int
calibrate_read(struct calibrate_sample *sm, const struct scorer *s, int fd,
    const char *name, int jsonl, size_t max,
    void (*skip)(void *arg, const char *why), void *arg)
{
	struct jsonl	 jl;
	struct prompt	 p;
	char		*cause = NULL;
	int		 r, nomem = 0;

	if (jsonl && input_jsonl_open(&jl, fd, name, max) == -1)
		return -1;
	do {
		if (jsonl)
			r = input_jsonl_next(&jl, &p, &cause);
		else
			r = input_whole(fd, name, max, &p, &cause) == 0 ?
			    INPUT_OK : INPUT_BAD;
		if (r == INPUT_OK) {
			nomem = calibrate_add(sm, s, &p) == -1;
			prompt_free(&p);
		} else if (r != INPUT_EOF) {
			skip(arg, cause != NULL ? cause : "out of memory");
			free(cause);
			cause = NULL;
		}
	} while (jsonl && !nomem && r != INPUT_EOF && r != INPUT_FATAL);
	if (jsonl)
		input_jsonl_close(&jl);
	return nomem ? -1 : 0;
}

void
calibrate_sample_free(struct calibrate_sample *sm)
{
	free(sm->score);
	free(sm->tokens);
	memset(sm, 0, sizeof *sm);
}

int
calibrate_shares(const char *list, size_t ntiers, double **shares,
    char **cause)
{
	const char	*p = list, *f;
	char		 tok[NUM_FMTLEN];
	double		*v, sum = 0;
	size_t		 len, n = 0;
	int		 bad = 0;

	*shares = NULL;
	if ((v = calloc(ntiers + 1, sizeof *v)) == NULL)
		return cause_set(cause, "out of memory");
	while (n < ntiers && (f = lines_field(&p, ',', &len)) != NULL) {
		snprintf(tok, sizeof tok, "%.*s", (int)len, f);
		if ((bad = num_parse_double(tok, 0, 100, &v[n]) == -1))
			break;
		sum += v[n++];
	}
	if (bad || *p != '\0' || n != ntiers ||
	    fabs(sum - 100) > CALIBRATE_SUM_SLACK) {
		free(v);
		return cause_set(cause, "expected %zu percentages, one a "
		    "tier, that add up to 100", ntiers);
	}
	*shares = v;
	return 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* A bound that sends the k lowest of the n sorted scores below it. */
static double
cut(const double *sorted, size_t n, size_t k)
{
	if (k == 0)
		return 0;
	if (k >= n)
		return 1;
	return (sorted[k - 1] + sorted[k]) / 2;
}

/* The top tier takes pct % of the n sorted scores. */
static void
bounds_strong_pct(struct config *cfg, const double *sorted, size_t n,
    double pct)
{
	size_t	i, last = cfg->ntiers - 2;
	double	top = cut(sorted, n, n - (size_t)llround(pct / 100 *
		    (double)n));
	double	old = cfg->tiers[last].max_score;

	/* The lower bounds keep their proportions under the new one. */
	for (i = 0; i < last + 1; i++)
		cfg->tiers[i].max_score = old > 0 ?
		    cfg->tiers[i].max_score * top / old : top;
	cfg->tiers[last].max_score = top;
}

/* Tier i takes shares[i] % of the n sorted scores. */
static void
bounds_shares(struct config *cfg, const double *sorted, size_t n,
    const double *shares)
{
	double	cum = 0;
	size_t	i;

	for (i = 0; i + 1 < cfg->ntiers; i++) {
		cum += shares[i];
		cfg->tiers[i].max_score = cut(sorted, n,
		    (size_t)llround(cum / 100 * (double)n));
	}
}

/* A prompt that could go to the top tier, and what that costs more. */
struct cand {
	double	score, extra;
};

static int
cmp_cand(const void *a, const void *b)
{
	double x = ((const struct cand *)a)->score;
	double y = ((const struct cand *)b)->score;

	return x > y ? -1 : x < y;
}

/*
 * The most top-tier calls the budget buys, best scores first; the others
 * go to the first tier.  Returns 0 or -1 (memory).
 */
static int
bounds_max_cost(struct config *cfg, const struct calibrate_sample *sm,
    double budget, struct calibrate_result *r)
{
	const struct model	*cheap, *strong;
	struct cand		*cv;
	double			 spend;
	size_t			 i, k, n = sm->n;

	cheap = config_model(cfg, cfg->tiers[0].model);
	strong = config_model(cfg, cfg->tiers[cfg->ntiers - 1].model);
	if ((cv = calloc(n, sizeof *cv)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		struct usage u = cost_usage(sm->tokens[i], 0,
		    strong->out_tokens);

		cv[i].score = sm->score[i];
		cv[i].extra = cost_of(strong, &u) - cost_of(cheap, &u);
		r->cheap_cost += cost_of(cheap, &u);
	}
	qsort(cv, n, sizeof *cv, cmp_cand);
	for (k = 0, spend = r->cheap_cost; k < n && spend + cv[k].extra <=
	    budget; k++)
		spend += cv[k].extra;
	/* Tied scores fall on one side of any bound: all or none. */
	while (k > 0 && k < n && cv[k - 1].score == cv[k].score)
		k--;
	r->cheap_model = cheap->name;
	r->over_budget = r->cheap_cost > budget;
	for (i = 0; i + 1 < cfg->ntiers; i++)
		cfg->tiers[i].max_score = k == 0 ? 1 : k >= n ? 0 :
		    (cv[k - 1].score + cv[k].score) / 2;
	free(cv);
	return 0;
}

/* Keep the bounds in [0, 1], each no lower than the one before. */
static void
clamp_bounds(struct config *cfg)
{
	size_t i;

	for (i = 0; i + 1 < cfg->ntiers; i++) {
		if (cfg->tiers[i].max_score < 0)
			cfg->tiers[i].max_score = 0;
		if (cfg->tiers[i].max_score > 1)
			cfg->tiers[i].max_score = 1;
		if (i > 0 && cfg->tiers[i].max_score <
		    cfg->tiers[i - 1].max_score)
			cfg->tiers[i].max_score = cfg->tiers[i - 1].max_score;
	}
}

/*
 * Route the sample with cfg's bounds, as route would with its default
 * preference: the prompts of each tier and the costs.
 */
static void
measure(const struct config *cfg, const struct calibrate_sample *sm,
    struct calibrate_result *r)
{
	struct route_opts	ro;
	struct decision		d;
	size_t			i;

	memset(&ro, 0, sizeof ro);
	ro.prefer.lean = PREFER_BALANCED;
	for (i = 0; i < sm->n; i++) {
		policy_decide(cfg, &ro, sm->score[i], sm->tokens[i], &d);
		r->count[d.tier - cfg->tiers]++;
		r->cost += d.cost;
		r->baseline += d.baseline_cost;
	}
}

int
calibrate_run(struct config *cfg, const struct calibrate_sample *sm,
    const struct calibrate_target *t, struct calibrate_result *r,
    char **cause)
{
	double	*sorted = NULL;
	int	 st = 0;

	memset(r, 0, sizeof *r);
	if (cfg->ntiers < 2)
		return cause_set(cause, "there is only one tier");
	if (sm->n == 0)
		return cause_set(cause, "no prompts in the sample");
	r->n = sm->n;
	r->ntiers = cfg->ntiers;
	if ((r->count = calloc(cfg->ntiers, sizeof *r->count)) == NULL ||
	    (sorted = malloc(sm->n * sizeof *sorted)) == NULL)
		return cause_set(cause, "out of memory");
	memcpy(sorted, sm->score, sm->n * sizeof *sorted);
	qsort(sorted, sm->n, sizeof *sorted, cmp_double);
	switch (t->mode) {
	case CALIBRATE_STRONG_PCT:
		bounds_strong_pct(cfg, sorted, sm->n, t->strong_pct);
		break;
	case CALIBRATE_SHARES:
		bounds_shares(cfg, sorted, sm->n, t->shares);
		break;
	case CALIBRATE_MAX_COST:
		st = bounds_max_cost(cfg, sm, t->max_cost, r);
		break;
	}
	free(sorted);
	if (st == -1)
		return cause_set(cause, "out of memory");
	clamp_bounds(cfg);
	measure(cfg, sm, r);
	return 0;
}

void
calibrate_result_free(struct calibrate_result *r)
{
	free(r->count);
	memset(r, 0, sizeof *r);
}

/* The share of the sample tier i takes, in %. */
static double
share(const struct calibrate_result *r, size_t i)
{
	return 100.0 * (double)r->count[i] / (double)r->n;
}

/* The columns of the tier and model names: wider names push the rest. */
#define TIER_COLS	10
#define MODEL_COLS	18

void
calibrate_table(struct buf *b, const struct config *cfg,
    const struct calibrate_result *r)
{
	char	t1[NUM_FMTLEN], t2[NUM_FMTLEN], t3[NUM_FMTLEN];
	size_t	i;

	buf_addf(b, "%zu prompts\n%-*s %-*s %9s %7s\n", r->n, TIER_COLS,
	    "TIER", MODEL_COLS, "MODEL", "BELOW", "SHARE");
	for (i = 0; i < cfg->ntiers; i++) {
		utf8_add_padded(b, cfg->tiers[i].name,
		    strlen(cfg->tiers[i].name), TIER_COLS, 0);
		buf_addch(b, ' ');
		utf8_add_padded(b, cfg->tiers[i].model,
		    strlen(cfg->tiers[i].model), MODEL_COLS, 0);
		buf_addf(b, " %9s %6s%%\n", i + 1 < cfg->ntiers ? num_fmt(t1,
		    sizeof t1, "%.4f", cfg->tiers[i].max_score) : "-",
		    num_fmt(t2, sizeof t2, "%.1f", share(r, i)));
	}
	buf_addf(b, "estimated cost %s USD, baseline %s USD, saving %s%%\n",
	    num_money(t1, sizeof t1, r->cost),
	    num_money(t2, sizeof t2, r->baseline),
	    num_fmt(t3, sizeof t3, "%.1f", r->baseline > 0 ?
	    100 * (1 - r->cost / r->baseline) : 0));
}

void
calibrate_json(struct buf *b, const struct config *cfg,
    const struct calibrate_result *r)
{
	size_t i;

	buf_addf(b, "{\"prompts\":%zu,\"tiers\":[", r->n);
	for (i = 0; i < cfg->ntiers; i++) {
		buf_addstr(b, i ? ",{\"name\":" : "{\"name\":");
		jsonout_cstr(b, cfg->tiers[i].name);
		buf_addstr(b, ",\"max_score\":");
		if (i + 1 < cfg->ntiers)
			jsonout_num(b, "%.4f", cfg->tiers[i].max_score);
		else
			buf_addstr(b, "null");
		buf_addstr(b, ",\"share_pct\":");
		jsonout_num(b, "%.4g", share(r, i));
		buf_addch(b, '}');
	}
	buf_addstr(b, "],\"cost_usd_est\":");
	jsonout_num(b, "%.8g", r->cost);
	buf_addstr(b, ",\"baseline_cost_usd_est\":");
	jsonout_num(b, "%.8g", r->baseline);
	buf_addstr(b, "}\n");
}

static int
cmp_conf(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
calibrate_cascade(const double *conf, size_t n, double pct,
    struct calibrate_cascade *out)
{
	double	*v;
	size_t	 i, k;

	if (n == 0 || (v = calloc(n, sizeof *v)) == NULL)
		return -1;
	memcpy(v, conf, n * sizeof *v);
	qsort(v, n, sizeof *v, cmp_conf);
	k = (size_t)floor(pct / 100 * (double)n + 0.5);
	if (k > n)
		k = n;
	out->n = n;
	out->pct = pct;
	out->threshold = k == 0 ? 0 : k == n ? 1 : (v[k - 1] + v[k]) / 2;
	for (out->escalated = 0, i = 0; i < n; i++)
		out->escalated += v[i] < out->threshold;
	free(v);
	return 0;
}

void
calibrate_cascade_table(struct buf *b, const struct calibrate_cascade *c)
{
	char t1[NUM_FMTLEN], t2[NUM_FMTLEN];

	buf_addf(b, "cascade threshold %s: %zu of %zu answers escalate (%s%%)"
	    "\n", num_fmt(t1, sizeof t1, "%.4g", c->threshold), c->escalated,
	    c->n, num_fmt(t2, sizeof t2, "%.1f", 100.0 *
	    (double)c->escalated / (double)c->n));
}

void
calibrate_cascade_json(struct buf *b, const struct calibrate_cascade *c)
{
	char t1[NUM_FMTLEN], t2[NUM_FMTLEN];

	buf_addf(b, "{\"threshold\":%s,\"labels\":%zu,\"escalated\":%zu,"
	    "\"escalated_pct\":%s}\n", num_fmt(t1, sizeof t1, "%.6g",
	    c->threshold), c->n, c->escalated, num_fmt(t2, sizeof t2, "%.4g",
	    100.0 * (double)c->escalated / (double)c->n));
}

/* The characters a shell word may have without quotes. */
#define SHELL_SAFE	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" \
			"0123456789_./-+=,:@%"

/* Append " " and s to b as one shell word, quoted when it needs it. */
static int
shell_word(struct buf *b, const char *s)
{
	const char	*p;
	int		 e;

	e = buf_addch(b, ' ');
	if (*s != '\0' && s[strspn(s, SHELL_SAFE)] == '\0')
		return e | buf_addstr(b, s);
	e |= buf_addch(b, '\'');
	for (p = s; *p != '\0'; p++)
		e |= *p == '\'' ? buf_addstr(b, "'\\''") : buf_addch(b, *p);
	return e | buf_addch(b, '\'');
}

int
calibrate_command(struct buf *b, const char *model, double pct,
    char *const *files, int n)
{
	char	t[NUM_FMTLEN];
	int	i, e;

	e = buf_addstr(b, "llmroute calibrate --scorer-model");
	e |= shell_word(b, model);
	e |= buf_addstr(b, " --jsonl --strong-pct ");
	e |= buf_addstr(b, num_fmt(t, sizeof t, "%.1f", pct));
	e |= buf_addstr(b, " --write");
	for (i = 0; i < n; i++)
		e |= shell_word(b, files[i]);
	if (n == 0)
		e |= buf_addstr(b, " PROMPTS.jsonl");
	return e ? -1 : 0;
}
