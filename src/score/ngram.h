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
/* The n-gram term of a logit lies within plus or minus this. */
#define NGRAM_BOUND		4.0

/* Called once per n-gram with its bucket, below 1 << bits. */
typedef void (*ngram_fn)(void *arg, uint32_t bucket);

/*
 * Call fn(arg, bucket) for every word and every pair of neighbouring
 * words of the len bytes at text, with buckets of bits bits (1 to
 * NGRAM_BITS_MAX).  Returns the number of tokens.
 */
size_t	ngram_each(const char *text, size_t len, unsigned bits, ngram_fn fn,
	    void *arg);

/* The number of n-grams of a text of ntok tokens: its words and pairs. */
size_t	ngram_grams(size_t ntok);

/* x brought within [-NGRAM_BOUND, NGRAM_BOUND]. */
double	ngram_bound(double x);

/*
 * The n-gram part of a trained scorer's logit: the mean of the weights
 * (1 << bits of them, borrowed) over the n-grams of the len bytes at
 * text, brought within NGRAM_BOUND; 0 for a text without tokens.  A mean,
 * not a sum, so that the term cannot grow with the length of the text:
 * more of the same text leaves it where it was.  The same buckets as
 * ngram_each.
 */
double	ngram_sum(const char *text, size_t len, unsigned bits,
	    const float *weights);

#endif
