/*
 * input.c: reading prompts.  A prompt is either the whole of a file or one
 * JSON Lines record {"id"?, "prompt" | "messages", ...}.  Sizes are capped
 * before anything is held in memory, ill-formed UTF-8 becomes U+FFFD and a
 * NUL byte is refused, so nothing invalid travels further.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
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
 * One JSON Lines record being parsed.  A member parser returns 0, or one
 * of the failures below; REC_FAIL has set *cause.
 */
struct record {
	struct jscan	 js;
	struct prompt	*p;
	struct buf	*key;		/* member names: the reader's scratch */
	struct buf	 text;		/* "prompt" */
	struct buf	 tmp;
	unsigned	 seen;		/* the fields given, by bit */
	char		**cause;
};

#define REC_SYNTAX	(-1)	/* invalid JSON: the scanner says where */
#define REC_FAIL	(-2)	/* a field is wrong: *cause says how */
#define REC_NOMEM	(-3)

#define REC_MAXTOKENS	1e7	/* the largest "max_tokens" a record sets */
#define UTF8_BOM	"\xef\xbb\xbf"
#define INPUT_SKIP_FACTOR 16	/* a too-long line dropped up to 16 limits */

static int
rec_fail(struct record *rc, const char *fmt, const char *arg)
{
	cause_set(rc->cause, fmt, arg);
	return REC_FAIL;
}

/* One message of "messages": {"role": "...", "content": ...}. */
static int
rec_message(struct record *rc, size_t idx, struct buf *role,
    struct buf *content)
{
	struct jscan	*js = &rc->js;
	int		 r, have_content = 0;

	if (jscan_peek(js) != JSCAN_OBJ) {
		cause_set(rc->cause, "field 'messages[%zu]': expected an "
		    "object", idx);
		return REC_FAIL;
	}
	if (jscan_object_begin(js) == -1)
		return REC_SYNTAX;
	while ((r = jscan_object_next(js, rc->key)) == 1) {
		if (strcmp(rc->key->data, "role") == 0) {
			if (jscan_peek(js) != JSCAN_STR) {
				cause_set(rc->cause, "field 'messages[%zu]"
				    ".role': expected a string", idx);
				return REC_FAIL;
			}
			if (jscan_string(js, role, NULL) == -1)
				return REC_SYNTAX;
		} else if (strcmp(rc->key->data, "content") == 0) {
			r = parse_content(js, content, rc->key,
			    &rc->p->nbad);
			if (r == -2) {
				cause_set(rc->cause, "field 'messages[%zu]"
				    ".content': expected a string or an array "
				    "of text parts", idx);
				return REC_FAIL;
			}
			if (r == -1)
				return REC_SYNTAX;
			have_content = 1;
		} else if (jscan_skip(js) == -1)
			return REC_SYNTAX;
	}
	if (r == -1)
		return REC_SYNTAX;
	if (role->len == 0 || !have_content) {
		cause_set(rc->cause, "field 'messages[%zu]': needs \"role\" "
		    "and \"content\"", idx);
		return REC_FAIL;
	}
	if (strlen(role->data) != role->len ||
	    memchr(content->data, '\0', content->len) != NULL) {
		cause_set(rc->cause, "field 'messages[%zu]': contains a NUL "
		    "character", idx);
		return REC_FAIL;
	}
	return 0;
}

/* "messages": the conversation to send; the last user message is scored. */
static int
field_messages(struct record *rc)
{
	struct buf	 role = BUF_INIT, content = BUF_INIT;
	size_t		 idx;
	int		 r, st = 0;
	char		*c;

	if (jscan_peek(&rc->js) != JSCAN_ARR)
		return rec_fail(rc, "field '%s': expected an array",
		    "messages");
	if (jscan_array_begin(&rc->js) == -1)
		return REC_SYNTAX;
	for (idx = 0; st == 0 && (r = jscan_array_next(&rc->js)) == 1;
	    idx++) {
		buf_reset(&role);
		buf_reset(&content);
		if ((st = rec_message(rc, idx, &role, &content)) != 0)
			break;
		c = buf_detach(&content, NULL);
		if (c == NULL || add_message(rc->p, role.data, c) == -1) {
			free(c);
			st = REC_NOMEM;
		}
	}
	if (st == 0 && r == -1)
		st = REC_SYNTAX;
	buf_free(&role);
	buf_free(&content);
	return st;
}

/* "id": a string or a number, echoed in results and logs. */
static int
field_id(struct record *rc)
{
	struct buf	name = BUF_INIT, json = BUF_INIT;
	int		r;

	r = input_parse_id(&rc->js, &name, &json);
	if (r == 0 && strlen(name.data) != name.len)
		r = rec_fail(rc, "field '%s': contains a NUL character", "id");
	else if (r == -2)
		r = rec_fail(rc, "field '%s': expected a string or a number",
		    "id");
	else if (r == -1)
		r = REC_SYNTAX;
	if (r == 0) {
		rc->p->name = buf_detach(&name, NULL);
		rc->p->id = buf_detach(&json, NULL);
		if (rc->p->name == NULL || rc->p->id == NULL)
			r = REC_NOMEM;
	}
	buf_free(&name);
	buf_free(&json);
	return r;
}

/* "prompt": the text to score and send as the one user message. */
static int
field_prompt(struct record *rc)
{
	if (jscan_peek(&rc->js) != JSCAN_STR)
		return rec_fail(rc, "field '%s': expected a string", "prompt");
	if (jscan_string(&rc->js, &rc->text, &rc->p->nbad) == -1)
		return REC_SYNTAX;
	return 0;
}

/* A string member named name into *dst: "system", "model". */
static int
rec_string(struct record *rc, const char *name, char **dst)
{
	buf_reset(&rc->tmp);
	if (jscan_peek(&rc->js) != JSCAN_STR)
		return rec_fail(rc, "field '%s': expected a string", name);
	if (jscan_string(&rc->js, &rc->tmp, &rc->p->nbad) == -1)
		return REC_SYNTAX;
	if (strlen(rc->tmp.data) != rc->tmp.len)
		return rec_fail(rc, "field '%s': contains a NUL character",
		    name);
	if ((*dst = strdup(rc->tmp.data)) == NULL)
		return REC_NOMEM;
	return 0;
}

static int
field_system(struct record *rc)
{
	return rec_string(rc, "system", &rc->p->system);
}

static int
field_model(struct record *rc)
{
	return rec_string(rc, "model", &rc->p->model);
}

static int
field_max_tokens(struct record *rc)
{
	double d;

	if (jscan_peek(&rc->js) != JSCAN_NUM ||
	    jscan_number(&rc->js, &d) == -1 || d < 1 || d > REC_MAXTOKENS ||
	    d != (long)d)
		return rec_fail(rc, "field '%s': expected a whole number from "
		    "1", "max_tokens");
	rc->p->max_tokens = (long)d;
	return 0;
}

/* "tags": an array of non-empty strings, for the cost log. */
static int
field_tags(struct record *rc)
{
	struct prompt	 *p = rc->p;
	char		**t;
	int		  r;

	if (jscan_peek(&rc->js) != JSCAN_ARR ||
	    jscan_array_begin(&rc->js) == -1)
		return rec_fail(rc, "field '%s': expected an array of strings",
		    "tags");
	while ((r = jscan_array_next(&rc->js)) == 1) {
		buf_reset(&rc->tmp);
		if (jscan_peek(&rc->js) != JSCAN_STR ||
		    jscan_string(&rc->js, &rc->tmp, NULL) == -1 ||
		    rc->tmp.len == 0 || strlen(rc->tmp.data) != rc->tmp.len)
			return rec_fail(rc, "field '%s': expected an array of "
			    "non-empty strings", "tags");
		if ((t = reallocarray(p->tags, p->ntags + 1,
		    sizeof *t)) == NULL)
			return REC_NOMEM;
		p->tags = t;
		if ((t[p->ntags] = strdup(rc->tmp.data)) == NULL)
			return REC_NOMEM;
		p->ntags++;
	}
	if (r == -1)
		return rec_fail(rc, "field '%s': invalid JSON", "tags");
	return 0;
}

/* The members of a record llmroute reads; any other is skipped. */
static const struct rec_field {
	const char	*name;
	int		(*parse)(struct record *);
} rec_fields[] = {
	{ "id", field_id },
	{ "prompt", field_prompt },
	{ "messages", field_messages },
	{ "system", field_system },
	{ "model", field_model },
	{ "max_tokens", field_max_tokens },
	{ "tags", field_tags },
};

#define REC_NFIELDS	(sizeof rec_fields / sizeof rec_fields[0])
#define REC_BIT(name)	(1u << rec_index(name))

static size_t
rec_index(const char *name)
{
	size_t i;

	for (i = 0; i < REC_NFIELDS; i++)
		if (strcmp(rec_fields[i].name, name) == 0)
			break;
	return i;
}

/* The members of the record's object, each by its field's parser. */
static int
rec_members(struct record *rc)
{
	size_t	i;
	int	r, st;

	if (jscan_peek(&rc->js) != JSCAN_OBJ) {
		cause_set(rc->cause, "expected a JSON object");
		return REC_FAIL;
	}
	if (jscan_object_begin(&rc->js) == -1)
		return REC_SYNTAX;
	while ((r = jscan_object_next(&rc->js, rc->key)) == 1) {
		if ((i = rec_index(rc->key->data)) == REC_NFIELDS) {
			if (jscan_skip(&rc->js) == -1)
				return REC_SYNTAX;
			continue;
		}
		if (rc->seen & (1u << i))
			return rec_fail(rc, "field '%s' given twice",
			    rec_fields[i].name);
		rc->seen |= 1u << i;
		if ((st = rec_fields[i].parse(rc)) != 0)
			return st;
	}
	if (r == -1 || jscan_finish(&rc->js) == -1)
		return REC_SYNTAX;
	return 0;
}

/* The text to score: "prompt", else the last user message. */
static int
rec_text(struct record *rc)
{
	struct prompt	*p = rc->p;
	int		 have_prompt = (rc->seen & REC_BIT("prompt")) != 0;
	size_t		 i;
	char		*c;

	if (have_prompt && (rc->seen & REC_BIT("messages")))
		return rec_fail(rc, "fields '%s' and 'messages' both given",
		    "prompt");
	if (have_prompt) {
		if (memchr(rc->text.data, '\0', rc->text.len) != NULL)
			return rec_fail(rc, "field '%s': contains a NUL "
			    "character", "prompt");
		if ((c = strdup(rc->text.data)) == NULL)
			return REC_NOMEM;
		if (add_message(p, "user", c) == -1) {
			free(c);
			return REC_NOMEM;
		}
		p->text = buf_detach(&rc->text, &p->len);
	} else if (rc->seen & REC_BIT("messages")) {
		for (i = p->nmsgs; i > 0; i--)
			if (strcmp(p->msgs[i - 1].role, "user") == 0)
				break;
		if (i == 0)
			return rec_fail(rc, "field '%s': no message with role "
			    "\"user\"", "messages");
		if ((p->text = strdup(p->msgs[i - 1].content)) == NULL)
			return REC_NOMEM;
		p->len = strlen(p->text);
	} else
		return rec_fail(rc, "field '%s' or 'messages' is missing",
		    "prompt");
	if (p->text == NULL)
		return REC_NOMEM;
	if (lines_blank(p->text, p->len))
		return rec_fail(rc, "field '%s': empty prompt", have_prompt ?
		    "prompt" : "messages");
	return 0;
}

/* A record without an id is called by its line number. */
static int
rec_default_id(struct record *rc, size_t lineno)
{
	struct prompt *p = rc->p;

	if (p->id != NULL)
		return 0;
	buf_reset(&rc->tmp);
	if (buf_addf(&rc->tmp, "%zu", lineno) == -1 ||
	    (p->name = strdup(rc->tmp.data)) == NULL ||
	    (p->id = strdup(rc->tmp.data)) == NULL)
		return REC_NOMEM;
	return 0;
}

/*
 * input_jsonl_parse with the caller's scratch buffer for member names, so
 * that a reader keeps one across records.
 */
static int
jsonl_parse(const char *line, size_t len, size_t lineno, struct prompt *p,
    struct buf *key, char **cause)
{
	struct record	rc;
	int		st;

	memset(p, 0, sizeof *p);
	memset(&rc, 0, sizeof rc);
	p->lineno = lineno;
	rc.p = p;
	rc.key = key;
	rc.cause = cause;
	buf_init(&rc.text, BUF_NOLIMIT);
	buf_init(&rc.tmp, BUF_NOLIMIT);
	jscan_init(&rc.js, line, len);
	if ((st = rec_members(&rc)) == 0 && (st = rec_text(&rc)) == 0)
		st = rec_default_id(&rc, lineno);
	if (st == REC_SYNTAX)
		cause_set(cause, "invalid JSON at byte %zu: %s",
		    jscan_offset(&rc.js) + 1, rc.js.err ? rc.js.err :
		    "syntax error");
	else if (st == REC_NOMEM)
		cause_set(cause, "out of memory");
	buf_free(&rc.text);
	buf_free(&rc.tmp);
	if (st != 0) {
		prompt_free(p);
		return -1;
	}
	return 0;
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
 * more than max bytes; a line that runs on past INPUT_SKIP_FACTOR times
 * max without ending makes reading fail.  Returns 0 or -1 (out of
 * memory).
 */
int
input_jsonl_open(struct jsonl *r, int fd, const char *name, size_t max)
{
	memset(r, 0, sizeof *r);
	r->max = max;
	buf_init(&r->key, BUF_NOLIMIT);
	buf_init(&r->bad_id, BUF_NOLIMIT);
	if ((r->name = strdup(name)) == NULL)
		return -1;
	if (lines_init_fd(&r->lines, fd, max) == -1) {
		free(r->name);
		r->name = NULL;
		return -1;
	}
	/* A line that never ends (/dev/zero) must not be read forever. */
	lines_bound_skip(&r->lines, max > SIZE_MAX / INPUT_SKIP_FACTOR ?
	    SIZE_MAX : max * INPUT_SKIP_FACTOR);
	return 0;
}

void
input_jsonl_close(struct jsonl *r)
{
	free(r->name);
	lines_free(&r->lines);
	buf_free(&r->key);
	buf_free(&r->bad_id);
	memset(r, 0, sizeof *r);
}

/*
 * The id of a line that did not make a record, into r->bad_id: its "id"
 * member when the line is an object that has one, else its number.
 */
static void
rejected_id(struct jsonl *r, const struct line *l)
{
	struct jscan	js;
	struct buf	name = BUF_INIT;

	buf_reset(&r->bad_id);
	jscan_init(&js, l->p, l->len);
	if (!l->toolong && jscan_object_begin(&js) == 0)
		while (jscan_object_next(&js, &r->key) == 1) {
			if (strcmp(r->key.data, "id") == 0) {
				if (input_parse_id(&js, &name,
				    &r->bad_id) != 0)
					buf_reset(&r->bad_id);
				break;
			}
			if (jscan_skip(&js) == -1)
				break;
		}
	buf_free(&name);
	if (r->bad_id.len == 0)
		buf_addf(&r->bad_id, "%zu", l->lineno);
}

int
input_jsonl_next(struct jsonl *r, struct prompt *p, char **cause)
{
	struct line	 l;
	char		*why = NULL;
	int		 n;

	while ((n = lines_next(&r->lines, &l)) == 1) {
		if (l.toolong) {
			rejected_id(r, &l);
			cause_set(cause, "%s:%zu: line longer than the prompt "
			    "limit of %zu bytes", r->name, l.lineno, r->max);
			return INPUT_BAD;
		}
		/* A byte order mark may open the file, as jq allows. */
		if (l.lineno == 1 && l.len >= sizeof UTF8_BOM - 1 &&
		    memcmp(l.p, UTF8_BOM, sizeof UTF8_BOM - 1) == 0) {
			l.p += sizeof UTF8_BOM - 1;
			l.len -= sizeof UTF8_BOM - 1;
		}
		if (lines_blank(l.p, l.len))
			continue;
		if (jsonl_parse(l.p, l.len, l.lineno, p, &r->key,
		    &why) == -1) {
			rejected_id(r, &l);
			cause_set(cause, "%s:%zu: %s", r->name, l.lineno,
			    why ? why : "out of memory");
			free(why);
			return INPUT_BAD;
		}
		return INPUT_OK;
	}
	if (n == -1 && errno == EFBIG) {
		cause_set(cause, "%s:%zu: a line runs past %zu times the prompt "
		    "limit of %zu bytes without ending: the rest is not read",
		    r->name, r->lines.lineno + 1, (size_t)INPUT_SKIP_FACTOR,
		    r->max);
		return INPUT_FATAL;
	}
	if (n == -1) {
		cause_set(cause, "%s: %s", r->name, strerror(errno));
		return INPUT_FATAL;
	}
	return INPUT_EOF;
}
