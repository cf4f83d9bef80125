/*
 * wire.c: what the two wire formats share: the table lookup, error
 * bodies, replies and the json-c helpers.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <json.h>

#include "call/wire.h"

#include "base/banned.h"

/* json-c takes a text's length as an int. */
#define WIRE_JSON_MAX		((size_t)INT_MAX)

/* The printable bytes of ASCII. */
#define PRINTABLE_FIRST		0x20
#define PRINTABLE_LAST		0x7e

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
}

static void
copy_str(char *dst, size_t len, json_object *o)
{
	const char *s;

	if (o == NULL || (!json_object_is_type(o, json_type_string) &&
	    !json_object_is_type(o, json_type_int)))
		return;
	s = json_object_get_string(o);
	snprintf(dst, len, "%s", s);
}

/*
 * Fill e from root, the error body parsed (NULL when it is not JSON), or
 * failing that from the first bytes of its text body (len bytes).
 */
static void
error_fill(json_object *root, const char *body, size_t len,
    struct wire_error *e)
{
	json_object	*err, *v;
	size_t		 i, n;

	memset(e, 0, sizeof *e);
	if (root != NULL && json_object_object_get_ex(root, "error", &err)) {
		if (json_object_is_type(err, json_type_object)) {
			if (json_object_object_get_ex(err, "message", &v))
				copy_str(e->message, sizeof e->message, v);
			if (json_object_object_get_ex(err, "type", &v))
				copy_str(e->type, sizeof e->type, v);
			if (json_object_object_get_ex(err, "code", &v))
				copy_str(e->code, sizeof e->code, v);
		} else
			copy_str(e->message, sizeof e->message, err);
	} else {
		/* Not JSON: keep a printable prefix. */
		n = len < sizeof e->message - 1 ? len : sizeof e->message - 1;
		for (i = 0; i < n; i++)
			e->message[i] = body[i] >= PRINTABLE_FIRST &&
			    body[i] <= PRINTABLE_LAST ? body[i] : ' ';
		e->message[n] = '\0';
	}
}

void
wire_error_parse(const char *body, size_t len, struct wire_error *e)
{
	json_tokener	*tok;
	json_object	*root = NULL;

	if ((tok = json_tokener_new()) != NULL && len <= WIRE_JSON_MAX) {
		root = json_tokener_parse_ex(tok, body, (int)len);
		json_tokener_free(tok);
	}
	error_fill(root, body, len, e);
	json_object_put(root);
}

/* As wire_error_parse on root's JSON text, without parsing it again. */
void
wire_reply_error(struct wire_reply *r, json_object *root)
{
	const char *s = json_object_to_json_string(root);

	error_fill(root, s, strlen(s), &r->err);
	r->error = 1;
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
