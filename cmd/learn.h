/*
 * learn.h: what eval, train, calibrate and feedback share: their options
 * as tables, the files they name, and the labelled prompts in them.
 */
#ifndef LLMROUTE_CMD_LEARN_H
#define LLMROUTE_CMD_LEARN_H

#include "front.h"

/* How an option's argument is taken into its dst. */
enum learn_arg {
	LEARN_FLAG,		/* no argument: int 1 */
	LEARN_STR,		/* const char *: the argument */
	LEARN_NUM,		/* double: a number from min to max */
	LEARN_WHOLE,		/* double: a whole number from min to max */
	LEARN_FORMAT		/* int: 1 for json, left alone for table */
};

/* One option of a command, and where its argument goes. */
struct learn_opt {
	const char	*name;		/* the long option; NULL ends a table */
	int		 letter;	/* its short form, or 0 */
	enum learn_arg	 arg;
	void		*dst;
	double		 min, max;
	const char	*bad;		/* what a bad number says */
};

#define LEARN_MAXOPTS	24	/* the most options of a table */

int	learn_options(int argc, char **argv, const struct command *cmd,
	    const struct learn_opt *opts);
int	learn_open(const char *name);
void	learn_close(int fd);
int	learn_slurp(const char *name, struct buf *b);
int	learn_labels(struct labels *ls, int argc, char **argv);

#endif
