/*
 * rng.c: a 64-bit LCG, x' = a x + c mod 2^64.  Its low bits are weak, so
 * draws use the high ones.
 */
#include "base/rng.h"

#include "base/banned.h"

#define RNG_MUL		6364136223846793005ULL
#define RNG_ADD		1442695040888963407ULL
#define RNG_2POW53	9007199254740992.0

void
rng_seed(struct rng *r, uint64_t seed)
{
	r->s = seed;
}

uint64_t
rng_next(struct rng *r)
{
	r->s = r->s * RNG_MUL + RNG_ADD;
	return r->s;
}

double
rng_uniform(struct rng *r)
{
	return (double)(rng_next(r) >> 11) / RNG_2POW53;
}

size_t
rng_below(struct rng *r, size_t n)
{
	return (size_t)((rng_next(r) >> 33) % n);
}
