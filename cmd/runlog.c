/*
 * runlog.c: where the cost log is.  The log is --log, else $LLMROUTE_LOG,
 * else the configuration's "log", else log.jsonl in the state directory.
 * Executed calls are logged unless --no-log; dry runs only when --log
 * names a file, so an estimate never lands in the log of real spending
 * by accident.
 */
#include <stdlib.h>
#include <string.h>

#include "front.h"
#include "runlog.h"

#include "base/banned.h"

char *
runlog_path(const struct config *cfg, int create)
{
	const char *env = getenv("LLMROUTE_LOG");

	if (env != NULL && *env != '\0')
		return strdup(env);
	if (cfg->log != NULL)
		return strdup(cfg->log);
	return front_state_file("log.jsonl", create);
}

int
runlog_open(struct runlog *rl, const struct config *cfg, const char *path,
    int no_log, int dry_run)
{
	char	*def = NULL, *cause = NULL;
	int	 st = 0;

	logwrite_init(rl);
	rl->prompts |= cfg->log_prompts;
	if (no_log || (dry_run && path == NULL))
		return 0;
	if (path == NULL && (path = def = runlog_path(cfg, 1)) == NULL) {
		front_error("no place for the cost log: set XDG_STATE_HOME or "
		    "HOME, use --log FILE, or --no-log");
		return LR_EXIT_LOG;
	}
	if (logwrite_open(rl, path, &cause) == -1) {
		front_error("%s", cause ? cause : "out of memory");
		st = LR_EXIT_LOG;
	} else
		front_info("cost log: %s", path);
	free(cause);
	free(def);
	return st;
}

int
runlog_write(struct runlog *rl, struct logrec *r)
{
	char *cause = NULL;

	if (logwrite_record(rl, r, &cause) == 0)
		return 0;
	if (cause != NULL)
		front_error("%s", cause);
	free(cause);
	return LR_EXIT_LOG;
}

void
runlog_close(struct runlog *rl)
{
	logwrite_close(rl);
}
