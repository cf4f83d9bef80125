/*
 * wire.h: the two wire formats llmroute speaks, behind one table of
 * operations: OpenAI Chat Completions (and every compatible server) and
 * Anthropic Messages.  The formats only build request bodies and read
 * responses, error bodies and stream events; they do no I/O.
 */
#ifndef LLMROUTE_WIRE_H
#define LLMROUTE_WIRE_H

#include <stddef.h>

#include "base/buf.h"
#include "input/input.h"
#include "route/config.h"
#include "route/cost.h"

/* max_tokens when neither the prompt nor the run gives one (Anthropic). */
#define WIRE_DEFAULT_MAX_TOKENS	4096

/* More tokens than any call can count: usage past this is not usage. */
#define WIRE_TOKENS_MAX		1e15

/* A secret shorter than this is not blanked: it would blank words. */
#define WIRE_SECRET_MIN		4

/* What to send. */
struct wire_chat {
	const struct message	*msgs;
	size_t			 nmsgs;
	const char		*system;	/* NULL: none */
	long			 max_tokens;	/* 0: the model's default */
	int			 has_temperature;
	double			 temperature;
	int			 stream;
	int			 logprobs;	/* ask for the answer's token
						   log-probabilities (OpenAI;
						   Anthropic has none) */
};

/*
 * An error a server sent; each field "" when it did not say.  The texts
 * are one line of printable UTF-8, with no secret in them (see
 * wire_error_parse).
 */
struct wire_error {
	char	type[64];
	char	code[64];
	char	message[512];
};

/* What a response, or a stream so far, yielded. */
struct wire_reply {
	struct buf		text;		/* the answer, capped */
	struct usage		usage;
	struct wire_error	err;
	int			error;		/* an error object arrived */
	int			finished;	/* the stream's end marker */
	char			finish_reason[32]; /* as the server said */
	/* Blanked from err as wire_error_parse does (NULL: none). */
	const char		*secret;
	/* The log-probabilities of the answer's tokens, in order, when the
	   server sent them (has_logprobs; nlp may still be 0). */
	double			*lp;
	size_t			 nlp, lpcap;
	int			 has_logprobs;
};

/* One wire format. */
struct wire_ops {
	const char	*path;		/* appended to the base URL */
	const char	*key_header;	/* "Authorization: Bearer " ... */
	const char	*const *headers;	/* constant extra headers,
						   NULL-terminated */
	/*
	 * Append the request body for model m and chat c to b.  Returns 0,
	 * or -1 when b cannot grow.
	 */
	int		(*request)(const struct model *m,
			    const struct wire_chat *c, struct buf *b);
	/*
	 * Read a whole (not streamed) 2xx body, len bytes, into r.  An
	 * error object in it sets r->error.  Returns 0, or -1 when the body
	 * is not a response (not JSON, no answer, text over r's cap).
	 */
	int		(*response)(const char *body, size_t len,
			    struct wire_reply *r);
	/*
	 * Take one stream event named event with data (len bytes) into r;
	 * new answer text, if any, is appended to r->text from offset
	 * *delta_from.  An error event sets r->error, the end marker
	 * r->finished.  Returns 0, or -1 for an event that is not valid or
	 * text over r's cap (errno EFBIG).
	 */
	int		(*event)(struct wire_reply *r, const char *event,
			    const char *data, size_t len, size_t *delta_from);
};

extern const struct wire_ops wire_openai;
extern const struct wire_ops wire_anthropic;

/* The operations of wire format w. */
const struct wire_ops	*wire_ops_of(enum wire w);

/*
 * Read an error body (len bytes) of either format into e: OpenAI's
 * {"error": {"message", "type", "code"}}, Anthropic's {"type": "error",
 * "error": {"type", "message"}}, or {"error": "text"}.  A body that is
 * not such JSON gives its first bytes as the message.  Every text is made
 * one printable line (control characters, C0, DEL and C1, and bytes that
 * are not UTF-8 become spaces), and every copy of secret (NULL: none) is
 * blanked from the whole of it before it is cut to its field; what a cut
 * leaves of one at the end is blanked too (wire_redact).  Never fails.
 */
void			 wire_error_parse(const char *body, size_t len,
			    const char *secret, struct wire_error *e);

/* How an answer ended, as results and the cost log name it. */
#define WIRE_FINISH_STOP	"stop"		/* whole */
#define WIRE_FINISH_LENGTH	"length"	/* cut at the token limit */
#define WIRE_FINISH_FILTER	"content_filter" /* withheld, refused */
#define WIRE_FINISH_TOOLS	"tool_calls"	/* asks for a tool */

/*
 * Put into out (len bytes, len > 0, NUL-terminated) the name of the
 * finish reason server (a reply's finish_reason, as the server said):
 * OpenAI's stop, length, content_filter and tool_calls (function_call
 * too) and their Anthropic counterparts end_turn and stop_sequence,
 * max_tokens and model_context_window_exceeded, refusal, tool_use become
 * the WIRE_FINISH_* names; any other value is kept, lower case, with
 * every byte but a letter, a digit or '-' made '_', cut to fit.  "" stays
 * "" (the server did not say).  Never fails.
 */
void			 wire_finish_reason(const char *server, char *out,
			    size_t len);

/*
 * Blank (with '*') every copy of secret in s, and a run of at least
 * WIRE_SECRET_MIN characters at the end of s that begins secret, as a
 * cut leaves one.  A secret that is NULL or shorter than WIRE_SECRET_MIN
 * leaves s alone.
 */
void			 wire_redact(char *s, const char *secret);

/*
 * Start r empty, with answer text capped at max bytes and no secret (set
 * r->secret after).  Free it with wire_reply_free.
 */
void			 wire_reply_init(struct wire_reply *r, size_t max);

/* Free what r holds. */
void			 wire_reply_free(struct wire_reply *r);

/*
 * The json-c helpers of the wire modules.  Objects returned are borrowed
 * from o unless said otherwise.
 */

/*
 * Parse exactly n bytes at s as one JSON object.  Returns it (the caller
 * puts it), or NULL when the text is not one whole JSON object.
 */
struct json_object	*wire_json_parse(const char *s, size_t n);

/* Member key of object o if it has json type t, else NULL; o may be NULL. */
struct json_object	*wire_json_member(struct json_object *o,
			    const char *key, int t);

/*
 * Set *out to the number member key of o (o may be NULL).  Returns 1, or
 * 0 with *out untouched when there is no such number.
 */
int			 wire_json_num(struct json_object *o, const char *key,
			    double *out);

/*
 * Append the string member key of o (o may be NULL), if it has one, to
 * r's answer text.  Returns 0, or -1 when the text would pass its cap.
 */
int			 wire_json_text(struct wire_reply *r,
			    struct json_object *o, const char *key);

/*
 * Take root, an error body or event already parsed, as r's error, as
 * wire_error_parse reads it (with r->secret), and set r->error.
 */
void			 wire_reply_error(struct wire_reply *r,
			    struct json_object *root);

/*
 * Whether every count of u is one a server can have meant: finite, not
 * negative, at most WIRE_TOKENS_MAX.  Usage that is not is not reported:
 * the caller estimates it instead.
 */
int			 wire_usage_sane(const struct usage *u);

/*
 * Take the token log-probabilities of content, an array of {"token",
 * "logprob", ...} objects as OpenAI sends them (NULL: none sent), into
 * r: each number "logprob" is appended, and r->has_logprobs set.  At
 * most one per byte of r's answer cap is kept.  Returns 0, or -1 when
 * memory runs out.
 */
int			 wire_reply_logprobs(struct wire_reply *r,
			    struct json_object *content);

#endif
