/*
 * test_logfile.c: appending whole records to a shared log (logfile.h),
 * and the log of one run (logwrite.h): time stamps, tags, the prompt
 * text on request, and the latch after a failed write.
 */
#include <fcntl.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "log/logfile.h"
#include "log/logread.h"
#include "log/logwrite.h"
#include "base/reqid.h"
#include "unit.h"

/* A fresh directory for the test's files, into dir. */
static int
tmpdir(char *dir, size_t len)
{
	snprintf(dir, len, "%s", "/tmp/llmroute-unit.XXXXXX");
	return mkdtemp(dir) != NULL ? 0 : -1;
}

/* The whole file at path into b (reset first); -1 when unreadable. */
static int
slurp(const char *path, struct buf *b)
{
	int fd, r;

	buf_reset(b);
	if ((fd = open(path, O_RDONLY)) == -1)
		return -1;
	r = buf_read_fd(b, fd);
	close(fd);
	return r;
}

static void
test_logfile(const char *dir)
{
	struct logfile	 lf;
	struct buf	 b = BUF_INIT;
	struct stat	 st;
	char		 path[256], *cause = NULL;

	snprintf(path, sizeof path, "%s/log.jsonl", dir);
	CHECK(logfile_open(&lf, path, &cause) == 0, "open: creates the log");
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600,
	    "open: the log is private");
	CHECK(logfile_append(&lf, "{\"a\":1}\n", 8, &cause) == 0 &&
	    logfile_append(&lf, "{\"b\":2}\n{\"c\":3}\n", 16, &cause) == 0,
	    "append: whole records");
	logfile_close(&lf);
	CHECK(lf.fd == -1 && lf.path == NULL, "close: fd -1, path freed");
	CHECK(logfile_open(&lf, path, &cause) == 0 &&
	    logfile_append(&lf, "{\"d\":4}\n", 8, &cause) == 0,
	    "reopen: appends after what is there");
	logfile_close(&lf);
	CHECK(slurp(path, &b) == 0, "the log reads back");
	CHECK_STR(b.data, "{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n{\"d\":4}\n",
	    "records in order, nothing lost");

	CHECK(logfile_open(&lf, dir, &cause) == -1 && lf.fd == -1 &&
	    cause != NULL && strstr(cause, dir) != NULL,
	    "a directory is refused, naming it");
	free(cause);
	cause = NULL;
	snprintf(path, sizeof path, "%s/fifo", dir);
	CHECK(mkfifo(path, 0600) == 0 && logfile_open(&lf, path,
	    &cause) == -1 && lf.fd == -1 && cause != NULL &&
	    strstr(cause, path) != NULL,
	    "a FIFO is refused at once, not waited on");
	free(cause);
	cause = NULL;
	unlink(path);
	if (logfile_open(&lf, "/dev/full", &cause) == 0) {
		CHECK(logfile_append(&lf, "{}\n", 3, &cause) == -1 &&
		    cause != NULL && strstr(cause, "/dev/full") != NULL,
		    "a full device: the append fails, naming the log");
		logfile_close(&lf);
	} else
		CHECK(1, "no /dev/full here # skip");
	free(cause);
	buf_free(&b);
}

/* A record of the run log, minimal and valid. */
static void
record(struct logrec *r, const char *prompt)
{
	memset(r, 0, sizeof *r);
	r->id_json = "1";
	r->source = "-";
	r->model = "m";
	r->provider = "p";
	r->baseline_model = "m";
	r->prompt = prompt;
	r->prompt_len = strlen(prompt);
}

static void
test_logwrite(const char *dir)
{
	struct logwrite	 rl;
	struct logrec	 r;
	struct logread	 lr;
	struct logview	 v;
	struct buf	 b = BUF_INIT;
	char		 path[256], *cause = NULL, *nl;
	char		 first_id[REQID_SIZE];
	const char	*why;
	char		**tags = calloc(2, sizeof *tags);
	static char	 t1[] = "a", t2[] = "b";

	memset(&rl, 0, sizeof rl);
	logwrite_init(&rl);
	record(&r, "secret");
	CHECK(logwrite_record(&rl, &r, &cause) == 0 && cause == NULL,
	    "a log that is off takes records and writes nothing");
	logwrite_close(&rl);

	snprintf(path, sizeof path, "%s/run.jsonl", dir);
	memset(&rl, 0, sizeof rl);
	tags[0] = t1;
	tags[1] = t2;
	rl.tags = tags;
	rl.ntags = 2;
	logwrite_init(&rl);
	CHECK(rl.ntags == 2 && !rl.on, "init keeps the settings, stays off");
	CHECK(logwrite_open(&rl, path, &cause) == 0 && rl.on, "open: on");
	record(&r, "secret");
	CHECK(logwrite_record(&rl, &r, &cause) == 0, "a record written");
	CHECK(r.ts > 1.5e9 && r.ntags == 2 && !r.log_prompt,
	    "the record is stamped and tagged");
	CHECK(r.request_id != NULL && reqid_valid(r.request_id),
	    "a record without a request id is given one");
	snprintf(first_id, sizeof first_id, "%s", r.request_id);
	rl.prompts = 1;
	record(&r, "shown");
	CHECK(logwrite_record(&rl, &r, &cause) == 0, "a second record");
	CHECK(r.request_id != NULL && strcmp(r.request_id, first_id) != 0,
	    "the next record gets another one");
	record(&r, "own id");
	r.request_id = "00000000000000aa";
	CHECK(logwrite_record(&rl, &r, &cause) == 0 &&
	    strcmp(r.request_id, "00000000000000aa") == 0,
	    "a call's own request id is kept");
	logwrite_close(&rl);
	CHECK(rl.tags == NULL && rl.lf.fd == -1 && !rl.on,
	    "close frees the tags and turns the log off");

	nl = slurp(path, &b) == 0 ? strchr(b.data, '\n') : NULL;
	CHECK(nl != NULL, "the run's log reads back");
	logread_init(&lr);
	CHECK(nl != NULL && logread_parse(&lr, b.data, (size_t)(nl - b.data),
	    &v, &why) == 0 && v.ntags == 2 && strcmp(v.tags[1], "b") == 0 &&
	    v.ts > 1.5e9, "a record with the run's time and tags");
	CHECK(strstr(b.data, "secret") == NULL &&
	    strstr(b.data, "\"prompt\":\"shown\"") != NULL,
	    "the prompt text only once --log-prompts is on");
	logread_free(&lr);

	memset(&rl, 0, sizeof rl);
	logwrite_init(&rl);
	if (logwrite_open(&rl, "/dev/full", &cause) == 0) {
		CHECK(logwrite_record(&rl, &r, &cause) == -1 && cause != NULL &&
		    rl.failed, "a failed write is told and latched");
		free(cause);
		cause = NULL;
		CHECK(logwrite_record(&rl, &r, &cause) == -1 && cause == NULL,
		    "later records fail at once, not told again");
	} else
		CHECK(1, "no /dev/full here # skip");
	logwrite_close(&rl);
	free(cause);
	buf_free(&b);
}

int
main(void)
{
	char dir[64], path[256];

	if (tmpdir(dir, sizeof dir) == -1) {
		CHECK(0, "a temporary directory");
		return unit_done();
	}
	test_logfile(dir);
	test_logwrite(dir);
	snprintf(path, sizeof path, "%s/log.jsonl", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/run.jsonl", dir);
	unlink(path);
	rmdir(dir);
	return unit_done();
}
