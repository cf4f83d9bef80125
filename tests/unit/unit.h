/*
 * unit.h: a minimal TAP harness for the C unit tests.  Each CHECK prints
 * one "ok N - what" or "not ok N - what" line; unit_done() prints the plan
 * and returns the exit status.  unit_pipe_fd and unit_tmp_fd give a
 * descriptor to read given bytes from.
 */
#ifndef LLMROUTE_UNIT_H
#define LLMROUTE_UNIT_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int unit_n, unit_failed;

static void
unit_report(int ok, const char *what, const char *file, int line)
{
	unit_n++;
	if (!ok)
		unit_failed++;
	printf("%sok %d - %s\n", ok ? "" : "not ", unit_n, what);
	if (!ok)
		printf("# failed at %s:%d\n", file, line);
}

#define CHECK(cond, what) unit_report((cond) ? 1 : 0, (what), __FILE__, \
	__LINE__)
#define CHECK_STR(a, b, what) unit_report(strcmp((a), (b)) == 0, (what), \
	__FILE__, __LINE__)
#define CHECK_NEAR(a, b, eps, what) unit_report(fabs((a) - (b)) <= (eps), \
	(what), __FILE__, __LINE__)

static int
unit_done(void)
{
	printf("1..%d\n", unit_n);
	return unit_failed ? 1 : 0;
}

/*
 * A pipe holding the n bytes at s (at most a pipe's capacity), write end
 * closed; returns the read end, or -1.
 */
static inline int
unit_pipe_fd(const char *s, size_t n)
{
	int fds[2];

	if (pipe(fds) == -1)
		return -1;
	if (n > 0 && write(fds[1], s, n) != (ssize_t)n) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	close(fds[1]);
	return fds[0];
}

/*
 * An unlinked temporary file holding the n bytes at s, open for reading
 * from its start; returns the descriptor, or -1.
 */
static inline int
unit_tmp_fd(const char *s, size_t n)
{
	char	tmpl[] = "/tmp/llmroute-unit.XXXXXX";
	int	fd;

	if ((fd = mkstemp(tmpl)) == -1)
		return -1;
	unlink(tmpl);
	if (write(fd, s, n) != (ssize_t)n || lseek(fd, 0, SEEK_SET) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

#endif
