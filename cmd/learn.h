/*
 * learn.h: what eval, train, calibrate and feedback share: the files
 * they name, and the labelled prompts in them.
 */
#ifndef LLMROUTE_CMD_LEARN_H
#define LLMROUTE_CMD_LEARN_H

#include "front.h"

int	learn_open(const char *name);
void	learn_close(int fd);
int	learn_slurp(const char *name, struct buf *b);
int	learn_labels(struct labels *ls, int argc, char **argv);

#endif
