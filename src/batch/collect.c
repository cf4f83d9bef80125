/*
 * collect.c: a job's results, downloaded and handed out once.
 *
 * Each result line of a provider is turned into the run's result line,
 * logged, and then appended to the ledger (JOB.done), in that order, one
 * request at a time as its line arrives: a collect killed midway leaves
 * the ledger naming exactly the requests it wrote and logged, and the
 * next collect passes over those.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/cause.h"
#include "base/file.h"
#include "base/lines.h"
#include "base/strset.h"
#include "batch/batch.h"
#include "log/logrec.h"
#include "route/cost.h"
#include "run/results.h"

#include "base/banned.h"

#define LEDGER_MODE	0600
#define LEDGER_MAX	((size_t)1 << 34)
#define LINE_MAX_BYTES	((size_t)64 << 20)

/* One collect in progress. */
struct collect {
	const struct batch_remote	*br;
	struct batch_job		*job;
	const struct batch_sink		*sink;
	size_t				 k;		/* the part */
	const struct provider		*prov;
	const char			*key;
	struct strset			 done;		/* "CID\tPART" */
	int				 fd;		/* the ledger */
	struct buf			 pending;	/* a part line */
	char				*cause;		/* a failure */
};

/* The request of custom id cid ("rN"), or NULL. */
static struct batch_req *
req_of(const struct batch_job *j, const char *cid)
{
	char		*end;
	unsigned long	 n;

	if (cid[0] != 'r' || cid[1] < '0' || cid[1] > '9')
		return NULL;
	errno = 0;
	n = strtoul(cid + 1, &end, 10);
	if (errno != 0 || *end != '\0' || n >= j->nreqs ||
	    strcmp(j->reqs[n].cid, cid) != 0)
		return NULL;
	return &j->reqs[n];
}

/* The ledger key of request r in part k into b. */
static int
done_key(struct buf *b, const char *cid, size_t k)
{
	buf_reset(b);
	return buf_addf(b, "%s\t%zu", cid, k);
}

/* The decision and result of r as results_line and logrec take them. */
static int
rebuild(struct collect *c, const struct batch_req *r,
    const struct batch_answer *a, struct decision *d,
    struct engine_result *res)
{
	const struct config *cfg = c->br->cfg;

	memset(d, 0, sizeof *d);
	memset(res, 0, sizeof *res);
	if ((d->model = config_model(cfg, r->model)) == NULL)
		return cause_set(&c->cause, "%s: model '%s' is no longer in "
		    "the configuration", r->name, r->model);
	d->provider = c->prov;
	d->tier = r->tier ? config_tier(cfg, r->tier) : NULL;
	d->baseline = config_baseline(cfg);
	d->score = r->score;
	res->model = d->model;
	res->provider = c->prov;
	res->attempts = 1;
	res->status = a->ok ? ENGINE_OK : ENGINE_ERROR;
	snprintf(res->error, sizeof res->error, "%s", a->ok ? "" : a->error);
	if (a->ok) {
		res->usage = a->reply.usage;
		res->cost = policy_batch_cost(c->prov,
		    cost_of(d->model, &res->usage));
		res->baseline_cost = cost_of(d->baseline, &res->usage);
		res->answer = a->reply.text.data;
		res->answer_len = a->reply.text.len;
	}
	return 0;
}

/* Log the record of r's result. */
static int
log_result(struct collect *c, const struct batch_req *r,
    const struct prompt *p, const struct decision *d,
    const struct engine_result *res)
{
	struct logrec	lr;

	if (c->sink->log == NULL)
		return 0;
	logrec_from_result(&lr, p, d, res, r->source);
	lr.prompt_sha256 = r->sha;
	lr.prompt_chars = r->chars;
	lr.batch_id = c->job->parts[c->k].id;
	lr.unbatched_cost = res->status == ENGINE_OK ?
	    cost_of(d->model, &res->usage) : 0;
	return logwrite_record(c->sink->log, &lr, &c->cause);
}

/* Write, log and record the answer a of request r; 0 or -1. */
static int
hand_out(struct collect *c, struct batch_req *r, const struct batch_answer *a)
{
	struct prompt		 p;
	struct decision		 d;
	struct engine_result	 res;
	struct buf		 line = BUF_INIT, key = BUF_INIT;
	int			 e = -1;

	memset(&p, 0, sizeof p);
	p.id = r->id_json;
	p.name = r->name;
	if (done_key(&key, r->cid, c->k) == -1 || rebuild(c, r, a, &d,
	    &res) == -1)
		goto out;
	if (buf_addf(&line, "%s\t%zu\t", r->cid, c->k) == -1 ||
	    results_line(&line, &p, &d, &res, a->ok ? NULL : a->error) ==
	    -1) {
		cause_set(&c->cause, "out of memory");
		goto out;
	}
	if (log_result(c, r, &p, &d, &res) == -1)
		goto out;
	if (file_append(c->fd, line.data, line.len) == -1) {
		cause_set(&c->cause, "%s.done: %s", c->job->id,
		    strerror(errno));
		goto out;
	}
	e = strset_add(&c->done, key.data, key.len) == -1 ? -1 : 0;
	if (c->sink->note != NULL) {
		const char *t = strchr(strchr(line.data, '\t') + 1, '\t') + 1;

		c->sink->note(c->sink->arg, r, t, line.len - (size_t)(t -
		    line.data));
	}
out:
	buf_free(&line);
	buf_free(&key);
	return e;
}

/* One line of the provider's results. */
static int
take_line(struct collect *c, const char *p, size_t n)
{
	struct batch_answer	 a;
	struct batch_req	*r;
	struct buf		 key = BUF_INIT;
	int			 e = 0;

	if (lines_blank(p, n))
		return 0;
	if (batch_parse_result(c->prov->wire, p, n, c->key, &a,
	    &c->cause) == -1) {
		batch_answer_free(&a);
		return -1;
	}
	r = req_of(c->job, a.cid);
	if (r != NULL && r->part == (int)c->k && done_key(&key, a.cid,
	    c->k) == 0 && !strset_has(&c->done, key.data, key.len))
		e = hand_out(c, r, &a);
	batch_answer_free(&a);
	buf_free(&key);
	return e;
}

/* Body bytes of a results download: whole lines go to take_line. */
static int
on_results(void *arg, const char *p, size_t n)
{
	struct collect	*c = arg;
	const char	*nl;
	size_t		 off = 0;

	if (buf_add(&c->pending, p, n) == -1)
		return cause_set(&c->cause, "a result line is too long");
	while ((nl = memchr(c->pending.data + off, '\n',
	    c->pending.len - off)) != NULL) {
		if (take_line(c, c->pending.data + off,
		    (size_t)(nl - c->pending.data) - off) == -1)
			return -1;
		off = (size_t)(nl - c->pending.data) + 1;
	}
	memmove(c->pending.data, c->pending.data + off, c->pending.len - off);
	c->pending.len -= off;
	c->pending.data[c->pending.len] = '\0';
	return 0;
}

/* Download one results file (path) of the part. */
static int
download(struct collect *c, const char *path)
{
	struct buf	reply = BUF_INIT;
	struct api_req	r = { .prov = c->prov, .key = c->key, .path = path,
		.on_data = on_results, .arg = c };
	struct api_opts	o = c->br->api;
	long		status;
	int		e;

	buf_reset(&c->pending);
	e = api_call(&o, &r, &reply, &status, c->cause ? NULL : &c->cause);
	if (e == 0 && c->pending.len > 0)
		e = take_line(c, c->pending.data, c->pending.len);
	buf_free(&reply);
	return e;
}

/* Every request of the part without a result: why, as its result. */
static int
settle(struct collect *c)
{
	struct batch_part	*part = &c->job->parts[c->k];
	struct batch_answer	 a;
	struct buf		 key = BUF_INIT;
	size_t			 i;
	int			 e = 0;

	for (i = 0; i < c->job->nreqs && e == 0; i++) {
		struct batch_req *r = &c->job->reqs[i];

		if (r->part != (int)c->k || done_key(&key, r->cid, c->k) ==
		    -1 || strset_has(&c->done, key.data, key.len))
			continue;
		memset(&a, 0, sizeof a);
		wire_reply_init(&a.reply, 0);
		snprintf(a.error, sizeof a.error, "no result: the batch "
		    "ended %s", part->status);
		e = hand_out(c, r, &a);
		batch_answer_free(&a);
	}
	buf_free(&key);
	return e;
}

/* Collect the part k that has ended. */
static int
collect_part(struct collect *c, size_t k)
{
	struct batch_part	*part = &c->job->parts[k];
	struct buf		 path = BUF_INIT;
	int			 e = 0;

	c->k = k;
	if (config_provider(c->br->cfg, part->provider) == NULL)
		return cause_set(&c->cause, "unknown provider '%s'",
		    part->provider);
	c->prov = config_provider(c->br->cfg, part->provider);
	c->key = c->br->key ? c->br->key(c->br->arg, c->prov) : "";
	if (c->key == NULL)
		return cause_set(&c->cause, "no API key: %s is not set",
		    c->prov->key_env ? c->prov->key_env : part->provider);
	if (c->prov->wire == WIRE_OPENAI) {
		if (part->output_file != NULL && buf_addf(&path,
		    "/files/%s/content", part->output_file) == 0)
			e = download(c, path.data);
		buf_reset(&path);
		if (e == 0 && part->error_file != NULL && buf_addf(&path,
		    "/files/%s/content", part->error_file) == 0)
			e = download(c, path.data);
	} else if (part->results_url != NULL)
		e = download(c, part->results_url);
	else if (buf_addf(&path, "/v1/messages/batches/%s/results",
	    part->id) == 0)
		e = download(c, path.data);
	buf_free(&path);
	return e == 0 ? settle(c) : -1;
}

/* Read the ledger's keys into c->done. */
static int
read_done(struct collect *c, const char *path)
{
	struct lines	 l;
	struct line	 ln;
	const char	*t1, *t2;
	int		 fd, r;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return errno == ENOENT ? 0 : cause_set(&c->cause, "%s: %s",
		    path, strerror(errno));
	if (lines_init_fd(&l, fd, LEDGER_MAX) == -1) {
		close(fd);
		return cause_set(&c->cause, "out of memory");
	}
	while ((r = lines_next(&l, &ln)) == 1) {
		if ((t1 = memchr(ln.p, '\t', ln.len)) == NULL ||
		    (t2 = memchr(t1 + 1, '\t', ln.len - (size_t)(t1 + 1 -
		    ln.p))) == NULL || ln.p[ln.len - 1] != '}')
			continue;	/* a line cut off: not written */
		if (strset_add(&c->done, ln.p, (size_t)(t2 - ln.p)) == -1) {
			r = -1;
			break;
		}
	}
	lines_free(&l);
	close(fd);
	return r == -1 ? cause_set(&c->cause, "%s: cannot read it", path) : 0;
}

int
batch_collect(const struct batch_remote *br, struct batch_job *j,
    const struct batch_sink *sink, char **cause)
{
	struct collect	 c = { .br = br, .job = j, .sink = sink, .fd = -1 };
	char		*path = batch_sibling(j, "done");
	size_t		 k;
	int		 e = 0;

	strset_init(&c.done);
	buf_init(&c.pending, LINE_MAX_BYTES);
	if (path == NULL)
		e = cause_set(&c.cause, "out of memory");
	else if ((e = read_done(&c, path)) == 0 && (c.fd = open(path,
	    O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, LEDGER_MODE)) == -1)
		e = cause_set(&c.cause, "%s: %s", path, strerror(errno));
	for (k = 0; k < j->nparts && e == 0; k++)
		if (j->parts[k].ended && j->parts[k].id != NULL)
			e = collect_part(&c, k);
	if (c.fd != -1)
		close(c.fd);
	if (e != 0) {
		*cause = c.cause ? c.cause : strdup("collect failed");
		c.cause = NULL;
	}
	free(c.cause);
	free(path);
	strset_free(&c.done);
	buf_free(&c.pending);
	return e ? -1 : 0;
}
