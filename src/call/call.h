/*
 * call.h: the call stage: the engine that makes routed calls, with
 * retries, fallbacks and the shared cooldown (engine.h).  Its parts are
 * private to this folder: HTTP through libcurl (http.h), Server-Sent
 * Events (sse.h), the two wire formats (wire.h), the retry policy
 * (retry.h) and the cooldown file (cooldown.h).
 */
#ifndef LLMROUTE_CALL_H
#define LLMROUTE_CALL_H

#include "call/api.h"
#include "call/engine.h"

#endif
