/*
 * front.c: messages, configuration lookup and the final flush that every
 * subcommand shares.  The library returns errors; this is where they are
 * printed and turned into exit statuses.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "front.h"

#include "base/banned.h"

int	front_verbose;
int	front_quiet;
int	front_stdout_errno;
int	front_stdin_closed;
int	front_sigpipe_default;
const char *front_config_path;

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

/*
 * --help of cmd on standard output: its usage and help text, and for the
 * default command the list of the others; returns the exit status.
 */
int
front_help(const struct command *cmd)
{
	const struct command *const *c;
	struct buf		    b = BUF_INIT;

	front_options_help(cmd->options, &b);
	printf("usage: %s\n\n%s\n%s", cmd->usage, cmd->help, b.data);
	buf_free(&b);
	if (cmd == &cmd_route_entry) {
		printf("\nCommands:\n");
		for (c = front_commands; *c != NULL; c++)
			if (*c != &cmd_route_entry)
				printf("  llmroute %-15s %s\n", (*c)->name,
				    (*c)->summary);
		printf("  llmroute %-15s %s\n", "help [COMMAND]",
		    "this help, or a command's");
		printf("\nSee llmroute(1).\n");
	}
	return front_finish(LR_EXIT_OK);
}

/*
 * Where to read more after a usage error: "try 'llmroute NAME --help'"
 * for the command whose usage line is usage ("llmroute NAME ...").
 */
static void
try_help(const char *usage)
{
	const char	*name = usage + strlen(FRONT_NAME " ");
	size_t		 n = strspn(name, "abcdefghijklmnopqrstuvwxyz");

	if (strncmp(usage, FRONT_NAME " ", strlen(FRONT_NAME " ")) != 0)
		n = 0;
	fprintf(stderr, "try '%s%s%.*s --help'\n", FRONT_NAME, n ? " " : "",
	    (int)n, name);
}

/* An option getopt refused (it said why): where to read more, status 2. */
int
front_bad_option(const char *usage)
{
	try_help(usage);
	return LR_EXIT_USAGE;
}

/* A usage error: why, then where to read more; returns the status. */
int
front_usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	try_help(usage);
	return LR_EXIT_USAGE;
}

/*
 * name in llmroute's directory of the XDG base directory base (xdg.h),
 * created private when create is set.  Caller frees; NULL when there is
 * no place, after a warning when the directory could not be made.
 */
static char *
xdg_file_env(enum xdg_base base, const char *name, int create)
{
	char	*cause = NULL, *p;

	p = xdg_file(base, getenv(xdg_variable(base)), getenv("HOME"), name,
	    create, &cause);
	if (cause != NULL)
		front_warn("%s", cause);
	free(cause);
	return p;
}

/* The default configuration file, ~/.config/llmroute/config.json. */
char *
front_config_default(int create)
{
	return xdg_file_env(XDG_CONFIG, CONFIG_FILE_NAME, create);
}

/*
 * The configuration file: path (--config), else $LLMROUTE_CONFIG, else the
 * XDG default, whose name is allocated into *def for the caller to free
 * (its directory created when create is set).  NULL when there is none.
 */
const char *
front_config_file(const char *path, int create, char **def)
{
	*def = NULL;
	if ((path = config_file_named(path, front_config_path,
	    getenv("LLMROUTE_CONFIG"))) != NULL)
		return path;
	return *def = front_config_default(create);
}

/*
 * Build the effective configuration: the built-ins, then the file that
 * front_config_file() names, if it exists when it is the XDG default.
 * Returns 0 or an exit status after printing why.
 */
int
front_load_config(struct config *cfg, const char *path)
{
	char *cause = NULL, *def = NULL;

	if (config_init(cfg, &cause) == -1) {
		front_error("%s", cause);
		free(cause);
		return LR_EXIT_FAIL;
	}
	if ((path = front_config_file(path, 0, &def)) != NULL &&
	    config_file_ignored(path, def != NULL)) {
		/* "llmroute config > FILE" makes it empty before we read. */
		front_warn("%s is empty: ignored (llmroute config --write saves "
		    ""
		    "the configuration)", path);
		path = NULL;
	}
	/* The default file need not exist; a named one must. */
	if (path != NULL && config_load(cfg, path, def == NULL, &cause) == -1)
		goto bad;
	if (cfg->path != NULL)
		front_info("config: %s", cfg->path);
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
 * The scorer to route with: path (--scorer-model: a built-in name or a
 * scorer file), else the configuration's.  A file is loaded into *mf
 * (zeroed by the caller, who frees it with scorer_file_free), and *sc
 * points into it.  Returns 0, or LR_EXIT_USAGE after printing why
 * prefixed by what.
 */
int
front_scorer(const struct config *cfg, const char *path, const char *what,
    struct scorer_file *mf, const struct scorer **sc)
{
	char *cause = NULL;

	if ((*sc = scorer_choose(path ? path : config_scorer(cfg), mf,
	    &cause)) == NULL) {
		front_error("%s: %s", what, cause ? cause : "out of memory");
		free(cause);
		return LR_EXIT_USAGE;
	}
	return 0;
}

/*
 * Warn once when the bounds of cfg were calibrated for another scorer
 * than name, the one routing uses: the shares they were chosen for do not
 * hold for it.
 */
void
front_check_bounds(const struct config *cfg, const char *name)
{
	char	*id;
	int	 is_file;

	if (cfg->bounds_for == NULL || (id = scorer_id(name,
	    &is_file)) == NULL)
		return;
	if (!config_bounds_fit(cfg, id))
		front_warn("the tier bounds of %s were calibrated for the "
		    "scorer %s, not %s; run 'llmroute calibrate "
		    "--scorer-model %s ... --write' for this one",
		    cfg->path ? cfg->path : "the configuration",
		    cfg->bounds_for, id, id);
	free(id);
}

/*
 * Replace the file at path with the bytes of b (file_replace); the new
 * file has the given mode, or with -1 that of any new file.  Returns 0,
 * or -1 after printing why.
 */
int
front_replace_file(const char *path, const struct buf *b, int mode)
{
	char *cause = NULL;

	if (file_replace(path, b->data, b->len, mode, &cause) == -1) {
		front_error("%s", cause ? cause : "out of memory");
		free(cause);
		return -1;
	}
	return 0;
}

/*
 * Flush and close standard output, turning a failed write (disk full,
 * closed pipe) into a failure status; a closed pipe fails quietly, and
 * when SIGPIPE was set aside for a run of calls, by SIGPIPE, so that the
 * caller sees what a dry run would show it (141 in a shell).  Returns
 * the status to exit with: status itself when all went well.
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
	else if (front_sigpipe_default) {
		/* Everything is logged and closed: end as the dry run would. */
		signal(SIGPIPE, SIG_DFL);
		raise(SIGPIPE);
	}
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
	return xdg_file_env(XDG_STATE, name, create);
}

/*
 * The default cost log: $LLMROUTE_LOG, else the configuration's "log",
 * else log.jsonl in the state directory (created when create is set).
 * Caller frees; NULL when there is no place for it.
 */
char *
front_log_path(const struct config *cfg, int create)
{
	const char *path = logwrite_default(getenv("LLMROUTE_LOG"), cfg->log);

	return path != NULL ? strdup(path) :
	    front_state_file(FRONT_LOG_FILE, create);
}

/*
 * Open the cost log of a run into lw (its tags and prompts set by the
 * caller): path (--log), else the default; none with --no-log, nor for
 * a dry run without --log, so that an estimate never lands in the log of
 * real spending by accident.  Returns 0 or an exit status after saying
 * why.
 */
int
front_log_open(struct logwrite *lw, const struct config *cfg,
    const char *path, int no_log, int dry_run)
{
	char	*def = NULL, *cause = NULL;
	int	 st = 0;

	logwrite_init(lw);
	lw->prompts |= cfg->log_prompts;
	if (no_log || (dry_run && path == NULL))
		return 0;
	if (path == NULL && (path = def = front_log_path(cfg, 1)) == NULL) {
		front_error("no place for the cost log: set XDG_STATE_HOME or "
		    "HOME, use --log FILE, or --no-log");
		return LR_EXIT_LOG;
	}
	if (logwrite_open(lw, path, &cause) == -1) {
		front_error("%s", cause ? cause : "out of memory");
		st = LR_EXIT_LOG;
	} else
		front_info("cost log: %s", path);
	free(cause);
	free(def);
	return st;
}
