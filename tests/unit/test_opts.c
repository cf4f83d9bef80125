/*
 * test_opts.c: option tables (base/opts.h): every kind stored, numbers
 * out of their bounds, choices, what getopt refuses in our words,
 * options handed back to the caller, and the --help layout.
 */
#include <getopt.h>
#include <stddef.h>

#include "base/opts.h"
#include "unit.h"

struct args {
	int		 flag, clear, choice, n, has_x;
	long		 big;
	double		 x;
	const char	*name;
};

enum { OPT_ALONE = FOPT_LONG_ONLY, OPT_MINE };

static const char *const colours[] = { "red", "green", "blue", NULL };

#define FOPT_ARGS	struct args
static const struct fopt table[] = {
	OPT_FLAG('f', "flag", flag, "set the flag"),
	OPT_CLEAR('F', "no-clear", clear, "clear it"),
	OPT_STRING('s', "name", name, "NAME", "a name"),
	OPT_DOUBLE_SET('x', "x", x, has_x, 0, 1, "X", "a fraction"),
	OPT_INT('j', "jobs", n, 1, 64, "N", "parallel calls"),
	OPT_LONG(OPT_ALONE, "big", big, 0, 1e12, "N", "a large count,\n"
	    "on two lines"),
	OPT_CHOICE('c', "colour", choice, colours, "C", "a colour"),
	OPT_OWN(OPT_MINE, "mine", "ARG", "for the caller"),
	OPT_QUIET("say less"),
	OPT_HELP,
	OPT_END
};

/*
 * Parse the n words of argv (argv[0] first) into a, which starts
 * cleared apart from clear = 1; stop at the first event that is not a
 * store.  Returns it; *o the option handed back, *cause any message.
 */
static enum opts_event
parse(int n, const char **words, struct args *a, const struct fopt **o,
    char **cause)
{
	static char	*argv[16];
	struct opts	 p;
	enum opts_event	 ev;
	int		 i;

	for (i = 0; i < n && i < 15; i++)
		argv[i] = (char *)(size_t)words[i];
	argv[i] = NULL;
	memset(a, 0, sizeof *a);
	a->clear = 1;
	*cause = NULL;
	if (opts_begin(&p, table) == -1)
		return OPTS_NOMEM;
	while ((ev = opts_next(&p, i, argv, a, o, cause)) == OPTS_STORED)
		;
	opts_end(&p);
	return ev;
}

/* Whether argv is refused with the message want. */
static int
refused(int n, const char **words, const char *want)
{
	const struct fopt *o;
	struct args	 a;
	char		*cause;
	int		 ok;

	ok = parse(n, words, &a, &o, &cause) == OPTS_BAD && cause != NULL &&
	    strcmp(cause, want) == 0;
	if (!ok)
		printf("# got '%s', want '%s'\n", cause ? cause : "(none)",
		    want);
	free(cause);
	return ok;
}

static void
test_store(void)
{
	const char *w[] = { "t", "-f", "-F", "--name=bob", "-x", "0.25",
	    "--jobs", "8", "--big", "5000000000", "-cblue", "file", NULL };
	const struct fopt *o;
	struct args	 a;
	char		*cause;

	CHECK(parse(12, w, &a, &o, &cause) == OPTS_DONE, "every kind: done");
	CHECK(a.flag == 1 && a.clear == 0, "flag set, clear cleared");
	CHECK(a.name != NULL && strcmp(a.name, "bob") == 0, "--name=bob");
	CHECK(a.x == 0.25 && a.has_x == 1, "-x 0.25, and it says it was set");
	CHECK(a.n == 8, "--jobs 8 as an int");
	CHECK(a.big == 5000000000L, "--big as a long, a long-only option");
	CHECK(a.choice == 2, "-cblue: the index of blue");
	CHECK(optind == 11, "optind at the first operand");
	CHECK(cause == NULL, "no message");

	CHECK(parse(1, w, &a, &o, &cause) == OPTS_DONE && a.has_x == 0,
	    "no -x: has_x stays 0");
	{
		const char *e[] = { "t", "-j", "64", "-x", "1", "--big", "0",
		    NULL };

		CHECK(parse(7, e, &a, &o, &cause) == OPTS_DONE && a.n == 64 &&
		    a.x == 1 && a.big == 0, "the bounds themselves are taken");
	}
}

static void
test_numbers(void)
{
	const char *w1[] = { "t", "--jobs", "x" };
	const char *w2[] = { "t", "-j", "0" };
	const char *w3[] = { "t", "-j", "65" };
	const char *w4[] = { "t", "-j", "2.5" };
	const char *w5[] = { "t", "-x", "1.5" };
	const char *w6[] = { "t", "--big=-1" };
	const char *w7[] = { "t", "-x", "nan" };
	const char *w8[] = { "t", "-j", "" };

	CHECK(refused(3, w1, "--jobs: expected a whole number from 1 to 64, "
	    "not 'x'"), "--jobs x: not a number");
	CHECK(refused(3, w2, "--jobs: expected a whole number from 1 to 64, "
	    "not '0'"), "-j 0: below");
	CHECK(refused(3, w3, "--jobs: expected a whole number from 1 to 64, "
	    "not '65'"), "-j 65: above");
	CHECK(refused(3, w4, "--jobs: expected a whole number from 1 to 64, "
	    "not '2.5'"), "-j 2.5: not whole");
	CHECK(refused(3, w5, "--x: expected a number from 0 to 1, not '1.5'"),
	    "-x 1.5: a number out of its bounds");
	CHECK(refused(2, w6, "--big: expected a whole number from 0 to 1e+12, "
	    "not '-1'"), "--big=-1: the bound in %g");
	CHECK(refused(3, w7, "--x: expected a number from 0 to 1, not 'nan'"),
	    "-x nan");
	CHECK(refused(3, w8, "--jobs: expected a whole number from 1 to 64, "
	    "not ''"), "-j '': empty");
}

static void
test_refused(void)
{
	const char *w1[] = { "t", "-z" };
	const char *w2[] = { "t", "--zap=3" };
	const char *w3[] = { "t", "-j" };
	const char *w4[] = { "t", "--jobs" };
	const char *w5[] = { "t", "--flag=1" };
	const char *w6[] = { "t", "--colour", "pink" };
	const char *w7[] = { "t", "--big" };
	const char *w8[] = { "t", "-fz" };

	CHECK(refused(2, w1, "unknown option -z"), "an unknown letter");
	CHECK(refused(2, w2, "unknown option '--zap'"),
	    "an unknown long option, without its value");
	CHECK(refused(2, w3, "option -j needs an argument"),
	    "a letter without its argument");
	CHECK(refused(2, w4, "option '--jobs' needs an argument"),
	    "a long option without its argument");
	CHECK(refused(2, w5, "option '--flag' takes no argument"),
	    "an argument to a flag");
	CHECK(refused(3, w6, "--colour: expected red, green or blue, not "
	    "'pink'"), "a choice not in the list");
	CHECK(refused(2, w7, "option '--big' needs an argument"),
	    "a long-only option without its argument");
	CHECK(refused(2, w8, "unknown option -z"),
	    "an unknown letter after a good one");
}

static void
test_caller(void)
{
	const char *w1[] = { "t", "--mine", "it", "-q" };
	const char *w2[] = { "t", "-q" };
	const char *w3[] = { "t", "--help", "-j", "x" };
	const struct fopt *o;
	struct args	 a;
	char		*cause;
	struct opts	 p;

	CHECK(parse(4, w1, &a, &o, &cause) == OPTS_CALLER && o != NULL &&
	    o->ch == OPT_MINE && strcmp(optarg, "it") == 0,
	    "an own option is handed back with its argument in optarg");
	CHECK(parse(2, w2, &a, &o, &cause) == OPTS_CALLER && o != NULL &&
	    o->kind == FOPT_QUIET, "-q is handed back");
	CHECK(parse(4, w3, &a, &o, &cause) == OPTS_CALLER && o != NULL &&
	    o->kind == FOPT_HELP && a.n == 0,
	    "--help is handed back before a later bad option");

	/* A caller that goes on after a handed-back option. */
	{
		char *argv[] = { (char *)(size_t)"t", (char *)(size_t)"-q",
		    (char *)(size_t)"-j3", NULL };
		int evs[3], k = 0;

		memset(&a, 0, sizeof a);
		CHECK(opts_begin(&p, table) == 0, "begin");
		while (k < 3 && (evs[k] = opts_next(&p, 3, argv, &a, &o,
		    &cause)) != OPTS_DONE)
			k++;
		opts_end(&p);
		CHECK(k == 2 && evs[0] == OPTS_CALLER && evs[1] == OPTS_STORED &&
		    a.n == 3, "the parse goes on after a handed-back option");
	}
}

static void
test_table_json(void)
{
	CHECK(strcmp(opts_table_json[OPTS_TABLE], "table") == 0 &&
	    strcmp(opts_table_json[OPTS_JSON], "json") == 0 &&
	    opts_table_json[2] == NULL, "table|json");
}

static void
test_help(void)
{
	static const struct fopt narrow[] = {
		{ .name = "all", .ch = 'a', .kind = FOPT_FLAG, .help = "all" },
		{ .name = "out", .ch = FOPT_LONG_ONLY, .kind = FOPT_STRING,
		    .arg = "FILE", .help = "write it\nthere" },
		OPT_END
	};
	static const struct fopt wide[] = {
		{ .name = "a-very-long-option-name", .ch = 'l',
		    .kind = FOPT_STRING, .arg = "WHAT", .help = "long" },
		{ .name = "b", .ch = 'b', .kind = FOPT_FLAG, .help = "short" },
		OPT_END
	};
	struct buf b = BUF_INIT;

	CHECK(opts_help(narrow, &b) == 0, "help: 0");
	CHECK_STR(b.data, "Options:\n"
	    "  -a, --all      all\n"
	    "      --out FILE write it\n"
	    "                 there\n",
	    "help: columns after the widest, a long-only option, two lines");
	buf_reset(&b);
	CHECK(opts_help(wide, &b) == 0, "help of a wide table: 0");
	CHECK_STR(b.data, "Options:\n"
	    "  -l, --a-very-long-option-name WHAT long\n"
	    "  -b, --b                  short\n",
	    "help: the column stops at 26");
	buf_free(&b);
	buf_init(&b, 4);
	CHECK(opts_help(narrow, &b) == -1, "help: -1 when b cannot grow");
	buf_free(&b);
}

int
main(void)
{
	test_store();
	test_numbers();
	test_refused();
	test_caller();
	test_table_json();
	test_help();
	return unit_done();
}
