/*
 * test_report.c: the settings of a report from --by, --status, --format
 * and what-if, and what it renders from a few records: the JSON, the
 * chart in colour and in ASCII, and the SVG.
 */
#include <math.h>

#include "base/buf.h"
#include "log/report.h"
#include "route/config.h"
#include "unit.h"

static void
test_by(void)
{
	struct report	 r;
	char		*cause = NULL;

	report_init(&r);
	CHECK(report_by_list(&r, "model,day", &cause) == 0 && r.nby == 2 &&
	    r.by[0] == BY_MODEL && r.by[1] == BY_DAY, "--by model,day");
	CHECK(report_by_list(&r, "tag", &cause) == 0 && r.nby == 3 &&
	    r.by[2] == BY_TAG, "--by adds to the keys given before");
	CHECK(report_by_list(&r, "mdoel", &cause) == -1 && cause != NULL,
	    "--by: an unknown key");
	CHECK_STR(cause ? cause : "", "unknown key 'mdoel' (model, tier, "
	    "provider, day, week, month, tag or batch)",
	    "... names the known ones");
	free(cause);
	cause = NULL;
	CHECK(report_by_list(&r, "model,,day", &cause) == -1 && cause &&
	    strstr(cause, "unknown key ''") != NULL, "--by: an empty key");
	free(cause);
	cause = NULL;
	report_init(&r);
	CHECK(report_by_list(&r, "model,tier,provider,day,week", &cause) ==
	    -1 && cause != NULL, "--by: more keys than REPORT_MAXBY");
	CHECK_STR(cause ? cause : "", "at most 4 keys", "... says so");
	free(cause);
}

static void
test_status_format(void)
{
	struct report		 r;
	enum report_format	 f = REPORT_TABLE;
	char			*cause = NULL;

	report_init(&r);
	CHECK(report_status_list(&r, "ok,dry-run", &cause) == 0 &&
	    r.status == (REPORT_OK | REPORT_DRYRUN), "--status ok,dry-run");
	CHECK(report_status_list(&r, "error,interrupted", &cause) == 0 &&
	    r.status == (REPORT_OK | REPORT_DRYRUN | REPORT_ERROR |
	    REPORT_INTERRUPTED | REPORT_CLOSED), "--status adds bits, "
	    "interrupted takes in closed");
	CHECK(report_status_list(&r, "failed", &cause) == -1, "--status: bad");
	CHECK_STR(cause ? cause : "", "unknown status 'failed' (ok, error, "
	    "interrupted, closed or dry-run)", "... names the known ones");
	free(cause);
	cause = NULL;
	CHECK(report_format_parse("tsv", &f, &cause) == 0 && f == REPORT_TSV,
	    "--format tsv");
	CHECK(report_format_parse("xml", &f, &cause) == -1 &&
	    f == REPORT_TSV, "--format xml is refused, f left alone");
	CHECK_STR(cause ? cause : "", "expected table, json, csv or tsv, not "
	    "'xml'", "... saying what was expected");
	free(cause);
}

static void
test_whatif(void)
{
	struct report	 r;
	char		*cause = NULL;
	int		 i, ok = 1;

	report_init(&r);
	CHECK(report_whatif_sweep(&r, &cause) == 0 &&
	    r.nwhatif == REPORT_SWEEP_STEPS + 1, "the sweep's thresholds");
	for (i = 0; i <= REPORT_SWEEP_STEPS; i++)
		ok &= r.whatif[i].threshold == i / 10.0;
	CHECK(ok, "... 0, 0.1, ... 1");
	while (r.nwhatif < REPORT_MAXWHATIF)
		report_whatif_add(&r, 0.5, &cause);
	CHECK(report_whatif_add(&r, 0.5, &cause) == -1 && cause != NULL,
	    "no more than REPORT_MAXWHATIF thresholds");
	CHECK_STR(cause ? cause : "", "at most 32 thresholds", "... says so");
	free(cause);
}

/* Two days of records; r is started with what-if from cfg's tiers. */
static void
fill(struct report *r, const struct config *cfg)
{
	struct logview v;

	report_init(r);
	report_whatif_models(r, cfg);
	report_whatif_add(r, 0.5, NULL);
	report_start(r);
	memset(&v, 0, sizeof v);
	snprintf(v.model, sizeof v.model, "%s", "m");
	v.v = 1;
	v.ts = 1764288000;	/* 2025-11-28 */
	v.status = LOG_OK;
	v.cost = 1;
	v.baseline_cost = 2;
	v.tokens_in = 1000;
	v.score = 0.2;
	v.latency_ms = 100;
	report_add(r, &v);
	v.ts += 86400;
	v.cost = 2;
	v.score = 0.9;
	snprintf(v.finish_reason, sizeof v.finish_reason, "%s", "length");
	report_add(r, &v);
}

/* Truncated answers: calls with finish_reason length, not dry runs. */
static void
test_truncated(void)
{
	struct report	 r;
	struct logview	 v;
	struct buf	 b = BUF_INIT;
	static const char *const reasons[] = { "length", "stop", "", "length",
	    "content_filter", "length" };
	size_t		 i;

	report_init(&r);
	report_start(&r);
	memset(&v, 0, sizeof v);
	snprintf(v.model, sizeof v.model, "%s", "m");
	v.v = 1;
	v.ts = 1764288000;
	v.status = LOG_OK;
	for (i = 0; i < sizeof reasons / sizeof reasons[0]; i++) {
		snprintf(v.finish_reason, sizeof v.finish_reason, "%s",
		    reasons[i]);
		v.dry_run = i == 5;	/* a dry run is never truncated */
		report_add(&r, &v);
	}
	CHECK(r.total.truncated == 2, "truncated: two calls cut at the limit");
	CHECK(report_render(&r, REPORT_JSON, 0, &b) == 0 &&
	    strstr(b.data, "\"estimated\":0,\"truncated\":2,") != NULL,
	    "truncated: in the JSON totals and groups");
	buf_reset(&b);
	CHECK(report_render(&r, REPORT_TABLE, 0, &b) == 0 &&
	    strstr(b.data, "\ntruncated    2 answers cut at the token limit "
	    "(finish_reason length)\n") != NULL, "truncated: a line of the "
	    "table's totals");
	CHECK(strstr(b.data, "  TRUNCATED  ") != NULL, "truncated: a column "
	    "of the group tables");
	buf_reset(&b);
	CHECK(report_render(&r, REPORT_CSV, 0, &b) == 0 &&
	    strstr(b.data, ",dry_run,truncated,tokens_in,") != NULL &&
	    strstr(b.data, "\ntotal,6,5,0,0,1,2,") != NULL,
	    "truncated: a CSV column");
	report_free(&r);
	buf_free(&b);
}

/* Batch requests: grouped, filtered, and summed next to unbatched. */
static void
test_batch(void)
{
	struct report	 r;
	struct logview	 v;
	struct buf	 b = BUF_INIT;
	char		*cause = NULL;
	int		 i;

	report_init(&r);
	CHECK(report_by_list(&r, "batch", &cause) == 0 && r.nby == 1 &&
	    r.by[0] == BY_BATCH, "--by batch");
	report_start(&r);
	memset(&v, 0, sizeof v);
	snprintf(v.model, sizeof v.model, "%s", "m");
	v.v = 1;
	v.ts = 1764288000;
	v.status = LOG_OK;
	v.baseline_cost = 4;
	for (i = 0; i < 3; i++) {
		v.batch = i < 2;
		v.cost = v.batch ? 0.5 : 1;
		/* The second has no unbatched cost: it counts its own. */
		v.unbatched_cost = i == 0 ? 1 : NAN;
		report_add(&r, &v);
	}
	CHECK(r.total.batch == 2 && r.total.batch_cost == 1 &&
	    r.total.unbatched == 1.5 && r.total.cost == 2,
	    "batch: two requests, their cost and what they cost unbatched");
	CHECK(report_render(&r, REPORT_JSON, 0, &b) == 0 &&
	    strstr(b.data, "\"batch_requests\":2,\"batch_cost_usd\":1,"
	    "\"unbatched_cost_usd\":1.5,\"batch_saved_usd\":0.5,") != NULL,
	    "batch: in the JSON totals");
	CHECK(strstr(b.data, "\"batch\":\"batch\"") != NULL &&
	    strstr(b.data, "\"batch\":\"-\"") != NULL,
	    "batch: --by batch groups batch and the others");
	buf_reset(&b);
	CHECK(report_render(&r, REPORT_TABLE, 0, &b) == 0 &&
	    strstr(b.data, "\nbatch        2 requests, 1.00 USD; unbatched "
	    "1.50 USD, saved 0.500 USD\n") != NULL,
	    "batch: a line of the table's totals");
	buf_reset(&b);
	CHECK(report_render(&r, REPORT_CSV, 0, &b) == 0 &&
	    strstr(b.data, ",batch_requests,batch_cost_usd,"
	    "unbatched_cost_usd\n") != NULL && strstr(b.data, ",2,1,1.5\n") !=
	    NULL, "batch: CSV columns");
	report_free(&r);

	report_init(&r);
	r.batch = 1;
	report_start(&r);
	for (i = 0; i < 3; i++) {
		v.batch = i < 2;
		report_add(&r, &v);
	}
	CHECK(r.total.n == 2 && r.filtered == 1, "--batch: only batch ones");
	report_free(&r);
	report_init(&r);
	r.batch = -1;
	report_start(&r);
	for (i = 0; i < 3; i++) {
		v.batch = i < 2;
		report_add(&r, &v);
	}
	CHECK(r.total.n == 1 && r.total.batch == 0, "--no-batch: the others");
	buf_reset(&b);
	CHECK(report_render(&r, REPORT_TABLE, 0, &b) == 0 &&
	    strstr(b.data, "\nbatch ") == NULL, "no batch requests: no line");
	report_free(&r);
	buf_free(&b);
}

static void
test_render(void)
{
	struct config	 cfg;
	struct report	 r;
	struct buf	 b = BUF_INIT;
	char		*cause = NULL;

	if (config_init(&cfg, &cause) == -1) {
		CHECK(0, "the built-in configuration");
		free(cause);
		return;
	}
	fill(&r, &cfg);
	CHECK(r.cheap == config_model(&cfg, cfg.tiers[0].model) &&
	    r.strong == config_model(&cfg, cfg.tiers[cfg.ntiers - 1].model),
	    "what-if: the first tier's model and the last's");
	CHECK(report_render(&r, REPORT_JSON, 0, &b) == 0 &&
	    strstr(b.data, "{\"lines\":0,\"damaged\":0,\"filtered\":0,"
	    "\"total\":{\"requests\":2,\"ok\":2,") == b.data &&
	    strstr(b.data, "\"cost_usd\":3,\"baseline_cost_usd\":4,"
	    "\"saved_usd\":1,\"saved_pct\":25,") != NULL &&
	    strstr(b.data, "\"total\":{\"requests\":2,\"ok\":2,\"error\":0,"
	    "\"interrupted\":0,\"dry_run\":0,\"estimated\":0,"
	    "\"truncated\":1,") != NULL &&
	    strstr(b.data, "\"points\":[{\"threshold\":0.5,\"strong_pct\":50,")
	    != NULL, "the JSON report, what-if included");
	buf_reset(&b);
	CHECK(report_chart(&r, 4, REPORT_CHART_ASCII, &b) == 0 &&
	    strstr(b.data, "2025-11-28  #####-----  1.00 / 2.00\n")
	    != NULL && strstr(b.data, "2025-11-29  ##########  2.00 / "
	    "2.00\n") != NULL, "the ASCII chart, REPORT_CHART_MINWIDTH wide");
	buf_reset(&b);
	CHECK(report_chart(&r, 10, REPORT_CHART_COLOR, &b) == 0 &&
	    strstr(b.data, "\033[32m\xe2\x96\x88") != NULL &&
	    strstr(b.data, "#") == NULL, "the colour chart draws blocks");
	buf_reset(&b);
	CHECK(report_svg(&r, &b) == 0 && strncmp(b.data, "<svg ", 5) == 0 &&
	    strstr(b.data, "<title>2025-11-29 cost 2 USD</title>") != NULL &&
	    strcmp(b.data + b.len - 7, "</svg>\n") == 0, "the SVG chart");
	report_free(&r);
	config_free(&cfg);
	buf_free(&b);
}

int
main(void)
{
	test_by();
	test_batch();
	test_status_format();
	test_whatif();
	test_render();
	test_truncated();
	return unit_done();
}
