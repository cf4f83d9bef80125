/*
 * fuzz_openai.c: the OpenAI wire format's parsers of response bodies, error
 * bodies and stream events (src/call/wire.h); see provider_fuzz.h.
 */
#include "provider_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	return fuzz_provider(&wire_openai, d, n);
}
