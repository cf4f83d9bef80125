/*
 * sse.h: an incremental parser of Server-Sent Events streams.
 */
#ifndef LLMROUTE_SSE_H
#define LLMROUTE_SSE_H

#include <stddef.h>

#include "base/buf.h"

/* Called per event; return -1 to stop parsing (sse_feed then fails). */
typedef int (*sse_event_fn)(void *arg, const char *event, const char *data,
    size_t len);

struct sse {
	struct buf	 line;		/* the line being read */
	struct buf	 data;		/* the event's data lines */
	struct buf	 event;		/* the event's name */
	int		 cr;		/* the last byte was CR */
	int		 comment;	/* inside a comment line */
	int		 has_data;
	int		 stopped;
	sse_event_fn	 fn;
	void		*arg;
};

void	sse_init(struct sse *, size_t max, sse_event_fn, void *);
int	sse_feed(struct sse *, const char *, size_t);
int	sse_pending(const struct sse *);
void	sse_free(struct sse *);

#endif
