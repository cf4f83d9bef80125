/*
 * test_cooldown.c: the cooldown state file: thresholds, windows, success,
 * other models, corrupt files, the file mode and concurrent writers.
 * Every time is an explicit "now"; nothing sleeps.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json.h>

#include "call/cooldown.h"
#include "unit.h"

#define T0	((time_t)1764300000)

static char dir[256];

/* A file name in the test directory (one of 4 rotating buffers). */
static const char *
path_of(const char *name)
{
	static char	p[4][512];
	static int	i;

	i = (i + 1) % 4;
	snprintf(p[i], sizeof p[i], "%s/%s", dir, name);
	return p[i];
}

static void
write_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return;
	fputs(s, f);
	fclose(f);
}

/* The file's text (static), or "" when it cannot be read. */
static const char *
read_file(const char *path)
{
	static char	text[1 << 16];
	FILE		*f;
	size_t		n = 0;

	text[0] = '\0';
	if ((f = fopen(path, "r")) == NULL)
		return text;
	n = fread(text, 1, sizeof text - 1, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

/*
 * Look model up in the file: every line must be a whole JSON object with
 * a string "model" and numbers "failures", "since", "until".  Returns the
 * number of lines naming model (0 or 1 expected), or -1 when a line is
 * not well-formed; *nlines gets the number of lines.
 */
static int
lookup(const char *path, const char *model, double *failures, double *since,
    double *until, int *nlines)
{
	const char	*p = read_file(path), *nl;
	json_object	*o, *v;
	int		 found = 0, n = 0, bad = 0;
	char		 line[4096];
	size_t		 len;

	for (; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			return -1;	/* a line without its end */
		len = (size_t)(nl - p);
		if (len >= sizeof line)
			return -1;
		memcpy(line, p, len);
		line[len] = '\0';
		n++;
		if ((o = json_tokener_parse(line)) == NULL)
			return -1;
		if (!json_object_is_type(o, json_type_object) ||
		    !json_object_object_get_ex(o, "model", &v) ||
		    !json_object_is_type(v, json_type_string))
			bad = 1;
		else if (strcmp(json_object_get_string(v), model) == 0) {
			found++;
			if (json_object_object_get_ex(o, "failures", &v))
				*failures = json_object_get_double(v);
			else
				bad = 1;
			if (json_object_object_get_ex(o, "since", &v))
				*since = json_object_get_double(v);
			else
				bad = 1;
			if (json_object_object_get_ex(o, "until", &v))
				*until = json_object_get_double(v);
			else
				bad = 1;
		}
		json_object_put(o);
		if (bad)
			return -1;
	}
	if (nlines != NULL)
		*nlines = n;
	return found;
}

/* The failure count of model in the file, or -1 when it has no entry. */
static double
count(const char *path, const char *model)
{
	double	f = -1, s, u;

	if (lookup(path, model, &f, &s, &u, NULL) != 1)
		return -1;
	return f;
}

static int
nlines(const char *path)
{
	double	f, s, u;
	int	n = -1;

	if (lookup(path, "", &f, &s, &u, &n) == -1)
		return -1;
	return n;
}

static void
test_basic(void)
{
	const struct cooldown_opts o = { 3, 60, 300 };
	const char	*p = path_of("basic");
	double		 f = 0, s = 0, u = 0;

	CHECK(cooldown_remaining(p, "gpt-4.1", T0, &o) == 0,
	    "no file: 0 remaining");
	CHECK(access(p, F_OK) == -1, "asking does not create the file");

	CHECK(cooldown_record(p, "gpt-4.1", 1, NULL, T0, &o) == 0,
	    "record a failure");
	CHECK(cooldown_remaining(p, "gpt-4.1", T0, &o) == 0,
	    "1 failure of 3: still 0");
	CHECK(count(p, "gpt-4.1") == 1, "the file counts 1 failure");
	CHECK(lookup(p, "gpt-4.1", &f, &s, &u, NULL) == 1 && s == (double)T0 &&
	    u == 0, "the window starts at the first failure, no until");
	CHECK(cooldown_record(p, "gpt-4.1", 1, NULL, T0 + 10, &o) == 0 &&
	    cooldown_remaining(p, "gpt-4.1", T0 + 10, &o) == 0,
	    "2 failures of 3: still 0");
	CHECK(count(p, "gpt-4.1") == 2, "the file counts 2 failures");
	CHECK(cooldown_record(p, "gpt-4.1", 1, NULL, T0 + 20, &o) == 0,
	    "the third failure");
	CHECK(cooldown_remaining(p, "gpt-4.1", T0 + 20, &o) == 300,
	    "at the threshold: remaining = seconds");
	CHECK(cooldown_remaining(p, "gpt-4.1", T0 + 120, &o) == 200,
	    "100 s later: 200 s remaining");
	CHECK(cooldown_remaining(p, "gpt-4.1", T0 + 319, &o) == 1,
	    "1 s before the end: 1 s remaining");
	CHECK(cooldown_remaining(p, "gpt-4.1", T0 + 320, &o) == 0,
	    "at the end: 0");
	CHECK(cooldown_remaining(p, "gpt-4.1", T0 + 5000, &o) == 0,
	    "long after: 0");
	CHECK(cooldown_remaining(p, "claude-haiku-4-5", T0 + 20, &o) == 0,
	    "another model is not cooling down");
	CHECK(lookup(p, "gpt-4.1", &f, &s, &u, NULL) == 1 && f == 3 &&
	    s == (double)T0 && u == (double)(T0 + 320),
	    "the file holds failures 3, since T0, until T0+320");

	CHECK(cooldown_record(p, "gpt-4.1", 0, NULL, T0 + 30, &o) == 0,
	    "record a success");
	CHECK(cooldown_remaining(p, "gpt-4.1", T0 + 30, &o) == 0,
	    "a success clears the cooldown");
	CHECK(count(p, "gpt-4.1") == -1, "a success forgets the model");
	CHECK(cooldown_record(p, "gpt-4.1", 1, NULL, T0 + 31, &o) == 0 &&
	    cooldown_record(p, "gpt-4.1", 1, NULL, T0 + 32, &o) == 0 &&
	    cooldown_remaining(p, "gpt-4.1", T0 + 32, &o) == 0 &&
	    count(p, "gpt-4.1") == 2,
	    "after a success the count starts again from 0");
	CHECK(cooldown_record(p, "unknown", 0, NULL, T0 + 33, &o) == 0 &&
	    count(p, "gpt-4.1") == 2 && nlines(p) == 1,
	    "a success of a model not in the file changes nothing");

	errno = 0;
	CHECK(cooldown_record(path_of("no/such/dir"), "m", 1, NULL, T0, &o) == -1 &&
	    errno == ENOENT, "an unwritable path: -1 with errno");
	CHECK(cooldown_remaining(path_of("no/such/dir"), "m", T0, &o) == 0,
	    "an unreadable path: 0");
}

static void
test_window(void)
{
	const struct cooldown_opts o = { 3, 60, 300 };
	const char	*p = path_of("window");
	double		 f = 0, s = 0, u = 0;

	cooldown_record(p, "m", 1, NULL, T0, &o);
	cooldown_record(p, "m", 1, NULL, T0 + 10, &o);
	CHECK(count(p, "m") == 2, "window: 2 failures");
	CHECK(cooldown_record(p, "m", 1, NULL, T0 + 70, &o) == 0 &&
	    cooldown_remaining(p, "m", T0 + 70, &o) == 0,
	    "window: a failure after the window does not start a cooldown");
	CHECK(lookup(p, "m", &f, &s, &u, NULL) == 1 && f == 1 &&
	    s == (double)(T0 + 70), "window: the count restarts at 1, since "
	    "moves to now");
	cooldown_record(p, "m", 1, NULL, T0 + 80, &o);
	CHECK(cooldown_remaining(p, "m", T0 + 80, &o) == 0,
	    "window: 2 in the new window");
	cooldown_record(p, "m", 1, NULL, T0 + 129, &o);
	CHECK(cooldown_remaining(p, "m", T0 + 129, &o) == 300,
	    "window: 3 within 60 s of the window start: cooldown");

	/* Exactly at the window's end the window is over. */
	p = path_of("window2");
	cooldown_record(p, "m", 1, NULL, T0, &o);
	cooldown_record(p, "m", 1, NULL, T0 + 1, &o);
	cooldown_record(p, "m", 1, NULL, T0 + 60, &o);
	CHECK(cooldown_remaining(p, "m", T0 + 60, &o) == 0 &&
	    count(p, "m") == 1,
	    "window: a failure at since + window starts a new window");

	/* A lapsed window is forgotten when the file is next written. */
	p = path_of("window3");
	cooldown_record(p, "old", 1, NULL, T0, &o);
	cooldown_record(p, "new", 1, NULL, T0 + 100, &o);
	CHECK(count(p, "old") == -1 && count(p, "new") == 1,
	    "window: an entry whose window lapsed is dropped on write");
	/* But a cooldown still running is kept past its window. */
	cooldown_record(p, "hot", 1, NULL, T0 + 100, &o);
	cooldown_record(p, "hot", 1, NULL, T0 + 100, &o);
	cooldown_record(p, "hot", 1, NULL, T0 + 100, &o);
	cooldown_record(p, "new", 1, NULL, T0 + 200, &o);
	CHECK(cooldown_remaining(p, "hot", T0 + 200, &o) == 200,
	    "window: a running cooldown outlives its window");
}

static void
test_others(void)
{
	const struct cooldown_opts o = { 2, 600, 120 };
	const char	*p = path_of("others");
	static const char *const names[] = { "a", "b", "c/d", "we\"ird\\ n\xc3\xa9",
	    "e" };
	size_t		 i;
	int		 ok;

	for (i = 0; i < 5; i++)
		cooldown_record(p, names[i], 1, NULL, T0, &o);
	cooldown_record(p, "b", 1, NULL, T0 + 1, &o);
	cooldown_record(p, "c/d", 1, NULL, T0 + 1, &o);
	CHECK(nlines(p) == 5, "others: one line per model");
	ok = 1;
	for (i = 0; i < 5; i++)
		if (count(p, names[i]) != (i == 1 || i == 2 ? 2 : 1))
			ok = 0;
	CHECK(ok, "others: every model keeps its own count");
	CHECK(count(p, "we\"ird\\ n\xc3\xa9") == 1,
	    "others: a name with a quote, backslash and UTF-8 round-trips");
	CHECK(cooldown_remaining(p, "b", T0 + 1, &o) == 120 &&
	    cooldown_remaining(p, "c/d", T0 + 1, &o) == 120 &&
	    cooldown_remaining(p, "a", T0 + 1, &o) == 0,
	    "others: only the models at the threshold cool down");
	cooldown_record(p, "b", 0, NULL, T0 + 2, &o);
	CHECK(count(p, "b") == -1 && count(p, "a") == 1 &&
	    count(p, "c/d") == 2 && count(p, "e") == 1 &&
	    count(p, "we\"ird\\ n\xc3\xa9") == 1 && nlines(p) == 4,
	    "others: a success of one model keeps the others");
	CHECK(cooldown_remaining(p, "c/d", T0 + 2, &o) == 119,
	    "others: their cooldowns too");
	CHECK(count(p, "we\"ird") == -1 && count(p, "") == -1,
	    "others: no prefix matches");
}

static void
test_corrupt(void)
{
	const struct cooldown_opts o = { 3, 60, 300 };
	const char	*p = path_of("corrupt");
	char		 text[2048], nonl[512];
	const char	*t;

	snprintf(text, sizeof text,
	    "garbage line\n"
	    "{\"model\":\"keep\",\"failures\":1,\"since\":%ld,\"until\":0}\n"
	    "{not json}\n"
	    "\n"
	    "{\"failures\":3,\"since\":%ld,\"until\":%ld}\n"
	    "{\"model\":\"hot\",\"failures\":3,\"since\":%ld,\"until\":%ld}\n"
	    "{\"model\":\"typed\",\"failures\":\"x\",\"since\":%ld,\"until\":%ld}\n"
	    "[1,2,3]\n"
	    "{\"model\":\"trail\",\"failures\":1,\"since\":%ld,\"until\":0} x\n"
	    "\x01\xff\xfe\n"
	    "{\"model\":\"cut\",\"failures\":2,\"since\":%ld,\"until\":%ld",
	    (long)T0, (long)T0, (long)T0 + 100, (long)T0, (long)T0 + 100,
	    (long)T0, (long)T0 + 100, (long)T0, (long)T0, (long)T0 + 100);
	write_file(p, text);
	CHECK(cooldown_remaining(p, "hot", T0, &o) == 100,
	    "corrupt: a good line among garbage is read");
	CHECK(cooldown_remaining(p, "keep", T0, &o) == 0,
	    "corrupt: a good line without a cooldown is 0");
	CHECK(cooldown_remaining(p, "cut", T0, &o) == 0,
	    "corrupt: a truncated last line is ignored");
	snprintf(text, sizeof text,
	    "{\"model\":\"a\",\"failures\":3,\"since\":%ld,\"until\":%ld}\n"
	    "{\"model\":\"b\",\"failures\":3,\"since\":%ld,\"until\":%ld}",
	    (long)T0, (long)T0 + 100, (long)T0, (long)T0 + 100);
	snprintf(nonl, sizeof nonl, "%s", path_of("nonl"));
	write_file(nonl, text);
	CHECK(cooldown_remaining(nonl, "a", T0, &o) == 100 &&
	    cooldown_remaining(nonl, "b", T0, &o) == 0,
	    "corrupt: a last line without its newline is not whole");
	unlink(nonl);
	CHECK(cooldown_remaining(p, "trail", T0, &o) == 0,
	    "corrupt: a line with trailing junk is ignored");
	CHECK(cooldown_record(p, "new", 1, NULL, T0, &o) == 0,
	    "corrupt: recording over a corrupt file works");
	t = read_file(p);
	CHECK(strstr(t, "garbage") == NULL && strstr(t, "not json") == NULL &&
	    strstr(t, "cut") == NULL && strstr(t, "[1,2,3]") == NULL &&
	    strstr(t, "trail") == NULL && strchr(t, '\x01') == NULL,
	    "corrupt: the garbage is gone");
	CHECK(nlines(p) >= 3 && count(p, "keep") == 1 && count(p, "new") == 1 &&
	    count(p, "hot") == 3,
	    "corrupt: rewritten clean, the good entries kept");
	CHECK(cooldown_remaining(p, "hot", T0 + 50, &o) == 50,
	    "corrupt: the kept cooldown still runs");
	CHECK(t[0] != '\0' && t[strlen(t) - 1] == '\n',
	    "corrupt: the rewritten file ends with a newline");

	snprintf(text, sizeof text,
	    "{\"model\":\"crlf\",\"failures\":3,\"since\":%ld,"
	    "\"until\":%ld}\r\n"
	    "{\"model\":\"cr\",\"failures\":3,\"since\":%ld,"
	    "\"until\":%ld}\r"
	    "{\"model\":\"after\",\"failures\":3,\"since\":%ld,"
	    "\"until\":%ld}\n",
	    (long)T0, (long)T0 + 100, (long)T0, (long)T0 + 100, (long)T0,
	    (long)T0 + 100);
	write_file(p, text);
	CHECK(cooldown_remaining(p, "crlf", T0, &o) == 100,
	    "corrupt: a line ending in CRLF is read");
	CHECK(cooldown_remaining(p, "cr", T0, &o) == 0 &&
	    cooldown_remaining(p, "after", T0, &o) == 0,
	    "corrupt: a lone CR does not end a line");

	write_file(p, "");
	CHECK(cooldown_remaining(p, "x", T0, &o) == 0 &&
	    cooldown_record(p, "x", 1, NULL, T0, &o) == 0 && count(p, "x") == 1,
	    "corrupt: an empty file is an empty state");
	write_file(p, "\n\n\n{\"model\":\"x\"");
	CHECK(cooldown_record(p, "x", 1, NULL, T0, &o) == 0 && count(p, "x") == 1 &&
	    nlines(p) == 1, "corrupt: blank lines and a fragment are dropped");

	/* A shorter rewrite leaves no tail of the longer old file. */
	write_file(p, "");
	cooldown_record(p, "a-long-model-name-number-one", 1, NULL, T0, &o);
	cooldown_record(p, "a-long-model-name-number-two", 1, NULL, T0, &o);
	cooldown_record(p, "a-long-model-name-number-one", 0, NULL, T0, &o);
	cooldown_record(p, "a-long-model-name-number-two", 0, NULL, T0, &o);
	CHECK(read_file(p)[0] == '\0', "corrupt: the last success empties "
	    "the file (truncated, no stale tail)");
}

/*
 * A clock set back, or a state file written by a clock far ahead, never
 * makes a cooldown last longer than its seconds, nor a window of
 * failures longer than its window.
 */
static void
test_clock_back(void)
{
	const struct cooldown_opts o = { 1, 60, 120 }, o3 = { 3, 60, 120 };
	const char	*p = path_of("clock");
	double		 f = 0, s = 0, u = 0;
	char		 text[512];

	cooldown_record(p, "m", 1, NULL, T0, &o);
	CHECK(cooldown_remaining(p, "m", T0, &o) == 120,
	    "clock: a cooldown of 120 s");
	CHECK(cooldown_remaining(p, "m", T0 - 365 * 86400L, &o) == 120,
	    "clock: set back a year, 120 s left at most");
	CHECK(cooldown_remaining(p, "m", T0 - 1, &o) == 120,
	    "clock: set back a second, 120 s left at most");
	CHECK(cooldown_remaining(p, "m", T0 + 60, &o) == 60,
	    "clock: on time, the cooldown runs down as before");
	snprintf(text, sizeof text, "{\"model\":\"future\",\"failures\":3,"
	    "\"since\":%ld,\"until\":%ld}\n", (long)T0 + 31536000L,
	    (long)T0 + 31536120L);
	write_file(p, text);
	CHECK(cooldown_remaining(p, "future", T0, &o) == 120,
	    "clock: an end a year ahead leaves 120 s at most");
	CHECK(cooldown_remaining(p, "future", T0, &o3) == 120 &&
	    cooldown_remaining(p, "future", T0 + 10, &o) == 120,
	    "clock: the cap is the configured cooldown");

	p = path_of("clock2");
	cooldown_record(p, "m", 1, NULL, T0 + 1000, &o3);
	cooldown_record(p, "m", 1, NULL, T0 + 1000, &o3);
	cooldown_record(p, "m", 1, NULL, T0, &o3);
	CHECK(cooldown_remaining(p, "m", T0, &o3) == 0 && count(p, "m") == 1 &&
	    lookup(p, "m", &f, &s, &u, NULL) == 1 && s == (double)T0,
	    "clock: failures counted from a time ahead of now start again");
}

static void
test_mode(void)
{
	const struct cooldown_opts o = { 3, 60, 300 };
	const char	*p = path_of("mode");
	struct stat	 st;
	mode_t		 old;

	old = umask(0);
	CHECK(cooldown_record(p, "m", 1, NULL, T0, &o) == 0, "mode: created");
	umask(old);
	CHECK(stat(p, &st) == 0 && (st.st_mode & 07777) == 0600,
	    "mode: the state file is 0600 even with umask 0");
}

static void
test_concurrent(void)
{
	const struct cooldown_opts o = { 1000, 3600, 60 };
	const char	*p = path_of("concurrent");
	char		 name[32], what[96];
	pid_t		 pid[8];
	int		 i, k, st, ok, exits = 1;

	fflush(stdout);
	for (i = 0; i < 8; i++) {
		if ((pid[i] = fork()) == -1) {
			CHECK(0, "concurrent: fork");
			return;
		}
		if (pid[i] == 0) {
			int bad = 0;

			snprintf(name, sizeof name, "model-%d", i);
			for (k = 0; k < 50; k++)
				if (cooldown_record(p, name, 1, NULL, T0 + k, &o) !=
				    0)
					bad = 1;
			_exit(bad);
		}
	}
	for (i = 0; i < 8; i++)
		if (waitpid(pid[i], &st, 0) != pid[i] || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != 0)
			exits = 0;
	CHECK(exits, "concurrent: every record call succeeded");
	CHECK(nlines(p) == 8, "concurrent: 8 well-formed lines");
	ok = 1;
	for (i = 0; i < 8; i++) {
		snprintf(name, sizeof name, "model-%d", i);
		if (count(p, name) != 50) {
			snprintf(what, sizeof what, "concurrent: %s has %.0f, "
			    "not 50", name, count(p, name));
			CHECK(0, what);
			ok = 0;
		}
	}
	CHECK(ok, "concurrent: every model's entry exists with 50 failures");
}

static void
cleanup(void)
{
	static const char *const files[] = { "basic", "window", "window2",
	    "window3", "others", "corrupt", "mode", "concurrent" };
	size_t i;

	for (i = 0; i < sizeof files / sizeof files[0]; i++)
		unlink(path_of(files[i]));
	rmdir(dir);
}

/* Reasons kept, cooldowns listed, rendered and ended. */
static void
test_list_clear(void)
{
	struct cooldown_opts	 o = { .failures = 1, .window = 60,
	    .seconds = 300 };
	struct cooldown_entry	*v;
	struct buf		 b = BUF_INIT;
	const char		*p = path_of("list.jsonl");
	char			 longr[600], *cause = NULL;
	size_t			 n = 99;

	unlink(p);
	CHECK(cooldown_list(p, T0, &o, &v, &n, &cause) == 0 && n == 0,
	    "list: no file, no cooldown");
	cooldown_list_free(v, n);
	CHECK(cooldown_clear(p, NULL, T0, &o, &cause) == 0 &&
	    cooldown_clear(p, "m", T0, &o, &cause) == 0 &&
	    access(p, F_OK) == -1, "clear: no file, none made");
	memset(longr, 'x', sizeof longr - 1);
	longr[sizeof longr - 1] = '\0';
	longr[255] = (char)0xc3;	/* a sequence across the cut */
	longr[256] = (char)0xa9;
	cooldown_record(p, "zeta", 1, "HTTP 503: busy", T0, &o);
	cooldown_record(p, "alpha", 1, longr, T0 + 100, &o);
	o.failures = 3;
	cooldown_record(p, "counting", 1, "once", T0 + 100, &o);
	o.failures = 1;
	CHECK(strstr(read_file(p), "\"reason\":\"HTTP 503: busy\"}") != NULL,
	    "record: the reason is kept");
	CHECK(cooldown_list(p, T0 + 100, &o, &v, &n, &cause) == 0 && n == 2 &&
	    strcmp(v[0].model, "alpha") == 0 && v[0].left == 300 &&
	    strlen(v[0].reason) == 255 && strcmp(v[1].model, "zeta") == 0 &&
	    v[1].left == 200 && strcmp(v[1].reason, "HTTP 503: busy") == 0,
	    "list: the cooling ones by name, seconds left, reasons cut whole");
	CHECK(cooldown_render(&b, v, n, 0) == 0 && strncmp(b.data,
	    "MODEL    LEFT  REASON\nalpha   300 s  xxx", 38) == 0 &&
	    strstr(b.data, "\nzeta    200 s  HTTP 503: busy\n") != NULL,
	    "render: a table under a header");
	buf_reset(&b);
	CHECK(cooldown_render(&b, v, n, 1) == 0 && strstr(b.data,
	    "{\"model\":\"zeta\",\"seconds_left\":200,\"failures\":1,"
	    "\"reason\":\"HTTP 503: busy\"}\n") != NULL, "render: JSON lines");
	cooldown_list_free(v, n);
	buf_reset(&b);
	CHECK(cooldown_render(&b, NULL, 0, 0) == 0 && b.len == 0,
	    "render: nothing for none");
	CHECK(cooldown_clear(p, "counting", T0 + 100, &o, &cause) == 0 &&
	    count(p, "counting") == 1, "clear: a model not cooling down is "
	    "left alone");
	CHECK(cooldown_clear(p, "zeta", T0 + 100, &o, &cause) == 1 &&
	    count(p, "zeta") == -1 && count(p, "alpha") == 1 &&
	    cooldown_remaining(p, "zeta", T0 + 100, &o) == 0,
	    "clear MODEL: that one is forgotten, the others kept");
	CHECK(cooldown_clear(p, NULL, T0 + 100, &o, &cause) == 0 &&
	    nlines(p) == 0, "clear: every one");
	buf_free(&b);
	unlink(p);
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");

	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(dir, sizeof dir, "%s/llmroute-cooldown.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	test_basic();
	test_window();
	test_others();
	test_corrupt();
	test_clock_back();
	test_mode();
	test_concurrent();
	test_list_clear();
	cleanup();
	return unit_done();
}
