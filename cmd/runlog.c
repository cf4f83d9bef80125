/*
 * runlog.c: where the cost log is and writing to it.  The log is --log,
 * else $LLMROUTE_LOG, else the configuration's "log", else log.jsonl in
 * the state directory.  Executed calls are logged unless --no-log; dry
 * runs only when --log names a file, so an estimate never lands in the
 * log of real spending by accident.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "front.h"
#include "runlog.h"

#include "base/banned.h"

/*
 * The default log: $LLMROUTE_LOG, else the configuration's "log", else
 * log.jsonl in the state directory (created when create is set).  Caller
 * frees; NULL when there is no place for it.
 */
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

/*
 * Decide where (and whether) this run logs, and open the log.  Returns 0
 * or an exit status after printing why.
 */
int
runlog_open(struct runlog *rl, const struct config *cfg, const char *path,
    int no_log, int dry_run)
{
	char		*def = NULL, *cause = NULL;

	rl->lf.fd = -1;
	buf_init(&rl->line, BUF_NOLIMIT);
	rl->prompts |= cfg->log_prompts;
	if (no_log || (dry_run && path == NULL))
		return 0;
	if (path == NULL) {
		if ((def = runlog_path(cfg, 1)) == NULL) {
			front_error("no place for the cost log: set "
			    "XDG_STATE_HOME or HOME, use --log FILE, or "
			    "--no-log");
			return LR_EXIT_LOG;
		}
		path = def;
	}
	if (logfile_open(&rl->lf, path, &cause) == -1) {
		front_error("%s", cause ? cause : "out of memory");
		free(cause);
		free(def);
		return LR_EXIT_LOG;
	}
	front_info("cost log: %s", path);
	free(def);
	rl->on = 1;
	return 0;
}

/*
 * Append record r (its time and tags are filled in here).  Returns 0, or
 * LR_EXIT_LOG after printing why; the run should then stop.
 */
int
runlog_write(struct runlog *rl, struct logrec *r)
{
	struct timespec	 ts;
	char		*cause = NULL;

	if (!rl->on)
		return 0;
	if (rl->failed)
		return LR_EXIT_LOG;
	clock_gettime(CLOCK_REALTIME, &ts);
	r->ts = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	r->tags = rl->tags;
	r->ntags = rl->ntags;
	r->log_prompt = rl->prompts;
	buf_reset(&rl->line);
	if (logrec_format(&rl->line, r) == -1) {
		front_error("out of memory");
		rl->failed = 1;
		return LR_EXIT_LOG;
	}
	if (logfile_append(&rl->lf, rl->line.data, rl->line.len,
	    &cause) == -1) {
		front_error("%s", cause ? cause : "cannot write the cost log");
		free(cause);
		rl->failed = 1;
		return LR_EXIT_LOG;
	}
	return 0;
}

void
runlog_close(struct runlog *rl)
{
	if (rl->lf.fd != -1)
		logfile_close(&rl->lf);
	buf_free(&rl->line);
	free(rl->tags);
	rl->tags = NULL;
	rl->ntags = 0;
}
