/*
 * fuzz_sse.c: the incremental Server-Sent Events parser (src/call/sse.h).
 *
 * The whole input is the stream.  Its first bytes also pick the sizes of
 * the reads it is fed in, so one unit covers many chunkings.  Each stream
 * is parsed in one read and in chunks, with a large cap (the events must
 * then be the same whatever the chunking) and with a small cap; the
 * callback checks that every event it gets is well formed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "call/sse.h"

#define SMALLCAP	64
#define LARGECAP	(1 << 20)

struct seen {
	size_t		 n;
	uint64_t	 hash;		/* of every (event, data) in order */
	size_t		 stop_at;	/* return -1 at this event, 0: never */
	size_t		 max;		/* the parser's cap */
};

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	while (n-- > 0)
		h = (h ^ *s++) * 0x100000001b3ULL;
	return h;
}

static int
on_event(void *arg, const char *event, const char *data, size_t len)
{
	struct seen	*s = arg;
	size_t		 elen;

	if (event == NULL || data == NULL)
		abort();
	/* data holds len bytes and a NUL; no NUL past it is needed. */
	if (data[len] != '\0' || strlen(data) > len)
		abort();
	if (len > s->max)
		abort();
	/* The name is capped at 256 bytes by the parser. */
	elen = strlen(event);
	if (elen > 256)
		abort();
	s->hash = fnv(s->hash, event, elen + 1);
	s->hash = fnv(s->hash, &len, sizeof len);
	s->hash = fnv(s->hash, data, len);
	s->n++;
	if (s->stop_at > 0 && s->n == s->stop_at)
		return -1;
	return 0;
}

/*
 * Parse in reads whose sizes cycle through sizes[] (0: one read).
 * Returns sse_feed's last result.
 */
static int
run(const uint8_t *d, size_t n, size_t max, const size_t *sizes,
    size_t nsizes, struct seen *s, int *pending)
{
	struct sse	 p;
	size_t		 off = 0, k = 0, c;
	int		 r = 0;

	sse_init(&p, max, on_event, s);
	s->n = 0;
	s->hash = 0xcbf29ce484222325ULL;
	s->max = max;
	if (nsizes == 0)
		r = sse_feed(&p, (const char *)d, n);
	else
		while (off < n) {
			c = sizes[k++ % nsizes];
			if (c > n - off)
				c = n - off;
			if ((r = sse_feed(&p, (const char *)d + off, c)) == -1)
				break;
			off += c;
		}
	if (r == -1 && sse_feed(&p, "\n\n", 2) != -1)
		abort();		/* a stopped parser stays stopped */
	/* An empty read is harmless. */
	if (r == 0 && sse_feed(&p, "", 0) != 0)
		abort();
	*pending = sse_pending(&p);
	sse_free(&p);
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	size_t		 sizes[8], nsizes, i, ones[1] = { 1 };
	struct seen	 whole = { 0 }, part = { 0 }, bytes = { 0 };
	int		 r1, r2, r3, p1, p2, p3;

	/* Read sizes from the first bytes: 1 to 16, or up to 255. */
	nsizes = n < 8 ? n : 8;
	for (i = 0; i < nsizes; i++)
		sizes[i] = (d[i] & 0x80) ? (size_t)(d[i] & 0x7f) + 1 :
		    (size_t)(d[i] & 0x0f) + 1;

	/*
	 * Large cap: the same events whatever the reads.  Only an event name
	 * over 256 bytes fails, at the same event however the stream is cut.
	 */
	r1 = run(d, n, LARGECAP, NULL, 0, &whole, &p1);
	r2 = run(d, n, LARGECAP, sizes, nsizes, &part, &p2);
	r3 = run(d, n, LARGECAP, ones, 1, &bytes, &p3);
	if (r1 != r2 || r1 != r3)
		abort();
	if (whole.n != part.n || whole.hash != part.hash ||
	    whole.n != bytes.n || whole.hash != bytes.hash)
		abort();
	if (r1 == 0 && (p1 != p2 || p1 != p3))
		abort();

	/* Small cap: events may be refused, never malformed. */
	run(d, n, SMALLCAP, NULL, 0, &whole, &p1);
	run(d, n, SMALLCAP, sizes, nsizes, &part, &p2);
	run(d, n, 0, sizes, nsizes, &part, &p2);

	/* Stopping from the callback. */
	if (whole.n > 0 || n > 0) {
		part.stop_at = (size_t)(n > 0 ? d[n - 1] % 4 : 0) + 1;
		r2 = run(d, n, LARGECAP, sizes, nsizes, &part, &p2);
		if (part.n >= part.stop_at && r2 != -1)
			abort();
	}
	return 0;
}
