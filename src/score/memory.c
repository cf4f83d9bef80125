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
 * Sort the n values v of bits bits: a radix sort, a byte a pass, through
 * tmp (n of them).  Faster than qsort on the many short lists of a fit.
 */
static void
radix_sort(uint32_t *v, uint32_t *tmp, size_t n, unsigned bits)
{
	size_t		 count[257], i;
	unsigned	 shift;
	uint32_t	*from = v, *to = tmp, *t;

	for (shift = 0; shift < bits; shift += 8) {
		memset(count, 0, sizeof count);
		for (i = 0; i < n; i++)
			count[((from[i] >> shift) & 0xff) + 1]++;
		for (i = 1; i < 257; i++)
			count[i] += count[i - 1];
		for (i = 0; i < n; i++)
			to[count[(from[i] >> shift) & 0xff]++] = from[i];
		t = from;
		from = to;
		to = t;
	}
	if (from != v)
		memcpy(v, from, n * sizeof *v);
}

/*
 * The buckets of text into *v (grown as *n, *cap say), sorted.  Returns
 * 0 or -1 (memory).
 */
static int
buckets(const char *text, size_t len, unsigned bits, uint32_t **v,
    size_t *n, size_t *cap)
{
	struct grow	 g = { v, n, cap, 0 };
	uint32_t	*tmp;

	*n = 0;
	ngram_each(text, len, bits, collect, &g);
	if (g.failed)
		return -1;
	if (*n < 2)
		return 0;
	if ((tmp = calloc(*n, sizeof *tmp)) == NULL)
		return -1;
	radix_sort(*v, tmp, *n, bits);
	free(tmp);
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
	return tf == 1 ? idf : (1 + log((double)tf)) * idf;
}

/* A posting: a prompt and its weight in a bucket. */
struct posting {
	uint32_t	p;
	float		w;
};

static int
cmp_posting(const void *a, const void *b)
{
	const struct posting *x = a, *y = b;

	if (x->w != y->w)
		return x->w > y->w ? -1 : 1;
	return x->p < y->p ? -1 : x->p > y->p;
}

/*
 * Keep each bucket's MEMORY_POSTINGS heaviest postings (a tie to the
 * earlier prompt): a word common to many short prompts
 * would otherwise make every query that has it walk them all.  Returns
 * 0 or -1 (memory).
 */
static int
prune(struct memory *m)
{
	size_t		 nb = (size_t)1 << m->bits, b, j, len, out = 0, lo;
	struct posting	*seg = NULL;

	if ((seg = calloc(m->n + 1, sizeof *seg)) == NULL)
		return -1;
	for (b = 0, lo = 0; b < nb; b++) {
		len = m->start[b + 1] - lo;
		for (j = 0; j < len; j++)
			seg[j] = (struct posting){ m->post[lo + j],
			    m->pw[lo + j] };
		if (len > MEMORY_POSTINGS) {
			qsort(seg, len, sizeof *seg, cmp_posting);
			len = MEMORY_POSTINGS;
		}
		lo = m->start[b + 1];
		m->start[b] = (uint32_t)out;
		for (j = 0; j < len; j++) {
			m->post[out] = seg[j].p;
			m->pw[out++] = seg[j].w;
		}
	}
	m->start[nb] = (uint32_t)out;
	free(seg);
	return 0;
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
	    (m->scratch->touched = calloc(m->n + 1, sizeof (uint32_t))) == NULL ||
	    (m->scratch->cnt = calloc(nb, sizeof (uint16_t))) == NULL)
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
	return prune(m);
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

	if (k == 0 || k > MEMORY_K_MAX || *nb > k)
		return;	/* set_params keeps k within 1 to MEMORY_K_MAX */
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
 * Count a bucket of the query, when the memory has it: its count in the
 * scratch, and the bucket in the scratch's list the first time.
 */
static void
query_bucket(void *arg, uint32_t b)
{
	const struct memory	*m = arg;
	struct memory_scratch	*s = m->scratch;
	uint32_t		*nq;
	size_t			 cap;

	if (s->failed || m->idf[b] <= 0)
		return;
	if (s->cnt[b] > 0) {
		if (s->cnt[b] < UINT16_MAX)
			s->cnt[b]++;
		return;
	}
	if (s->qn == s->qcap) {
		cap = s->qcap ? s->qcap * 2 : 256;
		if ((nq = reallocarray(s->q, cap, sizeof *nq)) == NULL) {
			s->failed = 1;
			return;
		}
		s->q = nq;
		s->qcap = cap;
	}
	s->cnt[b] = 1;
	s->q[s->qn++] = b;
}

/*
 * The query's MEMORY_QUERY heaviest buckets (a tie to the lower bucket),
 * as a stored prompt keeps its own, into tb and tw, from the scratch's
 * list, whose counts are cleared on the way.  Returns how many.
 */
static unsigned
query_heaviest(const struct memory *m, uint32_t *tb, double *tw)
{
	struct memory_scratch	*s = m->scratch;
	unsigned		 nq = 0, j;
	size_t			 i;
	double			 w;

	for (i = 0; i < s->qn; i++) {
		uint32_t b = s->q[i];

		w = weight(s->cnt[b], m->idf[b]);
		s->cnt[b] = 0;
		if (nq == MEMORY_QUERY && (w < tw[nq - 1] ||
		    (w == tw[nq - 1] && b > tb[nq - 1])))
			continue;
		j = nq < MEMORY_QUERY ? nq++ : nq - 1;
		while (j > 0 && (tw[j - 1] < w || (tw[j - 1] == w &&
		    tb[j - 1] > b))) {
			tw[j] = tw[j - 1];
			tb[j] = tb[j - 1];
			j--;
		}
		tw[j] = w;
		tb[j] = b;
	}
	return nq;
}

/*
 * Add the weights of the query's heaviest buckets times the prompts'
 * into the accumulator.  Returns the query's squared norm over those
 * buckets; *nt counts the prompts touched.
 */
static double
accumulate(const struct memory *m, size_t *nt)
{
	struct memory_scratch	*s = m->scratch;
	uint32_t		 tb[MEMORY_QUERY];
	double			 tw[MEMORY_QUERY], norm2 = 0;
	unsigned		 i, nq;
	size_t			 j;

	nq = query_heaviest(m, tb, tw);
	for (i = 0; i < nq; i++) {
		norm2 += tw[i] * tw[i];
		for (j = m->start[tb[i]]; j < m->start[tb[i] + 1]; j++) {
			uint32_t p = m->post[j];

			if (s->acc[p] == 0)
				s->touched[(*nt)++] = p;
			s->acc[p] += (float)(tw[i] * m->pw[j]);
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
	s->qn = 0;
	s->failed = 0;
	ngram_each(text, len, m->bits, query_bucket, (void *)m);
	norm = sqrt(accumulate(m, &nt));
	for (i = 0; i < nt; i++) {
		uint32_t p = s->touched[i];

		if (norm > 0)
			best_add(bs, bi, &nb, m->k, s->acc[p] / norm, p);
		s->acc[p] = 0;
	}
	if (s->failed)
		return -1;
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
		free(m->scratch->cnt);
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
