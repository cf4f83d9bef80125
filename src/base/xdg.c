/*
 * xdg.c: llmroute's default directories; see xdg.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cause.h"
#include "base/file.h"
#include "base/xdg.h"

#include "base/banned.h"

/* Each base: its variable, and where it is in the home directory. */
static const struct {
	const char	*variable;
	const char	*fallback;
} bases[] = {
	[XDG_CONFIG] = { "XDG_CONFIG_HOME", ".config" },
	[XDG_STATE] = { "XDG_STATE_HOME", ".local/state" }
};

const char *
xdg_variable(enum xdg_base base)
{
	return bases[base].variable;
}

/* llmroute's directory of base, or NULL: no place, or no memory. */
static char *
xdg_dir(enum xdg_base base, const char *value, const char *home)
{
	char	*d = NULL;

	if (value != NULL && *value == '/') {
		if (asprintf(&d, "%s/llmroute", value) == -1)
			return NULL;
	} else if (home != NULL && *home != '\0') {
		if (asprintf(&d, "%s/%s/llmroute", home,
		    bases[base].fallback) == -1)
			return NULL;
	}
	return d;
}

char *
xdg_file(enum xdg_base base, const char *value, const char *home,
    const char *name, int create, char **cause)
{
	char	*d, *p = NULL;

	if ((d = xdg_dir(base, value, home)) == NULL)
		return NULL;
	if (create && file_mkdirs(d, XDG_DIR_MODE) == -1) {
		cause_set(cause, "%s: %s", d, strerror(errno));
		free(d);
		return NULL;
	}
	if (asprintf(&p, "%s/%s", d, name) == -1)
		p = NULL;
	free(d);
	return p;
}
