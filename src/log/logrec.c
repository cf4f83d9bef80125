/*
 * logrec.c: one cost log record, built from a decision or a call's
 * result, and formatted as the JSON line llmroute-log(5) describes.  The
 * record is built whole in memory so that it can be appended with one
 * write (logfile.c).
 */
#include <math.h>
#include <string.h>
#include <time.h>

#include "base/jsonout.h"
#include "base/num.h"
#include "base/sha256.h"
#include "call/engine.h"
#include "input/input.h"
#include "log/logrec.h"
#include "route/cost.h"
#include "route/policy.h"

#include "base/utf8.h"

#include "base/banned.h"

#define SHA256_HEXLEN	64		/* a digest in hex, without its NUL */
#define TS_SECONDS	"%Y-%m-%dT%H:%M:%S"
#define TS_LEN		32		/* TS_SECONDS, any year */
#define TS_MAXMS	999		/* a second's milliseconds, at most */
#define MS_PER_SECOND	1000

static const char *const status_names[LOG_NSTATUS] = {
	[LOG_OK] = "ok",
	[LOG_ERROR] = "error",
	[LOG_INTERRUPTED] = "interrupted",
	[LOG_CLOSED] = "closed"
};

/* The record's status for each way a call can end. */
static const enum log_status engine_status_log[] = {
	[ENGINE_OK] = LOG_OK,
	[ENGINE_ERROR] = LOG_ERROR,
	[ENGINE_INTERRUPTED] = LOG_INTERRUPTED
};

const char *
logrec_status_name(enum log_status status)
{
	return status_names[status];
}

int
logrec_status_parse(const char *name, enum log_status *status)
{
	int i;

	for (i = 0; i < LOG_NSTATUS; i++)
		if (strcmp(name, status_names[i]) == 0) {
			*status = (enum log_status)i;
			return 0;
		}
	return -1;
}

/* The part of a record that a dry run and a call share. */
static void
from_prompt(struct logrec *r, const struct prompt *p,
    const struct decision *d, const char *source)
{
	memset(r, 0, sizeof *r);
	r->id_json = p->id;
	r->source = source;
	r->tier = d->tier ? d->tier->name : NULL;
	r->baseline_model = d->baseline->name;
	r->score = d->score;
	r->prompt = p->text;
	r->prompt_len = p->len;
	r->extra_tags = p->tags;
	r->nextra_tags = p->ntags;
}

void
logrec_from_decision(struct logrec *r, const struct prompt *p,
    const struct decision *d, const char *source)
{
	from_prompt(r, p, d, source);
	r->model = d->model->name;
	r->provider = d->provider->name;
	r->tokens_in = round(d->tokens_in);
	r->tokens_out = round(d->tokens_out);
	r->cost = d->cost;
	r->baseline_cost = d->baseline_cost;
	r->status = LOG_OK;
	r->dry_run = 1;
	r->estimated = 1;
	r->batch = d->batch;
	r->unbatched_cost = d->unbatched_cost;
}

void
logrec_from_result(struct logrec *r, const struct prompt *p,
    const struct decision *d, const struct engine_result *res,
    const char *source)
{
	from_prompt(r, p, d, source);
	r->request_id = res->request_id;
	r->model = res->model->name;
	r->provider = res->provider->name;
	r->tokens_in = cost_tokens_in(&res->usage);
	r->tokens_out = res->usage.output;
	r->tokens_cached = res->usage.cache_read;
	r->cost = res->cost;
	r->baseline_cost = res->baseline_cost;
	r->latency_ms = res->latency_ms;
	r->status = engine_status_log[res->status];
	r->finish_reason = res->status == ENGINE_OK &&
	    res->finish_reason[0] != '\0' ? res->finish_reason : NULL;
	r->error = res->error;
	r->attempts = res->attempts;
	r->fallback_from = res->failed;
	r->nfallback = res->nfailed;
	r->estimated = res->estimated;
	logrec_cascade_of(&r->cascade, res);
	if (res->cascade.tier != NULL)
		r->tier = res->cascade.tier->name;
}

void
logrec_cascade_of(struct logrec_cascade *c, const struct engine_result *res)
{
	const struct engine_cascade *ec = &res->cascade;

	memset(c, 0, sizeof *c);
	if (ec->stage == NULL)
		return;
	c->stage = ec->stage;
	c->has_confidence = ec->has_confidence;
	c->confidence = ec->confidence;
	c->threshold = ec->threshold;
	c->escalated = ec->escalated;
	c->missing = ec->missing;
	c->first_token_ms = ec->first_token_ms;
}

int
logrec_cascade_format(struct buf *b, const struct logrec_cascade *c)
{
	char	n1[NUM_FMTLEN];
	int	e = 0;

	if (c->stage == NULL)
		return 0;
	e |= buf_addstr(b, ",\"cascade\":{\"stage\":");
	e |= jsonout_cstr(b, c->stage);
	e |= buf_addstr(b, ",\"confidence\":");
	if (c->has_confidence)
		e |= jsonout_num(b, "%.6g", c->confidence);
	else
		e |= buf_addstr(b, "null");
	e |= buf_addstr(b, ",\"threshold\":");
	e |= jsonout_num(b, "%.6g", c->threshold);
	e |= buf_addf(b, ",\"escalated\":%s,\"missing\":",
	    c->escalated ? "true" : "false");
	e |= jsonout_cstr(b, c->missing);
	e |= buf_addf(b, ",\"first_token_ms\":%s}",
	    num_fmt(n1, sizeof n1, "%.0f", c->first_token_ms));
	return e;
}

static int
add_ts(struct buf *b, double ts)
{
	struct tm	tm;
	time_t		sec = (time_t)ts;
	long		ms = (long)((ts - (double)sec) * MS_PER_SECOND);
	char		tmp[TS_LEN];

	if (ms > TS_MAXMS)
		ms = TS_MAXMS;
	if (gmtime_r(&sec, &tm) == NULL)
		return buf_addstr(b, "null");
	strftime(tmp, sizeof tmp, TS_SECONDS, &tm);
	return buf_addf(b, "\"%s.%03ldZ\"", tmp, ms);
}


int
logrec_format(struct buf *b, const struct logrec *r)
{
	char	hex[SHA256_HEXLEN + 1];
	char	n1[NUM_FMTLEN], n2[NUM_FMTLEN], n3[NUM_FMTLEN];
	size_t	i;
	int	e = 0;

	e |= buf_addf(b, "{\"v\":%d,\"ts\":", LOGREC_VERSION);
	e |= add_ts(b, r->ts);
	e |= buf_addstr(b, ",\"id\":");
	e |= buf_addstr(b, r->id_json ? r->id_json : "null");
	e |= buf_addstr(b, ",\"request_id\":");
	e |= jsonout_cstr(b, r->request_id);
	e |= buf_addstr(b, ",\"source\":");
	e |= jsonout_cstr(b, r->source);
	e |= buf_addstr(b, ",\"model\":");
	e |= jsonout_cstr(b, r->model);
	e |= buf_addstr(b, ",\"provider\":");
	e |= jsonout_cstr(b, r->provider);
	e |= buf_addstr(b, ",\"tier\":");
	e |= jsonout_cstr(b, r->tier);
	e |= buf_addstr(b, ",\"score\":");
	e |= jsonout_num(b, "%.4f", r->score);
	/* num_fmt: what is not finite is null, never inf. */
	e |= buf_addf(b, ",\"tokens_in\":%s,\"tokens_out\":%s,"
	    "\"tokens_cached\":%s",
	    num_fmt(n1, sizeof n1, "%.0f", r->tokens_in),
	    num_fmt(n2, sizeof n2, "%.0f", r->tokens_out),
	    num_fmt(n3, sizeof n3, "%.0f", r->tokens_cached));
	e |= buf_addstr(b, ",\"cost_usd\":");
	e |= jsonout_num(b, "%.10g", r->cost);
	e |= buf_addstr(b, ",\"baseline_model\":");
	e |= jsonout_cstr(b, r->baseline_model);
	e |= buf_addstr(b, ",\"baseline_cost_usd\":");
	e |= jsonout_num(b, "%.10g", r->baseline_cost);
	e |= buf_addf(b, ",\"latency_ms\":%s,\"status\":\"%s\"",
	    num_fmt(n1, sizeof n1, "%.0f", r->latency_ms),
	    logrec_status_name(r->status));
	e |= buf_addstr(b, ",\"finish_reason\":");
	e |= jsonout_cstr(b, r->finish_reason);
	e |= buf_addstr(b, ",\"error\":");
	e |= jsonout_cstr(b, r->status == LOG_OK ? NULL : r->error);
	e |= buf_addf(b, ",\"attempts\":%d,\"fallback_from\":[", r->attempts);
	for (i = 0; i < r->nfallback; i++) {
		if (i > 0)
			e |= buf_addch(b, ',');
		e |= jsonout_cstr(b, r->fallback_from[i]);
	}
	e |= buf_addf(b, "],\"dry_run\":%s,\"estimated\":%s,\"tags\":[",
	    r->dry_run ? "true" : "false", r->estimated ? "true" : "false");
	for (i = 0; i < r->ntags + r->nextra_tags; i++) {
		if (i > 0)
			e |= buf_addch(b, ',');
		e |= jsonout_cstr(b, i < r->ntags ? r->tags[i] :
		    r->extra_tags[i - r->ntags]);
	}
	e |= buf_addch(b, ']');
	e |= logrec_cascade_format(b, &r->cascade);
	sha256_hex(r->prompt ? r->prompt : "", r->prompt ? r->prompt_len : 0,
	    hex);
	e |= buf_addf(b, ",\"prompt_sha256\":\"%s\",\"prompt_chars\":%zu",
	    r->prompt == NULL && r->prompt_sha256 != NULL ? r->prompt_sha256 :
	    hex, r->prompt ? utf8_count(r->prompt, r->prompt_len) :
	    r->prompt_chars);
	if (r->batch || r->batch_id != NULL) {
		e |= buf_addstr(b, ",\"batch\":true");
		if (r->batch_id != NULL) {
			e |= buf_addstr(b, ",\"batch_id\":");
			e |= jsonout_cstr(b, r->batch_id);
		}
		e |= buf_addstr(b, ",\"unbatched_cost_usd\":");
		e |= jsonout_num(b, "%.10g", r->unbatched_cost);
	}
	if (r->log_prompt && r->prompt != NULL) {
		e |= buf_addstr(b, ",\"prompt\":");
		e |= jsonout_str(b, r->prompt, r->prompt_len);
	}
	e |= buf_addstr(b, "}\n");
	return e ? -1 : 0;
}
