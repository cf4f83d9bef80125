/*
 * scorer_file.h: trained scorers on disk: the scorer file format (JSON,
 * written by "llmroute train"), the C source of the compiled-in one, and
 * the one way to choose a scorer by name.
 */
#ifndef LLMROUTE_SCORER_FILE_H
#define LLMROUTE_SCORER_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "score/features.h"
#include "score/memory.h"
#include "score/scorer.h"

#define SCORER_FILE_VERSION	2
/* The width of a memory's buckets. */
#define MEMORY_BITS		18

/*
 * A scorer loaded or fitted; it owns table, name and about, and s.ngram
 * and s.name point into them.  Zero it before use; scorer_file_free
 * releases it.
 */
struct scorer_file {
	struct scorer	 s;
	float		*table;		/* 1 << s.hash_bits weights, or NULL */
	struct memory	 mem;		/* s.memory points here when it has one */
	char		*name;		/* the path it was loaded from */
	char		*about;		/* what it was fitted on, or NULL */
	int		 version;	/* of the file it was loaded from */
	/* How it was fitted: saved, not read back by scorer_file_load. */
	size_t		 trained_on;	/* prompts */
	unsigned long	 seed;
	double		 l2;
	int		 epochs;
	/*
	 * Whether it beat prompt length in cross-validation on its own
	 * data: 1 it did, -1 it did not, 0 not measured; note says more
	 * (owned, or NULL).  Saved, and read back.
	 */
	int		 beats_length;
	char		*note;
};

/*
 * Load the scorer file at path into *out (overwritten), named after path.
 * Returns 0, or -1 with *cause (the caller frees it) naming path and what
 * is wrong: unreadable, not JSON, another version, a field missing or
 * damaged; *out is then zeroed and holds nothing.
 */
int	scorer_file_load(const char *path, struct scorer_file *out,
	    char **cause);

/*
 * Append m as a scorer file (one line of JSON) to out, with enough digits
 * that loading it gives the same weights back.  Returns 0, or -1 when out
 * cannot grow (what was appended stays).
 */
int	scorer_file_save(const struct scorer_file *m, struct buf *out);

/*
 * Append m as the C source of the compiled-in scorer
 * (src/score/weights.c, see weights.h): a first line saying how it was
 * made and not to edit it, what m was fitted on, the n-gram table in
 * dense rows and weights_builtin, every number reading back to the same
 * value.  Returns 0, or -1 when out cannot grow.
 */
int	scorer_file_emit_c(const struct scorer_file *m, struct buf *out);

/* Free what m owns and zero it; m may be zeroed already. */
void	scorer_file_free(struct scorer_file *m);

/*
 * The scorer called name: a compiled-in one (scorer_find), else the
 * scorer file at the path name, loaded into *file (zeroed by the caller,
 * who frees it with scorer_file_free either way).  Returns the scorer,
 * valid while *file is, or NULL with *cause as scorer_file_load.
 */
const struct scorer *scorer_choose(const char *name, struct scorer_file *file,
	    char **cause);

/*
 * What the scorer called name (a built-in name or a scorer file's path)
 * is recorded as beside calibrated bounds: the name itself, or the file's
 * absolute path, with *is_file set.  Caller frees; NULL (errno set) when
 * memory runs out or the file's path cannot be resolved.
 */
char	*scorer_id(const char *name, int *is_file);

#endif
