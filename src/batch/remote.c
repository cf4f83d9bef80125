/*
 * remote.c: the batch endpoints of the two providers, each request made
 * through api_call (the call stage's transfers, checks and retries).
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

#define BOUNDARY	"llmroute-batch-7c1e0f9a3b"
#define REPLY_MAX	((size_t)16 << 20)

/* The provider of part, and its key; -1 with *cause when unset. */
static int
provider_key(const struct batch_remote *br, const char *name,
    const struct provider **pv, const char **key, char **cause)
{
	if ((*pv = config_provider(br->cfg, name)) == NULL)
		return cause_set(cause, "unknown provider '%s'", name);
	*key = br->key != NULL ? br->key(br->arg, *pv) : "";
	if (*key == NULL)
		return cause_set(cause, "no API key: %s is not set (needed by "
		    "%s)", (*pv)->key_env ? (*pv)->key_env : "its variable",
		    name);
	return 0;
}

/* One request; the reply body in reply.  0 or -1 with *cause. */
static int
request(const struct batch_remote *br, const struct api_req *r,
    struct buf *reply, char **cause)
{
	struct api_opts	o = br->api;
	long		status;

	if (o.max_response == 0 || o.max_response > REPLY_MAX)
		o.max_response = REPLY_MAX;
	return api_call(&o, r, reply, &status, cause);
}

/* Upload input as an OpenAI batch file; its id into part. */
static int
openai_upload(const struct batch_remote *br, const struct provider *pv,
    const char *key, struct batch_part *part, const char *input, size_t len,
    char **cause)
{
	struct buf		 body = BUF_INIT, reply = BUF_INIT;
	struct json_object	*root = NULL, *id;
	struct api_req		 r = { .prov = pv, .key = key, .path = "/files",
		.content_type = "multipart/form-data; boundary=" BOUNDARY };
	int			 e = 0;

	e |= buf_addstr(&body, "--" BOUNDARY "\r\nContent-Disposition: "
	    "form-data; name=\"purpose\"\r\n\r\nbatch\r\n--" BOUNDARY "\r\n"
	    "Content-Disposition: form-data; name=\"file\"; filename=\""
	    "batch.jsonl\"\r\nContent-Type: application/jsonl\r\n\r\n");
	e |= buf_add(&body, input, len);
	e |= buf_addstr(&body, "\r\n--" BOUNDARY "--\r\n");
	r.body = body.data;
	r.len = body.len;
	if (e)
		e = cause_set(cause, "out of memory");
	else if ((e = request(br, &r, &reply, cause)) == 0) {
		root = wire_json_parse(reply.data, reply.len);
		id = wire_json_member(root, "id", json_type_string);
		if (id == NULL)
			e = cause_set(cause, "%s: the file upload's reply has "
			    "no id", pv->name);
		else if ((part->input_file = strdup(json_object_get_string(
		    id))) == NULL)
			e = cause_set(cause, "out of memory");
	}
	json_object_put(root);
	buf_free(&body);
	buf_free(&reply);
	return e;
}

int
batch_remote_submit(const struct batch_remote *br, struct batch_job *j,
    size_t k, const char *input, size_t len, char **cause)
{
	struct batch_part	*part = &j->parts[k];
	const struct provider	*pv = NULL;
	const char		*key = "";
	struct buf		 body = BUF_INIT, reply = BUF_INIT;
	struct api_req		 r = { 0 };
	int			 e;

	if (provider_key(br, part->provider, &pv, &key, cause) == -1)
		return -1;
	r.prov = pv;
	r.key = key;
	if (pv->wire == WIRE_OPENAI) {
		if (openai_upload(br, pv, key, part, input, len, cause) == -1)
			return -1;
		r.path = "/batches";
		e = buf_addstr(&body, "{\"input_file_id\":");
		e |= jsonout_cstr(&body, part->input_file);
		e |= buf_addstr(&body, ",\"endpoint\":\"/v1/chat/completions\","
		    "\"completion_window\":\"24h\",\"metadata\":{\"llmroute_job\":");
		e |= jsonout_cstr(&body, j->id);
		e |= buf_addstr(&body, "}}");
		r.body = body.data;
		r.len = body.len;
	} else {
		r.path = "/v1/messages/batches";
		r.body = input;
		r.len = len;
		e = 0;
	}
	if (e)
		e = cause_set(cause, "out of memory");
	else if ((e = request(br, &r, &reply, cause)) == 0)
		e = batch_parse_status(part, pv->wire, reply.data, reply.len,
		    cause);
	buf_free(&body);
	buf_free(&reply);
	return e;
}

/* GET (or POST, with suffix "/cancel") the batch of part; its status. */
static int
batch_get(const struct batch_remote *br, struct batch_part *part,
    const char *suffix, char **cause)
{
	const struct provider	*pv = NULL;
	const char		*key = "";
	struct buf		 path = BUF_INIT, reply = BUF_INIT;
	struct api_req		 r = { 0 };
	int			 e;

	if (part->id == NULL)
		return cause_set(cause, "batch of %s was never submitted",
		    part->model);
	if (provider_key(br, part->provider, &pv, &key, cause) == -1)
		return -1;
	e = buf_addf(&path, "%s/%s%s", pv->wire == WIRE_OPENAI ? "/batches" :
	    "/v1/messages/batches", part->id, suffix);
	r.prov = pv;
	r.key = key;
	r.path = path.data;
	if (suffix[0] != '\0') {
		r.body = "";
		r.len = 0;
	}
	if (e)
		e = cause_set(cause, "out of memory");
	else if ((e = request(br, &r, &reply, cause)) == 0)
		e = batch_parse_status(part, pv->wire, reply.data, reply.len,
		    cause);
	buf_free(&path);
	buf_free(&reply);
	return e;
}

int
batch_remote_status(const struct batch_remote *br, struct batch_part *part,
    char **cause)
{
	return batch_get(br, part, "", cause);
}

int
batch_remote_cancel(const struct batch_remote *br, struct batch_part *part,
    char **cause)
{
	return batch_get(br, part, "/cancel", cause);
}
