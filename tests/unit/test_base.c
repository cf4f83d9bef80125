/*
 * test_base.c: the small base modules: the random generator, request
 * ids, cost, and replacing a file.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "base/cause.h"
#include "base/file.h"
#include "base/reqid.h"
#include "base/rng.h"
#include "base/strset.h"
#include "base/suggest.h"
#include "route/cost.h"
#include "base/clock.h"
#include "unit.h"

static void
test_rng(void)
{
	struct rng	a, b;
	double		u, sum = 0;
	size_t		i, k, seen[10] = { 0 }, ok = 1;

	rng_seed(&a, 42);
	rng_seed(&b, 42);
	for (i = 0; i < 1000; i++)
		ok &= rng_next(&a) == rng_next(&b);
	CHECK(ok, "rng: the same seed, the same sequence");
	rng_seed(&a, 1);
	CHECK(rng_next(&a) == 1ULL * 6364136223846793005ULL +
	    1442695040888963407ULL, "rng: the MMIX step from the seed");
	rng_seed(&a, 7);
	for (i = 0; i < 100000; i++) {
		u = rng_uniform(&a);
		ok &= u >= 0 && u < 1;
		sum += u;
		k = rng_below(&a, 10);
		ok &= k < 10;
		seen[k < 10 ? k : 0]++;
	}
	CHECK(ok, "rng: uniform in [0, 1), below in [0, n)");
	CHECK_NEAR(sum / 100000, 0.5, 0.01, "rng: uniform has mean 1/2");
	for (i = 0, ok = 1; i < 10; i++)
		ok &= seen[i] > 9000 && seen[i] < 11000;
	CHECK(ok, "rng: below(10) hits every value about as often");
}

static void
test_cost(void)
{
	struct model	m;
	struct usage	u;

	memset(&m, 0, sizeof m);
	m.price_in = 2;
	m.price_out = 8;
	m.price_cache_read = 0.5;
	u = cost_usage(1000, 400, 100);
	CHECK(u.input == 600 && u.cache_read == 400 && u.output == 100,
	    "cost_usage: cached tokens come out of the input");
	CHECK(cost_tokens_in(&u) == 1000, "cost_tokens_in: all input");
	CHECK_NEAR(cost_of(&m, &u), (600 * 2 + 400 * 0.5 + 100 * 8) / 1e6,
	    1e-18, "cost_of: each count at its price");
	u = cost_usage(10, 20, 0);
	CHECK(u.input == 0 && u.cache_read == 20, "cost_usage: never a "
	    "negative input");
	m.price_cache_read = 0;
	u = cost_usage(0, 1000, 0);
	CHECK_NEAR(cost_of(&m, &u), 1000 * 2 / 1e6, 1e-18, "cost_of: an "
	    "unknown cache price counts at the input price");
}

static void
test_file(void)
{
	char		 dir[] = "/tmp/llmroute-file.XXXXXX", path[64], buf[16];
	char		 link[80], victim[80], *cause = NULL;
	struct stat	 st;
	FILE		*f;

	CHECK(mkdtemp(dir) != NULL, "file: a scratch directory");
	snprintf(path, sizeof path, "%s/out", dir);
	CHECK(file_replace(path, "one\n", 4, 0640, &cause) == 0,
	    "file_replace: a new file");
	CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0640 &&
	    st.st_size == 4, "file_replace: its mode and size");
	CHECK(file_replace(path, "two", 3, -1, &cause) == 0,
	    "file_replace: over an old one");
	f = fopen(path, "r");
	CHECK(f != NULL && fgets(buf, sizeof buf, f) != NULL &&
	    strcmp(buf, "two") == 0, "file_replace: the new bytes");
	if (f != NULL)
		fclose(f);

	/* A link planted at the old predictable name is not followed. */
	snprintf(victim, sizeof victim, "%s/victim", dir);
	snprintf(link, sizeof link, "%s.tmp.%ld", path, (long)getpid());
	f = fopen(victim, "w");
	if (f != NULL)
		fclose(f);
	CHECK(symlink(victim, link) == 0, "file: a planted link");
	CHECK(file_replace(path, "three", 5, -1, &cause) == 0,
	    "file_replace: with a link beside it");
	CHECK(stat(victim, &st) == 0 && st.st_size == 0,
	    "file_replace: the link's target is left alone");
	unlink(link);
	unlink(victim);

	snprintf(link, sizeof link, "%s/no/such/dir", dir);
	CHECK(file_replace(link, "x", 1, -1, &cause) == -1 && cause != NULL &&
	    strstr(cause, link) != NULL, "file_replace: a missing directory "
	    "fails, naming the file");
	free(cause);
	unlink(path);
	snprintf(link, sizeof link, "%s/a/b/c", dir);
	CHECK(file_mkdirs(link, 0700) == 0 && stat(link, &st) == 0 &&
	    S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0700,
	    "file_mkdirs: every missing directory, with its mode");
	CHECK(file_mkdirs(link, 0700) == 0, "file_mkdirs: again, no error");
	rmdir(link);
	snprintf(link, sizeof link, "%s/a/b", dir);
	rmdir(link);
	snprintf(link, sizeof link, "%s/a", dir);
	rmdir(link);
	rmdir(dir);
}

static void
test_strset(void)
{
	struct strset	s;
	char		k[32];
	size_t		i;
	int		ok = 1;

	strset_init(&s);
	CHECK(!strset_has(&s, "a", 1), "strset: empty");
	CHECK(strset_add(&s, "a", 1) == 1 && strset_add(&s, "a", 1) == 0 &&
	    s.n == 1, "strset_add: once, then known");
	CHECK(strset_has(&s, "ab", 1) && !strset_has(&s, "ab", 2),
	    "strset_has: by the bytes given");
	for (i = 0; i < 10000; i++) {
		snprintf(k, sizeof k, "\"id%zu\"", i);
		ok &= strset_add(&s, k, strlen(k)) == 1;
	}
	for (i = 0; i < 10000; i++) {
		snprintf(k, sizeof k, "\"id%zu\"", i);
		ok &= strset_has(&s, k, strlen(k));
	}
	CHECK(ok && s.n == 10001, "strset: ten thousand ids, all found");
	strset_free(&s);
	CHECK(s.n == 0 && !strset_has(&s, "a", 1), "strset_free: empty again");
}

static void
test_append(void)
{
	char		path[] = "/tmp/llmroute-append.XXXXXX";
	struct stat	st;
	struct rlimit	old, lim;
	int		fd = mkstemp(path), wfd;

	wfd = open(path, O_WRONLY | O_APPEND);
	CHECK(file_append(wfd, "one\n", 4) == 0 && file_append(wfd, "two\n",
	    4) == 0 && fstat(fd, &st) == 0 && st.st_size == 8,
	    "file_append: whole records, in order");
	close(wfd);
	wfd = open(path, O_RDONLY);
	CHECK(file_append(wfd, "x\n", 2) == -1 && fstat(fd, &st) == 0 &&
	    st.st_size == 8, "file_append: a failed write leaves the file");
	close(wfd);

	/* A disk that fills in the middle of a record: none of it stays. */
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = 10;
	wfd = open(path, O_WRONLY | O_APPEND);
	CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0 &&
	    file_append(wfd, "three\n", 6) == -1 && fstat(fd, &st) == 0 &&
	    st.st_size == 8, "file_append: a short write is cut back");
	setrlimit(RLIMIT_FSIZE, &old);
	close(wfd);
	close(fd);
	unlink(path);
}

static void
test_suggest(void)
{
	static const char *const names[] = { "route", "models", "config",
	    "report", "eval", "train" };

	CHECK(suggest_distance("report", "report") == 0, "distance 0");
	CHECK(suggest_distance("reprot", "report") == 1, "a swap is one edit");
	CHECK(suggest_distance("rport", "report") == 1, "a deletion");
	CHECK(suggest_distance("", "abc") == 3, "from nothing");
	CHECK(suggest_closest("reprot", names, 6) == 3, "reprot: report");
	CHECK(suggest_closest("modles", names, 6) == 1, "modles: models");
	CHECK(suggest_closest("trian", names, 6) == 5, "trian: train");
	CHECK(suggest_closest("summarise", names, 6) == -1, "nothing close");
	CHECK(suggest_closest("ev", names, 6) == 4, "ev: eval");
	CHECK(suggest_closest("ab", names, 6) == -1, "two letters that are "
	    "in no name");
}

static void
test_reqid(void)
{
	char	ids[64][REQID_SIZE], *cause = NULL;
	size_t	i, k;
	int	ok = 1, distinct = 1;

	for (i = 0; i < 64; i++) {
		ok &= reqid_new(ids[i], &cause) == 0 && reqid_valid(ids[i]) &&
		    strlen(ids[i]) == REQID_LEN;
		for (k = 0; k < i; k++)
			distinct &= strcmp(ids[k], ids[i]) != 0;
	}
	CHECK(ok && cause == NULL, "reqid: 16 lowercase hex digits");
	CHECK(distinct, "reqid: 64 ids, all different");
	CHECK(reqid_valid("0123456789abcdef"), "reqid_valid: hex digits");
	CHECK(!reqid_valid("0123456789ABCDEF"), "reqid_valid: not upper case");
	CHECK(!reqid_valid("0123456789abcde") &&
	    !reqid_valid("0123456789abcdef0") && !reqid_valid(""),
	    "reqid_valid: exactly 16 digits");
	CHECK(!reqid_valid("0123456789abcdeg"), "reqid_valid: not g");
}

/* An output that is one of the inputs, by any name, or standard input. */
static void
test_is_input(void)
{
	char	 dir[] = "/tmp/test_is_input.XXXXXX", a[64], l[64], o[64];
	char	*in[2];
	int	 fd, saved;

	if (mkdtemp(dir) == NULL) {
		CHECK(0, "is_input: mkdtemp");
		return;
	}
	snprintf(a, sizeof a, "%s/a", dir);
	snprintf(l, sizeof l, "%s/link", dir);
	snprintf(o, sizeof o, "%s/other", dir);
	fd = open(a, O_WRONLY | O_CREAT | O_EXCL, 0600);
	close(fd);
	close(open(o, O_WRONLY | O_CREAT | O_EXCL, 0600));
	CHECK(link(a, l) == 0, "is_input: a hard link");
	in[0] = o;
	in[1] = l;
	CHECK(file_is_input(a, in, 2) && !file_is_input(a, in, 1),
	    "is_input: by its hard link, and not another file");
	snprintf(l, sizeof l, "%s/missing", dir);
	CHECK(!file_is_input(l, in, 2), "is_input: a missing output is no input");
	saved = dup(STDIN_FILENO);
	fd = open(a, O_RDONLY);
	dup2(fd, STDIN_FILENO);
	in[0] = (char *)(uintptr_t)"-";
	CHECK(file_is_input(a, NULL, 0) && file_is_input(a, in, 1) &&
	    !file_is_input(o, NULL, 0), "is_input: standard input, named or not");
	dup2(saved, STDIN_FILENO);
	close(saved);
	close(fd);
	unlink(a);
	unlink(o);
	snprintf(l, sizeof l, "%s/link", dir);
	unlink(l);
	rmdir(dir);
}

/* The monotonic clock never goes back, and a pause lasts at least its time. */
static void
test_clock(void)
{
	double t0 = clock_mono(), t1;

	clock_pause(0);
	clock_pause(-1);
	clock_pause(0.02);
	t1 = clock_mono();
	CHECK(t1 >= t0 + 0.02, "clock_pause: sleeps at least the time asked");
	CHECK(clock_mono() >= t1, "clock_mono: never goes back");
}

int
main(void)
{
	test_rng();
	test_reqid();
	test_cost();
	test_file();
	test_strset();
	test_append();
	test_suggest();
	test_clock();
	test_is_input();
	return unit_done();
}
