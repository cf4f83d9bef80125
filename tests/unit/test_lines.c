/*
 * test_lines.c: the one line reader, from memory, a pipe and a file
 * range, and the field splitter.
 */
#include <errno.h>
#include <fcntl.h>

#include "base/lines.h"
#include "unit.h"

/* All lines of l joined as "text|" ("~" for too long, "$" unterminated). */
static void
collect(struct lines *l, char *out, size_t size)
{
	struct line	ln;
	size_t		n = 0;

	out[0] = '\0';
	while (lines_next(l, &ln) == 1 && n + ln.len + 4 < size) {
		if (ln.toolong)
			out[n++] = '~';
		memcpy(out + n, ln.p, ln.len);
		n += ln.len;
		if (!ln.terminated)
			out[n++] = '$';
		out[n++] = '|';
		out[n] = '\0';
	}
}

static void
mem(const char *text, const char *want, const char *what)
{
	struct lines	l;
	char		got[256];

	lines_init_mem(&l, text, strlen(text));
	collect(&l, got, sizeof got);
	CHECK_STR(got, want, what);
}

static void
test_rule(void)
{
	mem("", "", "empty text: no line");
	mem("a\nb\n", "a|b|", "two lines");
	mem("a\nb", "a|b$|", "a last line without LF, marked");
	mem("a\r\nb\r\n", "a|b|", "CR LF: the CR is dropped");
	mem("a\rb\n", "a\rb|", "a lone CR stays in the line");
	mem("a\r", "a$|", "a CR at the end of a cut-off line is dropped");
	mem("\n\n", "||", "blank lines are lines");
	mem("x\r\r\n", "x\r|", "only one CR is dropped");
}

static void
test_numbers(void)
{
	struct lines	l;
	struct line	ln;
	const char	*t = "a\n\nc";

	lines_init_mem(&l, t, strlen(t));
	CHECK(lines_next(&l, &ln) == 1 && ln.lineno == 1, "line 1");
	CHECK(lines_next(&l, &ln) == 1 && ln.lineno == 2 && ln.len == 0,
	    "line 2 is blank and counted");
	CHECK(lines_next(&l, &ln) == 1 && ln.lineno == 3 && !ln.terminated,
	    "line 3, cut off");
	CHECK(lines_next(&l, &ln) == 0, "then the end");
	CHECK(lines_next(&l, &ln) == 0, "and the end again");
}

static void
test_fd(void)
{
	struct lines	l;
	char		got[256];
	int		fd;

	fd = unit_pipe_fd("ok\n0123456789\nend\r\nlast", 23);
	CHECK(lines_init_fd(&l, fd, 5) == 0, "fd reader: ok");
	collect(&l, got, sizeof got);
	CHECK_STR(got, "ok|~|end|last$|", "fd: a line over the limit is "
	    "marked and skipped, the rest read");
	lines_free(&l);
	close(fd);

	fd = unit_pipe_fd("12345\r\n123456\n", 15);
	lines_init_fd(&l, fd, 5);
	collect(&l, got, sizeof got);
	CHECK_STR(got, "12345|~|", "fd: the limit counts the line without "
	    "its CR and LF");
	lines_free(&l);
	close(fd);

	fd = unit_pipe_fd("0123456789", 10);
	lines_init_fd(&l, fd, 4);
	collect(&l, got, sizeof got);
	CHECK_STR(got, "~$|", "fd: a cut-off line over the limit");
	lines_free(&l);
	close(fd);
}

static void
test_long(void)
{
	struct lines	l;
	struct line	ln;
	size_t		n = 1000000, count = 0, ok = 1;
	char		*big = malloc(n);
	int		fd;

	memset(big, 'x', n);
	big[n / 2] = '\n';
	big[n - 1] = '\n';
	fd = unit_tmp_fd(big, n);
	CHECK(lines_init_fd(&l, fd, n) == 0, "long lines: reader");
	while (lines_next(&l, &ln) == 1) {
		count++;
		ok &= !ln.toolong && ln.terminated;
	}
	CHECK(count == 2 && ok, "two lines of half a megabyte each: the "
	    "buffer grows to hold them");
	lines_free(&l);

	/* Two readers over halves of one descriptor. */
	CHECK(lines_init_range(&l, fd, (off_t)(n / 2 + 1), (off_t)n,
	    n) == 0, "range reader: ok");
	CHECK(lines_next(&l, &ln) == 1 && ln.len == n - n / 2 - 2 &&
	    ln.lineno == 1, "range: the second half's line");
	CHECK(lines_next(&l, &ln) == 0, "range: stops at its end");
	lines_free(&l);
	close(fd);

	/* A too-long line is dropped to its end, within the skip bound. */
	big[n / 2] = 'x';
	fd = unit_tmp_fd(big, n);
	CHECK(lines_init_fd(&l, fd, 1000) == 0, "bounded skip: reader");
	lines_bound_skip(&l, n);
	CHECK(lines_next(&l, &ln) == 1 && ln.toolong && ln.terminated,
	    "a line within the skip bound: too long, and its end found");
	CHECK(lines_next(&l, &ln) == 0, "then the end of the file");
	lines_free(&l);
	CHECK(lseek(fd, 0, SEEK_SET) == 0 && lines_init_fd(&l, fd, 1000) ==
	    0, "bounded skip: a second reader");
	lines_bound_skip(&l, 100000);
	errno = 0;
	CHECK(lines_next(&l, &ln) == -1 && errno == EFBIG,
	    "a line past the skip bound: EFBIG, no reading on to its end");
	lines_free(&l);
	close(fd);
	free(big);
}

static void
test_blank_field(void)
{
	const char	*p = "model,,day", *f;
	size_t		 len;

	CHECK(lines_blank(" \t\r\f\v", 5), "white space is blank");
	CHECK(lines_blank("", 0), "nothing is blank");
	CHECK(!lines_blank(" x ", 3), "a letter is not blank");
	f = lines_field(&p, ',', &len);
	CHECK(f != NULL && len == 5 && memcmp(f, "model", 5) == 0,
	    "field 1");
	f = lines_field(&p, ',', &len);
	CHECK(f != NULL && len == 0, "field 2 is empty");
	f = lines_field(&p, ',', &len);
	CHECK(f != NULL && len == 3 && memcmp(f, "day", 3) == 0, "field 3");
	CHECK(lines_field(&p, ',', &len) == NULL, "then no more");
	p = "a,";
	CHECK(lines_field(&p, ',', &len) != NULL && len == 1 &&
	    lines_field(&p, ',', &len) == NULL, "a separator at the end "
	    "adds no field");
}

int
main(void)
{
	test_rule();
	test_numbers();
	test_fd();
	test_long();
	test_blank_field();
	return unit_done();
}
