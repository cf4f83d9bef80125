/*
 * front.c: messages, configuration lookup and the final flush that every
 * subcommand shares.  The library returns errors; this is where they are
 * printed and turned into exit statuses.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "front.h"

int	front_verbose;
int	front_quiet;
int	front_stdout_errno;
int	front_stdin_closed;

static void
vmsg(const char *fmt, va_list ap)
{
	fprintf(stderr, "llmroute: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* An error: always printed. */
void
front_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

/* A warning: silenced by -q. */
void
front_warn(const char *fmt, ...)
{
	va_list ap;

	if (front_quiet)
		return;
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

/* Progress detail: only with -v. */
void
front_info(const char *fmt, ...)
{
	va_list ap;

	if (!front_verbose || front_quiet)
		return;
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

/* --help: the usage line and the help text on stdout; the exit status. */
int
front_help(const char *usage, const char *help)
{
	printf("usage: %s\n\n%s", usage, help);
	return front_finish(LR_EXIT_OK);
}

/* An option getopt refused (it said why): the usage line, status 2. */
int
front_bad_option(const char *usage)
{
	fprintf(stderr, "usage: %s\n", usage);
	return LR_EXIT_USAGE;
}

/* Report a usage error with the command's usage line; returns the status. */
int
front_usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	fprintf(stderr, "usage: %s\n", usage);
	return LR_EXIT_USAGE;
}

/* mkdir -p with mode 0700 for each created component. */
static int
mkdirs(const char *path)
{
	char	*p, *s;
	int	 r = 0;

	if ((s = strdup(path)) == NULL)
		return -1;
	for (p = s + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(s, 0700) == -1 && errno != EEXIST)
			r = -1;
		*p = '/';
	}
	if (mkdir(s, 0700) == -1 && errno != EEXIST)
		r = -1;
	free(s);
	return r;
}

/*
 * name in llmroute's directory under the XDG base directory $var, or under
 * ~/fallback when $var is not an absolute path; the directory is created
 * private when create is set.  Caller frees; NULL when there is no place.
 */
static char *
xdg_file(const char *var, const char *fallback, const char *name,
    int create)
{
	const char	*x = getenv(var), *home = getenv("HOME");
	char		*d = NULL, *p = NULL;

	if (x != NULL && *x == '/') {
		if (asprintf(&d, "%s/llmroute", x) == -1)
			return NULL;
	} else if (home != NULL && *home != '\0') {
		if (asprintf(&d, "%s/%s/llmroute", home, fallback) == -1)
			return NULL;
	} else
		return NULL;
	if (create && mkdirs(d) == -1) {
		front_warn("%s: %s", d, strerror(errno));
		free(d);
		return NULL;
	}
	if (asprintf(&p, "%s/%s", d, name) == -1)
		p = NULL;
	free(d);
	return p;
}

/* The default configuration file, ~/.config/llmroute/config.json. */
char *
front_config_default(int create)
{
	return xdg_file("XDG_CONFIG_HOME", ".config", "config.json", create);
}

/*
 * Build the effective configuration: the built-ins, then the file named by
 * path (--config), else $LLMROUTE_CONFIG, else the XDG default if it exists.
 * Returns 0 or an exit status after printing why.
 */
int
front_load_config(struct config *cfg, const char *path)
{
	const char	*env;
	char		*cause = NULL, *def = NULL;
	int		 must = 1;

	if (config_init(cfg, &cause) == -1) {
		front_error("%s", cause);
		free(cause);
		return LR_EXIT_FAIL;
	}
	if (path == NULL && (env = getenv("LLMROUTE_CONFIG")) != NULL &&
	    *env != '\0')
		path = env;
	if (path == NULL) {
		must = 0;	/* the default file need not exist */
		path = def = front_config_default(0);
	}
	if (path != NULL) {
		front_info("config: %s", path);
		if (config_load(cfg, path, must, &cause) == -1)
			goto bad;
	}
	if (config_check(cfg, &cause) == -1)
		goto bad;
	if (cfg->file_has_key && cfg->file_is_open)
		front_warn("%s holds an API key but others can read it "
		    "(chmod 600 it)", cfg->path);
	free(def);
	return 0;
bad:
	front_error("%s", cause ? cause : "out of memory");
	free(cause);
	free(def);
	config_free(cfg);
	return LR_EXIT_USAGE;
}

/*
 * Flush and close standard output, turning a failed write (disk full,
 * closed pipe) into a failure status; a closed pipe fails quietly.
 * Returns the status to exit with: status itself when all went well.
 */
int
front_finish(int status)
{
	int bad = 0;

	errno = 0;
	if (fflush(stdout) == EOF)
		bad = errno ? errno : EIO;
	else if (ferror(stdout) || front_stdout_errno == EBADF)
		bad = front_stdout_errno ? front_stdout_errno : EIO;
	if (fclose(stdout) == EOF && bad == 0)
		bad = errno ? errno : EIO;
	if (bad == 0)
		return status;
	if (bad == EBADF) {
		front_error("write error on standard output: it is closed");
		return status == LR_EXIT_OK ? LR_EXIT_FAIL : status;
	}
	if (bad != EPIPE)
		front_error("write error on standard output: %s",
		    strerror(bad));
	return status == LR_EXIT_OK ? LR_EXIT_FAIL : status;
}

/* Whether to colour output on f: a terminal, and NO_COLOR unset. */
int
front_color(FILE *f)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (nc != NULL && *nc != '\0')
		return 0;
	if (term != NULL && strcmp(term, "dumb") == 0)
		return 0;
	return isatty(fileno(f));
}

/* Print the version (--version). */
int
front_version(void)
{
	printf("llmroute %s (prices of %s)\n", LLMROUTE_VERSION, catalog_date);
	return front_finish(LR_EXIT_OK);
}


/*
 * The file name in the directory of state shared across runs,
 * ~/.local/state/llmroute by default.
 */
char *
front_state_file(const char *name, int create)
{
	return xdg_file("XDG_STATE_HOME", ".local/state", name, create);
}
