/*
 * exec.h: executing routed calls from the command line.
 */
#ifndef LLMROUTE_EXEC_H
#define LLMROUTE_EXEC_H

#include "llmroute.h"
#include "runlog.h"

/* What the command line says about calls. */
struct exec_opts {
	const char	*system;
	long		 max_tokens;
	int		 has_temperature;
	double		 temperature;
	int		 no_stream;
	double		 timeout;	/* seconds; 0: the configured one */
	int		 retries;	/* -1: the configured number */
	int		 no_cooldown;
	int		 jsonl;		/* results as JSON Lines */
	struct runlog	*log;		/* where records go */
};

struct exec {
	struct config	*cfg;
	struct engine	*eng;
	struct call_opts o;
	char		*cooldown_path;
	int		 jsonl;
	struct buf	 line;
	int		 wrote;
	char		 last_byte;
	int		 out_failed;	/* errno of a failed write */
	struct runlog	*log;
};

int	 exec_init(struct exec *, struct config *, const struct exec_opts *);
int	 exec_prompt(struct exec *, const struct prompt *,
	    const struct decision *, const char *source);
int	 exec_stopped(void);
void	 exec_free(struct exec *);

#endif
