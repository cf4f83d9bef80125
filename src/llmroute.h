/*
 * llmroute.h: the library's public interface, the only header the
 * command-line front includes.
 */
#ifndef LLMROUTE_H
#define LLMROUTE_H

#include "buf.h"
#include "call.h"
#include "config.h"
#include "features.h"
#include "input.h"
#include "jsonout.h"
#include "labels.h"
#include "logread.h"
#include "logrec.h"
#include "metrics.h"
#include "model.h"
#include "ngram.h"
#include "num.h"
#include "policy.h"
#include "report.h"
#include "score.h"
#include "timefmt.h"
#include "train.h"

#endif
