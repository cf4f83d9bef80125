/*
 * unit.h: a minimal TAP harness for the C unit tests.  Each CHECK prints
 * one "ok N - what" or "not ok N - what" line; unit_done() prints the plan
 * and returns the exit status.
 */
#ifndef LLMROUTE_UNIT_H
#define LLMROUTE_UNIT_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int unit_n, unit_failed;

static void
unit_report(int ok, const char *what, const char *file, int line)
{
	unit_n++;
	if (!ok)
		unit_failed++;
	printf("%sok %d - %s\n", ok ? "" : "not ", unit_n, what);
	if (!ok)
		printf("# failed at %s:%d\n", file, line);
}

#define CHECK(cond, what) unit_report((cond) ? 1 : 0, (what), __FILE__, \
	__LINE__)
#define CHECK_STR(a, b, what) unit_report(strcmp((a), (b)) == 0, (what), \
	__FILE__, __LINE__)
#define CHECK_NEAR(a, b, eps, what) unit_report(fabs((a) - (b)) <= (eps), \
	(what), __FILE__, __LINE__)

static int
unit_done(void)
{
	printf("1..%d\n", unit_n);
	return unit_failed ? 1 : 0;
}

#endif
