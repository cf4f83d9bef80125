/*
 * test_policy.c: from a score to a tier and model, and the cost estimate.
 */
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
	struct route_opts	 opts = { { PREFER_BALANCED, 0, 0 }, 0, 0, NULL, NULL, NULL, 0 };
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
	struct route_opts	opts = { { PREFER_BALANCED, 0, 0 }, 0, 0, NULL, NULL, NULL, 0 };
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

static void
test_threshold(void)
{
	/* A threshold under the first bound, so the middle tier's own range
	 * lies above it. */
	double			t = cfg.tiers[0].max_score / 2;
	struct route_opts	opts = { { PREFER_BALANCED, 0, 0 }, 1, t, NULL, NULL, NULL, 0 };

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
	struct route_opts	 opts = { { PREFER_BALANCED, 0, 0 }, 0, 0, NULL, NULL, NULL, 0 };
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
	struct route_opts	 opts = { { PREFER_BALANCED, 0, 0 }, 0, 0, NULL, NULL, NULL, 0 };
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
	test_threshold();
	test_forced();
	test_cost();
	config_free(&cfg);
	return unit_done();
}
