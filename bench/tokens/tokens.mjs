#!/usr/bin/env node
// Reference token counts for benchmarking llmroute's byte-pass estimator.
//
// stdin:  JSON Lines, each {"id": ..., "prompt": "..."} (other fields ignored)
// stdout: JSON Lines, each {"id": ..., "o200k": N, "cl100k": N}
//
// o200k_base: GPT-4o / GPT-4.1 / GPT-5 / o-series.  cl100k_base: GPT-4 / GPT-3.5.
// Special-token strings such as "<|endoftext|>" inside a prompt are counted as
// ordinary text (what an API does with user text), not rejected.
// Blank input lines are skipped; a malformed line is reported on stderr and
// makes the exit status 1, but the remaining lines are still processed.

import { createInterface } from 'node:readline'
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base'
import { countTokens as countCl100k } from 'gpt-tokenizer/encoding/cl100k_base'

const asText = { disallowedSpecial: new Set() }

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity })
let lineNo = 0
let bad = 0

for await (const line of rl) {
  lineNo++
  if (line.trim() === '') continue
  let row
  try {
    row = JSON.parse(line)
  } catch (err) {
    console.error(`tokens.mjs: line ${lineNo}: invalid JSON: ${err.message}`)
    bad++
    continue
  }
  if (row === null || typeof row !== 'object' || typeof row.prompt !== 'string') {
    console.error(`tokens.mjs: line ${lineNo}: no string "prompt" field`)
    bad++
    continue
  }
  const out = {
    id: row.id ?? lineNo,
    o200k: countO200k(row.prompt, asText),
    cl100k: countCl100k(row.prompt, asText),
  }
  process.stdout.write(JSON.stringify(out) + '\n')
}

if (bad > 0) {
  console.error(`tokens.mjs: ${bad} bad line(s) of ${lineNo}`)
  process.exitCode = 1
}
