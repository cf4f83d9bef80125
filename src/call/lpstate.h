/*
 * lpstate.h: the models that rejected the log-probabilities parameter
 * (a reasoning model answers "logprobs" with a 400), remembered across
 * runs, so that a cascade pays that 400 once and not on every call.  The
 * state is a small file of JSON Lines, mode 0600, shared by concurrent
 * runs under flock(2); see lpstate.c for its format.
 */
#ifndef LLMROUTE_LPSTATE_H
#define LLMROUTE_LPSTATE_H

#include <time.h>

/* How long a rejection is believed: a model may learn the parameter. */
#define LPSTATE_KEEP_SECONDS	(30 * 86400L)

/*
 * Whether the state file path says that model rejected log-probabilities
 * within LPSTATE_KEEP_SECONDS before now.  A missing, unreadable or
 * corrupt file says nothing (0), and so does a line that does not parse.
 * Never creates the file.
 */
int	lpstate_rejects(const char *path, const char *model, time_t now);

/*
 * Record in the state file path (created mode 0600 if missing) that
 * model rejected log-probabilities at now: one line appended whole under
 * an exclusive lock, unless a recent one says so already.  Returns 0, or
 * -1 with errno when the file cannot be opened, locked or written.
 */
int	lpstate_record(const char *path, const char *model, time_t now);

#endif
