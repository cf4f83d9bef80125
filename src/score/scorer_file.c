/*
 * scorer_file.c: trained scorers on disk, and the C source of the
 * compiled-in one.
 *
 * A model file is one JSON object:
 *
 *	{"llmroute_model": 2, "about": "...", "trained_on": 3297,
 *	 "seed": 1, "l2": 1e-05, "epochs": 8,
 *	 "features": ["length", ...], "bias": -1.2, "weights": [...],
 *	 "caps": {"code": 1, ...},
 *	 "hash_bits": 18, "ngrams": [[bucket, weight], ...],
 *	 "memory": {"bits": 18, "k": 32, "shrink": 1,
 *	     "idf": [[bucket, idf], ...],
 *	     "prompts": [[label, bucket, tf, ...], ...]},
 *	 "beats_length": true}
 *
 * Weights are in the raw feature space (standardisation is folded in), so
 * scoring is the same sum as for the hand-set table plus the n-gram term.
 * "caps" is optional: a feature named there counts up to that value.
 * "memory" is optional (memory.h): without it the model is linear, and a
 * reader that does not know it scores the linear part, so it did not
 * need a new version.  "beats_length" and "note" are optional too: what
 * train --folds found.
 * Version 1 files had no caps and an n-gram term that was a sum over the
 * tokens: they load when they have no n-grams, whose meaning alone has
 * changed.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json.h>

#include "base/cause.h"
#include "base/jsonout.h"
#include "score/scorer_file.h"
#include "score/ngram.h"
#include "base/num.h"

#include "base/banned.h"

#define SCORER_FILE_MAXBYTES	(256u << 20)

void
scorer_file_free(struct scorer_file *m)
{
	memory_free(&m->mem);
	free(m->table);
	free(m->name);
	free(m->about);
	free(m->note);
	memset(m, 0, sizeof *m);
}

static int
fail(char **cause, const char *path, const char *what)
{
	return cause_set(cause, "%s: %s", path, what);
}

/* A number of a model file: finite, and no weight beyond a million. */
static int
num_of(json_object *o, double *out)
{
	if (!json_object_is_type(o, json_type_double) &&
	    !json_object_is_type(o, json_type_int))
		return -1;
	*out = json_object_get_double(o);
	return isfinite(*out) && fabs(*out) <= 1e6 ? 0 : -1;
}

/* Member key of root if it is an array of exactly n values, else NULL. */
static json_object *
array_of(json_object *root, const char *key, size_t n)
{
	json_object *a;

	if (!json_object_object_get_ex(root, key, &a) ||
	    !json_object_is_type(a, json_type_array) ||
	    json_object_array_length(a) != n)
		return NULL;
	return a;
}

/*
 * Read the file at path into b and parse it into *root, a JSON object the
 * caller puts.  Returns 0, or -1 with *cause.
 */
static int
load_root(const char *path, struct buf *b, json_object **root,
    char **cause)
{
	json_tokener	*tok;
	int		 fd, r;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return fail(cause, path, strerror(errno));
	r = buf_read_fd(b, fd);
	close(fd);
	if (r == -1)
		return fail(cause, path, strerror(errno));
	if ((tok = json_tokener_new()) == NULL)
		return fail(cause, path, "out of memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	*root = json_tokener_parse_ex(tok, b->data, (int)b->len);
	r = json_tokener_get_error(tok) != json_tokener_success ||
	    !json_object_is_type(*root, json_type_object);
	json_tokener_free(tok);
	if (r)
		return fail(cause, path, "not a model file (not a JSON object)");
	return 0;
}

/*
 * The linear part of the model file root into m: its version, bias,
 * feature names and weights.  Returns 0, or -1 with *cause.
 */
static int
load_linear(json_object *root, const char *path, struct scorer_file *m,
    char **cause)
{
	json_object	*v, *a;
	double		 d;
	size_t		 i;

	if (!json_object_object_get_ex(root, "llmroute_model", &v) ||
	    num_of(v, &d) == -1)
		return fail(cause, path, "not a model file (no llmroute_model)");
	if (d != SCORER_FILE_VERSION && d != 1)
		return fail(cause, path, "a model of another version (this "
		    "llmroute reads versions 1 and 2)");
	m->version = (int)d;
	if (!json_object_object_get_ex(root, "bias", &v) ||
	    num_of(v, &m->s.bias) == -1)
		return fail(cause, path, "field 'bias': expected a number");
	a = array_of(root, "features", FEAT_COUNT);
	for (i = 0; a != NULL && i < FEAT_COUNT; i++) {
		v = json_object_array_get_idx(a, i);
		if (!json_object_is_type(v, json_type_string) ||
		    strcmp(json_object_get_string(v),
		    features_name((enum feature_id)i)) != 0)
			a = NULL;
	}
	if (a == NULL)
		return fail(cause, path, "field 'features': not this "
		    "llmroute's features");
	if ((a = array_of(root, "weights", FEAT_COUNT)) == NULL)
		return fail(cause, path, "field 'weights': expected one number "
		    "per feature");
	for (i = 0; i < FEAT_COUNT; i++)
		if (num_of(json_object_array_get_idx(a, i), &m->s.w[i]) == -1)
			return fail(cause, path, "field 'weights': expected "
			    "numbers");
	return 0;
}

/*
 * The optional caps of the model file root into m: an object from
 * feature names to caps above 0.  Returns 0, or -1 with *cause.
 */
static int
load_caps(json_object *root, const char *path, struct scorer_file *m,
    char **cause)
{
	json_object	*caps;
	double		 d;
	int		 i;

	if (!json_object_object_get_ex(root, "caps", &caps) ||
	    json_object_is_type(caps, json_type_null))
		return 0;
	if (!json_object_is_type(caps, json_type_object))
		return fail(cause, path, "field 'caps': expected an object");
	json_object_object_foreach(caps, key, v) {
		for (i = 0; i < FEAT_COUNT; i++)
			if (strcmp(key, features_name((enum feature_id)i)) == 0)
				break;
		if (i == FEAT_COUNT)
			return cause_set(cause, "%s: field 'caps': no feature "
			    "called '%s'", path, key);
		if (num_of(v, &d) == -1 || d <= 0)
			return cause_set(cause, "%s: field 'caps.%s': expected "
			    "a number above 0", path, key);
		m->s.cap[i] = d;
	}
	return 0;
}

/*
 * The n-gram part of the model file root into m: hash_bits (0 when
 * missing) and, for more than 0, the table m->table from the [bucket,
 * weight] pairs of ngrams, every other bucket 0.  Returns 0, or -1 with
 * *cause.
 */
static int
load_ngrams(json_object *root, const char *path, struct scorer_file *m,
    char **cause)
{
	json_object	*v, *a, *pair;
	double		 d, idx;
	size_t		 i, n, size;

	if (json_object_object_get_ex(root, "hash_bits", &v)) {
		if (num_of(v, &d) == -1 || d != floor(d) || d < 0 ||
		    d > NGRAM_BITS_MAX)
			return fail(cause, path, "field 'hash_bits': expected a "
			    "whole number from 0 to 24");
		m->s.hash_bits = (unsigned)d;
	}
	if (m->s.hash_bits == 0)
		return 0;
	if (m->version == 1)
		return fail(cause, path, "version 1 n-gram weights grow with "
		    "the prompt's length; fit the model again with llmroute "
		    "train");
	if (!json_object_object_get_ex(root, "ngrams", &a) ||
	    !json_object_is_type(a, json_type_array))
		return fail(cause, path, "field 'ngrams': expected an array");
	size = (size_t)1 << m->s.hash_bits;
	if ((m->table = calloc(size, sizeof *m->table)) == NULL)
		return fail(cause, path, "out of memory");
	n = json_object_array_length(a);
	for (i = 0; i < n; i++) {
		pair = json_object_array_get_idx(a, i);
		if (!json_object_is_type(pair, json_type_array) ||
		    json_object_array_length(pair) != 2 ||
		    num_of(json_object_array_get_idx(pair, 0), &idx) == -1 ||
		    num_of(json_object_array_get_idx(pair, 1), &d) == -1 ||
		    idx < 0 || idx != floor(idx) || idx >= (double)size)
			return fail(cause, path, "field 'ngrams': expected "
			    "[bucket, weight] pairs");
		m->table[(size_t)idx] = (float)d;
	}
	m->s.ngram = m->table;
	return 0;
}

/* A whole number of o in [0, max], into *out.  Returns 0 or -1. */
static int
whole_of(json_object *o, double max, size_t *out)
{
	double d;

	if (num_of(o, &d) == -1 || d != floor(d) || d < 0 || d > max)
		return -1;
	*out = (size_t)d;
	return 0;
}

/* The parts of a memory being read, before memory_restore has them. */
struct mem_parts {
	float			*y;
	size_t			*off;
	struct memory_term	*terms;
	uint32_t		*ib;
	float			*idf;
	size_t			 n, nidf;
};

/*
 * The idf member of a memory, [[bucket, idf], ...] with buckets below
 * nb and idf above 0, into p.  Returns 0 or -1.
 */
static int
load_idf(json_object *a, size_t nb, struct mem_parts *p)
{
	json_object	*pair;
	size_t		 i, b;
	double		 d;

	if (!json_object_is_type(a, json_type_array))
		return -1;
	p->nidf = json_object_array_length(a);
	if ((p->ib = calloc(p->nidf + 1, sizeof *p->ib)) == NULL ||
	    (p->idf = calloc(p->nidf + 1, sizeof *p->idf)) == NULL)
		return -1;
	for (i = 0; i < p->nidf; i++) {
		pair = json_object_array_get_idx(a, i);
		if (!json_object_is_type(pair, json_type_array) ||
		    json_object_array_length(pair) != 2 ||
		    whole_of(json_object_array_get_idx(pair, 0),
		    (double)nb - 1, &b) == -1 ||
		    num_of(json_object_array_get_idx(pair, 1), &d) == -1 ||
		    d <= 0)
			return -1;
		p->ib[i] = (uint32_t)b;
		p->idf[i] = (float)d;
	}
	return 0;
}

/*
 * The prompts member of a memory, [[label, bucket, count, ...], ...]
 * with labels in [0, 1], buckets below nb and at most MEMORY_TERMS terms
 * each, into p.  Returns 0 or -1.
 */
static int
load_prompts(json_object *a, size_t nb, struct mem_parts *p)
{
	json_object	*r;
	size_t		 i, j, len, b, tf, t = 0;
	double		 d;

	if (!json_object_is_type(a, json_type_array) ||
	    (p->n = json_object_array_length(a)) > MEMORY_MAX_PROMPTS)
		return -1;
	if ((p->y = calloc(p->n + 1, sizeof *p->y)) == NULL ||
	    (p->off = calloc(p->n + 1, sizeof *p->off)) == NULL ||
	    (p->terms = calloc(p->n * MEMORY_TERMS + 1,
	    sizeof *p->terms)) == NULL)
		return -1;
	for (i = 0; i < p->n; i++) {
		r = json_object_array_get_idx(a, i);
		if (!json_object_is_type(r, json_type_array) ||
		    (len = json_object_array_length(r)) % 2 != 1 ||
		    len > 2 * MEMORY_TERMS + 1 ||
		    num_of(json_object_array_get_idx(r, 0), &d) == -1 ||
		    d < -1 || d > 1)
			return -1;
		p->y[i] = (float)d;
		for (j = 1; j < len; j += 2) {
			if (whole_of(json_object_array_get_idx(r, j),
			    (double)nb - 1, &b) == -1 ||
			    whole_of(json_object_array_get_idx(r, j + 1), 1e9,
			    &tf) == -1 || tf == 0)
				return -1;
			p->terms[t++] = (struct memory_term){ (uint32_t)b,
			    (uint32_t)tf };
		}
		p->off[i + 1] = t;
	}
	return 0;
}

/*
 * The optional memory of the model file root into m: {"bits", "k",
 * "shrink", "idf", "prompts"}.  Returns 0, or -1 with *cause.
 */
static int
load_memory(json_object *root, const char *path, struct scorer_file *m,
    char **cause)
{
	struct mem_parts	 p;
	json_object		*mo, *v, *idf, *pr;
	size_t			 bits, k;
	double			 shrink;
	int			 r = -1;

	if (!json_object_object_get_ex(root, "memory", &mo) ||
	    json_object_is_type(mo, json_type_null))
		return 0;
	memset(&p, 0, sizeof p);
	if (!json_object_is_type(mo, json_type_object) ||
	    !json_object_object_get_ex(mo, "bits", &v) ||
	    whole_of(v, NGRAM_BITS_MAX, &bits) == -1 || bits == 0 ||
	    !json_object_object_get_ex(mo, "k", &v) ||
	    whole_of(v, MEMORY_K_MAX, &k) == -1 || k == 0 ||
	    !json_object_object_get_ex(mo, "shrink", &v) ||
	    num_of(v, &shrink) == -1 || shrink <= 0 ||
	    !json_object_object_get_ex(mo, "idf", &idf) ||
	    !json_object_object_get_ex(mo, "prompts", &pr))
		return fail(cause, path, "field 'memory': expected bits, k, "
		    "shrink, idf and prompts");
	if (load_idf(idf, (size_t)1 << bits, &p) == -1)
		fail(cause, path, "field 'memory.idf': expected [bucket, idf] "
		    "pairs");
	else if (load_prompts(pr, (size_t)1 << bits, &p) == -1)
		fail(cause, path, "field 'memory.prompts': expected [label, "
		    "bucket, count, ...] arrays");
	else if (memory_restore(&m->mem, (unsigned)bits, (unsigned)k, shrink,
	    p.n, p.y, p.off, p.terms, p.ib, p.idf, p.nidf) == -1) {
		p.y = NULL;
		p.off = NULL;
		p.terms = NULL;
		fail(cause, path, "out of memory");
	} else {
		p.y = NULL;
		p.off = NULL;
		p.terms = NULL;
		m->s.memory = &m->mem;
		r = 0;
	}
	free(p.y);
	free(p.off);
	free(p.terms);
	free(p.ib);
	free(p.idf);
	return r;
}

/*
 * The optional "beats_length" and "note" of the model file root into m.
 */
static void
load_check(json_object *root, struct scorer_file *m)
{
	json_object *v;

	if (json_object_object_get_ex(root, "beats_length", &v) &&
	    json_object_is_type(v, json_type_boolean))
		m->beats_length = json_object_get_boolean(v) ? 1 : -1;
	if (json_object_object_get_ex(root, "note", &v) &&
	    json_object_is_type(v, json_type_string))
		m->note = strdup(json_object_get_string(v));
}

/*
 * Load the model file at path into m.  Returns 0, or -1 with *cause
 * (caller frees) saying what is wrong: not JSON, another version, a field
 * missing or damaged.
 */
int
scorer_file_load(const char *path, struct scorer_file *m, char **cause)
{
	struct buf	 b;
	json_object	*root = NULL, *v;
	int		 r = -1;

	memset(m, 0, sizeof *m);
	buf_init(&b, SCORER_FILE_MAXBYTES);
	if (load_root(path, &b, &root, cause) == -1 ||
	    load_linear(root, path, m, cause) == -1 ||
	    load_caps(root, path, m, cause) == -1 ||
	    load_ngrams(root, path, m, cause) == -1 ||
	    load_memory(root, path, m, cause) == -1)
		goto out;
	load_check(root, m);
	if (json_object_object_get_ex(root, "about", &v) &&
	    json_object_is_type(v, json_type_string))
		m->about = strdup(json_object_get_string(v));
	if ((m->name = strdup(path)) == NULL) {
		fail(cause, path, "out of memory");
		goto out;
	}
	m->s.name = m->name;
	r = 0;
out:
	if (r == -1)
		scorer_file_free(m);
	json_object_put(root);
	buf_free(&b);
	return r;
}

/*
 * The memory mem, when has, as the member "memory" to b: its buckets'
 * idf in bucket order and each prompt's label and terms.  Returns 0 or
 * -1 (memory).
 */
static int
save_memory(const struct memory *mem, int has, struct buf *b)
{
	size_t	i, j, nb, first = 1;
	int	e = 0;

	if (!has)
		return 0;
	e |= buf_addf(b, ",\"memory\":{\"bits\":%u,\"k\":%u,\"shrink\":",
	    mem->bits, mem->k);
	e |= jsonout_num(b, "%.17g", mem->shrink);
	e |= buf_addstr(b, ",\"idf\":[");
	nb = (size_t)1 << mem->bits;
	for (i = 0; i < nb; i++) {
		if (mem->idf[i] <= 0)
			continue;
		e |= buf_addf(b, "%s[%zu,", first ? "" : ",", i);
		e |= jsonout_num(b, "%.9g", mem->idf[i]);
		e |= buf_addch(b, ']');
		first = 0;
	}
	e |= buf_addstr(b, "],\"prompts\":[");
	for (i = 0; i < mem->n; i++) {
		e |= buf_addstr(b, i ? ",[" : "[");
		e |= jsonout_num(b, "%.9g", mem->y[i]);
		for (j = mem->off[i]; j < mem->off[i + 1]; j++)
			e |= buf_addf(b, ",%u,%u", mem->terms[j].bucket,
			    mem->terms[j].tf);
		e |= buf_addch(b, ']');
	}
	e |= buf_addstr(b, "]}");
	return e;
}

/* Write m as a model file (JSON) to b.  Returns 0 or -1 (memory). */
int
scorer_file_save(const struct scorer_file *m, struct buf *b)
{
	size_t	i, n, first = 1;
	int	e = 0;

	e |= buf_addf(b, "{\"llmroute_model\":%d,\"about\":", SCORER_FILE_VERSION);
	e |= jsonout_cstr(b, m->about ? m->about : "");
	e |= buf_addf(b, ",\"trained_on\":%zu,\"seed\":%lu,\"l2\":",
	    m->trained_on, m->seed);
	e |= jsonout_num(b, "%.10g", m->l2);
	e |= buf_addf(b, ",\"epochs\":%d,\"features\":[", m->epochs);
	for (i = 0; i < FEAT_COUNT; i++) {
		e |= buf_addstr(b, i ? "," : "");
		e |= jsonout_cstr(b, features_name((enum feature_id)i));
	}
	/* Enough digits to read back every bit: 17 for doubles, 9 floats. */
	e |= buf_addstr(b, "],\"bias\":");
	e |= jsonout_num(b, "%.17g", m->s.bias);
	e |= buf_addstr(b, ",\"weights\":[");
	for (i = 0; i < FEAT_COUNT; i++) {
		e |= buf_addstr(b, i ? "," : "");
		e |= jsonout_num(b, "%.17g", m->s.w[i]);
	}
	e |= buf_addstr(b, "],\"caps\":{");
	for (i = 0; i < FEAT_COUNT; i++) {
		if (m->s.cap[i] <= 0)
			continue;
		e |= buf_addstr(b, first ? "" : ",");
		e |= jsonout_cstr(b, features_name((enum feature_id)i));
		e |= buf_addch(b, ':');
		e |= jsonout_num(b, "%.17g", m->s.cap[i]);
		first = 0;
	}
	first = 1;
	e |= buf_addf(b, "},\"hash_bits\":%u,\"ngrams\":[", m->s.hash_bits);
	n = m->s.ngram ? (size_t)1 << m->s.hash_bits : 0;
	for (i = 0; i < n; i++) {
		if (m->s.ngram[i] == 0)
			continue;
		e |= buf_addf(b, "%s[%zu,", first ? "" : ",", i);
		e |= jsonout_num(b, "%.9g", m->s.ngram[i]);
		e |= buf_addch(b, ']');
		first = 0;
	}
	e |= buf_addch(b, ']');
	e |= save_memory(&m->mem, m->s.memory != NULL, b);
	if (m->beats_length != 0) {
		e |= buf_addstr(b, m->beats_length > 0 ?
		    ",\"beats_length\":true" : ",\"beats_length\":false");
		if (m->note != NULL) {
			e |= buf_addstr(b, ",\"note\":");
			e |= jsonout_cstr(b, m->note);
		}
	}
	e |= buf_addstr(b, "}\n");
	return e ? -1 : 0;
}

/* N-gram weights on each row of the generated C table. */
#define EMIT_ROW	8

/*
 * Format v with fmt as a C constant into t (NUM_FMTLEN bytes): with the
 * suffix when it has a fraction or an exponent, bare when it is a whole
 * number ("0", "-2": an integer constant converts exactly).
 */
static const char *
c_number(char *t, const char *fmt, double v, const char *suffix)
{
	size_t n;

	num_fmt(t, NUM_FMTLEN, fmt, v);
	n = strlen(t);
	if (strcspn(t, ".e") < n)
		snprintf(t + n, NUM_FMTLEN - n, "%s", suffix);
	return t;
}

/* The feature name s in capitals into u (32 bytes): its enum's name. */
static const char *
upper(char u[32], const char *s)
{
	size_t i;

	for (i = 0; i < 31 && s[i] != '\0'; i++)
		u[i] = (char)toupper((unsigned char)s[i]);
	u[i] = '\0';
	return u;
}

/*
 * Append s to b as the text of a C comment: on one line, and "*" and "/"
 * kept apart so that s can neither end the comment nor open another.
 */
static int
emit_comment_text(struct buf *b, const char *s)
{
	int e = 0;

	for (; *s != '\0'; s++) {
		if (*s == '\n')
			e |= buf_addch(b, ' ');
		else
			e |= buf_addch(b, *s);
		if ((s[0] == '*' && s[1] == '/') ||
		    (s[0] == '/' && s[1] == '*'))
			e |= buf_addch(b, ' ');
	}
	return e;
}

/*
 * The n-gram table of m: every bucket in index order, zeros included,
 * EMIT_ROW to a row, so that a refit changes rows in place; a one-entry
 * placeholder when m has none.
 */
static int
emit_table(const struct scorer_file *m, struct buf *b, size_t total)
{
	char	t[NUM_FMTLEN];
	size_t	i;
	int	e = 0;

	if (total == 0)
		return 0;
	e |= buf_addf(b, "\nstatic const float table[%zu] = {\n", total);
	for (i = 0; i < total; i++) {
		e |= buf_addstr(b, i % EMIT_ROW == 0 ? "\t" : " ");
		e |= buf_addstr(b, c_number(t, "%.9g", m->s.ngram[i], "f"));
		e |= buf_addstr(b, i + 1 == total || i % EMIT_ROW ==
		    EMIT_ROW - 1 ? ",\n" : ",");
	}
	e |= buf_addstr(b, "};\n");
	return e;
}

/*
 * Write m as the C source of the compiled-in default (src/score/weights.c).
 * The first line says how it was made; then what it was fitted on, the
 * n-gram table (emit_table), and weights_builtin, with every number
 * written so that it reads back to the same bits.  The table is constant
 * data: it costs no work at start, and only the pages a prompt's n-grams
 * touch are ever read.
 */
int
scorer_file_emit_c(const struct scorer_file *m, struct buf *b)
{
	const char	*about = m->about ? m->about : "";
	size_t		 i, total;
	char		 u[32];
	int		 first;
	char		 t[NUM_FMTLEN];
	int		 e = 0;

	total = m->s.ngram ? (size_t)1 << m->s.hash_bits : 0;
	for (i = 0; i < total && m->s.ngram[i] == 0; i++)
		;
	if (i == total)
		total = 0;	/* all zero: no table */
	e |= buf_addstr(b, "/* Generated by \"llmroute train --emit-c\" "
	    "(make weights): do not edit. */\n");
	e |= buf_addstr(b, "/*\n * weights.c: the built-in scorer.  "
	    "Fitted on:\n *\t");
	e |= emit_comment_text(b, about);
	e |= buf_addstr(b, "\n * To refit, change the data or the options of "
	    "\"make weights\" in the\n * Makefile and run it again.\n */\n"
	    "#include \"score/weights.h\"\n");
	e |= emit_table(m, b, total);
	e |= buf_addstr(b, "\nconst struct weights weights_builtin = {\n"
	    "\t.about = ");
	e |= jsonout_cstr(b, about);
	e |= buf_addf(b, ",\n\t.bias = %s,\n\t.w = {\n",
	    c_number(t, "%.17g", m->s.bias, ""));
	for (i = 0; i < FEAT_COUNT; i++)
		e |= buf_addf(b, "\t\t%s,\t/* %s */\n",
		    c_number(t, "%.17g", m->s.w[i], ""),
		    features_name((enum feature_id)i));
	e |= buf_addstr(b, "\t},\n");
	for (i = 0, first = 1; i < FEAT_COUNT; i++) {
		if (m->s.cap[i] <= 0)
			continue;
		e |= buf_addf(b, "%s[FEAT_%s] = %s", first ? "\t.cap = {" :
		    ", ", upper(u, features_name((enum feature_id)i)),
		    c_number(t, "%.17g", m->s.cap[i], ""));
		first = 0;
	}
	e |= buf_addstr(b, first ? "" : "},\n");
	e |= buf_addf(b, "\t.hash_bits = %u,\n\t.table = %s\n};\n",
	    total > 0 ? m->s.hash_bits : 0, total > 0 ? "table" : "NULL");
	return e ? -1 : 0;
}

/*
 * The scorer called name: a built-in one (builtin, heuristic, length),
 * else the scorer file at the path name, loaded into *file (which the
 * caller zeroed and frees with scorer_file_free).  Returns the scorer,
 * or NULL with *cause.
 */
const struct scorer *
scorer_choose(const char *name, struct scorer_file *file, char **cause)
{
	const struct scorer *s;

	if ((s = scorer_find(name)) != NULL)
		return s;
	if (scorer_file_load(name, file, cause) == -1)
		return NULL;
	return &file->s;
}

char *
scorer_id(const char *name, int *is_file)
{
	*is_file = scorer_find(name) == NULL;
	return *is_file ? realpath(name, NULL) : strdup(name);
}
