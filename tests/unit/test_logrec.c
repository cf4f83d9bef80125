/*
 * test_logrec.c: cost log records built from a dry run's decision and
 * from a call's result, formatted as JSON lines and read back.
 */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "call/engine.h"
#include "input/input.h"
#include "log/logread.h"
#include "log/logrec.h"
#include "route/policy.h"
#include "unit.h"

/* 2025-11-28T00:00:00.250Z */
#define TS	1764288000.25

/* SHA-256 of "hello". */
#define HELLO_SHA256 \
	"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"

static char	name_small[] = "small", name_cheap[] = "m-cheap";
static char	name_strong[] = "m-strong", name_prov[] = "prov";
static char	id_json[] = "\"p1\"", id_name[] = "p1", text[] = "hello";
static char	tag_own[] = "own", tag_run[] = "nightly";
static char	*own_tags[] = { tag_own };
static char	*run_tags[] = { tag_run };

static const struct tier	small = { .name = name_small };
static const struct model	cheap = { .name = name_cheap };
static const struct model	strong = { .name = name_strong };
static const struct provider	prov = { .name = name_prov };

static const struct prompt	prompt = {
	.id = id_json,
	.name = id_name,
	.text = text,
	.len = sizeof text - 1,
	.tags = own_tags,
	.ntags = 1
};

static struct decision	decision = {
	.score = 0.42,
	.tier = &small,
	.model = &cheap,
	.provider = &prov,
	.baseline = &strong,
	.tokens_in = 12.4,
	.tokens_out = 99.6,
	.cost = 0.000123,
	.baseline_cost = 0.0009
};

/* The records of decision, as a dry run and as a failed call, whole. */
static const char want_dry_run[] =
    "{\"v\":1,\"ts\":\"2025-11-28T00:00:00.250Z\",\"id\":\"p1\","
    "\"request_id\":null,"
    "\"source\":\"in.jsonl\",\"model\":\"m-cheap\",\"provider\":\"prov\","
    "\"tier\":\"small\",\"score\":0.4200,\"tokens_in\":12,"
    "\"tokens_out\":100,\"tokens_cached\":0,\"cost_usd\":0.000123,"
    "\"baseline_model\":\"m-strong\",\"baseline_cost_usd\":0.0009,"
    "\"latency_ms\":0,\"status\":\"ok\",\"finish_reason\":null,"
    "\"error\":null,\"attempts\":0,"
    "\"fallback_from\":[],\"dry_run\":true,\"estimated\":true,"
    "\"tags\":[\"nightly\",\"own\"],\"prompt_sha256\":\"" HELLO_SHA256
    "\",\"prompt_chars\":5}\n";
static const char want_call[] =
    "{\"v\":1,\"ts\":\"2025-11-28T00:00:00.250Z\",\"id\":\"p1\","
    "\"request_id\":\"0123456789abcdef\","
    "\"source\":\"-\",\"model\":\"m-strong\",\"provider\":\"prov\","
    "\"tier\":\"small\",\"score\":0.4200,\"tokens_in\":40,"
    "\"tokens_out\":7,\"tokens_cached\":10,\"cost_usd\":0.5,"
    "\"baseline_model\":\"m-strong\",\"baseline_cost_usd\":0.75,"
    "\"latency_ms\":1234,\"status\":\"error\",\"finish_reason\":null,"
    "\"error\":\"HTTP 503\","
    "\"attempts\":3,\"fallback_from\":[\"m-cheap\"],\"dry_run\":false,"
    "\"estimated\":true,\"tags\":[\"nightly\",\"own\"],"
    "\"prompt_sha256\":\"" HELLO_SHA256 "\",\"prompt_chars\":5}\n";

/* Format r (stamped TS, with the run's tags) into a new string. */
static char *
format(struct logrec *r)
{
	struct buf b = BUF_INIT;

	r->ts = TS;
	r->tags = run_tags;
	r->ntags = 1;
	if (logrec_format(&b, r) == -1) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

static void
test_decision(void)
{
	struct logrec	 r;
	char		*line;

	logrec_from_decision(&r, &prompt, &decision, "in.jsonl");
	CHECK(r.ts == 0 && r.ntags == 0 && !r.log_prompt,
	    "decision: the run's part is left for the writer");
	line = format(&r);
	CHECK_STR(line ? line : "", want_dry_run,
	    "decision: the dry run's record, field by field");
	free(line);

	r.log_prompt = 1;
	line = format(&r);
	CHECK(line != NULL && strstr(line, ",\"prompt_chars\":5,\"prompt\":"
	    "\"hello\"}\n") != NULL, "decision: --log-prompts adds the text");
	free(line);
	r.log_prompt = 0;
	CHECK(!r.batch, "decision: not a batch request unless priced as one");

	decision.batch = 1;
	decision.unbatched_cost = 0.5;
	logrec_from_decision(&r, &prompt, &decision, "in.jsonl");
	line = format(&r);
	CHECK(line != NULL && strstr(line, ",\"prompt_chars\":5,\"batch\":"
	    "true,\"unbatched_cost_usd\":0.5}\n") != NULL,
	    "decision at batch prices: batch, no batch id, the full cost");
	free(line);
	decision.batch = 0;
}

/* A call that fell back from the cheap model and then failed. */
static void
test_result(void)
{
	struct engine_result	 res;
	struct logrec		 r;
	char			*line;

	memset(&res, 0, sizeof res);
	res.status = ENGINE_ERROR;
	snprintf(res.error, sizeof res.error, "%s", "HTTP 503");
	res.model = &strong;
	res.provider = &prov;
	res.attempts = 3;
	res.failed[0] = name_cheap;
	res.nfailed = 1;
	res.usage.input = 30;
	res.usage.cache_read = 10;
	res.usage.output = 7;
	res.estimated = 1;
	res.latency_ms = 1234.4;
	res.cost = 0.5;
	res.baseline_cost = 0.75;
	snprintf(res.request_id, sizeof res.request_id, "%s",
	    "0123456789abcdef");
	logrec_from_result(&r, &prompt, &decision, &res, "-");
	line = format(&r);
	CHECK_STR(line ? line : "", want_call,
	    "result: the call's record, field by field");
	free(line);

	res.status = ENGINE_OK;
	logrec_from_result(&r, &prompt, &decision, &res, "-");
	line = format(&r);
	CHECK(line != NULL && strstr(line, "\"status\":\"ok\","
	    "\"finish_reason\":null,\"error\":null,") != NULL,
	    "result: an answered call has no error");
	free(line);
	snprintf(res.finish_reason, sizeof res.finish_reason, "%s", "length");
	logrec_from_result(&r, &prompt, &decision, &res, "-");
	line = format(&r);
	CHECK(line != NULL && strstr(line, "\"status\":\"ok\","
	    "\"finish_reason\":\"length\",\"error\":null,") != NULL,
	    "result: an answer's finish reason");
	free(line);
	res.status = ENGINE_INTERRUPTED;
	logrec_from_result(&r, &prompt, &decision, &res, "-");
	CHECK(r.status == LOG_INTERRUPTED, "result: interrupted stays so");
	CHECK_STR(logrec_status_name(r.status), "interrupted",
	    "result: the name of its status");
	CHECK_STR(logrec_status_name(LOG_CLOSED), "closed",
	    "a call stopped by a closed output: closed");
	{
		enum log_status st = LOG_OK;

		CHECK(logrec_status_parse("closed", &st) == 0 &&
		    st == LOG_CLOSED, "closed reads back");
		CHECK(logrec_status_parse("shut", &st) == -1 &&
		    st == LOG_CLOSED, "an unknown status is refused");
	}
}

/* A record without a tier, and a prompt of several code points. */
static void
test_readback(void)
{
	static char		 utf8[] = "h\xc3\xa9llo \xe2\x82\xac";
	struct prompt		 p = prompt;
	struct decision		 d = decision;
	struct logread		 lr;
	struct logview		 v;
	struct logrec		 r;
	const char		*why = NULL;
	char			*line;

	p.text = utf8;
	p.len = sizeof utf8 - 1;
	d.tier = NULL;
	logrec_from_decision(&r, &p, &d, "x");
	line = format(&r);
	CHECK(line != NULL && strstr(line, "\"tier\":null,") != NULL &&
	    strstr(line, "\"prompt_chars\":7}") != NULL,
	    "no tier is null; chars are code points");
	logread_init(&lr);
	CHECK(line != NULL && logread_parse(&lr, line, strlen(line) - 1, &v,
	    &why) == 0, "the record reads back");
	CHECK(v.ts == TS && strcmp(v.model, "m-cheap") == 0 &&
	    v.tier[0] == '\0' && v.ntags == 2 && v.dry_run && v.estimated &&
	    v.tokens_in == 12 && v.cost == 0.000123,
	    "the fields read back are those written");
	logread_free(&lr);
	free(line);
}

int
main(void)
{
	test_decision();
	test_result();
	test_readback();
	return unit_done();
}
