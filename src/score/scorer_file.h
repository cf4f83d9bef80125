/*
 * model.h: trained scorers: the model file format, the compiled-in
 * default, and fitting a model to labelled prompts.
 */
#ifndef LLMROUTE_SCORER_FILE_H
#define LLMROUTE_SCORER_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "score/features.h"
#include "score/scorer.h"

#define SCORER_FILE_VERSION	1

/* A model loaded or fitted; s.ngram points into table. */
struct scorer_file {
	struct scorer	 s;
	float		*table;
	char		*name;
	char		*about;
	size_t		 trained_on;
	unsigned long	 seed;
	double		 l2;
	int		 epochs;
};

int	scorer_file_load(const char *, struct scorer_file *, char **cause);
int	scorer_file_save(const struct scorer_file *, struct buf *);
int	scorer_file_emit_c(const struct scorer_file *, struct buf *);
void	scorer_file_free(struct scorer_file *);
const struct scorer *scorer_choose(const char *name, struct scorer_file *file,
	    char **cause);

#endif
