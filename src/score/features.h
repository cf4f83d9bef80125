/*
 * features.h: a prompt's text turned into a feature vector, in one pass
 * over its bytes.  Pure: no I/O, no allocation, no locale; the same bytes
 * always give the same vector.
 */
#ifndef LLMROUTE_FEATURES_H
#define LLMROUTE_FEATURES_H

#include <stddef.h>

enum feature_id {
	FEAT_LENGTH,		/* log2(1 + estimated tokens) */
	FEAT_SENTENCES,		/* log2(1 + sentences) */
	FEAT_QUESTIONS,		/* log2(1 + question marks) */
	FEAT_CODE,		/* log2(1 + code signals) */
	FEAT_MATH,		/* log2(1 + mathematics signals) */
	FEAT_REASONING,		/* log2(1 + reasoning and analysis words) */
	FEAT_MULTIPART,		/* log2(1 + list items and sequencing words) */
	FEAT_CONSTRAINTS,	/* log2(1 + output-format and "must" words) */
	FEAT_DOMAIN,		/* log2(1 + legal/medical/financial/science) */
	FEAT_SIMPLE,		/* log2(1 + greeting, chit-chat, lookup) */
	FEAT_CHOICE,		/* log2(1 + multiple-choice option lines) */
	FEAT_NONENGLISH,	/* share of letters outside ASCII, 0 to 1 */
	FEAT_COUNT
};

/* Raw counts gathered in the single pass; the vector is derived from them. */
struct feature_counts {
	size_t	bytes;
	size_t	words;		/* runs of ASCII letters and digits */
	size_t	letters;	/* ASCII letters */
	size_t	digits;
	size_t	punct;		/* ASCII punctuation and symbols */
	size_t	nonascii;	/* code points at or above U+0080 */
	size_t	wide;		/* of those, at or above U+0800 */
	size_t	foreign;	/* of those, letters (not punctuation) */
	size_t	lines;
	size_t	sentences;
	size_t	questions;
	size_t	fences;		/* ``` lines */
	size_t	code_lines;	/* ending in ; { } or indented code */
	size_t	code_words;
	size_t	code_symbols;	/* { } [ ] ; = < > | & _ outside prose */
	size_t	math_ops;	/* = ^ + * / between operands */
	size_t	math_words;
	size_t	latex;		/* \command and $ */
	size_t	reasoning;
	size_t	list_items;
	size_t	sequencing;
	size_t	constraints;
	size_t	domain;
	size_t	simple;
	size_t	choices;
};

/* A prompt's features: the vector a scorer weighs, and what it came from. */
struct features {
	double			v[FEAT_COUNT];
	double			tokens;		/* estimated tokens */
	struct feature_counts	c;
};

/*
 * Fill *out (all of it, overwriting what was there) from the len bytes at
 * text, which need not be NUL-terminated.  Any bytes are accepted:
 * ill-formed UTF-8 counts as foreign text.  Cannot fail.
 */
void		 features_extract(const char *text, size_t len,
		    struct features *out);

/*
 * The short name of feature id ("length", ...), as --explain and scorer
 * files show it: a static string, or "?" for an id out of range.
 */
const char	*features_name(enum feature_id id);

/*
 * The estimated number of o200k tokens (GPT-4o, GPT-4.1, GPT-5) of the
 * text the counts were taken from: at least 1 for any non-empty text,
 * 0 for an empty one.
 */
double		 features_tokens(const struct feature_counts *counts);

#endif
