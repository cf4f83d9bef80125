/*
 * front.h: what the subcommands of the command-line front share.
 */
#ifndef LLMROUTE_CMD_FRONT_H
#define LLMROUTE_CMD_FRONT_H

#include <stddef.h>
#include <stdio.h>

#include "llmroute.h"

#define FRONT_NAME	"llmroute"	/* what messages call the program */
#define FRONT_LOG_FILE	"log.jsonl"	/* the cost log, in the state dir */

/* Exit statuses, documented in llmroute(1). */
#define LR_EXIT_OK		0
#define LR_EXIT_FAIL		1	/* runtime failure: I/O, memory */
#define LR_EXIT_USAGE		2	/* bad usage or configuration */
#define LR_EXIT_INPUT		3	/* a prompt could not be used */
#define LR_EXIT_PROVIDER	4	/* every model failed */
#define LR_EXIT_CUTOFF		5	/* the answer was cut off */
#define LR_EXIT_SOME		6	/* some inputs of a batch failed */
#define LR_EXIT_LOG		7	/* the cost log could not be written */
#define LR_EXIT_INT		130	/* interrupted by SIGINT */
#define LR_EXIT_TERM		143	/* stopped by SIGTERM */

/*
 * A subcommand: what "llmroute --help", "llmroute help NAME" and "did you
 * mean" say of it, and the function that runs it with its own argv
 * (argv[0] is its name).  Each cmd/NAME.c defines cmd_NAME_entry.
 */
struct command {
	const char	*name;
	const char	*summary;	/* one line, for the list of commands */
	const char	*usage;		/* printed after "usage: " */
	const char	*help;		/* what it does, before its options */
	const struct fopt *options;	/* its options, for --help too */
	int		(*run)(int argc, char **argv);
};

/* Every subcommand, route first; NULL-terminated (main.c). */
extern const struct command *const front_commands[];

extern const struct command cmd_route_entry;
extern const struct command cmd_models_entry;
extern const struct command cmd_config_entry;
extern const struct command cmd_report_entry;
extern const struct command cmd_eval_entry;
extern const struct command cmd_train_entry;
extern const struct command cmd_feedback_entry;
extern const struct command cmd_calibrate_entry;

/* How an option of a command's table is taken (options.c). */
enum fopt_kind {
	FOPT_FLAG,		/* an int set to 1 */
	FOPT_CLEAR,		/* an int set to 0 */
	FOPT_STRING,		/* a const char * set to the argument */
	FOPT_DOUBLE,		/* a number in [min, max] */
	FOPT_INT,		/* a whole number in [min, max], as int */
	FOPT_LONG,		/* the same, as long */
	FOPT_CHOICE,		/* an int: the index of one of choices */
	FOPT_OWN,		/* handed to the command's own function */
	FOPT_QUIET,		/* -q */
	FOPT_VERBOSE,		/* -v */
	FOPT_HELP,		/* -h: the command's help, exit 0 */
	FOPT_VERSION		/* -V */
};

#define FOPT_LONG_ONLY	256	/* option codes from here have no letter */

/*
 * One option of a command: its long name, its letter (or a code from
 * FOPT_LONG_ONLY up), how it is taken, and where its value goes: off is
 * the offsetof of the field in the command's struct of arguments, has
 * names an int set to 1 when a number was given (FOPT_HAS; 0: none).
 * Numbers outside [min, max] are refused, naming the bounds.  An
 * FOPT_OWN option takes an argument when it names one (arg).  Tables
 * end with an entry whose name is NULL.
 */
struct fopt {
	const char	*name;
	int		 ch;
	enum fopt_kind	 kind;
	size_t		 off;
	size_t		 has;
	double		 min, max;
	const char *const *choices;	/* FOPT_CHOICE: NULL-terminated */
	const char	*arg;		/* its argument's name; NULL: none */
	const char	*help;		/* for --help; "\n" starts a line */
};

/*
 * Rows of an option table, as git's parse-options writes them: the
 * option's letter (or a code from FOPT_LONG_ONLY), its long name, the
 * field of FOPT_ARGS (which each command defines as the struct of its
 * arguments) that takes its value, what the kind needs, and for --help
 * its argument's name (a) and what it does (h).
 */
#define FOPT_AT(f)	(offsetof(FOPT_ARGS, f))
#define OPT_FLAG(c, n, f, h)	{ .name = (n), .ch = (c), \
	.kind = FOPT_FLAG, .off = FOPT_AT(f), .help = (h) }
#define OPT_CLEAR(c, n, f, h)	{ .name = (n), .ch = (c), \
	.kind = FOPT_CLEAR, .off = FOPT_AT(f), .help = (h) }
#define OPT_STRING(c, n, f, a, h)	{ .name = (n), .ch = (c), \
	.kind = FOPT_STRING, .off = FOPT_AT(f), .arg = (a), .help = (h) }
#define OPT_NUMBER(k, c, n, f, s, lo, hi, a, h)	{ .name = (n), \
	.ch = (c), .kind = (k), .off = FOPT_AT(f), .has = (s), .min = (lo), \
	.max = (hi), .arg = (a), .help = (h) }
#define OPT_DOUBLE(c, n, f, lo, hi, a, h) \
	OPT_NUMBER(FOPT_DOUBLE, c, n, f, 0, lo, hi, a, h)
#define OPT_DOUBLE_SET(c, n, f, set, lo, hi, a, h) \
	OPT_NUMBER(FOPT_DOUBLE, c, n, f, FOPT_AT(set) + 1, lo, hi, a, h)
#define OPT_INT(c, n, f, lo, hi, a, h) \
	OPT_NUMBER(FOPT_INT, c, n, f, 0, lo, hi, a, h)
#define OPT_LONG(c, n, f, lo, hi, a, h) \
	OPT_NUMBER(FOPT_LONG, c, n, f, 0, lo, hi, a, h)
#define OPT_CHOICE(c, n, f, list, a, h)	{ .name = (n), .ch = (c), \
	.kind = FOPT_CHOICE, .off = FOPT_AT(f), .choices = (list), \
	.arg = (a), .help = (h) }
#define OPT_OWN(c, n, a, h)	{ .name = (n), .ch = (c), .kind = FOPT_OWN, \
	.arg = (a), .help = (h) }
#define OPT_QUIET(h)	{ .name = "quiet", .ch = 'q', .kind = FOPT_QUIET, \
	.help = (h) }
#define OPT_VERBOSE(h)	{ .name = "verbose", .ch = 'v', \
	.kind = FOPT_VERBOSE, .help = (h) }
#define OPT_HELP	{ .name = "help", .ch = 'h', .kind = FOPT_HELP, \
	.help = "this help" }
#define OPT_VERSION	{ .name = "version", .ch = 'V', .kind = FOPT_VERSION, \
	.help = "the version" }
#define OPT_END		{ .name = NULL }

/* -f table|json, as most commands take it (FOPT_CHOICE). */
enum { FRONT_TABLE, FRONT_JSON };
extern const char *const front_table_json[];

/*
 * Parse the options of argv by cmd's table into the arguments at base;
 * FOPT_OWN ones go to own(base, ch), which returns 0 or an exit status.
 * Returns 0 with optind at the first operand, or the exit status of a
 * refused option; --help and --version print, set *done and return the
 * status to exit with.
 */
int	front_getopt(const struct command *cmd, void *base,
	    int (*own)(void *base, int ch), int argc, char **argv, int *done);

/*
 * Append the "Options:" list of the table t to b, for --help: a line per
 * option, its help text in a column.  Returns 0 or -1 (memory).
 */
int	front_options_help(const struct fopt *t, struct buf *b);

/* Options given before the subcommand (llmroute -c FILE report). */
extern const char *front_config_path;

extern int	front_verbose;
extern int	front_quiet;
extern int	front_stdout_errno;	/* a write to stdout failed */
extern int	front_stdin_closed;	/* the caller closed stdin */
extern int	front_sigpipe_default;	/* SIGPIPE ignored for calls only */

void	front_error(const char *, ...) __attribute__((format(printf, 1, 2)));
void	front_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	front_info(const char *, ...) __attribute__((format(printf, 1, 2)));
int	front_usage_error(const char *usage, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	front_help(const struct command *cmd);
int	front_bad_option(const char *usage);
int	front_load_config(struct config *, const char *path);
const char *front_config_file(const char *path, int create, char **def);
int	front_scorer(const struct config *, const char *path, const char *what,
	    struct scorer_file *, const struct scorer **);
int	front_replace_file(const char *path, const struct buf *, int mode);
int	front_finish(int status);
int	front_color(FILE *);
int	front_version(void);
char	*front_state_file(const char *, int create);
char	*front_config_default(int create);
char	*front_log_path(const struct config *cfg, int create);
int	front_log_open(struct logwrite *lw, const struct config *cfg,
	    const char *path, int no_log, int dry_run);


#endif
