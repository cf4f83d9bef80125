/*
 * wire_openai.c: OpenAI Chat Completions, also spoken by Ollama, vLLM,
 * llama.cpp's server, OpenRouter, LiteLLM and most other servers.
 *
 * Usage: prompt_tokens already includes prompt_tokens_details.cached_tokens,
 * so the uncached input is the difference (counting cached tokens twice is
 * a classic cost bug).  With stream_options.include_usage the totals come
 * in one last chunk whose "choices" is empty.
 */
#include <stdio.h>
#include <string.h>

#include <json.h>

#include "base/jsonout.h"
#include "call/wire.h"

#include "base/banned.h"

static const char *const openai_headers[] = {
	"Content-Type: application/json",
	"Accept: application/json, text/event-stream",
	NULL
};

static double
num(json_object *o, const char *key)
{
	double v = 0;

	wire_json_num(o, key, &v);
	return v;
}

static json_object *
obj(json_object *o, const char *key)
{
	return wire_json_member(o, key, json_type_object);
}

static void
openai_usage(json_object *u, struct usage *out)
{
	double prompt, cached;

	if (u == NULL)
		return;
	prompt = num(u, "prompt_tokens");
	cached = num(obj(u, "prompt_tokens_details"), "cached_tokens");
	if (cached > prompt)
		cached = prompt;
	out->input = prompt - cached;
	out->cache_read = cached;
	out->cache_write = 0;
	out->output = num(u, "completion_tokens");
	out->reasoning = num(obj(u, "completion_tokens_details"),
	    "reasoning_tokens");
	/* 1e999 or -5 tokens: not usage; the caller estimates it. */
	out->reported = wire_usage_sane(out);
}

/* Build the request body for m into b.  Returns 0 or -1 (memory). */
static int
openai_request(const struct model *m, const struct wire_chat *c, struct buf *b)
{
	size_t	i;
	int	r = 0;

	r |= buf_addstr(b, "{\"model\":");
	r |= jsonout_cstr(b, m->api_name);
	r |= buf_addstr(b, ",\"messages\":[");
	if (c->system != NULL) {
		r |= buf_addstr(b, "{\"role\":\"system\",\"content\":");
		r |= jsonout_cstr(b, c->system);
		r |= buf_addstr(b, c->nmsgs ? "}," : "}");
	}
	for (i = 0; i < c->nmsgs; i++) {
		r |= buf_addstr(b, i ? ",{\"role\":" : "{\"role\":");
		r |= jsonout_cstr(b, c->msgs[i].role);
		r |= buf_addstr(b, ",\"content\":");
		r |= jsonout_cstr(b, c->msgs[i].content);
		r |= buf_addch(b, '}');
	}
	r |= buf_addch(b, ']');
	if (c->max_tokens > 0)
		r |= buf_addf(b, ",\"%s\":%ld", m->max_tokens_field,
		    c->max_tokens);
	if (c->has_temperature) {
		r |= buf_addstr(b, ",\"temperature\":");
		r |= jsonout_num(b, "%.6g", c->temperature);
	}
	if (c->logprobs)
		r |= buf_addstr(b, ",\"logprobs\":true");
	if (c->stream)
		r |= buf_addstr(b, ",\"stream\":true,"
		    "\"stream_options\":{\"include_usage\":true}");
	r |= buf_addch(b, '}');
	return r ? -1 : 0;
}

static int
take_error(json_object *root, struct wire_reply *r)
{
	json_object *err;

	if (!json_object_object_get_ex(root, "error", &err) ||
	    json_object_is_type(err, json_type_null))
		return 0;
	wire_reply_error(r, root);
	return 1;
}

static json_object *
first_choice(json_object *root)
{
	json_object *ch;

	if (!json_object_object_get_ex(root, "choices", &ch) ||
	    !json_object_is_type(ch, json_type_array) ||
	    json_object_array_length(ch) == 0)
		return NULL;
	ch = json_object_array_get_idx(ch, 0);
	return json_object_is_type(ch, json_type_object) ? ch : NULL;
}

static void
finish_reason(struct wire_reply *r, json_object *choice)
{
	json_object *v;

	if (choice != NULL && json_object_object_get_ex(choice,
	    "finish_reason", &v) && json_object_is_type(v, json_type_string))
		snprintf(r->finish_reason, sizeof r->finish_reason, "%s",
		    json_object_get_string(v));
}

/* The token log-probabilities of choice, if it has them: 0 or -1. */
static int
take_logprobs(struct wire_reply *r, json_object *choice)
{
	return wire_reply_logprobs(r, wire_json_member(obj(choice,
	    "logprobs"), "content", json_type_array));
}

/*
 * Read a whole (non-streamed) response body into r.  Returns 0, or -1
 * when the body is not a response (malformed JSON, text too large).
 */
static int
openai_response(const char *body, size_t len, struct wire_reply *r)
{
	json_object	*root, *choice;
	int		 rc = 0;

	if ((root = wire_json_parse(body, len)) == NULL)
		return -1;
	if (!take_error(root, r)) {
		choice = first_choice(root);
		if (choice == NULL || wire_json_text(r, obj(choice,
		    "message"), "content") == -1 ||
		    take_logprobs(r, choice) == -1)
			rc = -1;
		finish_reason(r, choice);
		openai_usage(obj(root, "usage"), &r->usage);
		r->finished = 1;
	}
	json_object_put(root);
	return rc;
}

/*
 * Take one stream event.  New answer text is appended to r->text from
 * offset *delta_from.  Returns 0, or -1 for an event that is not valid.
 */
static int
openai_event(struct wire_reply *r, const char *event, const char *data,
    size_t len, size_t *delta_from)
{
	json_object	*root, *choice;
	int		 rc = 0;

	(void)event;
	*delta_from = r->text.len;
	if (len == 6 && memcmp(data, "[DONE]", 6) == 0) {
		r->finished = 1;
		return 0;
	}
	if ((root = wire_json_parse(data, len)) == NULL)
		return -1;
	if (!take_error(root, r)) {
		choice = first_choice(root);
		if (choice != NULL) {
			if (wire_json_text(r, obj(choice, "delta"),
			    "content") == -1 || take_logprobs(r, choice) == -1)
				rc = -1;
			finish_reason(r, choice);
		}
		openai_usage(obj(root, "usage"), &r->usage);
	}
	json_object_put(root);
	return rc;
}

const struct wire_ops wire_openai = {
	.path = "/chat/completions",
	.key_header = "Authorization: Bearer ",
	.headers = openai_headers,
	.request = openai_request,
	.response = openai_response,
	.event = openai_event,
};
