/*
 * test_logscan.c: whole cost logs read into a report: blank and damaged
 * lines, the first damaged ones told by line, --strict, a line too long,
 * a log read in two halves at once, and a failed read.
 */
#include <fcntl.h>

#include "base/buf.h"
#include "log/logscan.h"
#include "log/report.h"
#include "unit.h"

#define REC(model, cost) "{\"v\":1,\"ts\":\"2025-11-28T00:00:00.000Z\"," \
	"\"model\":\"" model "\",\"status\":\"ok\",\"cost_usd\":" cost "," \
	"\"baseline_cost_usd\":1,\"tokens_in\":10,\"tokens_out\":5}\n"

/* Read the n bytes at text as a log (from a file) into a new report. */
static enum logscan_status
scan_text(const char *text, size_t n, int strict, struct report *rep,
    struct logscan *scan, char **cause)
{
	struct report		proto;
	enum logscan_status	st;
	int			fd;

	report_init(&proto);
	*rep = proto;
	if (report_start(rep) == -1 || (fd = unit_tmp_fd(text, n)) == -1)
		return LOGSCAN_NOMEM;
	st = logscan_fd(rep, &proto, fd, "t.jsonl", strict, scan, cause);
	close(fd);
	return st;
}

static void
test_lines(void)
{
	static const char text[] = REC("a", "0.5") "\n  \t\n"
	    "{\"v\":1,\"model\":\"no\"}\n" REC("b", "0.25")
	    "not json\r\n" REC("a", "1");
	struct report		rep;
	struct logscan		scan;
	char			*cause = NULL;
	enum logscan_status	st;

	st = scan_text(text, sizeof text - 1, 0, &rep, &scan, &cause);
	CHECK(st == LOGSCAN_OK && cause == NULL, "a log with damage reads");
	CHECK(rep.total.n == 3 && rep.total.cost == 1.75,
	    "its records are summed");
	CHECK(rep.lines == 5 && rep.damaged == 2,
	    "blank lines are not counted, damaged ones are");
	CHECK(scan.nbad == 2 && scan.bad[0].line == 4 &&
	    scan.bad[1].line == 6, "damaged lines told by their line");
	CHECK_STR(scan.bad[0].why, "a required field is missing",
	    "and why: a field missing");
	CHECK_STR(scan.bad[1].why, "not a JSON object",
	    "and why: not JSON");
	report_free(&rep);

	st = scan_text(text, sizeof text - 1, 1, &rep, &scan, &cause);
	CHECK(st == LOGSCAN_DAMAGED && scan.nbad == 1 &&
	    scan.bad[0].line == 4 && rep.total.n == 0,
	    "strict: the first damaged line ends it, nothing summed");
	report_free(&rep);

	st = scan_text(REC("a", "1") "{\"v\":1", sizeof REC("a", "1") + 5, 0,
	    &rep, &scan, &cause);
	CHECK(st == LOGSCAN_OK && rep.total.n == 1 && rep.damaged == 1 &&
	    scan.nbad == 1 && scan.bad[0].line == 2,
	    "a cut-off last line is damaged");
	report_free(&rep);
}

/* Seven damaged lines in one log, then two more in a second one. */
static void
test_told(void)
{
	static const char text[] = "x\nx\n" REC("a", "1") "x\nx\nx\nx\nx\n";
	struct report		rep, proto;
	struct logscan		scan;
	char			*cause = NULL;
	int			fd;

	scan_text(text, sizeof text - 1, 0, &rep, &scan, &cause);
	CHECK(rep.damaged == 7 && scan.nbad == LOGSCAN_SHOW &&
	    scan.bad[2].line == 4 && scan.bad[4].line == 6,
	    "the first LOGSCAN_SHOW damaged lines are told");
	report_init(&proto);
	fd = unit_tmp_fd("x\n", 2);
	CHECK(logscan_fd(&rep, &proto, fd, "u", 0, &scan, &cause) ==
	    LOGSCAN_OK && scan.nbad == 0 && rep.damaged == 8,
	    "a later log's are counted, not told, once enough were");
	close(fd);
	report_free(&rep);
}

/* A sparse run of NUL bytes longer than a line may be, between records. */
static void
test_toolong(void)
{
	char			 tmpl[] = "/tmp/llmroute-unit.XXXXXX";
	static const char	 rec[] = REC("a", "1");
	struct report		 rep, proto;
	struct logscan		 scan;
	char			*cause = NULL;
	int			 fd;
	off_t			 end = (off_t)sizeof rec + LOGSCAN_MAXLINE;

	if ((fd = mkstemp(tmpl)) == -1) {
		CHECK(0, "a temporary file");
		return;
	}
	unlink(tmpl);
	if (write(fd, rec, sizeof rec - 1) == -1 || ftruncate(fd, end) == -1 ||
	    pwrite(fd, "\n" REC("b", "2"), sizeof rec, end) == -1 ||
	    lseek(fd, 0, SEEK_SET) == -1) {
		CHECK(0, "a log with a long line");
		close(fd);
		return;
	}
	report_init(&proto);
	rep = proto;
	report_start(&rep);
	CHECK(logscan_fd(&rep, &proto, fd, "l", 0, &scan, &cause) ==
	    LOGSCAN_OK && rep.total.n == 2 && rep.lines == 3 &&
	    rep.damaged == 1, "a line too long is damaged, counted, skipped");
	CHECK(scan.nbad == 1 && scan.bad[0].line == 2 &&
	    strcmp(scan.bad[0].why, "line too long") == 0,
	    "and told as too long");
	report_free(&rep);
	close(fd);
}

#define BLANK_LEN	1024		/* a blank line of the large log */
#define BLANKS		((size_t)(LOGSCAN_SPLIT / 2 / BLANK_LEN) + 1)

/*
 * A log over LOGSCAN_SPLIT, read in two halves: ten records and a damaged
 * line, then half the size in blank lines, twice over, then ten records.
 */
static int
big_log(void)
{
	char	tmpl[] = "/tmp/llmroute-unit.XXXXXX", blank[BLANK_LEN];
	size_t	i, j, nblank = BLANKS;
	int	fd, part, bad = 0;

	if ((fd = mkstemp(tmpl)) == -1)
		return -1;
	unlink(tmpl);
	memset(blank, ' ', sizeof blank);
	blank[sizeof blank - 1] = '\n';
	for (part = 0; part < 3; part++) {
		for (i = 0; i < 10; i++)
			bad |= write(fd, REC("m", "1"), sizeof REC("m", "1") -
			    1) == -1;
		if (part == 2)
			break;
		bad |= write(fd, "damaged\n", 8) == -1;
		for (j = 0; j < nblank; j++)
			bad |= write(fd, blank, sizeof blank) == -1;
	}
	if (bad || lseek(fd, 0, SEEK_SET) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
test_halves(void)
{
	struct report		 rep, proto;
	struct logscan		 scan;
	char			*cause = NULL;
	size_t			 nblank = BLANKS;
	int			 fd;

	if ((fd = big_log()) == -1) {
		CHECK(0, "a large log");
		return;
	}
	report_init(&proto);
	rep = proto;
	report_start(&rep);
	CHECK(logscan_fd(&rep, &proto, fd, "big", 0, &scan, &cause) ==
	    LOGSCAN_OK, "a large log reads");
	CHECK(rep.total.n == 30 && rep.total.cost == 30 && rep.lines == 32 &&
	    rep.damaged == 2, "every record once, in whichever half");
	CHECK(scan.nbad == 2 && scan.bad[0].line == 11 &&
	    scan.bad[1].line == 11 + nblank + 11,
	    "damaged lines of the second half told by their line in the log");
	report_free(&rep);
	close(fd);
}

static void
test_read_error(void)
{
	struct report		 rep, proto;
	struct logscan		 scan;
	char			*cause = NULL;
	int			 fd = open("/tmp", O_RDONLY | O_DIRECTORY);

	report_init(&proto);
	rep = proto;
	report_start(&rep);
	CHECK(fd != -1 && logscan_fd(&rep, &proto, fd, "dir", 0, &scan,
	    &cause) == LOGSCAN_READ && cause != NULL &&
	    strncmp(cause, "dir: ", 5) == 0,
	    "a failed read is told, naming the log");
	free(cause);
	if (fd != -1)
		close(fd);
	report_free(&rep);
}

int
main(void)
{
	test_lines();
	test_told();
	test_toolong();
	test_halves();
	test_read_error();
	return unit_done();
}
