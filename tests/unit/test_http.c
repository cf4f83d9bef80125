/*
 * test_http.c: how http_target reads a URL (as libcurl will): the scheme
 * and its slashes, loopback hosts, user information; and that
 * http_start refuses what it refuses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call/http.h"
#include "unit.h"

/* A URL and what http_target makes of it. */
static const struct target_row {
	const char	*url;
	int		 tls, loopback, userinfo;
} good[] = {
	{ "https://api.openai.com/v1", 1, 0, 0 },
	{ "HTTPS://api.anthropic.com", 1, 0, 0 },
	{ "http://127.0.0.1:8080/v1", 0, 1, 0 },
	{ "http://127.255.255.254/", 0, 1, 0 },
	{ "http://localhost:11434/v1", 0, 1, 0 },
	{ "HTTP://LocalHost:1/v1", 0, 1, 0 },
	{ "http://[::1]:8080/v1", 0, 1, 0 },
	{ "http://[0:0:0:0:0:0:0:1]/", 0, 1, 0 },
	/* libcurl normalises these to 127.0.0.1 and connects there. */
	{ "http://127.1/v1", 0, 1, 0 },
	{ "http://2130706433/", 0, 1, 0 },
	/* Names, or addresses that are not loopback. */
	{ "http://127.0.0.999/v1", 0, 0, 0 },
	{ "http://127.0.0.1.example.invalid/v1", 0, 0, 0 },
	{ "http://localhost./v1", 0, 0, 0 },
	{ "http://localhost.example/v1", 0, 0, 0 },
	{ "http://0.0.0.0:8080/v1", 0, 0, 0 },
	{ "http://128.0.0.1/", 0, 0, 0 },
	{ "http://[::ffff:127.0.0.1]/", 0, 0, 0 },
	{ "http://[::2]/", 0, 0, 0 },
	/* The host follows the user information. */
	{ "http://127.0.0.1@0.0.0.0:8080/v1", 0, 0, 1 },
	{ "http://alice:pw@127.0.0.1/v1", 0, 1, 1 },
	{ "https://alice@api.example/v1", 1, 0, 1 },
	{ "http://127.0.0.1#@evil.example/", 0, 1, 0 },
};

/* A URL http_target refuses, and the start of its words. */
static const struct refused_row {
	const char	*url;
	const char	*cause;
} refused[] = {
	{ "api.evil.example/v1", "no scheme (https:// or http://)" },
	{ "localhost:8080/v1", "no scheme" },
	{ "127.0.0.1:8080/v1", "no scheme" },
	{ "", "no scheme" },
	{ " http://127.0.0.1/", "no scheme" },
	{ "http:/api.evil.example/v1", "'http:' must be followed by '//'" },
	{ "HTTP:/api.evil.example/v1", "'http:' must be followed by '//'" },
	{ "http:///api.evil.example/v1", "'http:' must be followed by '//'" },
	{ "https:api.evil.example", "'https:' must be followed by '//'" },
	{ "ftp://files.example/", "scheme 'ftp' is not http or https" },
	{ "file:///etc/passwd", "scheme 'file' is not http or https" },
	{ "http://127.0.0.1:99999/", "port number" },
	{ "http://a b/", "" },
};

static void
test_target(void)
{
	struct http_target	 t;
	char			*cause, what[256];
	size_t			 i;
	int			 r;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		cause = NULL;
		r = http_target(good[i].url, &t, &cause);
		snprintf(what, sizeof what, "target: %s: tls %d, loopback %d, "
		    "userinfo %d%s%s", good[i].url, good[i].tls,
		    good[i].loopback, good[i].userinfo, cause ? ": " : "",
		    cause ? cause : "");
		CHECK(r == 0 && t.tls == good[i].tls &&
		    t.loopback == good[i].loopback &&
		    t.userinfo == good[i].userinfo, what);
		free(cause);
	}
	for (i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		cause = NULL;
		r = http_target(refused[i].url, &t, &cause);
		snprintf(what, sizeof what, "target: '%s' refused: %s (got %s)",
		    refused[i].url, refused[i].cause, cause ? cause : "none");
		CHECK(r == -1 && cause != NULL && strncmp(cause,
		    refused[i].cause, strlen(refused[i].cause)) == 0, what);
		free(cause);
	}
}

static void
test_start_refuses(void)
{
	struct http_multi	*m;
	struct http_req		 req = { .url = "http:/127.0.0.1:9/v1" };
	char			*cause = NULL;

	m = http_multi_new(&cause);
	CHECK(m != NULL, "start: a multi handle");
	CHECK(m != NULL && http_start(m, &req, &cause) == NULL &&
	    cause != NULL && strstr(cause, "must be followed by") != NULL,
	    "start: a URL http_target refuses is not started");
	CHECK(m != NULL && http_active(m) == 0, "start: nothing runs");
	free(cause);
	http_multi_free(m);
}

int
main(void)
{
	char *cause = NULL;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (http_init(&cause) == -1) {
		printf("Bail out! %s\n", cause);
		free(cause);
		return 1;
	}
	test_target();
	test_start_refuses();
	return unit_done();
}
