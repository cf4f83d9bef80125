/*
 * test_provider.c: both wire formats: request bodies (checked by parsing
 * them with json-c), whole responses, error bodies, stream events (also fed
 * through the SSE parser at every read boundary), usage normalisation and
 * cost.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "base/buf.h"
#include "route/config.h"
#include "input/input.h"
#include "call/wire.h"
#include "call/sse.h"
#include "unit.h"

static char s_gpt[] = "gpt-4.1-mini";
static char s_o4[] = "o4-mini";
static char s_claude[] = "claude-haiku-4-5";
static char s_openai[] = "openai";
static char s_anthropic[] = "anthropic";
static char s_max_tokens[] = "max_tokens";
static char s_max_completion[] = "max_completion_tokens";
static char s_user[] = "user";
static char s_assistant[] = "assistant";
static char s_system[] = "system";
static char s_hi[] = "Hi there";
static char s_hello[] = "Hello! How can I help?";
static char s_q[] = "What is 2+2?";
static char s_sys2[] = "Answer in French.";
static char s_sys3[] = "Be brief.";
static char s_tricky[] = "say \"hi\"\\ now\nline2\r\ttab \x01\x1f "
    "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x8e\x89 </script>";

static void
model_init(struct model *m, char *api, char *prov, char *field)
{
	memset(m, 0, sizeof *m);
	m->name = api;
	m->provider = prov;
	m->api_name = api;
	m->price_in = 0.40;
	m->price_out = 1.60;
	m->max_tokens_field = field;
}

/* Build a request body with ops o; returns the parsed JSON (caller puts). */
static json_object *
build(const struct wire_ops *o, const struct model *m,
    const struct wire_chat *c, struct buf *b)
{
	buf_reset(b);
	if (o->request(m, c, b) == -1)
		return NULL;
	return json_tokener_parse(b->data);
}

static json_object *
get(json_object *o, const char *key)
{
	json_object *v;

	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static int
has(json_object *o, const char *key)
{
	json_object *v;

	return o != NULL && json_object_is_type(o, json_type_object) &&
	    json_object_object_get_ex(o, key, &v);
}

/* 1 when o[key] is the string s. */
static int
is_str(json_object *o, const char *key, const char *s)
{
	json_object *v = get(o, key);

	return v != NULL && json_object_is_type(v, json_type_string) &&
	    strcmp(json_object_get_string(v), s) == 0 &&
	    (size_t)json_object_get_string_len(v) == strlen(s);
}

/* 1 when o[key] is a number equal to d. */
static int
is_num(json_object *o, const char *key, double d)
{
	json_object *v = get(o, key);

	return v != NULL && (json_object_is_type(v, json_type_int) ||
	    json_object_is_type(v, json_type_double)) &&
	    json_object_get_double(v) == d;
}

static json_object *
msg(json_object *root, size_t i)
{
	json_object *a = get(root, "messages");

	if (a == NULL || !json_object_is_type(a, json_type_array) ||
	    i >= json_object_array_length(a))
		return NULL;
	return json_object_array_get_idx(a, i);
}

static size_t
nmsg(json_object *root)
{
	json_object *a = get(root, "messages");

	if (a == NULL || !json_object_is_type(a, json_type_array))
		return (size_t)-1;
	return json_object_array_length(a);
}

static void
test_ops(void)
{
	const struct wire_ops	*o, *a;
	size_t				 i;
	int				 ver = 0;

	o = wire_ops_of(WIRE_OPENAI);
	a = wire_ops_of(WIRE_ANTHROPIC);
	CHECK(o == &wire_openai && a == &wire_anthropic,
	    "provider_ops picks the table of each wire");
	CHECK_STR(o->path, "/chat/completions", "openai path");
	CHECK_STR(a->path, "/v1/messages", "anthropic path");
	CHECK_STR(o->key_header, "Authorization: Bearer ", "openai key header");
	CHECK_STR(a->key_header, "x-api-key: ", "anthropic key header");
	for (i = 0; a->headers[i] != NULL; i++)
		if (strcmp(a->headers[i], "anthropic-version: 2023-06-01") == 0)
			ver = 1;
	CHECK(ver, "anthropic sends anthropic-version: 2023-06-01");
}

static void
test_openai_request(void)
{
	const struct wire_ops	*o = &wire_openai;
	struct message			 msgs[3];
	struct model			 m, r;
	struct wire_chat		 c;
	struct buf			 b = BUF_INIT;
	json_object			*j, *so;

	model_init(&m, s_gpt, s_openai, s_max_tokens);
	model_init(&r, s_o4, s_openai, s_max_completion);
	msgs[0].role = s_user;
	msgs[0].content = s_hi;
	msgs[1].role = s_assistant;
	msgs[1].content = s_hello;
	msgs[2].role = s_user;
	msgs[2].content = s_q;

	memset(&c, 0, sizeof c);
	c.msgs = msgs;
	c.nmsgs = 3;
	c.system = "You are terse.";
	c.max_tokens = 512;
	c.has_temperature = 1;
	c.temperature = 0.2;
	c.stream = 1;
	j = build(o, &m, &c, &b);
	CHECK(j != NULL && json_object_is_type(j, json_type_object),
	    "openai request: valid JSON object");
	CHECK(is_str(j, "model", "gpt-4.1-mini"), "openai request: model");
	CHECK(nmsg(j) == 4, "openai request: system + 3 messages");
	CHECK(is_str(msg(j, 0), "role", "system") &&
	    is_str(msg(j, 0), "content", "You are terse."),
	    "openai request: the system message comes first");
	CHECK(is_str(msg(j, 1), "role", "user") &&
	    is_str(msg(j, 1), "content", "Hi there") &&
	    is_str(msg(j, 2), "role", "assistant") &&
	    is_str(msg(j, 2), "content", "Hello! How can I help?") &&
	    is_str(msg(j, 3), "role", "user") &&
	    is_str(msg(j, 3), "content", "What is 2+2?"),
	    "openai request: the messages in order");
	CHECK(is_num(j, "max_tokens", 512) && !has(j, "max_completion_tokens"),
	    "openai request: max_tokens");
	CHECK(is_num(j, "temperature", 0.2), "openai request: temperature 0.2");
	so = get(j, "stream_options");
	CHECK(get(j, "stream") != NULL && json_object_is_type(get(j, "stream"),
	    json_type_boolean) && json_object_get_boolean(get(j, "stream")),
	    "openai request: stream true when streaming");
	CHECK(so != NULL && get(so, "include_usage") != NULL &&
	    json_object_is_type(get(so, "include_usage"), json_type_boolean) &&
	    json_object_get_boolean(get(so, "include_usage")),
	    "openai request: stream_options.include_usage when streaming");
	json_object_put(j);

	/* The model picks the max tokens field. */
	j = build(o, &r, &c, &b);
	CHECK(j != NULL && is_num(j, "max_completion_tokens", 512) &&
	    !has(j, "max_tokens") && is_str(j, "model", "o4-mini"),
	    "openai request: max_completion_tokens for a model that wants it");
	json_object_put(j);

	/* Not streaming, no temperature, no max tokens, no system. */
	c.stream = 0;
	c.has_temperature = 0;
	c.max_tokens = 0;
	c.system = NULL;
	j = build(o, &m, &c, &b);
	CHECK(j != NULL && !has(j, "stream") && !has(j, "stream_options"),
	    "openai request: no stream fields when not streaming");
	CHECK(j != NULL && !has(j, "temperature"),
	    "openai request: no temperature unless set");
	CHECK(j != NULL && !has(j, "max_tokens") &&
	    !has(j, "max_completion_tokens"),
	    "openai request: max tokens 0 sends no limit");
	CHECK(nmsg(j) == 3 && is_str(msg(j, 0), "role", "user"),
	    "openai request: no system message when there is none");
	json_object_put(j);

	/* Temperature 0 is a temperature. */
	c.has_temperature = 1;
	c.temperature = 0;
	j = build(o, &m, &c, &b);
	CHECK(is_num(j, "temperature", 0), "openai request: temperature 0 sent");
	json_object_put(j);
	c.temperature = 1.25;
	j = build(o, &m, &c, &b);
	CHECK(is_num(j, "temperature", 1.25), "openai request: temperature 1.25");
	json_object_put(j);

	/* A system prompt and no messages. */
	c.nmsgs = 0;
	c.system = "only system";
	j = build(o, &m, &c, &b);
	CHECK(nmsg(j) == 1 && is_str(msg(j, 0), "content", "only system"),
	    "openai request: system prompt alone");
	json_object_put(j);

	/* Escaping. */
	msgs[0].content = s_tricky;
	c.nmsgs = 1;
	c.system = s_tricky;
	j = build(o, &m, &c, &b);
	CHECK(j != NULL && is_str(msg(j, 0), "content", s_tricky) &&
	    is_str(msg(j, 1), "content", s_tricky),
	    "openai request: quotes, backslashes, newlines, controls and "
	    "unicode round-trip");
	CHECK(strchr(b.data, '\n') == NULL && strchr(b.data, '\r') == NULL &&
	    strchr(b.data, '\x01') == NULL,
	    "openai request: no raw control characters in the body");
	json_object_put(j);
	buf_free(&b);
}

static void
test_anthropic_request(void)
{
	const struct wire_ops	*a = &wire_anthropic;
	struct message			 msgs[5];
	struct model			 m;
	struct wire_chat		 c;
	struct buf			 b = BUF_INIT;
	json_object			*j;
	size_t				 i;
	int				 ok;

	model_init(&m, s_claude, s_anthropic, s_max_tokens);
	msgs[0].role = s_system;
	msgs[0].content = s_sys2;
	msgs[1].role = s_user;
	msgs[1].content = s_hi;
	msgs[2].role = s_assistant;
	msgs[2].content = s_hello;
	msgs[3].role = s_system;
	msgs[3].content = s_sys3;
	msgs[4].role = s_user;
	msgs[4].content = s_q;

	memset(&c, 0, sizeof c);
	c.msgs = msgs;
	c.nmsgs = 5;
	c.system = "You are terse.";
	c.stream = 1;
	j = build(a, &m, &c, &b);
	CHECK(j != NULL && json_object_is_type(j, json_type_object),
	    "anthropic request: valid JSON object");
	CHECK(is_str(j, "model", "claude-haiku-4-5"),
	    "anthropic request: model");
	CHECK(is_num(j, "max_tokens", 4096),
	    "anthropic request: max_tokens defaults to 4096");
	CHECK(is_str(j, "system",
	    "You are terse.\n\nAnswer in French.\n\nBe brief."),
	    "anthropic request: top-level system joins the system prompt and "
	    "system messages");
	ok = nmsg(j) == 3;
	for (i = 0; ok && i < 3; i++)
		if (is_str(msg(j, i), "role", "system"))
			ok = 0;
	CHECK(ok, "anthropic request: system messages removed from messages");
	CHECK(is_str(msg(j, 0), "role", "user") &&
	    is_str(msg(j, 0), "content", "Hi there") &&
	    is_str(msg(j, 1), "role", "assistant") &&
	    is_str(msg(j, 2), "content", "What is 2+2?"),
	    "anthropic request: the other messages in order");
	CHECK(get(j, "stream") != NULL && json_object_get_boolean(get(j,
	    "stream")) && !has(j, "stream_options"),
	    "anthropic request: stream true, no stream_options");
	CHECK(!has(j, "temperature"), "anthropic request: no temperature");
	json_object_put(j);

	c.system = NULL;
	c.max_tokens = 512;
	c.has_temperature = 1;
	c.temperature = 0.7;
	c.stream = 0;
	j = build(a, &m, &c, &b);
	CHECK(is_num(j, "max_tokens", 512), "anthropic request: max_tokens 512");
	CHECK(is_str(j, "system", "Answer in French.\n\nBe brief."),
	    "anthropic request: system messages alone, no leading separator");
	CHECK(is_num(j, "temperature", 0.7), "anthropic request: temperature");
	CHECK(j != NULL && !has(j, "stream"),
	    "anthropic request: no stream when not streaming");
	json_object_put(j);

	c.msgs = msgs + 1;
	c.nmsgs = 2;
	j = build(a, &m, &c, &b);
	CHECK(j != NULL && !has(j, "system") && nmsg(j) == 2,
	    "anthropic request: no system field when there is none");
	json_object_put(j);

	c.system = "sys only";
	j = build(a, &m, &c, &b);
	CHECK(is_str(j, "system", "sys only"),
	    "anthropic request: the system prompt alone");
	json_object_put(j);

	msgs[1].content = s_tricky;
	msgs[0].content = s_tricky;
	c.msgs = msgs;
	c.nmsgs = 2;
	c.system = NULL;
	j = build(a, &m, &c, &b);
	CHECK(is_str(msg(j, 0), "content", s_tricky) &&
	    is_str(j, "system", s_tricky),
	    "anthropic request: escaping round-trips in messages and system");
	json_object_put(j);

	{
		static char bad[] = "bad \xff\xfe byte";

		msgs[1].content = bad;
		j = build(a, &m, &c, &b);
		CHECK(is_str(msg(j, 0), "content",
		    "bad \xef\xbf\xbd\xef\xbf\xbd byte"),
		    "anthropic request: ill-formed UTF-8 becomes U+FFFD");
		json_object_put(j);
	}
	buf_free(&b);
}

static int
resp(const struct wire_ops *o, const char *body, struct wire_reply *r)
{
	wire_reply_init(r, 1 << 20);
	return o->response(body, strlen(body), r);
}

static void
test_openai_response(void)
{
	const struct wire_ops	*o = &wire_openai;
	struct wire_reply		 r;
	struct model			 m;

	CHECK(resp(o, "{\"id\":\"chatcmpl-abc\",\"object\":\"chat.completion\","
	    "\"created\":1764300000,\"model\":\"gpt-4.1-mini-2025-04-14\","
	    "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
	    "\"content\":\"4, \\\"exactly\\\"\\n\\u00e9\",\"refusal\":null},"
	    "\"logprobs\":null,\"finish_reason\":\"stop\"}],"
	    "\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":120,"
	    "\"total_tokens\":151,\"prompt_tokens_details\":{\"cached_tokens\""
	    ":12,\"audio_tokens\":0},\"completion_tokens_details\":"
	    "{\"reasoning_tokens\":64,\"audio_tokens\":0}},"
	    "\"system_fingerprint\":\"fp_1\"}\n", &r) == 0,
	    "openai response: parses (trailing newline too)");
	CHECK_STR(r.text.data, "4, \"exactly\"\n\xc3\xa9",
	    "openai response: content unescaped");
	CHECK(r.text.len == strlen("4, \"exactly\"\n\xc3\xa9"),
	    "openai response: text length");
	CHECK_STR(r.finish_reason, "stop", "openai response: finish_reason");
	CHECK(r.finished && !r.error, "openai response: finished, no error");
	CHECK(r.usage.reported, "openai response: usage reported");
	CHECK(r.usage.input == 19, "openai response: input = prompt - cached");
	CHECK(r.usage.cache_read == 12, "openai response: cache_read = cached");
	CHECK(r.usage.cache_write == 0, "openai response: no cache writes");
	CHECK(r.usage.output == 120, "openai response: output");
	CHECK(r.usage.reasoning == 64, "openai response: reasoning");
	CHECK(cost_tokens_in(&r.usage) == 31,
	    "openai response: all input tokens = prompt_tokens");
	model_init(&m, s_gpt, s_openai, s_max_tokens);
	m.price_in = 2.0;
	m.price_out = 8.0;
	m.price_cache_read = 0.5;
	CHECK_NEAR(cost_of(&m, &r.usage),
	    (19 * 2.0 + 12 * 0.5 + 120 * 8.0) / 1e6, 1e-15,
	    "openai response: cached tokens are not billed twice");
	wire_reply_free(&r);

	CHECK(resp(o, "{\"choices\":[{\"message\":{\"content\":\"x\"},"
	    "\"finish_reason\":\"length\"}]}", &r) == 0 && !r.usage.reported &&
	    r.usage.input == 0 && strcmp(r.finish_reason, "length") == 0,
	    "openai response: no usage: not reported");
	wire_reply_free(&r);

	CHECK(resp(o, "{\"choices\":[{\"message\":{\"content\":\"x\"}}],"
	    "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2}}", &r) ==
	    0 && r.usage.input == 10 && r.usage.cache_read == 0 &&
	    r.usage.output == 2 && r.usage.reasoning == 0 && r.usage.reported,
	    "openai response: usage without details");
	wire_reply_free(&r);

	CHECK(resp(o, "{\"choices\":[{\"message\":{\"content\":\"x\"}}],"
	    "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2,"
	    "\"prompt_tokens_details\":{\"cached_tokens\":50}}}", &r) == 0 &&
	    r.usage.input == 0 && r.usage.cache_read == 10,
	    "openai response: cached above prompt is clamped");
	wire_reply_free(&r);

	CHECK(resp(o, "{\"choices\":[{\"message\":{\"content\":null,"
	    "\"tool_calls\":[]}}]}", &r) == 0 && r.text.len == 0,
	    "openai response: null content is empty text");
	wire_reply_free(&r);

	CHECK(resp(o, "{\"choices\":[{\"message\":{\"content\":\"a\"}},"
	    "{\"message\":{\"content\":\"b\"}}]}", &r) == 0 &&
	    strcmp(r.text.data, "a") == 0,
	    "openai response: only the first choice");
	wire_reply_free(&r);

	CHECK(resp(o, "{\"error\":{\"message\":\"The model `gpt-9` does not "
	    "exist\",\"type\":\"invalid_request_error\",\"param\":null,"
	    "\"code\":\"model_not_found\"}}", &r) == 0 && r.error &&
	    strcmp(r.err.type, "invalid_request_error") == 0 &&
	    strcmp(r.err.code, "model_not_found") == 0 &&
	    strcmp(r.err.message, "The model `gpt-9` does not exist") == 0,
	    "openai response: an error body sets the error");
	wire_reply_free(&r);

	CHECK(resp(o, "{\"error\":null,\"choices\":[{\"message\":{\"content\":"
	    "\"ok\"}}]}", &r) == 0 && !r.error && strcmp(r.text.data, "ok") == 0,
	    "openai response: \"error\": null is no error");
	wire_reply_free(&r);

	CHECK(resp(o, "{\"choices\":[{\"message\":{\"content\":\"x\"}}", &r) ==
	    -1, "openai response: truncated JSON is -1");
	wire_reply_free(&r);
	CHECK(resp(o, "{\"choices\":[{\"message\":{\"content\":\"x\"}}]}xyz",
	    &r) == -1, "openai response: trailing garbage is -1");
	wire_reply_free(&r);
	CHECK(resp(o, "<html>502 Bad Gateway</html>", &r) == -1,
	    "openai response: HTML is -1");
	wire_reply_free(&r);
	CHECK(resp(o, "", &r) == -1, "openai response: empty body is -1");
	wire_reply_free(&r);
	CHECK(resp(o, "[{\"choices\":[]}]", &r) == -1,
	    "openai response: an array is -1");
	wire_reply_free(&r);
	CHECK(resp(o, "{\"id\":\"x\"}", &r) == -1,
	    "openai response: no choices is -1");
	wire_reply_free(&r);
	CHECK(resp(o, "{\"choices\":[]}", &r) == -1,
	    "openai response: empty choices is -1");
	wire_reply_free(&r);

	/* The text cap. */
	{
		const char *body =
		    "{\"choices\":[{\"message\":{\"content\":\"12345\"}}]}";

		wire_reply_init(&r, 4);
		CHECK(o->response(body, strlen(body), &r) == -1,
		    "openai response: text over the cap is -1");
	}
	wire_reply_free(&r);
}

static void
test_anthropic_response(void)
{
	const struct wire_ops	*a = &wire_anthropic;
	struct wire_reply		 r;
	struct model			 m;

	CHECK(resp(a, "{\"id\":\"msg_01\",\"type\":\"message\",\"role\":"
	    "\"assistant\",\"model\":\"claude-haiku-4-5\",\"content\":["
	    "{\"type\":\"thinking\",\"thinking\":\"hmm\",\"signature\":\"s\"},"
	    "{\"type\":\"text\",\"text\":\"Hello\"},"
	    "{\"type\":\"text\",\"text\":\", \\\"world\\\"\\n\"}],"
	    "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":"
	    "{\"input_tokens\":20,\"cache_creation_input_tokens\":100,"
	    "\"cache_read_input_tokens\":2000,\"output_tokens\":50}}", &r) == 0,
	    "anthropic response: parses");
	CHECK_STR(r.text.data, "Hello, \"world\"\n",
	    "anthropic response: text blocks concatenated, thinking skipped");
	CHECK_STR(r.finish_reason, "end_turn", "anthropic response: stop_reason");
	CHECK(r.finished && !r.error, "anthropic response: finished");
	CHECK(r.usage.reported && r.usage.input == 20 &&
	    r.usage.cache_read == 2000 && r.usage.cache_write == 100 &&
	    r.usage.output == 50, "anthropic response: usage normalised");
	CHECK(cost_tokens_in(&r.usage) == 2120,
	    "anthropic response: all input = input + cache read + write");
	model_init(&m, s_claude, s_anthropic, s_max_tokens);
	m.price_in = 1.0;
	m.price_out = 5.0;
	m.price_cache_read = 0.1;
	m.price_cache_write = 1.25;
	CHECK_NEAR(cost_of(&m, &r.usage),
	    (20 * 1.0 + 2000 * 0.1 + 100 * 1.25 + 50 * 5.0) / 1e6, 1e-15,
	    "anthropic response: cost of each token class");
	wire_reply_free(&r);

	CHECK(resp(a, "{\"type\":\"message\",\"content\":[],\"usage\":"
	    "{\"input_tokens\":3,\"output_tokens\":0}}", &r) == 0 &&
	    r.text.len == 0 && r.usage.input == 3 && r.usage.cache_read == 0 &&
	    r.usage.reported, "anthropic response: empty content");
	wire_reply_free(&r);

	CHECK(resp(a, "{\"type\":\"error\",\"error\":{\"type\":"
	    "\"overloaded_error\",\"message\":\"Overloaded\"},\"request_id\":"
	    "\"req_011\"}", &r) == 0 && r.error &&
	    strcmp(r.err.type, "overloaded_error") == 0 &&
	    strcmp(r.err.message, "Overloaded") == 0 && r.err.code[0] == '\0',
	    "anthropic response: an error body sets the error");
	wire_reply_free(&r);

	CHECK(resp(a, "{\"type\":\"message\",\"content\":[{\"type\":\"text\","
	    "\"text\":\"x\"}]", &r) == -1, "anthropic response: truncated is -1");
	wire_reply_free(&r);
	CHECK(resp(a, "not json", &r) == -1, "anthropic response: text is -1");
	wire_reply_free(&r);
	CHECK(resp(a, "{\"type\":\"message\"}", &r) == -1,
	    "anthropic response: no content is -1");
	wire_reply_free(&r);
}

static void
test_error_bodies(void)
{
	struct wire_error	e;
	char			big[2000];
	const char		*s;

	s = "{\"error\":{\"message\":\"You exceeded your current quota, please "
	    "check your plan and billing details.\",\"type\":"
	    "\"insufficient_quota\",\"param\":null,\"code\":"
	    "\"insufficient_quota\"}}";
	wire_error_parse(s, strlen(s), NULL, &e);
	CHECK(strcmp(e.type, "insufficient_quota") == 0 &&
	    strcmp(e.code, "insufficient_quota") == 0 &&
	    strncmp(e.message, "You exceeded your current quota", 31) == 0,
	    "wire_error_parse: openai type, code and message");

	s = "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\","
	    "\"param\":null,\"code\":null}}";
	wire_error_parse(s, strlen(s), NULL, &e);
	CHECK(strcmp(e.type, "requests") == 0 && e.code[0] == '\0' &&
	    strcmp(e.message, "Rate limit reached") == 0,
	    "wire_error_parse: a null code is empty");

	s = "{\"error\":{\"message\":\"busy\",\"code\":429}}";
	wire_error_parse(s, strlen(s), NULL, &e);
	CHECK(strcmp(e.code, "429") == 0 && strcmp(e.message, "busy") == 0,
	    "wire_error_parse: a numeric code");

	s = "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
	    "\"message\":\"Number of request tokens has exceeded your per-minute "
	    "rate limit\"},\"request_id\":\"req_018\"}";
	wire_error_parse(s, strlen(s), NULL, &e);
	CHECK(strcmp(e.type, "rate_limit_error") == 0 && e.code[0] == '\0' &&
	    strncmp(e.message, "Number of request tokens", 24) == 0,
	    "wire_error_parse: anthropic type and message");

	s = "{\"error\":\"model 'llama9' not found\"}";
	wire_error_parse(s, strlen(s), NULL, &e);
	CHECK(strcmp(e.message, "model 'llama9' not found") == 0 &&
	    e.type[0] == '\0', "wire_error_parse: a plain string error (Ollama)");

	s = "<html>\r\n<body>502 Bad\tGateway</body>\r\n</html>\n";
	wire_error_parse(s, strlen(s), NULL, &e);
	CHECK_STR(e.message, "<html>  <body>502 Bad Gateway</body>  </html> ",
	    "wire_error_parse: a non-JSON body leaves a printable prefix");
	CHECK(e.type[0] == '\0' && e.code[0] == '\0',
	    "wire_error_parse: non-JSON has no type or code");

	wire_error_parse("caf\xc3\xa9\x01\xff", 7, NULL, &e);
	CHECK_STR(e.message, "caf\xc3\xa9  ",
	    "wire_error_parse: UTF-8 is kept, control and stray bytes become "
	    "spaces");

	memset(big, 'a', sizeof big);
	wire_error_parse(big, sizeof big, NULL, &e);
	CHECK(strlen(e.message) == sizeof e.message - 1,
	    "wire_error_parse: a long body is cut to the message size");

	wire_error_parse("", 0, NULL, &e);
	CHECK(e.message[0] == '\0' && e.type[0] == '\0',
	    "wire_error_parse: an empty body");

	s = "{\"error\":{\"message\":\"x\",\"type\":\"y\"}}";
	wire_error_parse(s, 10, NULL, &e);
	CHECK(strncmp(e.message, "{\"error\":{", 10) == 0 &&
	    e.type[0] == '\0', "wire_error_parse: truncated JSON is text");
}

static int
ev(const struct wire_ops *o, struct wire_reply *r, const char *event,
    const char *data, size_t *from)
{
	*from = (size_t)-1;
	return o->event(r, event, data, strlen(data), from);
}

#define SECRET		"sk-test-SECRET123"
#define SECRET_RUN	8	/* a run of the secret that must not show */

/* Whether s holds SECRET_RUN characters in a row of SECRET. */
static int
has_secret_run(const char *s)
{
	size_t i, n = strlen(SECRET);

	for (i = 0; i + SECRET_RUN <= n; i++)
		if (memmem(s, strlen(s), SECRET + i, SECRET_RUN) != NULL)
			return 1;
	return 0;
}

/*
 * The text of a field pad bytes of 'x' and then copies of SECRET, as
 * JSON (json) or as it is; in buf.
 */
static const char *
padded(char *buf, size_t len, size_t pad, int json, const char *field)
{
	size_t n = 0, i;

	if (json)
		n += (size_t)snprintf(buf, len, "{\"error\":{\"%s\":\"", field);
	for (i = 0; i < pad && n < len - 1; i++)
		buf[n++] = 'x';
	for (i = 0; i < 40 && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s ", SECRET);
	if (json && n < len)
		snprintf(buf + n, len - n, "\"}}");
	return buf;
}

static void
test_error_secrets(void)
{
	static const struct {
		const struct wire_ops	*ops;
		const char		*event;
		size_t			 pad;
		const char		*what;
	} streams[] = {
		{ &wire_openai, "message", 5,
		  "secrets: an openai stream error is blanked before its cut" },
		{ &wire_anthropic, "error", 9,
		  "secrets: an anthropic error event is blanked before its cut" },
	};
	struct wire_error	 e;
	struct wire_reply	 r;
	char			 body[2048], s[64];
	size_t			 pad, from, i;
	int			 ok_msg = 1, ok_code = 1, ok_type = 1;
	int			 ok_raw = 1;

	/* Wherever a cut falls in a copy, nothing of it is left. */
	for (pad = 0; pad <= strlen(SECRET); pad++) {
		padded(body, sizeof body, pad, 1, "message");
		wire_error_parse(body, strlen(body), SECRET, &e);
		ok_msg &= !has_secret_run(e.message) &&
		    strlen(e.message) == sizeof e.message - 1;
		padded(body, sizeof body, pad, 1, "code");
		wire_error_parse(body, strlen(body), SECRET, &e);
		ok_code &= !has_secret_run(e.code) && e.code[0] != '\0';
		padded(body, sizeof body, pad, 1, "type");
		wire_error_parse(body, strlen(body), SECRET, &e);
		ok_type &= !has_secret_run(e.type) && e.type[0] != '\0';
		padded(body, sizeof body, pad, 0, NULL);
		wire_error_parse(body, strlen(body), SECRET, &e);
		ok_raw &= !has_secret_run(e.message);
	}
	CHECK(ok_msg, "secrets: a message cut inside a key shows none of it");
	CHECK(ok_code, "secrets: a code cut inside a key shows none of it");
	CHECK(ok_type, "secrets: a type cut inside a key shows none of it");
	CHECK(ok_raw,
	    "secrets: a plain body cut inside a key shows none of it");

	snprintf(body, sizeof body, "{\"error\":{\"message\":\"bad key "
	    "\\u0073k-test-SECRET123, try again\"}}");
	wire_error_parse(body, strlen(body), SECRET, &e);
	CHECK_STR(e.message, "bad key *****************, try again",
	    "secrets: a key written with JSON escapes is blanked too");
	wire_error_parse(body, strlen(body), NULL, &e);
	CHECK_STR(e.message, "bad key " SECRET ", try again",
	    "secrets: no secret, nothing blanked");

	snprintf(s, sizeof s, "the key was sk-te");
	wire_redact(s, SECRET);
	CHECK_STR(s, "the key was *****", "wire_redact: a prefix at the end");
	snprintf(s, sizeof s, "ends with sk-");
	wire_redact(s, SECRET);
	CHECK_STR(s, "ends with sk-", "wire_redact: 3 characters are left");
	snprintf(s, sizeof s, "%s and %s", SECRET, SECRET);
	wire_redact(s, SECRET);
	CHECK_STR(s, "***************** and *****************",
	    "wire_redact: every copy");
	snprintf(s, sizeof s, "abc abcd");
	wire_redact(s, "abc");
	CHECK_STR(s, "abc abcd", "wire_redact: a secret under 4 characters "
	    "is left alone");
	wire_redact(s, NULL);
	CHECK_STR(s, "abc abcd", "wire_redact: NULL is no secret");

	/* A stream's error event, in both formats. */
	for (i = 0; i < sizeof streams / sizeof streams[0]; i++) {
		wire_reply_init(&r, 1 << 20);
		r.secret = SECRET;
		padded(body, sizeof body, streams[i].pad, 1, "message");
		CHECK(ev(streams[i].ops, &r, streams[i].event, body, &from) ==
		    0 && r.error && !has_secret_run(r.err.message),
		    streams[i].what);
		wire_reply_free(&r);
	}
}

/* Whether s holds a control character: C0, DEL or C1 (as UTF-8). */
static int
has_control(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 &&
		    p[1] <= 0x9f))
			return 1;
	return 0;
}

static void
test_error_controls(void)
{
	struct wire_error	 e;
	struct wire_reply	 r;
	char			 body[1024];
	const char		*s;
	size_t			 from, n;

	s = "{\"error\":{\"message\":\"\\u001b]0;pwned\\u0007 \\u001b]52;c;"
	    "cHduZWQ=\\u0007 \\u009b31m \\u007f\\r\\nline two caf\\u00e9\","
	    "\"type\":\"\\u001b[2J\",\"code\":\"a\\u0000b\\u0085\"}}";
	wire_error_parse(s, strlen(s), NULL, &e);
	CHECK(!has_control(e.message) && !has_control(e.type) &&
	    !has_control(e.code), "controls: none in message, type, code");
	CHECK(strstr(e.message, "]0;pwned") != NULL &&
	    strstr(e.message, "  line two caf\xc3\xa9") != NULL,
	    "controls: the text around them stays, as one line");
	CHECK_STR(e.code, "a b  ", "controls: NUL and C1 in a code");

	wire_reply_init(&r, 1 << 20);
	CHECK(ev(&wire_anthropic, &r, "error", "{\"type\":\"error\",\"error\":"
	    "{\"type\":\"overloaded_error\",\"message\":"
	    "\"x\\u001b]0;t\\u0007\"}}", &from) == 0 && r.error &&
	    strcmp(r.err.message, "x ]0;t ") == 0,
	    "controls: an anthropic stream error event");
	wire_reply_free(&r);
	wire_reply_init(&r, 1 << 20);
	CHECK(ev(&wire_openai, &r, "message", "{\"error\":{\"message\":"
	    "\"\\u001b[31mred\"}}", &from) == 0 && r.error &&
	    strcmp(r.err.message, " [31mred") == 0,
	    "controls: an openai stream error");
	wire_reply_free(&r);

	/* A cut never splits a UTF-8 sequence. */
	n = (size_t)snprintf(body, sizeof body, "{\"error\":{\"message\":\"");
	memset(body + n, 'a', sizeof e.message - 2);
	n += sizeof e.message - 2;
	snprintf(body + n, sizeof body - n, "\\u00e9\"}}");
	wire_error_parse(body, strlen(body), NULL, &e);
	CHECK(strlen(e.message) == sizeof e.message - 2,
	    "controls: a character the cut would split is left out whole");
}

static void
test_usage_sane(void)
{
	const struct wire_ops	*o = &wire_openai, *a = &wire_anthropic;
	static const char *const bad[] = {
		"\"prompt_tokens\":1e999,\"completion_tokens\":5",
		"\"prompt_tokens\":-5,\"completion_tokens\":5",
		"\"prompt_tokens\":5,\"completion_tokens\":-1e999",
		"\"prompt_tokens\":5,\"completion_tokens\":1e16",
		"\"prompt_tokens\":5,\"completion_tokens\":5,"
		    "\"prompt_tokens_details\":{\"cached_tokens\":-100}",
		"\"prompt_tokens\":5,\"completion_tokens\":5,"
		    "\"completion_tokens_details\":{\"reasoning_tokens\":-1}",
	};
	struct wire_reply	 r;
	struct usage		 u = { .input = 1, .output = 2 };
	char			 body[512];
	size_t			 i, from;
	int			 ok = 1;

	CHECK(wire_usage_sane(&u), "usage: small counts are sane");
	u.cache_write = -0.5;
	CHECK(!wire_usage_sane(&u), "usage: a negative count is not");
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(body, sizeof body, "{\"choices\":[{\"message\":"
		    "{\"content\":\"x\"}}],\"usage\":{%s}}", bad[i]);
		ok &= resp(o, body, &r) == 0 && !r.usage.reported;
		wire_reply_free(&r);
	}
	CHECK(ok, "usage: openai 1e999, negative or huge counts are not "
	    "reported");
	CHECK(resp(a, "{\"content\":[{\"type\":\"text\",\"text\":\"x\"}],"
	    "\"usage\":{\"input_tokens\":1e999,\"output_tokens\":5}}",
	    &r) == 0 && !r.usage.reported,
	    "usage: anthropic 1e999 input is not reported");
	wire_reply_free(&r);
	CHECK(resp(a, "{\"content\":[{\"type\":\"text\",\"text\":\"x\"}],"
	    "\"usage\":{\"input_tokens\":5,\"output_tokens\":-5}}", &r) == 0 &&
	    !r.usage.reported, "usage: anthropic negative output is not "
	    "reported");
	wire_reply_free(&r);
	wire_reply_init(&r, 1 << 20);
	CHECK(ev(a, &r, "message_start", "{\"type\":\"message_start\","
	    "\"message\":{\"usage\":{\"input_tokens\":1e999,\"output_tokens\":"
	    "1}}}", &from) == 0 && ev(a, &r, "message_delta", "{\"type\":"
	    "\"message_delta\",\"delta\":{},\"usage\":{\"output_tokens\":5}}",
	    &from) == 0 && !r.usage.reported,
	    "usage: anthropic stream, 1e999 input at the start, not reported");
	wire_reply_free(&r);
}

static void
test_openai_events(void)
{
	const struct wire_ops	*o = &wire_openai;
	struct wire_reply		 r;
	size_t				 from;

	wire_reply_init(&r, 1 << 20);
	CHECK(ev(o, &r, "message", "{\"id\":\"c\",\"object\":"
	    "\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":"
	    "{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}],"
	    "\"usage\":null}", &from) == 0 && r.text.len == 0 && from == 0,
	    "openai event: role chunk");
	CHECK(ev(o, &r, "message", "{\"choices\":[{\"index\":0,\"delta\":"
	    "{\"content\":\"Hel\"},\"finish_reason\":null}],\"usage\":null}",
	    &from) == 0 && strcmp(r.text.data, "Hel") == 0 && from == 0,
	    "openai event: first delta");
	CHECK(ev(o, &r, "message", "{\"choices\":[{\"index\":0,\"delta\":"
	    "{\"content\":\"lo \\\"\\u00e9\\\"\"},\"finish_reason\":null}]}",
	    &from) == 0 && strcmp(r.text.data, "Hello \"\xc3\xa9\"") == 0 &&
	    from == 3 && strcmp(r.text.data + from, "lo \"\xc3\xa9\"") == 0,
	    "openai event: deltas accumulate, delta_from marks the new text");
	CHECK(!r.finished && !r.usage.reported, "openai event: not finished yet");
	CHECK(ev(o, &r, "message", "{\"choices\":[{\"index\":0,\"delta\":{},"
	    "\"finish_reason\":\"stop\"}],\"usage\":null}", &from) == 0 &&
	    strcmp(r.finish_reason, "stop") == 0 && from == r.text.len,
	    "openai event: finish_reason");
	CHECK(ev(o, &r, "message", "{\"choices\":null,\"usage\":null}", &from) ==
	    0 && !r.error, "openai event: \"choices\": null tolerated");
	CHECK(ev(o, &r, "message", "{\"id\":\"x\"}", &from) == 0,
	    "openai event: no choices at all tolerated");
	CHECK(ev(o, &r, "message", "{\"id\":\"c\",\"choices\":[],\"usage\":"
	    "{\"prompt_tokens\":31,\"completion_tokens\":9,\"total_tokens\":40,"
	    "\"prompt_tokens_details\":{\"cached_tokens\":8},"
	    "\"completion_tokens_details\":{\"reasoning_tokens\":3},"
	    "\"cost\":0.0001}}", &from) == 0, "openai event: usage chunk");
	CHECK(r.usage.reported && r.usage.input == 23 && r.usage.cache_read == 8 &&
	    r.usage.output == 9 && r.usage.reasoning == 3,
	    "openai event: usage chunk with empty choices sets usage");
	CHECK(ev(o, &r, "message", "{\"choices\":[],\"usage\":null}", &from) ==
	    0 && r.usage.reported && r.usage.input == 23,
	    "openai event: a later usage null keeps the usage");
	CHECK(!r.finished, "openai event: not finished before [DONE]");
	CHECK(ev(o, &r, "message", "[DONE]", &from) == 0 && r.finished,
	    "openai event: [DONE] sets finished");
	CHECK_STR(r.text.data, "Hello \"\xc3\xa9\"", "openai event: final text");
	CHECK(!r.error, "openai event: no error");
	wire_reply_free(&r);

	wire_reply_init(&r, 1 << 20);
	CHECK(ev(o, &r, "message", "{\"error\":{\"message\":\"The server had an "
	    "error\",\"type\":\"server_error\",\"param\":null,\"code\":null}}",
	    &from) == 0 && r.error && strcmp(r.err.type, "server_error") == 0 &&
	    strcmp(r.err.message, "The server had an error") == 0,
	    "openai event: an error chunk sets the error");
	wire_reply_free(&r);

	wire_reply_init(&r, 1 << 20);
	CHECK(ev(o, &r, "message", "{\"choices\":[{\"delta\":{\"content\":",
	    &from) == -1, "openai event: malformed JSON is -1");
	CHECK(ev(o, &r, "message", "[DONE] ", &from) == -1 && !r.finished,
	    "openai event: only exactly [DONE] ends");
	wire_reply_free(&r);

	wire_reply_init(&r, 4);
	CHECK(ev(o, &r, "message", "{\"choices\":[{\"delta\":{\"content\":"
	    "\"abc\"}}]}", &from) == 0, "openai event: under the text cap");
	CHECK(ev(o, &r, "message", "{\"choices\":[{\"delta\":{\"content\":"
	    "\"de\"}}]}", &from) == -1, "openai event: text over the cap is -1");
	wire_reply_free(&r);
}

static void
test_anthropic_events(void)
{
	const struct wire_ops	*a = &wire_anthropic;
	struct wire_reply		 r;
	size_t				 from;

	wire_reply_init(&r, 1 << 20);
	CHECK(ev(a, &r, "message_start", "{\"type\":\"message_start\","
	    "\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":"
	    "\"assistant\",\"content\":[],\"model\":\"claude-haiku-4-5\","
	    "\"stop_reason\":null,\"usage\":{\"input_tokens\":25,"
	    "\"cache_creation_input_tokens\":7,\"cache_read_input_tokens\":10,"
	    "\"output_tokens\":1}}}", &from) == 0 && from == 0,
	    "anthropic event: message_start");
	CHECK(r.usage.input == 25 && r.usage.cache_read == 10 &&
	    r.usage.cache_write == 7 && r.usage.output == 1,
	    "anthropic event: message_start carries input usage");
	/*
	 * Found as a bug: message_start's usage always holds a placeholder
	 * "output_tokens" (1 here), and anthropic_usage() used to set
	 * usage.reported whenever output_tokens was present.  A stream cut
	 * off before message_delta then counted as reported usage with
	 * output 1: call.c neither estimated the output nor marked the
	 * record estimated, under-counting the cost of a cut-off answer.
	 */
	CHECK(!r.usage.reported,
	    "anthropic event: message_start alone is not final usage");
	CHECK(ev(a, &r, "content_block_start", "{\"type\":\"content_block_start\","
	    "\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
	    &from) == 0 && r.text.len == 0,
	    "anthropic event: content_block_start");
	CHECK(ev(a, &r, "ping", "{\"type\": \"ping\"}", &from) == 0 &&
	    r.text.len == 0 && !r.error, "anthropic event: ping ignored");
	CHECK(ev(a, &r, "ping", "", &from) == 0,
	    "anthropic event: ping ignored even without JSON");
	CHECK(ev(a, &r, "content_block_delta", "{\"type\":"
	    "\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
	    "\"text_delta\",\"text\":\"Hello\"}}", &from) == 0 &&
	    strcmp(r.text.data, "Hello") == 0 && from == 0,
	    "anthropic event: text_delta");
	CHECK(ev(a, &r, "content_block_delta", "{\"type\":"
	    "\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
	    "\"text_delta\",\"text\":\", w\\u00f6rld\"}}", &from) == 0 &&
	    strcmp(r.text.data, "Hello, w\xc3\xb6rld") == 0 && from == 5,
	    "anthropic event: deltas accumulate, delta_from marks the new text");
	CHECK(ev(a, &r, "content_block_delta", "{\"type\":"
	    "\"content_block_delta\",\"index\":1,\"delta\":{\"type\":"
	    "\"input_json_delta\",\"partial_json\":\"{\\\"a\\\"\"}}", &from) == 0
	    && ev(a, &r, "content_block_delta", "{\"type\":"
	    "\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
	    "\"thinking_delta\",\"thinking\":\"hmm\",\"text\":\"no\"}}", &from) ==
	    0 && strcmp(r.text.data, "Hello, w\xc3\xb6rld") == 0,
	    "anthropic event: other delta types add no text");
	CHECK(ev(a, &r, "content_block_stop", "{\"type\":\"content_block_stop\","
	    "\"index\":0}", &from) == 0, "anthropic event: content_block_stop");
	CHECK(ev(a, &r, "message_delta", "{\"type\":\"message_delta\",\"delta\":"
	    "{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":"
	    "{\"output_tokens\":15}}", &from) == 0 && r.usage.output == 15 &&
	    strcmp(r.finish_reason, "end_turn") == 0 && r.usage.reported,
	    "anthropic event: message_delta output usage and stop_reason");
	CHECK(ev(a, &r, "message_delta", "{\"type\":\"message_delta\",\"delta\":"
	    "{\"stop_reason\":\"max_tokens\"},\"usage\":{\"output_tokens\":42}}",
	    &from) == 0 && r.usage.output == 42 &&
	    strcmp(r.finish_reason, "max_tokens") == 0,
	    "anthropic event: a second message_delta: the last wins");
	CHECK(r.usage.input == 25 && r.usage.cache_read == 10 &&
	    r.usage.cache_write == 7,
	    "anthropic event: message_delta keeps the input usage");
	CHECK(!r.finished, "anthropic event: not finished before message_stop");
	CHECK(ev(a, &r, "message_stop", "{\"type\":\"message_stop\"}", &from) ==
	    0 && r.finished && !r.error, "anthropic event: message_stop");
	wire_reply_free(&r);

	wire_reply_init(&r, 1 << 20);
	CHECK(ev(a, &r, "content_block_delta", "{\"type\":"
	    "\"content_block_delta\",\"delta\":{\"type\":\"text_delta\","
	    "\"text\":\"partial\"}}", &from) == 0, "anthropic event: some text");
	CHECK(ev(a, &r, "error", "{\"type\":\"error\",\"error\":{\"type\":"
	    "\"overloaded_error\",\"message\":\"Overloaded\"}}", &from) == 0 &&
	    r.error && strcmp(r.err.type, "overloaded_error") == 0 &&
	    strcmp(r.err.message, "Overloaded") == 0 && !r.finished,
	    "anthropic event: an error event mid-stream sets the error");
	wire_reply_free(&r);

	wire_reply_init(&r, 1 << 20);
	CHECK(ev(a, &r, "error", "{\"error\":{\"type\":\"overloaded_error\","
	    "\"message\":\"Overloaded\"}}", &from) == 0 && r.error &&
	    strcmp(r.err.type, "overloaded_error") == 0,
	    "anthropic event: the error event name alone is enough");
	wire_reply_free(&r);

	wire_reply_init(&r, 1 << 20);
	CHECK(ev(a, &r, "message", "{\"type\":\"error\",\"error\":{\"type\":"
	    "\"api_error\",\"message\":\"Internal\"}}", &from) == 0 && r.error &&
	    strcmp(r.err.type, "api_error") == 0,
	    "anthropic event: an error object under another event name");
	CHECK(ev(a, &r, "content_block_delta", "{\"delta\":", &from) == -1,
	    "anthropic event: malformed JSON is -1");
	wire_reply_free(&r);
}

/* Streams fed through the SSE parser into a reply. */
struct feed {
	const struct wire_ops	*ops;
	struct wire_reply		 r;
	struct buf			 deltas;	/* delta_from slices */
	int				 bad;
};

static int
feed_event(void *arg, const char *event, const char *data, size_t len)
{
	struct feed	*f = arg;
	size_t		 from;

	if (f->ops->event(&f->r, event, data, len, &from) == -1) {
		f->bad = 1;
		return -1;
	}
	if (from > f->r.text.len)
		f->bad = 1;
	else
		buf_add(&f->deltas, f->r.text.data + from, f->r.text.len - from);
	return 0;
}

/* Feed s through SSE k bytes at a time (0: whole) into f. */
static int
feed(struct feed *f, const struct wire_ops *o, const char *s, size_t k)
{
	struct sse	sse;
	size_t		n = strlen(s), off, step;
	int		rc = 0;

	memset(f, 0, sizeof *f);
	f->ops = o;
	wire_reply_init(&f->r, 1 << 20);
	buf_init(&f->deltas, 1 << 20);
	sse_init(&sse, 1 << 20, feed_event, f);
	for (off = 0; off < n && rc == 0; off += step) {
		step = k == 0 || k > n - off ? n - off : k;
		rc = sse_feed(&sse, s + off, step);
	}
	if (sse_pending(&sse))
		rc = -1;
	sse_free(&sse);
	return rc;
}

static void
feed_free(struct feed *f)
{
	wire_reply_free(&f->r);
	buf_free(&f->deltas);
}

static void
test_streams(void)
{
	static const char openai[] =
	    "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
	    "\"content\":\"\"},\"finish_reason\":null}],\"usage\":null}\r\n\r\n"
	    ": OPENROUTER PROCESSING\r\n\r\n"
	    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},"
	    "\"finish_reason\":null}],\"usage\":null}\r\n\r\n"
	    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},"
	    "\"finish_reason\":\"stop\"}],\"usage\":null}\r\n\r\n"
	    "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":31,"
	    "\"completion_tokens\":2,\"prompt_tokens_details\":"
	    "{\"cached_tokens\":16}}}\r\n\r\n"
	    "data: [DONE]\r\n\r\n";
	static const char anthropic[] =
	    "event: message_start\n"
	    "data: {\"type\":\"message_start\",\"message\":{\"usage\":"
	    "{\"input_tokens\":25,\"cache_read_input_tokens\":10,"
	    "\"cache_creation_input_tokens\":0,\"output_tokens\":1}}}\n\n"
	    "event: ping\ndata: {\"type\": \"ping\"}\n\n"
	    "event: content_block_delta\n"
	    "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
	    "{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n"
	    "event: content_block_delta\n"
	    "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
	    "{\"type\":\"text_delta\",\"text\":\" you\"}}\n\n"
	    "event: message_delta\n"
	    "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
	    "\"end_turn\"},\"usage\":{\"output_tokens\":3}}\n\n"
	    "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
	static const size_t steps[] = { 0, 1, 2, 3, 7, 64 };
	struct feed	f;
	size_t		i;
	int		ok;

	ok = 1;
	for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		if (feed(&f, &wire_openai, openai, steps[i]) != 0 || f.bad ||
		    strcmp(f.r.text.data, "Hello") != 0 ||
		    strcmp(f.deltas.data, "Hello") != 0 || !f.r.finished ||
		    f.r.error || !f.r.usage.reported || f.r.usage.input != 15 ||
		    f.r.usage.cache_read != 16 || f.r.usage.output != 2 ||
		    strcmp(f.r.finish_reason, "stop") != 0)
			ok = 0;
		feed_free(&f);
	}
	CHECK(ok, "openai stream through SSE in any chunking: text, usage, "
	    "finished");

	ok = 1;
	for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		if (feed(&f, &wire_anthropic, anthropic, steps[i]) != 0 ||
		    f.bad || strcmp(f.r.text.data, "Hi you") != 0 ||
		    strcmp(f.deltas.data, "Hi you") != 0 || !f.r.finished ||
		    f.r.error || f.r.usage.input != 25 ||
		    f.r.usage.cache_read != 10 || f.r.usage.output != 3 ||
		    strcmp(f.r.finish_reason, "end_turn") != 0)
			ok = 0;
		feed_free(&f);
	}
	CHECK(ok, "anthropic stream through SSE in any chunking: text, usage, "
	    "finished");
}

/* The finish reasons of both formats, by one set of names. */
static void
test_finish_reason(void)
{
	static const char *const pairs[][2] = {
		{ "stop", "stop" }, { "end_turn", "stop" },
		{ "stop_sequence", "stop" }, { "length", "length" },
		{ "max_tokens", "length" },
		{ "model_context_window_exceeded", "length" },
		{ "content_filter", "content_filter" },
		{ "refusal", "content_filter" },
		{ "tool_calls", "tool_calls" }, { "function_call", "tool_calls" },
		{ "tool_use", "tool_calls" }, { "pause_turn", "pause_turn" },
		{ "", "" }, { "Odd Reason!", "odd_reason_" },
		{ "\x1b[31mred\xc3\xa9", "__31mred__" },
		{ "eos-token", "eos-token" },
	};
	char	out[32], small[5];
	size_t	i;
	int	ok = 1;

	for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		memset(out, 'x', sizeof out);
		wire_finish_reason(pairs[i][0], out, sizeof out);
		if (strcmp(out, pairs[i][1]) != 0) {
			printf("# '%s' gave '%s', want '%s'\n", pairs[i][0], out,
			    pairs[i][1]);
			ok = 0;
		}
	}
	CHECK(ok, "finish reason: both formats' names, others made safe");
	wire_finish_reason("a_very_long_reason", small, sizeof small);
	CHECK_STR(small, "a_ve", "finish reason: cut to fit");
}

static void
test_cost(void)
{
	struct model	m;
	struct usage	u;

	model_init(&m, s_gpt, s_openai, s_max_tokens);
	m.price_in = 2.0;
	m.price_out = 8.0;
	m.price_cache_read = 0.5;
	m.price_cache_write = 0;
	memset(&u, 0, sizeof u);
	u.input = 1000;
	u.cache_read = 4000;
	u.cache_write = 500;
	u.output = 300;
	u.reasoning = 100;
	CHECK_NEAR(cost_of(&m, &u), 0.0074, 1e-15,
	    "cost: 1000*2 + 4000*0.5 + 500*2 (write price 0: input) + 300*8 "
	    "per 1M = 0.0074");
	m.price_cache_read = 0;
	CHECK_NEAR(cost_of(&m, &u), (1000 * 2.0 + 4000 * 2.0 + 500 * 2.0 +
	    300 * 8.0) / 1e6, 1e-15,
	    "cost: cache read price 0 falls back to the input price");
	m.price_cache_read = 0.5;
	m.price_cache_write = 2.5;
	CHECK_NEAR(cost_of(&m, &u), (1000 * 2.0 + 4000 * 0.5 + 500 * 2.5 +
	    300 * 8.0) / 1e6, 1e-15, "cost: a known cache write price");
	CHECK(cost_tokens_in(&u) == 5500,
	    "tokens in: input + cache read + cache write");

	memset(&u, 0, sizeof u);
	CHECK(cost_of(&m, &u) == 0 && cost_tokens_in(&u) == 0,
	    "cost: no usage costs nothing");
	u.output = 1e6;
	CHECK_NEAR(cost_of(&m, &u), 8.0, 1e-12,
	    "cost: 1M output tokens cost the output price");
	u.output = 0;
	u.input = 1e6;
	m.price_in = 0;
	CHECK(cost_of(&m, &u) == 0, "cost: a free model costs nothing");
}

/* Log-probabilities: asked for, read whole and streamed, absent. */
static void
test_logprobs(void)
{
	struct message	 msg = { .role = s_user, .content = s_q };
	struct wire_chat c = { .msgs = &msg, .nmsgs = 1, .logprobs = 1 };
	struct wire_reply r;
	struct model	 m;
	struct buf	 b = BUF_INIT;
	json_object	*j;
	size_t		 from;
	const char	*ev1 = "{\"choices\":[{\"delta\":{\"content\":\"a\"},"
	    "\"logprobs\":{\"content\":[{\"token\":\"a\",\"logprob\":-0.5}]}}]}";
	const char	*ev2 = "{\"choices\":[{\"delta\":{},\"logprobs\":null,"
	    "\"finish_reason\":\"stop\"}]}";

	model_init(&m, s_gpt, s_openai, s_max_tokens);
	j = build(&wire_openai, &m, &c, &b);
	CHECK(j != NULL && json_object_get_boolean(json_object_object_get(j,
	    "logprobs")), "openai request: logprobs true when asked");
	json_object_put(j);
	buf_reset(&b);
	j = build(&wire_anthropic, &m, &c, &b);
	CHECK(j != NULL && json_object_object_get(j, "logprobs") == NULL,
	    "anthropic request: no logprobs, which it has not");
	json_object_put(j);
	buf_free(&b);
	CHECK(resp(&wire_openai, "{\"choices\":[{\"message\":{\"content\":"
	    "\"ab\"},\"logprobs\":{\"content\":[{\"token\":\"a\",\"logprob\":"
	    "-0.25,\"top_logprobs\":[]},{\"token\":\"b\",\"logprob\":-9999}]},"
	    "\"finish_reason\":\"stop\"}]}", &r) == 0 && r.has_logprobs &&
	    r.nlp == 2 && r.lp[0] == -0.25 && r.lp[1] == -9999,
	    "openai response: the tokens' logprobs in order");
	wire_reply_free(&r);
	CHECK(resp(&wire_openai, "{\"choices\":[{\"message\":{\"content\":"
	    "\"ab\"},\"logprobs\":null}]}", &r) == 0 && !r.has_logprobs &&
	    r.nlp == 0, "openai response: logprobs null: none");
	wire_reply_free(&r);
	wire_reply_init(&r, 1 << 20);
	CHECK(wire_openai.event(&r, "", ev1, strlen(ev1), &from) == 0 &&
	    wire_openai.event(&r, "", ev2, strlen(ev2), &from) == 0 &&
	    r.has_logprobs && r.nlp == 1 && r.lp[0] == -0.5,
	    "openai stream: each chunk's logprobs appended");
	wire_reply_free(&r);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_logprobs();
	test_ops();
	test_openai_request();
	test_anthropic_request();
	test_openai_response();
	test_anthropic_response();
	test_error_bodies();
	test_openai_events();
	test_anthropic_events();
	test_error_secrets();
	test_error_controls();
	test_usage_sane();
	test_streams();
	test_finish_reason();
	test_cost();
	return unit_done();
}
