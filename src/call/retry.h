/*
 * retry.h: what to do after an attempt, decided in one place.
 *
 * The engine describes how an attempt ended in a struct retry_end (the
 * transfer's result, the error the server sent, the server's wait, what
 * became of the body) and acts only on what retry_classify() makes of
 * it; retry_describe() gives the words for the same verdict.
 */
#ifndef LLMROUTE_RETRY_H
#define LLMROUTE_RETRY_H

#include <stddef.h>
#include <time.h>

#include "base/rng.h"
#include "route/config.h"
#include "call/http.h"
#include "call/wire.h"

enum outcome {
	OUTCOME_OK,
	OUTCOME_RETRY,		/* transient: try the same model again */
	OUTCOME_MODEL,		/* this model failed for good: fall back */
	OUTCOME_REQUEST		/* the request itself is at fault: stop */
};

/*
 * Which header told how long to wait.  The order matters: a later kind
 * beats an earlier one, so retry-after-ms wins over Retry-After whatever
 * order they come in.
 */
enum retry_after_from {
	RETRY_AFTER_NONE,
	RETRY_AFTER_SECONDS,	/* Retry-After: seconds or an HTTP date */
	RETRY_AFTER_MS		/* retry-after-ms (OpenAI, Azure) */
};

/* The wait a response asked for. */
struct retry_wait {
	enum retry_after_from	 from;
	double			 seconds;	/* 0 when from is NONE */
};

/* What became of the response body, as far as it was read. */
enum retry_body {
	RETRY_BODY_OK,		/* nothing wrong seen */
	RETRY_BODY_TOOBIG,	/* passed the response size cap */
	RETRY_BODY_STREAM_ERROR, /* the stream carried an error event */
	RETRY_BODY_BAD_EVENT,	/* a stream event that is not valid */
	/* These two describe a 2xx response that arrived whole: */
	RETRY_BODY_CUT,		/* the stream ended before its end marker */
	RETRY_BODY_BAD		/* the body is not a response */
};

/* How an attempt ended: everything the retry policy looks at. */
struct retry_end {
	enum wire			 wire;
	const struct http_result	*http;
	/*
	 * The error the server sent: the body of a response that is not a
	 * success, or the stream's error event; all empty when none.
	 */
	const struct wire_error		*error;
	enum retry_after_from		 retry_after;
	enum retry_body			 body;
	size_t				 max_response;	/* the cap, for words */
};

/*
 * Whether the server refused the key: an authentication failure (401,
 * authentication_error, invalid_api_key) says the key itself is wrong,
 * for every model of the provider; a permission failure (403,
 * permission_error) that the key may not do this, which can be the
 * model's doing.  Either way the model failed (OUTCOME_MODEL), and
 * waiting will not mend it.
 */
enum retry_auth {
	RETRY_AUTH_NONE,
	RETRY_AUTH_KEY,		/* the key is not accepted */
	RETRY_AUTH_DENIED	/* the key may not do this */
};

/* What to do about an attempt's end. */
struct retry_verdict {
	enum outcome	 outcome;
	int		 rate_limited;	/* a 429: the provider wants fewer
					   calls at once, whatever follows */
	enum retry_auth	 auth;		/* the key was refused */
};

/*
 * The seconds a Retry-After value asks to wait: delta-seconds, or an HTTP
 * date (RFC 9110, 10.2.3) taken relative to now (a date in the past gives
 * 0).  Leading blanks are skipped.  Returns -1 when value is neither.
 */
double			retry_after_parse(const char *value, time_t now);

/*
 * Take one response header line (len bytes, without its CRLF; not
 * NUL-terminated) into w.  A status line ("HTTP/...") begins a new
 * response, after a redirect or a 100 Continue, and forgets the wait so
 * far; a retry-after-ms or Retry-After line (names in any case) with a
 * value that parses sets it, as enum retry_after_from orders them.  Other
 * lines leave w alone.  w must start zeroed.
 */
void			retry_after_header(struct retry_wait *w,
			    const char *line, size_t len, time_t now);

/*
 * Classify the end of an attempt by the table at the top of retry.c.
 * end and what it points to stay the caller's.  Never fails.
 */
struct retry_verdict	retry_classify(const struct retry_end *end);

/*
 * Put into buf (len bytes, NUL-terminated, truncated to fit) the words
 * for the verdict retry_classify gives end, without the model's name:
 * "HTTP 503: overloaded (server_busy)", "malformed stream data"...
 * Returns buf.
 */
char			*retry_describe(const struct retry_end *end,
			    char *buf, size_t len);

/*
 * Seconds to wait before retry number attempt (1 for the first retry):
 * exponential backoff base * 2^(attempt-1), capped at cap, with full
 * jitter (uniform in [0, that]), drawn from rng, which it advances.
 */
double			retry_backoff(int attempt, double base, double cap,
			    struct rng *rng);

#endif
