/*
 * learn.h: the learn stage: labelled prompts (labels.h), router metrics
 * as RouteLLM defines them (metrics.h), a scorer measured on labels and
 * its report (evaluate.h) and curve (curve.h), fitting a scorer
 * (train.h) and cross-validating the fit (folds.h), verdicts on logged
 * calls turned into labels (feedback.h), and tier bounds from a sample
 * of prompts (calibrate.h).
 */
#ifndef LLMROUTE_LEARN_H
#define LLMROUTE_LEARN_H

#include "learn/calibrate.h"
#include "learn/curve.h"
#include "learn/evaluate.h"
#include "learn/feedback.h"
#include "learn/folds.h"
#include "learn/labels.h"
#include "learn/metrics.h"
#include "learn/train.h"

#endif
