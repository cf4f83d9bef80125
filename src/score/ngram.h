/*
 * ngram.h: the words of a prompt hashed into a fixed number of buckets
 * (the hashing trick), one bucket per word and per pair of words.  A
 * token is a run of ASCII letters and digits, lower-cased, or one
 * non-ASCII character.  Pure: no I/O, no allocation.
 */
#ifndef LLMROUTE_NGRAM_H
#define LLMROUTE_NGRAM_H

#include <stddef.h>
#include <stdint.h>

#define NGRAM_BITS_DEFAULT	18
#define NGRAM_BITS_MAX		24

/* Called once per n-gram with its bucket, below 1 << bits. */
typedef void (*ngram_fn)(void *arg, uint32_t bucket);

/*
 * Call fn(arg, bucket) for every word and every pair of neighbouring
 * words of the len bytes at text, with buckets of bits bits (1 to
 * NGRAM_BITS_MAX).  Returns the number of tokens.
 */
size_t	ngram_each(const char *text, size_t len, unsigned bits, ngram_fn fn,
	    void *arg);

/*
 * The n-gram part of a trained scorer's logit: the sum of the weights
 * (1 << bits of them, borrowed) of the n-grams of the len bytes at text,
 * divided by the square root of its token count; 0 for a text without
 * tokens.  The same buckets as ngram_each.
 */
double	ngram_sum(const char *text, size_t len, unsigned bits,
	    const float *weights);

#endif
