/*
 * config_file.h: which configuration file a command reads.  The front
 * reads the options and the environment; this decides among them.
 */
#ifndef LLMROUTE_CONFIG_FILE_H
#define LLMROUTE_CONFIG_FILE_H

/* The default file's name in llmroute's XDG configuration directory. */
#define CONFIG_FILE_NAME	"config.json"

/*
 * The configuration file named for a command: option (its --config)
 * when set, else global (-c before the command), else env (the value of
 * $LLMROUTE_CONFIG) when not empty.  NULL: none is named, and the
 * default, CONFIG_FILE_NAME in the XDG configuration directory, is read
 * if it exists.  Returns one of its arguments; never fails.
 */
const char	*config_file_named(const char *option, const char *global,
		    const char *env);

/*
 * Whether the file at path is passed over rather than read: it is the
 * default (is_default; a file the user named is always read) and a
 * regular file with nothing in it, as "llmroute config > FILE" leaves it
 * before the command reads it.
 */
int		 config_file_ignored(const char *path, int is_default);

#endif
