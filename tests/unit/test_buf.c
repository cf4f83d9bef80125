/*
 * test_buf.c: the growable buffer: growth, the cap, the never-NULL and
 * NUL-terminated invariant, detach/free and reading a descriptor.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "unit.h"

static void
test_init(void)
{
	struct buf	b = BUF_INIT, c;

	CHECK(b.data != NULL && b.data[0] == '\0' && b.len == 0,
	    "BUF_INIT: data is an empty string, not NULL");
	buf_init(&c, 10);
	CHECK(c.data != NULL && c.data[0] == '\0' && c.len == 0 &&
	    c.max == 10, "buf_init: empty, not NULL, max kept");
	buf_reset(&c);
	CHECK(c.data != NULL && c.data[0] == '\0', "buf_reset on a new buffer");
	buf_free(&c);
	CHECK(c.data != NULL && c.data[0] == '\0' && c.max == 10,
	    "buf_free on a new buffer keeps it usable and keeps max");
}

static void
test_growth(void)
{
	struct buf	b = BUF_INIT;
	size_t		i;
	int		ok = 1;

	CHECK(buf_add(&b, "abc", 3) == 0 && b.len == 3 &&
	    strcmp(b.data, "abc") == 0, "buf_add appends");
	CHECK(b.data[3] == '\0', "NUL-terminated after buf_add");
	CHECK(buf_add(&b, "zzz", 0) == 0 && b.len == 3,
	    "buf_add of 0 bytes is a no-op");
	CHECK(buf_addch(&b, 'd') == 0 && strcmp(b.data, "abcd") == 0,
	    "buf_addch appends one byte");
	CHECK(buf_addstr(&b, "ef") == 0 && strcmp(b.data, "abcdef") == 0,
	    "buf_addstr appends a string");
	/* Grow well past the first allocation, checking content. */
	for (i = 0; i < 100000; i++)
		if (buf_addch(&b, 'a' + (int)(i % 26)) == -1) {
			ok = 0;
			break;
		}
	CHECK(ok && b.len == 100006, "buf grows to 100006 bytes");
	CHECK(b.cap > b.len, "cap leaves room for the NUL");
	CHECK(b.data[b.len] == '\0', "NUL-terminated after growth");
	CHECK(memcmp(b.data, "abcdef", 6) == 0 && b.data[6] == 'a' &&
	    b.data[6 + 25] == 'z' && b.data[6 + 26] == 'a' &&
	    b.data[b.len - 1] == 'a' + (int)(99999 % 26),
	    "content survives reallocation");
	buf_reset(&b);
	CHECK(b.len == 0 && b.data[0] == '\0' && b.cap > 0,
	    "buf_reset empties but keeps memory");
	CHECK(buf_addch(&b, '\0') == 0 && b.len == 1 && b.data[1] == '\0',
	    "NUL bytes can be stored and are counted");
	buf_free(&b);
	CHECK(b.data != NULL && b.len == 0 && b.data[0] == '\0' && b.cap == 0,
	    "buf_free leaves an empty, usable buffer");
	CHECK(buf_addstr(&b, "again") == 0 && strcmp(b.data, "again") == 0,
	    "a freed buffer can be used again");
	buf_free(&b);
}

static void
test_cap(void)
{
	struct buf	 b;
	char		*old;
	size_t		 oldcap;

	buf_init(&b, 8);
	CHECK(buf_addstr(&b, "12345") == 0, "under the cap: ok");
	old = b.data;
	oldcap = b.cap;
	errno = 0;
	CHECK(buf_addstr(&b, "6789") == -1 && errno == EFBIG,
	    "past the cap: -1 with EFBIG");
	CHECK(b.len == 5 && strcmp(b.data, "12345") == 0 && b.data == old &&
	    b.cap == oldcap, "past the cap: buffer unchanged");
	CHECK(buf_addstr(&b, "678") == 0 && b.len == 8 &&
	    strcmp(b.data, "12345678") == 0, "exactly up to the cap: ok");
	errno = 0;
	CHECK(buf_addch(&b, 'x') == -1 && errno == EFBIG && b.len == 8,
	    "one byte over a full buffer: EFBIG");
	errno = 0;
	CHECK(buf_grow(&b, (size_t)-1) == -1 && errno == EFBIG,
	    "buf_grow of SIZE_MAX: EFBIG, no overflow");
	errno = 0;
	CHECK(buf_addf(&b, "%d", 1) == -1 && errno == EFBIG &&
	    strcmp(b.data, "12345678") == 0, "buf_addf over the cap: EFBIG");
	buf_free(&b);
	CHECK(b.max == 8, "buf_free keeps the cap");

	buf_init(&b, 0);
	errno = 0;
	CHECK(buf_addch(&b, 'x') == -1 && errno == EFBIG &&
	    b.data[0] == '\0' && b.len == 0, "cap 0: nothing fits");
	buf_free(&b);

	/* A huge first request must not wrap around. */
	buf_init(&b, BUF_NOLIMIT);
	CHECK(buf_addstr(&b, "ab") == 0, "no-limit buffer takes bytes");
	errno = 0;
	CHECK(buf_grow(&b, (size_t)-1) == -1 && errno == EFBIG &&
	    strcmp(b.data, "ab") == 0, "len + SIZE_MAX: EFBIG, unchanged");
	buf_free(&b);
}

static void
test_detach(void)
{
	struct buf	 b = BUF_INIT;
	char		*p;
	size_t		 len = 99;

	p = buf_detach(&b, &len);
	CHECK(p != NULL && p[0] == '\0' && len == 0,
	    "detach of an empty buffer gives an empty string");
	CHECK(p != buf_empty, "detach of an empty buffer gives own memory");
	free(p);
	CHECK(b.data != NULL && b.data[0] == '\0',
	    "buffer usable after detach of empty");

	buf_addstr(&b, "hello");
	p = buf_detach(&b, &len);
	CHECK(p != NULL && strcmp(p, "hello") == 0 && len == 5,
	    "detach hands out the bytes and length");
	CHECK(b.data != NULL && b.data != p && b.len == 0 &&
	    b.data[0] == '\0' && b.cap == 0, "detach leaves the buffer empty");
	CHECK(buf_addstr(&b, "x") == 0 && strcmp(b.data, "x") == 0 &&
	    strcmp(p, "hello") == 0, "reusing the buffer leaves detached bytes");
	free(p);
	p = buf_detach(&b, NULL);
	CHECK(p != NULL && strcmp(p, "x") == 0, "detach with NULL lenp");
	free(p);

	buf_init(&b, 4);
	buf_addstr(&b, "ab");
	p = buf_detach(&b, NULL);
	CHECK(b.max == 4, "detach keeps the cap");
	free(p);
	buf_free(&b);
	CHECK(buf_empty[0] == '\0', "the shared empty string stays empty");
}

static void
test_addf(void)
{
	struct buf	b = BUF_INIT;
	char		big[300];
	size_t		i;

	CHECK(buf_addf(&b, "%d-%s-%c", 42, "x", 'y') == 0 &&
	    strcmp(b.data, "42-x-y") == 0 && b.len == 6, "buf_addf formats");
	CHECK(buf_addf(&b, "%s", "") == 0 && b.len == 6 &&
	    strcmp(b.data, "42-x-y") == 0, "buf_addf of nothing");
	for (i = 0; i < sizeof big - 1; i++)
		big[i] = 'A' + (char)(i % 26);
	big[sizeof big - 1] = '\0';
	CHECK(buf_addf(&b, "[%s]", big) == 0 && b.len == 6 + 2 + 299 &&
	    b.data[6] == '[' && b.data[b.len - 1] == ']' &&
	    memcmp(b.data + 7, big, 299) == 0 && b.data[b.len] == '\0',
	    "buf_addf grows for long output");
	buf_free(&b);

	/* A fresh buffer given an empty format still ends up valid. */
	CHECK(buf_addf(&b, "%s", "") == 0 && b.data != NULL &&
	    b.data[0] == '\0' && b.len == 0, "buf_addf empty on fresh buf");
	buf_free(&b);
}

static void
test_read_fd(void)
{
	struct buf	 b;
	char		*big;
	size_t		 n = 20000, i;
	int		 fd;

	big = malloc(n);
	for (i = 0; i < n; i++)
		big[i] = (char)('a' + i % 26);

	buf_init(&b, BUF_NOLIMIT);
	fd = unit_pipe_fd(big, n);
	CHECK(fd != -1 && buf_read_fd(&b, fd) == 0 && b.len == n &&
	    memcmp(b.data, big, n) == 0 && b.data[n] == '\0',
	    "buf_read_fd reads a pipe to its end");
	close(fd);
	buf_free(&b);

	buf_init(&b, 100);
	buf_addstr(&b, ">");
	fd = unit_pipe_fd("hello", 5);
	CHECK(buf_read_fd(&b, fd) == 0 && strcmp(b.data, ">hello") == 0,
	    "buf_read_fd appends");
	close(fd);
	buf_free(&b);

	buf_init(&b, 10);
	fd = unit_pipe_fd("0123456789", 10);
	CHECK(buf_read_fd(&b, fd) == 0 && b.len == 10 &&
	    strcmp(b.data, "0123456789") == 0, "exactly the cap: ok");
	close(fd);
	buf_free(&b);

	buf_init(&b, 10);
	fd = unit_pipe_fd("0123456789A", 11);
	errno = 0;
	CHECK(buf_read_fd(&b, fd) == -1 && errno == EFBIG,
	    "one byte over the cap: EFBIG");
	CHECK(b.len == 10 && memcmp(b.data, "0123456789", 10) == 0 &&
	    b.data[10] == '\0', "over the cap: bytes read so far kept");
	close(fd);
	buf_free(&b);

	buf_init(&b, 1000);
	fd = unit_pipe_fd(big, n);
	errno = 0;
	CHECK(buf_read_fd(&b, fd) == -1 && errno == EFBIG && b.len == 1000,
	    "far over the cap: EFBIG, stops at the cap");
	close(fd);
	buf_free(&b);

	buf_init(&b, 10);
	fd = unit_pipe_fd("", 0);
	CHECK(buf_read_fd(&b, fd) == 0 && b.len == 0 && b.data != NULL &&
	    b.data[0] == '\0', "empty pipe: ok, empty buffer");
	close(fd);
	buf_free(&b);

	buf_init(&b, 10);
	errno = 0;
	CHECK(buf_read_fd(&b, -1) == -1 && errno == EBADF,
	    "bad descriptor: -1 with errno");
	buf_free(&b);
	free(big);
}

int
main(void)
{
	/* Line-buffered: a sanitizer exit must not lose TAP lines. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_init();
	test_growth();
	test_cap();
	test_detach();
	test_addf();
	test_read_fd();
	return unit_done();
}
