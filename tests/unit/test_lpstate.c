/*
 * test_lpstate.c: the state file of models that reject log-probabilities
 * (lpstate.c): recorded once, believed for a while, private.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "call/lpstate.h"
#include "unit.h"

static int
lines_in(const char *path)
{
	char	buf[4096];
	ssize_t	n;
	int	fd, i, c = 0;

	if ((fd = open(path, O_RDONLY)) == -1)
		return -1;
	n = read(fd, buf, sizeof buf);
	close(fd);
	for (i = 0; i < n; i++)
		c += buf[i] == '\n';
	return c;
}

int
main(void)
{
	char		dir[] = "/tmp/llmroute-test-lpstate.XXXXXX";
	char		path[128];
	struct stat	sb;
	time_t		t = 1764300000;
	int		fd;

	if (mkdtemp(dir) == NULL) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	snprintf(path, sizeof path, "%s/logprobs.jsonl", dir);
	CHECK(!lpstate_rejects(path, "o4-mini", t),
	    "a missing file says nothing");
	CHECK(access(path, F_OK) == -1, "reading never creates the file");
	CHECK(lpstate_record(path, "o4-mini", t) == 0,
	    "a rejection is recorded");
	CHECK(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600,
	    "the file is private (0600)");
	CHECK(lpstate_rejects(path, "o4-mini", t + 10),
	    "the model is remembered");
	CHECK(!lpstate_rejects(path, "gpt-4.1-mini", t + 10),
	    "another model is not");
	CHECK(!lpstate_rejects(path, "o4-mini", t + LPSTATE_KEEP_SECONDS + 1),
	    "a rejection is believed for a while only");
	CHECK(lpstate_record(path, "o4-mini", t + 5) == 0 &&
	    lines_in(path) == 1, "a model recorded already is not again");
	CHECK(lpstate_record(path, "o4-mini", t + LPSTATE_KEEP_SECONDS + 9) ==
	    0 && lines_in(path) == 2, "an old one is recorded anew");
	fd = open(path, O_WRONLY | O_APPEND);
	CHECK(fd != -1 && write(fd, "not json\n{\"model\":7}\n{\"model\":\"x\"",
	    33) == 33, "damage appended");
	if (fd != -1)
		close(fd);
	CHECK(lpstate_rejects(path, "o4-mini", t + LPSTATE_KEEP_SECONDS + 10) &&
	    !lpstate_rejects(path, "x", t), "damaged lines say nothing");
	unlink(path);
	rmdir(dir);
	return unit_done();
}
