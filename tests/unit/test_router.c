/*
 * test_router.c: one prompt from its text to its decision, and what a
 * dry run prints of it.
 */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/lines.h"
#include "input/input.h"
#include "route/config.h"
#include "route/dryrun.h"
#include "route/router.h"
#include "score/scorer.h"
#include "unit.h"

static struct config	cfg;
static struct router	router;

/* A prompt parsed from a JSON Lines record (aborts the test if bad). */
static void
prompt_of(const char *json, struct prompt *p)
{
	char *cause = NULL;

	if (input_jsonl_parse(json, strlen(json), 1, p, &cause) == -1) {
		printf("# %s: %s\n", json, cause);
		exit(1);
	}
}

static void
test_decide(void)
{
	struct prompt	 p;
	struct decision	 d;
	struct explain	 why;
	struct features	 f;
	char		*cause = NULL;
	double		 z;
	int		 i;

	prompt_of("{\"prompt\": \"Say hello.\"}", &p);
	CHECK(router_decide(&router, &p, &d, &why, &cause) == 0,
	    "router_decide: ok");
	features_extract(p.text, p.len, &f);
	CHECK(d.score == scorer_score(router.scorer, &f, p.text, p.len, NULL,
	    NULL, NULL), "the score is the scorer's on the prompt's text");
	CHECK(d.tier == &cfg.tiers[0], "a greeting goes to the first tier");
	CHECK(d.tokens_in == round(f.tokens), "tokens in: the text's");
	for (i = 0, z = router.scorer->bias + why.ngrams; i < FEAT_COUNT; i++)
		z += why.contrib[i];
	CHECK(why.logit == z && d.score == 1 / (1 + exp(-z)),
	    "explain: the logit is the bias plus every term");
	prompt_free(&p);

	/* Every message and the system prompt count as input. */
	prompt_of("{\"messages\": [{\"role\": \"system\", \"content\": "
	    "\"You answer in French, always and with care.\"}, {\"role\": "
	    "\"user\", \"content\": \"Say hello.\"}]}", &p);
	router_decide(&router, &p, &d, NULL, &cause);
	CHECK(d.tokens_in > round(f.tokens), "messages: more tokens in than "
	    "the scored text alone");
	prompt_free(&p);
	router.system = "Be brief. Be kind. Be right. Cite sources.";
	prompt_of("{\"prompt\": \"Say hello.\"}", &p);
	router_decide(&router, &p, &d, NULL, &cause);
	CHECK(d.tokens_in > round(f.tokens), "the run's system prompt counts");
	router.system = NULL;
	prompt_free(&p);

	/* A record's own model wins, as --model does; an unknown one fails. */
	prompt_of("{\"prompt\": \"Say hello.\", \"model\": \"gpt-4o\"}", &p);
	CHECK(router_decide(&router, &p, &d, NULL, &cause) == 0 &&
	    strcmp(d.model->name, "gpt-4o") == 0 && d.forced == FORCED_MODEL,
	    "a record's model is used");
	prompt_free(&p);
	prompt_of("{\"prompt\": \"Say hello.\", \"model\": \"gpt-9\"}", &p);
	CHECK(router_decide(&router, &p, &d, NULL, &cause) == -1 &&
	    cause != NULL && strstr(cause, "gpt-9") != NULL,
	    "an unknown model of a record: -1, naming it");
	free(cause);
	prompt_free(&p);
}

static void
test_check(void)
{
	struct router	 r = router;
	char		*cause = NULL;

	CHECK(router_check(&r, &cause) == 0, "router_check: no names, ok");
	r.opts.tier = "nope";
	CHECK(router_check(&r, &cause) == -1 && strstr(cause, "nope") != NULL,
	    "router_check: an unknown tier");
	free(cause);
}

static void
test_dryrun(void)
{
	struct prompt		 p;
	struct decision		 d;
	struct explain		 why;
	struct dryrun_table	 t;
	struct buf		 b = BUF_INIT;
	char			*cause = NULL;

	prompt_of("{\"id\": \"q\\t1\", \"prompt\": \"Say hello.\"}", &p);
	router_decide(&router, &p, &d, &why, &cause);
	CHECK(dryrun_json(&b, &p, &d, NULL, router.scorer) == 0 &&
	    strncmp(b.data, "{\"id\":\"q\\t1\",\"score\":", 21) == 0 &&
	    b.data[b.len - 1] == '\n' && strstr(b.data, "\"explain\"") ==
	    NULL, "dryrun_json: one line, the id first, no explain");
	buf_reset(&b);
	CHECK(dryrun_json(&b, &p, &d, &why, router.scorer) == 0 &&
	    strstr(b.data, ",\"explain\":{\"scorer\":\"builtin\"") != NULL &&
	    strstr(b.data, "\"name\":\"length\"") != NULL,
	    "dryrun_json: with why, the explain member");
	buf_reset(&b);
	CHECK(strstr(b.data, "\"batch\"") == NULL, "dryrun_json: no batch "
	    "member unless priced as a batch");
	d.batch = 1;
	d.unbatched_cost = 0.25;
	CHECK(dryrun_json(&b, &p, &d, NULL, router.scorer) == 0 &&
	    strstr(b.data, ",\"batch\":true,\"unbatched_cost_usd_est\":"
	    "0.25") != NULL, "dryrun_json: at batch prices, the cost without");
	d.batch = 0;
	buf_reset(&b);
	CHECK(dryrun_explain(&b, &p, &d, &why, router.scorer) == 0 &&
	    strstr(b.data, "  q\t1: score ") == b.data &&
	    strstr(b.data, "\n  logit ") != NULL, "dryrun_explain: the "
	    "score line, then one per term, the logit last");
	buf_reset(&b);

	memset(&t, 0, sizeof t);
	CHECK(dryrun_table_add(&t, &p, &d) == 0 && dryrun_table_add(&t, &p,
	    &d) == 0 && t.n == 2, "dryrun_table_add: two rows");
	CHECK(t.cost == 2 * d.cost && t.baseline == 2 * d.baseline_cost,
	    "dryrun_table: the totals add up");
	CHECK(dryrun_table_render(&t, 0, &b) == 0 &&
	    strncmp(b.data, "ID   SCORE  TIER", 16) == 0 &&
	    strstr(b.data, "\nq 1  0.") != NULL &&
	    strstr(b.data, "2 prompts: estimated cost ") != NULL,
	    "dryrun_table_render: aligned, a name's tab made a space, totals");
	CHECK(strchr(b.data, '\033') == NULL, "no colour unless asked");
	buf_reset(&b);
	dryrun_table_render(&t, 1, &b);
	CHECK(strncmp(b.data, "\033[1mID", 6) == 0, "colour: a bold header");
	dryrun_table_free(&t);
	buf_free(&b);
	prompt_free(&p);
}

static void
test_count_file(void)
{
	char	path[] = "/tmp/llmroute-count.XXXXXX";
	int	fd = mkstemp(path);

	CHECK(fd != -1 && write(fd, "a\nb\nc", 5) == 5, "a file of 3 lines");
	CHECK(lines_count_file(path) == 2, "lines_count_file: its LFs");
	unlink(path);
	CHECK(lines_count_file("-") == 0, "lines_count_file: not stdin");
	CHECK(lines_count_file("/dev/zero") == 0,
	    "lines_count_file: not a device (never reads it)");
	CHECK(lines_count_file("/nonexistent/x") == 0,
	    "lines_count_file: not a missing file");
	close(fd);
}

int
main(void)
{
	char *cause = NULL;

	if (config_init(&cfg, &cause) == -1)
		return 1;
	router.cfg = &cfg;
	router.scorer = scorer_builtin();
	test_decide();
	test_check();
	test_dryrun();
	test_count_file();
	config_free(&cfg);
	return unit_done();
}
