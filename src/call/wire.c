/*
 * wire.c: what the two wire formats share: the table lookup, error
 * bodies, replies and the json-c helpers.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "base/utf8.h"
#include "call/wire.h"

#include "base/banned.h"

/* json-c takes a text's length as an int. */
#define WIRE_JSON_MAX		((size_t)INT_MAX)

/* The printable bytes of ASCII. */
#define PRINTABLE_FIRST		0x20
#define PRINTABLE_LAST		0x7e

/* The C1 controls, U+0080 to U+009F: 0xc2 then 0x80 to 0x9f in UTF-8. */
#define C1_LEAD			0xc2
#define C1_LAST			0x9f

/* A byte that continues a UTF-8 sequence: 10xxxxxx. */

/* The longest UTF-8 sequence. */
#define UTF8_MAX		4

const struct wire_ops *
wire_ops_of(enum wire w)
{
	return w == WIRE_ANTHROPIC ? &wire_anthropic : &wire_openai;
}

void
wire_reply_init(struct wire_reply *r, size_t max)
{
	memset(r, 0, sizeof *r);
	buf_init(&r->text, max);
}

void
wire_reply_free(struct wire_reply *r)
{
	buf_free(&r->text);
	free(r->lp);
	r->lp = NULL;
	r->nlp = r->lpcap = 0;
}

/* Room in r for one more log-probability; 0, or -1 (memory, the cap). */
static int
lp_grow(struct wire_reply *r)
{
	double	*p;
	size_t	 cap;

	if (r->nlp < r->lpcap)
		return 0;
	if (r->text.max != 0 && r->nlp >= r->text.max)
		return -1;
	cap = r->lpcap ? r->lpcap * 2 : 64;
	if ((p = reallocarray(r->lp, cap, sizeof *p)) == NULL)
		return -1;
	r->lp = p;
	r->lpcap = cap;
	return 0;
}

int
wire_reply_logprobs(struct wire_reply *r, json_object *content)
{
	json_object	*tok;
	double		 v;
	size_t		 i, n;

	if (content == NULL)
		return 0;
	r->has_logprobs = 1;
	n = json_object_array_length(content);
	for (i = 0; i < n; i++) {
		tok = json_object_array_get_idx(content, i);
		if (!json_object_is_type(tok, json_type_object) ||
		    !wire_json_num(tok, "logprob", &v))
			continue;
		if (lp_grow(r) == -1)
			return -1;
		r->lp[r->nlp++] = v;
	}
	return 0;
}

/*
 * The finish reasons of both formats, by the name the result gives them:
 * OpenAI's finish_reason and Anthropic's stop_reason.
 */
static const struct finish_name {
	const char	*server;
	const char	*name;
} finish_names[] = {
	{ "stop", WIRE_FINISH_STOP },
	{ "end_turn", WIRE_FINISH_STOP },
	{ "stop_sequence", WIRE_FINISH_STOP },
	{ "length", WIRE_FINISH_LENGTH },
	{ "max_tokens", WIRE_FINISH_LENGTH },
	{ "model_context_window_exceeded", WIRE_FINISH_LENGTH },
	{ "content_filter", WIRE_FINISH_FILTER },
	{ "refusal", WIRE_FINISH_FILTER },
	{ "tool_calls", WIRE_FINISH_TOOLS },
	{ "function_call", WIRE_FINISH_TOOLS },
	{ "tool_use", WIRE_FINISH_TOOLS },
};

void
wire_finish_reason(const char *server, char *out, size_t len)
{
	size_t	i, n;
	char	c;

	for (i = 0; i < sizeof finish_names / sizeof finish_names[0]; i++)
		if (strcmp(server, finish_names[i].server) == 0) {
			snprintf(out, len, "%s", finish_names[i].name);
			return;
		}
	n = strlen(server) < len ? strlen(server) : len - 1;
	for (i = 0; i < n; i++) {
		c = server[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-'))
			c = '_';
		out[i] = c;
	}
	out[n] = '\0';
}

void
wire_redact(char *s, const char *secret)
{
	size_t	 n, len, k;
	char	*p;

	if (secret == NULL || (n = strlen(secret)) < WIRE_SECRET_MIN)
		return;
	while ((p = strstr(s, secret)) != NULL)
		memset(p, '*', n);
	len = strlen(s);
	for (k = n - 1 < len ? n - 1 : len; k >= WIRE_SECRET_MIN; k--)
		if (memcmp(s + len - k, secret, k) == 0) {
			memset(s + len - k, '*', k);
			break;
		}
}

/*
 * The n bytes at src made one printable line in place of dst (n bytes
 * too): a control character (C0, DEL, C1) or a byte that is not UTF-8
 * becomes a space, byte for byte.
 */
static void
printable(char *dst, const char *src, size_t n)
{
	const unsigned char	*p = (const unsigned char *)src;
	size_t			 i, len;

	for (i = 0; i < n; i += len) {
		len = 1;
		if (p[i] >= PRINTABLE_FIRST && p[i] <= PRINTABLE_LAST)
			dst[i] = (char)p[i];
		else if (p[i] < UTF8_CONT ||
		    (len = utf8_seqlen(p + i, n - i)) == 0 ||
		    (p[i] == C1_LEAD && p[i + 1] <= C1_LAST)) {
			len = len > 0 ? len : 1;
			memset(dst + i, ' ', len);
		} else
			memcpy(dst + i, p + i, len);
	}
}

/*
 * Put the n bytes at src into dst (size bytes, NUL-terminated) as
 * wire_error_parse says: made printable, every copy of secret blanked,
 * then cut to fit (never inside a UTF-8 sequence), and what the cut left
 * of a copy blanked.
 */
static void
take_text(char *dst, size_t size, const char *src, size_t n,
    const char *secret)
{
	size_t	 window, cut;
	char	*t;

	/* Enough to see a secret that the cut would pass through whole. */
	window = size - 1 + UTF8_MAX + (secret != NULL ? strlen(secret) : 0);
	if (n > window)
		n = window;
	dst[0] = '\0';
	if ((t = malloc(n + 1)) == NULL)
		return;
	printable(t, src, n);
	t[n] = '\0';
	wire_redact(t, secret);
	cut = n < size - 1 ? n : size - 1;
	while (cut > 0 && cut < n && utf8_is_cont(t[cut]))
		cut--;
	memcpy(dst, t, cut);
	dst[cut] = '\0';
	wire_redact(dst, secret);
	free(t);
}

/* A string (or a whole number) member's text into dst. */
static void
copy_str(char *dst, size_t len, json_object *o, const char *secret)
{
	const char *s;

	if (o == NULL)
		return;
	s = json_object_get_string(o);
	if (json_object_is_type(o, json_type_string))
		take_text(dst, len, s,
		    (size_t)json_object_get_string_len(o), secret);
	else if (json_object_is_type(o, json_type_int))
		take_text(dst, len, s, strlen(s), secret);
}

/*
 * Fill e from root, the error body parsed (NULL when it is not JSON), or
 * failing that from the first bytes of its text body (len bytes).
 */
static void
error_fill(json_object *root, const char *body, size_t len,
    const char *secret, struct wire_error *e)
{
	json_object *err, *v;

	memset(e, 0, sizeof *e);
	if (root != NULL && json_object_object_get_ex(root, "error", &err)) {
		if (json_object_is_type(err, json_type_object)) {
			if (json_object_object_get_ex(err, "message", &v))
				copy_str(e->message, sizeof e->message, v,
				    secret);
			if (json_object_object_get_ex(err, "type", &v))
				copy_str(e->type, sizeof e->type, v, secret);
			if (json_object_object_get_ex(err, "code", &v))
				copy_str(e->code, sizeof e->code, v, secret);
		} else
			copy_str(e->message, sizeof e->message, err, secret);
	} else
		take_text(e->message, sizeof e->message, body, len, secret);
}

void
wire_error_parse(const char *body, size_t len, const char *secret,
    struct wire_error *e)
{
	json_tokener	*tok;
	json_object	*root = NULL;

	if ((tok = json_tokener_new()) != NULL && len <= WIRE_JSON_MAX) {
		root = json_tokener_parse_ex(tok, body, (int)len);
		json_tokener_free(tok);
	}
	error_fill(root, body, len, secret, e);
	json_object_put(root);
}

/* As wire_error_parse on root's JSON text, without parsing it again. */
void
wire_reply_error(struct wire_reply *r, json_object *root)
{
	const char *s = json_object_to_json_string(root);

	error_fill(root, s, strlen(s), r->secret, &r->err);
	r->error = 1;
}

/* Whether v is a count of tokens a server can have meant. */
static int
tokens_sane(double v)
{
	return isfinite(v) && v >= 0 && v <= WIRE_TOKENS_MAX;
}

int
wire_usage_sane(const struct usage *u)
{
	return tokens_sane(u->input) && tokens_sane(u->cache_read) &&
	    tokens_sane(u->cache_write) && tokens_sane(u->output) &&
	    tokens_sane(u->reasoning);
}

int
wire_json_text(struct wire_reply *r, json_object *o, const char *key)
{
	json_object *v = wire_json_member(o, key, json_type_string);

	if (v == NULL)
		return 0;
	return buf_add(&r->text, json_object_get_string(v),
	    (size_t)json_object_get_string_len(v));
}

json_object *
wire_json_parse(const char *s, size_t n)
{
	json_tokener	*tok;
	json_object	*o;

	if (n > WIRE_JSON_MAX || (tok = json_tokener_new()) == NULL)
		return NULL;
	o = json_tokener_parse_ex(tok, s, (int)n);
	if (json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != n ||
	    !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}

json_object *
wire_json_member(json_object *o, const char *key, int t)
{
	json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, (json_type)t))
		return NULL;
	return v;
}

int
wire_json_num(json_object *o, const char *key, double *out)
{
	json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    (!json_object_is_type(v, json_type_int) &&
	    !json_object_is_type(v, json_type_double)))
		return 0;
	*out = json_object_get_double(v);
	return 1;
}
