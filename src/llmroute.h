/*
 * llmroute.h: the library's public interface, the only header the
 * command-line front includes: one face per stage, in the order a prompt
 * passes through them (input, score, route, call, log), the run of many calls, then
 * learning.
 */
#ifndef LLMROUTE_H
#define LLMROUTE_H

#include "base/base.h"
#include "input/input.h"
#include "score/score.h"
#include "route/route.h"
#include "call/call.h"
#include "log/log.h"
#include "run/run.h"
#include "batch/batch.h"
#include "learn/learn.h"

#endif
