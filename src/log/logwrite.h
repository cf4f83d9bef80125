/*
 * logwrite.h: the cost log of one run.  Each record is stamped with the
 * time it is written and the run's tags, formatted whole and appended
 * (logfile.h); once a write has failed, the run writes no more.
 */
#ifndef LLMROUTE_LOGWRITE_H
#define LLMROUTE_LOGWRITE_H

#include <stddef.h>

#include "base/buf.h"
#include "base/reqid.h"
#include "log/logfile.h"
#include "log/logrec.h"

/*
 * The settings (prompts, tags) are the caller's to set before
 * logwrite_open(); the rest is the writer's.
 */
struct logwrite {
	int		 on;		/* open: records are written */
	int		 failed;	/* a write failed: no more */
	int		 prompts;	/* records carry the prompt text */
	char		**tags;		/* the run's tags; the array is owned */
	size_t		 ntags;
	struct logfile	 lf;
	struct buf	 line;		/* the record being written */
	char		 request_id[REQID_SIZE]; /* of a record without */
};

/*
 * Make rl a closed log that writes nothing, keeping its settings, so
 * that logwrite_close() may follow whether or not logwrite_open() does.
 * Never fails.
 */
void	logwrite_init(struct logwrite *rl);

/*
 * Open the log at path (as logfile_open()) and turn rl on.  Returns 0,
 * or -1 with *cause (caller frees); rl is then still off.
 */
int	logwrite_open(struct logwrite *rl, const char *path, char **cause);

/*
 * Write record r: its time stamp (now), the run's tags, whether it
 * carries the prompt and, when it has none (a dry run's decision), a
 * request id of its own (reqid_new) are filled in first, so r is
 * changed; the id it gets lives as long as rl's next record.  A log that
 * is off takes nothing and returns 0.  Returns 0, or -1 with *cause on
 * the first failure (memory, or the write); every later call returns -1
 * at once with *cause left alone, the failure having been told.
 */
int	logwrite_record(struct logwrite *rl, struct logrec *r, char **cause);

/*
 * Close the log, free the line buffer and the tags array (the tags
 * themselves are the caller's), and turn rl off.  Never fails.
 */
void	logwrite_close(struct logwrite *rl);

/* The default cost log's name in llmroute's XDG state directory. */
#define LOGWRITE_FILE_NAME	"log.jsonl"

/*
 * The cost log a run writes unless told otherwise: env (the value of
 * $LLMROUTE_LOG) when not empty, else configured (the configuration's
 * "log").  NULL: LOGWRITE_FILE_NAME in the XDG state directory.
 * Returns one of its arguments; never fails.
 */
const char	*logwrite_default(const char *env, const char *configured);

#endif
