/*
 * rng.h: the one pseudo-random generator, a 64-bit linear congruential
 * generator (Knuth's MMIX constants).  Everything llmroute draws at random
 * (the order of training examples, cross-validation folds, the random
 * router, retry jitter) comes from one of these, so that the same seed
 * gives the same result on every machine.  Not for secrets.
 */
#ifndef LLMROUTE_RNG_H
#define LLMROUTE_RNG_H

#include <stddef.h>
#include <stdint.h>

struct rng {
	uint64_t	s;
};

/* Start r at state seed: the same seed, the same sequence. */
void		rng_seed(struct rng *r, uint64_t seed);

/* Step r and return its new 64-bit state. */
uint64_t	rng_next(struct rng *r);

/* A uniform draw in [0, 1), from the top 53 bits of the next state. */
double		rng_uniform(struct rng *r);

/* A draw in [0, n) for n > 0, from the top 31 bits of the next state. */
size_t		rng_below(struct rng *r, size_t n);

#endif
