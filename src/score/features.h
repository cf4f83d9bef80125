/*
 * features.h: a prompt's text turned into a feature vector.
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

struct features {
	double			v[FEAT_COUNT];
	double			tokens;		/* estimated tokens */
	struct feature_counts	c;
};

void		 features_extract(const char *, size_t, struct features *);
const char	*features_name(enum feature_id);
double		 features_tokens(const struct feature_counts *);

#endif
