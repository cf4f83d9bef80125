/*
 * ngram.c: hashed word unigrams and bigrams.  A token is a run of ASCII
 * letters and digits, lower-cased, or one non-ASCII character (so that
 * scripts without spaces still give tokens).  Token hashes are FNV-1a; a
 * bigram mixes its two token hashes.  The bucket is the top bits of the
 * mixed hash.  Both passes are single loops over the bytes.
 */
#include "score/ngram.h"

#include "base/banned.h"

#define FNV_OFFSET	2166136261u
#define FNV_PRIME	16777619u
/* 2^32 over the golden ratio: the first hash of a pair, spread out. */
#define PAIR_MIX	0x9e3779b1u

/* A 32-bit finaliser (lowbias32): every input bit moves every top bit. */
static uint32_t
mix(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x7feb352du;
	h ^= h >> 15;
	h *= 0x846ca68bu;
	h ^= h >> 16;
	return h;
}

/* The lower-cased byte of an ASCII letter or digit, else 0. */
#define L16(b)	b, b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7, b + 8, \
		b + 9, b + 10, b + 11, b + 12, b + 13, b + 14, b + 15
#define Z16	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
static const unsigned char word_byte[256] = {
	Z16, Z16, Z16,
	'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 0, 0, 0, 0, 0, 0,
	0, L16('a'), 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z',
	0, 0, 0, 0, 0,
	0, L16('a'), 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z',
	0, 0, 0, 0, 0,
	Z16, Z16, Z16, Z16, Z16, Z16, Z16, Z16
};

#define alnum(c)	(word_byte[(c)] != 0)

/*
 * Scan from *pp to end for the next token: 1 with its FNV-1a hash in *hp
 * and *pp just past it, or 0 at the end of the text.  Both loops below
 * use it; it is inlined into each.
 */
static inline int
next_token(const unsigned char **pp, const unsigned char *end,
    uint32_t *hp)
{
	const unsigned char	*p = *pp;
	uint32_t		 h = FNV_OFFSET;

	while (p < end && !alnum(*p) && *p < 0xc0)
		p++;
	if (p == end)
		return 0;
	if (alnum(*p)) {
		do
			h = (h ^ word_byte[*p]) * FNV_PRIME;
		while (++p < end && alnum(*p));
	} else {
		do
			h = (h ^ *p) * FNV_PRIME;
		while (++p < end && (*p & 0xc0) == 0x80);
	}
	*pp = p;
	*hp = h;
	return 1;
}

/*
 * Call fn(arg, bucket) for every unigram and bigram of the len bytes of
 * text, with buckets of bits bits.  Returns the number of tokens.
 */
size_t
ngram_each(const char *text, size_t len, unsigned bits, ngram_fn fn,
    void *arg)
{
	const unsigned char	*p = (const unsigned char *)text;
	const unsigned char	*end = p + len;
	uint32_t		 h, prev = 0;
	size_t			 ntok = 0;
	unsigned		 shift = 32 - bits;

	while (next_token(&p, end, &h)) {
		fn(arg, mix(h) >> shift);
		if (ntok > 0)
			fn(arg, mix(prev * PAIR_MIX ^ h) >> shift);
		prev = h;
		ntok++;
	}
	return ntok;
}

size_t
ngram_grams(size_t ntok)
{
	return ntok > 0 ? 2 * ntok - 1 : 0;
}

double
ngram_bound(double x)
{
	if (x > NGRAM_BOUND)
		return NGRAM_BOUND;
	return x < -NGRAM_BOUND ? -NGRAM_BOUND : x;
}

/*
 * The mean of the weights w (1 << bits of them) over the n-grams of
 * text, within NGRAM_BOUND: the n-gram part of a trained model's logit.  The same tokens and buckets as ngram_each,
 * without a call per n-gram: this runs on every routed prompt.
 */
double
ngram_sum(const char *text, size_t len, unsigned bits, const float *w)
{
	const unsigned char	*p = (const unsigned char *)text;
	const unsigned char	*end = p + len;
	uint32_t		 h, prev = 0;
	size_t			 ntok = 0;
	unsigned		 shift = 32 - bits;
	double			 s = 0;

	while (next_token(&p, end, &h)) {
		s += w[mix(h) >> shift];
		if (ntok > 0)
			s += w[mix(prev * PAIR_MIX ^ h) >> shift];
		prev = h;
		ntok++;
	}
	return ntok > 0 ? ngram_bound(s / (double)ngram_grams(ntok)) : 0;
}
