/*
 * test_paths.c: where llmroute's files are unless told otherwise: the
 * XDG directories (base/xdg.h), which configuration file is read
 * (route/config_file.h) and which cost log is written (logwrite.h).
 */
#include <errno.h>
#include <sys/stat.h>

#include "base/xdg.h"
#include "log/logwrite.h"
#include "route/config_file.h"
#include "unit.h"

/* Whether p is want, then free p. */
static int
is(char *p, const char *want)
{
	int ok = p != NULL && want != NULL ? strcmp(p, want) == 0 :
	    p == NULL && want == NULL;

	if (!ok)
		printf("# got '%s', want '%s'\n", p ? p : "(null)",
		    want ? want : "(null)");
	free(p);
	return ok;
}

static void
test_xdg_names(void)
{
	char *cause = NULL;

	CHECK_STR(xdg_variable(XDG_CONFIG), "XDG_CONFIG_HOME", "config var");
	CHECK_STR(xdg_variable(XDG_STATE), "XDG_STATE_HOME", "state var");
	CHECK(is(xdg_file(XDG_CONFIG, "/x", "/home/u", "config.json", 0,
	    &cause), "/x/llmroute/config.json"), "an absolute XDG value");
	CHECK(is(xdg_file(XDG_CONFIG, NULL, "/home/u", "config.json", 0,
	    &cause), "/home/u/.config/llmroute/config.json"),
	    "no value: ~/.config");
	CHECK(is(xdg_file(XDG_STATE, "rel/dir", "/home/u", "log.jsonl", 0,
	    &cause), "/home/u/.local/state/llmroute/log.jsonl"),
	    "a relative value is ignored: ~/.local/state");
	CHECK(is(xdg_file(XDG_STATE, "", "/home/u", "a", 0, &cause),
	    "/home/u/.local/state/llmroute/a"), "an empty value is ignored");
	CHECK(is(xdg_file(XDG_STATE, NULL, "", "a", 0, &cause), NULL),
	    "no value and an empty home: no place");
	CHECK(is(xdg_file(XDG_CONFIG, "rel", NULL, "a", 0, &cause), NULL),
	    "a relative value and no home: no place");
	CHECK(is(xdg_file(XDG_CONFIG, "/x", NULL, "a", 0, &cause),
	    "/x/llmroute/a"), "an absolute value needs no home");
	CHECK(cause == NULL, "no place is not an error");
}

static void
test_xdg_create(void)
{
	char		 tmpl[] = "/tmp/llmroute-xdg.XXXXXX", *d, *cause = NULL;
	char		 blocker[64], want[96];
	struct stat	 st;

	if ((d = mkdtemp(tmpl)) == NULL) {
		CHECK(0, "mkdtemp");
		return;
	}
	snprintf(want, sizeof want, "%s/state/deep/llmroute/cooldown.jsonl",
	    d);
	snprintf(blocker, sizeof blocker, "%s/state/deep", d);
	CHECK(is(xdg_file(XDG_STATE, blocker, "/nowhere", "cooldown.jsonl", 1,
	    &cause), want), "create: the path");
	snprintf(want, sizeof want, "%s/state/deep/llmroute", d);
	CHECK(stat(want, &st) == 0 && S_ISDIR(st.st_mode) &&
	    (st.st_mode & 077) == 0, "create: made with its parents, private");

	/* A file where the directory should be. */
	snprintf(blocker, sizeof blocker, "%s/file", d);
	fclose(fopen(blocker, "w"));
	CHECK(is(xdg_file(XDG_CONFIG, blocker, NULL, "config.json", 1,
	    &cause), NULL), "create: a file in the way");
	snprintf(want, sizeof want, "%s/llmroute: Not a directory", blocker);
	CHECK(cause != NULL && strcmp(cause, want) == 0,
	    "create: the cause names the directory");
	free(cause);
	cause = NULL;
	snprintf(want, sizeof want, "%s/llmroute/config.json", blocker);
	CHECK(is(xdg_file(XDG_CONFIG, blocker, NULL, "config.json", 0,
	    &cause), want) && cause == NULL,
	    "without create nothing is made, nor checked");
	unlink(blocker);
	snprintf(want, sizeof want, "rm -rf '%s'", d);
	CHECK(system(want) == 0, "clean up");
}

static void
test_config_file(void)
{
	char	tmpl[] = "/tmp/llmroute-cfg.XXXXXX";
	int	fd;

	CHECK_STR(config_file_named("a", "b", "c"), "a", "--config first");
	CHECK_STR(config_file_named(NULL, "b", "c"), "b", "then -c");
	CHECK_STR(config_file_named(NULL, NULL, "c"), "c",
	    "then $LLMROUTE_CONFIG");
	CHECK(config_file_named(NULL, NULL, "") == NULL,
	    "an empty $LLMROUTE_CONFIG: the default");
	CHECK(config_file_named(NULL, NULL, NULL) == NULL, "none: the default");
	CHECK_STR(config_file_named("", NULL, "c"), "",
	    "an empty --config is still named (and fails to read)");

	if ((fd = mkstemp(tmpl)) == -1) {
		CHECK(0, "mkstemp");
		return;
	}
	CHECK(config_file_ignored(tmpl, 1), "an empty default is passed over");
	CHECK(!config_file_ignored(tmpl, 0), "an empty named file is read");
	CHECK(write(fd, "{}", 2) == 2, "write");
	close(fd);
	CHECK(!config_file_ignored(tmpl, 1), "a default with bytes is read");
	unlink(tmpl);
	CHECK(!config_file_ignored(tmpl, 1), "a missing default: not passed "
	    "over here (it need not exist)");
	CHECK(!config_file_ignored("/dev/null", 1),
	    "an empty file that is not a regular one is read");
}

static void
test_log_default(void)
{
	CHECK_STR(logwrite_default("/e.jsonl", "/c.jsonl"), "/e.jsonl",
	    "$LLMROUTE_LOG first");
	CHECK_STR(logwrite_default("", "/c.jsonl"), "/c.jsonl",
	    "an empty $LLMROUTE_LOG: the configuration's");
	CHECK_STR(logwrite_default(NULL, "/c.jsonl"), "/c.jsonl",
	    "no $LLMROUTE_LOG: the configuration's");
	CHECK(logwrite_default(NULL, NULL) == NULL,
	    "neither: the state directory");
	CHECK_STR(LOGWRITE_FILE_NAME, "log.jsonl", "the default's name");
	CHECK_STR(CONFIG_FILE_NAME, "config.json", "the config's name");
}

int
main(void)
{
	test_xdg_names();
	test_xdg_create();
	test_config_file();
	test_log_default();
	return unit_done();
}
