/*
 * log.h: the log stage: cost log records written (logrec.h) and read
 * back (logread.h), and the sums of "llmroute report" (report.h).
 */
#ifndef LLMROUTE_LOG_H
#define LLMROUTE_LOG_H

#include "log/logread.h"
#include "log/logrec.h"
#include "log/report.h"

#endif
