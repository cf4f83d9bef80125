/*
 * job.c: a job's state file: its requests and provider batches, written
 * whole and atomically, read back with json-c.
 */
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/cause.h"
#include "base/file.h"
#include "base/jsonout.h"
#include "base/sha256.h"
#include "batch/batch.h"
#include "route/cost.h"

#include "base/utf8.h"

#include "base/banned.h"

#define JOB_RNDMASK	0xffffffUL

void
batch_job_id(char *buf, size_t len, double now, unsigned long rnd)
{
	struct tm	tm;
	time_t		t = (time_t)now;
	char		ts[32];

	if (gmtime_r(&t, &tm) == NULL)
		memset(&tm, 0, sizeof tm);
	strftime(ts, sizeof ts, "%Y%m%dT%H%M%SZ", &tm);
	snprintf(buf, len, "%s-%06lx", ts, rnd & JOB_RNDMASK);
}

char *
batch_job_path(const char *dir, const char *job)
{
	struct buf	b = BUF_INIT;
	size_t		n = strlen(job);

	if (strchr(job, '/') != NULL || (n > 5 &&
	    strcmp(job + n - 5, ".json") == 0))
		return strdup(job);
	if (buf_addf(&b, "%s/%s.json", dir, job) == -1) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

char *
batch_sibling(const struct batch_job *j, const char *suffix)
{
	struct buf	b = BUF_INIT;
	size_t		n = strlen(j->path);

	if (n > 5 && strcmp(j->path + n - 5, ".json") == 0)
		n -= 5;
	if (buf_add(&b, j->path, n) == -1 || buf_addf(&b, ".%s",
	    suffix) == -1) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

void
batch_job_init(struct batch_job *j)
{
	memset(j, 0, sizeof *j);
}

static void
part_free(struct batch_part *p)
{
	free(p->provider);
	free(p->model);
	free(p->id);
	free(p->input_file);
	free(p->status);
	free(p->output_file);
	free(p->error_file);
	free(p->results_url);
}

static void
req_free(struct batch_req *r)
{
	free(r->cid);
	free(r->id_json);
	free(r->name);
	free(r->source);
	free(r->model);
	free(r->tier);
}

void
batch_job_free(struct batch_job *j)
{
	size_t i;

	for (i = 0; i < j->nparts; i++)
		part_free(&j->parts[i]);
	for (i = 0; i < j->nreqs; i++)
		req_free(&j->reqs[i]);
	for (i = 0; i < j->ntags; i++)
		free(j->tags[i]);
	free(j->tags);
	free(j->parts);
	free(j->reqs);
	free(j->id);
	free(j->path);
	memset(j, 0, sizeof *j);
}

int
batch_job_tags(struct batch_job *j, char *const *tags, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char **t = reallocarray(j->tags, j->ntags + 1, sizeof *t);

		if (t == NULL)
			return -1;
		j->tags = t;
		if ((t[j->ntags] = strdup(tags[i])) == NULL)
			return -1;
		j->ntags++;
	}
	return 0;
}

/* Grow *arr of *n elements of size sz by one zeroed; NULL (memory). */
static void *
push(void *arrp, size_t *n, size_t sz)
{
	void	**arr = arrp;
	char	 *p;

	if (*n >= ((size_t)-1) / sz - 1)
		return NULL;
	if ((p = realloc(*arr, (*n + 1) * sz)) == NULL)
		return NULL;
	*arr = p;
	memset(p + *n * sz, 0, sz);
	return p + (*n)++ * sz;
}


struct batch_req *
batch_job_add(struct batch_job *j, const struct prompt *p,
    const struct decision *d, const char *source, char **cause)
{
	struct batch_req	*r;
	char			 cid[32];

	if ((r = push(&j->reqs, &j->nreqs, sizeof *r)) == NULL) {
		cause_set(cause, "out of memory");
		return NULL;
	}
	snprintf(cid, sizeof cid, "r%zu", j->nreqs - 1);
	r->part = -1;
	r->score = d->score;
	r->cost_est = policy_batch_cost(d->provider, d->cost);
	r->baseline_est = d->baseline_cost;
	sha256_hex(p->text != NULL ? p->text : "", p->text ? p->len : 0,
	    r->sha);
	r->chars = p->text ? utf8_count(p->text, p->len) : 0;
	if ((r->cid = strdup(cid)) == NULL ||
	    (r->id_json = strdup(p->id)) == NULL ||
	    (r->name = strdup(p->name)) == NULL ||
	    (r->source = strdup(source)) == NULL ||
	    (r->model = strdup(d->model->name)) == NULL ||
	    (d->tier != NULL && (r->tier = strdup(d->tier->name)) == NULL)) {
		cause_set(cause, "out of memory");
		return NULL;
	}
	return r;
}

/* A new part of j for provider and model; NULL (memory). */
static struct batch_part *
new_part(struct batch_job *j, const char *provider, const char *model)
{
	struct batch_part *p;

	if ((p = push(&j->parts, &j->nparts, sizeof *p)) == NULL)
		return NULL;
	if ((p->provider = strdup(provider)) == NULL ||
	    (p->model = strdup(model)) == NULL)
		return NULL;
	return p;
}

/* Put requests of model m from i on into part k while they fit. */
static size_t
fill_part(struct batch_job *j, size_t k, size_t from, size_t maxreq,
    size_t maxbytes)
{
	struct batch_part	*p = &j->parts[k];
	size_t			 i, bytes = 0;

	for (i = from; i < j->nreqs && p->nreq < maxreq; i++) {
		struct batch_req *r = &j->reqs[i];

		if (r->part != -1 || strcmp(r->model, p->model) != 0)
			continue;
		if (p->nreq > 0 && bytes + r->bytes > maxbytes)
			break;
		bytes += r->bytes;
		r->part = (int)k;
		p->nreq++;
	}
	return i;
}

int
batch_job_split(struct batch_job *j, const struct config *cfg,
    size_t maxreq, size_t maxbytes, char **cause)
{
	const struct model	*m;
	const struct provider	*pv;
	size_t			 i, mr, mb;

	for (i = 0; i < j->nreqs; i++) {
		if (j->reqs[i].part != -1)
			continue;
		if ((m = config_model(cfg, j->reqs[i].model)) == NULL)
			return cause_set(cause, "%s: unknown model '%s'",
			    j->reqs[i].name, j->reqs[i].model);
		pv = config_provider(cfg, m->provider);
		mr = pv->wire == WIRE_OPENAI ? BATCH_OPENAI_MAXREQ :
		    BATCH_ANTHROPIC_MAXREQ;
		mb = pv->wire == WIRE_OPENAI ? BATCH_OPENAI_MAXBYTES :
		    BATCH_ANTHROPIC_MAXBYTES;
		if (maxreq > 0 && maxreq < mr)
			mr = maxreq;
		if (maxbytes > 0 && maxbytes < mb)
			mb = maxbytes;
		if (new_part(j, pv->name, m->name) == NULL)
			return cause_set(cause, "out of memory");
		fill_part(j, j->nparts - 1, i, mr, mb);
	}
	return 0;
}
