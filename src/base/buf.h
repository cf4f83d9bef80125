/*
 * buf.h: a growable byte buffer with a size cap.
 *
 * Invariant: data is never NULL and always NUL-terminated at data[len];
 * buf_detach() is the only way to take ownership of the bytes.  A buffer
 * refuses to grow past max bytes (EFBIG) so that hostile or huge input
 * ends in an error, not in an out-of-memory kill.
 */
#ifndef LLMROUTE_BUF_H
#define LLMROUTE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;	/* 0 while data points at the shared empty string */
	size_t	 max;	/* most bytes the buffer may hold (excluding NUL) */
};

extern char buf_empty[];

#define BUF_NOLIMIT	((size_t)-1)
#define BUF_INIT	{ buf_empty, 0, 0, BUF_NOLIMIT }

void	 buf_init(struct buf *, size_t max);
int	 buf_grow(struct buf *, size_t extra);
int	 buf_add(struct buf *, const void *, size_t);
int	 buf_addstr(struct buf *, const char *);
int	 buf_addch(struct buf *, int);
int	 buf_addf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	 buf_vaddf(struct buf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
int	 buf_read_fd(struct buf *, int fd);
void	 buf_reset(struct buf *);
char	*buf_detach(struct buf *, size_t *lenp);
void	 buf_free(struct buf *);

#endif
