/*
 * route.h: the route stage: the configuration (config.h, over the
 * built-in catalog of catalog.h, which also lists the effective one),
 * what tokens cost (cost.h), and the decision that sends a scored prompt
 * to a tier and a model (policy.h).
 */
#ifndef LLMROUTE_ROUTE_H
#define LLMROUTE_ROUTE_H

#include "route/catalog.h"
#include "route/config.h"
#include "route/cost.h"
#include "route/policy.h"

#endif
