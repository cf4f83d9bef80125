/*
 * test_feedback.c: verdicts on logged calls (feedback.c): their words,
 * their lines with an RFC 3339 time, checking them against a log (the
 * first fault in the file's order is the one reported), and joining them
 * to the log's latest calls into labels.
 */
#include <stdlib.h>
#include <string.h>

#include "learn/feedback.h"
#include "learn/labels.h"
#include "unit.h"

/* A log: c1 to c3 below the top tier, 7 as a number, c4 on the top one,
 * c5 forced past the tiers, c6 without its prompt; a line that is no
 * JSON, c2 again later on the top tier.  c1 and the first c2 have
 * request ids, the others were logged before there were any. */
static const char logtext[] =
    "{\"id\":\"c1\",\"request_id\":\"00000000000000c1\",\"tier\":\"small\","
    "\"prompt\":\"first prompt\"}\n"
    "{\"id\":\"c2\",\"request_id\":\"00000000000000c2\",\"tier\":\"small\","
    "\"prompt\":\"second prompt\"}\n"
    "{\"id\":\"c3\",\"tier\":\"medium\",\"prompt\":\"third prompt\"}\r\n"
    "{\"id\":7,\"tier\":\"small\",\"prompt\":\"seventh\"}\n"
    "{\"id\":\"c4\",\"tier\":\"large\",\"prompt\":\"top prompt\"}\n"
    "{\"id\":\"c5\",\"prompt\":\"forced prompt\"}\n"
    "{\"id\":\"c6\",\"tier\":\"small\"}\n"
    "not json\n"
    "{\"id\":\"c2\",\"tier\":\"large\",\"prompt\":\"second again\"}";

static void
test_words(void)
{
	double q = -1;

	CHECK(feedback_parse_quality("good", &q) == 0 && q == 1, "quality: "
	    "good is 1");
	CHECK(feedback_parse_quality("bad", &q) == 0 && q == 0, "quality: "
	    "bad is 0");
	CHECK(feedback_parse_quality("0.25", &q) == 0 && q == .25,
	    "quality: a number from 0 to 1");
	CHECK(feedback_parse_quality("1.5", &q) == -1, "quality: 1.5 is "
	    "refused");
	CHECK(feedback_parse_quality("great", &q) == -1, "quality: another "
	    "word is refused");
}

static void
test_line(void)
{
	struct buf b = BUF_INIT;

	CHECK(feedback_line(&b, "\"c1\"", NULL, .25, 0) == 0, "line: written");
	CHECK_STR(b.data, "{\"v\":1,\"ts\":\"1970-01-01T00:00:00Z\","
	    "\"id\":\"c1\",\"quality\":0.25}\n", "line: at the epoch");
	buf_reset(&b);
	CHECK(feedback_line(&b, "\"c1\"", "0123456789abcdef", 0, 0) == 0,
	    "line: with a request id, written");
	CHECK_STR(b.data, "{\"v\":1,\"ts\":\"1970-01-01T00:00:00Z\","
	    "\"id\":\"c1\",\"request_id\":\"0123456789abcdef\",\"quality\":0}\n",
	    "line: the request id after the id");
	buf_reset(&b);
	feedback_line(&b, "7", NULL, 1, 1764633600);
	CHECK_STR(b.data, "{\"v\":1,\"ts\":\"2025-12-02T00:00:00Z\","
	    "\"id\":7,\"quality\":1}\n", "line: a number id, in UTC");
	buf_free(&b);
}

/* feedback_record of the verdict file text (NULL: id and q) against the
 * log; the lines into out. */
static int
record(const char *text, const char *id, double q, struct buf *out,
    size_t *n, char **cause)
{
	struct feedback_request rq = {
		.log = logtext, .log_len = strlen(logtext),
		.log_name = "log.jsonl", .file_name = text ? "v.jsonl" : NULL,
		.file = text, .file_len = text ? strlen(text) : 0,
		.id = id, .quality = q, .now = 0
	};

	buf_reset(out);
	*cause = NULL;
	return feedback_record(&rq, out, n, cause);
}

/* Whether the last record() failed as input with the message want. */
static int
failed(int r, char *cause, const char *want)
{
	int ok = r == FEEDBACK_INPUT && cause != NULL &&
	    strcmp(cause, want) == 0;

	if (!ok)
		printf("# got %d '%s', want '%s'\n", r, cause ? cause : "",
		    want);
	free(cause);
	return ok;
}

static void
test_record(void)
{
	struct buf	 b = BUF_INIT;
	char		*cause;
	size_t		 n = 99;
	int		 r;

	CHECK(record(NULL, "7", 1, &b, &n, &cause) == 0 && n == 1 &&
	    strstr(b.data, "\"id\":7,\"quality\":1}\n") != NULL,
	    "record: one verdict on a number id keeps it a number");
	r = record(NULL, "zz", 1, &b, &n, &cause);
	CHECK(failed(r, cause, "no call with id 'zz' in log.jsonl") &&
	    b.len == 0, "record: an unknown id, nothing written");
	CHECK(record("{\"id\":\"c1\",\"quality\":\"good\"}\n\n \t\n"
	    "{\"id\":7,\"quality\":0.5}\r\n{\"id\":\"c3\",\"quality\":\"bad\"}",
	    NULL, 0, &b, &n, &cause) == 0 && n == 3, "record: three verdicts, "
	    "blank lines, CRLF, no final newline");
	CHECK(strstr(b.data, "\"id\":\"c1\",\"request_id\":\"00000000000000c1\","
	    "\"quality\":1}\n{") != NULL &&
	    strstr(b.data, "\"id\":7,\"quality\":0.5}\n{") != NULL &&
	    strstr(b.data, "\"id\":\"c3\",\"quality\":0}\n") != NULL,
	    "record: the three lines in order, with the request id a call has");
	r = record("{\"id\":\"c1\",\"quality\":1}\n"
	    "{\"id\":\"zz\",\"quality\":1}\n"
	    "{\"id\":\"c2\",\"quality\":\"meh\"}\n", NULL, 0, &b, &n, &cause);
	CHECK(failed(r, cause, "v.jsonl:2: no call with id 'zz' in "
	    "log.jsonl") && b.len == 0, "record: an unknown id before a bad "
	    "line is reported");
	r = record("{\"id\":\"c1\",\"quality\":1}\n"
	    "{\"id\":\"c2\",\"quality\":2}\n"
	    "{\"id\":\"zz\",\"quality\":1}\n", NULL, 0, &b, &n, &cause);
	CHECK(failed(r, cause, "v.jsonl:2: expected {\"id\": ..., \"quality\": "
	    "good, bad or 0 to 1}"), "record: a bad line before an unknown id "
	    "is reported");
	r = record("{\"quality\":1}\n", NULL, 0, &b, &n, &cause);
	CHECK(failed(r, cause, "v.jsonl:1: expected {\"id\": ..., \"quality\": "
	    "good, bad or 0 to 1}"), "record: a verdict without an id");
	CHECK(record("", NULL, 0, &b, &n, &cause) == 0 && n == 0 && b.len == 0,
	    "record: an empty file records nothing");
	buf_free(&b);
}

/* Calls named by their request ids, and ids that several calls have. */
static void
test_record_reqid(void)
{
	struct buf	 b = BUF_INIT;
	char		*cause;
	size_t		 n = 99;
	int		 r;

	r = record(NULL, "c2", 0, &b, &n, &cause);
	CHECK(failed(r, cause, "id 'c2' names 2 calls in log.jsonl; give the "
	    "request_id of the one meant") && b.len == 0,
	    "reqid: an id of two calls is refused, asking for the request_id");
	CHECK(record(NULL, "00000000000000c2", 0, &b, &n, &cause) == 0 &&
	    n == 1 && strstr(b.data, "\"id\":\"c2\",\"request_id\":"
	    "\"00000000000000c2\",\"quality\":0}\n") != NULL,
	    "reqid: a request id in place of the id names exactly its call");
	CHECK(record("{\"request_id\":\"00000000000000c1\",\"quality\":1}\n",
	    NULL, 0, &b, &n, &cause) == 0 && n == 1 && strstr(b.data,
	    "\"id\":\"c1\",\"request_id\":\"00000000000000c1\"") != NULL,
	    "reqid: a file line may give request_id");
	CHECK(record("{\"id\":\"00000000000000c1\",\"quality\":1}\n",
	    NULL, 0, &b, &n, &cause) == 0 && n == 1 && strstr(b.data,
	    "\"id\":\"c1\",") != NULL,
	    "reqid: a file line's id may be a request id");
	r = record("{\"request_id\":\"c3\",\"quality\":1}\n", NULL, 0, &b,
	    &n, &cause);
	CHECK(failed(r, cause, "v.jsonl:1: no call with request_id 'c3' in "
	    "log.jsonl"), "reqid: request_id matches request ids only");
	r = record("{\"id\":\"c1\",\"quality\":1}\n"
	    "{\"id\":\"c2\",\"quality\":1}\n", NULL, 0, &b, &n, &cause);
	CHECK(failed(r, cause, "v.jsonl:2: id 'c2' names 2 calls in "
	    "log.jsonl; give the request_id of the one meant") && b.len == 0,
	    "reqid: in a file, the line of the ambiguous id is named");
	buf_free(&b);
}

/* A verdict with a request id joins its call, not the latest with the id. */
static void
test_join_reqid(void)
{
	static const char verdicts[] =
	    "{\"id\":\"c2\",\"request_id\":\"00000000000000c2\","
	    "\"quality\":0.5}\n"
	    "{\"id\":\"c2\",\"request_id\":\"00000000000000c2\","
	    "\"quality\":0.25}\n";
	struct feedback_counts	 c;
	struct labels		 ls;
	char			*cause = NULL;

	memset(&ls, 0, sizeof ls);
	CHECK(feedback_join(verdicts, strlen(verdicts), logtext,
	    strlen(logtext), "large", &ls, &c, &cause) == 0 && c.verdicts == 1,
	    "join reqid: two verdicts on one call are one");
	CHECK(c.used == 1 && ls.n == 1 && strcmp(ls.v[0].p.text,
	    "second prompt") == 0 && ls.v[0].weak == .25, "join reqid: the "
	    "first c2, named by its request id, with its last verdict");
	labels_free(&ls);
}

static void
test_join(void)
{
	static const char verdicts[] =
	    "{\"id\":\"c1\",\"quality\":\"good\"}\n"
	    "{\"id\":\"c2\",\"quality\":\"bad\"}\n"
	    "{\"id\":\"c3\",\"quality\":0.5}\n"
	    "{\"id\":7,\"quality\":0.25}\n"
	    "{\"id\":\"c4\",\"quality\":\"bad\"}\n"
	    "{\"id\":\"c5\",\"quality\":\"bad\"}\n"
	    "{\"id\":\"c6\",\"quality\":\"bad\"}\n"
	    "{\"id\":\"c9\",\"quality\":\"bad\"}\n"
	    "{\"id\":\"c1\",\"quality\":\"meh\"}\n"
	    "{\"id\":\"c3\",\"quality\":0}\n";
	struct feedback_counts	 c;
	struct labels		 ls;
	char			*cause = NULL;
	size_t			 i;
	int			 ok = 1;

	memset(&ls, 0, sizeof ls);
	CHECK(feedback_join(verdicts, strlen(verdicts), logtext,
	    strlen(logtext), "large", &ls, &c, &cause) == 0, "join: done");
	CHECK(c.verdicts == 8, "join: eight ids with a verdict");
	CHECK(c.top == 3, "join: c2 (latest call), c4 and c5 on the top tier");
	CHECK(c.noprompt == 1, "join: c6 logged no prompt");
	CHECK(c.used == 3 && ls.n == 3, "join: c1, c3 and 7 are labels");
	for (i = 0; i < ls.n; i++)
		if (ls.v[i].strong != 1 || ls.v[i].source == NULL ||
		    strcmp(ls.v[i].source, "feedback") != 0)
			ok = 0;
	CHECK(ok, "join: strong 1, source feedback");
	CHECK(ls.n == 3 && strcmp(ls.v[0].p.text, "first prompt") == 0 &&
	    ls.v[0].weak == 1, "join: c1 good, the word of its first verdict "
	    "(a word that is none gives no verdict)");
	CHECK(ls.n == 3 && strcmp(ls.v[1].p.text, "third prompt") == 0 &&
	    ls.v[1].weak == 0, "join: c3, its last verdict counts");
	CHECK(ls.n == 3 && strcmp(ls.v[2].p.id, "7") == 0 &&
	    ls.v[2].weak == .25, "join: 7, its id still a number");
	CHECK(ls.qmin == 0 && ls.qmax == 1, "join: the quality range");
	labels_free(&ls);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_words();
	test_line();
	test_record();
	test_record_reqid();
	test_join();
	test_join_reqid();
	return unit_done();
}
