/*
 * llmroute.h: the library's public interface, the only header the
 * command-line front includes.
 */
#ifndef LLMROUTE_H
#define LLMROUTE_H

#include "base/buf.h"
#include "call/engine.h"
#include "route/config.h"
#include "score/features.h"
#include "input/input.h"
#include "base/jsonout.h"
#include "learn/labels.h"
#include "log/logread.h"
#include "log/logrec.h"
#include "learn/metrics.h"
#include "score/scorer_file.h"
#include "score/ngram.h"
#include "base/num.h"
#include "route/policy.h"
#include "log/report.h"
#include "score/scorer.h"
#include "base/timefmt.h"
#include "learn/train.h"

#endif
