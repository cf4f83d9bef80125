/*
 * base.h: the base stage, what every other stage builds on: growable
 * buffers, the error convention, lines, JSON read (jscan) and written
 * (jsonout), numbers, option tables (opts), UTF-8, SHA-256, times, the
 * random generator, request ids, and llmroute's default directories (xdg).
 * Nothing here knows about prompts or models.
 */
#ifndef LLMROUTE_BASE_H
#define LLMROUTE_BASE_H

#include "base/buf.h"
#include "base/clock.h"
#include "base/cause.h"
#include "base/file.h"
#include "base/jscan.h"
#include "base/jsonout.h"
#include "base/lines.h"
#include "base/num.h"
#include "base/opts.h"
#include "base/reqid.h"
#include "base/rng.h"
#include "base/sha256.h"
#include "base/strset.h"
#include "base/suggest.h"
#include "base/timefmt.h"
#include "base/utf8.h"
#include "base/xdg.h"

#endif
