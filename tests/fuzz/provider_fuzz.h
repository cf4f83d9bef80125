/*
 * provider_fuzz.h: the body of fuzz_openai.c and fuzz_anthropic.c, one
 * wire format's parsers (src/call/wire.h) on outside data:
 *
 *   - ops->response on the whole input, as a non-streamed body;
 *   - wire_error_parse on the input, as an error body;
 *   - ops->event on the input split into (event name, data) pairs: lines
 *     taken two at a time, name then data;
 *   - ops->event on the events an SSE parser finds in the input, as
 *     src/call/engine.c feeds them;
 *
 * each into a reply with a small and with a large text cap.
 */
#ifndef PROVIDER_FUZZ_H
#define PROVIDER_FUZZ_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "call/wire.h"
#include "call/sse.h"

#define SMALLMAX	16
#define LARGEMAX	(1 << 20)

/* What every reply must look like, whatever came in. */
static void
check_reply(const struct wire_reply *r, size_t max)
{
	if (r->text.data == NULL || r->text.data[r->text.len] != '\0' ||
	    r->text.len > max)
		abort();
	if (memchr(r->err.type, '\0', sizeof r->err.type) == NULL ||
	    memchr(r->err.code, '\0', sizeof r->err.code) == NULL ||
	    memchr(r->err.message, '\0', sizeof r->err.message) == NULL ||
	    memchr(r->finish_reason, '\0', sizeof r->finish_reason) == NULL)
		abort();
}

/* One event, as src/call/engine.c hands it over (NUL-terminated copies). */
static int
one_event(const struct wire_ops *ops, struct wire_reply *r, size_t max,
    const char *event, const char *data, size_t len)
{
	size_t	before = r->text.len, from = (size_t)-1;
	int	rc;

	rc = ops->event(r, event, data, len, &from);
	if (from == (size_t)-1 || from != before || from > r->text.len)
		abort();
	check_reply(r, max);
	return rc;
}

struct sse_arg {
	const struct wire_ops	*ops;
	struct wire_reply		*r;
	size_t				 max;
};

static int
on_sse(void *arg, const char *event, const char *data, size_t len)
{
	struct sse_arg *a = arg;

	if (one_event(a->ops, a->r, a->max, event, data, len) == -1)
		return -1;
	return a->r->error ? -1 : 0;
}

/* Lines of the input two at a time: an event name, then its data. */
static void
pairs(const struct wire_ops *ops, const char *s, size_t n, size_t max)
{
	struct wire_reply	 r;
	const char	*p = s, *end = s + n, *nl;
	char		*name = NULL, *data;
	size_t		 len;

	wire_reply_init(&r, max);
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if ((data = malloc(len + 1)) == NULL)
			abort();
		memcpy(data, p, len);
		data[len] = '\0';
		if (name == NULL)
			name = data;
		else {
			(void)one_event(ops, &r, max, name, data, len);
			free(name);
			free(data);
			name = NULL;
		}
		p += len + 1;
	}
	if (name != NULL) {
		/* A lone name: an event with no data. */
		(void)one_event(ops, &r, max, name, "", 0);
		free(name);
	}
	wire_reply_free(&r);
}

static void
stream(const struct wire_ops *ops, const char *s, size_t n, size_t max)
{
	struct wire_reply	r;
	struct sse	p;
	struct sse_arg	a;

	wire_reply_init(&r, max);
	a.ops = ops;
	a.r = &r;
	a.max = max;
	sse_init(&p, max, on_sse, &a);
	(void)sse_feed(&p, s, n);
	(void)sse_pending(&p);
	sse_free(&p);
	wire_reply_free(&r);
}

static void
body(const struct wire_ops *ops, const char *s, size_t n, size_t max)
{
	struct wire_reply r;

	wire_reply_init(&r, max);
	(void)ops->response(s, n, &r);
	check_reply(&r, max);
	wire_reply_free(&r);
}

static int
fuzz_provider(const struct wire_ops *ops, const uint8_t *d, size_t n)
{
	struct wire_error	 we;
	char			*s;

	/* An exact-size copy: ASan sees any read past the end. */
	if ((s = malloc(n ? n : 1)) == NULL)
		return 0;
	memcpy(s, d, n);

	body(ops, s, n, SMALLMAX);
	body(ops, s, n, LARGEMAX);

	memset(&we, 0x55, sizeof we);
	wire_error_parse(s, n, "sk-fuzz-secret", &we);
	if (memchr(we.type, '\0', sizeof we.type) == NULL ||
	    memchr(we.code, '\0', sizeof we.code) == NULL ||
	    memchr(we.message, '\0', sizeof we.message) == NULL)
		abort();

	pairs(ops, s, n, SMALLMAX);
	pairs(ops, s, n, LARGEMAX);
	stream(ops, s, n, SMALLMAX);
	stream(ops, s, n, LARGEMAX);

	free(s);
	return 0;
}

#endif
