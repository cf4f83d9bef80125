/*
 * config_file.c: which configuration file a command reads; see
 * config_file.h.
 */
#include <stddef.h>
#include <sys/stat.h>

#include "route/config_file.h"

#include "base/banned.h"

const char *
config_file_named(const char *option, const char *global, const char *env)
{
	if (option != NULL)
		return option;
	if (global != NULL)
		return global;
	if (env != NULL && *env != '\0')
		return env;
	return NULL;
}

int
config_file_ignored(const char *path, int is_default)
{
	struct stat st;

	return is_default && stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size == 0;
}
