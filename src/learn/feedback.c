/*
 * feedback.c: verdicts recorded against the cost log, and joined to it
 * into labels for "llmroute train --from-log".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cause.h"
#include "base/jscan.h"
#include "base/jsonout.h"
#include "base/lines.h"
#include "base/num.h"
#include "input/input.h"
#include "learn/feedback.h"

#include "base/banned.h"

#define FEEDBACK_STAMPLEN	32	/* "2026-11-28T12:00:00Z" and room */

/* The words a verdict may be given in. */
static const struct verdict_word {
	const char	*word;
	double		 quality;
} verdict_words[] = {
	{ .word = "good", .quality = 1 },
	{ .word = "bad", .quality = 0 },
};

/* The quality of the verdict word s into *q.  Returns 0, or -1. */
static int
quality_word(const char *s, double *q)
{
	size_t i;

	for (i = 0; i < sizeof verdict_words / sizeof verdict_words[0]; i++)
		if (strcmp(s, verdict_words[i].word) == 0) {
			*q = verdict_words[i].quality;
			return 0;
		}
	return -1;
}

int
feedback_parse_quality(const char *s, double *q)
{
	if (quality_word(s, q) == 0)
		return 0;
	return num_parse_double(s, 0, 1, q);
}

int
feedback_line(struct buf *b, const char *idjson, const char *request_id,
    double q, time_t now)
{
	struct tm	tm;
	char		stamp[FEEDBACK_STAMPLEN];

	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return -1;
	if (buf_addf(b, "{\"v\":%d,\"ts\":\"%s\",\"id\":%s",
	    FEEDBACK_VERSION, stamp, idjson) == -1)
		return -1;
	if (request_id != NULL && (buf_addstr(b, ",\"request_id\":") == -1 ||
	    jsonout_cstr(b, request_id) == -1))
		return -1;
	if (buf_addstr(b, ",\"quality\":") == -1 ||
	    jsonout_num(b, "%.6g", q) == -1)
		return -1;
	return buf_addstr(b, "}\n");
}

/*
 * The members of one log or verdict line that matter here: the id as
 * text (a string's value, a number's digits) and as JSON, the request
 * id, the tier, the prompt, the quality.
 */
struct rec {
	struct buf	id, idjson, reqid, tier, prompt, word;
	double		quality;
	int		has_quality;
	int		has_prompt;
};

/* What a member's scanner did. */
enum {
	MEMBER_TAKEN = 0,
	MEMBER_BAD = -1,	/* invalid JSON */
	MEMBER_OTHER = 1	/* not of the type wanted: skip it */
};

static int
scan_id(struct jscan *js, struct rec *r)
{
	int x = input_parse_id(js, &r->id, &r->idjson);

	return x == -2 ? MEMBER_OTHER : x == 0 ? MEMBER_TAKEN : MEMBER_BAD;
}

static int
scan_reqid(struct jscan *js, struct rec *r)
{
	if (jscan_peek(js) != JSCAN_STR)
		return MEMBER_OTHER;
	buf_reset(&r->reqid);
	return jscan_string(js, &r->reqid, NULL) == -1 ? MEMBER_BAD :
	    MEMBER_TAKEN;
}

static int
scan_tier(struct jscan *js, struct rec *r)
{
	if (jscan_peek(js) != JSCAN_STR)
		return MEMBER_OTHER;
	return jscan_string(js, &r->tier, NULL) == -1 ? MEMBER_BAD :
	    MEMBER_TAKEN;
}

static int
scan_prompt(struct jscan *js, struct rec *r)
{
	if (jscan_peek(js) != JSCAN_STR)
		return MEMBER_OTHER;
	if (jscan_string(js, &r->prompt, NULL) == -1)
		return MEMBER_BAD;
	r->has_prompt = 1;
	return MEMBER_TAKEN;
}

/* A number, or a verdict word (any other word: no quality). */
static int
scan_quality(struct jscan *js, struct rec *r)
{
	switch (jscan_peek(js)) {
	case JSCAN_NUM:
		if (jscan_number(js, &r->quality) == -1)
			return MEMBER_BAD;
		r->has_quality = 1;
		return MEMBER_TAKEN;
	case JSCAN_STR:
		buf_reset(&r->word);
		if (jscan_string(js, &r->word, NULL) == -1)
			return MEMBER_BAD;
		r->has_quality = quality_word(r->word.data, &r->quality) == 0;
		if (!r->has_quality)
			r->quality = 0;
		return MEMBER_TAKEN;
	default:
		return MEMBER_OTHER;
	}
}

static const struct rec_member {
	const char	*key;
	int		(*scan)(struct jscan *, struct rec *);
} rec_members[] = {
	{ .key = "id", .scan = scan_id },
	{ .key = "request_id", .scan = scan_reqid },
	{ .key = "tier", .scan = scan_tier },
	{ .key = "prompt", .scan = scan_prompt },
	{ .key = "quality", .scan = scan_quality },
};

static void
rec_init(struct rec *r)
{
	memset(r, 0, sizeof *r);
	buf_init(&r->id, BUF_NOLIMIT);
	buf_init(&r->idjson, BUF_NOLIMIT);
	buf_init(&r->reqid, BUF_NOLIMIT);
	buf_init(&r->tier, BUF_NOLIMIT);
	buf_init(&r->prompt, BUF_NOLIMIT);
	buf_init(&r->word, BUF_NOLIMIT);
}

static void
rec_free(struct rec *r)
{
	buf_free(&r->id);
	buf_free(&r->idjson);
	buf_free(&r->reqid);
	buf_free(&r->tier);
	buf_free(&r->prompt);
	buf_free(&r->word);
}

/* The member of rec_members named key, or NULL. */
static const struct rec_member *
rec_member(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof rec_members / sizeof rec_members[0]; i++)
		if (strcmp(rec_members[i].key, key) == 0)
			return &rec_members[i];
	return NULL;
}

/*
 * Parse the line ln into r.  Returns 0, or -1 for a line that is no JSON
 * object or has neither an id nor a request id.
 */
static int
rec_parse(const struct line *ln, struct rec *r)
{
	const struct rec_member	*rm;
	struct jscan		 js;
	struct buf		 key = BUF_INIT;
	int			 x, t;

	buf_reset(&r->id);
	buf_reset(&r->idjson);
	buf_reset(&r->reqid);
	buf_reset(&r->tier);
	buf_reset(&r->prompt);
	r->has_quality = r->has_prompt = 0;
	jscan_init(&js, ln->p, ln->len);
	if (jscan_object_begin(&js) == -1)
		return -1;
	while ((x = jscan_object_next(&js, &key)) == 1) {
		rm = rec_member(key.data);
		t = rm != NULL ? rm->scan(&js, r) : MEMBER_OTHER;
		if (t == MEMBER_OTHER && jscan_skip(&js) == -1)
			t = MEMBER_BAD;
		if (t == MEMBER_BAD)
			break;
	}
	buf_free(&key);
	if (x != 0 || (r->id.len == 0 && r->reqid.len == 0))
		return -1;
	return 0;
}

/*
 * Call fn(arg, ln, r, parsed) for each line ln of the len bytes at text,
 * parsed into r (parsed is whether it parses), until fn returns other
 * than 0.  Returns what fn returned last, or 0 at the end of the text.
 */
static int
each_rec(const char *text, size_t len, struct rec *r,
    int (*fn)(void *, const struct line *, const struct rec *, int),
    void *arg)
{
	struct lines	lr;
	struct line	ln;
	int		x = 0;

	lines_init_mem(&lr, text, len);
	while (x == 0 && lines_next(&lr, &ln) == 1)
		x = fn(arg, &ln, r, rec_parse(&ln, r) == 0);
	return x;
}

/*
 * One verdict to record: what names its call, an id or a request id
 * (only a request id when by_reqid), and what the log says of it.
 */
struct pending {
	char	*id;
	int	 by_reqid;	/* the file named it "request_id" */
	double	 quality;
	size_t	 lineno;	/* of the verdict file; 0: none */
	/* The call whose request id is id, else the first whose id is. */
	char	*idjson;	/* its id's JSON; NULL: none found */
	char	*reqid;		/* its request id; NULL: it has none */
	int	 exact;		/* found by its request id */
	size_t	 calls;		/* calls whose id is id */
};

struct pendings {
	struct pending	*v;
	size_t		 n;
	size_t		 badline;	/* the first bad line; 0: none */
};

static void
pendings_free(struct pendings *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++) {
		free(ps->v[i].id);
		free(ps->v[i].idjson);
		free(ps->v[i].reqid);
	}
	free(ps->v);
}

static int
pendings_add(struct pendings *ps, const char *id, int by_reqid, double q,
    size_t lineno)
{
	struct pending *nv;

	if ((nv = reallocarray(ps->v, ps->n + 1, sizeof *nv)) == NULL)
		return -1;
	ps->v = nv;
	memset(&nv[ps->n], 0, sizeof nv[ps->n]);
	if ((nv[ps->n].id = strdup(id)) == NULL)
		return -1;
	nv[ps->n].by_reqid = by_reqid;
	nv[ps->n].quality = q;
	nv[ps->n++].lineno = lineno;
	return 0;
}

/*
 * Take the verdict of line ln (parsed into r), unless blank; a line that
 * gives a request id names its call by it.  Returns 0, 1 after a bad
 * line (its number goes into badline), -1 when memory runs out.
 */
static int
read_verdict(void *arg, const struct line *ln, const struct rec *r,
    int parsed)
{
	struct pendings *ps = arg;

	if (lines_blank(ln->p, ln->len))
		return 0;
	if (!parsed || !r->has_quality || r->quality < 0 || r->quality > 1) {
		ps->badline = ln->lineno;
		return 1;
	}
	if (r->reqid.len > 0)
		return pendings_add(ps, r->reqid.data, 1, r->quality,
		    ln->lineno);
	return pendings_add(ps, r->id.data, 0, r->quality, ln->lineno);
}

/* Make the call of r the one of v.  Returns 0, or -1 (memory). */
static int
take_call(struct pending *v, const struct rec *r)
{
	free(v->idjson);
	free(v->reqid);
	v->reqid = NULL;
	if ((v->idjson = strdup(r->idjson.data)) == NULL)
		return -1;
	if (r->reqid.len > 0 && (v->reqid = strdup(r->reqid.data)) == NULL)
		return -1;
	return 0;
}

/*
 * Match the call of r against each pending verdict: a request id names
 * one call; an id may name several, which are counted, the first kept.
 * Returns 0, or -1 when memory runs out.
 */
static int
find_call(void *arg, const struct line *ln, const struct rec *r, int parsed)
{
	struct pendings	*ps = arg;
	struct pending	*v;
	size_t		 i;

	(void)ln;
	for (i = 0; parsed && r->id.len > 0 && i < ps->n; i++) {
		v = &ps->v[i];
		if (v->exact)
			continue;
		if (r->reqid.len > 0 && strcmp(v->id, r->reqid.data) == 0) {
			v->exact = 1;
			if (take_call(v, r) == -1)
				return -1;
		} else if (!v->by_reqid && strcmp(v->id, r->id.data) == 0 &&
		    v->calls++ == 0 && take_call(v, r) == -1)
			return -1;
	}
	return 0;
}

/* Why verdict v names no one call of the log, into *cause. */
static void
pending_fault(const struct feedback_request *rq, const struct pending *v,
    char **cause)
{
	char	where[64] = "";

	if (rq->file_name != NULL)
		snprintf(where, sizeof where, ":%zu", v->lineno);
	if (v->idjson == NULL)
		cause_set(cause, "%s%s%sno call with %s '%s' in %s",
		    rq->file_name != NULL ? rq->file_name : "", where,
		    rq->file_name != NULL ? ": " : "",
		    v->by_reqid ? "request_id" : "id", v->id, rq->log_name);
	else
		cause_set(cause, "%s%s%sid '%s' names %zu calls in %s; give "
		    "the request_id of the one meant",
		    rq->file_name != NULL ? rq->file_name : "", where,
		    rq->file_name != NULL ? ": " : "", v->id, v->calls,
		    rq->log_name);
}

/* The message of the first verdict at fault, in the order of the file. */
static int
pendings_check(const struct feedback_request *rq, const struct pendings *ps,
    char **cause)
{
	size_t i;

	for (i = 0; i < ps->n; i++) {
		if (ps->v[i].idjson != NULL && (ps->v[i].exact ||
		    ps->v[i].calls <= 1))
			continue;
		pending_fault(rq, &ps->v[i], cause);
		return FEEDBACK_INPUT;
	}
	if (ps->badline > 0) {
		cause_set(cause, "%s:%zu: expected {\"id\": ..., \"quality\": "
		    "good, bad or 0 to 1}", rq->file_name, ps->badline);
		return FEEDBACK_INPUT;
	}
	return 0;
}

int
feedback_record(const struct feedback_request *rq, struct buf *out,
    size_t *n, char **cause)
{
	struct pendings	ps;
	struct rec	r;
	struct buf	lines = BUF_INIT;
	size_t		i;
	int		st = FEEDBACK_NOMEM;

	memset(&ps, 0, sizeof ps);
	rec_init(&r);
	*n = 0;
	if ((rq->file_name != NULL ? each_rec(rq->file, rq->file_len, &r,
	    read_verdict, &ps) : pendings_add(&ps, rq->id, 0, rq->quality,
	    0)) != -1 && each_rec(rq->log, rq->log_len, &r, find_call,
	    &ps) == 0)
		st = pendings_check(rq, &ps, cause);
	for (i = 0; st == 0 && i < ps.n; i++)
		if (feedback_line(&lines, ps.v[i].idjson, ps.v[i].reqid,
		    ps.v[i].quality, rq->now) == -1)
			st = FEEDBACK_NOMEM;
	if (st == 0 && buf_add(out, lines.data, lines.len) == -1)
		st = FEEDBACK_NOMEM;
	if (st == FEEDBACK_NOMEM)
		cause_set(cause, "out of memory");
	else if (st == 0)
		*n = ps.n;
	buf_free(&lines);
	rec_free(&r);
	pendings_free(&ps);
	return st;
}

/* What the log says of a verdict's call. */
enum call_state {
	CALL_UNSEEN,		/* not in the log */
	CALL_TOP,		/* answered by the top tier, or forced */
	CALL_BELOW		/* answered below it: prompt, if logged */
};

/*
 * A verdict to join: the last one on its call, and that call.  A verdict
 * that names a request id is on that call; one that names only an id
 * (written before request ids) is on the latest call with the id.
 */
struct joined {
	char		*id;
	char		*reqid;		/* NULL: by the id alone */
	double		 quality;
	enum call_state	 state;
	char		*idjson;	/* with CALL_BELOW */
	char		*prompt;	/* with CALL_BELOW, if logged */
};

struct join {
	struct joined	*v;
	size_t		 n;
	const char	*top;
};

static void
join_free(struct join *j)
{
	size_t i;

	for (i = 0; i < j->n; i++) {
		free(j->v[i].id);
		free(j->v[i].reqid);
		free(j->v[i].idjson);
		free(j->v[i].prompt);
	}
	free(j->v);
}

/* Whether verdict v is on the call of r (a log line, or a verdict's). */
static int
join_names(const struct joined *v, const struct rec *r, int verdict)
{
	if (v->reqid != NULL)
		return r->reqid.len > 0 && strcmp(v->reqid, r->reqid.data) == 0;
	if (verdict && r->reqid.len > 0)
		return 0;
	return strcmp(v->id, r->id.data) == 0;
}

/* The verdict on the call that verdict line r names, or NULL. */
static struct joined *
join_find(struct join *j, const struct rec *r)
{
	size_t i;

	for (i = 0; i < j->n; i++)
		if (join_names(&j->v[i], r, 1))
			return &j->v[i];
	return NULL;
}

/*
 * Take the verdict of r, if it has one: the last one on a call counts.
 * Returns 0, or -1 when memory runs out.
 */
static int
join_verdict(void *arg, const struct line *ln, const struct rec *r,
    int parsed)
{
	struct join	*j = arg;
	struct joined	*v, *nv;

	(void)ln;
	if (!parsed || !r->has_quality)
		return 0;
	if ((v = join_find(j, r)) != NULL) {
		v->quality = r->quality;
		return 0;
	}
	if ((nv = reallocarray(j->v, j->n + 1, sizeof *nv)) == NULL)
		return -1;
	j->v = nv;
	v = &nv[j->n];
	memset(v, 0, sizeof *v);
	if ((v->id = strdup(r->id.data)) == NULL || (r->reqid.len > 0 &&
	    (v->reqid = strdup(r->reqid.data)) == NULL)) {
		free(v->id);
		return -1;
	}
	v->quality = r->quality;
	j->n++;
	return 0;
}

/* Make the call of r (a log line) verdict v's.  Returns 0, or -1. */
static int
join_take(struct join *j, struct joined *v, const struct rec *r)
{
	free(v->idjson);
	free(v->prompt);
	v->idjson = v->prompt = NULL;
	/* Forced past the tiers, or on the top one: nothing to learn. */
	if (r->tier.len == 0 || strcmp(r->tier.data, j->top) == 0) {
		v->state = CALL_TOP;
		return 0;
	}
	v->state = CALL_BELOW;
	if ((v->idjson = strdup(r->idjson.data)) == NULL ||
	    (r->has_prompt && (v->prompt = strdup(r->prompt.data)) == NULL))
		return -1;
	return 0;
}

/*
 * Keep r as the call of every verdict on it (for one by its id alone, as
 * its latest call).  Returns 0, or -1 when memory runs out.
 */
static int
join_call(void *arg, const struct line *ln, const struct rec *r, int parsed)
{
	struct join	*j = arg;
	size_t		 i;

	(void)ln;
	for (i = 0; parsed && r->id.len > 0 && i < j->n; i++)
		if (join_names(&j->v[i], r, 0) &&
		    join_take(j, &j->v[i], r) == -1)
			return -1;
	return 0;
}

/*
 * Append the label of verdict v, the i-th, to ls: strong 1, weak its
 * quality.  Returns 0, 1 when the prompt is none route would take (it is
 * left out), or -1 when memory runs out.
 */
static int
join_label(const struct joined *v, size_t i, struct labels *ls)
{
	struct label	*l, *nl;
	struct buf	 line = BUF_INIT;
	char		*perr = NULL;
	int		 r;

	if ((nl = reallocarray(ls->v, ls->n + 1, sizeof *nl)) == NULL)
		return -1;
	ls->v = nl;
	l = &nl[ls->n];
	memset(l, 0, sizeof *l);
	/* The prompt as route would read it from its own JSON Lines. */
	buf_addstr(&line, "{\"id\":");
	buf_addstr(&line, v->idjson);
	buf_addstr(&line, ",\"prompt\":");
	jsonout_cstr(&line, v->prompt);
	buf_addch(&line, '}');
	r = input_jsonl_parse(line.data, line.len, i + 1, &l->p, &perr);
	buf_free(&line);
	free(perr);
	if (r == -1)
		return 1;
	l->strong = 1;
	l->weak = v->quality;
	l->source = strdup(FEEDBACK_SOURCE);
	if (ls->n == 0) {
		ls->qmin = l->weak < 1 ? l->weak : 1;
		ls->qmax = 1;
	} else {
		if (l->weak < ls->qmin)
			ls->qmin = l->weak;
		if (ls->qmax < 1)
			ls->qmax = 1;
	}
	ls->n++;
	return 0;
}

int
feedback_join(const char *feedback, size_t feedback_len, const char *log,
    size_t log_len, const char *top, struct labels *ls,
    struct feedback_counts *c, char **cause)
{
	struct join	 j;
	struct rec	 r;
	size_t		 i;
	int		 failed;

	memset(c, 0, sizeof *c);
	memset(&j, 0, sizeof j);
	j.top = top;
	rec_init(&r);
	failed = each_rec(feedback, feedback_len, &r, join_verdict, &j) ==
	    -1 || each_rec(log, log_len, &r, join_call, &j) == -1;
	c->verdicts = j.n;
	for (i = 0; !failed && i < j.n; i++) {
		const struct joined *v = &j.v[i];

		if (v->state == CALL_TOP)
			c->top++;
		else if (v->state == CALL_BELOW && v->prompt == NULL)
			c->noprompt++;
		else if (v->state == CALL_BELOW) {
			switch (join_label(v, i, ls)) {
			case 0:
				c->used++;
				break;
			case -1:
				failed = 1;
				break;
			}
		}
	}
	rec_free(&r);
	join_free(&j);
	if (failed)
		return cause_set(cause, "out of memory");
	return 0;
}
