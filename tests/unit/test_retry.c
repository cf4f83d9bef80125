/*
 * test_retry.c: Retry-After parsing, the outcome of every way an attempt
 * can end for both wire formats, and backoff with full jitter.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "call/http.h"
#include "call/wire.h"
#include "call/retry.h"
#include "unit.h"

/* Sun, 06 Nov 1994 08:49:37 GMT, RFC 9110's example date. */
#define RFC_NOW	((time_t)784111777)

/* t as an IMF-fixdate, in the C locale's names. */
static void
imf(char *out, size_t len, time_t t)
{
	static const char *const wd[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(out, len, "%s, %02d %s %04d %02d:%02d:%02d GMT",
	    wd[tm.tm_wday], tm.tm_mday, mon[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void
test_after_parse(void)
{
	static const time_t dates[] = {
		0,			/* 1970-01-01 */
		68169600,		/* 1972-02-29, a leap day */
		951782400,		/* 2000-02-29 */
		951868800,		/* 2000-03-01 */
		1704067199,		/* 2023-12-31 23:59:59 */
		1709164800,		/* 2024-02-29 */
		1764300000,
		2147483647,		/* 2038-01-19 03:14:07 */
		4107542400,		/* 2100-03-01: not a leap year */
		4102444799,		/* 2099-12-31 23:59:59 */
	};
	static const char *const bad[] = {
		"abc", "", " ", "-1", "1e10", "nan", "inf", "2s", "1,5",
		"0x10",
		"Sun, 06 Nov 1994 08:49:37 UTC",
		"Sun, 06 Nov 1994 08:49:37 gmt",
		"Sun, 06 Foo 1994 08:49:37 GMT",
		"Sun, 06 nov 1994 08:49:37 GMT",
		"Sun, 32 Nov 1994 08:49:37 GMT",
		"Sun, 00 Nov 1994 08:49:37 GMT",
		"Sun, 06 Nov 1994 24:49:37 GMT",
		"Sun, 06 Nov 1994 08:60:37 GMT",
		"Sun, 06 Nov 1994 08:49:61 GMT",
		"Sun, 06 Nov 1994 08:49:37 GMT junk",
		"Sun, 06 Nov 1994 08:49:37 GMTX",
		"Sun, 06 Nov 1994 08:49:37",
		"Sun, 06 Nov 1994",
		"Sunday 06 Nov 1994 08:49:37 GMT",
		"Sun 06 Nov 1994 08:49:37 GMT xx",
		"Sun, 06 Nov 1994 08-49-37 GMT",
	};
	char	what[160], date[64];
	size_t	i;
	int	ok;

	CHECK(retry_after_parse("2", RFC_NOW) == 2, "\"2\" is 2 s");
	CHECK(retry_after_parse(" 0.5", RFC_NOW) == 0.5, "\" 0.5\" is 0.5 s");
	CHECK(retry_after_parse("\t3", RFC_NOW) == 3, "leading tab skipped");
	CHECK(retry_after_parse("0", RFC_NOW) == 0, "\"0\" is 0 s");
	CHECK(retry_after_parse("120", RFC_NOW) == 120, "\"120\" is 120 s");
	CHECK(retry_after_parse("abc", RFC_NOW) == -1, "\"abc\" is -1");

	CHECK(retry_after_parse("Sun, 06 Nov 1994 08:49:47 GMT", RFC_NOW) ==
	    10, "an IMF-fixdate 10 s after now gives 10");
	CHECK(retry_after_parse("Sun, 06 Nov 1994 08:49:37 GMT", RFC_NOW) ==
	    0, "a date equal to now gives 0");
	CHECK(retry_after_parse("Sun, 06 Nov 1994 08:48:37 GMT", RFC_NOW) ==
	    0, "a date in the past gives 0");
	CHECK(retry_after_parse("Mon, 07 Nov 1994 08:49:37 GMT", RFC_NOW) ==
	    86400, "a date one day ahead gives 86400");
	CHECK(retry_after_parse("Thu, 01 Jan 1970 00:00:00 GMT", RFC_NOW) ==
	    0, "the epoch is in the past");
	CHECK(retry_after_parse("  Sun, 06 Nov 1994 08:50:37 GMT", RFC_NOW) ==
	    60, "a date after leading spaces");

	ok = 1;
	for (i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		imf(date, sizeof date, dates[i]);
		if (retry_after_parse(date, dates[i] - 10) != 10 ||
		    retry_after_parse(date, dates[i] - 86400 * 400) !=
		    86400 * 400 ||
		    retry_after_parse(date, dates[i]) != 0 ||
		    retry_after_parse(date, dates[i] + 1) != 0) {
			ok = 0;
			snprintf(what, sizeof what, "dates: %s is wrong", date);
		}
	}
	if (ok)
		snprintf(what, sizeof what,
		    "dates 1970..2100 incl. leap days convert exactly");
	CHECK(ok, what);

	{
		unsigned long	x = 99;
		time_t		t;

		ok = 1;
		for (i = 0; i < 2000 && ok; i++) {
			x = x * 6364136223846793005UL + 1;
			t = (time_t)((x >> 20) % 4102444800UL);
			imf(date, sizeof date, t);
			if (retry_after_parse(date, t - 7) != 7)
				ok = 0;
		}
		CHECK(ok, "2000 random dates 1970..2100 convert exactly");
	}

	ok = 1;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (retry_after_parse(bad[i], RFC_NOW) != -1) {
			snprintf(what, sizeof what, "wrong format \"%s\" gives -1",
			    bad[i]);
			CHECK(0, what);
			ok = 0;
		}
	CHECK(ok, "wrong formats give -1");
}

static enum outcome
cls(enum wire w, enum http_fail f, long status, const char *type,
    const char *code, int ra)
{
	struct http_result	res;
	struct wire_error	e;

	memset(&res, 0, sizeof res);
	memset(&e, 0, sizeof e);
	res.fail = f;
	res.status = status;
	snprintf(e.type, sizeof e.type, "%s", type);
	snprintf(e.code, sizeof e.code, "%s", code);
	return retry_classify(w, &res, &e, ra);
}

static const char *
oname(enum outcome o)
{
	switch (o) {
	case OUTCOME_OK:	return "ok";
	case OUTCOME_RETRY:	return "retry";
	case OUTCOME_MODEL:	return "model";
	case OUTCOME_REQUEST:	return "request";
	}
	return "?";
}

static void
test_classify(void)
{
	static const struct {
		long		 status;
		enum outcome	 o;
	} plain[] = {
		{ 200, OUTCOME_OK }, { 201, OUTCOME_OK }, { 204, OUTCOME_OK },
		{ 400, OUTCOME_REQUEST }, { 401, OUTCOME_MODEL },
		{ 402, OUTCOME_MODEL }, { 403, OUTCOME_MODEL },
		{ 404, OUTCOME_MODEL }, { 408, OUTCOME_RETRY },
		{ 413, OUTCOME_REQUEST }, { 422, OUTCOME_REQUEST },
		{ 409, OUTCOME_REQUEST }, { 418, OUTCOME_REQUEST },
		{ 500, OUTCOME_RETRY }, { 502, OUTCOME_RETRY },
		{ 503, OUTCOME_RETRY }, { 504, OUTCOME_RETRY },
		{ 529, OUTCOME_RETRY }, { 520, OUTCOME_RETRY },
		{ 301, OUTCOME_MODEL }, { 302, OUTCOME_MODEL },
		{ 307, OUTCOME_MODEL },
	};
	static const enum http_fail transient[] = { HTTP_CONNECT, HTTP_TIMEOUT,
	    HTTP_STALL, HTTP_NETWORK };
	static const char *const tname[] = { "connect", "timeout", "stall",
	    "network" };
	static const char *const wname[] = { "openai", "anthropic" };
	char		what[160];
	enum outcome	o;
	size_t		i;
	int		w, ra;

	for (w = 0; w < 2; w++) {
		for (i = 0; i < sizeof plain / sizeof plain[0]; i++)
			for (ra = 0; ra < 2; ra++) {
				o = cls((enum wire)w, HTTP_OK, plain[i].status,
				    "", "", ra);
				snprintf(what, sizeof what, "%s %ld%s: %s (got %s)",
				    wname[w], plain[i].status,
				    ra ? " with retry-after" : "",
				    oname(plain[i].o), oname(o));
				CHECK(o == plain[i].o, what);
			}
		for (i = 0; i < 4; i++) {
			snprintf(what, sizeof what, "%s %s failure: retry",
			    wname[w], tname[i]);
			CHECK(cls((enum wire)w, transient[i], 0, "", "", 0) ==
			    OUTCOME_RETRY && cls((enum wire)w, transient[i],
			    200, "", "", 0) == OUTCOME_RETRY, what);
		}
		snprintf(what, sizeof what, "%s response too big: model",
		    wname[w]);
		CHECK(cls((enum wire)w, HTTP_TOOBIG, 200, "", "", 0) ==
		    OUTCOME_MODEL, what);
		snprintf(what, sizeof what, "%s local failure: request",
		    wname[w]);
		CHECK(cls((enum wire)w, HTTP_LOCAL, 0, "", "", 0) ==
		    OUTCOME_REQUEST, what);
		snprintf(what, sizeof what, "%s aborted: request", wname[w]);
		CHECK(cls((enum wire)w, HTTP_ABORTED, 0, "", "", 0) ==
		    OUTCOME_REQUEST, what);
	}

	/* 429: OpenAI. */
	CHECK(cls(WIRE_OPENAI, HTTP_OK, 429, "requests", "rate_limit_exceeded",
	    1) == OUTCOME_RETRY, "openai 429 rate limit with retry-after: retry");
	CHECK(cls(WIRE_OPENAI, HTTP_OK, 429, "requests", "rate_limit_exceeded",
	    0) == OUTCOME_RETRY,
	    "openai 429 rate limit without retry-after: retry");
	CHECK(cls(WIRE_OPENAI, HTTP_OK, 429, "", "", 0) == OUTCOME_RETRY,
	    "openai 429 with no error body: retry");
	CHECK(cls(WIRE_OPENAI, HTTP_OK, 429, "insufficient_quota",
	    "insufficient_quota", 0) == OUTCOME_MODEL,
	    "openai 429 insufficient_quota: model");
	CHECK(cls(WIRE_OPENAI, HTTP_OK, 429, "insufficient_quota",
	    "insufficient_quota", 1) == OUTCOME_MODEL,
	    "openai 429 insufficient_quota with retry-after: still model");
	CHECK(cls(WIRE_OPENAI, HTTP_OK, 429, "", "insufficient_quota", 1) ==
	    OUTCOME_MODEL, "openai 429 code insufficient_quota alone: model");
	CHECK(cls(WIRE_OPENAI, HTTP_OK, 429, "insufficient_quota", "", 0) ==
	    OUTCOME_MODEL, "openai 429 type insufficient_quota alone: model");

	/* 429: Anthropic. */
	CHECK(cls(WIRE_ANTHROPIC, HTTP_OK, 429, "rate_limit_error", "", 1) ==
	    OUTCOME_RETRY, "anthropic 429 with retry-after: retry");
	CHECK(cls(WIRE_ANTHROPIC, HTTP_OK, 429, "rate_limit_error", "", 0) ==
	    OUTCOME_MODEL, "anthropic 429 without retry-after (spend cap): model");
	CHECK(cls(WIRE_ANTHROPIC, HTTP_OK, 429, "", "insufficient_quota", 1) ==
	    OUTCOME_MODEL, "anthropic 429 insufficient_quota: model");
}

static void
test_backoff(void)
{
	struct rng	s1, s2;
	uint64_t	before;
	double		v, w, ceil_n, lo, hi, sum;
	char		what[128];
	int		n, i, ok, distinct;
	double		seen[200];

	/* Always within [0, min(cap, base * 2^(n-1))]. */
	ok = 1;
	rng_seed(&s1, 1);
	for (n = 1; n <= 70; n++) {
		ceil_n = 0.25 * ldexp(1.0, n - 1);
		if (ceil_n > 30)
			ceil_n = 30;
		for (i = 0; i < 200; i++) {
			v = retry_backoff(n, 0.25, 30, &s1);
			if (!(v >= 0 && v <= ceil_n))
				ok = 0;
		}
	}
	CHECK(ok, "attempts 1..70: within [0, min(cap, base*2^(n-1))]");

	ok = 1;
	rng_seed(&s1, 7);
	for (i = 0; i < 1000; i++) {
		v = retry_backoff(1, 0.5, 60, &s1);
		if (!(v >= 0 && v <= 0.5))
			ok = 0;
	}
	CHECK(ok, "attempt 1: within [0, base]");

	ok = 1;
	rng_seed(&s1, 7);
	for (i = 0; i < 1000; i++) {
		v = retry_backoff(4, 1, 5, &s1);
		if (!(v >= 0 && v <= 5))
			ok = 0;
	}
	CHECK(ok, "attempt 4, base 1, cap 5: never over the cap");

	/* Deterministic for a seed. */
	rng_seed(&s1, 424242);
	rng_seed(&s2, 424242);
	ok = 1;
	for (i = 0; i < 100; i++)
		if (retry_backoff(1 + i % 8, 1, 60, &s1) !=
		    retry_backoff(1 + i % 8, 1, 60, &s2))
			ok = 0;
	CHECK(ok && s1.s == s2.s, "the same seed gives the same waits");
	rng_seed(&s1, 5);
	before = s1.s;
	retry_backoff(3, 1, 60, &s1);
	CHECK(s1.s != before, "the seed advances");
	rng_seed(&s1, 5);
	rng_seed(&s2, 6);
	CHECK(retry_backoff(8, 1, 1000, &s1) != retry_backoff(8, 1, 1000, &s2),
	    "different seeds give different waits");

	/* Full jitter: uniform over [0, ceiling], not clustered. */
	rng_seed(&s1, 2024);
	lo = 1e9;
	hi = -1;
	sum = 0;
	distinct = 0;
	for (i = 0; i < 200; i++) {
		int j, dup = 0;

		v = retry_backoff(5, 1, 60, &s1);	/* ceiling 16 */
		for (j = 0; j < i; j++)
			if (seen[j] == v)
				dup = 1;
		seen[i] = v;
		if (!dup)
			distinct++;
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
		sum += v;
	}
	snprintf(what, sizeof what, "full jitter: 200 draws, %d distinct",
	    distinct);
	CHECK(distinct >= 195, what);
	snprintf(what, sizeof what, "full jitter: min %.3f near 0, max %.3f "
	    "near 16", lo, hi);
	CHECK(lo < 1.6 && hi > 14.4 && hi <= 16, what);
	snprintf(what, sizeof what, "full jitter: mean %.3f near 8",
	    sum / 200);
	CHECK(sum / 200 > 6.4 && sum / 200 < 9.6, what);

	/* Huge attempt numbers: no overflow, no inf, no NaN. */
	rng_seed(&s1, 3);
	v = retry_backoff(INT_MAX, 1, 60, &s1);
	CHECK(isfinite(v) && v >= 0 && v <= 60, "attempt INT_MAX: within cap");
	rng_seed(&s1, 3);
	v = retry_backoff(INT_MAX, 1, 1e300, &s1);
	w = retry_backoff(1000000, 1, 1e300, &s1);
	CHECK(isfinite(v) && v >= 0 && isfinite(w) && w >= 0,
	    "attempt INT_MAX, huge cap: finite");
	rng_seed(&s1, 3);
	ok = 1;
	for (i = 0; i < 100; i++) {
		v = retry_backoff(1024 + i, 0.5, 30, &s1);
		if (!isfinite(v) || v < 0 || v > 30)
			ok = 0;
	}
	CHECK(ok, "attempts past 2^1024: finite and within cap");
	rng_seed(&s1, 3);
	ok = 0;
	for (i = 0; i < 1000; i++) {
		v = retry_backoff(40, 1, 30, &s1);
		if (v > 27)
			ok = 1;
	}
	CHECK(ok, "attempt 40 still spreads over the whole capped range");
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_after_parse();
	test_classify();
	test_backoff();
	return unit_done();
}
