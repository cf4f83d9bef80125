/*
 * model.h: trained scorers: the model file format, the compiled-in
 * default, and fitting a model to labelled prompts.
 */
#ifndef LLMROUTE_MODEL_H
#define LLMROUTE_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "features.h"
#include "score.h"

#define MODEL_VERSION	1

/* Weights as compiled in. */
struct model_weights {
	const char	*about;		/* what it was fitted on */
	double		 bias;
	double		 w[FEAT_COUNT];
	unsigned	 hash_bits;	/* 0: no n-gram table */
	const float	*table;		/* 1 << hash_bits weights */
};

extern const struct model_weights model_default;

/* A model loaded or fitted; s.ngram points into table. */
struct model_file {
	struct scorer	 s;
	float		*table;
	char		*name;
	char		*about;
	size_t		 trained_on;
	unsigned long	 seed;
	double		 l2;
	int		 epochs;
};

int	model_builtin(struct scorer *);
int	model_load(const char *, struct model_file *, char **cause);
int	model_save(const struct model_file *, struct buf *);
int	model_emit_c(const struct model_file *, struct buf *);
void	model_free(struct model_file *);

#endif
