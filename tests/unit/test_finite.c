/*
 * test_finite.c: no line llmroute writes holds a number that is not
 * finite: a result line, a cost log record and the cooldown state write
 * null (or drop the entry) where a hostile server's 1e999 or a sum that
 * overflowed would have printed inf or nan, which no JSON reader takes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json.h>

#include "base/buf.h"
#include "call/engine.h"
#include "input/input.h"
#include "log/logrec.h"
#include "route/config.h"
#include "route/router.h"
#include "run/results.h"
#include "score/scorer.h"
#include "unit.h"

/* Whether text is one whole JSON object (and a newline). */
static int
json_whole(const char *text)
{
	json_tokener	*tok = json_tokener_new();
	json_object	*o;
	size_t		 n = strlen(text);
	int		 ok;

	if (n > 0 && text[n - 1] == '\n')
		n--;
	o = json_tokener_parse_ex(tok, text, (int)n);
	ok = o != NULL && json_tokener_get_error(tok) == json_tokener_success &&
	    (size_t)json_tokener_get_parse_end(tok) == n &&
	    json_object_is_type(o, json_type_object);
	json_object_put(o);
	json_tokener_free(tok);
	return ok;
}

/* Whether text has a value inf or nan (any sign, any case). */
static int
has_nonfinite(const char *text)
{
	const char *p;

	for (p = text; (p = strchr(p, ':')) != NULL; p++) {
		p += p[1] == '-' ? 2 : 1;
		if (strncasecmp(p, "inf", 3) == 0 ||
		    strncasecmp(p, "nan", 3) == 0)
			return 1;
	}
	return 0;
}

static void
test_results(void)
{
	struct config		 cfg;
	struct prompt		 p;
	struct decision		 d;
	struct engine_result	 r;
	struct buf		 b = BUF_INIT;
	struct router		 router;
	const char		*hi = "{\"id\": 7, \"prompt\": \"hi\"}";
	char			*cause = NULL;

	config_init(&cfg, &cause);
	memset(&router, 0, sizeof router);
	router.cfg = &cfg;
	router.scorer = scorer_builtin();
	input_jsonl_parse(hi, strlen(hi), 1, &p, &cause);
	CHECK(router_decide(&router, &p, &d, NULL, &cause) == 0,
	    "results: a decision");
	memset(&r, 0, sizeof r);
	r.status = ENGINE_OK;
	r.model = d.model;
	r.provider = d.provider;
	r.answer = "x";
	r.answer_len = 1;
	r.usage.input = INFINITY;
	r.usage.output = NAN;
	r.usage.cache_read = -INFINITY;
	r.cost = INFINITY;
	r.baseline_cost = NAN;
	r.latency_ms = INFINITY;
	CHECK(results_line(&b, &p, &d, &r, NULL) == 0 && json_whole(b.data),
	    "results: a line with infinite usage is still JSON");
	CHECK(!has_nonfinite(b.data) &&
	    strstr(b.data, "\"tokens_out\":null") != NULL &&
	    strstr(b.data, "\"latency_ms\":null") != NULL,
	    "results: what is not finite is null");
	buf_free(&b);
	prompt_free(&p);
	config_free(&cfg);
}

static void
test_logrec(void)
{
	struct logrec	r = {
		.ts = 1764300000, .id_json = "1", .source = "-",
		.model = "m", .provider = "p", .baseline_model = "b",
		.score = NAN, .tokens_in = INFINITY, .tokens_out = -INFINITY,
		.tokens_cached = NAN, .cost = INFINITY, .baseline_cost = NAN,
		.latency_ms = INFINITY, .status = LOG_OK,
	};
	struct buf	b = BUF_INIT;

	CHECK(logrec_format(&b, &r) == 0 && json_whole(b.data),
	    "logrec: a record with infinite numbers is still JSON");
	CHECK(!has_nonfinite(b.data), "logrec: no inf, no nan");
	buf_free(&b);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_results();
	test_logrec();
	return unit_done();
}
