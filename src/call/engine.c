/*
 * engine.c: the engine that executes routed calls.
 *
 * A job is one prompt with its decision.  Its candidates are the chosen
 * model followed by the tier's fallbacks.  Each attempt is one HTTP
 * transfer; when it ends, retry_classify() says what happens next, and
 * this file holds the only retry loop: the same model again after a
 * backoff (or the server's Retry-After) while retries remain, else the
 * next candidate.  Models in cooldown, models whose key is not set,
 * base URLs that are not http:// or https:// URLs and keys that would
 * cross the network in the clear are passed over without an attempt.
 * A key the provider refused (retry_auth) starts no cooldown: the fault
 * is the key's, not the model's.  One refused as wrong (an
 * authentication failure) is not sent again by this engine: the
 * provider's other models are passed over, those of other providers
 * still tried.  A permission failure only fails its model.
 * Once answer text has been handed to the caller, a failure ends the
 * job: an answer is never silently continued by another model.
 *
 * Jobs run on one libcurl multi handle from one thread; engine_step()
 * waits on the transfers, the earliest retry time and the caller's
 * wake-up descriptor (a signal's self-pipe) together.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/cause.h"
#include "base/strset.h"
#include "call/api.h"
#include "call/engine.h"
#include "call/http.h"
#include "call/lpstate.h"
#include "call/retry.h"
#include "call/sse.h"
#include "call/wire.h"
#include "base/num.h"
#include "score/confidence.h"
#include "score/features.h"

#include "base/banned.h"

#define NS_PER_SECOND		1000000000L
#define MS_PER_SECOND		1000

/* The longest one engine_step waits for the transfers, in seconds. */
#define ENGINE_TURN_MAX		1.0

/* A request's headers: the wire format's own, the key's, the NULL. */
#define JOB_MAXHEADERS		8
#define JOB_MAXWIREHEADERS	(JOB_MAXHEADERS - 2)

/* The backoff a job may spend in all, in units of max_wait. */
#define WAIT_BUDGET		2

/* A 429 divides the calls a provider may take at once by this. */
#define PLIMIT_BACKOFF		2

#define NOTE_MAX		600	/* one line of progress */
#define WHAT_MAX		1024	/* what ended an attempt */
#define NOKEY_MAX		256	/* the variables found unset */
#define FAILED_LIST_MAX		256	/* the models that failed */

/* A job's part in a cascade. */
enum job_stage {
	STAGE_NONE,	/* no cascade */
	STAGE_CHEAP,	/* the cheap tier answers, held back */
	STAGE_VERIFY,	/* its model says whether the answer is right */
	STAGE_PREMIUM	/* the next tier up answers, handed out */
};

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
	int			 direct;	/* its request skips proxies */
	double			 waited;	/* seconds of backoff so far */
	char			 nokey[NOKEY_MAX]; /* variables found unset */
	const char		*lastvar;	/* the last one in nokey */
	size_t			 nkeyless;	/* candidates without a key */
	char			 refusal[WHAT_MAX]; /* the first refused key */
	enum job_state		 state;
	struct timespec		 start;
	struct timespec		 due;
	struct timespec		 deadline;	/* the whole call's end */
	int			 begun;		/* start and deadline are set */
	engine_text_fn		 on_text;
	engine_done_fn		 on_done;
	void			*arg;

	/* A cascade. */
	enum job_stage		 stage;
	engine_text_fn		 held_text;	/* on_text, held back */
	engine_done_fn		 on_stage;
	struct timespec		 cstart;	/* its first attempt */
	int			 cbegun;
	int			 lp_asked;	/* the attempt asks logprobs */
	/* The verify policy: the cheap answer kept aside, the question. */
	struct wire_reply	 cheap_reply;
	struct engine_result	 cheap_res;
	struct message		*vmsgs;
	size_t			 nvmsgs;
	struct timespec		 vstart;

	/* The attempt in flight. */
	const struct provider	*prov;
	const struct wire_ops	*ops;
	const char		*key;
	struct http_xfer	*xfer;
	struct buf		 url;
	struct buf		 body;
	struct buf		 auth;
	const char		*headers[JOB_MAXHEADERS];
	struct buf		 resp;		/* a body not streamed */
	struct sse		 sse;
	struct wire_reply	 reply;
	int			 sse_on;
	struct retry_wait	 wait;		/* what the server asked */
	enum retry_body		 body_state;	/* as the callbacks saw it */
	size_t			 emitted;	/* answer bytes handed out */

	struct engine_result	 res;
	struct job		*next;
};

/* A provider that refused its key as wrong: why, for the calls after. */
struct refusal {
	int	 refused;
	char	 why[WHAT_MAX];
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
	struct refusal		*refused;	/* one per provider */
	struct rng		 rng;		/* retry jitter */
	struct strset		 nolp;		/* models that reject
						   log-probabilities */
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
	    (double)(b->tv_nsec - a->tv_nsec) / NS_PER_SECOND;
}

static void
add_seconds(struct timespec *ts, double s)
{
	long ns = (long)(s * NS_PER_SECOND);

	ts->tv_sec += ns / NS_PER_SECOND;
	ts->tv_nsec += ns % NS_PER_SECOND;
	if (ts->tv_nsec >= NS_PER_SECOND) {
		ts->tv_sec++;
		ts->tv_nsec -= NS_PER_SECOND;
	}
}

static void
note(struct job *j, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
note(struct job *j, const char *fmt, ...)
{
	struct engine	*e = j->eng;
	char		 msg[NOTE_MAX];
	va_list		 ap;

	if (e->o.note == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	wire_redact(msg, j->key);
	e->o.note(e->o.arg, msg);
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
	wire_redact(j->res.error, j->key);
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

struct engine *
engine_new(const struct config *cfg, const struct engine_opts *o, char **cause)
{
	struct engine	*e;
	size_t		 i;

	if (http_init(cause) == -1)
		return NULL;
	if ((e = calloc(1, sizeof *e)) == NULL) {
		cause_set(cause, "out of memory");
		return NULL;
	}
	e->cfg = cfg;
	e->o = *o;
	rng_seed(&e->rng, o->seed);
	if (e->o.jobs < 1)
		e->o.jobs = 1;
	e->tail = &e->jobs;
	strset_init(&e->nolp);
	if ((e->plim = calloc(cfg->nproviders, sizeof *e->plim)) == NULL ||
	    (e->refused = calloc(cfg->nproviders, sizeof *e->refused)) ==
	    NULL) {
		free(e->plim);
		free(e);
		cause_set(cause, "out of memory");
		return NULL;
	}
	for (i = 0; i < cfg->nproviders; i++)
		e->plim[i].limit = provider_max(e, &cfg->providers[i]);
	if ((e->multi = http_multi_new(cause)) == NULL) {
		free(e->plim);
		free(e->refused);
		free(e);
		return NULL;
	}
	return e;
}

/* Drop what the attempt of j in flight holds: its transfer and buffers. */
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
	if (j->vmsgs != NULL)
		wire_reply_free(&j->cheap_reply);
	free(j->vmsgs);
	free(j);
}

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
	strset_free(&e->nolp);
	free(e->plim);
	free(e->refused);
	free(e);
}

/*
 * The candidates of j routed by d: the models of d->order, in turn (d's
 * model, then its tier's fallbacks, as policy_decide ordered them).
 */
static void
job_candidates(struct job *j, const struct decision *d)
{
	size_t i;

	for (i = 0; i < d->norder && j->ncand < ENGINE_MAXMODELS; i++)
		j->cand[j->ncand++] = d->order[i];
	if (j->ncand == 0)
		j->cand[j->ncand++] = d->model;
}

/*
 * Whether decision d makes a cascade in e: a tier below the top one,
 * chosen by the score or by --tier, with the cascade on.
 */
static int
cascades(const struct engine *e, const struct decision *d)
{
	const struct config *cfg = e->cfg;

	return e->o.cascade.on && d->tier != NULL &&
	    d->forced != FORCED_MODEL &&
	    (size_t)(d->tier - cfg->tiers) + 1 < cfg->ntiers;
}

/* The candidates of j's next stage: the tier above, then its fallbacks. */
static void
premium_candidates(struct job *j)
{
	const struct config	*cfg = j->eng->cfg;
	const struct tier	*t = j->res.cascade.tier + 1;
	const struct model	*m;
	size_t			 i;

	j->ncand = 0;
	j->cand[j->ncand++] = config_model(cfg, t->model);
	for (i = 0; i < t->nfallbacks && j->ncand < ENGINE_MAXMODELS; i++)
		if ((m = config_model(cfg, t->fallbacks[i])) != NULL)
			j->cand[j->ncand++] = m;
	j->res.cascade.tier = t;
	j->res.cascade.stage = ENGINE_STAGE_PREMIUM;
	j->stage = STAGE_PREMIUM;
	j->on_text = j->held_text;
}

/* Make job j of call c a cascade: from the cheap stage, or resumed. */
static void
cascade_start(struct job *j, const struct engine_call *c)
{
	j->held_text = c->on_text;
	j->on_text = NULL;
	j->on_stage = c->on_stage;
	j->stage = STAGE_CHEAP;
	j->res.cascade.stage = ENGINE_STAGE_CHEAP;
	j->res.cascade.threshold = j->eng->o.cascade.threshold;
	j->res.cascade.tier = c->dec->tier;
	if (c->escalated != NULL) {
		j->res.cascade = *c->escalated;
		j->res.cascade.tier = c->dec->tier;
		j->res.cascade.escalated = 1;
		j->res.cascade.first_token_ms = 0;
		premium_candidates(j);
	}
}

int
engine_submit(struct engine *e, const struct prompt *p,
    const struct decision *d, engine_text_fn on_text, engine_done_fn on_done,
    void *arg, char **cause)
{
	struct engine_call c = {
		.prompt = p,
		.dec = d,
		.on_text = on_text,
		.on_done = on_done,
		.arg = arg,
	};

	return engine_submit_call(e, &c, cause);
}

int
engine_submit_call(struct engine *e, const struct engine_call *c,
    char **cause)
{
	struct job *j;

	if ((j = calloc(1, sizeof *j)) == NULL)
		return cause_set(cause, "out of memory");
	if (c->request_id != NULL)
		snprintf(j->res.request_id, sizeof j->res.request_id, "%s",
		    c->request_id);
	else if (reqid_new(j->res.request_id, cause) == -1) {
		free(j);
		return -1;
	}
	j->eng = e;
	j->prompt = c->prompt;
	j->dec = *c->dec;
	j->on_text = c->on_text;
	j->on_done = c->on_done;
	j->arg = c->arg;
	job_candidates(j, c->dec);
	if (cascades(e, c->dec))
		cascade_start(j, c);
	wire_reply_init(&j->reply, e->o.max_response);
	buf_init(&j->url, BUF_NOLIMIT);
	buf_init(&j->body, BUF_NOLIMIT);
	buf_init(&j->auth, BUF_NOLIMIT);
	buf_init(&j->resp, e->o.max_response);
	j->state = JOB_WAITING;
	now(&j->due);
	*e->tail = j;
	e->tail = &j->next;
	e->pending++;
	return 0;
}

/*
 * The usage of j's result: the reported one, else an estimate when there
 * is an answer (said so), else nothing billed.
 */
static void
result_usage(struct job *j, enum engine_status st)
{
	struct engine_result	*r = &j->res;
	struct features		 f;

	if (r->usage.reported)
		return;
	memset(&r->usage, 0, sizeof r->usage);
	if (st != ENGINE_OK && j->reply.text.len == 0)
		return;
	r->usage.input = j->dec.tokens_in;
	if (j->reply.text.len > 0) {
		features_extract(j->reply.text.data, j->reply.text.len, &f);
		r->usage.output = f.tokens;
	}
	r->estimated = 1;
}

/* Fill in j's result as its call ended, with status st. */
static void
settle(struct job *j, enum engine_status st)
{
	struct engine		*e = j->eng;
	struct engine_result	*r = &j->res;
	struct timespec		 t;

	r->status = st;
	if (r->model == NULL)
		r->model = j->cand[j->ci < j->ncand ? j->ci : j->ncand - 1];
	r->provider = config_provider(e->cfg, r->model->provider);
	result_usage(j, st);
	r->cost = cost_of(r->model, &r->usage);
	r->baseline_cost = cost_of(j->dec.baseline, &r->usage);
	now(&t);
	r->latency_ms = j->begun ? since(&j->start, &t) * MS_PER_SECOND : 0;
	r->answer = j->reply.text.data;
	r->answer_len = j->reply.text.len;
	wire_redact(r->error, j->key);
	/* Without streaming, the answer is out once its call ends. */
	if ((j->stage == STAGE_PREMIUM || (j->stage == STAGE_CHEAP &&
	    !r->cascade.escalated)) && r->cascade.first_token_ms == 0 &&
	    j->cbegun)
		r->cascade.first_token_ms = since(&j->cstart, &t) *
		    MS_PER_SECOND;
}

static void	verify_failed(struct job *);
static void	verify_stopped(struct job *);

/* End job j with status st and hand the result over. */
static void
finish(struct job *j, enum engine_status st)
{
	struct engine		*e = j->eng;
	struct engine_result	*r = &j->res;

	if (j->stage == STAGE_VERIFY && st == ENGINE_ERROR) {
		verify_failed(j);
		return;
	}
	if (j->stage == STAGE_VERIFY)
		verify_stopped(j);
	settle(j, st);
	attempt_clear(j);
	j->state = JOB_DONE;
	e->pending--;
	if (j->on_done != NULL)
		j->on_done(j->arg, r);
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

/* Hand n bytes of answer text at p to j's caller. */
static void
hand_out(struct job *j, const char *p, size_t n)
{
	struct timespec t;

	if (j->stage != STAGE_NONE && j->res.cascade.first_token_ms == 0 &&
	    j->cbegun) {
		now(&t);
		j->res.cascade.first_token_ms = since(&j->cstart, &t) *
		    MS_PER_SECOND;
	}
	j->on_text(j->arg, p, n);
	j->emitted += n;
}

static void
on_header(void *arg, const char *line, size_t len)
{
	struct job *j = arg;

	retry_after_header(&j->wait, line, len, time(NULL));
}

/* One stream event: answer text goes out as it comes. */
static int
on_event(void *arg, const char *event, const char *data, size_t len)
{
	struct job	*j = arg;
	size_t		 from;

	if (j->ops->event(&j->reply, event, data, len, &from) == -1) {
		if (errno == EFBIG ||
		    j->reply.text.len >= j->eng->o.max_response)
			j->body_state = RETRY_BODY_TOOBIG;
		else
			j->body_state = RETRY_BODY_BAD_EVENT;
		return -1;
	}
	if (j->reply.text.len > from && j->on_text != NULL)
		hand_out(j, j->reply.text.data + from,
		    j->reply.text.len - from);
	if (j->reply.error)
		return -1;
	return 0;
}

/* Body bytes: a successful stream is parsed as it comes, others kept. */
static int
on_data(void *arg, long status, const char *p, size_t n)
{
	struct job *j = arg;

	if (http_success(status) && j->sse_on) {
		if (sse_feed(&j->sse, p, n) == -1) {
			/* Not stopped by on_event: the event passed the cap. */
			if (j->body_state == RETRY_BODY_OK && !j->reply.error)
				j->body_state = RETRY_BODY_TOOBIG;
			return -1;
		}
		return 0;
	}
	if (buf_add(&j->resp, p, n) == -1) {
		j->body_state = RETRY_BODY_TOOBIG;
		return -1;
	}
	return 0;
}

/* Prefix the last error with the list of models that failed. */
static void
all_failed(struct job *j)
{
	char	last[sizeof j->res.error], list[FAILED_LIST_MAX];
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
 * Whether the provider of candidate m of j refused its key as wrong in
 * this engine already (said so, if it did).
 */
static int
refused(struct job *j, const struct model *m)
{
	const struct engine	*e = j->eng;
	const struct refusal	*rf = &e->refused[j->prov - e->cfg->providers];

	if (!rf->refused)
		return 0;
	if (!j->res.auth_failed)
		snprintf(j->refusal, sizeof j->refusal, "%s", rf->why);
	note(j, "%s: passing over %s: %s refused its key", j->prompt->name,
	    m->name, j->prov->name);
	set_error(j, "%s: %s refused its key", m->name, j->prov->name);
	j->res.auth_failed = 1;
	return 1;
}

/* Whether candidate m of j is cooling down (said so, if it is). */
static int
cooling(struct job *j, const struct model *m)
{
	const struct engine	*e = j->eng;
	double			 left;

	if (e->o.cooldown_path == NULL || (left = cooldown_remaining(
	    e->o.cooldown_path, m->name, time(NULL), &e->o.cooldown)) <= 0)
		return 0;
	note(j, "%s: %s is cooling down for %.0f s more", j->prompt->name,
	    m->name, left);
	set_error(j, "%s is cooling down after repeated failures (%.0f s "
	    "left)", m->name, left);
	return 1;
}

/*
 * Whether the key of candidate m of j is not set; if so it joins the
 * list of unset variables: "VAR (model, model), VAR2 (model)".
 */
static int
keyless(struct job *j, const struct model *m)
{
	const struct engine	*e = j->eng;
	const char		*var = j->prov->key_env;
	size_t			 len = strlen(j->nokey);

	j->key = e->o.key != NULL ? e->o.key(e->o.arg, j->prov) : "";
	if (j->key != NULL)
		return 0;
	j->nkeyless++;
	if (j->lastvar != NULL && strcmp(j->lastvar, var) == 0 && len > 0)
		snprintf(j->nokey + len - 1, sizeof j->nokey - len + 1,
		    ", %s)", m->name);
	else
		snprintf(j->nokey + len, sizeof j->nokey - len, "%s%s (%s)",
		    len ? ", " : "", var, m->name);
	j->lastvar = var;
	set_error(j, "%s is not set (needed by %s)", var, m->name);
	note(j, "%s: passing over %s: %s is not set", j->prompt->name,
	    m->name, var);
	return 1;
}

/*
 * Append to b the URL of j's requests: the base URL without trailing
 * slashes, then the wire format's path.  Returns 0, or -1 (memory).
 */
static int
request_url(const struct job *j, struct buf *b)
{
	const char	*base = j->prov->base_url;
	size_t		 n = strlen(base);

	while (n > 0 && base[n - 1] == '/')
		n--;
	if (buf_add(b, base, n) == -1)
		return -1;
	return buf_addstr(b, j->ops->path);
}

/*
 * Whether candidate m of j must be passed over for where its requests
 * go: a base URL that is not an http:// or https:// URL, or a secret (the
 * key, or a password in the URL) that would go out in the clear to
 * another host than this machine's loopback, unless the provider has
 * allow_http.  A secret sent in the clear goes to the host itself, never
 * through a proxy (j->direct).
 */
static int
unsafe_url(struct job *j, const struct model *m)
{
	struct buf	 url = BUF_INIT;
	char		*cause = NULL;
	int		 r = 0;

	if (request_url(j, &url) == -1) {
		set_error(j, "out of memory");
		r = 1;
	} else if (api_url_check(j->prov, j->key, url.data, &j->direct,
	    &cause) == -1) {
		set_error(j, "%s", cause != NULL ? cause : "out of memory");
		r = 1;
	}
	if (r) {
		note(j, "%s: passing over %s: %s", j->prompt->name, m->name,
		    j->res.error);
		j->key = NULL;
	}
	free(cause);
	buf_free(&url);
	return r;
}

/*
 * Choose the candidate of j to try: the current one if it was chosen
 * already, else the first from it on that is not cooling down, has its
 * key and a base URL that is safe to send it to (unsafe_url).  Returns
 * whether one is left.
 */
static int
choose_candidate(struct job *j)
{
	const struct model *m;

	while (!j->picked && j->ci < j->ncand) {
		m = j->cand[j->ci];
		j->prov = config_provider(j->eng->cfg, m->provider);
		j->ops = wire_ops_of(j->prov->wire);
		if (refused(j, m) || cooling(j, m) || keyless(j, m) ||
		    unsafe_url(j, m))
			next_model(j);
		else
			j->picked = 1;
	}
	return j->ci < j->ncand;
}

/* End j, out of time or of candidates (left says which), with its error. */
static void
give_up(struct job *j, int left)
{
	struct engine_result	*r = &j->res;
	double			 limit = (double)j->eng->o.total_ms /
				    MS_PER_SECOND;

	if (left) {
		/* The model that used the time up stays the one reported. */
		if (r->model != NULL)
			set_error(j, "%s: no answer within %g s (--timeout)",
			    r->model->name, limit);
		else
			set_error(j, "no answer within %g s (--timeout)",
			    limit);
	} else {
		r->missing_key = j->nkeyless > 0 && r->attempts == 0 &&
		    r->nfailed == j->nkeyless;
		if (r->missing_key)
			set_error(j, "no API key: %s not set; export it, or "
			    "use --dry-run to see decisions without calling",
			    j->nokey);
		else if (r->auth_failed && r->nfailed > 1)
			set_error(j, "every model failed; %s", j->refusal);
		else if (r->auth_failed)
			set_error(j, "%s", j->refusal);
		else if (r->nfailed > 1)
			all_failed(j);
		if (r->error[0] == '\0')
			set_error(j, "no model left to try");
	}
	finish(j, ENGINE_ERROR);
}

/* What to send for j: a record's own system prompt and length win. */
static void
job_chat(const struct job *j, struct wire_chat *c)
{
	const struct engine_opts	*o = &j->eng->o;
	const struct prompt		*p = j->prompt;

	*c = (struct wire_chat){
		.msgs = p->msgs,
		.nmsgs = p->nmsgs,
		.system = p->system != NULL ? p->system : o->system,
		.max_tokens = p->max_tokens != 0 ? p->max_tokens :
		    o->max_tokens,
		.has_temperature = o->has_temperature,
		.temperature = o->temperature,
		.stream = o->stream,
	};
	if (j->stage == STAGE_VERIFY) {
		c->msgs = j->vmsgs;
		c->nmsgs = j->nvmsgs;
		c->max_tokens = ENGINE_VERIFY_TOKENS;
	}
}

/*
 * Build the request of j's attempt on candidate m: the URL
 * (request_url), the headers (the format's own, then the key's) and the
 * body of c.  Returns 0, or -1 when memory runs out.
 */
static int
build_request(struct job *j, const struct model *m,
    const struct wire_chat *c)
{
	const char	*const *h;
	size_t		 nh = 0;
	int		 r = 0;

	r |= request_url(j, &j->url);
	r |= j->ops->request(m, c, &j->body);
	for (h = j->ops->headers; *h != NULL && nh < JOB_MAXWIREHEADERS; h++)
		j->headers[nh++] = *h;
	if (r == 0 && j->key[0] != '\0') {
		r |= buf_addstr(&j->auth, j->ops->key_header);
		r |= buf_addstr(&j->auth, j->key);
		j->headers[nh++] = j->auth.data;
	}
	j->headers[nh] = NULL;
	return r ? -1 : 0;
}

/*
 * Start the transfer of j's request on candidate m, streamed or not.
 * Returns 0, or -1 with the job's error set.
 */
static int
start_transfer(struct job *j, const struct model *m, int stream)
{
	struct engine	*e = j->eng;
	char		*cause = NULL;
	struct buf	 shown = BUF_INIT;
	struct http_req	 req = {
		.url = j->url.data,
		.headers = j->headers,
		.body = j->body.data,
		.len = j->body.len,
		.connect_timeout_ms = e->o.connect_ms,
		/* Rounded up: 0 would mean no limit at all. */
		.timeout_ms = (long)(time_left(j) * MS_PER_SECOND) + 1,
		.stall_ms = stream ? e->o.stall_ms : 0,
		.no_proxy = j->direct,
		.on_header = on_header,
		.on_data = on_data,
		.arg = j,
	};

	if (stream) {
		sse_init(&j->sse, e->o.max_response, on_event, j);
		j->sse_on = 1;
	}
	j->res.attempts++;
	j->tries++;
	j->res.model = m;
	if (config_url_shown(&shown, j->url.data) == 0)
		note(j, "%s: attempt %d: %s at %s (request_id %s)",
		    j->prompt->name, j->res.attempts, m->name, shown.data,
		    j->res.request_id);
	buf_free(&shown);
	if ((j->xfer = http_start(e->multi, &req, &cause)) == NULL) {
		set_error(j, "%s", cause ? cause : "out of memory");
		free(cause);
		return -1;
	}
	plimit_of(e, j->prov)->running++;
	j->state = JOB_RUNNING;
	return 0;
}

/*
 * Whether to ask candidate m of j for log-probabilities: an OpenAI
 * format model not known to reject them, in this engine or in the state
 * file (then remembered in the engine).
 */
static int
logprobs_wanted(struct job *j, const struct model *m)
{
	struct engine	*e = j->eng;
	const char	*path = e->o.cascade.lp_path;
	size_t		 n = strlen(m->name);

	if (j->prov->wire != WIRE_OPENAI)
		return 0;
	if (!strset_has(&e->nolp, m->name, n) && (path == NULL ||
	    !lpstate_rejects(path, m->name, time(NULL))))
		return 1;
	j->res.cascade.lp_rejected = 1;
	(void)strset_add(&e->nolp, m->name, n);
	return 0;
}

/*
 * Start the next attempt of j, unless its provider has as many calls in
 * flight as it may take (the job then waits a turn).  Finishes the job
 * when its time is up, no candidate is left or the attempt cannot start.
 */
static void
start_attempt(struct job *j)
{
	struct engine		*e = j->eng;
	const struct model	*m;
	struct plimit		*pl;
	struct wire_chat	 chat;
	int			 left;

	/* The call's time runs from its first attempt, not from the queue. */
	if (!j->begun) {
		now(&j->start);
		j->deadline = j->start;
		add_seconds(&j->deadline, (double)e->o.total_ms /
		    MS_PER_SECOND);
		j->begun = 1;
		if (!j->cbegun) {
			j->cstart = j->start;
			j->cbegun = 1;
		}
	}
	left = choose_candidate(j);
	if (!left || time_left(j) <= 0) {
		give_up(j, left);
		return;
	}
	m = j->cand[j->ci];
	pl = plimit_of(e, j->prov);
	if (pl->running >= (size_t)pl->limit)
		return;
	attempt_clear(j);
	wire_reply_free(&j->reply);
	wire_reply_init(&j->reply, e->o.max_response);
	j->reply.secret = j->key;
	memset(&j->wait, 0, sizeof j->wait);
	j->body_state = RETRY_BODY_OK;
	job_chat(j, &chat);
	chat.logprobs = j->lp_asked = (j->stage == STAGE_CHEAP ||
	    j->stage == STAGE_VERIFY) && logprobs_wanted(j, m);
	if (build_request(j, m, &chat) == -1) {
		set_error(j, "out of memory");
		finish(j, ENGINE_ERROR);
		return;
	}
	if (start_transfer(j, m, chat.stream) == -1)
		finish(j, ENGINE_ERROR);
}

/*
 * Describe in *end how the attempt of j ended with r: what became of the
 * body, and the error the server sent (parsed into *we, or the stream's).
 * A whole 2xx body that is not streamed is read into j's reply here.
 */
static void
attempt_end(struct job *j, const struct http_result *r,
    struct retry_end *end, struct wire_error *we)
{
	memset(we, 0, sizeof *we);
	end->wire = j->prov->wire;
	end->http = r;
	end->error = we;
	end->retry_after = j->wait.from;
	end->body = j->body_state;
	end->max_response = j->eng->o.max_response;
	if (end->body == RETRY_BODY_TOOBIG)
		return;
	if (j->reply.error) {
		end->body = RETRY_BODY_STREAM_ERROR;
		end->error = &j->reply.err;
		return;
	}
	if (end->body != RETRY_BODY_OK || r->fail != HTTP_OK)
		return;
	if (!http_success(r->status))
		wire_error_parse(j->resp.data, j->resp.len, j->key, we);
	else if (j->sse_on) {
		if (!j->reply.finished)
			end->body = RETRY_BODY_CUT;
	} else if (j->ops->response(j->resp.data, j->resp.len,
	    &j->reply) == -1 || j->reply.error)
		end->body = RETRY_BODY_BAD;
}

/* Adjust the calls j's provider may take at once to verdict v. */
static void
throttle(struct job *j, const struct retry_verdict *v)
{
	struct engine	*e = j->eng;
	struct plimit	*pl = plimit_of(e, j->prov);

	if (v->rate_limited) {
		pl->limit /= PLIMIT_BACKOFF;
		if (pl->limit < 1)
			pl->limit = 1;
		note(j, "%s: rate limited: %s now takes %.0f calls at once",
		    j->prompt->name, j->prov->name, pl->limit);
	} else if (v->outcome == OUTCOME_OK) {
		pl->limit += 1 / pl->limit;
		if (pl->limit > provider_max(e, j->prov))
			pl->limit = provider_max(e, j->prov);
	}
}

/*
 * Remember in the cooldown state that m failed (saying why, what: NULL
 * for none) or answered.
 */
static void
cooldown_note(struct job *j, const struct model *m, int failed,
    const char *what)
{
	const struct engine	*e = j->eng;
	char			 why[WHAT_MAX];

	if (e->o.cooldown_path == NULL)
		return;
	snprintf(why, sizeof why, "%s", what != NULL ? what : "");
	wire_redact(why, j->key);
	cooldown_record(e->o.cooldown_path, m->name, failed, why, time(NULL),
	    &e->o.cooldown);
}

/*
 * Whether the cheap answer of m to j is unsure (1) or sure (0): its
 * confidence under the threshold or, without log-probabilities, m's
 * missing policy says so; -1 when the policy is to ask m (verify).
 */
static int
unsure(struct job *j, const struct model *m)
{
	const struct engine_cascade_opts	*o = &j->eng->o.cascade;
	struct engine_cascade			*c = &j->res.cascade;
	char					 v[NUM_FMTLEN];

	if (j->reply.has_logprobs && confidence_of(j->reply.lp,
	    j->reply.nlp, (enum confidence_stat)o->stat, o->quantile,
	    &c->confidence) == 0) {
		c->has_confidence = 1;
		c->escalated = c->confidence < c->threshold;
		note(j, "%s: %s's confidence %s (%s), threshold %g: %s",
		    j->prompt->name, m->name,
		    num_fmt(v, sizeof v, "%.4f", c->confidence),
		    confidence_stat_name((enum confidence_stat)o->stat),
		    c->threshold, c->escalated ? "escalating" :
		    "keeping its answer");
		return c->escalated;
	}
	if (config_cascade_missing(j->eng->cfg, m) == CASCADE_MISSING_VERIFY)
		return -1;
	c->escalated = config_cascade_missing(j->eng->cfg, m) !=
	    CASCADE_MISSING_KEEP;
	c->missing = c->escalated ? ENGINE_MISSING_ESCALATE :
	    ENGINE_MISSING_KEEP;
	note(j, "%s: %s gave no log-probabilities: %s", j->prompt->name,
	    m->name, c->escalated ? "escalating" : "keeping its answer");
	return c->escalated;
}

/*
 * The cheap answer of j was unsure: its call is told (on_stage), as one
 * that costs but saves nothing against the baseline, and the next tier
 * is called under the same request id.
 */
/* As escalate, with j's result of the cheap call filled in already. */
static void
escalate_settled(struct job *j)
{
	struct engine_cascade	c;
	char			id[REQID_SIZE];

	j->res.baseline_cost = 0;
	j->res.cascade.escalated = 1;
	if (j->on_stage != NULL)
		j->on_stage(j->arg, &j->res);
	c = j->res.cascade;
	c.stage = ENGINE_STAGE_CHEAP;
	memcpy(id, j->res.request_id, sizeof id);
	attempt_clear(j);
	memset(&j->res, 0, sizeof j->res);
	memcpy(j->res.request_id, id, sizeof id);
	j->res.cascade = c;
	j->res.cascade.lp_rejected = 0;
	premium_candidates(j);
	j->ci = 0;
	j->tries = 0;
	j->picked = 0;
	j->waited = 0;
	j->nokey[0] = '\0';
	j->lastvar = NULL;
	j->nkeyless = 0;
	j->refusal[0] = '\0';
	j->begun = 0;
	j->emitted = 0;
	wire_reply_free(&j->reply);
	wire_reply_init(&j->reply, j->eng->o.max_response);
	j->state = JOB_WAITING;
	now(&j->due);
}

static void
escalate(struct job *j)
{
	settle(j, ENGINE_OK);
	escalate_settled(j);
}

/*
 * The verdict of the reply r to the verify question: the confidence of
 * the cheap answer into *conf.  Returns 0, or -1 when the reply is
 * neither yes nor no.
 */
static int
verdict(const struct wire_reply *r, double *conf)
{
	const char	*s = r->text.data, *end = s + r->text.len;
	char		 w[4];
	size_t		 n = 0;
	double		 p = 1;

	while (s < end && !((*s >= 'a' && *s <= 'z') ||
	    (*s >= 'A' && *s <= 'Z')))
		s++;
	while (s < end && n < sizeof w - 1 && ((*s >= 'a' && *s <= 'z') ||
	    (*s >= 'A' && *s <= 'Z')))
		w[n++] = (char)(*s++ | 0x20);
	w[n] = '\0';
	if (s < end && ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return -1;	/* a longer word */
	if (r->has_logprobs && r->nlp > 0 && r->lp[0] <= 0)
		p = exp(r->lp[0]);
	if (strcmp(w, "yes") == 0)
		*conf = p;
	else if (strcmp(w, "no") == 0)
		*conf = 1 - p;
	else
		return -1;
	return 0;
}

/*
 * Ask m whether its cheap answer to j is right: the answer and its
 * settled result are kept aside, and the question goes to m alone, as
 * the verify stage of the same request.
 */
static void
verify_start(struct job *j, const struct model *m)
{
	const struct prompt	*p = j->prompt;
	struct message		*v;

	settle(j, ENGINE_OK);
	j->res.cascade.first_token_ms = 0;
	if ((v = calloc(p->nmsgs + 2, sizeof *v)) == NULL) {
		j->res.cascade.missing = ENGINE_MISSING_ESCALATE;
		escalate_settled(j);
		return;
	}
	j->cheap_res = j->res;
	j->cheap_reply = j->reply;
	wire_reply_init(&j->reply, j->eng->o.max_response);
	memcpy(v, p->msgs, p->nmsgs * sizeof *v);
	v[p->nmsgs].role = (char *)(uintptr_t)"assistant";
	v[p->nmsgs].content = j->cheap_reply.text.data;
	v[p->nmsgs + 1].role = (char *)(uintptr_t)"user";
	v[p->nmsgs + 1].content = (char *)(uintptr_t)ENGINE_VERIFY_PROMPT;
	j->vmsgs = v;
	j->nvmsgs = p->nmsgs + 2;
	note(j, "%s: %s gave no log-probabilities: asking it whether its "
	    "answer is right", p->name, m->name);
	attempt_clear(j);
	memset(&j->res, 0, sizeof j->res);
	memcpy(j->res.request_id, j->cheap_res.request_id,
	    sizeof j->res.request_id);
	j->res.cascade = j->cheap_res.cascade;
	j->res.cascade.stage = ENGINE_STAGE_VERIFY;
	j->res.cascade.missing = ENGINE_MISSING_VERIFY;
	j->cand[0] = m;
	j->ncand = 1;
	j->ci = 0;
	j->tries = 0;
	j->picked = 0;
	j->stage = STAGE_VERIFY;
	now(&j->vstart);
	j->state = JOB_WAITING;
	now(&j->due);
}

/*
 * The verify call of j has ended (its result settled, ok says whether it
 * answered): it is told as a stage of its own, then the cheap answer
 * comes back with the verdict, and is kept or escalates.
 */
static void
verify_end(struct job *j, int ok)
{
	struct engine_cascade	*c = &j->cheap_res.cascade;
	struct timespec		 t;
	double			 conf;

	c->missing = ENGINE_MISSING_VERIFY;
	if (ok && verdict(&j->reply, &conf) == 0) {
		c->has_confidence = 1;
		c->confidence = conf;
		c->escalated = conf < c->threshold;
	} else
		c->escalated = 1;
	note(j, "%s: %s", j->prompt->name, c->escalated ?
	    "not verified: escalating" : "verified: keeping the answer");
	now(&t);
	j->res.latency_ms = since(&j->vstart, &t) * MS_PER_SECOND;
	j->res.baseline_cost = 0;
	j->res.cascade = *c;
	j->res.cascade.stage = ENGINE_STAGE_VERIFY;
	j->res.cascade.first_token_ms = 0;
	if (j->on_stage != NULL)
		j->on_stage(j->arg, &j->res);
	attempt_clear(j);
	wire_reply_free(&j->reply);
	j->reply = j->cheap_reply;
	j->res = j->cheap_res;
	j->res.answer = j->reply.text.data;
	j->stage = STAGE_CHEAP;
	free(j->vmsgs);
	j->vmsgs = NULL;
	if (j->res.cascade.escalated) {
		escalate_settled(j);
		return;
	}
	j->on_text = j->held_text;
	if (j->on_text != NULL && j->reply.text.len > 0)
		hand_out(j, j->reply.text.data, j->reply.text.len);
	finish(j, ENGINE_OK);
}

/*
 * j was stopped while its question was out: what was paid for is the
 * cheap answer, so its result is the one to settle and hand over, with
 * the status the stop gives it.
 */
static void
verify_stopped(struct job *j)
{
	attempt_clear(j);
	wire_reply_free(&j->reply);
	j->reply = j->cheap_reply;
	j->res = j->cheap_res;
	j->stage = STAGE_CHEAP;
	free(j->vmsgs);
	j->vmsgs = NULL;
}

/* The verify call of j failed: the cheap answer escalates. */
static void
verify_failed(struct job *j)
{
	settle(j, ENGINE_ERROR);
	verify_end(j, 0);
}

/* m answered j: hand out what did not stream, and finish. */
static void
answered(struct job *j, const struct model *m)
{
	int held = j->stage == STAGE_CHEAP, u;

	j->res.usage = j->reply.usage;
	wire_finish_reason(j->reply.finish_reason, j->res.finish_reason,
	    sizeof j->res.finish_reason);
	j->res.truncated = strcmp(j->res.finish_reason,
	    WIRE_FINISH_LENGTH) == 0;
	cooldown_note(j, m, 0, NULL);
	note(j, "%s: %s answered", j->prompt->name, m->name);
	if (j->stage == STAGE_VERIFY) {
		settle(j, ENGINE_OK);
		verify_end(j, 1);
		return;
	}
	if (held && (u = unsure(j, m)) != 0) {
		if (u == -1)
			verify_start(j, m);
		else
			escalate(j);
		return;
	}
	if (held)
		j->on_text = j->held_text;
	if ((!j->sse_on || held) && j->on_text != NULL &&
	    j->reply.text.len > 0)
		hand_out(j, j->reply.text.data, j->reply.text.len);
	finish(j, ENGINE_OK);
}

/*
 * Whether the attempt that ended with r and the error we refused the
 * log-probabilities parameter: a 400 that names it.
 */
static int
logprobs_refused(const struct http_result *r, const struct wire_error *we)
{
	return r->fail == HTTP_OK && r->status == 400 && we != NULL &&
	    (strcasestr(we->message, "logprobs") != NULL ||
	    strcasestr(we->code, "logprobs") != NULL ||
	    strcasestr(we->type, "logprobs") != NULL);
}

/*
 * m refused j's log-probabilities: remember it, in this engine and in
 * the state file, and ask m again at once without them (no retry spent).
 */
static void
logprobs_dropped(struct job *j, const struct model *m)
{
	struct engine	*e = j->eng;
	const char	*path = e->o.cascade.lp_path;

	(void)strset_add(&e->nolp, m->name, strlen(m->name));
	if (path != NULL && lpstate_record(path, m->name, time(NULL)) == -1)
		note(j, "%s: %s", path, strerror(errno));
	note(j, "%s: %s rejects log-probabilities; asking it without them",
	    j->prompt->name, m->name);
	j->res.cascade.lp_rejected = 1;
	attempt_clear(j);
	j->tries--;
	now(&j->due);
	j->state = JOB_WAITING;
}

/*
 * Schedule another attempt on the same model after the server's wait or
 * a backoff, if that fits the limits; returns 1.  Else returns 0 with the
 * reason added to what (len bytes).
 */
static int
retry_later(struct job *j, const struct model *m, char *what, size_t len)
{
	struct engine	*e = j->eng;
	size_t		 n = strlen(what);
	double		 delay;

	if (j->wait.from != RETRY_AFTER_NONE)
		delay = j->wait.seconds;
	else
		delay = retry_backoff(j->tries, e->o.backoff_base,
		    e->o.backoff_cap, &e->rng);
	if (delay <= e->o.max_wait &&
	    j->waited + delay <= WAIT_BUDGET * e->o.max_wait &&
	    delay < time_left(j)) {
		j->waited += delay;
		note(j, "%s: %s: %s; retrying in %.2f s", j->prompt->name,
		    m->name, what, delay);
		attempt_clear(j);
		now(&j->due);
		add_seconds(&j->due, delay);
		j->state = JOB_WAITING;
		return 1;
	}
	if (j->wait.from != RETRY_AFTER_NONE && delay > e->o.max_wait)
		snprintf(what + n, len - n, "; the server asks to wait %.0f s, "
		    "longer than %.0f s", delay, e->o.max_wait);
	else
		snprintf(what + n, len - n, "; no time left to retry");
	return 0;
}

/*
 * The words for the key of j's provider: where it came from (its
 * variable, or the configuration's api_key), never the key.
 */
static void
key_source(const struct job *j, char *buf, size_t len)
{
	const struct provider *p = j->prov;

	if (j->key != NULL && p->api_key != NULL && j->key == p->api_key)
		snprintf(buf, len, "the api_key of providers.%s in the "
		    "configuration", p->name);
	else if (p->key_env != NULL)
		snprintf(buf, len, "the API key in %s", p->key_env);
	else
		snprintf(buf, len, "no API key (providers.%s.api_key_env is "
		    "null)", p->name);
}

/*
 * The provider of candidate m refused j's key (auth, as retry_auth
 * says; what describes the response): remember the first such refusal
 * for the call's error, and, for a key refused as wrong, that the
 * provider is not to be sent it again.  No cooldown: the model is fine.
 */
static void
key_refused(struct job *j, const struct model *m, const char *what,
    enum retry_auth auth)
{
	struct engine	*e = j->eng;
	struct refusal	*rf = &e->refused[j->prov - e->cfg->providers];
	char		 src[NOTE_MAX], why[WHAT_MAX];

	key_source(j, src, sizeof src);
	snprintf(why, sizeof why, auth == RETRY_AUTH_KEY ? "%s refused %s "
	    "(%s: %s); check it" : "%s denied %s permission (%s: %s)",
	    j->prov->name, src, m->name, what);
	wire_redact(why, j->key);
	if (!j->res.auth_failed)
		snprintf(j->refusal, sizeof j->refusal, "%s", why);
	j->res.auth_failed = 1;
	if (auth == RETRY_AUTH_KEY && !rf->refused) {
		rf->refused = 1;
		snprintf(rf->why, sizeof rf->why, "%s", why);
	}
}

/* m failed j for good (spent: after its retries): fall back. */
static void
model_failed(struct job *j, const struct model *m, const char *what,
    int spent, enum retry_auth auth)
{
	set_error(j, "%s: %s%s", m->name, what, spent ? " (retries spent)" :
	    "");
	note(j, "%s: %s", j->prompt->name, j->res.error);
	if (auth != RETRY_AUTH_NONE)
		key_refused(j, m, what, auth);
	else
		cooldown_note(j, m, 1, what);
	attempt_clear(j);
	next_model(j);
	j->state = JOB_WAITING;
}

/* Act on the verdict about the attempt of j that ended with r. */
static void
attempt_done(struct job *j, const struct http_result *r)
{
	const struct model	*m = j->cand[j->ci];
	struct retry_end	 end;
	struct retry_verdict	 v;
	struct wire_error	 we;
	char			 what[WHAT_MAX];

	attempt_end(j, r, &end, &we);
	v = retry_classify(&end);
	retry_describe(&end, what, sizeof what);
	throttle(j, &v);
	if (v.outcome == OUTCOME_OK) {
		answered(j, m);
		return;
	}
	/* Text already went out: never let another attempt continue it. */
	if (j->emitted > 0) {
		j->res.cut_off = 1;
		j->res.usage = j->reply.usage;
		set_error(j, "%s: answer cut off: %s", m->name, what);
		if (v.outcome != OUTCOME_REQUEST && v.auth == RETRY_AUTH_NONE)
			cooldown_note(j, m, 1, what);
		finish(j, ENGINE_ERROR);
		return;
	}
	if (v.outcome == OUTCOME_REQUEST && j->lp_asked &&
	    logprobs_refused(r, end.error)) {
		logprobs_dropped(j, m);
		return;
	}
	if (v.outcome == OUTCOME_REQUEST) {
		set_error(j, "%s: %s", m->name, what);
		finish(j, ENGINE_ERROR);
		return;
	}
	if (v.outcome == OUTCOME_RETRY && j->tries <= j->eng->o.retries) {
		if (retry_later(j, m, what, sizeof what))
			return;
		v.outcome = OUTCOME_MODEL;
	}
	model_failed(j, m, what, v.outcome == OUTCOME_RETRY, v.auth);
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

size_t
engine_pending(const struct engine *e)
{
	return e->pending;
}

int
engine_step(struct engine *e, int wake_fd, enum engine_stop stop)
{
	struct http_result	 r;
	struct http_xfer	*x;
	struct timespec		 t;
	struct job		*j;
	double			 wait = ENGINE_TURN_MAX, d;

	for (j = e->jobs; stop != ENGINE_STOP_NONE && j != NULL; j = j->next)
		if (j->state != JOB_DONE && (stop == ENGINE_STOP_ABORT ||
		    j->state == JOB_WAITING)) {
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
		/* Rounded up, so that a due retry is not missed by a hair. */
		if (http_run(e->multi, (long)(wait * MS_PER_SECOND) + 1,
		    wake_fd) == -1)
			return -1;
		while ((x = http_next_done(e->multi, &r)) != NULL) {
			j = http_arg(x);
			attempt_done(j, &r);
		}
	}
	sweep(e);
	return 0;
}
