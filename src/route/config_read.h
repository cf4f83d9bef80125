/*
 * config_read.h: reading a configuration file as strict JSON, for
 * config.c (config_load, config_write_tiers); not part of the route
 * stage's face, as it hands out json-c trees.
 */
#ifndef LLMROUTE_CONFIG_READ_H
#define LLMROUTE_CONFIG_READ_H

#include <json.h>

/* The largest configuration file read: 1 MiB. */
#define CONFIG_MAXBYTES	(1 << 20)

/*
 * Read the file at path, at most CONFIG_MAXBYTES, as one JSON value into
 * *root, which the caller frees with json_object_put.  A missing file
 * gives *root NULL and 0, or an error when must_exist.  The text must be
 * RFC 8259 JSON in UTF-8 with no NUL byte and no key given twice in one
 * object; the file must be a regular file (a FIFO is refused at once,
 * never waited on).  Returns 0, or -1 with *root NULL and *cause (caller
 * frees) naming the file: "FILE: No such file or directory", "FILE: Is a
 * directory", "FILE: not a regular file", "FILE: larger than 1 MiB", or
 * "FILE:LINE:COL: ..." for a syntax error, bytes after the value, bytes
 * that are not UTF-8 or "duplicate key 'PATH'" (PATH dotted as in the
 * loader's messages: "models.gpt-5.price.input", "tiers[1].name").
 */
int	config_read(const char *path, int must_exist, json_object **root,
	    char **cause);

#endif
