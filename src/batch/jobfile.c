/*
 * jobfile.c: a job's state file written (jsonout, file_replace) and read
 * back (json-c).
 */
#include <json-c/json.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/cause.h"
#include "base/file.h"
#include "base/jsonout.h"
#include "batch/batch.h"

#include "base/banned.h"

#define JOB_VERSION	1
#define JOB_MODE	0600
#define JOB_MAXLOAD	((size_t)1 << 30)

/* A string member, or null. */
static void
put_str(struct jsonout *jo, const char *name, const char *s)
{
	jsonout_member(jo, name);
	if (s != NULL)
		jsonout_put_cstr(jo, s);
	else
		jsonout_put_null(jo);
}

static void
put_part(struct jsonout *jo, const struct batch_part *p)
{
	jsonout_object_begin(jo);
	put_str(jo, "provider", p->provider);
	put_str(jo, "model", p->model);
	put_str(jo, "id", p->id);
	put_str(jo, "input_file_id", p->input_file);
	put_str(jo, "status", p->status);
	put_str(jo, "output_file_id", p->output_file);
	put_str(jo, "error_file_id", p->error_file);
	put_str(jo, "results_url", p->results_url);
	jsonout_member(jo, "ended");
	jsonout_put_bool(jo, p->ended);
	jsonout_member(jo, "requests");
	jsonout_put_int(jo, (long long)p->nreq);
	jsonout_member(jo, "processing");
	jsonout_put_int(jo, p->counts.processing);
	jsonout_member(jo, "succeeded");
	jsonout_put_int(jo, p->counts.succeeded);
	jsonout_member(jo, "failed");
	jsonout_put_int(jo, p->counts.failed);
	jsonout_object_end(jo);
}

static void
put_req(struct jsonout *jo, const struct batch_req *r)
{
	jsonout_object_begin(jo);
	put_str(jo, "custom_id", r->cid);
	jsonout_member(jo, "id");
	jsonout_put_raw(jo, r->id_json);
	put_str(jo, "name", r->name);
	put_str(jo, "source", r->source);
	put_str(jo, "model", r->model);
	put_str(jo, "tier", r->tier);
	jsonout_member(jo, "score");
	jsonout_put_double(jo, r->score);
	jsonout_member(jo, "cost_usd_est");
	jsonout_put_double(jo, r->cost_est);
	jsonout_member(jo, "baseline_cost_usd_est");
	jsonout_put_double(jo, r->baseline_est);
	put_str(jo, "prompt_sha256", r->sha);
	jsonout_member(jo, "prompt_chars");
	jsonout_put_int(jo, (long long)r->chars);
	jsonout_member(jo, "bytes");
	jsonout_put_int(jo, (long long)r->bytes);
	jsonout_member(jo, "part");
	jsonout_put_int(jo, r->part);
	jsonout_object_end(jo);
}

int
batch_job_save(const struct batch_job *j, char **cause)
{
	struct jsonout	jo;
	struct buf	b = BUF_INIT;
	size_t		i;
	int		r;

	jsonout_init(&jo, &b, JSONOUT_COMPACT);
	jsonout_object_begin(&jo);
	jsonout_member(&jo, "v");
	jsonout_put_int(&jo, JOB_VERSION);
	put_str(&jo, "job", j->id);
	jsonout_member(&jo, "created");
	jsonout_put_double(&jo, j->created);
	jsonout_member(&jo, "jsonl");
	jsonout_put_bool(&jo, j->jsonl);
	jsonout_member(&jo, "tags");
	jsonout_array_begin(&jo);
	for (i = 0; i < j->ntags; i++)
		jsonout_put_cstr(&jo, j->tags[i]);
	jsonout_array_end(&jo);
	jsonout_member(&jo, "batches");
	jsonout_array_begin(&jo);
	for (i = 0; i < j->nparts; i++)
		put_part(&jo, &j->parts[i]);
	jsonout_array_end(&jo);
	jsonout_member(&jo, "requests");
	jsonout_array_begin(&jo);
	for (i = 0; i < j->nreqs; i++)
		put_req(&jo, &j->reqs[i]);
	jsonout_array_end(&jo);
	jsonout_object_end(&jo);
	if (jo.error || buf_addch(&b, '\n') == -1) {
		buf_free(&b);
		return cause_set(cause, "out of memory");
	}
	r = file_replace(j->path, b.data, b.len, JOB_MODE, cause);
	buf_free(&b);
	return r;
}

/* A copy of string member key of o, NULL when null or absent. */
static int
get_str(struct json_object *o, const char *key, char **out)
{
	struct json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return -1;
	return (*out = strdup(json_object_get_string(v))) == NULL ? -1 : 0;
}

static double
get_num(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return 0;
	return json_object_get_double(v);
}

static int
load_part(struct json_object *o, struct batch_part *p)
{
	int e = 0;

	e |= get_str(o, "provider", &p->provider);
	e |= get_str(o, "model", &p->model);
	e |= get_str(o, "id", &p->id);
	e |= get_str(o, "input_file_id", &p->input_file);
	e |= get_str(o, "status", &p->status);
	e |= get_str(o, "output_file_id", &p->output_file);
	e |= get_str(o, "error_file_id", &p->error_file);
	e |= get_str(o, "results_url", &p->results_url);
	p->ended = get_num(o, "ended") != 0;
	p->nreq = (size_t)get_num(o, "requests");
	p->counts.total = (long)p->nreq;
	p->counts.processing = (long)get_num(o, "processing");
	p->counts.succeeded = (long)get_num(o, "succeeded");
	p->counts.failed = (long)get_num(o, "failed");
	return e || p->provider == NULL || p->model == NULL ? -1 : 0;
}

static int
load_req(struct json_object *o, struct batch_req *r, size_t nparts)
{
	struct json_object	*id;
	char			*sha = NULL;
	int			 e = 0;

	e |= get_str(o, "custom_id", &r->cid);
	e |= get_str(o, "name", &r->name);
	e |= get_str(o, "source", &r->source);
	e |= get_str(o, "model", &r->model);
	e |= get_str(o, "tier", &r->tier);
	e |= get_str(o, "prompt_sha256", &sha);
	if (json_object_object_get_ex(o, "id", &id))
		r->id_json = strdup(json_object_to_json_string_ext(id,
		    JSON_C_TO_STRING_PLAIN));
	if (sha != NULL && strlen(sha) == BATCH_SHA_LEN)
		memcpy(r->sha, sha, BATCH_SHA_LEN + 1);
	free(sha);
	r->score = get_num(o, "score");
	r->cost_est = get_num(o, "cost_usd_est");
	r->baseline_est = get_num(o, "baseline_cost_usd_est");
	r->chars = (size_t)get_num(o, "prompt_chars");
	r->bytes = (size_t)get_num(o, "bytes");
	r->part = (int)get_num(o, "part");
	if (r->part < -1 || r->part >= (int)nparts)
		e = -1;
	return e || r->cid == NULL || r->id_json == NULL || r->name == NULL ||
	    r->source == NULL || r->model == NULL ? -1 : 0;
}

/* The array member key of root; NULL when it is not one. */
static struct json_object *
array_of(struct json_object *root, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(root, key, &v) ||
	    !json_object_is_type(v, json_type_array))
		return NULL;
	return v;
}

/* The tags of root, when it has them; 0 or -1. */
static int
load_tags(struct batch_job *j, struct json_object *root)
{
	struct json_object	*tags = array_of(root, "tags"), *t;
	size_t			 i, n = tags ? json_object_array_length(tags) : 0;
	const char		*s;

	for (i = 0; i < n; i++) {
		t = json_object_array_get_idx(tags, i);
		if (!json_object_is_type(t, json_type_string))
			return -1;
		s = json_object_get_string(t);
		if (batch_job_tags(j, (char *const *)&s, 1) == -1)
			return -1;
	}
	return 0;
}

/* Fill j from the parsed state root; -1 with what is wrong in *what. */
static int
load_root(struct batch_job *j, struct json_object *root, const char **what)
{
	struct json_object	*parts, *reqs;
	size_t			 i, n;

	*what = "not a job state file";
	if ((parts = array_of(root, "batches")) == NULL ||
	    (reqs = array_of(root, "requests")) == NULL ||
	    get_str(root, "job", &j->id) == -1 || j->id == NULL)
		return -1;
	j->created = get_num(root, "created");
	j->jsonl = get_num(root, "jsonl") != 0;
	*what = "field 'tags'";
	if (load_tags(j, root) == -1)
		return -1;
	n = json_object_array_length(parts);
	*what = "field 'batches'";
	if ((j->parts = calloc(n + 1, sizeof *j->parts)) == NULL)
		return -1;
	for (j->nparts = 0; j->nparts < n; j->nparts++)
		if (load_part(json_object_array_get_idx(parts, j->nparts),
		    &j->parts[j->nparts]) == -1)
			return -1;
	n = json_object_array_length(reqs);
	*what = "field 'requests'";
	if ((j->reqs = calloc(n + 1, sizeof *j->reqs)) == NULL)
		return -1;
	for (i = 0; i < n; i++, j->nreqs++)
		if (load_req(json_object_array_get_idx(reqs, i), &j->reqs[i],
		    j->nparts) == -1)
			return -1;
	return 0;
}

int
batch_job_load(struct batch_job *j, const char *path, char **cause)
{
	struct json_object	*root;
	struct buf		 b;
	const char		*what = NULL;
	int			 fd, r;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return cause_set(cause, "%s: %s", path, strerror(errno));
	buf_init(&b, JOB_MAXLOAD);
	r = buf_read_fd(&b, fd);
	close(fd);
	if (r == -1) {
		buf_free(&b);
		return cause_set(cause, "%s: cannot read it", path);
	}
	root = wire_json_parse(b.data, b.len);
	buf_free(&b);
	if ((j->path = strdup(path)) == NULL)
		r = cause_set(cause, "out of memory");
	else if (root == NULL)
		r = cause_set(cause, "%s: not JSON", path);
	else if (load_root(j, root, &what) == -1)
		r = cause_set(cause, "%s: %s", path, what);
	json_object_put(root);
	return r;
}
