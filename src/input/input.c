/*
 * input.c: reading prompts.  A prompt is either the whole of a file or one
 * JSON Lines record {"id"?, "prompt" | "messages", ...}.  Sizes are capped
 * before anything is held in memory, ill-formed UTF-8 becomes U+FFFD and a
 * NUL byte is refused, so nothing invalid travels further.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/cause.h"
#include "input/input.h"
#include "base/jscan.h"
#include "base/jsonout.h"
#include "base/utf8.h"

#include "base/banned.h"

/* Free what p owns and zero it. */
void
prompt_free(struct prompt *p)
{
	size_t i;

	free(p->id);
	free(p->name);
	free(p->text);
	for (i = 0; i < p->nmsgs; i++) {
		free(p->msgs[i].role);
		free(p->msgs[i].content);
	}
	free(p->msgs);
	free(p->system);
	free(p->model);
	for (i = 0; i < p->ntags; i++)
		free(p->tags[i]);
	free(p->tags);
	memset(p, 0, sizeof *p);
}

static int
add_message(struct prompt *p, const char *role, char *content)
{
	struct message *m;

	m = reallocarray(p->msgs, p->nmsgs + 1, sizeof *m);
	if (m == NULL)
		return -1;
	p->msgs = m;
	if ((m[p->nmsgs].role = strdup(role)) == NULL)
		return -1;
	m[p->nmsgs].content = content;
	p->nmsgs++;
	return 0;
}

/*
 * Read all of fd (at most max bytes) as one prompt called name.  Returns
 * 0, or -1 with *cause (caller frees) naming the input: too large, empty,
 * a NUL byte or a read error.
 */
int
input_whole(int fd, const char *name, size_t max, struct prompt *p,
    char **cause)
{
	struct buf	raw, clean;
	char		*content;

	memset(p, 0, sizeof *p);
	buf_init(&raw, max);
	buf_init(&clean, BUF_NOLIMIT);
	if (buf_read_fd(&raw, fd) == -1) {
		if (errno == EFBIG)
			cause_set(cause, "%s: larger than the prompt limit of "
			    "%zu bytes", name, max);
		else
			cause_set(cause, "%s: %s", name, strerror(errno));
		goto fail;
	}
	if (memchr(raw.data, '\0', raw.len) != NULL) {
		cause_set(cause, "%s: contains a NUL byte (binary file?)",
		    name);
		goto fail;
	}
	if (lines_blank(raw.data, raw.len)) {
		cause_set(cause, "%s: empty prompt", name);
		goto fail;
	}
	if (utf8_add_clean(&clean, raw.data, raw.len, &p->nbad) == -1)
		goto nomem;
	buf_free(&raw);
	buf_init(&raw, BUF_NOLIMIT);	/* now the id: not capped */
	if ((p->name = strdup(name)) == NULL)
		goto nomem;
	if (jsonout_cstr(&raw, name) == -1)
		goto nomem;
	p->id = buf_detach(&raw, NULL);
	p->text = buf_detach(&clean, &p->len);
	if (p->id == NULL || p->text == NULL ||
	    (content = strdup(p->text)) == NULL)
		goto nomem;
	if (add_message(p, "user", content) == -1) {
		free(content);
		goto nomem;
	}
	return 0;
nomem:
	cause_set(cause, "%s: out of memory", name);
fail:
	buf_free(&raw);
	buf_free(&clean);
	prompt_free(p);
	return -1;
}

/*
 * The text of a message's content: a string, or an array of parts whose
 * "text" members are joined by newlines (other parts are skipped).
 */
static int
parse_content(struct jscan *js, struct buf *out, struct buf *key,
    size_t *nbad)
{
	int r, typ;

	typ = jscan_peek(js);
	if (typ == JSCAN_STR)
		return jscan_string(js, out, nbad);
	if (typ != JSCAN_ARR)
		return -2;
	if (jscan_array_begin(js) == -1)
		return -1;
	while ((r = jscan_array_next(js)) == 1) {
		if (jscan_peek(js) != JSCAN_OBJ)
			return -2;
		if (jscan_object_begin(js) == -1)
			return -1;
		while ((r = jscan_object_next(js, key)) == 1) {
			if (strcmp(key->data, "text") == 0 &&
			    jscan_peek(js) == JSCAN_STR) {
				if (out->len > 0 && buf_addch(out, '\n') == -1)
					return -1;
				if (jscan_string(js, out, nbad) == -1)
					return -1;
			} else if (jscan_skip(js) == -1)
				return -1;
		}
		if (r == -1)
			return -1;
	}
	return r;
}

/* Parse the "messages" array into p; *last_user gets the scored text. */
static int
parse_messages(struct jscan *js, struct prompt *p, struct buf *key,
    char **cause)
{
	struct buf	 role = BUF_INIT, content = BUF_INIT;
	size_t		 idx = 0;
	int		 r, have_content;
	char		*c;

	if (jscan_peek(js) != JSCAN_ARR)
		return cause_set(cause, "field 'messages': expected an array");
	if (jscan_array_begin(js) == -1)
		goto syntax;
	while ((r = jscan_array_next(js)) == 1) {
		buf_reset(&role);
		buf_reset(&content);
		have_content = 0;
		if (jscan_peek(js) != JSCAN_OBJ) {
			cause_set(cause, "field 'messages[%zu]': expected an "
			    "object", idx);
			goto fail;
		}
		if (jscan_object_begin(js) == -1)
			goto syntax;
		while ((r = jscan_object_next(js, key)) == 1) {
			if (strcmp(key->data, "role") == 0) {
				if (jscan_peek(js) != JSCAN_STR) {
					cause_set(cause, "field 'messages[%zu]"
					    ".role': expected a string", idx);
					goto fail;
				}
				if (jscan_string(js, &role, NULL) == -1)
					goto syntax;
			} else if (strcmp(key->data, "content") == 0) {
				r = parse_content(js, &content, key,
				    &p->nbad);
				if (r == -2) {
					cause_set(cause, "field 'messages[%zu]"
					    ".content': expected a string or "
					    "an array of text parts", idx);
					goto fail;
				}
				if (r == -1)
					goto syntax;
				have_content = 1;
			} else if (jscan_skip(js) == -1)
				goto syntax;
		}
		if (r == -1)
			goto syntax;
		if (role.len == 0 || !have_content) {
			cause_set(cause, "field 'messages[%zu]': needs "
			    "\"role\" and \"content\"", idx);
			goto fail;
		}
		if (strlen(role.data) != role.len ||
		    memchr(content.data, '\0', content.len) != NULL) {
			cause_set(cause, "field 'messages[%zu]': contains a "
			    "NUL character", idx);
			goto fail;
		}
		c = buf_detach(&content, NULL);
		if (c == NULL || add_message(p, role.data, c) == -1) {
			free(c);
			cause_set(cause, "out of memory");
			goto fail;
		}
		idx++;
	}
	if (r == -1)
		goto syntax;
	buf_free(&role);
	buf_free(&content);
	return 0;
syntax:
	cause_set(cause, "invalid JSON at byte %zu: %s", jscan_offset(js) + 1,
	    js->err ? js->err : "syntax error");
fail:
	buf_free(&role);
	buf_free(&content);
	return -1;
}

/* The "tags" override: an array of non-empty strings. */
static int
parse_tags(struct jscan *js, struct prompt *p, struct buf *tmp,
    char **cause)
{
	char	**t;
	int	  r;

	if (p->tags != NULL)
		return cause_set(cause, "field 'tags' given twice");
	if (jscan_peek(js) != JSCAN_ARR || jscan_array_begin(js) == -1)
		return cause_set(cause, "field 'tags': expected an array of "
		    "strings");
	while ((r = jscan_array_next(js)) == 1) {
		buf_reset(tmp);
		if (jscan_peek(js) != JSCAN_STR ||
		    jscan_string(js, tmp, NULL) == -1 || tmp->len == 0 ||
		    strlen(tmp->data) != tmp->len)
			return cause_set(cause, "field 'tags': expected an "
			    "array of non-empty strings");
		if ((t = reallocarray(p->tags, p->ntags + 1,
		    sizeof *t)) == NULL)
			return cause_set(cause, "out of memory");
		p->tags = t;
		if ((t[p->ntags] = strdup(tmp->data)) == NULL)
			return cause_set(cause, "out of memory");
		p->ntags++;
	}
	if (r == -1)
		return cause_set(cause, "field 'tags': invalid JSON");
	return 0;
}

/*
 * The id at the scanner, a string or a number: its plain text appended
 * to name (a string decoded, a number as written) and its JSON text to
 * json (a string quoted again, a number as written).  Returns 0, -1 on a
 * syntax error (js->err says which), or -2 when the value is neither a
 * string nor a number (the scanner has not moved).
 */
int
input_parse_id(struct jscan *js, struct buf *name, struct buf *json)
{
	const char	*v0;
	size_t		 from = name->len;

	switch (jscan_peek(js)) {
	case JSCAN_STR:
		if (jscan_string(js, name, NULL) == -1)
			return -1;
		return jsonout_str(json, name->data + from, name->len - from);
	case JSCAN_NUM:
		v0 = js->p;
		if (jscan_number(js, NULL) == -1)
			return -1;
		if (buf_add(name, v0, (size_t)(js->p - v0)) == -1)
			return -1;
		return buf_add(json, v0, (size_t)(js->p - v0));
	default:
		return -2;
	}
}

/*
 * input_jsonl_parse with the caller's scratch buffer for member names, so
 * that a reader keeps one across records.
 */
static int
jsonl_parse(const char *line, size_t len, size_t lineno, struct prompt *p,
    struct buf *key, char **cause)
{
	struct jscan	 js;
	struct buf	 text = BUF_INIT, id = BUF_INIT, text2 = BUF_INIT;
	const char	*s;
	size_t		 i;
	int		 r, have_prompt = 0, have_msgs = 0, have_id = 0;
	char		*c;

	memset(p, 0, sizeof *p);
	p->lineno = lineno;
	jscan_init(&js, line, len);
	if (jscan_peek(&js) != JSCAN_OBJ) {
		cause_set(cause, "expected a JSON object");
		goto fail;
	}
	if (jscan_object_begin(&js) == -1)
		goto syntax;
	while ((r = jscan_object_next(&js, key)) == 1) {
		if (strcmp(key->data, "id") == 0 && !have_id) {
			have_id = 1;
			r = input_parse_id(&js, &id, &text2);
			if (r == -1)
				goto syntax;
			if (r == -2) {
				cause_set(cause, "field 'id': expected a "
				    "string or a number");
				goto fail;
			}
			if (strlen(id.data) != id.len) {
				cause_set(cause, "field 'id': contains a NUL "
				    "character");
				goto fail;
			}
			p->name = buf_detach(&id, NULL);
			p->id = buf_detach(&text2, NULL);
			if (p->name == NULL || p->id == NULL)
				goto nomem;
		} else if (strcmp(key->data, "prompt") == 0 && !have_prompt) {
			have_prompt = 1;
			if (jscan_peek(&js) != JSCAN_STR) {
				cause_set(cause, "field 'prompt': expected a "
				    "string");
				goto fail;
			}
			if (jscan_string(&js, &text, &p->nbad) == -1)
				goto syntax;
		} else if (strcmp(key->data, "messages") == 0 && !have_msgs) {
			have_msgs = 1;
			if (parse_messages(&js, p, key, cause) == -1)
				goto fail;
		} else if (strcmp(key->data, "system") == 0 ||
		    strcmp(key->data, "model") == 0) {
			char **dst = key->data[0] == 's' ? &p->system :
			    &p->model;

			if (*dst != NULL) {
				cause_set(cause, "field '%s' given twice",
				    key->data);
				goto fail;
			}
			if (jscan_peek(&js) != JSCAN_STR) {
				cause_set(cause, "field '%s': expected a string",
				    key->data);
				goto fail;
			}
			buf_reset(&text2);
			if (jscan_string(&js, &text2, &p->nbad) == -1)
				goto syntax;
			if (strlen(text2.data) != text2.len) {
				cause_set(cause, "field '%s': contains a NUL "
				    "character", key->data);
				goto fail;
			}
			if ((*dst = strdup(text2.data)) == NULL)
				goto nomem;
		} else if (strcmp(key->data, "max_tokens") == 0) {
			double d;

			if (jscan_peek(&js) != JSCAN_NUM ||
			    jscan_number(&js, &d) == -1 || d < 1 || d > 1e7 ||
			    d != (long)d) {
				cause_set(cause, "field 'max_tokens': expected a "
				    "whole number from 1");
				goto fail;
			}
			p->max_tokens = (long)d;
		} else if (strcmp(key->data, "tags") == 0) {
			if (parse_tags(&js, p, &text2, cause) == -1)
				goto fail;
		} else if (strcmp(key->data, "id") == 0 ||
		    strcmp(key->data, "prompt") == 0 ||
		    strcmp(key->data, "messages") == 0) {
			cause_set(cause, "field '%s' given twice", key->data);
			goto fail;
		} else if (jscan_skip(&js) == -1)
			goto syntax;
	}
	if (r == -1 || jscan_finish(&js) == -1)
		goto syntax;
	if (have_prompt && have_msgs) {
		cause_set(cause, "fields 'prompt' and 'messages' both given");
		goto fail;
	}
	if (!have_prompt && !have_msgs) {
		cause_set(cause, "field 'prompt' or 'messages' is missing");
		goto fail;
	}
	if (have_prompt) {
		if (memchr(text.data, '\0', text.len) != NULL) {
			cause_set(cause, "field 'prompt': contains a NUL "
			    "character");
			goto fail;
		}
		if ((c = strdup(text.data)) == NULL)
			goto nomem;
		if (add_message(p, "user", c) == -1) {
			free(c);
			goto nomem;
		}
		p->text = buf_detach(&text, &p->len);
	} else {
		for (i = p->nmsgs; i > 0; i--)
			if (strcmp(p->msgs[i - 1].role, "user") == 0)
				break;
		if (i == 0) {
			cause_set(cause, "field 'messages': no message with "
			    "role \"user\"");
			goto fail;
		}
		s = p->msgs[i - 1].content;
		if ((p->text = strdup(s)) == NULL)
			goto nomem;
		p->len = strlen(s);
	}
	if (lines_blank(p->text, p->len)) {
		cause_set(cause, "field '%s': empty prompt", have_prompt ?
		    "prompt" : "messages");
		goto fail;
	}
	if (p->id == NULL) {
		if (buf_addf(&id, "%zu", lineno) == -1 ||
		    (p->name = strdup(id.data)) == NULL)
			goto nomem;
		p->id = buf_detach(&id, NULL);
	}
	buf_free(&text);
	buf_free(&id);
	buf_free(&text2);
	return 0;
syntax:
	cause_set(cause, "invalid JSON at byte %zu: %s", jscan_offset(&js) + 1,
	    js.err ? js.err : "syntax error");
	goto fail;
nomem:
	cause_set(cause, "out of memory");
fail:
	buf_free(&text);
	buf_free(&id);
	buf_free(&text2);
	prompt_free(p);
	return -1;
}

/*
 * Parse one JSON Lines record (len bytes at line) into p.  lineno is its
 * line number, the default id.  Returns 0, or -1 with *cause (caller
 * frees) naming the field at fault, without the file and line.
 */
int
input_jsonl_parse(const char *line, size_t len, size_t lineno,
    struct prompt *p, char **cause)
{
	struct buf	key = BUF_INIT;
	int		r;

	r = jsonl_parse(line, len, lineno, p, &key, cause);
	buf_free(&key);
	return r;
}

/*
 * Start reading JSON Lines from fd (name for messages), refusing lines of
 * more than max bytes.  Returns 0 or -1 (out of memory).
 */
int
input_jsonl_open(struct jsonl *r, int fd, const char *name, size_t max)
{
	memset(r, 0, sizeof *r);
	r->max = max;
	buf_init(&r->key, BUF_NOLIMIT);
	if ((r->name = strdup(name)) == NULL)
		return -1;
	if (lines_init_fd(&r->lines, fd, max) == -1) {
		free(r->name);
		r->name = NULL;
		return -1;
	}
	return 0;
}

void
input_jsonl_close(struct jsonl *r)
{
	free(r->name);
	lines_free(&r->lines);
	buf_free(&r->key);
	memset(r, 0, sizeof *r);
}

/*
 * Read the next record into p.  Blank lines are skipped.  Returns INPUT_OK,
 * INPUT_EOF, INPUT_BAD (this line is unusable: *cause says why with file
 * and line, reading may go on) or INPUT_FATAL (a read error in *cause).
 */
int
input_jsonl_next(struct jsonl *r, struct prompt *p, char **cause)
{
	struct line	 l;
	char		*why = NULL;
	int		 n;

	while ((n = lines_next(&r->lines, &l)) == 1) {
		if (l.toolong)
		{
			cause_set(cause, "%s:%zu: line longer than the prompt "
			    "limit of %zu bytes", r->name, l.lineno, r->max);
			return INPUT_BAD;
		}
		if (lines_blank(l.p, l.len))
			continue;
		if (jsonl_parse(l.p, l.len, l.lineno, p, &r->key,
		    &why) == -1) {
			cause_set(cause, "%s:%zu: %s", r->name, l.lineno,
			    why ? why : "out of memory");
			free(why);
			return INPUT_BAD;
		}
		return INPUT_OK;
	}
	if (n == -1) {
		cause_set(cause, "%s: %s", r->name, strerror(errno));
		return INPUT_FATAL;
	}
	return INPUT_EOF;
}
