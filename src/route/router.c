/*
 * router.c: one prompt from its text to its decision.
 */
#include <string.h>

#include "route/router.h"

#include "base/banned.h"

int
router_check(const struct router *r, char **cause)
{
	return policy_check(r->cfg, &r->opts, cause);
}

/*
 * The input tokens a call of p sends: every message and the system
 * prompt, not only the text scored (whose features are f), and never
 * fewer than that text's.
 */
static double
conversation_tokens(const struct router *r, const struct prompt *p,
    const struct features *f)
{
	struct features	 g;
	const char	*sys = p->system ? p->system : r->system;
	double		 t = 0;
	size_t		 i;

	if (p->nmsgs <= 1 && sys == NULL)
		return f->tokens;
	for (i = 0; i < p->nmsgs; i++) {
		features_extract(p->msgs[i].content,
		    strlen(p->msgs[i].content), &g);
		t += g.tokens;
	}
	if (sys != NULL) {
		features_extract(sys, strlen(sys), &g);
		t += g.tokens;
	}
	return t > f->tokens ? t : f->tokens;
}

int
router_decide(const struct router *r, const struct prompt *p,
    struct decision *d, struct explain *why, char **cause)
{
	struct explain		 local, *e;
	struct route_opts	 o = r->opts;
	double			 score, tokens;
	int			 i;

	memset(&local, 0, sizeof local);
	e = why != NULL ? why : &local;

	features_extract(p->text, p->len, &e->f);
	score = scorer_score(r->scorer, &e->f, p->text, p->len, e->contrib,
	    &e->ngrams, &e->memory);
	e->logit = r->scorer->bias + e->ngrams + e->memory;
	for (i = 0; i < FEAT_COUNT; i++)
		e->logit += e->contrib[i];
	tokens = conversation_tokens(r, p, &e->f);
	if (p->model != NULL) {
		o.model = p->model;
		o.tier = NULL;
		if (policy_check(r->cfg, &o, cause) == -1)
			return -1;
	}
	policy_decide(r->cfg, &o, score, tokens, d);
	return 0;
}
