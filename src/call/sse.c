/*
 * sse.c: Server-Sent Events, parsed as bytes arrive (the WHATWG event
 * stream format): lines end in LF, CR or CRLF, even when the CR and LF
 * arrive in different reads; "data:" lines join with newlines; "event:"
 * names the event; lines starting with ':' are comments; a blank line
 * dispatches the event.  One event may not exceed the cap given to
 * sse_init, so a hostile stream cannot exhaust memory.
 */
#include <string.h>

#include "call/sse.h"

#include "base/banned.h"

/* Room in a line for its field name ("event: ", "data: ") past the cap. */
#define SSE_FIELD_ROOM		8

/* The longest event name kept. */
#define SSE_EVENT_NAME_MAX	256

void
sse_init(struct sse *s, size_t max, sse_event_fn fn, void *arg)
{
	memset(s, 0, sizeof *s);
	buf_init(&s->line, max > BUF_NOLIMIT - SSE_FIELD_ROOM ? max :
	    max + SSE_FIELD_ROOM);
	buf_init(&s->data, max);
	buf_init(&s->event, SSE_EVENT_NAME_MAX);
	s->fn = fn;
	s->arg = arg;
}

void
sse_free(struct sse *s)
{
	buf_free(&s->line);
	buf_free(&s->data);
	buf_free(&s->event);
}

int
sse_pending(const struct sse *s)
{
	return s->has_data || s->line.len > 0;
}

static int
dispatch(struct sse *s)
{
	int r = 0;

	if (s->has_data) {
		/* The last data line's newline is not part of the data. */
		if (s->data.len > 0)
			s->data.data[--s->data.len] = '\0';
		r = s->fn(s->arg, s->event.len ? s->event.data : "message",
		    s->data.data, s->data.len);
	}
	buf_reset(&s->data);
	buf_reset(&s->event);
	s->has_data = 0;
	return r;
}

/* Handle one complete line (without its end). */
static int
line(struct sse *s, const char *p, size_t n)
{
	const char	*colon, *val;
	size_t		 flen, vlen;

	if (n == 0)
		return dispatch(s);
	if (p[0] == ':')
		return 0;
	colon = memchr(p, ':', n);
	flen = colon ? (size_t)(colon - p) : n;
	val = colon ? colon + 1 : p + n;
	vlen = (size_t)(p + n - val);
	if (vlen > 0 && *val == ' ') {
		val++;
		vlen--;
	}
	if (flen == 4 && memcmp(p, "data", 4) == 0) {
		s->has_data = 1;
		if (buf_add(&s->data, val, vlen) == -1 ||
		    buf_addch(&s->data, '\n') == -1)
			return -1;
	} else if (flen == 5 && memcmp(p, "event", 5) == 0) {
		buf_reset(&s->event);
		if (buf_add(&s->event, val, vlen) == -1)
			return -1;
	}
	/* "id" and "retry" do not matter to a one-shot stream. */
	return 0;
}

int
sse_feed(struct sse *s, const char *p, size_t n)
{
	const char	*end = p + n, *q;
	int		 r;

	if (s->stopped)
		return -1;
	while (p < end) {
		if (s->cr) {
			s->cr = 0;
			if (*p == '\n') {
				p++;
				continue;
			}
		}
		/* A comment line is dropped as it comes, however long. */
		if (s->line.len == 0 && !s->comment && *p == ':')
			s->comment = 1;
		for (q = p; q < end && *q != '\n' && *q != '\r'; q++)
			;
		if (s->comment) {
			if (q == end)
				break;
			s->comment = 0;
		} else if (q == end) {
			if (buf_add(&s->line, p, (size_t)(q - p)) == -1)
				goto stop;
			break;
		} else {
			if (s->line.len > 0) {
				if (buf_add(&s->line, p, (size_t)(q - p)) == -1)
					goto stop;
				r = line(s, s->line.data, s->line.len);
				buf_reset(&s->line);
			} else
				r = line(s, p, (size_t)(q - p));
			if (r == -1)
				goto stop;
		}
		if (*q == '\r')
			s->cr = 1;
		p = q + 1;
	}
	return 0;
stop:
	s->stopped = 1;
	return -1;
}
