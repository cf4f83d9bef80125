/*
 * logscan.h: a whole cost log read into a report, as "llmroute report"
 * reads each log it is given.
 *
 * Lines follow the one rule of lines.h; blank ones are skipped.  A line
 * that is not a record (logread_parse() says why) or is longer than
 * LOGSCAN_MAXLINE is damaged: it is counted in the report's lines and
 * damaged and skipped, or, when strict, it ends the reading.  A large
 * regular file is read in two halves at once, one thread each, into
 * reports of their own that are then merged; damaged lines are still
 * told by their line in the whole file.
 */
#ifndef LLMROUTE_LOGSCAN_H
#define LLMROUTE_LOGSCAN_H

#include <stddef.h>
#include <sys/types.h>

#include "log/report.h"

#define LOGSCAN_SHOW	5			/* damaged lines told */
#define LOGSCAN_MAXLINE	((64u << 20) - 1)	/* longer: "line too long" */
#define LOGSCAN_SPLIT	((off_t)64 << 20)	/* larger: read in two */

enum logscan_status {
	LOGSCAN_OK,
	LOGSCAN_DAMAGED,	/* strict: a damaged line ended the reading */
	LOGSCAN_NOMEM,		/* memory ran out */
	LOGSCAN_READ		/* reading the log failed */
};

/* One damaged line. */
struct logscan_damage {
	unsigned long long	 line;		/* in the log, from 1 */
	const char		*why;		/* static text */
};

/* What reading one log found wrong, for the caller to tell. */
struct logscan {
	struct logscan_damage	 bad[LOGSCAN_SHOW];
	size_t			 nbad;
};

/*
 * Read the log open on fd (name is for messages) into rep.  proto holds
 * rep's settings as they were before report_start() (--by, filters,
 * what-if); each half of the log is summed in a report set up from it and
 * merged into rep when it was read whole.  fd is read from where it is
 * (with read(2): a pipe will do) unless it is split, and stays open.
 *
 * scan->bad is set to the damaged lines to tell, in order: those among
 * the first LOGSCAN_SHOW of all the logs read into rep (rep->damaged
 * counts the earlier ones), or under strict the line that ended it.
 *
 * Returns LOGSCAN_OK; LOGSCAN_DAMAGED under strict, rep left without this
 * log; LOGSCAN_NOMEM or LOGSCAN_READ with *cause (caller frees), rep then
 * partly summed.
 */
enum logscan_status logscan_fd(struct report *rep, const struct report *proto,
	    int fd, const char *name, int strict, struct logscan *scan,
	    char **cause);

#endif
