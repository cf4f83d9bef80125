/*
 * input.h: prompts read from whole files or from JSON Lines records.
 */
#ifndef LLMROUTE_INPUT_H
#define LLMROUTE_INPUT_H

#include <stddef.h>

#include "base/buf.h"
#include "base/jscan.h"
#include "base/lines.h"

struct message {
	char	*role;
	char	*content;
};

/*
 * One prompt.  Every string is valid UTF-8 (ill-formed bytes were replaced
 * by U+FFFD, counted in nbad) and holds no NUL byte.
 */
struct prompt {
	char		*id;		/* JSON text of the id to echo */
	char		*name;		/* the id as plain text, for messages */
	char		*text;		/* the text scored */
	size_t		 len;
	struct message	*msgs;		/* the conversation to send */
	size_t		 nmsgs;
	size_t		 nbad;
	size_t		 lineno;	/* JSON Lines line, or 0 */
	/* Per-record overrides from JSON Lines; NULL or 0 when absent. */
	char		*system;
	long		 max_tokens;
	char		*model;
	char		**tags;
	size_t		 ntags;
};

enum input_status {
	INPUT_OK = 1,
	INPUT_EOF = 0,
	INPUT_BAD = -1,		/* this prompt is unusable; go on */
	INPUT_FATAL = -2	/* reading failed; stop */
};

/* A JSON Lines reader over a file descriptor. */
struct jsonl {
	struct lines	 lines;
	char		*name;
	size_t		 max;		/* longest line accepted */
	struct buf	 key;		/* scratch: member names */
	struct buf	 bad_id;	/* INPUT_BAD: the line's id, as JSON */
};

int	input_whole(int fd, const char *name, size_t max, struct prompt *,
	    char **cause);
int	input_jsonl_open(struct jsonl *, int fd, const char *name,
	    size_t max);
/*
 * Read the next record of r into p.  Blank lines are skipped.  Returns
 * INPUT_OK (p is the caller's to prompt_free), INPUT_EOF, INPUT_BAD (the
 * line is unusable: *cause says why with file and line; r->bad_id holds
 * the JSON text of its id, or its line number when it has none that can
 * be read; reading may go on), or INPUT_FATAL (a read error, or a line
 * that runs past INPUT_SKIP_FACTOR times r's prompt limit without ending,
 * in *cause; reading stops).
 */
int	input_jsonl_next(struct jsonl *r, struct prompt *p, char **cause);
int	input_jsonl_parse(const char *line, size_t len, size_t lineno,
	    struct prompt *, char **cause);
void	input_jsonl_close(struct jsonl *);
void	prompt_free(struct prompt *);
int	input_parse_id(struct jscan *js, struct buf *name, struct buf *json);

#endif
