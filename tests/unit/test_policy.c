/*
 * test_policy.c: from a score to a tier and model, and the cost estimate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "route/config.h"
#include "route/cost.h"
#include "route/policy.h"
#include "unit.h"

static struct config cfg;

/* The default tiers: cheapest, second and last. */
#define T0	(cfg.tiers[0].name)
#define T1	(cfg.tiers[1].name)
#define TL	(cfg.tiers[cfg.ntiers - 1].name)

/* The tier name chosen for score under opts (NULL tier: "(none)"). */
static const char *
route(const struct route_opts *opts, double score)
{
	struct decision d;

	memset(&d, 0, sizeof d);
	policy_decide(&cfg, opts, score, 100, &d);
	return d.tier != NULL ? d.tier->name : "(none)";
}

/* A preference that leans to l by weight w, without speed. */
static struct preference
lean(enum prefer l, double w)
{
	struct preference p = { l, w, 0 };

	return p;
}

/* What in and out tokens cost at m's prices, as a decision estimates. */
static double
est(const struct model *m, double in, double out)
{
	struct usage u = cost_usage(in, 0, out);

	return cost_of(m, &u);
}

static void
test_defaults(void)
{
	struct route_opts	 opts = { { PREFER_BALANCED, 0, 0 }, 0, 0, NULL, NULL, NULL, 0, 0 };
	char			*cause = NULL;
	size_t			 i, n;
	double			 lo;
	int			 ok = 1;

	CHECK(config_check(&cfg, &cause) == 0, "defaults pass config_check");
	free(cause);
	cause = NULL;
	n = cfg.ntiers;
	CHECK(n >= 2, "at least two default tiers");
	CHECK(policy_check(&cfg, &opts, &cause) == 0, "no names: ok");

	/* Each tier takes the scores below its bound and above the last. */
	lo = 0;
	for (i = 0; i + 1 < n; i++) {
		double hi = cfg.tiers[i].max_score;

		if (strcmp(route(&opts, lo), cfg.tiers[i].name) != 0 ||
		    strcmp(route(&opts, (lo + hi) / 2), cfg.tiers[i].name) != 0 ||
		    strcmp(route(&opts, hi - 1e-9), cfg.tiers[i].name) != 0 ||
		    strcmp(route(&opts, hi), cfg.tiers[i + 1].name) != 0 ||
		    strcmp(route(&opts, hi + 0.01), cfg.tiers[i + 1].name) != 0)
			ok = 0;
		if (policy_bound(&cfg, &opts, i) != hi)
			ok = 0;
		lo = hi;
	}
	CHECK(ok, "each tier takes [previous bound, its bound)");
	CHECK_STR(route(&opts, 0), cfg.tiers[0].name, "score 0: first tier");
	CHECK_STR(route(&opts, 1), cfg.tiers[n - 1].name,
	    "score 1: last tier");
	CHECK(policy_bound(&cfg, &opts, n - 1) > 1,
	    "last tier's bound is above every score");
	CHECK_STR(route(&opts, cfg.tiers[0].max_score - 0.01), T0,
	    "just under small's bound: small");
	CHECK_STR(route(&opts, cfg.tiers[0].max_score + 0.01), T1,
	    "just over small's bound: medium");
	CHECK_STR(route(&opts, cfg.tiers[1].max_score - 0.01), T1,
	    "just under medium's bound: medium");
	CHECK_STR(route(&opts, cfg.tiers[1].max_score + 0.01), TL,
	    "just over medium's bound: large");
}

static void
test_prefer(void)
{
	struct route_opts	opts = { { PREFER_BALANCED, 0, 0 }, 0, 0, NULL, NULL, NULL, 0, 0 };
	double			b0 = cfg.tiers[0].max_score;
	double			b1 = cfg.tiers[1].max_score;
	double			sh = cfg.prefer_shift;

	CHECK(sh > 0, "a positive default shift");
	opts.prefer = lean(PREFER_COST, 1);
	CHECK_NEAR(policy_bound(&cfg, &opts, 0), b0 + sh, 1e-12,
	    "cost: bound moves up by the shift");
	CHECK_NEAR(policy_bound(&cfg, &opts, 1), b1 + sh, 1e-12,
	    "cost: second bound moves up too");
	CHECK_STR(route(&opts, b0 + sh / 2), T0,
	    "cost: a score over the bound stays small");
	opts.prefer = lean(PREFER_BALANCED, 0);
	CHECK_STR(route(&opts, b0 + sh / 2), T1,
	    "balanced: the same score is medium");
	opts.prefer = lean(PREFER_QUALITY, 1);
	CHECK_NEAR(policy_bound(&cfg, &opts, 0), b0 - sh, 1e-12,
	    "quality: bound moves down by the shift");
	CHECK_STR(route(&opts, b0 - sh / 2), T1,
	    "quality: a score under the bound goes up a tier");
	CHECK_STR(route(&opts, b1 - sh / 2), TL,
	    "quality: just under medium's bound goes large");
	opts.prefer = lean(PREFER_BALANCED, 0);
	CHECK_STR(route(&opts, b0 - sh / 2), T0,
	    "balanced: the same score is small");

	/* Bounds are clamped to [0, 1]. */
	cfg.prefer_shift = 1;
	opts.prefer = lean(PREFER_COST, 1);
	CHECK(policy_bound(&cfg, &opts, 0) == 1, "cost: clamped to 1");
	opts.prefer = lean(PREFER_QUALITY, 1);
	CHECK(policy_bound(&cfg, &opts, 0) == 0, "quality: clamped to 0");
	CHECK_STR(route(&opts, 0), TL,
	    "quality with a full shift: even 0 goes to the last tier");
	CHECK(policy_bound(&cfg, &opts, cfg.ntiers - 1) > 1,
	    "the last bound is not shifted");
	cfg.prefer_shift = sh;
}

/* The index of the tier score goes to under opts. */
static size_t
tier_of(const struct route_opts *opts, double score)
{
	struct decision d;

	memset(&d, 0, sizeof d);
	policy_decide(&cfg, opts, score, 100, &d);
	return (size_t)(d.tier - cfg.tiers);
}

/*
 * The graded preference: W 0 routes as balanced, W 1 as the whole shift
 * (the bare word), and as W grows each score's tier moves only one way,
 * so the cheapest tier's share only grows under cost (shrinks under
 * quality) and the last tier's the other way.
 */
static void
test_graded(void)
{
	struct route_opts	 bal = { { PREFER_BALANCED, 0, 0 }, 0, 0, NULL,
	    NULL, NULL, 0, 0 };
	struct route_opts	 o = bal;
	enum prefer		 way[2] = { PREFER_COST, PREFER_QUALITY };
	double			 sh = cfg.prefer_shift, b, s;
	size_t			 n0[2][21], nl[2][21], t, prev[401];
	int			 l, w, i, same0 = 1, same1 = 1, mono = 1;
	int			 grows = 1;

	for (l = 0; l < 2; l++) {
		for (w = 0; w <= 20; w++) {
			o.prefer = lean(way[l], w / 20.0);
			n0[l][w] = nl[l][w] = 0;
			for (i = 0; i <= 400; i++) {
				s = i / 400.0;
				t = tier_of(&o, s);
				if (w == 0 && t != tier_of(&bal, s))
					same0 = 0;
				if (w > 0 && (way[l] == PREFER_COST ?
				    t > prev[i] : t < prev[i]))
					mono = 0;
				prev[i] = t;
				n0[l][w] += t == 0;
				nl[l][w] += t + 1 == cfg.ntiers;
			}
			if (w > 0 && (way[l] == PREFER_COST ?
			    n0[l][w] < n0[l][w - 1] || nl[l][w] > nl[l][w - 1] :
			    n0[l][w] > n0[l][w - 1] || nl[l][w] < nl[l][w - 1]))
				grows = 0;
		}
		/* W 1: the bound of the bare word, b plus or minus the shift. */
		o.prefer = lean(way[l], 1);
		for (t = 0; t + 1 < cfg.ntiers; t++) {
			b = cfg.tiers[t].max_score +
			    (way[l] == PREFER_COST ? sh : -sh);
			b = b < 0 ? 0 : b > 1 ? 1 : b;
			if (policy_bound(&cfg, &o, t) != b)
				same1 = 0;
		}
		o.prefer = lean(way[l], 0.5);
		CHECK_NEAR(policy_bound(&cfg, &o, 0), cfg.tiers[0].max_score +
		    (way[l] == PREFER_COST ? sh : -sh) / 2, 1e-12,
		    way[l] == PREFER_COST ? "cost=0.5: half the shift up" :
		    "quality=0.5: half the shift down");
	}
	CHECK(same0, "prefer W 0: every score routes as balanced");
	CHECK(same1, "prefer W 1: the bounds of the bare word, as before");
	CHECK(mono, "prefer: a score's tier moves one way as W grows");
	CHECK(grows, "prefer: the first and last tiers' shares are monotonic "
	    "in W");
	CHECK(n0[0][20] > n0[0][0] && n0[1][20] < n0[1][0] &&
	    n0[0][10] > n0[0][0] && n0[0][10] < n0[0][20],
	    "prefer: W 0.5 lies strictly between balanced and the whole shift");
}

/* The names of d's order, comma-separated (static). */
static const char *
order_of(const struct decision *d)
{
	static char	out[512];
	size_t		i, n = 0;

	out[0] = '\0';
	for (i = 0; i < d->norder && n < sizeof out; i++)
		n += (size_t)snprintf(out + n, sizeof out - n, "%s%s",
		    i ? "," : "", d->order[i]->name);
	return out;
}

static void
test_speed(void)
{
	struct route_opts	 o = { { PREFER_BALANCED, 0, 0 }, 0, 0, NULL,
	    NULL, NULL, 0, 0 };
	struct latency		 lat[3];
	struct decision		 d;
	struct tier		*t = &cfg.tiers[0];
	static char		 f1[] = "gpt-4o-mini", f2[] = "claude-haiku-4-5";
	char			*fb[2] = { f1, f2 };
	char			**oldfb = t->fallbacks;
	size_t			 oldn = t->nfallbacks;
	struct model		*nano, *mini, *haiku;

	t->fallbacks = fb;
	t->nfallbacks = 2;
	nano = (struct model *)config_model(&cfg, t->model);
	mini = (struct model *)config_model(&cfg, "gpt-4o-mini");
	haiku = (struct model *)config_model(&cfg, "claude-haiku-4-5");

	policy_decide(&cfg, &o, 0, 100, &d);
	CHECK_STR(order_of(&d), "gpt-4.1-nano,gpt-4o-mini,claude-haiku-4-5",
	    "no speed: the tier's model, then its fallbacks");
	o.prefer.speed = 1;
	policy_decide(&cfg, &o, 0, 100, &d);
	CHECK_STR(order_of(&d), "gpt-4.1-nano,gpt-4o-mini,claude-haiku-4-5",
	    "speed, nothing known: the order of the configuration");

	/* Observed medians. */
	lat[0] = (struct latency){ "gpt-4.1-nano", 300 };
	lat[1] = (struct latency){ "claude-haiku-4-5", 100 };
	lat[2] = (struct latency){ "gpt-4o-mini", 200 };
	o.latency = lat;
	o.nlatency = 3;
	policy_decide(&cfg, &o, 0, 100, &d);
	CHECK(d.model == haiku && d.tier == t,
	    "speed: the fastest model answers, in its tier");
	CHECK_STR(order_of(&d), "claude-haiku-4-5,gpt-4o-mini,gpt-4.1-nano",
	    "speed: the tier's models by observed median");

	/* The configured latency_ms where the log has none; observed wins. */
	o.nlatency = 1;
	nano->latency_ms = 50;
	mini->latency_ms = 250;
	haiku->latency_ms = 90;
	policy_decide(&cfg, &o, 0, 100, &d);
	CHECK_STR(order_of(&d), "claude-haiku-4-5,gpt-4o-mini,gpt-4.1-nano",
	    "speed: latency_ms stands in for a model the log lacks");
	CHECK(policy_latency(&o, nano) == 300 &&
	    policy_latency(&o, mini) == 250,
	    "policy_latency: observed first, then latency_ms");
	o.nlatency = 0;
	haiku->latency_ms = 0;
	policy_decide(&cfg, &o, 0, 100, &d);
	CHECK_STR(order_of(&d), "gpt-4.1-nano,gpt-4o-mini,claude-haiku-4-5",
	    "speed: unknown models after the known ones");
	mini->latency_ms = 50;
	policy_decide(&cfg, &o, 0, 100, &d);
	CHECK_STR(order_of(&d), "gpt-4.1-nano,gpt-4o-mini,claude-haiku-4-5",
	    "speed: ties keep the order of the configuration");

	/* --tier is reordered, --model is not. */
	mini->latency_ms = 10;
	o.tier = t->name;
	policy_decide(&cfg, &o, 0.9, 100, &d);
	CHECK(d.model == mini, "speed: a forced tier's fastest model");
	o.tier = NULL;
	o.model = t->model;
	policy_decide(&cfg, &o, 0.9, 100, &d);
	CHECK(d.model == nano && d.order[0] == nano,
	    "speed: a forced model stays first");
	o.model = "claude-opus-4-5";
	policy_decide(&cfg, &o, 0.9, 100, &d);
	CHECK_STR(order_of(&d), "claude-opus-4-5",
	    "a forced model outside the tiers: alone");

	nano->latency_ms = mini->latency_ms = haiku->latency_ms = 0;
	t->fallbacks = oldfb;
	t->nfallbacks = oldn;
}

static void
test_threshold(void)
{
	/* A threshold under the first bound, so the middle tier's own range
	 * lies above it. */
	double			t = cfg.tiers[0].max_score / 2;
	struct route_opts	opts = { { PREFER_BALANCED, 0, 0 }, 1, t, NULL, NULL, NULL, 0, 0 };

	CHECK(policy_bound(&cfg, &opts, 0) == t, "threshold: first bound");
	CHECK_STR(route(&opts, t - 0.01), T0, "threshold: below goes small");
	CHECK_STR(route(&opts, t), TL, "threshold: at goes large");
	CHECK_STR(route(&opts, (cfg.tiers[0].max_score +
	    cfg.tiers[1].max_score) / 2), TL,
	    "threshold: the middle tier is skipped");
	CHECK_STR(route(&opts, cfg.tiers[1].max_score - 0.01), TL,
	    "threshold: under the middle bound is still large");
	opts.threshold = 0.9;
	CHECK_STR(route(&opts, cfg.tiers[1].max_score + 0.01), T0,
	    "threshold 0.9: above the middle bound is still small");
	opts.prefer = lean(PREFER_COST, 1);
	CHECK(policy_bound(&cfg, &opts, 0) == 0.9,
	    "threshold is not shifted by --prefer");
}

static void
test_forced(void)
{
	struct route_opts	 opts = { { PREFER_BALANCED, 0, 0 }, 0, 0, NULL, NULL, NULL, 0, 0 };
	struct decision		 d;
	char			*cause = NULL;

	opts.tier = TL;
	CHECK(policy_check(&cfg, &opts, &cause) == 0, "known tier: ok");
	policy_decide(&cfg, &opts, 0.01, 50, &d);
	CHECK(d.forced == FORCED_TIER && d.tier == config_tier(&cfg, TL),
	    "forced tier wins over a low score");
	CHECK(d.model == config_model(&cfg, cfg.tiers[cfg.ntiers - 1].model),
	    "forced tier: its model");
	CHECK(d.score == 0.01, "forced tier: score still reported");

	opts.tier = NULL;
	opts.model = "claude-opus-4-5";
	CHECK(policy_check(&cfg, &opts, &cause) == 0, "known model: ok");
	policy_decide(&cfg, &opts, 0.99, 50, &d);
	CHECK(d.forced == FORCED_MODEL && d.tier == NULL &&
	    d.model == config_model(&cfg, "claude-opus-4-5"),
	    "forced model outside the tiers: tier NULL");
	CHECK(d.provider == config_provider(&cfg, "anthropic"),
	    "forced model: its provider");

	opts.model = cfg.tiers[1].model;
	policy_decide(&cfg, &opts, 0.99, 50, &d);
	CHECK(d.forced == FORCED_MODEL && d.tier == &cfg.tiers[1] &&
	    d.model == config_model(&cfg, cfg.tiers[1].model),
	    "forced model of a tier: that tier reported");

	opts.model = "no-such-model";
	CHECK(policy_check(&cfg, &opts, &cause) == -1 && cause != NULL &&
	    strstr(cause, "unknown model 'no-such-model'") != NULL,
	    "unknown model: error names it");
	free(cause);
	cause = NULL;
	opts.model = NULL;
	opts.tier = "huge";
	CHECK(policy_check(&cfg, &opts, &cause) == -1 && cause != NULL &&
	    strstr(cause, "unknown tier 'huge'") != NULL,
	    "unknown tier: error names it");
	free(cause);
	cause = NULL;
	opts.tier = T0;
	opts.model = "nope";
	CHECK(policy_check(&cfg, &opts, &cause) == -1 && cause != NULL &&
	    strstr(cause, "nope") != NULL, "known tier, unknown model: error");
	free(cause);
}

static void
test_cost(void)
{
	struct route_opts	 opts = { { PREFER_BALANCED, 0, 0 }, 0, 0, NULL, NULL, NULL, 0, 0 };
	struct model		*m, *top;
	struct decision		 d;

	m = (struct model *)config_model(&cfg, cfg.tiers[0].model);
	top = (struct model *)config_model(&cfg,
	    cfg.tiers[cfg.ntiers - 1].model);
	m->price_in = 0.25;
	m->price_out = 2;
	m->out_tokens = 400;
	top->price_in = 4;
	top->price_out = 16;
	top->out_tokens = 1000;

	CHECK(est(m, 1e6, 0) == 0.25, "1M input tokens: price_in");
	CHECK(est(m, 0, 1e6) == 2, "1M output tokens: price_out");
	CHECK(est(m, 0, 0) == 0, "no tokens: free");
	CHECK_NEAR(est(m, 1000, 400), (1000 * 0.25 + 400 * 2) / 1e6,
	    1e-15, "1000 in, 400 out");

	policy_decide(&cfg, &opts, 0, 2000, &d);
	CHECK(d.model == m && d.tokens_in == 2000 && d.tokens_out == 400,
	    "decision: tokens in given, tokens out from the model");
	CHECK_NEAR(d.cost, (2000 * 0.25 + 400 * 2) / 1e6, 1e-15,
	    "decision cost: 0.0013 USD");
	CHECK(d.baseline == top, "baseline defaults to the last tier's model");
	CHECK_NEAR(d.baseline_cost, (2000 * 4.0 + 400 * 16.0) / 1e6, 1e-15,
	    "baseline cost: same token counts at the baseline's prices");

	free(cfg.baseline);
	cfg.baseline = strdup("claude-opus-4-5");
	policy_decide(&cfg, &opts, 0, 2000, &d);
	CHECK(d.baseline == config_model(&cfg, "claude-opus-4-5"),
	    "configured baseline used");
	CHECK_NEAR(d.baseline_cost, est(d.baseline, 2000, 400), 1e-15,
	    "configured baseline: its prices, the chosen model's tokens");

	opts.model = "llama3.2";
	policy_decide(&cfg, &opts, 0.5, 2000, &d);
	CHECK(d.cost == 0 && d.baseline_cost > 0,
	    "free local model: cost 0, baseline still priced");
	free(cfg.baseline);
	cfg.baseline = NULL;
}

/* --batch: the provider's batch price, the baseline's full one. */
static void
test_batch_cost(void)
{
	struct route_opts	 opts;
	struct decision		 d;
	struct provider		*p;
	double			 full;

	memset(&opts, 0, sizeof opts);
	memset(&d, 0, sizeof d);
	policy_decide(&cfg, &opts, 0, 2000, &d);
	full = d.cost;
	CHECK(!d.batch && d.unbatched_cost == full,
	    "no batch: the full price, unbatched the same");
	opts.batch = 1;
	policy_decide(&cfg, &opts, 0, 2000, &d);
	CHECK(d.batch && d.provider->batch, "batch: the cheap tier's "
	    "provider takes batches");
	CHECK_NEAR(d.cost, full * 0.5, 1e-15, "batch: half the price");
	CHECK(d.unbatched_cost == full, "batch: unbatched is the full price");
	CHECK_NEAR(d.baseline_cost, est(d.baseline, 2000, d.tokens_out),
	    1e-15, "batch: the baseline at its full price");
	p = (struct provider *)d.provider;
	p->batch = 0;
	policy_decide(&cfg, &opts, 0, 2000, &d);
	CHECK(d.batch && d.cost == full, "a provider without batches: "
	    "the full price");
	p->batch = 1;
	CHECK(policy_batch_cost(NULL, 2) == 2, "no provider: full price");
}

int
main(void)
{
	char *cause = NULL;

	/* Line-buffered: a sanitizer exit must not lose TAP lines. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (config_init(&cfg, &cause) == -1) {
		printf("Bail out! config_init: %s\n", cause);
		return 1;
	}
	test_defaults();
	test_prefer();
	test_graded();
	test_speed();
	test_threshold();
	test_forced();
	test_cost();
	test_batch_cost();
	config_free(&cfg);
	return unit_done();
}
