/*
 * lines.c: the line reader; lines.h states the rule it follows.
 *
 * From a descriptor, bytes are read into a buffer that grows up to the
 * line limit (plus room for the CR and LF), so memory depends on the
 * longest line accepted, never on the size of the input.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/lines.h"

#include "base/banned.h"

#define LINES_FIRST_CAP	(256u << 10)	/* bytes read at a time, at first */
#define LINES_COUNT_BUF	(64u << 10)

void
lines_init_mem(struct lines *l, const char *text, size_t len)
{
	memset(l, 0, sizeof *l);
	l->fd = -1;
	l->buf = (char *)(uintptr_t)text;	/* only ever read */
	l->cap = l->end = len;
	l->max = SIZE_MAX;
	l->skip_max = SIZE_MAX;
	l->stop = -1;
	l->eof = 1;
}

int
lines_init_fd(struct lines *l, int fd, size_t max)
{
	return lines_init_range(l, fd, 0, -1, max);
}

int
lines_init_range(struct lines *l, int fd, off_t off, off_t end, size_t max)
{
	memset(l, 0, sizeof *l);
	l->fd = fd;
	l->max = max < SIZE_MAX / 2 ? max : SIZE_MAX / 2;
	l->off = off;
	l->stop = end;
	l->skip_max = SIZE_MAX;
	l->cap = l->max < LINES_FIRST_CAP - 2 ? l->max + 2 : LINES_FIRST_CAP;
	if ((l->buf = malloc(l->cap)) == NULL)
		return -1;
	l->owned = 1;
	return 0;
}

void
lines_free(struct lines *l)
{
	if (l->owned)
		free(l->buf);
	l->owned = 0;
	l->buf = NULL;
	l->cap = l->start = l->end = 0;
}

/*
 * Read more bytes into the buffer, first moving what is left to its
 * start and growing it (up to the limit) when it is full.  Returns 1
 * when bytes came, 0 at the end of the input or when the buffer is full
 * at the limit, -1 on a read error.
 */
static int
fill(struct lines *l)
{
	size_t	 want, ncap;
	ssize_t	 n;
	char	*p;

	if (l->start > 0) {
		memmove(l->buf, l->buf + l->start, l->end - l->start);
		l->end -= l->start;
		l->start = 0;
	}
	if (l->end == l->cap) {
		ncap = l->cap * 2;
		if (ncap > l->max + 2 || ncap < l->cap)
			ncap = l->max + 2;
		if (ncap <= l->cap)
			return 0;
		if ((p = realloc(l->buf, ncap)) == NULL)
			return -1;
		l->buf = p;
		l->cap = ncap;
	}
	want = l->cap - l->end;
	if (l->stop >= 0 && (off_t)want > l->stop - l->off)
		want = (size_t)(l->stop - l->off);
	do
		n = want == 0 ? 0 : l->stop >= 0 ? pread(l->fd, l->buf + l->end,
		    want, l->off) : read(l->fd, l->buf + l->end, want);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;
	if (n == 0) {
		l->eof = 1;
		return 0;
	}
	l->end += (size_t)n;
	l->off += n;
	return 1;
}

/* Hand out the bytes from start to nl (or to end when nl is NULL). */
static int
take(struct lines *l, const char *nl, int toolong, struct line *out)
{
	const char *p = l->buf + l->start;

	memset(out, 0, sizeof *out);
	out->lineno = ++l->lineno;
	out->terminated = nl != NULL;
	if (nl == NULL)
		nl = l->buf + l->end;
	out->len = (size_t)(nl - p);
	l->start = (size_t)(nl - l->buf) + out->terminated;
	if (out->len > 0 && p[out->len - 1] == '\r')
		out->len--;
	out->p = p;
	if (toolong || out->len > l->max) {
		out->toolong = 1;
		out->len = 0;
	}
	return 1;
}

void
lines_bound_skip(struct lines *l, size_t n)
{
	l->skip_max = n;
}

/* Drop the bytes read of a too-long line; -1 (EFBIG) past the bound. */
static int
drop(struct lines *l, size_t *dropped)
{
	size_t n = l->end - l->start;

	*dropped = n > SIZE_MAX - *dropped ? SIZE_MAX : *dropped + n;
	l->start = l->end;
	if (*dropped > l->skip_max) {
		errno = EFBIG;
		return -1;
	}
	return 0;
}

int
lines_next(struct lines *l, struct line *out)
{
	const char	*nl;
	size_t		 dropped = 0;
	int		 skipping = 0, f;

	for (;;) {
		nl = memchr(l->buf + l->start, '\n', l->end - l->start);
		if (nl != NULL)
			return take(l, nl, skipping, out);
		if (l->eof) {
			if (l->start == l->end && !skipping)
				return 0;
			return take(l, NULL, skipping, out);
		}
		if (l->end - l->start > l->max + 1) {
			/* Over the limit: drop what we have, find its end. */
			skipping = 1;
			if (drop(l, &dropped) == -1)
				return -1;
		}
		if ((f = fill(l)) == -1)
			return -1;
		if (f == 0 && !l->eof) {
			skipping = 1;	/* full at the limit */
			if (drop(l, &dropped) == -1)
				return -1;
		}
	}
}

size_t
lines_count_file(const char *path)
{
	struct stat	 st;
	char		 buf[LINES_COUNT_BUF];
	const char	*p, *end;
	size_t		 n = 0;
	ssize_t		 r;
	int		 fd;

	/*
	 * Not even opened unless regular: opening a FIFO, even without
	 * blocking, lets a writer waiting in open() go on, and closing it
	 * again leaves that writer with no reader (SIGPIPE) and the real
	 * reader waiting for a writer that is gone.
	 */
	if (strcmp(path, "-") == 0 || stat(path, &st) == -1 ||
	    !S_ISREG(st.st_mode) ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1)
		return 0;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return 0;
	}
	while ((r = read(fd, buf, sizeof buf)) > 0)
		for (p = buf, end = buf + r; (p = memchr(p, '\n',
		    (size_t)(end - p))) != NULL; p++)
			n++;
	close(fd);
	return n;
}

int
lines_blank(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' &&
		    p[i] != '\f' && p[i] != '\v' && p[i] != '\n')
			return 0;
	return 1;
}

const char *
lines_field(const char **pp, int sep, size_t *len)
{
	const char *s = *pp, *e;

	if (s == NULL || *s == '\0')
		return NULL;
	if ((e = strchr(s, sep)) == NULL)
		e = s + strlen(s);
	*len = (size_t)(e - s);
	*pp = *e != '\0' ? e + 1 : e;
	return s;
}
