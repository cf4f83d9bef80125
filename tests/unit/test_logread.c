/*
 * test_logread.c: one cost log line into the report's fields: each
 * field's type and range, null where a field may be null, keys written
 * with escapes, tags kept and checked, and why a line is damaged.
 */
#include <math.h>

#include "log/logread.h"
#include "unit.h"

#define HEAD	"{\"v\":1,\"ts\":\"2025-11-28T00:00:00.250Z\"," \
	"\"model\":\"m\",\"status\":\"ok\",\"cost_usd\":0.5," \
	"\"baseline_cost_usd\":1,\"tokens_in\":10,\"tokens_out\":5"

static struct logread	lr;

/* Parse s into *v; the why of a damaged line, or "" when it parses. */
static const char *
parse(const char *s, struct logview *v)
{
	const char *why = NULL;

	memset(v, 0, sizeof *v);
	if (logread_parse(&lr, s, strlen(s), v, &why) == 0)
		return "";
	return why != NULL ? why : "(no reason)";
}

static void
test_fields(void)
{
	struct logview v;

	CHECK_STR(parse(HEAD ",\"id\":[1,{\"a\":null}],\"tier\":\"small\","
	    "\"provider\":\"p\",\"score\":0.25,\"tokens_cached\":3,"
	    "\"latency_ms\":12,\"dry_run\":true,\"estimated\":false,"
	    "\"tags\":[\"a\",\"b\"],\"error\":null}", &v), "",
	    "a whole record, other members skipped");
	CHECK(v.v == 1 && v.ts == 1764288000.25 && strcmp(v.model, "m") == 0 &&
	    v.status == LOG_OK && v.cost == 0.5 && v.baseline_cost == 1 &&
	    v.tokens_in == 10 && v.tokens_out == 5, "the required fields");
	CHECK(strcmp(v.tier, "small") == 0 && strcmp(v.provider, "p") == 0 &&
	    v.score == 0.25 && v.tokens_cached == 3 && v.latency_ms == 12 &&
	    v.dry_run && !v.estimated && v.ntags == 2 &&
	    strcmp(v.tags[1], "b") == 0, "the optional fields");

	CHECK_STR(parse(HEAD "}", &v), "", "only the required fields");
	CHECK(v.tier[0] == '\0' && v.provider[0] == '\0' && isnan(v.score) &&
	    v.ntags == 0 && v.latency_ms == 0 && !v.dry_run,
	    "the optional ones as when absent");
	CHECK_STR(parse(HEAD ",\"tier\":null,\"provider\":null,\"score\":"
	    "null}", &v), "", "tier, provider and score may be null");
	CHECK(v.tier[0] == '\0' && isnan(v.score), "... and are then absent");
	CHECK_STR(parse(HEAD ",\"finish_reason\":\"length\"}", &v), "",
	    "a finish reason");
	CHECK_STR(v.finish_reason, "length", "... is read");
	CHECK_STR(parse(HEAD ",\"finish_reason\":null}", &v), "",
	    "finish_reason may be null");
	CHECK(v.finish_reason[0] == '\0', "... and is then absent");
	CHECK_STR(parse(HEAD ",\"finish_reason\":7}", &v),
	    "a field has the wrong type", "a finish reason that is a number");
	CHECK_STR(parse(HEAD ",\"\\u0074ier\":\"t\",\"st\\u0061tus\":"
	    "\"error\"}", &v), "", "keys written with escapes");
	CHECK(strcmp(v.tier, "t") == 0 && v.status == LOG_ERROR,
	    "... are the same keys");
	CHECK_STR(parse(HEAD ",\"status\":\"interrupted\",\"status\":\"ok\"}",
	    &v), "", "a field given twice");
	CHECK(v.status == LOG_OK, "... takes its last value");
}

/* The fields of a provider batch's request, and of a dry run's. */
static void
test_batch(void)
{
	struct logview v;

	CHECK_STR(parse(HEAD ",\"batch\":true,\"batch_id\":\"msgbatch_1\","
	    "\"unbatched_cost_usd\":1.5}", &v), "", "a batch request");
	CHECK(v.batch && strcmp(v.batch_id, "msgbatch_1") == 0 &&
	    v.unbatched_cost == 1.5, "... its batch, id and unbatched cost");
	CHECK_STR(parse(HEAD ",\"batch\":true,\"unbatched_cost_usd\":1}",
	    &v), "", "a dry run at batch prices, no batch id");
	CHECK(v.batch && v.batch_id[0] == '\0' && v.unbatched_cost == 1,
	    "... is a batch request without an id");
	CHECK_STR(parse(HEAD "}", &v), "", "no batch fields");
	CHECK(!v.batch && v.batch_id[0] == '\0' && isnan(v.unbatched_cost),
	    "... not a batch request, no unbatched cost");
	CHECK_STR(parse(HEAD ",\"batch_id\":null}", &v), "",
	    "batch_id may be null");
	CHECK_STR(parse(HEAD ",\"batch\":1}", &v),
	    "a field has the wrong type", "batch must be a boolean");
	CHECK_STR(parse(HEAD ",\"unbatched_cost_usd\":-1}", &v),
	    "a field has the wrong type", "unbatched cost is not negative");
}

static void
test_limits(void)
{
	struct logview	v;
	char		line[1024], name[300];
	int		n;

	CHECK_STR(parse(HEAD ",\"tags\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\","
	    "\"7\",\"8\",\"9\",\"10\"]}", &v), "", "ten tags");
	CHECK(v.ntags == LOGREAD_MAXTAGS && strcmp(v.tags[7], "8") == 0,
	    "... the first LOGREAD_MAXTAGS kept");
	CHECK_STR(parse(HEAD ",\"tags\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\","
	    "\"7\",\"8\",\"9\",10]}", &v), "a field has the wrong type",
	    "... the others checked");
	memset(name, 'x', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	n = snprintf(line, sizeof line, HEAD ",\"provider\":\"%s\"}", name);
	CHECK(n > 0 && (size_t)n < sizeof line &&
	    strcmp(parse(line, &v), "") == 0 &&
	    strlen(v.provider) == LOGREAD_NAMELEN - 1,
	    "a long name is cut to LOGREAD_NAMELEN - 1 bytes");
}

static void
test_damaged(void)
{
	static const struct {
		const char	*line;
		const char	*why;
	} bad[] = {
		{ "[1]", "not a JSON object" },
		{ "", "not a JSON object" },
		{ HEAD ",\"cost_usd\":\"x\"}", "a field has the wrong type" },
		{ HEAD ",\"tokens_in\":null}", "a field has the wrong type" },
		{ HEAD ",\"cost_usd\":-1}", "a field has the wrong type" },
		{ HEAD ",\"score\":1.5}", "a field has the wrong type" },
		{ HEAD ",\"status\":\"weird\"}", "a field has the wrong type" },
		{ HEAD ",\"ts\":\"yesterday\"}", "a field has the wrong type" },
		{ HEAD ",\"dry_run\":1}", "a field has the wrong type" },
		{ HEAD ",\"v\":1.5}", "a field has the wrong type" },
		{ HEAD ",\"model\":null}", "a field has the wrong type" },
		{ HEAD ",\"tags\":\"a\"}", "a field has the wrong type" },
		{ HEAD ",\"v\":99}", "unknown schema version" },
		{ HEAD ",\"v\":0}", "unknown schema version" },
		{ "{\"v\":1,\"ts\":\"2025-11-28T00:00:00Z\"}",
		    "a required field is missing" },
		{ HEAD "} trailing", NULL },
		{ HEAD ",\"x\":[1,}", NULL },
		{ HEAD, NULL }
	};
	struct logview	v;
	size_t		i;
	const char	*why;
	int		ok;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		why = parse(bad[i].line, &v);
		ok = bad[i].why != NULL ? strcmp(why, bad[i].why) == 0 :
		    *why != '\0';
		if (!ok)
			printf("# line %zu: %s\n", i, why);
		CHECK(ok, bad[i].why != NULL ? bad[i].why :
		    "not valid JSON: the scanner says why");
	}
}

/* A cascade's member: its stage, confidence and escalation. */
static void
test_cascade(void)
{
	struct logview v;

	CHECK_STR(parse(HEAD ",\"cascade\":{\"stage\":\"cheap\",\"confidence\":"
	    "0.25,\"threshold\":0.5,\"escalated\":true,\"missing\":null,"
	    "\"first_token_ms\":0}}", &v), "", "a cascade's record");
	CHECK(v.cascade == LOGVIEW_CHEAP && v.confidence == 0.25 &&
	    v.escalated, "... its stage, confidence and escalation");
	CHECK_STR(parse(HEAD ",\"cascade\":{\"stage\":\"premium\","
	    "\"confidence\":null,\"escalated\":true}}", &v), "",
	    "a premium record without a confidence");
	CHECK(v.cascade == LOGVIEW_PREMIUM && isnan(v.confidence),
	    "... has none");
	CHECK_STR(parse(HEAD "}", &v), "", "a record of no cascade");
	CHECK(v.cascade == LOGVIEW_NONE && !v.escalated && isnan(v.confidence),
	    "... says so");
	CHECK(strcmp(parse(HEAD ",\"cascade\":7}", &v), "") != 0,
	    "a cascade that is not an object is damage");
	CHECK(strcmp(parse(HEAD ",\"cascade\":{\"confidence\":2}}", &v),
	    "") != 0, "a confidence above 1 is damage");
}

int
main(void)
{
	logread_init(&lr);
	test_cascade();
	test_fields();
	test_batch();
	test_limits();
	test_damaged();
	logread_free(&lr);
	return unit_done();
}
