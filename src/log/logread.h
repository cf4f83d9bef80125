/*
 * logread.h: reading cost log records back, fast, for the report.
 */
#ifndef LLMROUTE_LOGREAD_H
#define LLMROUTE_LOGREAD_H

#include <stddef.h>

#include "base/buf.h"
#include "base/jscan.h"
#include "log/logrec.h"

#define LOGREAD_MAXTAGS		8
#define LOGREAD_NAMELEN		128

/* The fields of one record the report uses. */
struct logview {
	int		 v;
	double		 ts;
	char		 model[LOGREAD_NAMELEN];
	char		 provider[LOGREAD_NAMELEN];
	char		 tier[LOGREAD_NAMELEN];	/* "" when null */
	char		 tags[LOGREAD_MAXTAGS][LOGREAD_NAMELEN];
	size_t		 ntags;
	double		 score;			/* NAN when null */
	double		 tokens_in;
	double		 tokens_out;
	double		 tokens_cached;
	double		 cost;
	double		 baseline_cost;
	double		 latency_ms;
	enum log_status	 status;
	int		 dry_run;
	int		 estimated;
};

/* A reader's scratch space, kept across records. */
struct logread {
	struct buf	key;
	struct buf	str;
};

void	logread_init(struct logread *);
void	logread_free(struct logread *);
int	logread_parse(struct logread *, const char *, size_t,
	    struct logview *, const char **why);

#endif
