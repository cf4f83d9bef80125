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
 * strict JSON (no comments, trailing commas or single quotes) with no NUL
 * byte.  Returns 0, or -1 with *root NULL and *cause (caller frees)
 * naming the file: "FILE: No such file or directory", "FILE: larger than
 * 1 MiB", or "FILE:LINE:COL: ..." for a syntax error or bytes after the
 * value.
 */
int	config_read(const char *path, int must_exist, json_object **root,
	    char **cause);

#endif
