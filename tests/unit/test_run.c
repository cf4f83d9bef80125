/*
 * test_run.c: a run of calls: outputs in input order, --resume, the
 * budget, the log record of each call, results lines and reading them
 * back.  The calls need no network: every model lacks its key, so each
 * call ends at once with an error, as a run without keys does.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/reqid.h"
#include "input/input.h"
#include "route/config.h"
#include "route/router.h"
#include "run/results.h"
#include "run/run.h"
#include "score/scorer.h"
#include "unit.h"

static struct config	cfg;
static struct router	router;

/* What the fake front saw. */
struct seen {
	struct buf	out;
	size_t		logged, events, budget_hits, resumed;
	int		fail_writes;
};

static const char *
no_key(void *arg, const struct provider *p)
{
	(void)arg;
	(void)p;
	return NULL;
}

static int
f_write(void *arg, const char *p, size_t n)
{
	struct seen *s = arg;

	if (s->fail_writes)
		return -1;
	return buf_add(&s->out, p, n);
}

static void
f_done(void *arg, const struct run_event *ev)
{
	struct seen *s = arg;

	s->events++;
	s->budget_hits += ev->budget_hit;
	s->resumed += ev->outcome == RUN_RESUMED;
}

/* The records of the log at path that are errors after no attempt. */
static size_t
count_logged(const char *path)
{
	char	line[4096];
	size_t	n = 0;
	FILE	*f = fopen(path, "r");

	while (f != NULL && fgets(line, sizeof line, f) != NULL)
		n += strstr(line, "\"status\":\"error\"") != NULL &&
		    strstr(line, "\"attempts\":0,") != NULL;
	if (f != NULL)
		fclose(f);
	return n;
}

static enum engine_stop
f_stop(void *arg)
{
	(void)arg;
	return ENGINE_STOP_NONE;
}

/* Run the n records of json (one a line) with options o into *s. */
static const struct run_counts *
run_lines(const char *const *json, size_t n, const struct run_opts *o,
    struct seen *s, struct run **runp)
{
	struct engine_opts	 eo;
	struct run_front	 f = { .write = f_write, .done = f_done,
	    .stop = f_stop, .wake_fd = -1, .arg = s };
	struct run_opts		 ro = *o;
	struct logwrite		 lw;
	struct prompt		 p;
	struct decision		 d;
	char			 logpath[] = "/tmp/llmroute-runlog.XXXXXX";
	char			*cause = NULL;
	size_t			 i;
	int			 fd = mkstemp(logpath);

	if (fd != -1)
		close(fd);
	memset(&lw, 0, sizeof lw);
	logwrite_init(&lw);
	if (logwrite_open(&lw, logpath, &cause) == -1)
		exit(1);
	ro.log = &lw;
	o = &ro;
	memset(&eo, 0, sizeof eo);
	run_engine_opts(&eo, &cfg);
	eo.key = no_key;
	eo.jobs = o->jobs;
	if ((*runp = run_new(&cfg, &eo, o, &f, &cause)) == NULL) {
		printf("# run_new: %s\n", cause);
		exit(1);
	}
	for (i = 0; i < n; i++) {
		if (input_jsonl_parse(json[i], strlen(json[i]), i + 1, &p,
		    &cause) == -1 || router_decide(&router, &p, &d, NULL,
		    &cause) == -1)
			exit(1);
		if (run_submit(*runp, &p, &d, "in.jsonl", &cause) != 0)
			break;
	}
	run_finish(*runp, &cause);
	logwrite_close(&lw);
	s->logged = count_logged(logpath);
	unlink(logpath);
	return run_counts(*runp);
}

static const char *const five[] = {
	"{\"id\": 1, \"prompt\": \"one\"}",
	"{\"id\": \"two\", \"prompt\": \"two\"}",
	"{\"id\": 3, \"prompt\": \"three\"}",
	"{\"id\": 4, \"prompt\": \"four\"}",
	"{\"id\": 5, \"prompt\": \"five\"}",
};

/*
 * Whether the n result lines of text each have a request id, all
 * different.
 */
static int
distinct_request_ids(const char *text, size_t n)
{
	char		 ids[8][REQID_SIZE];
	const char	*p = text;
	size_t		 i, k;

	for (i = 0; i < n && i < 8; i++) {
		if ((p = strstr(p, "\"request_id\":\"")) == NULL)
			return 0;
		p += strlen("\"request_id\":\"");
		memcpy(ids[i], p, REQID_LEN);
		ids[i][REQID_LEN] = '\0';
		if (!reqid_valid(ids[i]) || p[REQID_LEN] != '"')
			return 0;
		for (k = 0; k < i; k++)
			if (strcmp(ids[k], ids[i]) == 0)
				return 0;
	}
	return i == n;
}

static void
test_order(void)
{
	struct run_opts		 o = { .output = RUN_RESULTS, .jobs = 3 };
	struct seen		 s;
	struct run		*run;
	const struct run_counts	*c;

	memset(&s, 0, sizeof s);
	buf_init(&s.out, BUF_NOLIMIT);
	c = run_lines(five, 5, &o, &s, &run);
	CHECK(c->failed == 5 && c->answered == 0 && s.events == 5,
	    "every call ends, as an error without a key");
	CHECK(s.logged == 5, "one log record per call");
	CHECK(strncmp(s.out.data, "{\"id\":1,\"request_id\":\"", 22) == 0 &&
	    strncmp(s.out.data + 22 + REQID_LEN, "\",\"status\":\"error\"",
	    18) == 0, "the first result first");
	CHECK(distinct_request_ids(s.out.data, 5),
	    "each call has a request id of its own");
	CHECK(strstr(s.out.data, "\n{\"id\":\"two\",") != NULL &&
	    strstr(s.out.data, "\n{\"id\":5,") != NULL &&
	    strstr(s.out.data, "\"id\":3") < strstr(s.out.data, "\"id\":4"),
	    "results in input order");
	run_free(run);
	buf_free(&s.out);
}

static void
test_budget(void)
{
	struct run_opts		 o = { .output = RUN_RESULTS, .jobs = 1,
	    .has_max_cost = 1, .max_cost = 0 };
	struct seen		 s;
	struct run		*run;
	const struct run_counts	*c;

	memset(&s, 0, sizeof s);
	buf_init(&s.out, BUF_NOLIMIT);
	c = run_lines(five, 5, &o, &s, &run);
	CHECK(c->skipped == 5 && s.logged == 0, "a budget of 0: every prompt "
	    "skipped, nothing called or logged");
	CHECK(s.budget_hits == 1, "the budget is said to be reached once");
	CHECK(strstr(s.out.data, "\"status\":\"skipped\"") != NULL &&
	    strstr(s.out.data, "skipped: --max-cost reached") != NULL,
	    "skipped results say why");
	run_free(run);
	buf_free(&s.out);
}

/* Write text to path; 0 or -1. */
static int
put_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0640), r;

	if (fd == -1)
		return -1;
	r = write(fd, text, strlen(text)) == (ssize_t)strlen(text) ? 0 : -1;
	close(fd);
	return r;
}

static char *
get_file(const char *path)
{
	struct buf	b = BUF_INIT;
	int		fd = open(path, O_RDONLY);

	if (fd != -1)
		buf_read_fd(&b, fd);
	if (fd != -1)
		close(fd);
	return buf_detach(&b, NULL);
}

static void
test_resume(void)
{
	struct strset		 done;
	struct results_file	 rf;
	struct run_opts		 o = { .output = RUN_RESULTS, .jobs = 2,
	    .resume = 1, .results = &rf };
	struct seen		 s;
	struct run		*run;
	const struct run_counts	*c;
	char			 dir[] = "/tmp/llmroute-results.XXXXXX";
	char			 path[64], *journal, *text, *cause = NULL;
	struct stat		 st;

	CHECK(mkdtemp(dir) != NULL, "a scratch directory");
	snprintf(path, sizeof path, "%s/out.jsonl", dir);
	journal = results_journal(path);
	CHECK(journal != NULL && strcmp(journal + strlen(path), ".journal") ==
	    0, "results_journal: PATH.journal");
	put_file(path, "{\"id\":1,\"status\":\"ok\",\"answer\":\"a\"}\n"
	    "{\"id\":\"two\",\"status\":\"error\"}\n"
	    "{\"id\":1,\"status\":\"ok\",\"answer\":\"again\"}\n"
	    "{\"id\":\"x\",\"status\":\"ok\"}\n"
	    "{\"id\":5,\"status\":\"ok\"");
	put_file(journal, "{\"status\":\"ok\",\"id\":4}\n"
	    "{\"id\":\"x\",\"status\":\"ok\",\"answer\":\"dup\"}\n"
	    "{\"id\":3,\"status\":\"error\"}\n");
	strset_init(&done);
	CHECK(results_resume(path, &done, NULL, &cause) == 0 && done.n == 3,
	    "results_resume: the ok ids of whole lines and of the journal");
	CHECK(strset_has(&done, "1", 1) && strset_has(&done, "\"x\"", 3) &&
	    strset_has(&done, "4", 1) && !strset_has(&done, "\"two\"", 5) &&
	    !strset_has(&done, "5", 1), "by the id's JSON text; a cut-off "
	    "line is no answer");
	text = get_file(path);
	CHECK_STR(text, "{\"id\":1,\"status\":\"ok\",\"answer\":\"a\"}\n"
	    "{\"id\":\"x\",\"status\":\"ok\"}\n"
	    "{\"status\":\"ok\",\"id\":4}\n", "the results file keeps one ok "
	    "line per id, the journal's after");
	free(text);
	CHECK(stat(journal, &st) == -1 && stat(path, &st) == 0 &&
	    (st.st_mode & 0777) == 0640, "the journal is gone; the file "
	    "keeps its mode");
	strset_free(&done);
	memset(&s, 0, sizeof s);
	buf_init(&s.out, BUF_NOLIMIT);
	CHECK(results_open(&rf, path, 1, &cause) == 0 && rf.done.n == 3,
	    "results_open: resumed, the same three answered");
	c = run_lines(five, 5, &o, &s, &run);
	CHECK(c->resumed == 2 && s.resumed == 2 && c->failed == 3 &&
	    s.logged == 3, "resume: ids 1 and 4 are not called again");
	run_free(run);
	CHECK(stat(journal, &st) == 0 && results_close(&rf, 1, &cause) == 0 &&
	    stat(journal, &st) == -1, "results_close: a whole run removes "
	    "the journal");
	text = get_file(path);
	CHECK(strstr(text, "{\"id\":\"two\",\"request_id\":\"") != NULL &&
	    s.out.len == 0, "results go to the file, not to the front");
	free(text);
	unlink(path);
	strset_init(&done);
	CHECK(results_resume(path, &done, NULL, &cause) == 0 && done.n == 0 &&
	    stat(path, &st) == -1, "results_resume: nothing there, nothing "
	    "answered, no file made");
	free(journal);
	rmdir(dir);
	buf_free(&s.out);
}

static void
test_write_failure(void)
{
	struct run_opts		 o = { .output = RUN_RESULTS, .jobs = 1 };
	struct seen		 s;
	struct run		*run;
	const struct run_counts	*c;

	memset(&s, 0, sizeof s);
	buf_init(&s.out, BUF_NOLIMIT);
	s.fail_writes = 1;
	c = run_lines(five, 5, &o, &s, &run);
	CHECK(c->write_failed && c->failed + c->answered < 5,
	    "a failed write winds the run down");
	run_free(run);
	buf_free(&s.out);
}

static void
test_results_line(void)
{
	struct prompt	 p;
	struct decision	 d;
	struct buf	 b = BUF_INIT;
	const char	*hi = "{\"id\": 7, \"prompt\": \"hi\"}";
	char		*cause = NULL;

	input_jsonl_parse(hi, strlen(hi), 1, &p,
	    &cause);
	router_decide(&router, &p, &d, NULL, &cause);
	CHECK(results_line(&b, &p, &d, NULL, "why") == 0 &&
	    strncmp(b.data, "{\"id\":7,\"request_id\":null,\"status\":"
	    "\"skipped\",\"finish_reason\":null,\"model\":", 74) == 0 && strstr(b.data, "\"attempts\":0,") != NULL &&
	    strstr(b.data, ",\"error\":\"why\"}\n") != NULL,
	    "results_line: a prompt never called");
	buf_free(&b);
	prompt_free(&p);
}

static void
test_names(void)
{
	static char	 a[] = "a/x.txt", b[] = "b/y.txt", z[] = "z";
	static char	 b2[] = "b/x.txt";
	char		*ok[] = { a, b, z }, *clash[] = { a, b2 };
	char		*cause = NULL;

	static char	 dash[] = "-", named[] = "d/stdin";
	char		*stdins[] = { dash, named }, *none[] = { NULL };
	static char	 longname[253];
	char		*longs[] = { longname };

	CHECK(run_check_answers("/tmp", ok, 3, &cause) == 0,
	    "distinct names: ok");
	CHECK(run_check_answers("/tmp", clash, 2, &cause) == -1 &&
	    cause != NULL && strstr(cause, "'x.txt'") != NULL, "a clash: named");
	free(cause);
	CHECK(run_check_answers("/tmp", stdins, 2, &cause) == -1 &&
	    strstr(cause, "'stdin'") != NULL, "standard input answers to "
	    "stdin.out");
	free(cause);
	CHECK(run_check_answers("/nonexistent-dir", ok, 3, &cause) == -1 &&
	    strstr(cause, "/nonexistent-dir") != NULL, "a missing directory");
	free(cause);
	CHECK(run_check_answers("/tmp", none, 0, &cause) == 0,
	    "no files: standard input alone");
	memset(longname, 'n', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	CHECK(run_check_answers("/tmp", longs, 1, &cause) == -1 &&
	    strstr(cause, "too long a name") != NULL, "a name that cannot be "
	    "written is refused before any call");
	free(cause);
}

static void
test_lines(void)
{
	struct run_counts	c;
	struct buf		b = BUF_INIT;

	memset(&c, 0, sizeof c);
	c.answered = 3;
	c.failed = 1;
	c.cost = 0.5;
	c.baseline = 2;
	run_progress(&c, 8, 2, &b);
	CHECK_STR(b.data, "4/8 done, 2.0/s, ETA 2 s, 0.500 USD",
	    "run_progress: done of total, rate, time left, spend");
	buf_reset(&b);
	run_progress(&c, 0, 0, &b);
	CHECK_STR(b.data, "4 done, 0.0/s, 0.500 USD",
	    "run_progress: an unknown total");
	buf_reset(&b);
	c.resumed = 2;
	c.skipped = 1;
	run_summary(&c, &b);
	CHECK_STR(b.data, "3 done, 1 failed, 1 skipped (2 answered before); "
	    "cost 0.500 USD, baseline 2.00 USD, saved 75.0%",
	    "run_summary: the counts and the saving");
	buf_reset(&b);
	memset(&c, 0, sizeof c);
	c.answered = 1;
	CHECK(run_summary(&c, &b) == 0 && b.len == 0,
	    "run_summary: nothing for a single call");
	buf_free(&b);
}

int
main(void)
{
	char *cause = NULL;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (config_init(&cfg, &cause) == -1)
		return 1;
	router.cfg = &cfg;
	router.scorer = scorer_builtin();
	test_order();
	test_budget();
	test_resume();
	test_write_failure();
	test_results_line();
	test_names();
	test_lines();
	config_free(&cfg);
	return unit_done();
}
