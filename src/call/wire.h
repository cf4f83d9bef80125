/*
 * provider.h: the two wire formats llmroute speaks, behind one table of
 * operations: OpenAI Chat Completions (and every compatible server) and
 * Anthropic Messages.
 */
#ifndef LLMROUTE_WIRE_H
#define LLMROUTE_WIRE_H

#include <stddef.h>

#include "base/buf.h"
#include "route/config.h"
#include "route/cost.h"
#include "input/input.h"

/* What to send. */
struct chat {
	const struct message	*msgs;
	size_t			 nmsgs;
	const char		*system;	/* NULL: none */
	long			 max_tokens;	/* 0: the model's default */
	int			 has_temperature;
	double			 temperature;
	int			 stream;
};

struct wire_error {
	char	type[64];
	char	code[64];
	char	message[512];
};

/* What a response, or a stream so far, yielded. */
struct reply {
	struct buf		text;
	struct usage		usage;
	struct wire_error	err;
	int			error;		/* an error object arrived */
	int			finished;	/* the stream's end marker */
	char			finish_reason[32];
};

struct wire_ops {
	const char	*path;		/* appended to the base URL */
	const char	*key_header;	/* "Authorization: Bearer " ... */
	const char	*const *headers;	/* constant extra headers */
	int		(*request)(const struct model *, const struct chat *,
			    struct buf *);
	int		(*response)(const char *, size_t, struct reply *);
	int		(*event)(struct reply *, const char *event,
			    const char *data, size_t, size_t *delta_from);
};

#define WIRE_DEFAULT_MAX_TOKENS	4096

extern const struct wire_ops wire_openai;
extern const struct wire_ops wire_anthropic;

const struct wire_ops	*wire_ops_of(enum wire);
void				 wire_error_parse(const char *, size_t,
				    struct wire_error *);
void				 wire_reply_init(struct reply *, size_t max);
void				 wire_reply_free(struct reply *);

/* json-c helpers for the wire modules. */
struct json_object		*wire_json_parse(const char *, size_t);
struct json_object		*wire_json_member(struct json_object *,
				    const char *, int type);
int				 wire_json_num(struct json_object *,
				    const char *, double *);
int				 wire_json_text(struct reply *,
				    struct json_object *, const char *);
void				 wire_reply_error(struct reply *,
				    struct json_object *);

#endif
