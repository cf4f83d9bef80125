/*
 * memory.h: labelled prompts remembered, and the label of a new prompt's
 * nearest neighbours among them.  A prompt is a tf-idf vector over its
 * hashed n-grams (ngram.h), cut to its MEMORY_TERMS heaviest and of unit
 * length; neighbours are the stored prompts of the highest cosine, found
 * through an index that keeps each bucket's MEMORY_POSTINGS heaviest
 * prompts, from the query's MEMORY_QUERY heaviest buckets: the cost of a
 * query is bounded whatever the number of prompts remembered.  What
 * the neighbours say is blended into a linear scorer's probability, and
 * shrunk towards it when they are few or far.
 */
#ifndef LLMROUTE_MEMORY_H
#define LLMROUTE_MEMORY_H

#include <stddef.h>
#include <stdint.h>

#define MEMORY_TERMS		32	/* kept of each prompt's vector */
#define MEMORY_POSTINGS		32	/* kept of each bucket's prompts */
#define MEMORY_QUERY		16	/* searched of a query's buckets */
#define MEMORY_K_DEFAULT	32	/* neighbours */
#define MEMORY_K_MAX		64
#define MEMORY_SHRINK_DEFAULT	1.0
#define MEMORY_MAX_PROMPTS	1000000

/* One term of a stored prompt: its bucket and how often it occurs. */
struct memory_term {
	uint32_t	bucket;
	uint32_t	tf;
};

/* What memory_score works in; one scoring at a time. */
struct memory_scratch {
	float		*acc;		/* n: each prompt's dot product */
	uint32_t	*touched;	/* the prompts with one, in order met */
	uint16_t	*cnt;		/* 1 << bits: the query's counts */
	uint32_t	*q;		/* the query's buckets, as met */
	size_t		 qn, qcap;
	int		 failed;
};

/*
 * A memory: n prompts, their labels and their terms, and an index from
 * bucket to the prompts that keep it.  Built by memory_build; owns every
 * pointer; memory_free releases it.
 */
struct memory {
	unsigned		 bits;		/* of its buckets, 1 to 24 */
	unsigned		 k;		/* neighbours, 1 to MEMORY_K_MAX */
	double			 shrink;	/* > 0; see memory_blend */
	size_t			 n;
	float			*y;		/* n labels in [-1, 1] */
	size_t			*off;		/* n + 1: each prompt's terms */
	struct memory_term	*terms;		/* off[n] of them */
	float			*idf;		/* 1 << bits; 0: not kept */
	uint32_t		*start;		/* (1 << bits) + 1: postings */
	uint32_t		*post;		/* of each posting: its prompt */
	float			*pw;		/* and its weight there */
	struct memory_scratch	*scratch;	/* mutable under const */
};

/*
 * The terms of the len bytes at text for a memory of bits bits: every
 * distinct bucket with its count, into *out (which the caller frees),
 * sorted by bucket, their number into *nout.  Returns 0 or -1 (memory).
 */
int	memory_terms(const char *text, size_t len, unsigned bits,
	    struct memory_term **out, size_t *nout);

/*
 * Build m (zeroed first) from n prompts: terms[i] (nterms[i] of them, as
 * memory_terms gives) labelled y[i] (in [-1, 1]).  The idf of a bucket is
 * log((1 + n) / (1 + df)) + 1, df the prompts that have it; each prompt
 * keeps its MEMORY_TERMS heaviest terms ((1 + log tf) idf, ties to the
 * lower bucket).  k and shrink as in struct memory.  Returns 0 or -1
 * (memory; m is then freed).
 */
int	memory_build(struct memory *m, unsigned bits, unsigned k,
	    double shrink, size_t n, struct memory_term *const *terms,
	    const size_t *nterms, const float *y);

/*
 * Build m (zeroed first) from what a model file holds: n prompts of labels
 * y, their kept terms (off, terms: as struct memory, taken over by m), and
 * the idf of nidf buckets.  The weights and the index are made again.
 * Returns 0 or -1 (memory; m is freed, the arrays with it).
 */
int	memory_restore(struct memory *m, unsigned bits, unsigned k,
	    double shrink, size_t n, float *y, size_t *off,
	    struct memory_term *terms, const uint32_t *idf_bucket,
	    const float *idf, size_t nidf);

/*
 * The neighbours' say on the len bytes at text: into *est the mean label
 * of the k nearest stored prompts weighed by their cosine, and into
 * *mass the sum of those cosines (0 with no neighbour: *est is then 0).
 * Uses m's scratch: not for two threads at once.  Returns 0 or -1
 * (memory, and then *mass is 0).
 */
int	memory_score(const struct memory *m, const char *text, size_t len,
	    double *est, double *mass);

/*
 * p, a linear scorer's probability, plus est times the share
 * mass / (mass + shrink) (memory_score's est and mass), within [0, 1]:
 * far or few neighbours leave p nearly as it was.
 */
double	memory_blend(const struct memory *m, double p, double est,
	    double mass);

/* Free what m owns and zero it; m may be zeroed already. */
void	memory_free(struct memory *m);

#endif
