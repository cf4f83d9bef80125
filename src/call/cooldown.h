/*
 * cooldown.h: failures per model remembered across runs, so that a model
 * that keeps failing is skipped for a while by every later invocation.
 */
#ifndef LLMROUTE_COOLDOWN_H
#define LLMROUTE_COOLDOWN_H

#include <time.h>

struct cooldown_opts {
	int	failures;	/* failures within window that start one */
	double	window;		/* seconds */
	double	seconds;	/* how long a cooldown lasts */
};

double	cooldown_remaining(const char *path, const char *model, time_t now);
int	cooldown_record(const char *path, const char *model, int failed,
	    time_t now, const struct cooldown_opts *);

#endif
