/*
 * front.h: what the subcommands of the command-line front share.
 */
#ifndef LLMROUTE_CMD_FRONT_H
#define LLMROUTE_CMD_FRONT_H

#include <stddef.h>
#include <stdio.h>

#include "llmroute.h"

#define FRONT_NAME	"llmroute"	/* what messages call the program */
#define FRONT_LOG_FILE	LOGWRITE_FILE_NAME	/* in the state directory */
#define FRONT_COOLDOWN_FILE "cooldown.jsonl" /* the cooldowns, there too */
#define FRONT_LOGPROBS_FILE "logprobs.jsonl" /* models without logprobs */

/* Exit statuses, documented in llmroute(1). */
#define LR_EXIT_OK		0
#define LR_EXIT_FAIL		1	/* runtime failure: I/O, memory */
#define LR_EXIT_USAGE		2	/* bad usage or configuration */
#define LR_EXIT_INPUT		3	/* a prompt could not be used */
#define LR_EXIT_PROVIDER	4	/* every model failed */
#define LR_EXIT_CUTOFF		5	/* the answer was cut off */
#define LR_EXIT_SOME		6	/* some inputs of a batch failed */
#define LR_EXIT_LOG		7	/* the cost log could not be written */
#define LR_EXIT_AUTH		8	/* a provider refused its API key */
#define LR_EXIT_PENDING		9	/* batch collect --wait: not done */
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
extern const struct command cmd_cooldown_entry;
extern const struct command cmd_batch_entry;

/*
 * The option tables (struct fopt, the OPT_* rows) are the library's
 * (base/opts.h); -f table|json is opts_table_json under its front name.
 */
enum { FRONT_TABLE = OPTS_TABLE, FRONT_JSON = OPTS_JSON };
#define front_table_json	opts_table_json

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

/*
 * --tag NAME, which may be given many times: arg (borrowed from argv)
 * added to *tags.  Returns 0 or an exit status after saying why (an
 * empty name, with usage).
 */
int	front_tag_option(char ***tags, size_t *ntags, const char *arg,
	    const char *usage);

/*
 * --max-prompt-bytes arg (NULL: not given, *max left alone) into *max.
 * Returns 0 or the usage error's exit status.
 */
int	front_max_prompt_bytes(const char *arg, size_t *max,
	    const char *usage);

/*
 * --system-file path: its text, at most max bytes, into *out (caller
 * frees).  Returns 0 or an exit status after saying why.
 */
int	front_read_system(const char *path, size_t max, char **out);

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
void	front_check_bounds(const struct config *cfg, const char *name);
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
