/*
 * sse.h: an incremental parser of Server-Sent Events streams.
 *
 * Bytes go in as they arrive, in pieces of any size; each whole event
 * comes out through the caller's function.  Memory is bounded by the cap
 * given to sse_init, however hostile the stream.
 */
#ifndef LLMROUTE_SSE_H
#define LLMROUTE_SSE_H

#include <stddef.h>

#include "base/buf.h"

/*
 * Called per event with its name ("message" when the stream gave none)
 * and its data, len bytes, NUL-terminated; both are valid only during the
 * call.  Return 0 to go on, -1 to stop parsing (sse_feed then fails).
 */
typedef int (*sse_event_fn)(void *arg, const char *event, const char *data,
    size_t len);

/* A parser's state: set up by sse_init, never touched by the caller. */
struct sse {
	struct buf	 line;		/* the line being read */
	struct buf	 data;		/* the event's data lines */
	struct buf	 event;		/* the event's name */
	int		 cr;		/* the last byte was CR */
	int		 comment;	/* inside a comment line */
	int		 has_data;	/* the event has a data line */
	int		 stopped;	/* by the cap or by fn */
	sse_event_fn	 fn;
	void		*arg;
};

/*
 * Start parser s, calling fn(arg, ...) per event; one event's data may
 * not pass max bytes.  Free it with sse_free.
 */
void	sse_init(struct sse *s, size_t max, sse_event_fn fn, void *arg);

/*
 * Feed the n bytes at p.  Returns 0, or -1 when an event passed the
 * cap (errno EFBIG) or fn asked to stop; the parser is then stopped and
 * every later call fails.
 */
int	sse_feed(struct sse *s, const char *p, size_t n);

/*
 * Whether an event was begun and not dispatched: the stream, if it ends
 * here, was cut off.
 */
int	sse_pending(const struct sse *s);

/* Free what s holds; s may be fed again only after sse_init. */
void	sse_free(struct sse *s);

#endif
