/*
 * test_speed.c: the median latency of each model's recent ok calls, read
 * from the end of a cost log only.
 */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "log/speed.h"
#include "unit.h"

/* Append a record of a call of model that took ms, with status. */
static void
rec(struct buf *b, const char *model, double ms, const char *status,
    int dry)
{
	buf_addf(b, "{\"v\":1,\"ts\":\"2026-01-01T00:00:00.000Z\",\"model\":"
	    "\"%s\",\"tokens_in\":1,\"tokens_out\":1,\"cost_usd\":0,"
	    "\"baseline_cost_usd\":0,\"latency_ms\":%.0f,\"status\":\"%s\","
	    "\"dry_run\":%s}\n", model, ms, status, dry ? "true" : "false");
}

/* The median speed_read_fd finds for model in the log b; -1: none. */
static double
median(const struct speed *sp, const char *model)
{
	size_t i;

	for (i = 0; i < sp->nlat; i++)
		if (strcmp(sp->lat[i].model, model) == 0)
			return sp->lat[i].p50_ms;
	return -1;
}

/* Read the log b into *sp; 0 or -1. */
static int
read_log(const struct buf *b, struct speed *sp)
{
	char	*cause = NULL;
	int	 fd, r;

	memset(sp, 0, sizeof *sp);
	if ((fd = unit_tmp_fd(b->data, b->len)) == -1)
		return -1;
	r = speed_read_fd(sp, fd, &cause);
	free(cause);
	close(fd);
	return r;
}

static void
test_medians(void)
{
	struct buf	b = BUF_INIT;
	struct speed	sp;

	/* fast: 100, 300, 200 -> 200; errors, dry runs, damage not counted. */
	rec(&b, "fast", 100, "ok", 0);
	rec(&b, "slow", 900, "ok", 0);
	rec(&b, "fast", 300, "ok", 0);
	rec(&b, "fast", 5, "error", 0);
	rec(&b, "fast", 1, "ok", 1);
	buf_addstr(&b, "{not json\n\n");
	rec(&b, "slow", 1100, "ok", 0);
	rec(&b, "fast", 200, "ok", 0);
	rec(&b, "failing", 10, "error", 0);
	CHECK(read_log(&b, &sp) == 0, "speed: a log read");
	CHECK(median(&sp, "fast") == 200,
	    "speed: the median of the ok calls, odd count");
	CHECK(median(&sp, "slow") == 1000,
	    "speed: the mean of the middle two, even count");
	CHECK(median(&sp, "failing") == -1,
	    "speed: a model without an ok call has no latency");
	speed_free(&sp);
	CHECK(sp.nlat == 0 && sp.lat == NULL, "speed_free: zeroed");
	buf_free(&b);
}

static void
test_recent(void)
{
	struct buf	b = BUF_INIT;
	struct speed	sp;
	int		i;

	/* 60 slow calls, then SPEED_RECENT fast ones: only these count. */
	for (i = 0; i < 60; i++)
		rec(&b, "m", 5000, "ok", 0);
	for (i = 0; i < SPEED_RECENT; i++)
		rec(&b, "m", 100 + i % 3, "ok", 0);
	CHECK(read_log(&b, &sp) == 0 && median(&sp, "m") == 101,
	    "speed: the model's last SPEED_RECENT calls only");
	speed_free(&sp);
	buf_free(&b);
}

static void
test_tail(void)
{
	struct buf	b = BUF_INIT;
	struct speed	sp;
	size_t		cut;

	/* "old" lies before the last MiB; padding fills it up. */
	rec(&b, "old", 10, "ok", 0);
	while (b.len < (size_t)SPEED_TAIL + 1000)
		rec(&b, "pad", 500, "ok", 0);
	rec(&b, "new", 50, "ok", 0);
	CHECK(read_log(&b, &sp) == 0 && median(&sp, "old") == -1 &&
	    median(&sp, "new") == 50 && median(&sp, "pad") == 500,
	    "speed: only the last SPEED_TAIL bytes are read");
	speed_free(&sp);

	/* A tail that starts in the middle of a record skips the rest of
	 * it; one that starts after a newline keeps its first record. */
	buf_reset(&b);
	rec(&b, "first", 10, "ok", 0);
	cut = b.len;
	rec(&b, "second", 20, "ok", 0);
	while (b.len - cut < (size_t)SPEED_TAIL)
		buf_addch(&b, ' ');
	buf_addch(&b, '\n');
	CHECK(read_log(&b, &sp) == 0 && median(&sp, "first") == -1 &&
	    median(&sp, "second") == -1,
	    "speed: a record cut by the tail is skipped");
	speed_free(&sp);
	buf_reset(&b);
	rec(&b, "first", 10, "ok", 0);
	cut = b.len;
	rec(&b, "second", 20, "ok", 0);
	while (b.len - cut < (size_t)SPEED_TAIL - 1)
		buf_addch(&b, ' ');
	buf_addch(&b, '\n');
	CHECK(read_log(&b, &sp) == 0 && median(&sp, "first") == -1 &&
	    median(&sp, "second") == 20,
	    "speed: a tail that starts at a record keeps it");
	speed_free(&sp);
	buf_free(&b);
}

static void
test_not_regular(void)
{
	struct speed	 sp;
	char		*cause = NULL;
	int		 fd;

	memset(&sp, 0, sizeof sp);
	fd = unit_pipe_fd("{}\n", 3);
	CHECK(fd != -1 && speed_read_fd(&sp, fd, &cause) == 0 && sp.nlat == 0,
	    "speed: a pipe reads as empty, never waited on");
	close(fd);
	speed_free(&sp);
	free(cause);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_medians();
	test_recent();
	test_tail();
	test_not_regular();
	return unit_done();
}
