/*
 * memory.c: nearest labelled prompts by the cosine of tf-idf vectors over
 * hashed n-grams.  A stored prompt keeps only its heaviest terms, so the
 * index stays small and a common word, light everywhere, has few
 * postings: a query walks the postings of its own buckets only, and its
 * cost grows with its length and the rarity of its words, not with the
 * number of prompts remembered.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "score/memory.h"
#include "score/ngram.h"

#include "base/banned.h"

struct grow {
	uint32_t	**v;
	size_t		 *n, *cap;
	int		  failed;
};

static void
collect(void *arg, uint32_t bucket)
{
	struct grow	*g = arg;
	uint32_t	*nv;
	size_t		 cap;

	if (g->failed)
		return;
	if (*g->n == *g->cap) {
		cap = *g->cap ? *g->cap * 2 : 256;
		if ((nv = reallocarray(*g->v, cap, sizeof *nv)) == NULL) {
			g->failed = 1;
			return;
		}
		*g->v = nv;
		*g->cap = cap;
	}
	(*g->v)[(*g->n)++] = bucket;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The buckets of text into *v (grown as *n, *cap say), sorted.  Returns
 * 0 or -1 (memory).
 */
static int
buckets(const char *text, size_t len, unsigned bits, uint32_t **v,
    size_t *n, size_t *cap)
{
	struct grow g = { v, n, cap, 0 };

	*n = 0;
	ngram_each(text, len, bits, collect, &g);
	if (g.failed)
		return -1;
	if (*n > 1)
		qsort(*v, *n, sizeof **v, cmp_u32);
	return 0;
}

int
memory_terms(const char *text, size_t len, unsigned bits,
    struct memory_term **out, size_t *nout)
{
	uint32_t	*v = NULL;
	size_t		 n = 0, cap = 0, i, k = 0;

	*out = NULL;
	*nout = 0;
	if (buckets(text, len, bits, &v, &n, &cap) == -1 ||
	    (*out = calloc(n + 1, sizeof **out)) == NULL) {
		free(v);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (k > 0 && (*out)[k - 1].bucket == v[i])
			(*out)[k - 1].tf++;
		else
			(*out)[k++] = (struct memory_term){ v[i], 1 };
	}
	*nout = k;
	free(v);
	return 0;
}

/* The weight of a term of count tf in a bucket of idf idf. */
static double
weight(uint32_t tf, double idf)
{
	return (1 + log((double)tf)) * idf;
}

/*
 * The weights of every kept term and the index from bucket to prompts,
 * from m's terms and idf; and the scratch.  Returns 0 or -1 (memory).
 */
static int
index_build(struct memory *m)
{
	size_t		nb = (size_t)1 << m->bits, i, j, total = m->off[m->n];
	uint32_t	*fill;
	double		 norm, w;

	m->start = calloc(nb + 1, sizeof *m->start);
	m->post = calloc(total + 1, sizeof *m->post);
	m->pw = calloc(total + 1, sizeof *m->pw);
	m->scratch = calloc(1, sizeof *m->scratch);
	if (m->start == NULL || m->post == NULL || m->pw == NULL ||
	    m->scratch == NULL ||
	    (m->scratch->acc = calloc(m->n + 1, sizeof (float))) == NULL ||
	    (m->scratch->touched = calloc(m->n + 1, sizeof (uint32_t))) == NULL)
		return -1;
	for (j = 0; j < total; j++)
		m->start[m->terms[j].bucket + 1]++;
	for (j = 0; j < nb; j++)
		m->start[j + 1] += m->start[j];
	if ((fill = calloc(nb, sizeof *fill)) == NULL)
		return -1;
	memcpy(fill, m->start, nb * sizeof *fill);
	for (i = 0; i < m->n; i++) {
		norm = 0;
		for (j = m->off[i]; j < m->off[i + 1]; j++) {
			w = weight(m->terms[j].tf, m->idf[m->terms[j].bucket]);
			norm += w * w;
		}
		norm = norm > 0 ? sqrt(norm) : 1;
		for (j = m->off[i]; j < m->off[i + 1]; j++) {
			uint32_t b = m->terms[j].bucket;

			m->post[fill[b]] = (uint32_t)i;
			m->pw[fill[b]++] = (float)(weight(m->terms[j].tf,
			    m->idf[b]) / norm);
		}
	}
	free(fill);
	return 0;
}

/* A term with its weight, for choosing a prompt's heaviest. */
struct ranked {
	struct memory_term	t;
	double			w;
};

static int
cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->w != y->w)
		return x->w > y->w ? -1 : 1;
	return cmp_u32(&x->t.bucket, &y->t.bucket);
}

static int
cmp_term(const void *a, const void *b)
{
	return cmp_u32(&((const struct memory_term *)a)->bucket,
	    &((const struct memory_term *)b)->bucket);
}

/*
 * Prompt i's MEMORY_TERMS heaviest terms under the idf full into m's
 * terms from m->off[i], sorted by bucket; kept marks their buckets.
 * Returns 0 or -1 (memory).
 */
static int
keep_heaviest(struct memory *m, size_t i, const struct memory_term *t,
    size_t nt, const float *full, unsigned char *kept)
{
	struct ranked	*r;
	size_t		 j, nk = nt < MEMORY_TERMS ? nt : MEMORY_TERMS;

	if ((r = calloc(nt + 1, sizeof *r)) == NULL)
		return -1;
	for (j = 0; j < nt; j++) {
		r[j].t = t[j];
		r[j].w = weight(t[j].tf, full[t[j].bucket]);
	}
	qsort(r, nt, sizeof *r, cmp_ranked);
	for (j = 0; j < nk; j++) {
		m->terms[m->off[i] + j] = r[j].t;
		kept[r[j].t.bucket] = 1;
	}
	qsort(m->terms + m->off[i], nk, sizeof *m->terms, cmp_term);
	m->off[i + 1] = m->off[i] + nk;
	free(r);
	return 0;
}

/* Allocate m's labels, offsets, terms and idf for n prompts. */
static int
alloc_prompts(struct memory *m, size_t n, size_t nterms)
{
	m->y = calloc(n + 1, sizeof *m->y);
	m->off = calloc(n + 1, sizeof *m->off);
	m->terms = calloc(nterms + 1, sizeof *m->terms);
	m->idf = calloc((size_t)1 << m->bits, sizeof *m->idf);
	return m->y && m->off && m->terms && m->idf ? 0 : -1;
}

static void
set_params(struct memory *m, unsigned bits, unsigned k, double shrink,
    size_t n)
{
	memset(m, 0, sizeof *m);
	m->bits = bits;
	m->k = k < 1 ? 1 : k > MEMORY_K_MAX ? MEMORY_K_MAX : k;
	m->shrink = shrink > 0 ? shrink : MEMORY_SHRINK_DEFAULT;
	m->n = n;
}

int
memory_build(struct memory *m, unsigned bits, unsigned k, double shrink,
    size_t n, struct memory_term *const *terms, const size_t *nterms,
    const float *y)
{
	size_t		 nb = (size_t)1 << bits, i, j, total = 0;
	uint32_t	*df = NULL;
	float		*full = NULL;
	unsigned char	*kept = NULL;
	int		 r = -1;

	set_params(m, bits, k, shrink, n);
	for (i = 0; i < n; i++)
		total += nterms[i] < MEMORY_TERMS ? nterms[i] : MEMORY_TERMS;
	if (alloc_prompts(m, n, total) == -1 ||
	    (df = calloc(nb, sizeof *df)) == NULL ||
	    (full = calloc(nb, sizeof *full)) == NULL ||
	    (kept = calloc(nb, 1)) == NULL)
		goto out;
	for (i = 0; i < n; i++)
		for (j = 0; j < nterms[i]; j++)
			df[terms[i][j].bucket]++;
	for (j = 0; j < nb; j++)
		if (df[j] > 0)
			full[j] = (float)(log((1.0 + (double)n) /
			    (1.0 + df[j])) + 1);
	for (i = 0; i < n; i++) {
		m->y[i] = y[i];
		if (keep_heaviest(m, i, terms[i], nterms[i], full, kept) == -1)
			goto out;
	}
	for (j = 0; j < nb; j++)
		m->idf[j] = kept[j] ? full[j] : 0;
	r = index_build(m);
out:
	free(df);
	free(full);
	free(kept);
	if (r == -1)
		memory_free(m);
	return r;
}

int
memory_restore(struct memory *m, unsigned bits, unsigned k, double shrink,
    size_t n, float *y, size_t *off, struct memory_term *terms,
    const uint32_t *idf_bucket, const float *idf, size_t nidf)
{
	size_t i;

	set_params(m, bits, k, shrink, n);
	m->y = y;
	m->off = off;
	m->terms = terms;
	if ((m->idf = calloc((size_t)1 << bits, sizeof *m->idf)) == NULL) {
		memory_free(m);
		return -1;
	}
	for (i = 0; i < nidf; i++)
		m->idf[idf_bucket[i]] = idf[i];
	if (index_build(m) == -1) {
		memory_free(m);
		return -1;
	}
	return 0;
}

/* Insert prompt p of similarity s into the k best (s[], id[], *nb). */
static void
best_add(double *bs, uint32_t *bi, unsigned *nb, unsigned k, double s,
    uint32_t p)
{
	unsigned j;

	if (*nb == k && (s < bs[k - 1] || (s == bs[k - 1] && p > bi[k - 1])))
		return;
	j = *nb < k ? (*nb)++ : k - 1;
	while (j > 0 && (bs[j - 1] < s || (bs[j - 1] == s && bi[j - 1] > p))) {
		bs[j] = bs[j - 1];
		bi[j] = bi[j - 1];
		j--;
	}
	bs[j] = s;
	bi[j] = p;
}

/*
 * Add the query's weights times the prompts' into the accumulator,
 * from the sorted buckets of the query in the scratch.  Returns the
 * query's squared norm; *nt counts the prompts touched.
 */
static double
accumulate(const struct memory *m, size_t *nt)
{
	struct memory_scratch	*s = m->scratch;
	size_t			 i = 0, j, tf;
	double			 norm2 = 0, qw;

	while (i < s->qn) {
		uint32_t b = s->q[i];

		for (tf = 0; i < s->qn && s->q[i] == b; i++)
			tf++;
		if (m->idf[b] <= 0)
			continue;
		qw = weight((uint32_t)tf, m->idf[b]);
		norm2 += qw * qw;
		for (j = m->start[b]; j < m->start[b + 1]; j++) {
			uint32_t p = m->post[j];

			if (s->acc[p] == 0)
				s->touched[(*nt)++] = p;
			s->acc[p] += (float)(qw * m->pw[j]);
		}
	}
	return norm2;
}

int
memory_score(const struct memory *m, const char *text, size_t len,
    double *est, double *mass)
{
	struct memory_scratch	*s = m->scratch;
	double			 bs[MEMORY_K_MAX], norm, sum = 0, wy = 0;
	uint32_t		 bi[MEMORY_K_MAX];
	unsigned		 nb = 0, j;
	size_t			 nt = 0, i;

	*est = 0;
	*mass = 0;
	if (buckets(text, len, m->bits, &s->q, &s->qn, &s->qcap) == -1)
		return -1;
	norm = sqrt(accumulate(m, &nt));
	for (i = 0; i < nt; i++) {
		uint32_t p = s->touched[i];

		if (norm > 0)
			best_add(bs, bi, &nb, m->k, s->acc[p] / norm, p);
		s->acc[p] = 0;
	}
	for (j = 0; j < nb; j++) {
		sum += bs[j];
		wy += bs[j] * m->y[bi[j]];
	}
	if (sum > 0) {
		*est = wy / sum;
		*mass = sum;
	}
	return 0;
}

double
memory_blend(const struct memory *m, double p, double est, double mass)
{
	double q = p + mass / (mass + m->shrink) * est;

	return q < 0 ? 0 : q > 1 ? 1 : q;
}

void
memory_free(struct memory *m)
{
	if (m->scratch != NULL) {
		free(m->scratch->acc);
		free(m->scratch->touched);
		free(m->scratch->q);
		free(m->scratch);
	}
	free(m->y);
	free(m->off);
	free(m->terms);
	free(m->idf);
	free(m->start);
	free(m->post);
	free(m->pw);
	memset(m, 0, sizeof *m);
}
