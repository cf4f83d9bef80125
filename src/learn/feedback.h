/*
 * feedback.h: verdicts on calls of the cost log, and labels from them.
 *
 * A verdict says how good an answer was: good (1), bad (0) or a quality
 * in between, for one call of the cost log, named by its request id or
 * by an id that no other call of the log has.  One verdict is a line
 * {"v": 1, "ts": RFC 3339 time, "id": ID, "request_id": RID, "quality": Q}
 * of the feedback file (without request_id for a call logged without
 * one, and in files written before request ids).  A verdict on an answer from a tier below the top one is
 * a label: the strong model is assumed good, the cheap one scored by the
 * verdict.  A verdict on the top tier's answer (or on a call forced past
 * the tiers) says nothing of what a cheaper model would have done, so it
 * is not used.
 */
#ifndef LLMROUTE_FEEDBACK_H
#define LLMROUTE_FEEDBACK_H

#include <stddef.h>
#include <time.h>

#include "base/buf.h"
#include "learn/labels.h"

#define FEEDBACK_FILE		"feedback.jsonl"  /* in the state directory */
#define FEEDBACK_VERSION	1		/* the "v" of a verdict line */
#define FEEDBACK_SOURCE		"feedback"	/* the source of its labels */

/* Why feedback_record() failed. */
enum feedback_error {
	FEEDBACK_INPUT = -1,	/* a verdict is bad or names no call */
	FEEDBACK_NOMEM = -2
};

/*
 * A verdict's quality from the command line: good, bad, or a number from
 * 0 to 1, into *q.  Returns 0, or -1 for anything else.
 */
int	feedback_parse_quality(const char *s, double *q);

/*
 * Append to b the verdict line of quality q on the call whose id is the
 * JSON text idjson and whose request id is request_id (NULL: it has
 * none), given at time now.  Returns 0, or -1 when now is out of the
 * calendar's range or memory runs out.
 */
int	feedback_line(struct buf *b, const char *idjson, const char *request_id,
	    double q, time_t now);

/* The verdicts to record, and the log they must name calls of. */
struct feedback_request {
	const char	*log;		/* the cost log's text */
	size_t		 log_len;
	const char	*log_name;	/* for messages */
	const char	*file_name;	/* a file of verdicts, or NULL: */
	const char	*file;		/* its text */
	size_t		 file_len;
	const char	*id;		/* without a file: one call's id
					   or request id */
	double		 quality;	/* and its verdict */
	time_t		 now;
};

/*
 * Check every verdict of rq (the lines {"id": ..., "quality": good, bad or
 * 0 to 1} or {"request_id": ..., "quality": ...} of its file, or its one
 * verdict) against the log, and append their verdict lines to out, *n of
 * them.  An id names the call with that request id if there is one, else
 * the call with that id, which must be the only one: an id that several
 * calls have is refused, asking for the request id.  Nothing is appended
 * unless all are good: the first bad line, unknown id or id of several
 * calls, in the order of the file, fails.  Returns 0, or FEEDBACK_INPUT
 * or FEEDBACK_NOMEM with *cause.
 */
int	feedback_record(const struct feedback_request *rq, struct buf *out,
	    size_t *n, char **cause);

/* What feedback_join() made of the verdicts. */
struct feedback_counts {
	size_t	verdicts;	/* distinct calls with a verdict */
	size_t	used;		/* turned into labels */
	size_t	top;		/* on the top tier's calls: not used */
	size_t	noprompt;	/* on calls logged without their prompt */
};

/*
 * Add to ls a label for every verdict in the feedback text (the last one
 * on a call counts) whose call in the log text (the one with its request
 * id; for a verdict without one, the latest with its id) was answered
 * below the tier named top and logged its prompt, counting the verdicts
 * into *c.  Returns 0, or -1 when memory runs out (*c counts what was done).
 */
int	feedback_join(const char *feedback, size_t feedback_len,
	    const char *log, size_t log_len, const char *top,
	    struct labels *ls, struct feedback_counts *c, char **cause);

#endif
