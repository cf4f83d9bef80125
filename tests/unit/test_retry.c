/*
 * test_retry.c: Retry-After values and headers, the outcome and the words
 * of every way an attempt can end for both wire formats, and backoff with
 * full jitter.
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
    const char *code, enum retry_after_from ra)
{
	struct http_result	res;
	struct wire_error	e;
	struct retry_end	end;

	memset(&res, 0, sizeof res);
	memset(&e, 0, sizeof e);
	res.fail = f;
	res.status = status;
	snprintf(e.type, sizeof e.type, "%s", type);
	snprintf(e.code, sizeof e.code, "%s", code);
	memset(&end, 0, sizeof end);
	end.wire = w;
	end.http = &res;
	end.error = &e;
	end.retry_after = ra;
	end.body = RETRY_BODY_OK;
	return retry_classify(&end).outcome;
}

/* How cls() would see the key: the auth of the same verdict. */
static enum retry_auth
auth_of(enum http_fail f, long status, const char *type, const char *code)
{
	struct http_result	res;
	struct wire_error	e;
	struct retry_end	end;

	memset(&res, 0, sizeof res);
	memset(&e, 0, sizeof e);
	res.fail = f;
	res.status = status;
	snprintf(e.type, sizeof e.type, "%s", type);
	snprintf(e.code, sizeof e.code, "%s", code);
	memset(&end, 0, sizeof end);
	end.wire = WIRE_OPENAI;
	end.http = &res;
	end.error = &e;
	end.body = RETRY_BODY_OK;
	return retry_classify(&end).auth;
}

/* Refused keys: by status, and by the words of the error whatever it. */
static void
test_auth(void)
{
	CHECK(auth_of(HTTP_OK, 401, "", "") == RETRY_AUTH_KEY &&
	    cls(WIRE_OPENAI, HTTP_OK, 401, "", "", RETRY_AFTER_NONE) ==
	    OUTCOME_MODEL, "auth: 401 refuses the key, not retried");
	CHECK(auth_of(HTTP_OK, 403, "", "") == RETRY_AUTH_DENIED &&
	    cls(WIRE_ANTHROPIC, HTTP_OK, 403, "", "", RETRY_AFTER_NONE) ==
	    OUTCOME_MODEL, "auth: 403 denies permission, not retried");
	CHECK(auth_of(HTTP_OK, 402, "", "") == RETRY_AUTH_NONE &&
	    auth_of(HTTP_OK, 404, "", "") == RETRY_AUTH_NONE &&
	    auth_of(HTTP_OK, 500, "", "") == RETRY_AUTH_NONE &&
	    auth_of(HTTP_OK, 429, "", "rate_limit_exceeded") ==
	    RETRY_AUTH_NONE && auth_of(HTTP_OK, 200, "", "") ==
	    RETRY_AUTH_NONE, "auth: 402, 404, 429, 500 and 200 are not");
	CHECK(auth_of(HTTP_OK, 400, "authentication_error", "") ==
	    RETRY_AUTH_KEY && cls(WIRE_OPENAI, HTTP_OK, 400,
	    "authentication_error", "", RETRY_AFTER_NONE) == OUTCOME_MODEL,
	    "auth: a 400 of type authentication_error falls back, not stops");
	CHECK(auth_of(HTTP_OK, 500, "", "invalid_api_key") == RETRY_AUTH_KEY &&
	    cls(WIRE_OPENAI, HTTP_OK, 500, "", "invalid_api_key",
	    RETRY_AFTER_NONE) == OUTCOME_MODEL,
	    "auth: a 500 with code invalid_api_key is not retried");
	CHECK(auth_of(HTTP_OK, 429, "permission_error", "") ==
	    RETRY_AUTH_DENIED, "auth: permission_error whatever the status");
	CHECK(auth_of(HTTP_CONNECT, 0, "authentication_error", "") ==
	    RETRY_AUTH_NONE, "auth: a transfer that failed has no words");
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

/* 429s: a rate limit, a spent quota, a spend cap. */
static const struct {
	enum wire		 wire;
	const char		*type, *code;
	enum retry_after_from	 ra;
	enum outcome		 o;
	const char		*what;
} too_many[] = {
	{ WIRE_OPENAI, "requests", "rate_limit_exceeded", RETRY_AFTER_SECONDS,
	  OUTCOME_RETRY, "openai 429 rate limit with retry-after: retry" },
	{ WIRE_OPENAI, "requests", "rate_limit_exceeded", RETRY_AFTER_NONE,
	  OUTCOME_RETRY, "openai 429 rate limit without retry-after: retry" },
	{ WIRE_OPENAI, "", "", RETRY_AFTER_NONE, OUTCOME_RETRY,
	  "openai 429 with no error body: retry" },
	{ WIRE_OPENAI, "insufficient_quota", "insufficient_quota",
	  RETRY_AFTER_NONE, OUTCOME_MODEL,
	  "openai 429 insufficient_quota: model" },
	{ WIRE_OPENAI, "insufficient_quota", "insufficient_quota",
	  RETRY_AFTER_SECONDS, OUTCOME_MODEL,
	  "openai 429 insufficient_quota with retry-after: still model" },
	{ WIRE_OPENAI, "", "insufficient_quota", RETRY_AFTER_SECONDS,
	  OUTCOME_MODEL, "openai 429 code insufficient_quota alone: model" },
	{ WIRE_OPENAI, "insufficient_quota", "", RETRY_AFTER_NONE,
	  OUTCOME_MODEL, "openai 429 type insufficient_quota alone: model" },
	{ WIRE_ANTHROPIC, "rate_limit_error", "", RETRY_AFTER_SECONDS,
	  OUTCOME_RETRY, "anthropic 429 with retry-after: retry" },
	{ WIRE_ANTHROPIC, "rate_limit_error", "", RETRY_AFTER_MS,
	  OUTCOME_RETRY, "anthropic 429 with retry-after-ms: retry" },
	{ WIRE_ANTHROPIC, "rate_limit_error", "", RETRY_AFTER_NONE,
	  OUTCOME_MODEL,
	  "anthropic 429 without retry-after (spend cap): model" },
	{ WIRE_ANTHROPIC, "", "insufficient_quota", RETRY_AFTER_SECONDS,
	  OUTCOME_MODEL, "anthropic 429 insufficient_quota: model" },
};

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
				    "", "", ra ? RETRY_AFTER_SECONDS :
				    RETRY_AFTER_NONE);
				snprintf(what, sizeof what, "%s %ld%s: %s (got %s)",
				    wname[w], plain[i].status,
				    ra ? " with retry-after" : "",
				    oname(plain[i].o), oname(o));
				CHECK(o == plain[i].o, what);
			}
		for (i = 0; i < 4; i++) {
			snprintf(what, sizeof what, "%s %s failure: retry",
			    wname[w], tname[i]);
			CHECK(cls((enum wire)w, transient[i], 0, "", "",
			    RETRY_AFTER_NONE) == OUTCOME_RETRY &&
			    cls((enum wire)w, transient[i], 200, "", "",
			    RETRY_AFTER_NONE) == OUTCOME_RETRY, what);
		}
		snprintf(what, sizeof what, "%s local failure: request",
		    wname[w]);
		CHECK(cls((enum wire)w, HTTP_LOCAL, 0, "", "",
		    RETRY_AFTER_NONE) == OUTCOME_REQUEST, what);
		snprintf(what, sizeof what, "%s aborted: request", wname[w]);
		CHECK(cls((enum wire)w, HTTP_ABORTED, 0, "", "",
		    RETRY_AFTER_NONE) == OUTCOME_REQUEST, what);
	}

	for (i = 0; i < sizeof too_many / sizeof too_many[0]; i++)
		CHECK(cls(too_many[i].wire, HTTP_OK, 429, too_many[i].type,
		    too_many[i].code, too_many[i].ra) == too_many[i].o,
		    too_many[i].what);
}

/*
 * Every row of the table at the top of retry.c, in its order, with the
 * words retry_describe gives for it: one attempt's end per line.
 */
static const struct end_row {
	const char		*name;
	enum wire		 wire;
	enum http_fail		 fail;
	long			 status;
	enum retry_body		 body;
	enum retry_after_from	 ra;
	const char		*type, *code, *message;	/* the error sent */
	enum outcome		 outcome;
	int			 rate_limited;
	const char		*words;
} end_rows[] = {
	/* The response passed the size cap: whatever the transfer did. */
	{ "too big, stopped", WIRE_OPENAI, HTTP_ABORTED, 200,
	  RETRY_BODY_TOOBIG, RETRY_AFTER_NONE, "", "", "",
	  OUTCOME_MODEL, 0, "response larger than 1000 bytes" },
	{ "too big, an error body", WIRE_ANTHROPIC, HTTP_ABORTED, 500,
	  RETRY_BODY_TOOBIG, RETRY_AFTER_NONE, "", "", "",
	  OUTCOME_MODEL, 0, "response larger than 1000 bytes" },
	{ "too big, a 429 body stopped: no rate limit seen", WIRE_OPENAI,
	  HTTP_ABORTED, 429, RETRY_BODY_TOOBIG, RETRY_AFTER_SECONDS, "", "",
	  "", OUTCOME_MODEL, 0, "response larger than 1000 bytes" },
	{ "too big, a whole 429: the provider is rate limited", WIRE_OPENAI,
	  HTTP_OK, 429, RETRY_BODY_TOOBIG, RETRY_AFTER_SECONDS, "", "", "",
	  OUTCOME_MODEL, 1, "response larger than 1000 bytes" },
	/* An error event in the stream; a stream event that is not valid. */
	{ "stream error event", WIRE_ANTHROPIC, HTTP_ABORTED, 200,
	  RETRY_BODY_STREAM_ERROR, RETRY_AFTER_NONE, "overloaded_error", "",
	  "Overloaded", OUTCOME_RETRY, 0,
	  "error in the stream: Overloaded overloaded_error" },
	{ "stream error event without a type", WIRE_OPENAI, HTTP_ABORTED,
	  200, RETRY_BODY_STREAM_ERROR, RETRY_AFTER_NONE, "", "", "busy",
	  OUTCOME_RETRY, 0, "error in the stream: busy" },
	{ "malformed stream event", WIRE_OPENAI, HTTP_ABORTED, 200,
	  RETRY_BODY_BAD_EVENT, RETRY_AFTER_NONE, "", "", "",
	  OUTCOME_RETRY, 0, "malformed stream data" },
	/* Transport failures. */
	{ "connect", WIRE_OPENAI, HTTP_CONNECT, 0, RETRY_BODY_OK,
	  RETRY_AFTER_NONE, "", "", "", OUTCOME_RETRY, 0, "curl says so" },
	{ "timeout", WIRE_ANTHROPIC, HTTP_TIMEOUT, 0, RETRY_BODY_OK,
	  RETRY_AFTER_NONE, "", "", "", OUTCOME_RETRY, 0, "curl says so" },
	{ "stall mid-stream", WIRE_OPENAI, HTTP_STALL, 200, RETRY_BODY_OK,
	  RETRY_AFTER_NONE, "", "", "", OUTCOME_RETRY, 0, "curl says so" },
	{ "reset", WIRE_OPENAI, HTTP_NETWORK, 200, RETRY_BODY_OK,
	  RETRY_AFTER_NONE, "", "", "", OUTCOME_RETRY, 0, "curl says so" },
	{ "reset: a body state after a whole 2xx does not count",
	  WIRE_OPENAI, HTTP_NETWORK, 200, RETRY_BODY_CUT, RETRY_AFTER_NONE,
	  "", "", "", OUTCOME_RETRY, 0, "curl says so" },
	/* Response headers past their size limit: the provider's fault. */
	{ "header flood", WIRE_OPENAI, HTTP_HEADERS, 200, RETRY_BODY_OK,
	  RETRY_AFTER_NONE, "", "", "", OUTCOME_MODEL, 0, "curl says so" },
	{ "header flood before any status", WIRE_ANTHROPIC, HTTP_HEADERS, 0,
	  RETRY_BODY_OK, RETRY_AFTER_NONE, "", "", "", OUTCOME_MODEL, 0,
	  "curl says so" },
	{ "header flood on a 429: the model failed, rate limit unknown",
	  WIRE_OPENAI, HTTP_HEADERS, 429, RETRY_BODY_OK, RETRY_AFTER_SECONDS,
	  "", "", "", OUTCOME_MODEL, 0, "curl says so" },
	/* Stopped by the caller; could not start. */
	{ "stopped by the caller", WIRE_OPENAI, HTTP_ABORTED, 0,
	  RETRY_BODY_OK, RETRY_AFTER_NONE, "", "", "", OUTCOME_REQUEST, 0,
	  "curl says so" },
	{ "could not start", WIRE_ANTHROPIC, HTTP_LOCAL, 0, RETRY_BODY_OK,
	  RETRY_AFTER_NONE, "", "", "", OUTCOME_REQUEST, 0, "curl says so" },
	{ "could not start: a cut stream does not count", WIRE_OPENAI,
	  HTTP_LOCAL, 0, RETRY_BODY_CUT, RETRY_AFTER_NONE, "", "", "",
	  OUTCOME_REQUEST, 0, "curl says so" },
	/* 2xx: cut before its end marker, not a response, usable. */
	{ "2xx stream cut before its end marker", WIRE_OPENAI, HTTP_OK, 200,
	  RETRY_BODY_CUT, RETRY_AFTER_NONE, "", "", "", OUTCOME_RETRY, 0,
	  "the stream ended before its end marker" },
	{ "2xx anthropic stream cut", WIRE_ANTHROPIC, HTTP_OK, 200,
	  RETRY_BODY_CUT, RETRY_AFTER_NONE, "", "", "", OUTCOME_RETRY, 0,
	  "the stream ended before its end marker" },
	{ "2xx body that is not a response", WIRE_OPENAI, HTTP_OK, 200,
	  RETRY_BODY_BAD, RETRY_AFTER_NONE, "", "", "", OUTCOME_RETRY, 0,
	  "malformed response body" },
	{ "201 body that is not a response", WIRE_ANTHROPIC, HTTP_OK, 201,
	  RETRY_BODY_BAD, RETRY_AFTER_NONE, "", "", "", OUTCOME_RETRY, 0,
	  "malformed response body" },
	{ "2xx usable", WIRE_OPENAI, HTTP_OK, 200, RETRY_BODY_OK,
	  RETRY_AFTER_NONE, "", "", "", OUTCOME_OK, 0, "HTTP 200" },
	{ "2xx usable, anthropic", WIRE_ANTHROPIC, HTTP_OK, 200,
	  RETRY_BODY_OK, RETRY_AFTER_NONE, "", "", "", OUTCOME_OK, 0,
	  "HTTP 200" },
	/* 429: a spent quota, a spend cap, a rate limit. */
	{ "429 insufficient_quota", WIRE_OPENAI, HTTP_OK, 429,
	  RETRY_BODY_OK, RETRY_AFTER_SECONDS, "insufficient_quota",
	  "insufficient_quota", "You exceeded your current quota",
	  OUTCOME_MODEL, 1, "HTTP 429: You exceeded your current quota "
	  "(insufficient_quota)" },
	{ "anthropic 429 without Retry-After", WIRE_ANTHROPIC, HTTP_OK, 429,
	  RETRY_BODY_OK, RETRY_AFTER_NONE, "rate_limit_error", "",
	  "spend cap", OUTCOME_MODEL, 1, "HTTP 429: spend cap" },
	{ "429 rate limit, Retry-After", WIRE_OPENAI, HTTP_OK, 429,
	  RETRY_BODY_OK, RETRY_AFTER_SECONDS, "requests",
	  "rate_limit_exceeded", "slow down", OUTCOME_RETRY, 1,
	  "HTTP 429: slow down (rate_limit_exceeded)" },
	{ "429 rate limit, no Retry-After", WIRE_OPENAI, HTTP_OK, 429,
	  RETRY_BODY_OK, RETRY_AFTER_NONE, "", "", "", OUTCOME_RETRY, 1,
	  "HTTP 429" },
	{ "anthropic 429, retry-after-ms", WIRE_ANTHROPIC, HTTP_OK, 429,
	  RETRY_BODY_OK, RETRY_AFTER_MS, "rate_limit_error", "", "",
	  OUTCOME_RETRY, 1, "HTTP 429" },
	/* Redirects; 401 402 403 404. */
	{ "301 redirect", WIRE_OPENAI, HTTP_OK, 301, RETRY_BODY_OK,
	  RETRY_AFTER_NONE, "", "", "moved", OUTCOME_MODEL, 0,
	  "HTTP 301: a redirect, not followed" },
	{ "308 redirect", WIRE_ANTHROPIC, HTTP_OK, 308, RETRY_BODY_OK,
	  RETRY_AFTER_NONE, "", "", "", OUTCOME_MODEL, 0,
	  "HTTP 308: a redirect, not followed" },
	{ "401", WIRE_OPENAI, HTTP_OK, 401, RETRY_BODY_OK, RETRY_AFTER_NONE,
	  "invalid_request_error", "invalid_api_key", "Incorrect API key",
	  OUTCOME_MODEL, 0, "HTTP 401: Incorrect API key (invalid_api_key)" },
	{ "402", WIRE_OPENAI, HTTP_OK, 402, RETRY_BODY_OK, RETRY_AFTER_NONE,
	  "", "", "", OUTCOME_MODEL, 0, "HTTP 402" },
	{ "403", WIRE_ANTHROPIC, HTTP_OK, 403, RETRY_BODY_OK,
	  RETRY_AFTER_NONE, "permission_error", "", "not allowed",
	  OUTCOME_MODEL, 0, "HTTP 403: not allowed" },
	{ "404", WIRE_OPENAI, HTTP_OK, 404, RETRY_BODY_OK, RETRY_AFTER_NONE,
	  "", "model_not_found", "no such model", OUTCOME_MODEL, 0,
	  "HTTP 404: no such model (model_not_found)" },
	{ "404: a body state after a whole 2xx does not count", WIRE_OPENAI,
	  HTTP_OK, 404, RETRY_BODY_BAD, RETRY_AFTER_NONE, "", "", "",
	  OUTCOME_MODEL, 0, "HTTP 404" },
	/* 408, 5xx. */
	{ "408", WIRE_OPENAI, HTTP_OK, 408, RETRY_BODY_OK, RETRY_AFTER_NONE,
	  "", "", "", OUTCOME_RETRY, 0, "HTTP 408" },
	{ "500", WIRE_OPENAI, HTTP_OK, 500, RETRY_BODY_OK, RETRY_AFTER_NONE,
	  "server_error", "", "oops", OUTCOME_RETRY, 0, "HTTP 500: oops" },
	{ "503", WIRE_ANTHROPIC, HTTP_OK, 503, RETRY_BODY_OK,
	  RETRY_AFTER_SECONDS, "", "", "", OUTCOME_RETRY, 0, "HTTP 503" },
	{ "529 overloaded", WIRE_ANTHROPIC, HTTP_OK, 529, RETRY_BODY_OK,
	  RETRY_AFTER_NONE, "overloaded_error", "", "Overloaded",
	  OUTCOME_RETRY, 0, "HTTP 529: Overloaded" },
	{ "599", WIRE_OPENAI, HTTP_OK, 599, RETRY_BODY_OK, RETRY_AFTER_NONE,
	  "", "", "", OUTCOME_RETRY, 0, "HTTP 599" },
	/* 400 413 422 and other statuses. */
	{ "400", WIRE_OPENAI, HTTP_OK, 400, RETRY_BODY_OK, RETRY_AFTER_NONE,
	  "invalid_request_error", "", "bad field", OUTCOME_REQUEST, 0,
	  "HTTP 400: bad field" },
	{ "413", WIRE_ANTHROPIC, HTTP_OK, 413, RETRY_BODY_OK,
	  RETRY_AFTER_NONE, "", "", "", OUTCOME_REQUEST, 0, "HTTP 413" },
	{ "422", WIRE_OPENAI, HTTP_OK, 422, RETRY_BODY_OK, RETRY_AFTER_NONE,
	  "", "", "", OUTCOME_REQUEST, 0, "HTTP 422" },
	{ "418", WIRE_OPENAI, HTTP_OK, 418, RETRY_BODY_OK, RETRY_AFTER_NONE,
	  "", "", "", OUTCOME_REQUEST, 0, "HTTP 418" },
	{ "100 as the last status", WIRE_OPENAI, HTTP_OK, 100,
	  RETRY_BODY_OK, RETRY_AFTER_NONE, "", "", "", OUTCOME_REQUEST, 0,
	  "HTTP 100" },
	{ "no status at all", WIRE_ANTHROPIC, HTTP_OK, 0, RETRY_BODY_OK,
	  RETRY_AFTER_NONE, "", "", "", OUTCOME_REQUEST, 0, "HTTP 0" },
};

static void
test_end_table(void)
{
	const struct end_row	*row;
	struct http_result	 res;
	struct wire_error	 e;
	struct retry_end	 end;
	struct retry_verdict	 v;
	char			 what[768], words[256];
	size_t			 i;

	for (i = 0; i < sizeof end_rows / sizeof end_rows[0]; i++) {
		row = &end_rows[i];
		memset(&res, 0, sizeof res);
		res.fail = row->fail;
		res.status = row->status;
		if (row->fail != HTTP_OK)
			snprintf(res.error, sizeof res.error, "curl says so");
		memset(&e, 0, sizeof e);
		snprintf(e.type, sizeof e.type, "%s", row->type);
		snprintf(e.code, sizeof e.code, "%s", row->code);
		snprintf(e.message, sizeof e.message, "%s", row->message);
		end = (struct retry_end){
			.wire = row->wire,
			.http = &res,
			.error = &e,
			.retry_after = row->ra,
			.body = row->body,
			.max_response = 1000,
		};
		v = retry_classify(&end);
		snprintf(what, sizeof what, "end: %s: %s (got %s)", row->name,
		    oname(row->outcome), oname(v.outcome));
		CHECK(v.outcome == row->outcome, what);
		snprintf(what, sizeof what, "end: %s: %srate limited",
		    row->name, row->rate_limited ? "" : "not ");
		CHECK(v.rate_limited == row->rate_limited, what);
		retry_describe(&end, words, sizeof words);
		snprintf(what, sizeof what, "end: %s: \"%s\" (got \"%s\")",
		    row->name, row->words, words);
		CHECK_STR(words, row->words, what);
	}
}

static void
test_describe_truncates(void)
{
	struct http_result	res;
	struct wire_error	e;
	struct retry_end	end;
	char			buf[12];

	memset(&res, 0, sizeof res);
	memset(&e, 0, sizeof e);
	res.status = 503;
	snprintf(e.message, sizeof e.message, "a long message from the server");
	memset(&end, 0, sizeof end);
	end.http = &res;
	end.error = &e;
	CHECK(retry_describe(&end, buf, sizeof buf) == buf &&
	    strcmp(buf, "HTTP 503: a") == 0, "describe: cut to the buffer");
}

#define MAXHDRS	5

/* Header lines of one response (and the ones before it), and the wait. */
static const struct header_row {
	const char		*what;
	const char		*lines[MAXHDRS];	/* NULL after the last */
	enum retry_after_from	 from;
	double			 seconds;
} header_rows[] = {
	{ "other headers and bad values leave no wait",
	  { "HTTP/1.1 429 Too Many Requests",
	    "content-type: application/json", "x-retry-after: 5",
	    "retry-after: soon", "retry-after" },
	  RETRY_AFTER_NONE, 0 },
	{ "Retry-After: 7 is 7 s from Retry-After",
	  { "HTTP/2 429", "Retry-After: 7" }, RETRY_AFTER_SECONDS, 7 },
	{ "retry-after-ms beats a later Retry-After",
	  { "HTTP/2 429", "retry-after-ms: 250", "retry-after: 9" },
	  RETRY_AFTER_MS, 0.25 },
	{ "retry-after-ms beats an earlier Retry-After, any case",
	  { "HTTP/2 429", "Retry-After: 9", "RETRY-AFTER-MS: 1500" },
	  RETRY_AFTER_MS, 1.5 },
	{ "an HTTP date a minute ahead is 60 s",
	  { "HTTP/1.1 503", "Retry-After: Sun, 06 Nov 1994 08:50:37 GMT" },
	  RETRY_AFTER_SECONDS, 60 },
	{ "a new status line forgets the wait before it",
	  { "HTTP/1.1 100 Continue", "retry-after-ms: 100", "HTTP/1.1 429",
	    "retry-after: 3" },
	  RETRY_AFTER_SECONDS, 3 },
	{ "a redirect's wait does not carry to the next response",
	  { "HTTP/1.1 307", "retry-after: 3", "HTTP/1.1 429" },
	  RETRY_AFTER_NONE, 0 },
	{ "a second Retry-After replaces the first",
	  { "HTTP/2 429", "retry-after: 3", "retry-after: 4" },
	  RETRY_AFTER_SECONDS, 4 },
};

static void
test_after_header(void)
{
	const struct header_row	*row;
	struct retry_wait	 w;
	char			 what[160];
	size_t			 i, k;

	for (i = 0; i < sizeof header_rows / sizeof header_rows[0]; i++) {
		row = &header_rows[i];
		memset(&w, 0, sizeof w);
		for (k = 0; k < MAXHDRS && row->lines[k] != NULL; k++)
			retry_after_header(&w, row->lines[k],
			    strlen(row->lines[k]), RFC_NOW);
		snprintf(what, sizeof what, "header: %s", row->what);
		CHECK(w.from == row->from && w.seconds == row->seconds, what);
	}
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
	test_auth();
	test_end_table();
	test_describe_truncates();
	test_after_header();
	test_backoff();
	return unit_done();
}
