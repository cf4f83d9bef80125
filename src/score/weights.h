/*
 * weights.h: the built-in scorer's fitted weights.  weights.c is generated
 * by "make weights" (llmroute train --emit-c); it holds one constant.
 */
#ifndef LLMROUTE_WEIGHTS_H
#define LLMROUTE_WEIGHTS_H

#include "score/features.h"

/* A fitted scorer as compiled in: read-only data, never freed. */
struct weights {
	const char	*about;		/* what it was fitted on */
	double		 bias;
	double		 w[FEAT_COUNT];
	unsigned	 hash_bits;	/* 0: no n-gram table */
	const float	*table;		/* 1 << hash_bits weights */
};

/* The built-in scorer, defined in the generated weights.c. */
extern const struct weights weights_builtin;

#endif
