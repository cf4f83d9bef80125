/*
 * learn.h: the learn stage: labelled prompts (labels.h), router metrics
 * as RouteLLM defines them (metrics.h), and fitting a scorer (train.h).
 */
#ifndef LLMROUTE_LEARN_H
#define LLMROUTE_LEARN_H

#include "learn/labels.h"
#include "learn/metrics.h"
#include "learn/train.h"

#endif
