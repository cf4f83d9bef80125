/*
 * runlog.h: the cost log of one run of the route command.
 */
#ifndef LLMROUTE_CMD_RUNLOG_H
#define LLMROUTE_CMD_RUNLOG_H

#include "llmroute.h"

struct runlog {
	int		 on;
	int		 failed;	/* a write failed: stop */
	int		 prompts;	/* --log-prompts */
	char		**tags;
	size_t		 ntags;
	struct logfile	 lf;
	struct buf	 line;
};

int	runlog_open(struct runlog *, const struct config *, const char *path,
	    int no_log, int dry_run);
int	runlog_write(struct runlog *, struct logrec *);
void	runlog_close(struct runlog *);
char	*runlog_path(const struct config *, int create);

#endif
