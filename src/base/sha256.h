/*
 * sha256.h: SHA-256 (FIPS 180-4), for the prompt digests in the cost log.
 */
#ifndef LLMROUTE_SHA256_H
#define LLMROUTE_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t	h[8];
	uint64_t	len;		/* bytes hashed */
	unsigned char	block[64];
	size_t		used;
};

void	sha256_init(struct sha256 *);
void	sha256_update(struct sha256 *, const void *, size_t);
void	sha256_final(struct sha256 *, unsigned char out[32]);
void	sha256_hex(const void *, size_t, char out[65]);

#endif
