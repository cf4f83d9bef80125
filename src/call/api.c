/*
 * api.c: single requests to a provider's API (files, batches), over the
 * HTTP transfers of http.c, classified and retried by retry.c as the
 * engine's calls are.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/cause.h"
#include "base/rng.h"
#include "call/api.h"
#include "call/http.h"
#include "call/retry.h"
#include "call/wire.h"

#include "base/clock.h"

#include "base/banned.h"

#define API_MS_PER_S	1000
#define API_MAXHEADERS	8
#define API_TURN_MS	1000	/* one turn of the transfer loop */
#define API_CTYPE	"Content-Type:"
#define API_WHAT_MAX	768

/* One attempt's state, shared with the callbacks. */
struct attempt {
	const struct api_req	*req;
	struct buf		*reply;
	struct retry_wait	 wait;
	int			 delivered;	/* on_data has had bytes */
	int			 stopped;	/* on_data said stop */
	int			 toobig;
};

void
api_opts_of(struct api_opts *o, const struct config *cfg)
{
	o->connect_ms = (long)(cfg->connect_timeout * API_MS_PER_S);
	o->total_ms = (long)(cfg->total_timeout * API_MS_PER_S);
	o->max_response = cfg->max_response_bytes;
	o->retries = cfg->retries;
	o->backoff_base = cfg->backoff_base;
	o->backoff_cap = cfg->backoff_max;
}

int
api_url_check(const struct provider *p, const char *key, const char *url,
    int *direct, char **cause)
{
	struct http_target	 t;
	struct buf		 shown = BUF_INIT;
	char			*why = NULL;
	int			 r = 0;

	*direct = 0;
	/* Words name the configured base URL, as the user wrote it. */
	if (config_url_shown(&shown, strncmp(url, p->base_url,
	    strlen(p->base_url)) == 0 ? p->base_url : url) == -1)
		return cause_set(cause, "out of memory");
	if (http_target(url, &t, &why) == -1)
		r = cause_set(cause, "%s: base_url '%s': %s", p->name,
		    shown.data, why != NULL ? why : "out of memory");
	else {
		*direct = (key[0] != '\0' || t.userinfo) && !t.tls;
		if (*direct && !t.loopback && !p->allow_http)
			r = cause_set(cause, "refusing to send the %s key over "
			    "plain HTTP to %s (use https, or set providers.%s."
			    "allow_http)", p->name, shown.data, p->name);
	}
	free(why);
	buf_free(&shown);
	return r;
}

/* The URL of r into b: the base URL and the path, or the path itself. */
static int
request_url(const struct api_req *r, struct buf *b)
{
	const char	*base = r->prov->base_url;
	size_t		 n = strlen(base);

	if (strncmp(r->path, "https://", 8) == 0 ||
	    strncmp(r->path, "http://", 7) == 0)
		return buf_addstr(b, r->path);
	while (n > 0 && base[n - 1] == '/')
		n--;
	if (buf_add(b, base, n) == -1)
		return -1;
	return buf_addstr(b, r->path);
}

/* The headers of r: the format's (its content type replaced), the key. */
static int
request_headers(const struct api_req *r, const char **h, struct buf *auth,
    struct buf *ctype)
{
	const struct wire_ops	*ops = wire_ops_of(r->prov->wire);
	const char *const	*w;
	size_t			 n = 0;

	for (w = ops->headers; *w != NULL && n < API_MAXHEADERS - 3; w++)
		if (r->content_type == NULL ||
		    strncasecmp(*w, API_CTYPE, strlen(API_CTYPE)) != 0)
			h[n++] = *w;
	if (r->content_type != NULL) {
		if (buf_addf(ctype, "%s %s", API_CTYPE, r->content_type) == -1)
			return -1;
		h[n++] = ctype->data;
	}
	if (r->key[0] != '\0') {
		if (buf_addstr(auth, ops->key_header) == -1 ||
		    buf_addstr(auth, r->key) == -1)
			return -1;
		h[n++] = auth->data;
	}
	h[n] = NULL;
	return 0;
}

static void
on_header(void *arg, const char *line, size_t len)
{
	struct attempt *a = arg;

	retry_after_header(&a->wait, line, len, time(NULL));
}

static int
on_data(void *arg, long status, const char *p, size_t n)
{
	struct attempt *a = arg;

	if (http_success(status) && a->req->on_data != NULL) {
		a->delivered = 1;
		if (a->req->on_data(a->req->arg, p, n) == -1) {
			a->stopped = 1;
			return -1;
		}
		return 0;
	}
	if (buf_add(a->reply, p, n) == -1) {
		a->toobig = 1;
		return -1;
	}
	return 0;
}

/*
 * One transfer of hr on a multi handle of its own, to its end in *res.
 * Returns 0, or -1 with *cause when it could not start or libcurl failed.
 */
static int
transfer(const struct http_req *hr, struct http_result *res, char **cause)
{
	struct http_multi	*m;
	int			 r = 0;

	if ((m = http_multi_new(cause)) == NULL)
		return -1;
	if (http_start(m, hr, cause) == NULL)
		r = -1;
	while (r == 0 && http_next_done(m, res) == NULL)
		if (http_run(m, API_TURN_MS, -1) == -1)
			r = cause_set(cause, "libcurl failed");
	http_multi_free(m);
	return r;
}

/* Sleep for s seconds, at most cap. */
static void
pause_for(double s, double cap)
{
	clock_pause(s > cap ? cap : s);
}

/*
 * What to make of attempt a that ended with res: its verdict, and its
 * words in what.  A body that on_data took in part is never retried.
 */
static enum outcome
judge(const struct api_req *r, const struct attempt *a,
    const struct http_result *res, char *what, size_t len)
{
	struct wire_error	we;
	struct retry_end	end;
	struct retry_verdict	v;

	memset(&we, 0, sizeof we);
	if (res->fail == HTTP_OK && !http_success(res->status))
		wire_error_parse(a->reply->data, a->reply->len, r->key, &we);
	end = (struct retry_end){
		.wire = r->prov->wire, .http = res, .error = &we,
		.retry_after = a->wait.from,
		.body = a->toobig ? RETRY_BODY_TOOBIG : RETRY_BODY_OK,
		.max_response = a->reply->max,
	};
	v = retry_classify(&end);
	retry_describe(&end, what, len);
	if (a->stopped) {
		snprintf(what, len, "stopped while reading the response");
		return OUTCOME_REQUEST;
	}
	if (a->delivered && v.outcome == OUTCOME_RETRY)
		return OUTCOME_REQUEST;
	return v.outcome;
}

/* One attempt of r; its outcome, with words in what. */
static enum outcome
attempt(const struct api_opts *o, const struct api_req *r, const char *url,
    int direct, struct buf *reply, long *status, char *what, size_t len)
{
	struct buf		 auth = BUF_INIT, ctype = BUF_INIT;
	const char		*h[API_MAXHEADERS];
	struct attempt		 a = { .req = r, .reply = reply };
	struct http_result	 res;
	char			*cause = NULL;
	enum outcome		 out;
	struct http_req		 hr = {
		.url = url, .headers = h, .body = r->body, .len = r->len,
		.connect_timeout_ms = o->connect_ms, .timeout_ms = o->total_ms,
		.no_proxy = direct, .on_header = on_header,
		.on_data = on_data, .arg = &a,
	};

	buf_reset(reply);
	memset(&res, 0, sizeof res);
	if (request_headers(r, h, &auth, &ctype) == -1 ||
	    transfer(&hr, &res, &cause) == -1) {
		snprintf(what, len, "%s", cause ? cause : "out of memory");
		out = OUTCOME_REQUEST;
	} else {
		*status = res.status;
		out = judge(r, &a, &res, what, len);
	}
	free(cause);
	buf_free(&auth);
	buf_free(&ctype);
	if (out == OUTCOME_RETRY && a.wait.from != RETRY_AFTER_NONE)
		pause_for(a.wait.seconds, o->backoff_cap);
	return out;
}

int
api_call(const struct api_opts *o, const struct api_req *r, struct buf *reply,
    long *status, char **cause)
{
	struct buf	 url = BUF_INIT;
	struct rng	 rng;
	char		 what[API_WHAT_MAX];
	enum outcome	 out = OUTCOME_REQUEST;
	int		 tries, direct, ret = -1;

	*status = 0;
	reply->max = o->max_response;
	rng_seed(&rng, o->seed);
	if (http_init(cause) == -1)
		return -1;
	if (request_url(r, &url) == -1) {
		buf_free(&url);
		return cause_set(cause, "out of memory");
	}
	if (api_url_check(r->prov, r->key, url.data, &direct, cause) == -1) {
		buf_free(&url);
		return -1;
	}
	for (tries = 0; tries <= o->retries; tries++) {
		if (tries > 0)
			pause_for(retry_backoff(tries, o->backoff_base,
			    o->backoff_cap, &rng), o->backoff_cap);
		out = attempt(o, r, url.data, direct, reply, status, what,
		    sizeof what);
		if (out != OUTCOME_RETRY)
			break;
	}
	if (out == OUTCOME_OK)
		ret = 0;
	else {
		wire_redact(what, r->key);
		cause_set(cause, "%s: %s%s", r->prov->name, what,
		    out == OUTCOME_RETRY ? " (retries spent)" : "");
	}
	buf_free(&url);
	return ret;
}
