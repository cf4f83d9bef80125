/*
 * format.c: the two batch APIs' formats: the input of a provider batch,
 * its status object, and a line of its results.  No I/O.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/cause.h"
#include "base/jsonout.h"
#include "batch/batch.h"
#include "call/wire.h"

#include "base/banned.h"

#define CHAT_ENDPOINT	"/v1/chat/completions"

int
batch_body(const struct config *cfg, const struct prompt *p,
    const struct decision *d, const struct engine_opts *o, struct buf *b)
{
	const struct provider	*pv = config_provider(cfg, d->model->provider);
	struct wire_chat	 c = {
		.msgs = p->msgs, .nmsgs = p->nmsgs,
		.system = p->system != NULL ? p->system : o->system,
		.max_tokens = p->max_tokens != 0 ? p->max_tokens :
		    o->max_tokens,
		.has_temperature = o->has_temperature,
		.temperature = o->temperature,
		.stream = 0,
	};

	return wire_ops_of(pv->wire)->request(d->model, &c, b);
}

/* The body of cid among bodies ("CID\tBODY\n" lines); NULL if none. */
static const char *
body_of(const char *bodies, size_t len, const char *cid, size_t *n)
{
	const char	*p = bodies, *end = bodies + len, *nl, *tab;
	size_t		 k = strlen(cid);
	const char	*found = NULL;

	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		tab = memchr(p, '\t', (size_t)(nl - p));
		if (tab != NULL && (size_t)(tab - p) == k &&
		    memcmp(p, cid, k) == 0) {
			found = tab + 1;	/* the last one wins */
			*n = (size_t)(nl - found);
		}
		p = nl + 1;
	}
	return found;
}

int
batch_input(const struct batch_job *j, size_t k, const struct config *cfg,
    const char *bodies, size_t len, struct buf *b, char **cause)
{
	const struct provider	*pv = config_provider(cfg,
				    j->parts[k].provider);
	const char		*body;
	size_t			 i, n = 0, done = 0;
	int			 e = 0;

	if (pv == NULL)
		return cause_set(cause, "unknown provider '%s'",
		    j->parts[k].provider);
	if (pv->wire == WIRE_ANTHROPIC)
		e |= buf_addstr(b, "{\"requests\":[");
	for (i = 0; i < j->nreqs && e == 0; i++) {
		if (j->reqs[i].part != (int)k)
			continue;
		if ((body = body_of(bodies, len, j->reqs[i].cid, &n)) == NULL)
			return cause_set(cause, "%s: no request body for %s",
			    j->path, j->reqs[i].cid);
		e |= buf_addstr(b, pv->wire == WIRE_ANTHROPIC ?
		    (done++ ? "," : "") : "");
		e |= buf_addstr(b, "{\"custom_id\":");
		e |= jsonout_cstr(b, j->reqs[i].cid);
		if (pv->wire == WIRE_OPENAI)
			e |= buf_addstr(b, ",\"method\":\"POST\",\"url\":\""
			    CHAT_ENDPOINT "\",\"body\":");
		else
			e |= buf_addstr(b, ",\"params\":");
		e |= buf_add(b, body, n);
		e |= buf_addstr(b, pv->wire == WIRE_OPENAI ? "}\n" : "}");
	}
	if (pv->wire == WIRE_ANTHROPIC)
		e |= buf_addstr(b, "]}");
	return e ? cause_set(cause, "out of memory") : 0;
}

/* Replace *dst with string member key of o, when o has one. */
static int
take_str(struct json_object *o, const char *key, char **dst)
{
	struct json_object	*v = wire_json_member(o, key,
				    json_type_string);
	char			*s;

	if (v == NULL)
		return 0;
	if ((s = strdup(json_object_get_string(v))) == NULL)
		return -1;
	free(*dst);
	*dst = s;
	return 0;
}

static long
count(struct json_object *o, const char *key)
{
	double v = 0;

	if (!wire_json_num(o, key, &v) || v < 0 || v > 1e12)
		return 0;
	return (long)v;
}

/* OpenAI's batch object into part. */
static void
openai_status(struct batch_part *part, struct json_object *root)
{
	struct json_object	*rc = wire_json_member(root, "request_counts",
				    json_type_object);
	const char		*s = part->status;
	long			 total = count(rc, "total");

	part->counts.succeeded = count(rc, "completed");
	part->counts.failed = count(rc, "failed");
	part->counts.processing = total - part->counts.succeeded -
	    part->counts.failed;
	if (part->counts.processing < 0)
		part->counts.processing = 0;
	part->ended = s != NULL && (strcmp(s, "completed") == 0 ||
	    strcmp(s, "failed") == 0 || strcmp(s, "expired") == 0 ||
	    strcmp(s, "cancelled") == 0);
}

/* Anthropic's message_batch into part. */
static void
anthropic_status(struct batch_part *part, struct json_object *root)
{
	struct json_object *rc = wire_json_member(root, "request_counts",
	    json_type_object);

	part->counts.processing = count(rc, "processing");
	part->counts.succeeded = count(rc, "succeeded");
	part->counts.failed = count(rc, "errored") + count(rc, "canceled") +
	    count(rc, "expired");
	part->ended = part->status != NULL &&
	    strcmp(part->status, "ended") == 0;
}

int
batch_parse_status(struct batch_part *part, enum wire w, const char *body,
    size_t len, char **cause)
{
	struct json_object	*root;
	int			 e = 0;

	if ((root = wire_json_parse(body, len)) == NULL)
		return cause_set(cause, "%s: the batch status is not JSON",
		    part->provider);
	if (part->id == NULL)
		e |= take_str(root, "id", &part->id);
	if (w == WIRE_OPENAI) {
		e |= take_str(root, "status", &part->status);
		e |= take_str(root, "output_file_id", &part->output_file);
		e |= take_str(root, "error_file_id", &part->error_file);
		openai_status(part, root);
	} else {
		e |= take_str(root, "processing_status", &part->status);
		e |= take_str(root, "results_url", &part->results_url);
		anthropic_status(part, root);
	}
	json_object_put(root);
	if (e)
		return cause_set(cause, "out of memory");
	if (part->id == NULL || part->status == NULL)
		return cause_set(cause, "%s: the batch status has no %s",
		    part->provider, part->id == NULL ? "id" : "status");
	part->counts.total = (long)part->nreq;
	return 0;
}

/* The error object o (either format's) as a's reason. */
static void
take_error(struct batch_answer *a, struct json_object *o, const char *secret,
    const char *fallback)
{
	struct wire_error	 we;
	const char		*s;
	char			 tmp[1024];
	size_t			 n;

	memset(&we, 0, sizeof we);
	if (o != NULL) {
		s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
		wire_error_parse(s, strlen(s), secret, &we);
	}
	snprintf(tmp, sizeof tmp, "%s%s%s%s%s%s", fallback,
	    we.message[0] ? ": " : "", we.message,
	    we.code[0] || we.type[0] ? " (" : "", we.code[0] ? we.code :
	    we.type, we.code[0] || we.type[0] ? ")" : "");
	n = strlen(tmp);
	if (n >= sizeof a->error)
		n = sizeof a->error - 1;
	memcpy(a->error, tmp, n);
	a->error[n] = '\0';
}

/* Read a 2xx body o of format w as a's answer. */
static void
take_answer(struct batch_answer *a, enum wire w, struct json_object *o,
    const char *secret)
{
	const char *s = json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN);

	if (wire_ops_of(w)->response(s, strlen(s), &a->reply) == -1 ||
	    a->reply.error)
		take_error(a, NULL, secret, "the answer is not a response");
	else
		a->ok = 1;
}

static void
openai_result(struct batch_answer *a, struct json_object *root,
    const char *secret)
{
	struct json_object	*resp = wire_json_member(root, "response",
				    json_type_object);
	struct json_object	*body = wire_json_member(resp, "body",
				    json_type_object);
	struct json_object	*err = wire_json_member(root, "error",
				    json_type_object);
	double			 st = 0;

	wire_json_num(resp, "status_code", &st);
	if (err != NULL)
		take_error(a, root, secret, "failed");
	else if (st >= 200 && st < 300 && body != NULL)
		take_answer(a, WIRE_OPENAI, body, secret);
	else {
		char what[32];

		snprintf(what, sizeof what, "HTTP %.0f", st);
		take_error(a, body, secret, what);
	}
}

static void
anthropic_result(struct batch_answer *a, struct json_object *root,
    const char *secret)
{
	struct json_object	*res = wire_json_member(root, "result",
				    json_type_object);
	struct json_object	*type = wire_json_member(res, "type",
				    json_type_string);
	const char		*t = type ? json_object_get_string(type) : "";

	if (strcmp(t, "succeeded") == 0)
		take_answer(a, WIRE_ANTHROPIC, wire_json_member(res, "message",
		    json_type_object), secret);
	else if (strcmp(t, "errored") == 0)
		take_error(a, wire_json_member(res, "error",
		    json_type_object), secret, "errored");
	else
		take_error(a, NULL, secret, t[0] ? t : "no result");
}

int
batch_parse_result(enum wire w, const char *line, size_t len,
    const char *secret, struct batch_answer *a, char **cause)
{
	struct json_object *root, *cid;

	memset(a, 0, sizeof *a);
	wire_reply_init(&a->reply, BUF_NOLIMIT);
	a->reply.secret = secret;
	if ((root = wire_json_parse(line, len)) == NULL)
		return cause_set(cause, "a result line is not JSON");
	cid = wire_json_member(root, "custom_id", json_type_string);
	if (cid == NULL || json_object_get_string_len(cid) == 0 ||
	    (size_t)json_object_get_string_len(cid) >= sizeof a->cid) {
		json_object_put(root);
		return cause_set(cause, "a result line has no custom_id");
	}
	snprintf(a->cid, sizeof a->cid, "%s", json_object_get_string(cid));
	if (w == WIRE_OPENAI)
		openai_result(a, root, secret);
	else
		anthropic_result(a, root, secret);
	json_object_put(root);
	return 0;
}

void
batch_answer_free(struct batch_answer *a)
{
	wire_reply_free(&a->reply);
}
