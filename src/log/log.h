/*
 * log.h: the log stage: cost log records built and formatted (logrec.h),
 * appended to a log shared by many processes (logfile.h) as one run
 * writes them (logwrite.h), read back (logread.h), summed by "llmroute
 * report" (report.h), whole logs read into a report (logscan.h), and
 * the recent latency of each model read from a log's end (speed.h).
 */
#ifndef LLMROUTE_LOG_H
#define LLMROUTE_LOG_H

#include "log/logfile.h"
#include "log/logread.h"
#include "log/logrec.h"
#include "log/logscan.h"
#include "log/logwrite.h"
#include "log/report.h"
#include "log/speed.h"

#endif
