/*
 * feedback.h: verdicts on logged calls, and joining them to the log to
 * train on real traffic.
 */
#ifndef LLMROUTE_CMD_FEEDBACK_H
#define LLMROUTE_CMD_FEEDBACK_H

#include "llmroute.h"

char	*feedback_path(int create);
int	 feedback_join(const char *log, const char *feedback, const char *top,
	    struct labels *);

#endif
