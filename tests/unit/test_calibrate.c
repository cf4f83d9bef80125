/*
 * test_calibrate.c: tier bounds from a sample (calibrate.c): the three
 * ways of choosing them, on three tiers and on forty (more tiers than
 * the front once had room for), the shares list, and the table and JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "learn/calibrate.h"
#include "route/config.h"
#include "route/cost.h"
#include "unit.h"

/* Whether the text of b starts with the string lit. */
#define STARTS(b, lit)	(strncmp((b).data, (lit), strlen(lit)) == 0)

#define NSAMPLE	40
#define NTIERS	40

/* A sample of NSAMPLE prompts, scores (i + .5) / NSAMPLE, 100 tokens. */
static void
make_sample(struct calibrate_sample *sm)
{
	size_t i;

	memset(sm, 0, sizeof *sm);
	sm->score = calloc(NSAMPLE, sizeof *sm->score);
	sm->tokens = calloc(NSAMPLE, sizeof *sm->tokens);
	for (i = 0; sm->score != NULL && sm->tokens != NULL && i < NSAMPLE;
	    i++) {
		sm->score[i] = ((double)(NSAMPLE - 1 - i) + .5) / NSAMPLE;
		sm->tokens[i] = 100;
	}
	sm->n = sm->cap = NSAMPLE;
}

/* The built-in configuration, or with ntiers > 0 one of that many tiers
 * alternating between a cheap and a dear model. */
static int
load(struct config *cfg, size_t ntiers)
{
	struct buf	 b = BUF_INIT;
	char		 path[] = "/tmp/llmroute-cal.XXXXXX", *cause = NULL;
	size_t		 i;
	int		 fd, r;

	if (config_init(cfg, &cause) == -1)
		return -1;
	if (ntiers == 0)
		return 0;
	buf_addstr(&b, "{\"tiers\":[");
	for (i = 0; i < ntiers; i++)
		buf_addf(&b, "%s{\"name\":\"t%zu\",\"model\":\"%s\"%s}",
		    i ? "," : "", i, i % 2 ? "gpt-4.1" : "gpt-4.1-nano",
		    i + 1 < ntiers ? ",\"max_score\":0.5" : "");
	buf_addstr(&b, "]}");
	if ((fd = mkstemp(path)) == -1 ||
	    write(fd, b.data, b.len) != (ssize_t)b.len) {
		buf_free(&b);
		return -1;
	}
	close(fd);
	buf_free(&b);
	r = config_load(cfg, path, 1, &cause);
	unlink(path);
	if (r == -1 || config_check(cfg, &cause) == -1) {
		printf("# %s\n", cause ? cause : "?");
		free(cause);
		return -1;
	}
	return 0;
}

/* Bounds in [0, 1] and growing; counts adding up to the sample. */
static int
sane(const struct config *cfg, const struct calibrate_result *r)
{
	size_t i, sum = 0;

	for (i = 0; i + 1 < cfg->ntiers; i++)
		if (cfg->tiers[i].max_score < 0 ||
		    cfg->tiers[i].max_score > 1 || (i > 0 &&
		    cfg->tiers[i].max_score < cfg->tiers[i - 1].max_score))
			return 0;
	for (i = 0; i < r->ntiers; i++)
		sum += r->count[i];
	return r->ntiers == cfg->ntiers && sum == r->n;
}

static void
test_shares(void)
{
	struct buf	 b = BUF_INIT;
	double		*v = NULL;
	char		*cause = NULL;
	size_t		 i;

	CHECK(calibrate_shares("50,30,20", 3, &v, &cause) == 0 && v != NULL &&
	    v[0] == 50 && v[1] == 30 && v[2] == 20, "shares: 50,30,20");
	free(v);
	CHECK(calibrate_shares("50,30,10", 3, &v, &cause) == -1 && v == NULL &&
	    cause != NULL && strcmp(cause, "expected 3 percentages, one a "
	    "tier, that add up to 100") == 0, "shares: a sum of 90 is refused");
	free(cause);
	cause = NULL;
	CHECK(calibrate_shares("50,50", 3, &v, &cause) == -1, "shares: one "
	    "too few");
	free(cause);
	cause = NULL;
	CHECK(calibrate_shares("50,30,10,10", 3, &v, &cause) == -1,
	    "shares: one too many");
	free(cause);
	cause = NULL;
	CHECK(calibrate_shares("50,x,50", 3, &v, &cause) == -1, "shares: not "
	    "a number");
	free(cause);
	cause = NULL;
	CHECK(calibrate_shares("99.995,0.005", 2, &v, &cause) == 0,
	    "shares: a sum within 0.01 of 100 is taken");
	free(v);
	/* Forty shares: more than 16, the old fixed room. */
	for (i = 0; i < NTIERS; i++)
		buf_addstr(&b, i ? ",2.5" : "2.5");
	CHECK(calibrate_shares(b.data, NTIERS, &v, &cause) == 0 && v != NULL &&
	    v[NTIERS - 1] == 2.5, "shares: forty of 2.5");
	free(v);
	buf_addstr(&b, ",0");
	CHECK(calibrate_shares(b.data, NTIERS, &v, &cause) == -1,
	    "shares: forty-one for forty tiers is refused");
	free(cause);
	buf_free(&b);
}

static void
test_modes(void)
{
	struct calibrate_sample	 sm;
	struct calibrate_target	 t;
	struct calibrate_result	 r;
	struct config		 cfg;
	const double		 shares[] = { 50, 30, 20 };
	char			*cause = NULL;
	size_t			 last;

	make_sample(&sm);
	if (load(&cfg, 0) == -1) {
		CHECK(0, "the built-in configuration loads");
		return;
	}
	last = cfg.ntiers - 1;
	t = (struct calibrate_target){ .mode = CALIBRATE_STRONG_PCT,
	    .strong_pct = 25 };
	CHECK(calibrate_run(&cfg, &sm, &t, &r, &cause) == 0 && sane(&cfg, &r),
	    "--strong-pct 25: run");
	CHECK(r.count[last] == 10, "--strong-pct 25: 10 of 40 at the top");
	CHECK_NEAR(cfg.tiers[last - 1].max_score, .75, 1e-12,
	    "--strong-pct 25: the bound halfway between scores .7375, .7625");
	CHECK(r.cost > 0 && r.baseline >= r.cost, "--strong-pct 25: cost "
	    "under the baseline");
	calibrate_result_free(&r);

	t = (struct calibrate_target){ .mode = CALIBRATE_SHARES,
	    .shares = shares };
	CHECK(calibrate_run(&cfg, &sm, &t, &r, &cause) == 0 && sane(&cfg, &r),
	    "--shares 50,30,20: run");
	CHECK(r.count[0] == 20 && r.count[1] == 12 && r.count[2] == 8,
	    "--shares 50,30,20: 20, 12 and 8 prompts");
	calibrate_result_free(&r);

	t = (struct calibrate_target){ .mode = CALIBRATE_MAX_COST,
	    .max_cost = 0 };
	CHECK(calibrate_run(&cfg, &sm, &t, &r, &cause) == 0 && sane(&cfg, &r),
	    "--max-cost 0: run");
	CHECK(r.over_budget && r.count[0] == NSAMPLE && r.cheap_cost > 0 &&
	    strcmp(r.cheap_model, cfg.tiers[0].model) == 0,
	    "--max-cost 0: all cheap, and over the budget");
	CHECK_NEAR(r.cost, r.cheap_cost, 1e-12, "--max-cost 0: the cost is "
	    "the all-cheap cost");
	t.max_cost = r.cheap_cost + (r.baseline - r.cheap_cost) / 2;
	calibrate_result_free(&r);
	CHECK(calibrate_run(&cfg, &sm, &t, &r, &cause) == 0 && sane(&cfg, &r),
	    "--max-cost halfway: run");
	CHECK(!r.over_budget && r.cost <= t.max_cost + 1e-12 &&
	    r.count[last] > 0 &&
	    r.count[last] < NSAMPLE, "--max-cost halfway: some top calls, "
	    "within the budget");
	calibrate_result_free(&r);
	t.max_cost = 1e9;
	CHECK(calibrate_run(&cfg, &sm, &t, &r, &cause) == 0 &&
	    r.count[last] == NSAMPLE, "--max-cost 1e9: all at the top");
	calibrate_result_free(&r);

	sm.n = 0;
	CHECK(calibrate_run(&cfg, &sm, &t, &r, &cause) == -1 && cause != NULL,
	    "an empty sample is refused");
	free(cause);
	cause = NULL;
	calibrate_result_free(&r);
	sm.n = NSAMPLE;
	config_free(&cfg);
	calibrate_sample_free(&sm);
}

static void
test_forty(void)
{
	struct calibrate_sample	 sm;
	struct calibrate_target	 t;
	struct calibrate_result	 r;
	struct config		 cfg;
	struct buf		 b = BUF_INIT;
	double			 shares[NTIERS];
	char			*cause = NULL;
	size_t			 i;
	int			 ok = 1;

	make_sample(&sm);
	if (load(&cfg, NTIERS) == -1 || cfg.ntiers != NTIERS) {
		CHECK(0, "forty tiers load");
		return;
	}
	t = (struct calibrate_target){ .mode = CALIBRATE_STRONG_PCT,
	    .strong_pct = 30 };
	CHECK(calibrate_run(&cfg, &sm, &t, &r, &cause) == 0 && sane(&cfg, &r),
	    "forty tiers, --strong-pct 30: run");
	CHECK(r.count[NTIERS - 1] == 12, "forty tiers, --strong-pct 30: 12 of "
	    "40 at the top");
	calibrate_result_free(&r);

	for (i = 0; i < NTIERS; i++)
		shares[i] = 100.0 / NTIERS;
	t = (struct calibrate_target){ .mode = CALIBRATE_SHARES,
	    .shares = shares };
	CHECK(calibrate_run(&cfg, &sm, &t, &r, &cause) == 0 && sane(&cfg, &r),
	    "forty tiers, forty shares: run");
	for (i = 0; i < NTIERS; i++)
		if (r.count[i] != 1)
			ok = 0;
	CHECK(ok, "forty tiers, forty shares: one prompt each");
	calibrate_table(&b, &cfg, &r);
	CHECK(STARTS(b, "40 prompts\nTIER") &&
	    strstr(b.data, "\nt39        gpt-4.1                    -    "
	    "2.5%\n") != NULL, "forty tiers: the table has the last tier");
	buf_reset(&b);
	calibrate_json(&b, &cfg, &r);
	CHECK(STARTS(b, "{\"prompts\":40,\"tiers\":[{\"name\":\"t0\","
	    "\"max_score\":0.0250,\"share_pct\":2.5}") &&
	    strstr(b.data, "{\"name\":\"t39\",\"max_score\":null,"
	    "\"share_pct\":2.5}],\"cost_usd_est\":") != NULL &&
	    b.data[b.len - 1] == '\n', "forty tiers: the JSON");
	calibrate_result_free(&r);

	t = (struct calibrate_target){ .mode = CALIBRATE_MAX_COST,
	    .max_cost = 1e9 };
	CHECK(calibrate_run(&cfg, &sm, &t, &r, &cause) == 0 && sane(&cfg, &r),
	    "forty tiers, --max-cost: run");
	calibrate_result_free(&r);
	buf_free(&b);
	config_free(&cfg);
	calibrate_sample_free(&sm);
}

static void
test_output(void)
{
	struct calibrate_sample	 sm;
	struct calibrate_target	 t = { .mode = CALIBRATE_STRONG_PCT,
	    .strong_pct = 50 };
	struct calibrate_result	 r;
	struct config		 cfg;
	struct buf		 b = BUF_INIT;
	char			*cause = NULL;

	make_sample(&sm);
	if (load(&cfg, 2) == -1) {
		CHECK(0, "two tiers load");
		return;
	}
	CHECK(calibrate_run(&cfg, &sm, &t, &r, &cause) == 0, "two tiers: run");
	calibrate_table(&b, &cfg, &r);
	CHECK(STARTS(b, "40 prompts\n"
	    "TIER       MODEL                  BELOW   SHARE\n"
	    "t0         gpt-4.1-nano          0.5000   50.0%\n"
	    "t1         gpt-4.1                    -   50.0%\n"
	    "estimated cost ") && strstr(b.data, "saving ") != NULL,
	    "two tiers: the table");
	buf_reset(&b);
	calibrate_json(&b, &cfg, &r);
	CHECK(STARTS(b, "{\"prompts\":40,\"tiers\":[{\"name\":\"t0\","
	    "\"max_score\":0.5000,\"share_pct\":50},{\"name\":\"t1\","
	    "\"max_score\":null,\"share_pct\":50}],\"cost_usd_est\":"),
	    "two tiers: the JSON");
	calibrate_result_free(&r);
	buf_free(&b);
	config_free(&cfg);
	calibrate_sample_free(&sm);
}

/* The cascade threshold for a share of escalations, worked by hand. */
static void
test_cascade(void)
{
	static const double	 conf[] = { 0.9, 0.1, 0.5, 0.3 };
	static const double	 ties[] = { 0.5, 0.5, 0.5, 0.9 };
	struct calibrate_cascade c;
	struct buf		 b = BUF_INIT;

	/* sorted 0.1 0.3 0.5 0.9 */
	CHECK(calibrate_cascade(conf, 4, 50, &c) == 0 &&
	    fabs(c.threshold - 0.4) < 1e-12 && c.escalated == 2 && c.n == 4,
	    "cascade: 50% escalates the two least sure, at 0.4");
	CHECK(calibrate_cascade(conf, 4, 30, &c) == 0 &&
	    fabs(c.threshold - 0.2) < 1e-12 && c.escalated == 1,
	    "cascade: 30% of 4 rounds to one, at 0.2");
	CHECK(calibrate_cascade(conf, 4, 0, &c) == 0 && c.threshold == 0 &&
	    c.escalated == 0, "cascade: 0% is threshold 0");
	CHECK(calibrate_cascade(conf, 4, 100, &c) == 0 && c.threshold == 1 &&
	    c.escalated == 4, "cascade: 100% is threshold 1");
	CHECK(conf[0] == 0.9 && conf[1] == 0.1, "cascade: the input is kept");
	CHECK(calibrate_cascade(ties, 4, 25, &c) == 0 && c.threshold == 0.5 &&
	    c.escalated == 0, "cascade: ties escalate fewer, and say so");
	CHECK(calibrate_cascade(conf, 0, 50, &c) == -1,
	    "cascade: no confidences, no threshold");
	calibrate_cascade(conf, 4, 50, &c);
	calibrate_cascade_table(&b, &c);
	CHECK(strcmp(b.data, "cascade threshold 0.4: 2 of 4 answers escalate "
	    "(50.0%)\n") == 0, "cascade: the table line");
	buf_reset(&b);
	calibrate_cascade_json(&b, &c);
	CHECK(strcmp(b.data, "{\"threshold\":0.4,\"labels\":4,\"escalated\":2,"
	    "\"escalated_pct\":50}\n") == 0, "cascade: the JSON line");
	buf_free(&b);
}

/* The command train prints: each path one shell word, quoted if need be. */
static void
test_command(void)
{
	struct buf	 b = BUF_INIT;
	char		*files[] = { (char *)(uintptr_t)"a.jsonl",
	    (char *)(uintptr_t)"my labels/it's.jsonl" };

	CHECK(calibrate_command(&b, "m.json", 25, files, 2) == 0, "command: ok");
	CHECK_STR(b.data, "llmroute calibrate --scorer-model m.json --jsonl "
	    "--strong-pct 25.0 --write a.jsonl 'my labels/it'\\''s.jsonl'",
	    "command: a plain word bare, a space and a quote in quotes");
	buf_reset(&b);
	CHECK(calibrate_command(&b, "", 12.34, NULL, 0) == 0, "command: none");
	CHECK_STR(b.data, "llmroute calibrate --scorer-model '' --jsonl "
	    "--strong-pct 12.3 --write PROMPTS.jsonl",
	    "command: an empty word quoted, a placeholder without files");
	buf_free(&b);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_cascade();
	test_shares();
	test_modes();
	test_forty();
	test_output();
	test_command();
	return unit_done();
}
