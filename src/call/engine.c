/*
 * call.c: the engine that executes routed calls.
 *
 * A job is one prompt with its decision.  Its candidates are the chosen
 * model followed by the tier's fallbacks.  Each attempt is one HTTP
 * transfer; when it ends, retry_classify() says what happens next, and
 * this file holds the only retry loop: the same model again after a
 * backoff (or the server's Retry-After) while retries remain, else the
 * next candidate.  Models in cooldown and models whose key is not set are
 * passed over without an attempt.  Once answer text has been handed to the
 * caller, a failure ends the job: an answer is never silently continued by
 * another model.
 *
 * Jobs run on one libcurl multi handle from one thread; engine_run() waits
 * on the transfers, the earliest retry time and the caller's wake-up
 * descriptor (a signal's self-pipe) together.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "call/engine.h"
#include "score/features.h"
#include "call/http.h"
#include "call/retry.h"
#include "call/sse.h"

#include "base/banned.h"

enum job_state {
	JOB_WAITING,	/* the next attempt starts at "due" */
	JOB_RUNNING,
	JOB_DONE
};

struct job {
	struct engine		*eng;
	const struct prompt	*prompt;
	struct decision		 dec;
	const struct model	*cand[ENGINE_MAXMODELS];
	size_t			 ncand;
	size_t			 ci;		/* current candidate */
	int			 tries;		/* attempts on it */
	int			 picked;	/* cand[ci] checked usable */
	double			 waited;	/* seconds of backoff so far */
	char			 nokey[256];	/* variables found unset */
	const char		*lastvar;
	enum job_state		 state;
	struct timespec		 start;
	struct timespec		 due;
	struct timespec		 deadline;	/* the whole call's end */
	engine_text_fn		 on_text;
	engine_done_fn		 on_done;
	void			*arg;

	/* The attempt in flight. */
	const struct provider	*prov;
	const struct wire_ops *ops;
	const char		*key;
	struct http_xfer	*xfer;
	struct buf		 url;
	struct buf		 body;
	struct buf		 auth;
	const char		*headers[8];
	struct buf		 resp;		/* a body that is not a stream */
	struct sse		 sse;
	struct reply		 reply;
	int			 sse_on;
	double			 retry_after;
	int			 has_retry_after;
	int			 toobig;
	int			 bad_event;
	size_t			 emitted;	/* answer bytes handed out */

	struct engine_result	 res;
	struct job		*next;
};

/*
 * How many calls a provider may have in flight: its configured maximum,
 * lowered by half on every 429 and raised by about one per round of
 * successes (additive increase, multiplicative decrease).
 */
struct plimit {
	double	 limit;
	size_t	 running;
};

struct engine {
	const struct config	*cfg;
	struct engine_opts	 o;
	struct http_multi	*multi;
	struct job		*jobs;
	struct job		**tail;
	size_t			 pending;	/* jobs not done */
	struct plimit		*plim;		/* one per provider */
	struct rng		 rng;		/* retry jitter */
};

static void
now(struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
}

static double
since(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void
add_seconds(struct timespec *ts, double s)
{
	long ns = (long)(s * 1e9);

	ts->tv_sec += ns / 1000000000L;
	ts->tv_nsec += ns % 1000000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* Blank every copy of key in s: an error text must never carry it. */
static void
redact(char *s, const char *key)
{
	size_t	 n;
	char	*p;

	if (key == NULL || (n = strlen(key)) < 4)
		return;
	while ((p = strstr(s, key)) != NULL)
		memset(p, '*', n);
}

static void
note(struct job *j, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
note(struct job *j, const char *fmt, ...)
{
	struct engine	*e = j->eng;
	char		 msg[600];
	va_list		 ap;

	if (e->o.note == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	redact(msg, j->key);
	e->o.note(e->o.arg, msg);
}


/* The most calls provider p may have in flight. */
static double
provider_max(const struct engine *e, const struct provider *p)
{
	if (p->max_parallel > 0 && p->max_parallel < e->o.jobs)
		return p->max_parallel;
	return e->o.jobs;
}

static struct plimit *
plimit_of(struct engine *e, const struct provider *p)
{
	return &e->plim[p - e->cfg->providers];
}

/*
 * Create an engine for cfg (which must outlive it) with options o.
 * Loads libcurl.  Returns NULL with *cause on failure.
 */
struct engine *
engine_new(const struct config *cfg, const struct engine_opts *o, char **cause)
{
	struct engine	*e;
	size_t		 i;

	if (http_init(cause) == -1)
		return NULL;
	if ((e = calloc(1, sizeof *e)) == NULL) {
		*cause = strdup("out of memory");
		return NULL;
	}
	e->cfg = cfg;
	e->o = *o;
	rng_seed(&e->rng, o->seed);
	if (e->o.jobs < 1)
		e->o.jobs = 1;
	e->tail = &e->jobs;
	if ((e->plim = calloc(cfg->nproviders, sizeof *e->plim)) == NULL) {
		free(e);
		*cause = strdup("out of memory");
		return NULL;
	}
	for (i = 0; i < cfg->nproviders; i++)
		e->plim[i].limit = provider_max(e, &cfg->providers[i]);
	if ((e->multi = http_multi_new(cause)) == NULL) {
		free(e->plim);
		free(e);
		return NULL;
	}
	return e;
}

static void
attempt_clear(struct job *j)
{
	if (j->xfer != NULL) {
		plimit_of(j->eng, j->prov)->running--;
		http_free(j->eng->multi, j->xfer);
		j->xfer = NULL;
	}
	buf_free(&j->url);
	buf_free(&j->body);
	/* The header held the key: wipe it before the memory goes. */
	if (j->auth.len > 0)
		memset(j->auth.data, 0, j->auth.len);
	buf_free(&j->auth);
	buf_free(&j->resp);
	if (j->sse_on)
		sse_free(&j->sse);
	j->sse_on = 0;
}

static void
job_free(struct job *j)
{
	attempt_clear(j);
	wire_reply_free(&j->reply);
	free(j);
}

/* Free the engine and its jobs; any transfer still running is dropped. */
void
engine_free(struct engine *e)
{
	struct job *j, *next;

	if (e == NULL)
		return;
	for (j = e->jobs; j != NULL; j = next) {
		next = j->next;
		job_free(j);
	}
	http_multi_free(e->multi);
	free(e->plim);
	free(e);
}

/*
 * Queue a call of prompt p routed by d.  on_text receives answer text as
 * it arrives, on_done the result once; both get arg.  p must live until
 * on_done.  Returns 0 or -1 with *cause.
 */
int
engine_submit(struct engine *e, const struct prompt *p,
    const struct decision *d, engine_text_fn on_text, engine_done_fn on_done,
    void *arg, char **cause)
{
	const struct tier	*t = d->tier;
	const struct model	*m;
	struct job		*j;
	size_t			 i, k;

	if ((j = calloc(1, sizeof *j)) == NULL) {
		*cause = strdup("out of memory");
		return -1;
	}
	j->eng = e;
	j->prompt = p;
	j->dec = *d;
	j->on_text = on_text;
	j->on_done = on_done;
	j->arg = arg;
	j->cand[j->ncand++] = d->model;
	/* The tier's fallbacks, unless --model named one outside it. */
	if (t != NULL && (d->forced != FORCED_MODEL ||
	    config_model(e->cfg, t->model) == d->model)) {
		for (i = 0; i < t->nfallbacks && j->ncand < ENGINE_MAXMODELS;
		    i++) {
			m = config_model(e->cfg, t->fallbacks[i]);
			for (k = 0; k < j->ncand && j->cand[k] != m; k++)
				;
			if (m != NULL && k == j->ncand)
				j->cand[j->ncand++] = m;
		}
	}
	wire_reply_init(&j->reply, e->o.max_response);
	buf_init(&j->url, BUF_NOLIMIT);
	buf_init(&j->body, BUF_NOLIMIT);
	buf_init(&j->auth, BUF_NOLIMIT);
	buf_init(&j->resp, e->o.max_response);
	j->state = JOB_WAITING;
	now(&j->start);
	j->due = j->start;
	j->deadline = j->start;
	add_seconds(&j->deadline, (double)e->o.total_ms / 1000);
	*e->tail = j;
	e->tail = &j->next;
	e->pending++;
	return 0;
}

/* End job j with status st and hand the result over. */
static void
finish(struct job *j, enum engine_status st)
{
	struct engine	*e = j->eng;
	struct engine_result *r = &j->res;
	struct features	 f;
	struct timespec	 t;

	r->status = st;
	if (r->model == NULL)
		r->model = j->cand[j->ci < j->ncand ? j->ci : j->ncand - 1];
	r->provider = config_provider(e->cfg, r->model->provider);
	if (!r->usage.reported && (st == ENGINE_OK || j->reply.text.len > 0)) {
		/* An answer without usage: estimate, and say so. */
		memset(&r->usage, 0, sizeof r->usage);
		r->usage.input = j->dec.tokens_in;
		if (j->reply.text.len > 0) {
			features_extract(j->reply.text.data,
			    j->reply.text.len, &f);
			r->usage.output = f.tokens;
		}
		r->estimated = 1;
	} else if (!r->usage.reported)
		memset(&r->usage, 0, sizeof r->usage);	/* nothing billed */
	r->cost = cost_of(r->model, &r->usage);
	r->baseline_cost = cost_of(j->dec.baseline, &r->usage);
	now(&t);
	r->latency_ms = since(&j->start, &t) * 1000;
	r->answer = j->reply.text.data;
	r->answer_len = j->reply.text.len;
	snprintf(r->finish_reason, sizeof r->finish_reason, "%s",
	    j->reply.finish_reason);
	redact(r->error, j->key);
	attempt_clear(j);
	j->state = JOB_DONE;
	e->pending--;
	if (j->on_done != NULL)
		j->on_done(j->arg, r);
}

static void
set_error(struct job *j, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_error(struct job *j, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(j->res.error, sizeof j->res.error, fmt, ap);
	va_end(ap);
	redact(j->res.error, j->key);
}

/* Move to the next candidate after the current one failed for good. */
static void
next_model(struct job *j)
{
	if (j->res.nfailed < ENGINE_MAXMODELS)
		j->res.failed[j->res.nfailed++] = j->cand[j->ci]->name;
	j->ci++;
	j->tries = 0;
	j->picked = 0;
	now(&j->due);
	if (j->ci < j->ncand)
		note(j, "%s: falling back to %s", j->prompt->name,
		    j->cand[j->ci]->name);
}

/*
 * The value of header line (len bytes) through retry_after_parse when the
 * line is header name (given with its colon); else, or when the value
 * does not parse, -1.
 */
static double
header_retry(const char *line, size_t len, const char *name)
{
	char	v[128];
	size_t	n = strlen(name);

	if (len <= n || strncasecmp(line, name, n) != 0)
		return -1;
	len -= n;
	if (len > sizeof v - 1)
		len = sizeof v - 1;
	memcpy(v, line + n, len);
	v[len] = '\0';
	return retry_after_parse(v, time(NULL));
}

static void
on_header(void *arg, const char *line, size_t len)
{
	struct job	*j = arg;
	double		 d;

	if (len >= 5 && memcmp(line, "HTTP/", 5) == 0) {
		j->has_retry_after = 0;
		return;
	}
	if ((d = header_retry(line, len, "retry-after-ms:")) >= 0) {
		j->retry_after = d / 1000;
		j->has_retry_after = 2;	/* ms beats seconds */
	} else if (j->has_retry_after != 2 &&
	    (d = header_retry(line, len, "retry-after:")) >= 0) {
		j->retry_after = d;
		j->has_retry_after = 1;
	}
}

static int
on_event(void *arg, const char *event, const char *data, size_t len)
{
	struct job	*j = arg;
	size_t		 from;

	if (j->ops->event(&j->reply, event, data, len, &from) == -1) {
		if (errno == EFBIG || j->reply.text.len >= j->eng->o.max_response)
			j->toobig = 1;
		else
			j->bad_event = 1;
		return -1;
	}
	if (j->reply.text.len > from && j->on_text != NULL) {
		j->on_text(j->arg, j->reply.text.data + from,
		    j->reply.text.len - from);
		j->emitted += j->reply.text.len - from;
	}
	if (j->reply.error)
		return -1;
	return 0;
}

static int
on_data(void *arg, long status, const char *p, size_t n)
{
	struct job *j = arg;

	if (status >= 200 && status < 300 && j->sse_on) {
		if (sse_feed(&j->sse, p, n) == -1) {
			if (!j->bad_event && !j->reply.error)
				j->toobig = 1;
			return -1;
		}
		return 0;
	}
	if (buf_add(&j->resp, p, n) == -1) {
		j->toobig = 1;
		return -1;
	}
	return 0;
}

/*
 * Whether url is plain http:// to a host other than this machine's
 * loopback, where a key would cross the network in the clear.
 */
static int
insecure(const char *url)
{
	const char	*auth, *end, *at, *h, *q;
	size_t		 n;

	if (strncasecmp(url, "http://", 7) != 0)
		return 0;
	auth = url + 7;
	end = auth + strcspn(auth, "/?#");
	/* The host follows any user information. */
	for (at = auth, h = auth; at < end; at++)
		if (*at == '@')
			h = at + 1;
	if (*h == '[') {
		n = (size_t)(end - h);
		return !(n >= 5 && strncmp(h, "[::1]", 5) == 0 &&
		    (n == 5 || h[5] == ':'));
	}
	for (q = h; q < end && *q != ':'; q++)
		;
	n = (size_t)(q - h);
	if (n == 9 && strncasecmp(h, "localhost", 9) == 0)
		return 0;
	/* 127.0.0.0/8, written as four numbers. */
	if (n >= 7 && strncmp(h, "127.", 4) == 0 &&
	    strspn(h, "0123456789.") >= n) {
		size_t dots = 0, i;

		for (i = 0; i < n; i++)
			dots += h[i] == '.';
		return dots != 3;
	}
	return 1;
}

/* Prefix the last error with the list of models that failed. */
static void
all_failed(struct job *j)
{
	char	last[sizeof j->res.error], list[256];
	size_t	i, n = 0;

	snprintf(last, sizeof last, "%s", j->res.error);
	list[0] = '\0';
	for (i = 0; i < j->res.nfailed && n < sizeof list; i++)
		n += (size_t)snprintf(list + n, sizeof list - n, "%s%s",
		    i ? ", " : "", j->res.failed[i]);
	set_error(j, "every model failed (%s); last: %s", list, last);
}

/* Seconds left before the call's deadline. */
static double
time_left(const struct job *j)
{
	struct timespec t;

	now(&t);
	return since(&t, &j->deadline);
}

/*
 * Start the next attempt of j, passing over candidates that are cooling
 * down or have no key.  Finishes the job when no candidate is left.
 */
static void
start_attempt(struct job *j)
{
	struct engine		*e = j->eng;
	const struct model	*m;
	struct http_req		 req;
	struct chat		 chat;
	char			*cause = NULL;
	const char		*const *h;
	struct plimit		*pl;
	double			 left;
	size_t			 nh, nokey = 0, base;

	for (; !j->picked && j->ci < j->ncand; next_model(j)) {
		m = j->cand[j->ci];
		j->prov = config_provider(e->cfg, m->provider);
		j->ops = wire_ops_of(j->prov->wire);
		if (e->o.cooldown_path != NULL && (left = cooldown_remaining(
		    e->o.cooldown_path, m->name, time(NULL))) > 0) {
			note(j, "%s: %s is cooling down for %.0f s more",
			    j->prompt->name, m->name, left);
			set_error(j, "%s is cooling down after repeated "
			    "failures (%.0f s left)", m->name, left);
			continue;
		}
		j->key = e->o.key != NULL ? e->o.key(e->o.arg, j->prov) : "";
		if (j->key == NULL) {
			size_t len = strlen(j->nokey);

			nokey++;
			/* "VAR (model, model), VAR2 (model)" */
			if (j->lastvar != NULL &&
			    strcmp(j->lastvar, j->prov->key_env) == 0 && len > 0)
				snprintf(j->nokey + len - 1, sizeof j->nokey -
				    len + 1, ", %s)", m->name);
			else
				snprintf(j->nokey + len, sizeof j->nokey - len,
				    "%s%s (%s)", len ? ", " : "",
				    j->prov->key_env, m->name);
			j->lastvar = j->prov->key_env;
			set_error(j, "%s is not set (needed by %s)",
			    j->prov->key_env, m->name);
			note(j, "%s: passing over %s: %s is not set",
			    j->prompt->name, m->name, j->prov->key_env);
			continue;
		}
		if (j->key[0] != '\0' && !j->prov->allow_http &&
		    insecure(j->prov->base_url)) {
			set_error(j, "refusing to send the %s key over plain "
			    "HTTP to %s (use https, or set providers.%s."
			    "allow_http)", j->prov->name, j->prov->base_url,
			    j->prov->name);
			note(j, "%s: passing over %s: %s", j->prompt->name,
			    m->name, j->res.error);
			j->key = NULL;
			continue;
		}
		j->picked = 1;
		break;
	}
	if (j->ci < j->ncand && time_left(j) <= 0) {
		/* The model that used the time up stays the one reported. */
		if (j->res.model != NULL)
			set_error(j, "%s: no answer within %.0f s (--timeout)",
			    j->res.model->name, (double)e->o.total_ms / 1000);
		else
			set_error(j, "no answer within %.0f s (--timeout)",
			    (double)e->o.total_ms / 1000);
		finish(j, ENGINE_ERROR);
		return;
	}
	if (j->ci >= j->ncand) {
		j->res.missing_key = nokey > 0 && j->res.attempts == 0 &&
		    j->res.nfailed == nokey;
		if (!j->res.missing_key && j->res.nfailed > 1)
			all_failed(j);
		if (j->res.missing_key)
			set_error(j, "no API key: %s not set; export it, or "
			    "use --dry-run to see decisions without calling",
			    j->nokey);
		if (j->res.error[0] == '\0')
			set_error(j, "no model left to try");
		finish(j, ENGINE_ERROR);
		return;
	}

	m = j->cand[j->ci];
	pl = plimit_of(e, j->prov);
	if (pl->running >= (size_t)pl->limit)
		return;		/* the provider is full: wait a turn */
	attempt_clear(j);
	wire_reply_free(&j->reply);
	wire_reply_init(&j->reply, e->o.max_response);
	j->toobig = j->bad_event = 0;
	j->has_retry_after = 0;
	j->retry_after = 0;

	memset(&chat, 0, sizeof chat);
	chat.msgs = j->prompt->msgs;
	chat.nmsgs = j->prompt->nmsgs;
	/* A record's own system prompt and length win over the run's. */
	chat.system = j->prompt->system ? j->prompt->system : e->o.system;
	chat.max_tokens = j->prompt->max_tokens ? j->prompt->max_tokens :
	    e->o.max_tokens;
	chat.has_temperature = e->o.has_temperature;
	chat.temperature = e->o.temperature;
	chat.stream = e->o.stream;

	base = strlen(j->prov->base_url);
	while (base > 0 && j->prov->base_url[base - 1] == '/')
		base--;
	nh = 0;
	for (h = j->ops->headers; *h != NULL && nh < 6; h++)
		j->headers[nh++] = *h;
	if (buf_add(&j->url, j->prov->base_url, base) == -1 ||
	    buf_addstr(&j->url, j->ops->path) == -1 ||
	    j->ops->request(m, &chat, &j->body) == -1 ||
	    (j->key[0] != '\0' && (buf_addstr(&j->auth,
	    j->ops->key_header) == -1 || buf_addstr(&j->auth,
	    j->key) == -1))) {
		set_error(j, "out of memory");
		finish(j, ENGINE_ERROR);
		return;
	}
	if (j->key[0] != '\0')
		j->headers[nh++] = j->auth.data;
	j->headers[nh] = NULL;
	if (chat.stream) {
		sse_init(&j->sse, e->o.max_response, on_event, j);
		j->sse_on = 1;
	}

	memset(&req, 0, sizeof req);
	req.url = j->url.data;
	req.headers = j->headers;
	req.body = j->body.data;
	req.len = j->body.len;
	req.connect_timeout_ms = e->o.connect_ms;
	req.timeout_ms = (long)(time_left(j) * 1000) + 1;
	req.stall_ms = chat.stream ? e->o.stall_ms : 0;
	req.on_header = on_header;
	req.on_data = on_data;
	req.arg = j;
	j->res.attempts++;
	j->tries++;
	j->res.model = m;
	note(j, "%s: attempt %d: %s at %s", j->prompt->name, j->res.attempts,
	    m->name, j->url.data);
	if ((j->xfer = http_start(e->multi, &req, &cause)) == NULL) {
		set_error(j, "%s", cause ? cause : "out of memory");
		free(cause);
		finish(j, ENGINE_ERROR);
		return;
	}
	pl->running++;
	j->state = JOB_RUNNING;
}

static const char *
describe(const struct http_result *r, const struct wire_error *we,
    char *buf, size_t len)
{
	if (r->fail != HTTP_OK)
		snprintf(buf, len, "%s", r->error);
	else if (r->status >= 300 && r->status < 400)
		snprintf(buf, len, "HTTP %ld: a redirect, not followed",
		    r->status);
	else if (we->message[0] != '\0')
		snprintf(buf, len, "HTTP %ld: %s%s%s%s", r->status,
		    we->message, we->code[0] ? " (" : "", we->code,
		    we->code[0] ? ")" : "");
	else
		snprintf(buf, len, "HTTP %ld", r->status);
	return buf;
}

/* Decide what follows the attempt of j that ended with r. */
static void
attempt_done(struct job *j, const struct http_result *r)
{
	struct engine		*e = j->eng;
	const struct model	*m = j->cand[j->ci];
	struct wire_error	 we;
	struct plimit		*pl;
	enum outcome		 out;
	char			 what[1024];
	double			 delay;
	int			 ok_body = 1;

	memset(&we, 0, sizeof we);
	if (j->toobig) {
		snprintf(what, sizeof what, "response larger than %zu bytes",
		    e->o.max_response);
		out = OUTCOME_MODEL;
	} else if (j->reply.error) {
		we = j->reply.err;
		snprintf(what, sizeof what, "error in the stream: %s%s%s",
		    we.message, we.type[0] ? " " : "", we.type);
		out = OUTCOME_RETRY;
	} else if (j->bad_event) {
		snprintf(what, sizeof what, "malformed stream data");
		out = OUTCOME_RETRY;
	} else {
		if (r->fail == HTTP_OK && (r->status < 200 || r->status >= 300))
			wire_error_parse(j->resp.data, j->resp.len, &we);
		out = retry_classify(j->prov->wire, r, &we, j->has_retry_after);
		describe(r, &we, what, sizeof what);
		if (out == OUTCOME_OK) {
			if (!j->sse_on)
				ok_body = j->ops->response(j->resp.data,
				    j->resp.len, &j->reply) == 0 &&
				    !j->reply.error;
			else
				ok_body = j->reply.finished;
			if (!ok_body) {
				snprintf(what, sizeof what, j->sse_on ?
				    "the stream ended before its end marker" :
				    "malformed response body");
				out = OUTCOME_RETRY;
			}
		}
	}

	pl = plimit_of(e, j->prov);
	if (r->fail == HTTP_OK && r->status == 429) {
		pl->limit /= 2;
		if (pl->limit < 1)
			pl->limit = 1;
		note(j, "%s: rate limited: %s now takes %.0f calls at once",
		    j->prompt->name, j->prov->name, pl->limit);
	} else if (out == OUTCOME_OK) {
		pl->limit += 1 / pl->limit;
		if (pl->limit > provider_max(e, j->prov))
			pl->limit = provider_max(e, j->prov);
	}
	if (out == OUTCOME_OK) {
		if (!j->sse_on && j->on_text != NULL && j->reply.text.len > 0) {
			j->on_text(j->arg, j->reply.text.data,
			    j->reply.text.len);
			j->emitted = j->reply.text.len;
		}
		j->res.usage = j->reply.usage;
		if (e->o.cooldown_path != NULL)
			cooldown_record(e->o.cooldown_path, m->name, 0,
			    time(NULL), &e->o.cooldown);
		note(j, "%s: %s answered", j->prompt->name, m->name);
		finish(j, ENGINE_OK);
		return;
	}

	/* Text already went out: never let another attempt continue it. */
	if (j->emitted > 0) {
		j->res.cut_off = 1;
		j->res.usage = j->reply.usage;
		set_error(j, "%s: answer cut off: %s", m->name, what);
		if (e->o.cooldown_path != NULL && out != OUTCOME_REQUEST)
			cooldown_record(e->o.cooldown_path, m->name, 1,
			    time(NULL), &e->o.cooldown);
		finish(j, ENGINE_ERROR);
		return;
	}

	if (out == OUTCOME_REQUEST) {
		j->res.request_fault = 1;
		set_error(j, "%s: %s", m->name, what);
		finish(j, ENGINE_ERROR);
		return;
	}

	if (out == OUTCOME_RETRY && j->tries <= e->o.retries) {
		if (j->has_retry_after)
			delay = j->retry_after;
		else
			delay = retry_backoff(j->tries, e->o.backoff_base,
			    e->o.backoff_cap, &e->rng);
		if (delay <= e->o.max_wait &&
		    j->waited + delay <= 2 * e->o.max_wait &&
		    delay < time_left(j)) {
			j->waited += delay;
			note(j, "%s: %s: %s; retrying in %.2f s",
			    j->prompt->name, m->name, what, delay);
			attempt_clear(j);
			now(&j->due);
			add_seconds(&j->due, delay);
			j->state = JOB_WAITING;
			return;
		}
		if (j->has_retry_after && delay > e->o.max_wait)
			snprintf(what + strlen(what), sizeof what -
			    strlen(what), "; the server asks to wait %.0f s, "
			    "longer than %.0f s", delay, e->o.max_wait);
		else
			snprintf(what + strlen(what), sizeof what -
			    strlen(what), "; no time left to retry");
		out = OUTCOME_MODEL;
	}

	/* This model failed for good. */
	set_error(j, "%s: %s%s", m->name, what, out == OUTCOME_RETRY ?
	    " (retries spent)" : "");
	note(j, "%s: %s", j->prompt->name, j->res.error);
	if (e->o.cooldown_path != NULL)
		cooldown_record(e->o.cooldown_path, m->name, 1, time(NULL),
		    &e->o.cooldown);
	attempt_clear(j);
	next_model(j);
	j->state = JOB_WAITING;
}

/* Free the jobs that are done. */
static void
sweep(struct engine *e)
{
	struct job **pp = &e->jobs, *j;

	while ((j = *pp) != NULL) {
		if (j->state == JOB_DONE) {
			*pp = j->next;
			job_free(j);
		} else
			pp = &j->next;
	}
	e->tail = pp;
}

/* Jobs submitted and not yet done. */
size_t
engine_pending(const struct engine *e)
{
	return e->pending;
}

/*
 * One turn of the engine: start the attempts that are due and allowed,
 * wait for the transfers (at most until the next retry is due, or a byte
 * on wake_fd), and settle the finished ones.  stop 1 ends the jobs that
 * are not in flight as interrupted and lets transfers finish; stop 2 ends
 * every job now.  Returns 0, or -1 if libcurl failed.
 */
int
engine_step(struct engine *e, int wake_fd, int stop)
{
	struct http_result	 r;
	struct http_xfer	*x;
	struct timespec		 t;
	struct job		*j;
	double			 wait = 1.0, d;

	for (j = e->jobs; stop && j != NULL; j = j->next)
		if (j->state != JOB_DONE &&
		    (stop == 2 || j->state == JOB_WAITING)) {
			set_error(j, "interrupted");
			finish(j, ENGINE_INTERRUPTED);
		}
	now(&t);
	for (j = e->jobs; j != NULL; j = j->next) {
		if (j->state != JOB_WAITING)
			continue;
		d = since(&t, &j->due);
		if (d <= 0 && http_active(e->multi) < (size_t)e->o.jobs)
			start_attempt(j);
		else if (d > 0 && d < wait)
			wait = d;
	}
	if (e->pending > 0) {
		if (http_run(e->multi, (long)(wait * 1000) + 1, wake_fd) == -1)
			return -1;
		while ((x = http_next_done(e->multi, &r)) != NULL) {
			j = http_arg(x);
			attempt_done(j, &r);
		}
	}
	sweep(e);
	return 0;
}

/*
 * Run every queued job to its end.  wake_fd (or -1) is polled with the
 * transfers, so that a signal handler writing to it wakes the loop; once
 * *stop is set, every job ends as interrupted at once.  Returns 0, or -1
 * if libcurl failed.
 */
int
engine_run(struct engine *e, int wake_fd, volatile sig_atomic_t *stop)
{
	while (e->pending > 0)
		if (engine_step(e, wake_fd, stop != NULL && *stop ? 2 : 0) ==
		    -1)
			return -1;
	return 0;
}
