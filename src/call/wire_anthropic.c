/*
 * wire_anthropic.c: Anthropic Messages.
 *
 * The system prompt is a top-level field, not a message, and max_tokens is
 * required.  Usage: input_tokens excludes cache reads and writes, which
 * are counted apart.  A stream carries input usage in message_start and
 * cumulative output usage in message_delta (possibly more than once: the
 * last one counts); an "error" event may arrive mid-stream.
 */
#include <stdio.h>
#include <string.h>

#include <json.h>

#include "base/jsonout.h"
#include "call/wire.h"

#include "base/banned.h"

static const char *const anthropic_headers[] = {
	"Content-Type: application/json",
	"anthropic-version: 2023-06-01",
	NULL
};

/*
 * Merge the usage object u: only the counts it carries change.  final is
 * set for the usage that closes an answer (a whole response or a
 * message_delta); message_start's output count is only a placeholder.
 * The usage counts as reported only when every count is sane.
 */
static void
anthropic_usage(json_object *u, struct usage *out, int final)
{
	if (u == NULL)
		return;
	wire_json_num(u, "input_tokens", &out->input);
	wire_json_num(u, "cache_read_input_tokens", &out->cache_read);
	wire_json_num(u, "cache_creation_input_tokens", &out->cache_write);
	/* 1e999 or -5 tokens, here or before: the caller estimates them. */
	if (wire_json_num(u, "output_tokens", &out->output) && final)
		out->reported = wire_usage_sane(out);
}

static int
anthropic_request(const struct model *m, const struct wire_chat *c,
    struct buf *b)
{
	size_t	i, nsys = 0;
	int	r = 0, first = 1;

	r |= buf_addstr(b, "{\"model\":");
	r |= jsonout_cstr(b, m->api_name);
	r |= buf_addf(b, ",\"max_tokens\":%ld", c->max_tokens > 0 ?
	    c->max_tokens : WIRE_DEFAULT_MAX_TOKENS);
	/* Every system text goes in the top-level field. */
	for (i = 0; i < c->nmsgs; i++)
		if (strcmp(c->msgs[i].role, "system") == 0)
			nsys++;
	if (c->system != NULL || nsys > 0) {
		struct buf sys = BUF_INIT;

		if (c->system != NULL)
			r |= buf_addstr(&sys, c->system);
		for (i = 0; i < c->nmsgs; i++)
			if (strcmp(c->msgs[i].role, "system") == 0) {
				if (sys.len > 0)
					r |= buf_addstr(&sys, "\n\n");
				r |= buf_addstr(&sys, c->msgs[i].content);
			}
		r |= buf_addstr(b, ",\"system\":");
		r |= jsonout_str(b, sys.data, sys.len);
		buf_free(&sys);
	}
	r |= buf_addstr(b, ",\"messages\":[");
	for (i = 0; i < c->nmsgs; i++) {
		if (strcmp(c->msgs[i].role, "system") == 0)
			continue;
		r |= buf_addstr(b, first ? "{\"role\":" : ",{\"role\":");
		first = 0;
		r |= jsonout_cstr(b, c->msgs[i].role);
		r |= buf_addstr(b, ",\"content\":");
		r |= jsonout_cstr(b, c->msgs[i].content);
		r |= buf_addch(b, '}');
	}
	r |= buf_addch(b, ']');
	if (c->has_temperature) {
		r |= buf_addstr(b, ",\"temperature\":");
		r |= jsonout_num(b, "%.6g", c->temperature);
	}
	if (c->stream)
		r |= buf_addstr(b, ",\"stream\":true");
	r |= buf_addch(b, '}');
	return r ? -1 : 0;
}

static int
take_error(json_object *root, struct wire_reply *r)
{
	json_object *t;

	t = wire_json_member(root, "type", json_type_string);
	if (t == NULL || strcmp(json_object_get_string(t), "error") != 0)
		return 0;
	wire_reply_error(r, root);
	return 1;
}

static void
stop_reason(struct wire_reply *r, json_object *o)
{
	json_object *v = wire_json_member(o, "stop_reason", json_type_string);

	if (v != NULL)
		snprintf(r->finish_reason, sizeof r->finish_reason, "%s",
		    json_object_get_string(v));
}

static int
anthropic_response(const char *body, size_t len, struct wire_reply *r)
{
	json_object	*root, *content;
	size_t		 i, n;
	int		 rc = 0;

	if ((root = wire_json_parse(body, len)) == NULL)
		return -1;
	if (!take_error(root, r)) {
		content = wire_json_member(root, "content", json_type_array);
		if (content == NULL)
			rc = -1;
		n = content ? json_object_array_length(content) : 0;
		for (i = 0; i < n && rc == 0; i++)
			if (wire_json_text(r, json_object_array_get_idx(
			    content, i), "text") == -1)
				rc = -1;
		stop_reason(r, root);
		anthropic_usage(wire_json_member(root, "usage",
		    json_type_object), &r->usage, 1);
		r->finished = 1;
	}
	json_object_put(root);
	return rc;
}

static int
anthropic_event(struct wire_reply *r, const char *event, const char *data,
    size_t len, size_t *delta_from)
{
	json_object	*root, *o, *t;
	int		 rc = 0;

	*delta_from = r->text.len;
	if (strcmp(event, "ping") == 0)
		return 0;
	if ((root = wire_json_parse(data, len)) == NULL)
		return -1;
	if (strcmp(event, "error") == 0 || take_error(root, r)) {
		if (!r->error) {
			wire_error_parse(data, len, r->secret, &r->err);
			r->error = 1;
		}
	} else if (strcmp(event, "message_start") == 0) {
		o = wire_json_member(root, "message", json_type_object);
		anthropic_usage(wire_json_member(o, "usage",
		    json_type_object), &r->usage, 0);
	} else if (strcmp(event, "content_block_delta") == 0) {
		o = wire_json_member(root, "delta", json_type_object);
		t = wire_json_member(o, "type", json_type_string);
		if (t != NULL && strcmp(json_object_get_string(t),
		    "text_delta") == 0 &&
		    wire_json_text(r, o, "text") == -1)
			rc = -1;
	} else if (strcmp(event, "message_delta") == 0) {
		stop_reason(r, wire_json_member(root, "delta",
		    json_type_object));
		anthropic_usage(wire_json_member(root, "usage",
		    json_type_object), &r->usage, 1);
	} else if (strcmp(event, "message_stop") == 0)
		r->finished = 1;
	json_object_put(root);
	return rc;
}

const struct wire_ops wire_anthropic = {
	.path = "/v1/messages",
	.key_header = "x-api-key: ",
	.headers = anthropic_headers,
	.request = anthropic_request,
	.response = anthropic_response,
	.event = anthropic_event,
};
