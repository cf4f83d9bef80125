/*
 * retry.c: the retry policy.  retry_classify() maps every way an attempt
 * can end to one outcome, so the caller's loop decides retries and
 * fallbacks from that alone.  The first row that matches decides:
 *
 *   the response passed the size cap             the model failed
 *   an error event in the stream,
 *   a stream event that is not valid            retry
 *   connection failures, timeouts, stalls,
 *   resets and other transport errors           retry
 *   response headers past their size limit      the model failed
 *   the transfer stopped by the caller,
 *   a request that could not start              the request is wrong: stop
 *   2xx, stream cut before its end marker,
 *   2xx body that is not a response             retry
 *   2xx with a usable body                      ok
 *   429 insufficient_quota, Anthropic 429
 *   without Retry-After (a spend cap)           the model failed: fall back
 *   429 rate limit                              retry (after Retry-After)
 *   401, or an error of type or code
 *   authentication_error, invalid_api_key       the key is refused: fall back
 *   403, or permission_error                    permission denied: fall back
 *   3xx redirects (never followed),
 *   402 404                                     the model failed: fall back
 *   408, 5xx (500 502 503 504 529...)           retry
 *   400 413 422 and other statuses              the request is wrong: stop
 *
 * Whatever the outcome, a 429 also says the provider is rate limited.
 * An error type or code of authentication or permission decides over its
 * status (a gateway may send it with a 400 or a 500), except where the
 * body or the transfer decides.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/num.h"
#include "base/timefmt.h"
#include "call/retry.h"

#include "base/banned.h"

#define HTTP_TOO_MANY_REQUESTS	429

/* "Sun, 06 Nov 1994 08:49:37 GMT": the length of an IMF-fixdate. */
#define IMF_FIXDATE_LEN		29
#define IMF_COMMA		3	/* after the day's name */
#define IMF_FIELDS		6	/* day, month, year, h, m, s */
#define SECONDS_PER_MINUTE	60L
#define SECONDS_PER_HOUR	3600L
#define SECONDS_PER_DAY		86400L
#define MS_PER_SECOND		1000

/* The longest delta-seconds value taken (about 31 years). */
#define RETRY_AFTER_MAX		1e9

/* A Retry-After value longer than this is not one. */
#define RETRY_AFTER_VALUE_MAX	128

/* Backoff doubles at most this many times, so 2^n stays finite. */
#define BACKOFF_MAX_DOUBLINGS	30

static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May",
    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

#define NMONTHS	(sizeof months / sizeof months[0])

/* The outcome of a body's state, when that state decides (body_decides). */
static const struct body_rule {
	enum outcome	 outcome;
	int		 needs_success;	/* counts only after a whole 2xx */
} body_rules[] = {
	[RETRY_BODY_OK] =		{ .outcome = OUTCOME_OK },
	[RETRY_BODY_TOOBIG] =		{ .outcome = OUTCOME_MODEL },
	[RETRY_BODY_STREAM_ERROR] =	{ .outcome = OUTCOME_RETRY },
	[RETRY_BODY_BAD_EVENT] =	{ .outcome = OUTCOME_RETRY },
	[RETRY_BODY_CUT] =		{ .outcome = OUTCOME_RETRY,
					  .needs_success = 1 },
	[RETRY_BODY_BAD] =		{ .outcome = OUTCOME_RETRY,
					  .needs_success = 1 },
};

/* The outcome of a transfer that ended without a whole response. */
static const enum outcome fail_rules[] = {
	[HTTP_OK] =		OUTCOME_OK,
	[HTTP_CONNECT] =	OUTCOME_RETRY,
	[HTTP_TIMEOUT] =	OUTCOME_RETRY,
	[HTTP_STALL] =		OUTCOME_RETRY,
	[HTTP_NETWORK] =	OUTCOME_RETRY,
	[HTTP_ABORTED] =	OUTCOME_REQUEST,
	/* The server's doing, like a body past the cap: fall back. */
	[HTTP_HEADERS] =	OUTCOME_MODEL,
	[HTTP_LOCAL] =		OUTCOME_REQUEST,
};

/*
 * The outcome of a status other than 429 (rate_limit() has that one): the
 * first row whose range holds it, else the request is at fault.
 */
static const struct status_rule {
	long		 lo, hi;
	enum outcome	 outcome;
	enum retry_auth	 auth;
	const char	*words;		/* said after "HTTP nnn: " */
} status_rules[] = {
	{ .lo = 200, .hi = 299, .outcome = OUTCOME_OK },
	{ .lo = 300, .hi = 399, .outcome = OUTCOME_MODEL,
	  .words = "a redirect, not followed" },
	{ .lo = 401, .hi = 401, .outcome = OUTCOME_MODEL,
	  .auth = RETRY_AUTH_KEY },
	{ .lo = 402, .hi = 402, .outcome = OUTCOME_MODEL },
	{ .lo = 403, .hi = 403, .outcome = OUTCOME_MODEL,
	  .auth = RETRY_AUTH_DENIED },
	{ .lo = 404, .hi = 404, .outcome = OUTCOME_MODEL },
	{ .lo = 408, .hi = 408, .outcome = OUTCOME_RETRY },
	{ .lo = 500, .hi = LONG_MAX, .outcome = OUTCOME_RETRY },
};

/*
 * The error types and codes that refuse the key, whatever the status:
 * Anthropic's types, OpenAI's code for a wrong key.
 */
static const struct auth_rule {
	const char	*name;
	enum retry_auth	 auth;
} auth_rules[] = {
	{ "authentication_error", RETRY_AUTH_KEY },
	{ "invalid_api_key", RETRY_AUTH_KEY },
	{ "permission_error", RETRY_AUTH_DENIED },
};

/* Parse an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") to epoch seconds. */
static int
http_date(const char *s, time_t *out)
{
	char		mon[4];
	unsigned	d, y, hh, mm, ss, i;
	int		n = 0;

	if (strlen(s) < IMF_FIXDATE_LEN || s[IMF_COMMA] != ',')
		return -1;
	s += IMF_COMMA + 1;
	if (sscanf(s, " %2u %3s %4u %2u:%2u:%2u GMT%n", &d, mon, &y, &hh, &mm,
	    &ss, &n) != IMF_FIELDS || n == 0 || s[n] != '\0')
		return -1;
	for (i = 0; i < NMONTHS; i++)
		if (strcmp(mon, months[i]) == 0)
			break;
	/* A leap second (:60) is allowed. */
	if (i == NMONTHS || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60)
		return -1;
	*out = (time_t)(timefmt_days((long)y, i + 1, d) * SECONDS_PER_DAY +
	    hh * SECONDS_PER_HOUR + mm * SECONDS_PER_MINUTE + ss);
	return 0;
}

double
retry_after_parse(const char *value, time_t now)
{
	double	v;
	time_t	t;

	while (*value == ' ' || *value == '\t')
		value++;
	if (num_parse_double(value, 0, RETRY_AFTER_MAX, &v) == 0)
		return v;
	if (http_date(value, &t) == 0)
		return t > now ? (double)(t - now) : 0;
	return -1;
}

/*
 * The value of header line (len bytes) through retry_after_parse when the
 * line is header name (given with its colon); else, or when the value
 * does not parse, -1.
 */
static double
header_value(const char *line, size_t len, const char *name, time_t now)
{
	char	v[RETRY_AFTER_VALUE_MAX];
	size_t	n = strlen(name);

	if (len <= n || strncasecmp(line, name, n) != 0)
		return -1;
	len -= n;
	if (len > sizeof v - 1)
		len = sizeof v - 1;
	memcpy(v, line + n, len);
	v[len] = '\0';
	return retry_after_parse(v, now);
}

void
retry_after_header(struct retry_wait *w, const char *line, size_t len,
    time_t now)
{
	static const char status_line[] = "HTTP/";
	double d;

	if (len >= sizeof status_line - 1 &&
	    memcmp(line, status_line, sizeof status_line - 1) == 0) {
		w->from = RETRY_AFTER_NONE;
		w->seconds = 0;
		return;
	}
	if ((d = header_value(line, len, "retry-after-ms:", now)) >= 0) {
		w->seconds = d / MS_PER_SECOND;
		w->from = RETRY_AFTER_MS;
	} else if (w->from < RETRY_AFTER_MS &&
	    (d = header_value(line, len, "retry-after:", now)) >= 0) {
		w->seconds = d;
		w->from = RETRY_AFTER_SECONDS;
	}
}

/* Whether the transfer brought a whole 2xx response. */
static int
success(const struct http_result *h)
{
	return h->fail == HTTP_OK && http_success(h->status);
}

/* Whether the body's state decides the outcome (body_rules). */
static int
body_decides(const struct retry_end *end)
{
	if (end->body == RETRY_BODY_OK)
		return 0;
	return !body_rules[end->body].needs_success || success(end->http);
}

/* The row of status_rules that holds status, or NULL. */
static const struct status_rule *
status_rule(long status)
{
	const struct status_rule	*r;
	size_t				 i;

	for (i = 0; i < sizeof status_rules / sizeof status_rules[0]; i++) {
		r = &status_rules[i];
		if (status >= r->lo && status <= r->hi)
			return r;
	}
	return NULL;
}

/*
 * A 429: a rate limit to wait out, unless it is a spent quota (OpenAI
 * says insufficient_quota; Anthropic sends no Retry-After with a spend
 * cap), which waiting will not mend.
 */
static enum outcome
rate_limit(const struct retry_end *end)
{
	const struct wire_error *e = end->error;

	if (strcmp(e->code, "insufficient_quota") == 0 ||
	    strcmp(e->type, "insufficient_quota") == 0)
		return OUTCOME_MODEL;
	if (end->wire == WIRE_ANTHROPIC && end->retry_after == RETRY_AFTER_NONE)
		return OUTCOME_MODEL;
	return OUTCOME_RETRY;
}

/* How the error the server sent refuses the key, if its words do. */
static enum retry_auth
auth_words(const struct wire_error *e)
{
	size_t i;

	for (i = 0; i < sizeof auth_rules / sizeof auth_rules[0]; i++)
		if (strcmp(e->type, auth_rules[i].name) == 0 ||
		    strcmp(e->code, auth_rules[i].name) == 0)
			return auth_rules[i].auth;
	return RETRY_AUTH_NONE;
}

struct retry_verdict
retry_classify(const struct retry_end *end)
{
	const struct http_result	*h = end->http;
	const struct status_rule	*rule;
	struct retry_verdict		 v;

	v.rate_limited = h->fail == HTTP_OK &&
	    h->status == HTTP_TOO_MANY_REQUESTS;
	v.auth = RETRY_AUTH_NONE;
	if (body_decides(end))
		v.outcome = body_rules[end->body].outcome;
	else if (h->fail != HTTP_OK)
		v.outcome = fail_rules[h->fail];
	else if (!http_success(h->status) &&
	    (v.auth = auth_words(end->error)) != RETRY_AUTH_NONE)
		v.outcome = OUTCOME_MODEL;
	else if (h->status == HTTP_TOO_MANY_REQUESTS)
		v.outcome = rate_limit(end);
	else if ((rule = status_rule(h->status)) != NULL) {
		v.outcome = rule->outcome;
		v.auth = rule->auth;
	} else
		v.outcome = OUTCOME_REQUEST;
	return v;
}

/* The words for a body whose state decides the outcome. */
static void
describe_body(const struct retry_end *end, char *buf, size_t len)
{
	const struct wire_error *e = end->error;

	switch (end->body) {
	case RETRY_BODY_TOOBIG:
		snprintf(buf, len, "response larger than %zu bytes",
		    end->max_response);
		break;
	case RETRY_BODY_STREAM_ERROR:
		snprintf(buf, len, "error in the stream: %s%s%s", e->message,
		    e->type[0] != '\0' ? " " : "", e->type);
		break;
	case RETRY_BODY_BAD_EVENT:
		snprintf(buf, len, "malformed stream data");
		break;
	case RETRY_BODY_CUT:
		snprintf(buf, len, "the stream ended before its end marker");
		break;
	case RETRY_BODY_BAD:
		snprintf(buf, len, "malformed response body");
		break;
	case RETRY_BODY_OK:
		snprintf(buf, len, "HTTP %ld", end->http->status);
		break;
	}
}

char *
retry_describe(const struct retry_end *end, char *buf, size_t len)
{
	const struct http_result	*h = end->http;
	const struct wire_error		*e = end->error;
	const struct status_rule	*rule = status_rule(h->status);

	if (body_decides(end))
		describe_body(end, buf, len);
	else if (h->fail != HTTP_OK)
		snprintf(buf, len, "%s", h->error);
	else if (rule != NULL && rule->words != NULL)
		snprintf(buf, len, "HTTP %ld: %s", h->status, rule->words);
	else if (e->message[0] != '\0')
		snprintf(buf, len, "HTTP %ld: %s%s%s%s", h->status, e->message,
		    e->code[0] != '\0' ? " (" : "", e->code,
		    e->code[0] != '\0' ? ")" : "");
	else
		snprintf(buf, len, "HTTP %ld", h->status);
	return buf;
}

double
retry_backoff(int attempt, double base, double cap, struct rng *rng)
{
	double	ceiling = base * ldexp(1.0, attempt > BACKOFF_MAX_DOUBLINGS ?
	    BACKOFF_MAX_DOUBLINGS : attempt - 1);
	double	u;

	if (ceiling > cap)
		ceiling = cap;
	u = rng_uniform(rng);
	return u * ceiling;
}
