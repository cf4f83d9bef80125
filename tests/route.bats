#!/usr/bin/env bats
# llmroute (route) in dry-run mode: prompts in, decisions out.

bats_require_minimum_version 1.5.0
load helpers/common

# Find or build a locale whose decimal point is a comma, for the locale
# test: COMMA_LOCALE names it, COMMA_LOCPATH is its LOCPATH (maybe empty).
setup_file() {
	local loc dir
	export COMMA_LOCALE="" COMMA_LOCPATH=""
	for loc in de_DE.UTF-8 de_DE.utf8 fr_FR.UTF-8 fr_FR.utf8 nl_NL.UTF-8; do
		if [[ "$(LC_ALL=$loc locale decimal_point 2>/dev/null)" == "," ]]; then
			COMMA_LOCALE=$loc
			return 0
		fi
	done
	command -v localedef >/dev/null || return 0
	dir="$BATS_FILE_TMPDIR/locale"
	mkdir -p "$dir"
	localedef -i de_DE -f UTF-8 "$dir/de_DE.UTF-8" >/dev/null 2>&1 || true
	if [[ "$(LOCPATH=$dir LC_ALL=de_DE.UTF-8 locale decimal_point 2>/dev/null)" == "," ]]; then
		COMMA_LOCALE=de_DE.UTF-8
		COMMA_LOCPATH=$dir
	fi
}

setup() {
	common_setup
	write_file simple.txt "$SIMPLE_PROMPT"
	write_file complex.txt "$COMPLEX_PROMPT"
}

# ---------------------------------------------------------------- basics

@test "route: a stdin prompt gives one model name line, exit 0, quiet stderr" {
	run --separate-stderr "$LLMROUTE" -n <simple.txt
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[ "$output" = "gpt-4.1-nano" ]
	[ -z "$stderr" ]
}

@test "route: --dry-run is the long form of -n" {
	run --separate-stderr "$LLMROUTE" --dry-run <simple.txt
	[ "$status" -eq 0 ]
	[ "$output" = "gpt-4.1-nano" ]
}

@test "route: several FILE arguments give one line each, in order" {
	run --separate-stderr "$LLMROUTE" -n simple.txt complex.txt simple.txt
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	[ "${lines[0]}" = "gpt-4.1-nano" ]
	[ "${lines[1]}" != "gpt-4.1-nano" ]
	[ "${lines[2]}" = "gpt-4.1-nano" ]
	[ -z "$stderr" ]
}

@test "route: '-' among FILEs reads standard input in its place" {
	write_file a.txt "Good morning, how are you?"
	run --separate-stderr "$LLMROUTE" -n -f json a.txt - simple.txt <complex.txt
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	[ "$(jq -r .id <<<"${lines[0]}")" = "a.txt" ]
	[ "$(jq -r .id <<<"${lines[1]}")" = "-" ]
	[ "$(jq -r .id <<<"${lines[2]}")" = "simple.txt" ]
	# The stdin prompt is the complex one.
	[ "$(jq -r .tier <<<"${lines[1]}")" != "small" ]
}

@test "route: --format json has every field with the right type" {
	run --separate-stderr "$LLMROUTE" -n --format json simple.txt
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	jq -e '
		(.id | type) == "string" and
		(.score | type) == "number" and .score >= 0 and .score <= 1 and
		(.tier | type) == "string" and
		(.model | type) == "string" and
		(.provider | type) == "string" and
		(.tokens_in_est | type) == "number" and .tokens_in_est >= 1 and
		(.tokens_out_est | type) == "number" and .tokens_out_est >= 1 and
		(.cost_usd_est | type) == "number" and .cost_usd_est > 0 and
		(.baseline_model | type) == "string" and
		(.baseline_cost_usd_est | type) == "number" and
		.baseline_cost_usd_est >= .cost_usd_est and
		(has("forced") | not) and (has("explain") | not)
	' <<<"$output"
	[ "$(jq -r '[.tier, .model, .provider, .baseline_model] | join(" ")' <<<"$output")" = "small gpt-4.1-nano openai gpt-4.1" ]
}

@test "route: json cost is tokens times the model's list prices" {
	run --separate-stderr "$LLMROUTE" -n -f json simple.txt
	[ "$status" -eq 0 ]
	# gpt-4.1-nano: 0.10 in, 0.40 out; baseline gpt-4.1: 2.00 in, 8.00 out.
	# tokens_in_est is rounded: allow half a token at the input price.
	jq -e '
		((.cost_usd_est - (.tokens_in_est * 0.10 + .tokens_out_est * 0.40) / 1e6) | fabs) <= 0.5 * 0.10 / 1e6 + 1e-12 and
		((.baseline_cost_usd_est - (.tokens_in_est * 2 + .tokens_out_est * 8) / 1e6) | fabs) <= 0.5 * 2 / 1e6 + 1e-12
	' <<<"$output"
}

@test "route: json id is the file name for files and '-' for stdin" {
	run --separate-stderr "$LLMROUTE" -n -f json simple.txt
	[ "$status" -eq 0 ]
	jq -e '.id == "simple.txt"' <<<"$output"
	run --separate-stderr "$LLMROUTE" -n -f json <simple.txt
	[ "$status" -eq 0 ]
	jq -e '.id == "-"' <<<"$output"
}

# ---------------------------------------------------------------- JSONL ids

@test "jsonl: a string id stays a string, a number id stays a number" {
	cat >in.jsonl <<-'EOF'
	{"id":"7","prompt":"Hello there, friend."}
	{"id":7,"prompt":"Hello there, friend."}
	{"id":-2.5e3,"prompt":"Hello there, friend."}
	EOF
	run --separate-stderr "$LLMROUTE" -n --jsonl -f json in.jsonl
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	jq -e '.id == "7" and (.id | type) == "string"' <<<"${lines[0]}"
	jq -e '.id == 7 and (.id | type) == "number"' <<<"${lines[1]}"
	jq -e '.id == -2500 and (.id | type) == "number"' <<<"${lines[2]}"
	[[ "${lines[1]}" == '{"id":7,'* ]]
}

@test "jsonl: the default id is the line number" {
	printf '%s\n' '{"prompt":"Hello there, friend."}' '' \
		'{"id":"x","prompt":"Hello there, friend."}' \
		'{"prompt":"Hello there, friend."}' >in.jsonl
	run --separate-stderr "$LLMROUTE" -n --jsonl -f json in.jsonl
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	jq -e '.id == 1' <<<"${lines[0]}"
	jq -e '.id == "x"' <<<"${lines[1]}"
	jq -e '.id == 4' <<<"${lines[2]}"
}

@test "jsonl: output keeps the input order" {
	local i
	for ((i = 1; i <= 60; i++)); do
		if ((i % 3 == 0)); then
			jq -nc --arg id "r$i" --arg p "$COMPLEX_PROMPT" '{id: $id, prompt: $p}'
		else
			jq -nc --arg id "r$i" --arg p "$SIMPLE_PROMPT" '{id: $id, prompt: $p}'
		fi
	done >in.jsonl
	run --separate-stderr "$LLMROUTE" -n --jsonl -f json in.jsonl
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 60 ]
	[ "$(jq -r .id <<<"$output" | tr '\n' ' ')" = "$(seq -f 'r%g' 1 60 | tr '\n' ' ')" ]
	# The complex ones (every third) are not in the first tier.
	[ "$(jq -r 'select(.tier != "small") | .id' <<<"$output" | tr '\n' ' ')" = "$(seq -f 'r%g' 3 3 60 | tr '\n' ' ')" ]
}

@test "jsonl: messages use the last user message; content parts are joined" {
	cat >in.jsonl <<-'EOF'
	{"id":"m","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Hello"},{"type":"image_url"},{"type":"text","text":"there"}]}]}
	EOF
	run --separate-stderr "$LLMROUTE" -n --jsonl -f json in.jsonl
	[ "$status" -eq 0 ]
	jq -e '.id == "m" and .tier == "small"' <<<"$output"
}

# ---------------------------------------------------------------- explain

@test "explain: json gains explain.features with 12 named numeric entries" {
	run --separate-stderr "$LLMROUTE" -n -f json --explain complex.txt
	[ "$status" -eq 0 ]
	jq -e '
		(.explain.features | length) == 12 and
		([.explain.features[] | (.name | type) == "string" and
		  (.value | type) == "number" and (.weight | type) == "number" and
		  (.contribution | type) == "number"] | all) and
		([.explain.features[].name] | unique | length) == 12 and
		(.explain.bias | type) == "number" and
		(.explain.logit | type) == "number"
	' <<<"$output"
}

@test "explain: contributions plus bias equal the logit (within 1e-6)" {
	local f
	for f in simple.txt complex.txt; do
		run --separate-stderr "$LLMROUTE" -n -f json -e "$f"
		[ "$status" -eq 0 ]
		echo "$f: bias + ngrams + sum(contributions) - logit = $(jq '(.explain.bias + .explain.ngrams + ([.explain.features[].contribution] | add)) - .explain.logit' <<<"$output")"
		jq -e '((.explain.bias + .explain.ngrams + ([.explain.features[].contribution] | add)) - .explain.logit | fabs) <= 1e-6' <<<"$output"
	done
}

@test "explain: each contribution is value, up to its cap, times weight" {
	run --separate-stderr "$LLMROUTE" -n -f json -e complex.txt
	[ "$status" -eq 0 ]
	jq -e '[.explain.features[] | ((([.value, (.cap // .value)] | min) * .weight - .contribution) | fabs) <= 1e-5] | all' <<<"$output"
}

@test "explain: a capped feature says so, and counts no more than its cap" {
	local i
	for i in $(seq 40); do printf '```\nx = %d\n```\n' "$i"; done >code.txt
	run --separate-stderr "$LLMROUTE" -n -f json -e code.txt
	[ "$status" -eq 0 ]
	jq -e '.explain.features[] | select(.name == "code") |
		.cap > 0 and .value > .cap and
		((.contribution - .cap * .weight) | fabs) <= 1e-9' <<<"$output"
	run --separate-stderr "$LLMROUTE" -n --explain code.txt
	[ "$status" -eq 0 ]
	grep -Eq '^ +code +.*\(capped at 1\)$' <<<"$output"
}

@test "explain: logistic(logit) is the score" {
	local f
	for f in simple.txt complex.txt; do
		run --separate-stderr "$LLMROUTE" -n -f json -e "$f"
		[ "$status" -eq 0 ]
		# score is printed with 4 decimals.
		jq -e '((1 / (1 + ((0 - .explain.logit) | exp))) - .score | fabs) <= 1e-4' <<<"$output"
	done
}

@test "explain: text format prints the model then a feature table" {
	run --separate-stderr "$LLMROUTE" -n --explain complex.txt
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$("$LLMROUTE" -n complex.txt)" ]
	[[ "$output" == *"complex.txt: score "* ]]
	[[ "$output" =~ feature\ +value\ +weight\ +contrib ]]
	local name
	for name in length sentences questions code math reasoning multipart \
		constraints domain simple choice nonenglish bias logit; do
		grep -Eq "^ +$name +" <<<"$output" || {
			echo "no row for $name"
			return 1
		}
	done
	# model line + summary + header + 12 features + bias + logit; the
	# built-in scorer has no n-gram term, so no row for one
	! grep -Eq '^ +ngrams ' <<<"$output"
	[ "${#lines[@]}" -eq 17 ]
}

# ---------------------------------------------------------------- table

@test "table: a header, one row per prompt and a total line with saving" {
	run --separate-stderr "$LLMROUTE" -n --format table simple.txt complex.txt
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 4 ]
	[[ "${lines[0]}" =~ ^ID\ +SCORE\ +TIER\ +MODEL\ +TOK_IN\ +TOK_OUT\ +COST_USD\ +BASELINE_USD$ ]]
	[[ "${lines[1]}" =~ ^simple\.txt\ +0\.[0-9]{3}\ +small\ +gpt-4\.1-nano\  ]]
	[[ "${lines[2]}" =~ ^complex\.txt\ +[01]\.[0-9]{3}\  ]]
	[[ "${lines[3]}" == "2 prompts: estimated cost "*" USD, baseline "*" USD, saving "*% ]]
}

@test "table: the total adds up the rows" {
	run --separate-stderr "$LLMROUTE" -n -f table simple.txt complex.txt
	[ "$status" -eq 0 ]
	local c1 c2 b1 b2 tc tb
	c1=$(awk 'NR == 2 { print $7 }' <<<"$output")
	c2=$(awk 'NR == 3 { print $7 }' <<<"$output")
	b1=$(awk 'NR == 2 { print $8 }' <<<"$output")
	b2=$(awk 'NR == 3 { print $8 }' <<<"$output")
	tc=$(sed -n 's/.*estimated cost \([0-9.]*\) USD.*/\1/p' <<<"${lines[3]}")
	tb=$(sed -n 's/.*baseline \([0-9.]*\) USD.*/\1/p' <<<"${lines[3]}")
	# each figure to three significant digits: within 0.5% of each other
	feq "$tc" "$(jq -n "$c1 + $c2")" "$(jq -n "$tc * 5e-3")"
	feq "$tb" "$(jq -n "$b1 + $b2")" "$(jq -n "$tb * 5e-3")"
	# saving = 1 - cost / baseline, in percent with one decimal.
	[[ "${lines[3]}" == *"saving $(jq -n "(1 - $tc / $tb) * 1000 | round / 10" | xargs printf '%.1f')%" ]]
}

@test "table: a tiny estimated cost shows three digits, not 0.000000" {
	jq -n '{"models": {"penny": {"provider": "openai", "price": {"input": 0.001, "output": 0.001}}},
		"tiers": [{"name": "cheap", "model": "penny", "max_score": 0.5}, {"name": "big", "model": "gpt-4.1"}]}' >cfg.json
	run --separate-stderr "$LLMROUTE" -c cfg.json -n -f table simple.txt
	[ "$status" -eq 0 ]
	# 400 output tokens and a few input tokens at 0.001 USD per million
	[[ "${lines[1]}" =~ ^simple\.txt\ .*\ penny\ .*\ 0\.000000[0-9]{3}\ +0\.00[0-9]{3}$ ]] || {
		echo "row: ${lines[1]}"
		return 1
	}
	[[ "${lines[2]}" =~ ^1\ prompt:\ estimated\ cost\ 0\.000000[0-9]{3}\ USD ]]
	[[ "$output" != *" 0.000000 "* ]]
}

@test "table: CJK and combining characters in ids and model names keep the columns aligned" {
	jq -n '{"models": {"模型小": {"provider": "openai", "id": "gpt-4.1-nano", "price": {"input": 0.1, "output": 0.4}}},
		"tiers": [{"name": "小", "model": "模型小", "max_score": 0.5}, {"name": "big", "model": "gpt-4.1"}]}' >cfg.json
	printf '%s\n' '{"id":"中文的问题","prompt":"Hello there, friend."}' \
		'{"id":"cafe\u0301","prompt":"Hello there, friend."}' \
		'{"id":"plain","prompt":"Hello there, friend."}' >in.jsonl
	run --separate-stderr "$LLMROUTE" -c cfg.json -n --jsonl -f table in.jsonl
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 5 ]
	local table cols
	table=$(head -n 4 <<<"$output")
	# every row under the header, as wide as the header on a terminal
	[ "$(display_width "$table" | sort -u | wc -l)" -eq 1 ]
	cols=$(display_col "$table" "0.0")
	[ "$(sed -n 1p <<<"$cols")" = -1 ]
	[ "$(sed -n '2,4p' <<<"$cols" | sort -u | wc -l)" -eq 1 ]
	# the tier and model cells start under their heads
	[ "$(display_col "$table" 小 | sed -n '2,4p' | sort -u)" = "$(display_col "$table" TIER | head -n 1)" ]
	[ "$(display_col "$table" 模型小 | sed -n '2,4p' | sort -u)" = "$(display_col "$table" MODEL | head -n 1)" ]
}

@test "table: an id holding a tab or newline keeps the columns aligned" {
	printf '%s\n' '{"id":"a\tb","prompt":"Hello there, friend."}' \
		'{"id":"c\nd","prompt":"Hello there, friend."}' \
		'{"id":"e","prompt":"Hello there, friend."}' >in.jsonl
	run --separate-stderr "$LLMROUTE" -n --jsonl -f table in.jsonl
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 5 ]
	# Every row ends with the baseline cost, the TIER column is under TIER.
	local col i
	col=$(awk '{ print index($0, "TIER"); exit }' <<<"$output")
	for i in 1 2 3; do
		[[ "${lines[$i]}" =~ \ 0\.003[0-9]{2}$ ]] || {
			echo "row $i: ${lines[$i]}"
			return 1
		}
		[ "${lines[$i]:$((col - 1)):5}" = "small" ] || {
			echo "row $i: ${lines[$i]}"
			return 1
		}
	done
}

# ---------------------------------------------------------------- routing

@test "routing: a short greeting goes to the first tier" {
	run --separate-stderr "$LLMROUTE" -n -f json simple.txt
	[ "$status" -eq 0 ]
	jq -e '.tier == "small" and .model == "gpt-4.1-nano" and .score < 0.4' <<<"$output"
}

@test "routing: 'hi' goes to the first tier with a numeric score" {
	run --separate-stderr "$LLMROUTE" -n -f json <<<"hi"
	[ "$status" -eq 0 ]
	jq -e '(.score | type) == "number"' <<<"$output"
	jq -e '.tier == "small"' <<<"$output"
}

@test "routing: every short prompt gets a score in [0, 1]" {
	local p
	for p in hi ok Hey yes "no" Why "2+2?" "hola"; do
		run --separate-stderr "$LLMROUTE" -n -f json -e <<<"$p"
		[ "$status" -eq 0 ]
		jq -e '(.score | type) == "number" and .score >= 0 and .score <= 1 and
			([.explain.features[].value | type == "number"] | all)' <<<"$output" || {
			echo "prompt '$p': $output"
			return 1
		}
	done
}

@test "routing: a long multi-part technical prompt scores higher and goes above the first tier" {
	run --separate-stderr "$LLMROUTE" -n -f json simple.txt complex.txt
	[ "$status" -eq 0 ]
	local s c
	s=$(jq -r .score <<<"${lines[0]}")
	c=$(jq -r .score <<<"${lines[1]}")
	jq -n -e "$c > $s"
	jq -e '.tier != "small" and .model != "gpt-4.1-nano"' <<<"${lines[1]}"
	[ "$(jq -r .tier <<<"${lines[0]}")" = "small" ]
}

@test "routing: --tier forces the tier" {
	run --separate-stderr "$LLMROUTE" -n -f json --tier small complex.txt
	[ "$status" -eq 0 ]
	jq -e '.tier == "small" and .model == "gpt-4.1-nano" and .forced == "tier"' <<<"$output"
	run --separate-stderr "$LLMROUTE" -n -f json -T large simple.txt
	[ "$status" -eq 0 ]
	jq -e '.tier == "large" and .model == "gpt-4.1" and .forced == "tier"' <<<"$output"
	run --separate-stderr "$LLMROUTE" -n -T medium simple.txt
	[ "$output" = "gpt-4.1-mini" ]
}

@test "routing: --model forces the model; a model outside the tiers has tier null" {
	run --separate-stderr "$LLMROUTE" -n -f json --model gpt-5 simple.txt
	[ "$status" -eq 0 ]
	jq -e '.model == "gpt-5" and .tier == null and .provider == "openai" and .forced == "model"' <<<"$output"
	# gpt-5 at 1.25 in, 10 out.
	jq -e '((.cost_usd_est - (.tokens_in_est * 1.25 + .tokens_out_est * 10) / 1e6) | fabs) <= 0.5 * 1.25 / 1e6 + 1e-12' <<<"$output"
	run --separate-stderr "$LLMROUTE" -n -f json -m claude-sonnet-4-5 complex.txt
	[ "$status" -eq 0 ]
	jq -e '.model == "claude-sonnet-4-5" and .provider == "anthropic" and .forced == "model"' <<<"$output"
	run --separate-stderr "$LLMROUTE" -n -f json -m gpt-4.1-mini complex.txt
	[ "$status" -eq 0 ]
	jq -e '.model == "gpt-4.1-mini" and .tier == "medium" and .forced == "model"' <<<"$output"
}

@test "routing: --tier and --model together are a usage error" {
	run --separate-stderr "$LLMROUTE" -n --tier small --model gpt-5 simple.txt
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *--tier*--model* ]]
}

@test "routing: an unknown tier or model is a usage error naming it" {
	run --separate-stderr "$LLMROUTE" -n --tier huge simple.txt
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *"unknown tier"*huge* ]]
	run --separate-stderr "$LLMROUTE" -n --model gpt-9000 simple.txt
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *"unknown model"*gpt-9000* ]]
}

@test "routing: --prefer cost and quality move a prompt near a bound (config)" {
	cat >two.json <<-'EOF'
	{"tiers": [{"name": "cheap", "model": "gpt-4.1-nano", "max_score": 0.5},
	           {"name": "dear", "model": "gpt-4.1"}],
	 "prefer_shift": 0.5}
	EOF
	run --separate-stderr "$LLMROUTE" -n -c two.json -f json --prefer cost complex.txt
	[ "$status" -eq 0 ]
	jq -e '.tier == "cheap"' <<<"$output"
	run --separate-stderr "$LLMROUTE" -n -c two.json -f json --prefer quality simple.txt
	[ "$status" -eq 0 ]
	jq -e '.tier == "dear"' <<<"$output"
	run --separate-stderr "$LLMROUTE" -n -c two.json -f json --prefer balanced simple.txt complex.txt
	[ "$status" -eq 0 ]
	jq -e '.tier == "cheap"' <<<"${lines[0]}"
	jq -e '.tier == "dear"' <<<"${lines[1]}"
}

@test "routing: --prefer shifts the built-in bounds by prefer_shift" {
	local k i s
	for ((k = 1; k <= 20; k++)); do
		s=""
		for ((i = 0; i < k; i++)); do s+=" Explain why the algorithm is correct."; done
		jq -nc --argjson id "$k" --arg p "$s" '{id: $id, prompt: $p}'
	done >spread.jsonl
	"$LLMROUTE" config >cfg.json
	local p
	for p in cost balanced quality; do
		"$LLMROUTE" -n --jsonl -f json --prefer "$p" spread.jsonl >"$p.out"
	done
	# Check every decision against the bounds of 'llmroute config'.
	jq -n -e --slurpfile cfg cfg.json \
		--slurpfile cost cost.out --slurpfile bal balanced.out \
		--slurpfile qual quality.out '
		$cfg[0] as $c | ($c.tiers | map(.name)) as $names |
		def expect($score; $shift):
			[range(0; ($c.tiers | length) - 1)
			 | select($score < ([[$c.tiers[.].max_score + $shift, 0] | max, 1] | min))][0]
			// (($c.tiers | length) - 1) | $names[.];
		def near($score; $shift):
			[$c.tiers[:-1][] | ((.max_score + $shift) - $score | fabs) < 1e-4] | any;
		[range(0; $cost | length) as $i |
		 ($cost[$i].score) as $s |
		 ((near($s; $c.prefer_shift) or $cost[$i].tier == expect($s; $c.prefer_shift)) and
		  (near($s; 0) or $bal[$i].tier == expect($s; 0)) and
		  (near($s; -$c.prefer_shift) or $qual[$i].tier == expect($s; -$c.prefer_shift)))]
		| all
		and ([range(0; $cost | length) | select($cost[.].tier != $qual[.].tier)] | length) > 0'
}

# spread FILE: 20 JSON Lines prompts whose scores spread over the tiers.
spread() {
	local k i s
	for ((k = 1; k <= 20; k++)); do
		s=""
		for ((i = 0; i < k; i++)); do s+=" Explain why the algorithm is correct."; done
		jq -nc --argjson id "$k" --arg p "$s" '{id: $id, prompt: $p}'
	done >"$1"
}

# tiers_of OUT: the tier of each decision of OUT, one line.
tiers_of() {
	jq -r .tier "$1" | tr '\n' ' '
}

@test "routing: --prefer cost=W and quality=W move the bounds by W times prefer_shift" {
	spread spread.jsonl
	local w
	for w in 0 0.25 0.5 0.75 1; do
		"$LLMROUTE" -n --jsonl -f json --prefer "cost=$w" spread.jsonl >"c$w.out"
		"$LLMROUTE" -n --jsonl -f json --prefer "quality=$w" spread.jsonl >"q$w.out"
	done
	"$LLMROUTE" -n --jsonl -f json --prefer balanced spread.jsonl >bal.out
	"$LLMROUTE" -n --jsonl -f json --prefer cost spread.jsonl >cost.out
	"$LLMROUTE" -n --jsonl -f json --prefer quality spread.jsonl >quality.out
	# W 0 is balanced, W 1 the bare word.
	[ "$(tiers_of c0.out)" = "$(tiers_of bal.out)" ]
	[ "$(tiers_of q0.out)" = "$(tiers_of bal.out)" ]
	[ "$(tiers_of c1.out)" = "$(tiers_of cost.out)" ]
	[ "$(tiers_of q1.out)" = "$(tiers_of quality.out)" ]
	# Each prompt's tier moves one way as W grows: cheaper under cost,
	# dearer under quality.
	jq -n -e --slurpfile a c0.out --slurpfile b c0.25.out --slurpfile c c0.5.out \
		--slurpfile d c0.75.out --slurpfile e c1.out \
		--slurpfile qa q0.out --slurpfile qb q0.25.out --slurpfile qc q0.5.out \
		--slurpfile qd q0.75.out --slurpfile qe q1.out '
		def rank: {"small": 0, "medium": 1, "large": 2}[.tier];
		def down($xs): [range(1; $xs | length) as $k |
			range(0; $xs[0] | length) as $i |
			($xs[$k][$i] | rank) <= ($xs[$k - 1][$i] | rank)] | all;
		def up($xs): [range(1; $xs | length) as $k |
			range(0; $xs[0] | length) as $i |
			($xs[$k][$i] | rank) >= ($xs[$k - 1][$i] | rank)] | all;
		down([$a, $b, $c, $d, $e]) and
		up([$qa, $qb, $qc, $qd, $qe])' >/dev/null
	# And the score near a bound: halfway W, halfway shift.
	cat >two.json <<-'EOF'
	{"tiers": [{"name": "cheap", "model": "gpt-4.1-nano", "max_score": 0.5},
	           {"name": "dear", "model": "gpt-4.1"}],
	 "prefer_shift": 0.4}
	EOF
	local s
	s=$("$LLMROUTE" -n -c two.json -f json complex.txt | jq .score)
	# A score between 0.5 and 0.9: cost=1 keeps it cheap; a W whose
	# bound 0.5 + 0.4 W falls below the score sends it dear.
	run --separate-stderr "$LLMROUTE" -n -c two.json -f json --prefer cost=1 complex.txt
	jq -e '.tier == "cheap"' <<<"$output"
	w=$(jq -n "($s - 0.5) / 0.4 * 0.5")
	run --separate-stderr "$LLMROUTE" -n -c two.json -f json --prefer "cost=$w" complex.txt
	[ "$status" -eq 0 ]
	jq -e '.tier == "dear"' <<<"$output"
}

@test "routing: the configuration's prefer takes the --prefer grammar" {
	spread spread.jsonl
	echo '{"prefer": "cost=0.5"}' >p.json
	"$LLMROUTE" -n --jsonl -f json --prefer cost=0.5 spread.jsonl >want.out
	"$LLMROUTE" -n --jsonl -f json -c p.json spread.jsonl >got.out
	[ "$(tiers_of got.out)" = "$(tiers_of want.out)" ]
	# --prefer wins over it.
	"$LLMROUTE" -n --jsonl -f json -c p.json --prefer balanced spread.jsonl >b.out
	[ "$(tiers_of b.out)" = "$("$LLMROUTE" -n --jsonl -f json spread.jsonl | jq -r .tier | tr '\n' ' ')" ]
	echo '{"prefer": "cost=2"}' >bad.json
	run --separate-stderr "$LLMROUTE" -n -c bad.json simple.txt
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"bad.json: prefer: expected"*"=W from 0 to 1"* ]]
}

@test "routing: --prefer grammar errors are usage errors naming the fault" {
	local bad want
	for bad in "cost=1.5:expected a weight from 0 to 1" \
		"cost,quality:one of cost, quality and balanced" \
		"speed,speed:speed given twice" "balanced=0.5:is not" \
		"cost,:a comma at the end"; do
		want=${bad#*:}
		run --separate-stderr "$LLMROUTE" -n --prefer "${bad%%:*}" simple.txt
		[ "$status" -eq 2 ]
		[ -z "$output" ]
		[[ "$stderr" == "llmroute: --prefer: "*"$want"* ]]
	done
}

# speed_cfg: tiers whose first one has three models, and a log of calls.
speed_cfg() {
	cat >s.json <<-EOF
	{"log": "$T/log.jsonl",
	 "tiers": [{"name": "cheap", "model": "gpt-4.1-nano", "max_score": 0.5,
	            "fallbacks": ["gpt-4o-mini", "claude-haiku-4-5"]},
	           {"name": "dear", "model": "gpt-4.1"}]}
	EOF
	: >log.jsonl
}

# call_rec MODEL MS [STATUS [DRY]]: a cost log record of a call.
call_rec() {
	printf '{"v":1,"ts":"2026-01-01T00:00:00.000Z","model":"%s","tokens_in":1,"tokens_out":1,"cost_usd":0,"baseline_cost_usd":0,"latency_ms":%s,"status":"%s","dry_run":%s}\n' \
		"$1" "$2" "${3:-ok}" "${4:-false}" >>log.jsonl
}

@test "routing: --prefer speed picks the tier's model with the lowest median latency in the log" {
	speed_cfg
	# Medians: nano 800, haiku 300 (errors and dry runs not counted),
	# mini 500.
	call_rec gpt-4.1-nano 700; call_rec gpt-4.1-nano 800; call_rec gpt-4.1-nano 900
	call_rec claude-haiku-4-5 200; call_rec claude-haiku-4-5 400
	call_rec claude-haiku-4-5 1 error; call_rec claude-haiku-4-5 2 ok true
	call_rec gpt-4o-mini 500
	run --separate-stderr "$LLMROUTE" -n -c s.json -f json --prefer speed simple.txt
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	jq -e '.tier == "cheap" and .model == "claude-haiku-4-5"' <<<"$output"
	# Without speed: the tier's own model.
	run --separate-stderr "$LLMROUTE" -n -c s.json -f json simple.txt
	jq -e '.model == "gpt-4.1-nano"' <<<"$output"
	# With a leaning: the bounds move and the fastest model still wins.
	run --separate-stderr "$LLMROUTE" -n -c s.json -f json --prefer quality=0.3,speed simple.txt
	[ "$status" -eq 0 ]
	jq -e '.model == "claude-haiku-4-5"' <<<"$output"
	# --log names the log read.
	: >other.jsonl
	printf '{"v":1,"ts":"2026-01-01T00:00:00.000Z","model":"gpt-4o-mini","tokens_in":1,"tokens_out":1,"cost_usd":0,"baseline_cost_usd":0,"latency_ms":5,"status":"ok","dry_run":false}\n' >other.jsonl
	run --separate-stderr "$LLMROUTE" -n -c s.json -f json --prefer speed --log other.jsonl simple.txt
	jq -e '.model == "gpt-4o-mini"' <<<"$output"
}

@test "routing: --prefer speed falls back to latency_ms, then to the configured order" {
	speed_cfg
	run --separate-stderr "$LLMROUTE" -n -c s.json -f json --prefer speed simple.txt
	[ "$status" -eq 0 ]
	jq -e '.model == "gpt-4.1-nano"' <<<"$output"
	jq '.models = {"gpt-4o-mini": {"latency_ms": 250}, "claude-haiku-4-5": {"latency_ms": 900}}' \
		s.json >l.json
	run --separate-stderr "$LLMROUTE" -n -c l.json -f json --prefer speed simple.txt
	[ "$status" -eq 0 ]
	jq -e '.model == "gpt-4o-mini"' <<<"$output"
	# An observed median wins over the configured latency.
	call_rec claude-haiku-4-5 100
	run --separate-stderr "$LLMROUTE" -n -c l.json -f json --prefer speed simple.txt
	jq -e '.model == "claude-haiku-4-5"' <<<"$output"
	# latency_ms is shown by llmroute config and checked.
	[ "$("$LLMROUTE" config -c l.json | jq '.models["gpt-4o-mini"].latency_ms')" = 250 ]
	jq '.models = {"gpt-4o-mini": {"latency_ms": -1}}' s.json >neg.json
	run --separate-stderr "$LLMROUTE" -n -c neg.json simple.txt
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"models.gpt-4o-mini.latency_ms"* ]]
}

@test "routing: --threshold with a leaning --prefer warns once that the threshold wins" {
	run --separate-stderr "$LLMROUTE" -n --threshold 0.3 --prefer cost=0.5 simple.txt
	[ "$status" -eq 0 ]
	[ "$(grep -c . <<<"$stderr")" -eq 1 ]
	[[ "$stderr" == "llmroute: --threshold wins over --prefer cost"* ]]
	# The same decision as without --prefer.
	[ "$output" = "$("$LLMROUTE" -n --threshold 0.3 simple.txt)" ]
	run --separate-stderr "$LLMROUTE" -n -q --threshold 0.3 --prefer quality simple.txt
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	# Nothing overridden, nothing said.
	run --separate-stderr "$LLMROUTE" -n --threshold 0.3 --prefer balanced,speed simple.txt
	[ -z "$stderr" ]
	run --separate-stderr "$LLMROUTE" -n --threshold 0.3 --prefer cost=0 simple.txt
	[ -z "$stderr" ]
}

@test "routing: --prefer with a bad value is a usage error" {
	run --separate-stderr "$LLMROUTE" -n --prefer cheapest simple.txt
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *--prefer*cheapest* ]]
}

@test "routing: --threshold 0 sends everything to the last tier" {
	run --separate-stderr "$LLMROUTE" -n -f json --threshold 0 simple.txt complex.txt
	[ "$status" -eq 0 ]
	[ "$(jq -r .tier <<<"$output" | sort -u)" = "large" ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "routing: --threshold 1 sends everything to the first tier" {
	run --separate-stderr "$LLMROUTE" -n -f json -t 1 simple.txt complex.txt
	[ "$status" -eq 0 ]
	[ "$(jq -r .tier <<<"$output" | sort -u)" = "small" ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "routing: --threshold X uses only the first and last tiers, split at X" {
	run --separate-stderr "$LLMROUTE" -n -f json -t 0.5 simple.txt complex.txt
	[ "$status" -eq 0 ]
	jq -e '(.score < 0.5 and .tier == "small") or (.score >= 0.5 and .tier == "large")' <<<"$output"
	jq -e '.tier == "small"' <<<"${lines[0]}"
	jq -e '.tier == "large"' <<<"${lines[1]}"
}

@test "routing: --threshold outside [0, 1] or not a number is a usage error" {
	local x
	for x in 2 abc -0.1 "" 0.5x; do
		run --separate-stderr "$LLMROUTE" -n --threshold "$x" simple.txt
		[ "$status" -eq 2 ] || {
			echo "threshold '$x': status $status"
			return 1
		}
		[ -z "$output" ]
		[[ "$stderr" == *--threshold* ]]
	done
}

# ---------------------------------------------------------------- usage

@test "usage: --format bogus exits 2: one line why, one where to read more" {
	run --separate-stderr "$LLMROUTE" -n --format bogus simple.txt
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "llmroute: --format: expected text, table or json, not 'bogus'
try 'llmroute --help'" ]
}

@test "usage: an unknown option exits 2, said by llmroute, not by argv[0]" {
	run --separate-stderr "$LLMROUTE" -n --no-such-option simple.txt
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "llmroute: unknown option '--no-such-option'
try 'llmroute --help'" ]
	run --separate-stderr "$LLMROUTE" -Z
	[ "$stderr" = "llmroute: unknown option -Z
try 'llmroute --help'" ]
	run --separate-stderr "$LLMROUTE" --log
	[[ "$stderr" == "llmroute: option '--log' needs an argument"* ]]
	run --separate-stderr "$LLMROUTE" --dry-run=1
	[[ "$stderr" == "llmroute: option '--dry-run' takes no argument"* ]]
	# the same through a relative path to the binary
	cp "$LLMROUTE" ./lr-copy
	run --separate-stderr ./lr-copy --no-such-option
	[[ "$stderr" == "llmroute: unknown option '--no-such-option'"* ]]
}

@test "usage: --help prints the usage on stdout and exits 0" {
	run --separate-stderr "$LLMROUTE" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage:"* ]]
	[[ "$output" == *--dry-run* ]]
	[ -z "$stderr" ]
	run --separate-stderr "$LLMROUTE" -h
	[ "$status" -eq 0 ]
	[[ "$output" == "usage: llmroute"* ]]
}

@test "usage: --version prints 'llmroute VERSION' and exits 0" {
	run --separate-stderr "$LLMROUTE" --version
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^llmroute\ [0-9]+\.[0-9]+ ]]
	[ -z "$stderr" ]
	run --separate-stderr "$LLMROUTE" -V
	[ "$status" -eq 0 ]
	[[ "$output" == "llmroute "* ]]
}

@test "usage: without -n routing is refused with exit 2 pointing to --dry-run" {
	run --separate-stderr "$LLMROUTE" simple.txt
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *--dry-run* ]]
}

# ---------------------------------------------------------------- input errors

@test "input: empty standard input exits 3 naming the input" {
	run --separate-stderr "$LLMROUTE" -n </dev/null
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[[ "$stderr" == *"-: "*empty* ]]
}

@test "input: a whitespace-only prompt exits 3" {
	printf ' \n\t\r\n  ' >blank.txt
	run --separate-stderr "$LLMROUTE" -n blank.txt
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[[ "$stderr" == *blank.txt*empty* ]]
}

@test "input: a missing file exits 3 naming it; the other files are still routed" {
	run --separate-stderr "$LLMROUTE" -n simple.txt no-such-file.txt simple.txt
	[ "$status" -eq 3 ]
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = "gpt-4.1-nano" ]
	[[ "$stderr" == *no-such-file.txt* ]]
}

@test "input: a directory as FILE exits 3 naming it" {
	mkdir adir
	run --separate-stderr "$LLMROUTE" -n adir
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[[ "$stderr" == *adir* ]]
}

@test "input: a file with a NUL byte exits 3 naming it" {
	printf 'Hello\0there' >nul.txt
	run --separate-stderr "$LLMROUTE" -n nul.txt
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[[ "$stderr" == *nul.txt*NUL* ]]
}

@test "input: --max-prompt-bytes refuses a longer prompt, naming the limit" {
	run --separate-stderr "$LLMROUTE" -n --max-prompt-bytes 5 simple.txt
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[[ "$stderr" == *simple.txt*limit*5* ]]
}

@test "input: --max-prompt-bytes takes exactly the limit" {
	write_file ten.txt "helloworld"
	run --separate-stderr "$LLMROUTE" -n --max-prompt-bytes 10 ten.txt
	[ "$status" -eq 0 ]
	[ "$output" = "gpt-4.1-nano" ]
	write_file eleven.txt "helloworld!"
	run --separate-stderr "$LLMROUTE" -n --max-prompt-bytes 10 eleven.txt
	[ "$status" -eq 3 ]
}

@test "input: --max-prompt-bytes accepts size suffixes" {
	head -c 1500 /dev/zero | tr '\0' 'a' >big.txt
	run --separate-stderr "$LLMROUTE" -n --max-prompt-bytes 1k big.txt
	[ "$status" -eq 3 ]
	[[ "$stderr" == *1024* ]]
	run --separate-stderr "$LLMROUTE" -n --max-prompt-bytes 2k big.txt
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	run --separate-stderr "$LLMROUTE" -n --max-prompt-bytes 1M big.txt
	[ "$status" -eq 0 ]
}

@test "input: a bad --max-prompt-bytes is a usage error" {
	local s
	for s in 1x abc 0 -5 "" 1.5k; do
		run --separate-stderr "$LLMROUTE" -n --max-prompt-bytes "$s" simple.txt
		[ "$status" -eq 2 ] || {
			echo "size '$s': status $status"
			return 1
		}
		[ -z "$output" ]
		[[ "$stderr" == *--max-prompt-bytes* ]]
	done
}

@test "jsonl: a non-JSON line is reported as NAME:LINE: and the others are output" {
	printf '%s\n' '{"id":"a","prompt":"Hello there, friend."}' 'not json at all' \
		'{"id":"c","prompt":"Hello there, friend."}' >in.jsonl
	run --separate-stderr "$LLMROUTE" -n --jsonl -f json in.jsonl
	[ "$status" -eq 3 ]
	[ "${#lines[@]}" -eq 2 ]
	jq -e '.id == "a"' <<<"${lines[0]}"
	jq -e '.id == "c"' <<<"${lines[1]}"
	[[ "$stderr" == *"in.jsonl:2:"* ]]
	[ "$(grep -c . <<<"$stderr")" -eq 1 ]
}

@test "jsonl: errors on standard input are named '-:LINE:'" {
	run --separate-stderr "$LLMROUTE" -n --jsonl <<<'{"id":1'
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[[ "$stderr" == *"-:1:"* ]]
}

@test "jsonl: blank lines are skipped" {
	printf '\n%s\n   \n\t\n%s\n\n' '{"prompt":"Hello there, friend."}' \
		'{"prompt":"Hello there, friend."}' >in.jsonl
	run --separate-stderr "$LLMROUTE" -n --jsonl -f json in.jsonl
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "${#lines[@]}" -eq 2 ]
	jq -e '.id == 2' <<<"${lines[0]}"
	jq -e '.id == 5' <<<"${lines[1]}"
}

@test "jsonl: a record without a prompt names the 'prompt' field" {
	printf '%s\n' '{"id":"x","text":"Hello there"}' >in.jsonl
	run --separate-stderr "$LLMROUTE" -n --jsonl in.jsonl
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[[ "$stderr" == *"in.jsonl:1:"*"'prompt'"* ]]
}

@test "jsonl: messages without a user role are refused" {
	printf '%s\n' '{"messages":[{"role":"system","content":"Hello there"},{"role":"assistant","content":"Hi"}]}' >in.jsonl
	run --separate-stderr "$LLMROUTE" -n --jsonl in.jsonl
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[[ "$stderr" == *"in.jsonl:1:"*user* ]]
}

@test "jsonl: a \\u0000 in the prompt is refused" {
	printf '%s\n' '{"prompt":"Hello\u0000there"}' '{"prompt":"Hello there"}' >in.jsonl
	run --separate-stderr "$LLMROUTE" -n --jsonl in.jsonl
	[ "$status" -eq 3 ]
	[ "$output" = "gpt-4.1-nano" ]
	[[ "$stderr" == *"in.jsonl:1:"*NUL* ]]
}

@test "jsonl: a line over --max-prompt-bytes is reported with its line number; the next works" {
	{
		echo '{"id":1,"prompt":"Hello there, friend."}'
		printf '{"id":2,"prompt":"%s"}\n' "$(head -c 300 /dev/zero | tr '\0' a)"
		echo '{"id":3,"prompt":"Hello there, friend."}'
	} >in.jsonl
	run --separate-stderr "$LLMROUTE" -n --jsonl -f json --max-prompt-bytes 100 in.jsonl
	[ "$status" -eq 3 ]
	[ "${#lines[@]}" -eq 2 ]
	jq -e '.id == 1' <<<"${lines[0]}"
	jq -e '.id == 3' <<<"${lines[1]}"
	[[ "$stderr" == *"in.jsonl:2:"*100* ]]
}

@test "jsonl: a line of exactly --max-prompt-bytes is accepted, one byte more is not" {
	local line='{"prompt":"hello"}' # 18 bytes
	printf '%s\n' "$line" >in.jsonl
	run --separate-stderr "$LLMROUTE" -n --jsonl --max-prompt-bytes 18 in.jsonl
	[ "$status" -eq 0 ]
	[ "$output" = "gpt-4.1-nano" ]
	run --separate-stderr "$LLMROUTE" -n --jsonl --max-prompt-bytes 17 in.jsonl
	echo "limit 17, 18-byte line: status $status, stdout '$output', stderr '$stderr'"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"in.jsonl:1:"*17* ]]
}

@test "jsonl: CRLF line ends and a last line without newline are fine" {
	printf '{"id":"a","prompt":"Hello there"}\r\n{"id":"b","prompt":"Hello there"}\r\n{"id":"c","prompt":"Hello there"}' >in.jsonl
	run --separate-stderr "$LLMROUTE" -n --jsonl -f json in.jsonl
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "${#lines[@]}" -eq 3 ]
	[ "$(jq -r .id <<<"$output" | tr -d '\n')" = "abc" ]
}

# ---------------------------------------------------------------- UTF-8, JSON safety

@test "utf8: invalid UTF-8 gives valid JSON and a U+FFFD warning" {
	printf '\xff\xfe hi there' >bad.txt
	run --separate-stderr "$LLMROUTE" -n -f json bad.txt
	[ "$status" -eq 0 ]
	jq -e '.invalid_utf8 == 2 and .tier == "small"' <<<"$output"
	[[ "$stderr" == *bad.txt*U+FFFD* ]]
}

@test "utf8: invalid UTF-8 in a JSONL prompt and id gives valid JSON" {
	printf '{"id":"x\xff","prompt":"Hello \xfe there"}\n' >in.jsonl
	run --separate-stderr "$LLMROUTE" -n --jsonl -f json in.jsonl
	[ "$status" -eq 0 ]
	jq -e '.id == "x\ufffd" and .invalid_utf8 >= 1' <<<"$output"
	[[ "$stderr" == *U+FFFD* ]]
}

@test "utf8: -q silences the U+FFFD warning" {
	printf '\xff\xfe hi there' >bad.txt
	run --separate-stderr "$LLMROUTE" -n -q -f json bad.txt
	[ "$status" -eq 0 ]
	jq -e '.invalid_utf8 == 2' <<<"$output"
	[ -z "$stderr" ]
}

@test "json: ids with quotes, newlines and control characters stay valid JSON" {
	local name=$'we"ird\\name\nwith\ttab\001\033'
	write_file "$name" "Hello there, friend."
	run --separate-stderr "$LLMROUTE" -n -f json "$name"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[ "$(jq -j .id <<<"$output")" = "$name" ]
	printf '%s\n' '{"id":"q\"b\\s\nn\u0001c\u001fd\u007f","prompt":"Hello there"}' >in.jsonl
	run --separate-stderr "$LLMROUTE" -n --jsonl -f json in.jsonl
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	jq -e '.id == "q\"b\\s\nn\u0001c\u001fd\u007f"' <<<"$output"
}

# ---------------------------------------------------------------- locale

@test "locale: JSON and table numbers use '.' under a comma-decimal locale" {
	[[ -n "$COMMA_LOCALE" ]] || skip "no comma-decimal locale installed and localedef could not build de_DE.UTF-8"
	if [[ -n "$COMMA_LOCPATH" ]]; then export LOCPATH=$COMMA_LOCPATH; fi
	export LC_ALL=$COMMA_LOCALE
	[ "$(locale decimal_point)" = "," ]
	run --separate-stderr "$LLMROUTE" -n -f json -e simple.txt complex.txt
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	jq -e '(.score | type) == "number" and (.cost_usd_est | type) == "number" and
		(.explain.logit | type) == "number"' <<<"$output"
	[[ "$output" != *[0-9],[0-9]* ]]
	run --separate-stderr "$LLMROUTE" -n -f table simple.txt
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" =~ \ 0\.[0-9]{3}\  ]]
	[[ "$output" != *[0-9],[0-9]* ]]
	run --separate-stderr "$LLMROUTE" models -f json
	[ "$status" -eq 0 ]
	jq -e -s 'length > 0 and ([.[].input | type == "number"] | all)' <<<"$output"
}

# ---------------------------------------------------------------- output

@test "pipe: a reader that closes early gets one line and no error message" {
	local i
	for ((i = 1; i <= 5000; i++)); do
		printf '{"id":%d,"prompt":"Explain the difference between TCP and UDP, case %d."}\n' "$i" "$i"
	done >big.jsonl
	run --separate-stderr bash -c '"$LLMROUTE" -n --jsonl -f json big.jsonl 2>err.txt | head -1'
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	jq -e '.id == 1' <<<"$output"
	[ ! -s err.txt ]
	# The same with SIGPIPE ignored: EPIPE must not be reported either.
	run --separate-stderr bash -c 'trap "" PIPE; "$LLMROUTE" -n --jsonl big.jsonl 2>err.txt | head -1'
	[ "${#lines[@]}" -eq 1 ]
	[ ! -s err.txt ]
}

@test "output: a full disk gives exit 1 and a write error" {
	[[ -w /dev/full ]] || skip "no /dev/full"
	run --separate-stderr bash -c '"$LLMROUTE" -n simple.txt >/dev/full'
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"write error"* ]]
	run --separate-stderr bash -c '"$LLMROUTE" -n -f table simple.txt >/dev/full'
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"write error"* ]]
}

@test "color: piped table output has no escape sequences" {
	export TERM=xterm
	run --separate-stderr "$LLMROUTE" -n --format table simple.txt
	[ "$status" -eq 0 ]
	[[ "$output" == ID* ]]
	[[ "$output" != *$'\033'* ]]
}

@test "color: on a terminal the table header is bold unless NO_COLOR is set" {
	command -v script >/dev/null || skip "script(1) is not installed"
	script --version 2>/dev/null | grep -q util-linux || skip "script(1) is not util-linux"
	export TERM=xterm
	run script -qec "\"$LLMROUTE\" -n --format table simple.txt" /dev/null </dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == *"gpt-4.1-nano"* ]]
	[[ "$output" == *$'\033['* ]]
	export NO_COLOR=1
	run script -qec "\"$LLMROUTE\" -n --format table simple.txt" /dev/null </dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == *"gpt-4.1-nano"* ]]
	[[ "$output" != *$'\033'* ]]
}
