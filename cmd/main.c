/*
 * main.c: find the subcommand in the table and run it.  Without a known
 * subcommand name as the first argument, llmroute routes prompts.
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "front.h"

static const struct command commands[] = {
	{ "route", cmd_route, "route prompts (the default command)" },
	{ "models", cmd_models, "list the model catalog" },
	{ "config", cmd_config, "print the effective configuration" },
	{ "report", cmd_report, "summarise cost logs" },
	{ "eval", cmd_eval, "measure a scorer on labelled prompts" },
	{ "train", cmd_train, "fit the scorer on labelled prompts" },
	{ "feedback", cmd_feedback, "record a verdict on a logged call" },
	{ NULL, NULL, NULL }
};

int
main(int argc, char **argv)
{
	const struct command *c;

	/* Character classes only: numbers are always formatted with '.'. */
	setlocale(LC_CTYPE, "");

	if (argc > 1)
		for (c = commands; c->name != NULL; c++)
			if (strcmp(argv[1], c->name) == 0)
				return c->run(argc - 1, argv + 1);
	return cmd_route(argc, argv);
}
