/*
 * buf.c: growable byte buffer with a cap; see buf.h for the invariant.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"

#include "base/banned.h"

char buf_empty[1];

/* Start an empty buffer that may hold at most max bytes. */
void
buf_init(struct buf *b, size_t max)
{
	b->data = buf_empty;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

/*
 * Make room for extra more bytes plus the terminating NUL.  Returns 0, or
 * -1 with errno EFBIG (the cap would be passed) or ENOMEM; the buffer is
 * unchanged on failure.
 */
int
buf_grow(struct buf *b, size_t extra)
{
	size_t	 need, cap;
	char	*p;

	if (extra > b->max || b->len > b->max - extra) {
		errno = EFBIG;
		return -1;
	}
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap < 64 ? 64 : b->cap;
	while (cap < need) {
		if (cap > ((size_t)-1) / 2) {
			cap = need;
			break;
		}
		cap *= 2;
	}
	p = realloc(b->cap ? b->data : NULL, cap);
	if (p == NULL) {
		errno = ENOMEM;
		return -1;
	}
	if (b->cap == 0)
		p[0] = '\0';
	b->data = p;
	b->cap = cap;
	return 0;
}

/* Append n bytes from p.  Returns 0 or -1 (errno as buf_grow). */
int
buf_add(struct buf *b, const void *p, size_t n)
{
	if (n == 0)
		return 0;
	if (buf_grow(b, n) == -1)
		return -1;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

/* Append the NUL-terminated string s. */
int
buf_addstr(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

/* Append one byte. */
int
buf_addch(struct buf *b, int c)
{
	char ch = (char)c;

	return buf_add(b, &ch, 1);
}

/* Append printf-style formatted text. */
int
buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	 ap2;
	int	 n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return -1;
	if (buf_grow(b, (size_t)n) == -1)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 r;

	va_start(ap, fmt);
	r = buf_vaddf(b, fmt, ap);
	va_end(ap);
	return r;
}

/*
 * Append everything readable from fd until end of file.  Returns 0, or -1
 * with errno set (EFBIG when the cap is reached: the bytes read so far stay
 * in the buffer).
 */
int
buf_read_fd(struct buf *b, int fd)
{
	ssize_t	 n;
	size_t	 room;

	for (;;) {
		room = b->max - b->len;
		if (room == 0) {
			char c;

			/* Full: anything more is over the cap. */
			do
				n = read(fd, &c, 1);
			while (n == -1 && errno == EINTR);
			if (n == 0)
				return 0;
			if (n > 0)
				errno = EFBIG;
			return -1;
		}
		if (room > 65536)
			room = 65536;
		if (buf_grow(b, room) == -1)
			return -1;
		do
			n = read(fd, b->data + b->len, room);
		while (n == -1 && errno == EINTR);
		if (n == -1)
			return -1;
		if (n == 0)
			return 0;
		b->len += (size_t)n;
		b->data[b->len] = '\0';
	}
}

/* Empty the buffer, keeping its memory. */
void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->cap)
		b->data[0] = '\0';
}

/*
 * Hand the bytes to the caller, who must free() them; the buffer is left
 * empty and usable.  Never returns NULL unless memory runs out.
 */
char *
buf_detach(struct buf *b, size_t *lenp)
{
	char *p;

	if (lenp != NULL)
		*lenp = b->len;
	p = b->cap ? b->data : strdup("");
	buf_init(b, b->max);
	return p;
}

/* Free the memory and leave an empty buffer. */
void
buf_free(struct buf *b)
{
	if (b->cap)
		free(b->data);
	buf_init(b, b->max);
}
