/*
 * ngram.h: the words of a prompt hashed into a fixed number of buckets
 * (the hashing trick), one bucket per word and per pair of words.
 */
#ifndef LLMROUTE_NGRAM_H
#define LLMROUTE_NGRAM_H

#include <stddef.h>
#include <stdint.h>

#define NGRAM_BITS_DEFAULT	18
#define NGRAM_BITS_MAX		24

typedef void (*ngram_fn)(void *, uint32_t bucket);

size_t	ngram_each(const char *, size_t, unsigned bits, ngram_fn, void *);
double	ngram_sum(const char *, size_t, unsigned bits, const float *);

#endif
