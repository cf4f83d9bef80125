/*
 * retry.h: what to do after an attempt, decided in one place.
 */
#ifndef LLMROUTE_RETRY_H
#define LLMROUTE_RETRY_H

#include <time.h>

#include "base/rng.h"

#include "route/config.h"
#include "call/http.h"
#include "call/wire.h"

enum outcome {
	OUTCOME_OK,
	OUTCOME_RETRY,		/* transient: try the same model again */
	OUTCOME_MODEL,		/* this model failed for good: fall back */
	OUTCOME_REQUEST		/* the request itself is at fault: stop */
};

double		retry_after_parse(const char *, time_t now);
enum outcome	retry_classify(enum wire, const struct http_result *,
		    const struct wire_error *, int has_retry_after);
double		retry_backoff(int attempt, double base, double cap,
		    struct rng *rng);

#endif
