/*
 * clock.h: the monotonic clock in seconds, and a pause that a signal does
 * not cut short.
 */
#ifndef LLMROUTE_CLOCK_H
#define LLMROUTE_CLOCK_H

/* Seconds on the monotonic clock: only differences mean anything. */
double	clock_mono(void);

/*
 * Sleep for s seconds (nothing for s <= 0), going back to sleep for
 * what is left when a signal handler interrupts it.
 */
void	clock_pause(double s);

#endif
