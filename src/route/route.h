/*
 * route.h: the route stage: the configuration (config.h, over the
 * built-in catalog of catalog.h, which also lists the effective one)
 * and which file holds it (config_file.h), what tokens cost (cost.h),
 * the decision that sends a scored prompt to a tier and a model
 * (policy.h), routing one prompt from its text to that decision
 * (router.h), and what a dry run prints of it (dryrun.h).
 */
#ifndef LLMROUTE_ROUTE_H
#define LLMROUTE_ROUTE_H

#include "route/catalog.h"
#include "route/config.h"
#include "route/config_file.h"
#include "route/cost.h"
#include "route/dryrun.h"
#include "route/policy.h"
#include "route/router.h"

#endif
