/*
 * config_read.c: a configuration file read as strict JSON into a json-c
 * tree, with the line and column of a syntax error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/cause.h"
#include "route/config_read.h"

#include "base/banned.h"

/* Line and column (from 1) of byte offset off in s. */
static void
line_col(const char *s, size_t off, size_t *line, size_t *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (s[i] == '\n') {
			(*line)++;
			*col = 1;
		} else
			(*col)++;
	}
}

/*
 * Parse the len bytes at text (NUL-terminated) as the strict JSON of the
 * file: syntax errors and trailing bytes as "FILE:LINE:COL: ...".
 * Returns the tree (caller puts it), or NULL with *cause.
 */
static json_object *
parse_text(const char *file, const char *text, size_t len, char **cause)
{
	struct json_tokener	*tok;
	json_object		*root;
	enum json_tokener_error	 jerr;
	size_t			 line, col, end;

	if ((tok = json_tokener_new()) == NULL) {
		cause_set(cause, "out of memory");
		return NULL;
	}
	/* Plain JSON: no comments, trailing commas or single quotes. */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tok, text, (int)len + 1);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (jerr != json_tokener_success || root == NULL) {
		line_col(text, end > len ? len : end, &line, &col);
		cause_set(cause, "%s:%zu:%zu: %s", file, line, col,
		    len == 0 ? "empty file" : json_tokener_error_desc(jerr));
	} else if (end < len + 1 && strspn(text + end, " \t\r\n") !=
	    len - end) {
		line_col(text, end, &line, &col);
		cause_set(cause, "%s:%zu:%zu: trailing characters after the "
		    "JSON object", file, line, col);
	} else if (strlen(text) != len)
		cause_set(cause, "%s: contains a NUL byte", file);
	else
		return root;
	json_object_put(root);
	return NULL;
}

int
config_read(const char *path, int must_exist, json_object **root,
    char **cause)
{
	struct buf	b;
	int		fd;

	*root = NULL;
	buf_init(&b, CONFIG_MAXBYTES);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT && !must_exist)
			return 0;
		return cause_set(cause, "%s: %s", path, strerror(errno));
	}
	if (buf_read_fd(&b, fd) == -1) {
		cause_set(cause, "%s: %s", path, errno == EFBIG ?
		    "larger than 1 MiB" : strerror(errno));
		close(fd);
		buf_free(&b);
		return -1;
	}
	close(fd);
	*root = parse_text(path, b.data, b.len, cause);
	buf_free(&b);
	return *root == NULL ? -1 : 0;
}
