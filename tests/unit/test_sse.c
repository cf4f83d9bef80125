/*
 * test_sse.c: the incremental Server-Sent Events parser: events must come
 * out the same whatever the read boundaries and line endings; comments,
 * field syntax, dispatch rules, the cap and stopping.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "call/sse.h"
#include "unit.h"

#define MAXREC	64
#define BIGCAP	(1 << 20)

/* The events seen: (event, data) pairs. */
struct rec {
	size_t	 n;
	int	 lenok;			/* every len matched strlen(data) */
	int	 stop_at;		/* return -1 at this event (1-based) */
	char	 ev[MAXREC][64];
	char	*data[MAXREC];
};

static void
rec_init(struct rec *r)
{
	memset(r, 0, sizeof *r);
	r->lenok = 1;
}

static void
rec_free(struct rec *r)
{
	size_t i;

	for (i = 0; i < r->n && i < MAXREC; i++)
		free(r->data[i]);
	r->n = 0;
}

static int
on_event(void *arg, const char *event, const char *data, size_t len)
{
	struct rec *r = arg;

	if (strlen(data) != len || data[len] != '\0')
		r->lenok = 0;
	if (r->n < MAXREC) {
		snprintf(r->ev[r->n], sizeof r->ev[r->n], "%s", event);
		if ((r->data[r->n] = malloc(len + 1)) != NULL) {
			memcpy(r->data[r->n], data, len);
			r->data[r->n][len] = '\0';
		}
	}
	r->n++;
	if (r->stop_at > 0 && (int)r->n == r->stop_at)
		return -1;
	return 0;
}

/* 1 when a and b hold the same sequence of events. */
static int
rec_same(const struct rec *a, const struct rec *b)
{
	size_t i;

	if (a->n != b->n || a->n > MAXREC || !a->lenok || !b->lenok)
		return 0;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->ev[i], b->ev[i]) != 0 || a->data[i] == NULL ||
		    b->data[i] == NULL || strcmp(a->data[i], b->data[i]) != 0)
			return 0;
	return 1;
}

/* A fixed-seed generator for chunk sizes. */
static unsigned long rng_state = 12345;

static unsigned
rng(unsigned n)
{
	rng_state = rng_state * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)((rng_state >> 33) % n);
}

/*
 * Parse s with a cap of max, fed in chunks: chunk 0 means whole, 1 one
 * byte at a time, -1 random sizes 1..17, -2 split once at split.  Returns
 * the result of the last sse_feed (or -1 as soon as one failed); *pending
 * gets sse_pending at the end.
 */
static int
parse(const char *s, size_t n, size_t max, int chunk, size_t split,
    struct rec *r, int *pending)
{
	struct sse	sse;
	size_t		off = 0, k;
	int		rc = 0;

	sse_init(&sse, max, on_event, r);
	while (off < n && rc == 0) {
		if (chunk == 0)
			k = n;
		else if (chunk == 1)
			k = 1;
		else if (chunk == -2)
			k = off < split ? split - off : n - off;
		else
			k = 1 + rng(17);
		if (k > n - off)
			k = n - off;
		rc = sse_feed(&sse, s + off, k);
		off += k;
	}
	if (pending != NULL)
		*pending = sse_pending(&sse);
	sse_free(&sse);
	return rc;
}

static int
parse_str(const char *s, struct rec *r)
{
	rec_init(r);
	return parse(s, strlen(s), BIGCAP, 0, 0, r, NULL);
}

static const char openai_stream[] =
    "data: {\"id\":\"chatcmpl-9x\",\"object\":\"chat.completion.chunk\","
    "\"created\":1764300000,\"model\":\"gpt-4.1-mini\",\"choices\":[{\"index\""
    ":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\""
    ":null}],\"usage\":null}\n"
    "\n"
    ": OPENROUTER PROCESSING\n"
    "\n"
    "data: {\"id\":\"chatcmpl-9x\",\"object\":\"chat.completion.chunk\","
    "\"created\":1764300000,\"model\":\"gpt-4.1-mini\",\"choices\":[{\"index\""
    ":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}],\"usage\""
    ":null}\n"
    "\n"
    "data: {\"id\":\"chatcmpl-9x\",\"object\":\"chat.completion.chunk\","
    "\"created\":1764300000,\"model\":\"gpt-4.1-mini\",\"choices\":[{\"index\""
    ":0,\"delta\":{\"content\":\"lo, \\\"w\\u00f6rld\\\"\\n\"},"
    "\"finish_reason\":null}],\"usage\":null}\n"
    "\n"
    "data: {\"id\":\"chatcmpl-9x\",\"object\":\"chat.completion.chunk\","
    "\"created\":1764300000,\"model\":\"gpt-4.1-mini\",\"choices\":[{\"index\""
    ":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n"
    "\n"
    "data: {\"id\":\"chatcmpl-9x\",\"object\":\"chat.completion.chunk\","
    "\"created\":1764300000,\"model\":\"gpt-4.1-mini\",\"choices\":[],"
    "\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":5,"
    "\"total_tokens\":36,\"prompt_tokens_details\":{\"cached_tokens\":0},"
    "\"completion_tokens_details\":{\"reasoning_tokens\":0}}}\n"
    "\n"
    "data: [DONE]\n"
    "\n";

static const char anthropic_stream[] =
    "event: message_start\n"
    "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01XF\","
    "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":"
    "\"claude-haiku-4-5\",\"stop_reason\":null,\"stop_sequence\":null,"
    "\"usage\":{\"input_tokens\":25,\"cache_creation_input_tokens\":0,"
    "\"cache_read_input_tokens\":10,\"output_tokens\":1}}}\n"
    "\n"
    "event: content_block_start\n"
    "data: {\"type\":\"content_block_start\",\"index\":0,"
    "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n"
    "\n"
    "event: ping\n"
    "data: {\"type\": \"ping\"}\n"
    "\n"
    "event: content_block_delta\n"
    "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
    "{\"type\":\"text_delta\",\"text\":\"Hello\"}}\n"
    "\n"
    "event: content_block_delta\n"
    "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
    "{\"type\":\"text_delta\",\"text\":\", world\"}}\n"
    "\n"
    "event: content_block_stop\n"
    "data: {\"type\":\"content_block_stop\",\"index\":0}\n"
    "\n"
    "event: message_delta\n"
    "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
    "\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":15}}\n"
    "\n"
    "event: message_stop\n"
    "data: {\"type\":\"message_stop\"}\n"
    "\n";

/* s with every LF replaced by eol (caller frees). */
static char *
with_eol(const char *s, const char *eol)
{
	struct buf	b = BUF_INIT;

	for (; *s != '\0'; s++) {
		if (*s == '\n')
			buf_addstr(&b, eol);
		else
			buf_addch(&b, *s);
	}
	return buf_detach(&b, NULL);
}

/* Parse one stream every way and compare each with the whole LF parse. */
static void
test_boundaries(const char *name, const char *stream, size_t nevents,
    const char *first_event, const char *last_data)
{
	static const char *const eols[] = { "\n", "\r\n", "\r" };
	static const char *const eolname[] = { "LF", "CRLF", "CR" };
	struct rec	 ref, r;
	char		 what[160], *s;
	size_t		 n, i, e;
	int		 ok, rc, pending;

	rec_init(&ref);
	rc = parse(stream, strlen(stream), BIGCAP, 0, 0, &ref, &pending);
	snprintf(what, sizeof what, "%s: whole stream parses", name);
	CHECK(rc == 0 && !pending, what);
	snprintf(what, sizeof what, "%s: %zu events", name, nevents);
	CHECK(ref.n == nevents && ref.lenok, what);
	snprintf(what, sizeof what, "%s: first event is %s", name,
	    first_event);
	CHECK(ref.n > 0 && strcmp(ref.ev[0], first_event) == 0, what);
	snprintf(what, sizeof what, "%s: last data is %s", name, last_data);
	CHECK(ref.n > 0 && ref.n <= MAXREC && ref.data[ref.n - 1] != NULL &&
	    strcmp(ref.data[ref.n - 1], last_data) == 0, what);

	for (e = 0; e < 3; e++) {
		s = with_eol(stream, eols[e]);
		n = strlen(s);

		rec_init(&r);
		rc = parse(s, n, BIGCAP, 0, 0, &r, &pending);
		snprintf(what, sizeof what, "%s %s: whole", name, eolname[e]);
		CHECK(rc == 0 && !pending && rec_same(&ref, &r), what);
		rec_free(&r);

		rec_init(&r);
		rc = parse(s, n, BIGCAP, 1, 0, &r, &pending);
		snprintf(what, sizeof what, "%s %s: one byte at a time", name,
		    eolname[e]);
		CHECK(rc == 0 && !pending && rec_same(&ref, &r), what);
		rec_free(&r);

		ok = 1;
		for (i = 0; i < 200; i++) {
			rec_init(&r);
			rc = parse(s, n, BIGCAP, -1, 0, &r, &pending);
			if (rc != 0 || pending || !rec_same(&ref, &r))
				ok = 0;
			rec_free(&r);
		}
		snprintf(what, sizeof what, "%s %s: 200 random chunkings", name,
		    eolname[e]);
		CHECK(ok, what);

		ok = 1;
		for (i = 0; i <= n; i++) {
			rec_init(&r);
			rc = parse(s, n, BIGCAP, -2, i, &r, &pending);
			if (rc != 0 || pending || !rec_same(&ref, &r))
				ok = 0;
			rec_free(&r);
		}
		snprintf(what, sizeof what, "%s %s: split in two at every byte",
		    name, eolname[e]);
		CHECK(ok, what);
		free(s);
	}
	rec_free(&ref);
}

static void
test_anthropic_names(void)
{
	static const char *const names[] = { "message_start",
	    "content_block_start", "ping", "content_block_delta",
	    "content_block_delta", "content_block_stop", "message_delta",
	    "message_stop" };
	struct rec	r;
	size_t		i;
	int		ok;

	ok = parse_str(anthropic_stream, &r) == 0 && r.n == 8;
	for (i = 0; ok && i < 8; i++)
		if (strcmp(r.ev[i], names[i]) != 0)
			ok = 0;
	CHECK(ok, "anthropic: every event carries its own name");
	ok = r.n >= 4 && strcmp(r.data[3], "{\"type\":\"content_block_delta\","
	    "\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":"
	    "\"Hello\"}}") == 0;
	CHECK(ok, "anthropic: a data line comes out verbatim");
	rec_free(&r);
	ok = parse_str(openai_stream, &r) == 0 && r.n == 6;
	for (i = 0; ok && i < 6; i++)
		if (strcmp(r.ev[i], "message") != 0 || r.data[i][0] ==
		    '\0')
			ok = 0;
	CHECK(ok, "openai: six message events, the comment skipped");
	rec_free(&r);
}

static void
test_line_endings(void)
{
	struct sse	sse;
	struct rec	r;

	rec_init(&r);
	sse_init(&sse, BIGCAP, on_event, &r);
	CHECK(sse_feed(&sse, "data: a\r", 8) == 0, "CR at the end of a feed");
	CHECK(sse_feed(&sse, "\ndata: b\n", 9) == 0,
	    "LF at the start of the next");
	CHECK(r.n == 0, "CR LF across feeds is one line end, not a blank line");
	CHECK(sse_feed(&sse, "\r", 1) == 0 && r.n == 1 && r.data[0] != NULL &&
	    strcmp(r.data[0], "a\nb") == 0,
	    "then a CR alone dispatches \"a\\nb\"");
	CHECK(sse_feed(&sse, "\ndata: c\r\r", 10) == 0 && r.n == 2 &&
	    r.data[1] != NULL && strcmp(r.data[1], "c") == 0,
	    "the LF after that CR is swallowed, CR CR dispatches");
	CHECK(!sse_pending(&sse), "nothing pending");
	sse_free(&sse);
	rec_free(&r);

	CHECK(parse_str("data: a\rdata: b\r\r", &r) == 0 && r.n == 1 &&
	    strcmp(r.data[0], "a\nb") == 0, "CR-only line endings");
	rec_free(&r);
	CHECK(parse_str("data: a\r\ndata: b\r\n\r\n", &r) == 0 && r.n == 1 &&
	    strcmp(r.data[0], "a\nb") == 0, "CRLF line endings");
	rec_free(&r);
	CHECK(parse_str("data: a\ndata: b\r\n\r", &r) == 0 && r.n == 1 &&
	    strcmp(r.data[0], "a\nb") == 0, "mixed line endings");
	rec_free(&r);
	CHECK(parse_str("data: a\n\r\n\ndata: b\n\n", &r) == 0 && r.n == 2 &&
	    strcmp(r.data[0], "a") == 0 && strcmp(r.data[1], "b") == 0,
	    "extra blank lines dispatch nothing");
	rec_free(&r);
}

static void
test_fields(void)
{
	struct rec r;

	CHECK(parse_str(": comment\n:\ndata: x\n: in the middle\ndata: y\n\n",
	    &r) == 0 && r.n == 1 && strcmp(r.data[0], "x\ny") == 0,
	    "comment lines are ignored, even inside an event");
	rec_free(&r);
	CHECK(parse_str(": only a comment\n\n", &r) == 0 && r.n == 0,
	    "a comment and a blank line dispatch nothing");
	rec_free(&r);
	CHECK(parse_str("data: one\ndata: two\ndata: three\n\n", &r) == 0 &&
	    r.n == 1 && strcmp(r.data[0], "one\ntwo\nthree") == 0,
	    "multi-line data joined with \\n");
	rec_free(&r);
	CHECK(parse_str("data:x\n\n", &r) == 0 && r.n == 1 &&
	    strcmp(r.data[0], "x") == 0, "data:x without a space");
	rec_free(&r);
	CHECK(parse_str("data:  x \n\n", &r) == 0 && r.n == 1 &&
	    strcmp(r.data[0], " x ") == 0, "only one leading space is removed");
	rec_free(&r);
	CHECK(parse_str("data: a:b: c\n\n", &r) == 0 && r.n == 1 &&
	    strcmp(r.data[0], "a:b: c") == 0, "colons in the value are kept");
	rec_free(&r);
	CHECK(parse_str("data\n\n", &r) == 0 && r.n == 1 &&
	    strcmp(r.data[0], "") == 0 && strcmp(r.ev[0], "message") == 0,
	    "a data field without a colon dispatches empty data");
	rec_free(&r);
	CHECK(parse_str("data:\ndata:\n\n", &r) == 0 && r.n == 1 &&
	    strcmp(r.data[0], "\n") == 0, "two empty data lines: one newline");
	rec_free(&r);
	CHECK(parse_str("data: x\n\n", &r) == 0 && r.n == 1 &&
	    strcmp(r.ev[0], "message") == 0, "default event is message");
	rec_free(&r);
	CHECK(parse_str("event: foo\ndata: 1\n\ndata: 2\n\n", &r) == 0 &&
	    r.n == 2 && strcmp(r.ev[0], "foo") == 0 &&
	    strcmp(r.data[0], "1") == 0 && strcmp(r.ev[1], "message") == 0 &&
	    strcmp(r.data[1], "2") == 0, "event name reset after dispatch");
	rec_free(&r);
	CHECK(parse_str("event: foo\n\ndata: 3\n\n", &r) == 0 && r.n == 1 &&
	    strcmp(r.ev[0], "message") == 0 && strcmp(r.data[0], "3") == 0,
	    "an event name without data is dropped at the blank line");
	rec_free(&r);
	CHECK(parse_str("event: a\nevent: b\ndata: 4\n\n", &r) == 0 &&
	    r.n == 1 && strcmp(r.ev[0], "b") == 0, "the last event name wins");
	rec_free(&r);
	CHECK(parse_str("data: 5\nevent:late\n\n", &r) == 0 && r.n == 1 &&
	    strcmp(r.ev[0], "late") == 0, "event after data still names it");
	rec_free(&r);
	CHECK(parse_str("id: 7\nretry: 100\nfoo: bar\ndatax: no\nDATA: no\n"
	    "data: z\n\n", &r) == 0 && r.n == 1 &&
	    strcmp(r.data[0], "z") == 0, "other fields are ignored");
	rec_free(&r);
	CHECK(parse_str("data: {\"a\":\"\\u00e9 \xc3\xa9\"}\n\n", &r) == 0 &&
	    r.n == 1 && strcmp(r.data[0], "{\"a\":\"\\u00e9 \xc3\xa9\"}") == 0,
	    "bytes of the value are passed unchanged");
	rec_free(&r);
}

static void
test_pending(void)
{
	struct sse	sse;
	struct rec	r;

	rec_init(&r);
	sse_init(&sse, BIGCAP, on_event, &r);
	CHECK(!sse_pending(&sse), "fresh parser: nothing pending");
	CHECK(sse_feed(&sse, "data: x", 7) == 0 && sse_pending(&sse) &&
	    r.n == 0, "a partial line is pending");
	CHECK(sse_feed(&sse, "\n", 1) == 0 && sse_pending(&sse) && r.n == 0,
	    "a data line without a blank line: no dispatch, pending");
	CHECK(sse_feed(&sse, "data: y\n", 8) == 0 && r.n == 0,
	    "still no dispatch");
	CHECK(sse_feed(&sse, "\n", 1) == 0 && r.n == 1 && !sse_pending(&sse) &&
	    strcmp(r.data[0], "x\ny") == 0, "the blank line dispatches");
	CHECK(sse_feed(&sse, "", 0) == 0 && r.n == 1, "an empty feed is fine");
	CHECK(sse_feed(&sse, ": keep-alive\n", 13) == 0 && !sse_pending(&sse),
	    "a comment leaves nothing pending");
	CHECK(sse_feed(&sse, "data: [DONE]\n", 13) == 0 && r.n == 1 &&
	    sse_pending(&sse), "a cut-off stream: the last event is pending");
	sse_free(&sse);
	rec_free(&r);
}

static void
test_cap(void)
{
	struct sse	sse;
	struct rec	r;
	char		big[256], what[128];
	size_t		i, len;
	int		rc_whole, rc_bytes;

	memset(big, 'x', sizeof big);

	/* One data line over the cap. */
	rec_init(&r);
	sse_init(&sse, 64, on_event, &r);
	CHECK(sse_feed(&sse, "data: ", 6) == 0, "cap: start of a long line");
	errno = 0;
	CHECK(sse_feed(&sse, big, 100) == -1 && errno == EFBIG,
	    "cap: a 100-byte line under a 64-byte cap fails with EFBIG");
	CHECK(sse_feed(&sse, "\n\ndata: ok\n\n", 12) == -1 && r.n == 0,
	    "cap: further feeds fail and dispatch nothing");
	sse_free(&sse);
	rec_free(&r);

	/* The same, in a single feed. */
	rec_init(&r);
	sse_init(&sse, 64, on_event, &r);
	{
		char line[128];

		memcpy(line, "data: ", 6);
		memcpy(line + 6, big, 100);
		memcpy(line + 106, "\n\n", 2);
		errno = 0;
		CHECK(sse_feed(&sse, line, 108) == -1 && errno == EFBIG &&
		    r.n == 0, "cap: over the cap in one feed fails");
	}
	CHECK(sse_feed(&sse, "data: ok\n\n", 10) == -1 && r.n == 0,
	    "cap: and stays failed");
	sse_free(&sse);
	rec_free(&r);

	/* Many short data lines adding up past the cap. */
	rec_init(&r);
	sse_init(&sse, 64, on_event, &r);
	for (i = 0; i < 10; i++)
		if (sse_feed(&sse, "data: 0123456789\n", 17) == -1)
			break;
	CHECK(i < 10 && r.n == 0,
	    "cap: many data lines of one event add up to the cap");
	sse_free(&sse);
	rec_free(&r);

	/* Small events under the cap, many of them: the cap is per event. */
	rec_init(&r);
	sse_init(&sse, 64, on_event, &r);
	for (i = 0; i < 50; i++)
		if (sse_feed(&sse, "data: 0123456789012345678901234567890\n\n",
		    39) == -1)
			break;
	CHECK(i == 50 && r.n == 50, "cap: it applies per event, not in total");
	sse_free(&sse);
	rec_free(&r);

	/*
	 * Found as a bug: the cap used to depend on the read boundaries.  A
	 * line completed within one feed was checked only against the data
	 * buffer (value + '\n' <= max), but a line split across feeds was
	 * first collected in s->line, capped at max including its "data: "
	 * prefix, so with a 64-byte cap an event of 59..63 data bytes was
	 * accepted when it arrived in one read and refused (EFBIG) when it
	 * arrived a byte at a time.
	 */
	snprintf(what, sizeof what, "cap: every event size 50..70 under a "
	    "64-byte cap has the same outcome whole and byte by byte");
	for (len = 50; len <= 70; len++) {
		char line[128];

		memcpy(line, "data: ", 6);
		memcpy(line + 6, big, len);
		memcpy(line + 6 + len, "\n\n", 2);
		rec_init(&r);
		rc_whole = parse(line, len + 8, 64, 0, 0, &r, NULL);
		rec_free(&r);
		rec_init(&r);
		rc_bytes = parse(line, len + 8, 64, 1, 0, &r, NULL);
		rec_free(&r);
		if (rc_whole != rc_bytes) {
			snprintf(what, sizeof what, "cap: a %zu-byte event under "
			    "a 64-byte cap has the same outcome whole (%d) and "
			    "byte by byte (%d)", len, rc_whole, rc_bytes);
			break;
		}
	}
	CHECK(len > 70, what);
	rec_init(&r);
	CHECK(parse(": tiny\n\ndata: 0123456789\n\n", 26, 64, 1, 0, &r, NULL) ==
	    0 && r.n == 1, "cap: short events fed byte by byte are fine");
	rec_free(&r);

	/*
	 * Regression: a comment line longer than the cap once failed the
	 * stream when split across reads, being buffered before it was known
	 * to be a comment; it is now dropped as it arrives.
	 */
	{
		char line[160];

		line[0] = ':';
		memcpy(line + 1, big, 120);
		memcpy(line + 121, "\ndata: ok\n\n", 11);
		rec_init(&r);
		rc_whole = parse(line, 132, 64, 0, 0, &r, NULL);
		rec_free(&r);
		rec_init(&r);
		rc_bytes = parse(line, 132, 64, 1, 0, &r, NULL);
		snprintf(what, sizeof what, "cap: a 121-byte comment line under "
		    "a 64-byte cap: same outcome whole (%d) and byte by byte "
		    "(%d)", rc_whole, rc_bytes);
		CHECK(rc_whole == 0 && rc_bytes == 0 && r.n == 1, what);
		rec_free(&r);
	}

	/*
	 * Regression: the line buffer's slack (max + 8) once wrapped around
	 * for BUF_NOLIMIT, leaving a 7-byte cap.
	 */
	rec_init(&r);
	CHECK(parse(openai_stream, strlen(openai_stream), BUF_NOLIMIT, 1, 0,
	    &r, NULL) == 0 && r.n == 6,
	    "cap: BUF_NOLIMIT, fed byte by byte, parses the stream");
	rec_free(&r);
}

static void
test_stop(void)
{
	struct sse	sse;
	struct rec	r;
	const char	*s = "data: 1\n\ndata: 2\n\ndata: 3\n\n";

	rec_init(&r);
	r.stop_at = 2;
	sse_init(&sse, BIGCAP, on_event, &r);
	CHECK(sse_feed(&sse, s, strlen(s)) == -1, "callback -1: feed fails");
	CHECK(r.n == 2, "callback -1: no event after it");
	CHECK(sse_feed(&sse, "data: 4\n\n", 9) == -1 && r.n == 2,
	    "callback -1: further feeds fail");
	sse_free(&sse);
	rec_free(&r);

	rec_init(&r);
	r.stop_at = 1;
	sse_init(&sse, BIGCAP, on_event, &r);
	CHECK(sse_feed(&sse, "data: 1\n", 8) == 0, "stop: first line");
	CHECK(sse_feed(&sse, "\ndata: 2\n\n", 10) == -1 && r.n == 1,
	    "callback -1 mid-feed stops the rest of that feed");
	sse_free(&sse);
	rec_free(&r);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_boundaries("openai", openai_stream, 6, "message", "[DONE]");
	test_boundaries("anthropic", anthropic_stream, 8, "message_start",
	    "{\"type\":\"message_stop\"}");
	test_anthropic_names();
	test_line_endings();
	test_fields();
	test_pending();
	test_cap();
	test_stop();
	return unit_done();
}
