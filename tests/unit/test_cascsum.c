/*
 * test_cascsum.c: cascades summed from log records (cascsum.c), on a
 * handful of records whose sums and what-if points are worked out by hand.
 */
#include <math.h>
#include <string.h>

#include "log/cascsum.h"
#include "unit.h"

#define EPS	1e-9

static void
rec(struct cascsum *s, int stage, double conf, int esc, double cost,
    double base, enum log_status st)
{
	struct logview v;

	memset(&v, 0, sizeof v);
	v.cascade = stage;
	v.confidence = conf;
	v.escalated = esc;
	v.cost = cost;
	v.baseline_cost = base;
	v.status = st;
	cascsum_add(s, &v);
}

int
main(void)
{
	struct cascsum		s, m;
	struct cascsum_point	p;
	struct buf		b = BUF_INIT;

	memset(&s, 0, sizeof s);
	rec(&s, LOGVIEW_CHEAP, 0.9, 0, 1, 5, LOG_OK);	/* kept */
	rec(&s, LOGVIEW_CHEAP, 0.2, 1, 1, 0, LOG_OK);	/* escalated */
	rec(&s, LOGVIEW_PREMIUM, 0.2, 1, 4, 5, LOG_OK);
	rec(&s, LOGVIEW_CHEAP, NAN, 1, 2, 0, LOG_OK);	/* no logprobs */
	rec(&s, LOGVIEW_PREMIUM, NAN, 1, 8, 10, LOG_OK);
	rec(&s, LOGVIEW_NONE, NAN, 0, 3, 3, LOG_OK);	/* no cascade */
	rec(&s, LOGVIEW_CHEAP, 0.1, 1, 7, 0, LOG_ERROR);	/* failed */

	CHECK(s.cheap == 3 && s.escalated == 2 && s.premium == 2,
	    "cascades, escalations and premium calls counted");
	CHECK(fabs(s.cheap_cost - 4) < EPS && fabs(s.wasted - 3) < EPS,
	    "the cheap tries cost 4, the escalated ones 3");
	CHECK(fabs(s.cost - 16) < EPS && fabs(s.baseline - 20) < EPS,
	    "cascades cost 16 against 20 all premium");
	CHECK(fabs(cascsum_ratio(&s) - 4) < EPS,
	    "an escalation costs 4 times its cheap call (12 / 3)");
	/* t 0: only the answer without logprobs escalates: 4 + 2 x 4 */
	cascsum_whatif(&s, 0, &p);
	CHECK(fabs(p.cost - 12) < EPS && fabs(p.escalated_pct - 100.0 / 3) <
	    1e-6 && fabs(p.saved_pct - 40) < EPS, "what if 0: 12 USD, 40%");
	/* t 0.5: the 0.2 one too: 4 + 3 x 4 = 16, as it went */
	cascsum_whatif(&s, 0.5, &p);
	CHECK(fabs(p.cost - 16) < EPS && fabs(p.saved_pct - 20) < EPS,
	    "what if 0.5: what was logged");
	/* t 1: all three: 4 + 4 x 4 = 20, nothing saved */
	cascsum_whatif(&s, 1, &p);
	CHECK(fabs(p.cost - 20) < EPS && fabs(p.escalated_pct - 100) < EPS &&
	    fabs(p.saved_pct) < EPS, "what if 1: everything escalates");
	cascsum_whatif(&s, 0.2, &p);
	CHECK(fabs(p.cost - 12) < EPS, "a confidence equal to the threshold "
	    "does not escalate");

	memset(&m, 0, sizeof m);
	cascsum_merge(&m, &s);
	cascsum_merge(&m, &s);
	CHECK(m.cheap == 6 && fabs(m.cost - 32) < EPS && m.n[20] == 2,
	    "merging adds the sums and the buckets");

	memset(&m, 0, sizeof m);
	rec(&m, LOGVIEW_CHEAP, 0.95, 0, 2, 10, LOG_OK);
	CHECK(fabs(cascsum_ratio(&m) - 5) < EPS,
	    "no escalation yet: priced by the kept answers' baseline");
	CHECK(cascsum_table(&m, &b) == 0 && strstr(b.data,
	    "cascades     1, 0 escalated (0.0%)") != NULL,
	    "the table says the escalation rate");
	buf_reset(&b);
	CHECK(cascsum_json(&s, &b) == 0 && strstr(b.data,
	    "\"cascades\":3,\"escalated\":2") != NULL && strstr(b.data,
	    "\"saved_pct\":20,") != NULL, "the JSON says the same");
	buf_reset(&b);
	memset(&m, 0, sizeof m);
	CHECK(cascsum_table(&m, &b) == 0 && b.len == 0,
	    "no cascades: nothing is said");
	buf_free(&b);
	return unit_done();
}
