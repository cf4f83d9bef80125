/*
 * test_batch.c: the batch stage without a network: splitting a job into
 * provider batches, the state file round trip, status objects and
 * result lines of both APIs.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch/batch.h"
#include "route/config.h"
#include "unit.h"

static struct config cfg;
static char hello[] = "hello", openai[] = "openai", anthropic[] = "anthropic";

/* A job of n requests: every third one to claude-haiku-4-5. */
static void
mkjob(struct batch_job *j, size_t n)
{
	struct prompt	p;
	struct decision	d;
	char		id[24], *cause = NULL;
	size_t		i;

	batch_job_init(j);
	for (i = 0; i < n; i++) {
		memset(&p, 0, sizeof p);
		memset(&d, 0, sizeof d);
		snprintf(id, sizeof id, "%zu", i + 1);
		p.id = id;
		p.name = id;
		p.text = hello;
		p.len = 5;
		d.model = config_model(&cfg, i % 3 == 2 ? "claude-haiku-4-5" :
		    "gpt-4.1-nano");
		d.provider = config_provider(&cfg, d.model->provider);
		d.baseline = config_baseline(&cfg);
		d.cost = 1;
		batch_job_add(j, &p, &d, "in.jsonl", &cause)->bytes = 100;
	}
}

static void
test_split(void)
{
	struct batch_job	j;
	char			*cause = NULL;

	mkjob(&j, 9);
	CHECK_NEAR(j.reqs[0].cost_est, 0.5, 1e-12, "batch estimate at half");
	CHECK(batch_job_split(&j, &cfg, 4, 0, &cause) == 0, "split");
	/* 6 OpenAI requests in batches of 4 and 2, 3 Anthropic in one */
	CHECK(j.nparts == 3, "three parts");
	CHECK(j.parts[0].nreq == 4 && j.parts[1].nreq == 3 &&
	    j.parts[2].nreq == 2, "split by count");
	CHECK_STR(j.parts[1].provider, "anthropic", "grouped by model");
	batch_job_free(&j);
	mkjob(&j, 6);
	CHECK(batch_job_split(&j, &cfg, 0, 250, &cause) == 0, "split");
	CHECK(j.nparts == 3 && j.parts[0].nreq == 2, "split by bytes");
	batch_job_free(&j);
}

static void
test_roundtrip(void)
{
	struct batch_job	j, k;
	char			 path[] = "/tmp/llmroute-batch.XXXXXX";
	char			*cause = NULL;
	int			 fd = mkstemp(path);

	close(fd);
	mkjob(&j, 3);
	j.id = strdup("job1");
	j.path = strdup(path);
	batch_job_split(&j, &cfg, 0, 0, &cause);
	j.parts[0].id = strdup("batch_1");
	j.jsonl = 1;
	CHECK(batch_job_tags(&j, (char *[]){ hello, openai }, 2) == 0 &&
	    j.ntags == 2, "tags copied into the job");
	CHECK(batch_job_save(&j, &cause) == 0, "save");
	batch_job_init(&k);
	CHECK(batch_job_load(&k, path, &cause) == 0, "load");
	CHECK(k.nreqs == 3 && k.nparts == 2, "same shape");
	CHECK_STR(k.parts[0].id, "batch_1", "batch id kept");
	CHECK_STR(k.reqs[2].model, "claude-haiku-4-5", "model kept");
	CHECK(k.reqs[2].part == 1, "part kept");
	CHECK_STR(k.reqs[1].sha, j.reqs[1].sha, "digest kept");
	CHECK(k.jsonl && k.ntags == 2 && strcmp(k.tags[1], "openai") == 0,
	    "JSON Lines or files, and the tags, kept");
	unlink(path);
	batch_job_free(&j);
	batch_job_free(&k);
}

static void
test_status(void)
{
	struct batch_part	p;
	char			*cause = NULL;
	const char		*o = "{\"id\":\"b1\",\"status\":\"completed\","
	    "\"request_counts\":{\"total\":3,\"completed\":2,\"failed\":1},"
	    "\"output_file_id\":\"f1\",\"error_file_id\":\"f2\"}";
	const char		*a = "{\"id\":\"m1\",\"processing_status\":"
	    "\"in_progress\",\"request_counts\":{\"processing\":2,"
	    "\"succeeded\":1,\"errored\":0,\"canceled\":0,\"expired\":1}}";

	memset(&p, 0, sizeof p);
	p.provider = openai;
	CHECK(batch_parse_status(&p, WIRE_OPENAI, o, strlen(o), &cause) == 0,
	    "openai status");
	CHECK(p.ended && p.counts.succeeded == 2 && p.counts.failed == 1,
	    "openai counts");
	CHECK_STR(p.error_file, "f2", "error file");
	free(p.id);
	free(p.status);
	free(p.output_file);
	free(p.error_file);
	memset(&p, 0, sizeof p);
	p.provider = anthropic;
	CHECK(batch_parse_status(&p, WIRE_ANTHROPIC, a, strlen(a), &cause) ==
	    0, "anthropic status");
	CHECK(!p.ended && p.counts.processing == 2 && p.counts.failed == 1,
	    "anthropic counts");
	free(p.id);
	free(p.status);
}

static void
test_results(void)
{
	struct batch_answer	 a;
	char			*cause = NULL;
	const char		*ok = "{\"custom_id\":\"r3\",\"response\":"
	    "{\"status_code\":200,\"body\":{\"choices\":[{\"message\":"
	    "{\"content\":\"hi\"}}],\"usage\":{\"prompt_tokens\":10,"
	    "\"completion_tokens\":5}}},\"error\":null}";
	const char		*bad = "{\"custom_id\":\"r4\",\"result\":{\"type\":"
	    "\"errored\",\"error\":{\"type\":\"error\",\"error\":{\"type\":"
	    "\"invalid_request_error\",\"message\":\"no sk-SECRET9\"}}}}";

	CHECK(batch_parse_result(WIRE_OPENAI, ok, strlen(ok), NULL, &a,
	    &cause) == 0, "openai line");
	CHECK(a.ok && strcmp(a.cid, "r3") == 0, "answered");
	CHECK(a.reply.text.len == 2 && a.reply.usage.output == 5, "usage");
	batch_answer_free(&a);
	CHECK(batch_parse_result(WIRE_ANTHROPIC, bad, strlen(bad),
	    "sk-SECRET9", &a, &cause) == 0, "anthropic line");
	CHECK(!a.ok && strstr(a.error, "errored") != NULL, "errored");
	CHECK(strstr(a.error, "SECRET") == NULL, "secret blanked");
	batch_answer_free(&a);
	CHECK(batch_parse_result(WIRE_OPENAI, "{}", 2, NULL, &a, &cause) ==
	    -1, "no custom_id");
	batch_answer_free(&a);
	free(cause);
}

/* --retry-failed: only failures of a request's current batch. */
static void
test_retry(void)
{
	struct batch_job	 j;
	char			 bad[] = "{\"id\":1,\"status\":\"error\"}";
	char			 good[] = "{\"id\":2,\"status\":\"ok\",\"x\":1}";
	char			*lines[3] = { bad, good, bad };
	int			 parts[3] = { 0, 0, 0 };
	char			*cause = NULL;

	mkjob(&j, 3);
	CHECK(batch_job_split(&j, &cfg, 0, 0, &cause) == 0 && j.nparts == 2,
	    "retry: two parts");
	parts[2] = j.reqs[2].part;
	CHECK(batch_retry_failed(&j, lines, parts) == 2 &&
	    j.reqs[0].part == -1 && j.reqs[1].part == 0 &&
	    j.reqs[2].part == -1, "retry: the failed two, not the ok one");
	CHECK(batch_job_split(&j, &cfg, 0, 0, &cause) == 0 && j.nparts == 4 &&
	    j.reqs[0].part >= 2 && j.reqs[2].part >= 2,
	    "retry: resubmitted in new parts");
	CHECK(batch_retry_failed(&j, lines, parts) == 0, "retry again before "
	    "the new batches gave a result: nothing");
	parts[0] = j.reqs[0].part;
	CHECK(batch_retry_failed(&j, lines, parts) == 1 &&
	    j.reqs[0].part == -1, "retry after the new batch failed it too");
	batch_job_free(&j);
}

/* collect: what failed, whether all ended, the pauses of --wait. */
static void
test_collect_state(void)
{
	struct batch_job	 j;
	char			 bad[] = "{\"id\":1,\"status\":\"error\"}";
	char			 good[] = "{\"id\":2,\"status\":\"ok\",\"x\":1}";
	char			*lines[3] = { bad, good, NULL };
	char			*cause = NULL;
	double			 p = BATCH_WAIT_FIRST;
	size_t			 k;
	int			 n;

	mkjob(&j, 3);
	CHECK(batch_count_failed(&j, lines) == 1 &&
	    batch_count_failed(&j, NULL) == 0,
	    "count_failed: the error line, not the ok one or one not come");
	CHECK(batch_job_split(&j, &cfg, 0, 0, &cause) == 0 && j.nparts == 2 &&
	    !batch_job_ended(&j), "job_ended: not before its batches end");
	j.parts[0].ended = 1;
	CHECK(!batch_job_ended(&j), "job_ended: not while one runs");
	for (k = 0; k < j.nparts; k++)
		j.parts[k].ended = 1;
	CHECK(batch_job_ended(&j), "job_ended: once every batch has");
	for (n = 0; n < 10; n++)
		p = batch_wait_next(p);
	CHECK(batch_wait_next(1) == 2 && batch_wait_next(40) == BATCH_WAIT_MAX &&
	    p == BATCH_WAIT_MAX, "wait_next: doubles, up to the longest pause");
	batch_job_free(&j);
}

/* collect --output-dir: the ok answers to DIR/NAME.out. */
static void
test_answers(void)
{
	struct batch_job	 j;
	char			 ok[] = "{\"id\":1,\"status\":\"ok\",\"answer\":\"hi\"}";
	char			 bad[] = "{\"id\":2,\"status\":\"error\",\"answer\":null}";
	char			*lines[2] = { ok, bad };
	char			 dir[] = "/tmp/test_batch.XXXXXX", path[64], got[8];
	char			*cause = NULL;
	FILE			*f;
	size_t			 n = 0;

	mkjob(&j, 2);
	CHECK(mkdtemp(dir) != NULL, "answers: a directory");
	CHECK(batch_answers(&j, lines, dir, &cause) == 1,
	    "answers: the ok one written, the failed one not");
	snprintf(path, sizeof path, "%s/in.jsonl.out", dir);
	if ((f = fopen(path, "r")) != NULL) {
		n = fread(got, 1, sizeof got - 1, f);
		fclose(f);
	}
	got[n] = '\0';
	CHECK_STR(got, "hi\n", "answers: the text and a newline");
	unlink(path);
	rmdir(dir);
	j.jsonl = 1;
	CHECK(batch_answers(&j, lines, dir, &cause) == -1 && cause != NULL &&
	    strstr(cause, "JSON Lines") != NULL, "answers: not for records");
	free(cause);
	batch_job_free(&j);
}

int
main(void)
{
	char *cause = NULL;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (config_init(&cfg, &cause) == -1) {
		printf("Bail out! config_init: %s\n", cause);
		return 1;
	}
	test_split();
	test_roundtrip();
	test_status();
	test_results();
	test_retry();
	test_collect_state();
	test_answers();
	config_free(&cfg);
	return unit_done();
}
