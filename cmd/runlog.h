/*
 * runlog.h: where the route command's cost log is, and its messages.  The
 * log itself, struct runlog, is the library's (log/logwrite.h).
 */
#ifndef LLMROUTE_CMD_RUNLOG_H
#define LLMROUTE_CMD_RUNLOG_H

#include "llmroute.h"

/*
 * Decide where (and whether) this run logs, and open the log: path is
 * --log (or NULL), no_log is --no-log, dry_run is -n.  The settings the
 * caller put in rl (prompts, tags) are kept; cfg's "log_prompts" is
 * added.  Returns 0, or LR_EXIT_LOG after printing why; either way
 * runlog_close() frees rl.
 */
int	runlog_open(struct runlog *rl, const struct config *cfg,
	    const char *path, int no_log, int dry_run);

/*
 * Append record r (its time and tags are filled in).  Returns 0, or
 * LR_EXIT_LOG (after printing why, the first time): the run should then
 * stop.
 */
int	runlog_write(struct runlog *rl, struct logrec *r);

/* Close the log and free what rl holds (logwrite_close()). */
void	runlog_close(struct runlog *rl);

/*
 * The default log: $LLMROUTE_LOG, else cfg's "log", else log.jsonl in
 * the state directory (created when create is set).  Returns a path the
 * caller frees, or NULL when there is no place for it.
 */
char	*runlog_path(const struct config *cfg, int create);

#endif
