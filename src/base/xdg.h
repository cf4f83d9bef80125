/*
 * xdg.h: where llmroute keeps its files by default, after the XDG Base
 * Directory specification: a directory "llmroute" under the base
 * directory the environment names, or under a fixed place in the home
 * directory.  The caller reads the environment; this only decides.
 */
#ifndef LLMROUTE_XDG_H
#define LLMROUTE_XDG_H

/* The base directories llmroute uses. */
enum xdg_base {
	XDG_CONFIG,	/* $XDG_CONFIG_HOME, else ~/.config */
	XDG_STATE	/* $XDG_STATE_HOME, else ~/.local/state */
};

#define XDG_DIR_MODE	0700	/* llmroute's own directories: private */

/* The environment variable that names base ("XDG_CONFIG_HOME"). */
const char	*xdg_variable(enum xdg_base base);

/*
 * The file name in llmroute's directory of base: VALUE/llmroute/name
 * when value (that of xdg_variable(base), or NULL) is an absolute path,
 * else HOME/.config/llmroute/name (or .local/state) when home is not
 * empty.  With create, the directory and its parents are made, private
 * (XDG_DIR_MODE).  Returns the path, which the caller frees, or NULL:
 * with *cause ("DIR: Permission denied", caller frees) when the
 * directory could not be made, and with *cause left alone when there is
 * no place for it (no absolute value, no home) or memory ran out.
 */
char	*xdg_file(enum xdg_base base, const char *value, const char *home,
	    const char *name, int create, char **cause);

#endif
