/*
 * retry.c: the retry policy.  retry_classify() maps every way an attempt
 * can end to one outcome, so the caller's loop decides retries and
 * fallbacks from that alone:
 *
 *   2xx with a usable body                  ok
 *   connection failures, timeouts, stalls,
 *   resets, 5xx (500 502 503 504 529...),
 *   a 2xx body that is not a response       retry
 *   429 rate limit                          retry (after Retry-After)
 *   429 insufficient_quota, Anthropic 429
 *   without Retry-After (a spend cap),
 *   401 402 403 404, redirects, too large   the model failed: fall back
 *   400 413 422 and other 4xx               the request is wrong: stop
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/num.h"
#include "call/retry.h"
#include "base/timefmt.h"

#include "base/banned.h"

static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May",
    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* Parse an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") to epoch seconds. */
static int
http_date(const char *s, time_t *out)
{
	char		mon[4];
	unsigned	d, y, hh, mm, ss, i;
	int		n = 0;

	if (strlen(s) < 29 || s[3] != ',')
		return -1;
	if (sscanf(s + 4, " %2u %3s %4u %2u:%2u:%2u GMT%n", &d, mon, &y, &hh,
	    &mm, &ss, &n) != 6 || n == 0 || s[4 + n] != '\0')
		return -1;
	for (i = 0; i < 12; i++)
		if (strcmp(mon, months[i]) == 0)
			break;
	if (i == 12 || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60)
		return -1;
	*out = (time_t)(timefmt_days((long)y, i + 1, d) * 86400L +
	    hh * 3600L + mm * 60L + ss);
	return 0;
}

/*
 * Seconds to wait from a Retry-After value: delta-seconds or an HTTP date
 * (RFC 9110, 10.2.3) taken relative to now.  Returns -1 when the value is
 * neither; a date in the past gives 0.
 */
double
retry_after_parse(const char *s, time_t now)
{
	double	v;
	time_t	t;

	while (*s == ' ' || *s == '\t')
		s++;
	if (num_parse_double(s, 0, 1e9, &v) == 0)
		return v;
	if (http_date(s, &t) == 0)
		return t > now ? (double)(t - now) : 0;
	return -1;
}

/* Classify an attempt's end; see the table at the top of this file. */
enum outcome
retry_classify(enum wire w, const struct http_result *res,
    const struct wire_error *e, int has_retry_after)
{
	long st = res->status;

	switch (res->fail) {
	case HTTP_OK:
		break;
	case HTTP_TOOBIG:
		return OUTCOME_MODEL;
	case HTTP_LOCAL:
	case HTTP_ABORTED:
		return OUTCOME_REQUEST;
	default:
		return OUTCOME_RETRY;
	}
	if (st >= 200 && st < 300)
		return OUTCOME_OK;
	if (st == 429) {
		if (strcmp(e->code, "insufficient_quota") == 0 ||
		    strcmp(e->type, "insufficient_quota") == 0)
			return OUTCOME_MODEL;
		if (w == WIRE_ANTHROPIC && !has_retry_after)
			return OUTCOME_MODEL;
		return OUTCOME_RETRY;
	}
	if (st >= 500 || st == 408)
		return OUTCOME_RETRY;
	if (st == 401 || st == 402 || st == 403 || st == 404 ||
	    (st >= 300 && st < 400))
		return OUTCOME_MODEL;
	return OUTCOME_REQUEST;
}

/*
 * Seconds to wait before retry number attempt (1 for the first retry):
 * exponential backoff base * 2^(attempt-1), capped at cap, with full
 * jitter (uniform in [0, that]), drawn from the caller's generator.
 */
double
retry_backoff(int attempt, double base, double cap, struct rng *rng)
{
	double	ceiling = base * ldexp(1.0, attempt > 30 ? 30 : attempt - 1);
	double	u;

	if (ceiling > cap)
		ceiling = cap;
	u = rng_uniform(rng);
	return u * ceiling;
}
