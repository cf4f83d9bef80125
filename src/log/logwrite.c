/*
 * logwrite.c: the cost log of one run; logwrite.h states the contract.
 */
#include <stdlib.h>
#include <time.h>

#include "base/cause.h"
#include "log/logwrite.h"

#include "base/banned.h"

#define NS_PER_SECOND	1e9

void
logwrite_init(struct logwrite *rl)
{
	rl->on = 0;
	rl->failed = 0;
	rl->lf.fd = -1;
	rl->lf.path = NULL;
	buf_init(&rl->line, BUF_NOLIMIT);
}

int
logwrite_open(struct logwrite *rl, const char *path, char **cause)
{
	if (logfile_open(&rl->lf, path, cause) == -1)
		return -1;
	rl->on = 1;
	return 0;
}

int
logwrite_record(struct logwrite *rl, struct logrec *r, char **cause)
{
	struct timespec ts;

	if (!rl->on)
		return 0;
	if (rl->failed)
		return -1;
	clock_gettime(CLOCK_REALTIME, &ts);
	r->ts = (double)ts.tv_sec + (double)ts.tv_nsec / NS_PER_SECOND;
	r->tags = rl->tags;
	r->ntags = rl->ntags;
	r->log_prompt = rl->prompts;
	if (r->request_id == NULL) {
		if (reqid_new(rl->request_id, cause) == -1) {
			rl->failed = 1;
			return -1;
		}
		r->request_id = rl->request_id;
	}
	buf_reset(&rl->line);
	if (logrec_format(&rl->line, r) == -1) {
		rl->failed = 1;
		return cause_set(cause, "out of memory");
	}
	if (logfile_append(&rl->lf, rl->line.data, rl->line.len,
	    cause) == -1) {
		rl->failed = 1;
		return -1;
	}
	return 0;
}

void
logwrite_close(struct logwrite *rl)
{
	if (rl->lf.fd != -1)
		logfile_close(&rl->lf);
	buf_free(&rl->line);
	free(rl->tags);
	rl->tags = NULL;
	rl->ntags = 0;
	rl->on = 0;
}

const char *
logwrite_default(const char *env, const char *configured)
{
	if (env != NULL && *env != '\0')
		return env;
	return configured;
}
