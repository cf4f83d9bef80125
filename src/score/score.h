/*
 * score.h: the score stage: a prompt's text turned into features
 * (features.h) and hashed n-grams (ngram.h), weighed by a scorer
 * (scorer.h) into a complexity score in [0, 1].  A scorer is a built-in
 * table, the compiled-in fitted weights (weights.h), or a scorer file
 * written by "llmroute train" (scorer_file.h).
 */
#ifndef LLMROUTE_SCORE_H
#define LLMROUTE_SCORE_H

#include "score/features.h"
#include "score/ngram.h"
#include "score/scorer.h"
#include "score/scorer_file.h"

#endif
