/*
 * catalog.c: the built-in providers, models and tiers.  Prices are USD per
 * million tokens as published on catalog_date; a config file overrides any
 * of them (llmroute-config keys "providers", "models", "tiers").
 */
#include <stddef.h>

#include "route/catalog.h"

#include "base/banned.h"

const char catalog_date[] = "2026-11-28";

const struct catalog_provider catalog_providers[] = {
	{ "openai", WIRE_OPENAI, "https://api.openai.com/v1",
	    "OPENAI_API_KEY" },
	{ "anthropic", WIRE_ANTHROPIC, "https://api.anthropic.com",
	    "ANTHROPIC_API_KEY" },
	{ "openrouter", WIRE_OPENAI, "https://openrouter.ai/api/v1",
	    "OPENROUTER_API_KEY" },
	{ "ollama", WIRE_OPENAI, "http://localhost:11434/v1", NULL },
	{ NULL, WIRE_OPENAI, NULL, NULL }
};

/* name, provider, in, out, cache read, cache write, context, answer. */
const struct catalog_model catalog_models[] = {
	{ "gpt-4.1-nano", "openai", 0.10, 0.40, 0.025, 0, 1047576, 400,
	    "max_tokens" },
	{ "gpt-4.1-mini", "openai", 0.40, 1.60, 0.10, 0, 1047576, 400,
	    "max_tokens" },
	{ "gpt-4.1", "openai", 2.00, 8.00, 0.50, 0, 1047576, 400,
	    "max_tokens" },
	{ "gpt-4o-mini", "openai", 0.15, 0.60, 0.075, 0, 128000, 400,
	    "max_tokens" },
	{ "gpt-4o", "openai", 2.50, 10.00, 1.25, 0, 128000, 400,
	    "max_tokens" },
	{ "gpt-5", "openai", 1.25, 10.00, 0.125, 0, 400000, 1200,
	    "max_completion_tokens" },
	{ "claude-haiku-4-5", "anthropic", 1.00, 5.00, 0.10, 1.25, 200000,
	    400, "max_tokens" },
	{ "claude-sonnet-4-5", "anthropic", 3.00, 15.00, 0.30, 3.75, 200000,
	    400, "max_tokens" },
	{ "claude-opus-4-5", "anthropic", 5.00, 25.00, 0.50, 6.25, 200000,
	    400, "max_tokens" },
	{ "llama3.2", "ollama", 0, 0, 0, 0, 131072, 400, "max_tokens" },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0, NULL }
};

/*
 * Cheapest first; the last tier takes every score above the others.  The
 * bounds split real user prompts (Chatbot Arena) about 30/40/30.
 */
const struct catalog_tier catalog_tiers[] = {
	{ "small", "gpt-4.1-nano", 0.22, { "gpt-4o-mini", NULL } },
	{ "medium", "gpt-4.1-mini", 0.33, { "claude-haiku-4-5", NULL } },
	{ "large", "gpt-4.1", 1.0, { "claude-sonnet-4-5", NULL } },
	{ NULL, NULL, 0, { NULL } }
};
