/*
 * clock.c: the monotonic clock in seconds, and a pause.
 */
#include <errno.h>
#include <time.h>

#include "base/clock.h"

#include "base/banned.h"

#define CLOCK_NS_PER_S	1e9

double
clock_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / CLOCK_NS_PER_S;
}

void
clock_pause(double s)
{
	struct timespec ts;

	if (!(s > 0))
		return;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * CLOCK_NS_PER_S);
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}
