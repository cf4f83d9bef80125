/*
 * speed.h: how long each model's calls took lately, read from the end of
 * a cost log, for --prefer speed.
 *
 * Only the last SPEED_TAIL bytes of the log are read (the first line of
 * them is cut off unless the log begins there, and is skipped), so that a
 * log of any size costs a run at most that much.  Of each model, the
 * latency_ms of its last SPEED_RECENT calls that ended "ok" (dry runs are
 * not calls) are kept, and their median is its latency.  Damaged lines
 * are skipped.
 */
#ifndef LLMROUTE_SPEED_H
#define LLMROUTE_SPEED_H

#include <stddef.h>
#include <sys/types.h>

#include "log/logread.h"
#include "route/policy.h"

#define SPEED_TAIL	((off_t)1 << 20)	/* bytes read: 1 MiB */
#define SPEED_RECENT	50			/* calls per model */

/* The recent calls of one model. */
struct speed_model {
	char		 model[LOGREAD_NAMELEN];
	double		 ms[SPEED_RECENT];	/* a ring, next the oldest */
	size_t		 n, next;
};

/* What a log says; lat[i].model points into v, so both live as long. */
struct speed {
	struct speed_model	*v;
	size_t			 n;
	struct latency		*lat;	/* a model's median, as route_opts */
	size_t			 nlat;	/* takes them */
};

/*
 * Read the tail of the cost log open on fd, a regular file (anything else
 * reads as empty), into sp, which the caller zeroed and frees with
 * speed_free whatever happens.  fd is read with pread(2) and stays open.
 * Returns 0, or -1 with *cause (caller frees) when reading failed or
 * memory ran out.
 */
int	speed_read_fd(struct speed *sp, int fd, char **cause);

/* Free what sp holds and zero it. */
void	speed_free(struct speed *sp);

#endif
