#!/usr/bin/env bats
# Learning the scorer: llmroute eval, train, calibrate and feedback, on
# small fixture files written by each test.

bats_require_minimum_version 1.5.0
load helpers/common
load helpers/learn

setup() {
	common_setup
	export XDG_STATE_HOME="$BATS_TEST_TMPDIR/state"
	sep_labels sep.jsonl
}

# ------------------------------------------------------------------ eval

@test "eval: a table of APGR and CPT for the scorer, length and random" {
	run --separate-stderr "$LLMROUTE" eval sep.jsonl
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "${lines[0]}" = "32 prompts: quality 0.500 all-weak, 1.000 all-strong" ]
	[[ "${lines[1]}" =~ ^SET\ +SCORER\ +N\ +Q_WEAK\ +Q_STR\ +APGR\ +CPT\(50\)\ +CPT\(80\)$ ]]
	[[ "${lines[2]}" =~ ^all\ +builtin\ +32\ +0\.500\ +1\.000\ +[0-9.]+\ +[0-9.]+%\ +[0-9.]+%$ ]]
	[[ "${lines[3]}" =~ ^all\ +length\ +32\  ]]
	[[ "${lines[4]}" =~ ^all\ +random\ +32\  ]]
	# Eleven curve points after the cost line.
	[ "$(grep -cE '^ +[0-9.]+ +[01]\.[0-9]{4}$' <<<"$output")" -eq 11 ]
	[[ "$output" == *"cost saved against all-gpt-4.1, routing to gpt-4.1-nano"* ]]
}

@test "eval: -f json has the result, the baselines and the costs" {
	run --separate-stderr "$LLMROUTE" eval -f json sep.jsonl
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	jq -e '
		.result.scorer == "builtin" and .result.n == 32 and
		.result.q_weak == 0.5 and .result.q_strong == 1 and
		(.result.apgr | type) == "number" and
		(.result.cpt50 | type) == "number" and
		(.result.cpt80 | type) == "number" and
		(.result.cpt95 | type) == "number" and
		(.result.curve | length) == 11 and
		(.result.curve | map(length == 2) | all) and
		.result.curve[0][0] == 0 and .result.curve[10][0] == 100 and
		([.result.curve[][0]] == ([.result.curve[][0]] | sort)) and
		([.baselines[].scorer] == ["length", "random"]) and
		(.baselines | map(.n == 32) | all) and
		.strong_model == "gpt-4.1" and .weak_model == "gpt-4.1-nano" and
		(.cost_saved_pct | keys) == ["50", "80", "95"]
	' <<<"$output" >/dev/null
}

@test "eval: --scorer length on a hand-computed fixture (APGR .75, CPT 25/40)" {
	# Four prompts of 1, 6, 20 and 60 words; the two longest need the
	# strong model (q_W 0), the two shortest do not.  Length ranks them
	# perfectly; tests/unit/test_metrics.c works this case out by hand:
	# curve x 0, 25 x3, 50 x3, 75 x3, 100, APGR .75, CPT(50) 25, CPT(80) 40.
	{
		printf '{"prompt":"%s","strong":1,"weak":1}\n' "$(words 1)"
		printf '{"prompt":"%s","strong":1,"weak":1}\n' "$(words 6)"
		printf '{"prompt":"%s","strong":1,"weak":0}\n' "$(words 20)"
		printf '{"prompt":"%s","strong":1,"weak":0}\n' "$(words 60)"
	} >p.jsonl
	run --separate-stderr "$LLMROUTE" eval --scorer length -f json p.jsonl
	[ "$status" -eq 0 ]
	jq -e '
		.result.scorer == "length" and
		([.result.curve[][0]] == [0,25,25,25,50,50,50,75,75,75,100]) and
		([.result.curve[][1]] == [.5,.75,.75,.75,1,1,1,1,1,1,1])
	' <<<"$output" >/dev/null
	feq "$(jq .result.apgr <<<"$output")" 0.75 1e-6
	feq "$(jq .result.cpt50 <<<"$output")" 25 1e-4
	feq "$(jq .result.cpt80 <<<"$output")" 40 1e-4
	# The length baseline is the same scorer: the same figures.
	[ "$(jq -c '.result | del(.scorer)' <<<"$output")" = \
	  "$(jq -c '.baselines[0] | del(.scorer)' <<<"$output")" ]
}

@test "eval: --scorer heuristic, length and random are accepted and named" {
	local s
	for s in heuristic length random builtin; do
		run --separate-stderr "$LLMROUTE" eval --scorer "$s" -f json sep.jsonl
		[ "$status" -eq 0 ]
		[ "$(jq -r .result.scorer <<<"$output")" = "$s" ]
	done
	run --separate-stderr "$LLMROUTE" eval --scorer nosuch sep.jsonl
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"nosuch"* ]]
}

@test "eval: --svg writes an SVG of the curve" {
	run --separate-stderr "$LLMROUTE" eval --svg curve.svg sep.jsonl
	[ "$status" -eq 0 ]
	[ -s curve.svg ]
	[[ "$(head -c 5 curve.svg)" = "<svg " ]]
	[ "$(tail -n 1 curve.svg)" = "</svg>" ]
	[ "$(grep -c '<polyline' curve.svg)" -eq 2 ]
	grep -q '<title>builtin</title>' curve.svg
	grep -q '<title>random</title>' curve.svg
	if command -v xmllint >/dev/null; then xmllint --noout curve.svg; fi
	run --separate-stderr "$LLMROUTE" eval --svg /nonexistent/dir/c.svg sep.jsonl
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"/nonexistent/dir/c.svg"* ]]
}

@test "eval: --chart prints the curve as bars" {
	run --separate-stderr "$LLMROUTE" eval --chart sep.jsonl
	[ "$status" -eq 0 ]
	[[ "$output" == *"quality against % of strong calls"* ]]
	# Eleven bar lines; the all-strong one recovers the whole gap: 40 #.
	[ "$(grep -cE '^ +[0-9.]+%  [01]\.[0-9]{3}  #*$' <<<"$output")" -eq 11 ]
	grep -qE '^ +100\.0%  1\.000  #{40}$' <<<"$output"
	grep -qE '^ +0\.0%  0\.500  $' <<<"$output"
	! has_escape "$output"
}

@test "eval: a bad label line exits 3 naming FILE:LINE and the field" {
	head -2 sep.jsonl >bad.jsonl
	echo '{"prompt":"x","strong":1,"weak":"good"}' >>bad.jsonl
	run --separate-stderr "$LLMROUTE" eval bad.jsonl
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[[ "$stderr" == "llmroute: bad.jsonl:3: field 'weak': expected a number"* ]]
	[ "${#stderr_lines[@]}" -eq 1 ]
	echo '{"prompt":"x","weak":1}' >bad2.jsonl
	run --separate-stderr "$LLMROUTE" eval sep.jsonl bad2.jsonl
	[ "$status" -eq 3 ]
	[ "$stderr" = "llmroute: bad2.jsonl:1: field 'strong' is missing" ]
	run --separate-stderr "$LLMROUTE" eval missing.jsonl
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"missing.jsonl"* ]]
	: >empty.jsonl
	run --separate-stderr "$LLMROUTE" eval empty.jsonl
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"no labelled prompts"* ]]
}

# ----------------------------------------------------------------- train

@test "train: -o writes a model that eval --scorer and -n --scorer-model accept" {
	run --separate-stderr "$LLMROUTE" train -o m.json sep.jsonl
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"trained on 32 prompts"* ]]
	jq -e '.llmroute_model == 2 and .trained_on == 32 and .seed == 1 and
		(.weights | length) == 12 and .hash_bits == 18' m.json >/dev/null
	run --separate-stderr "$LLMROUTE" eval --scorer m.json -f json sep.jsonl
	[ "$status" -eq 0 ]
	[ "$(jq -r .result.scorer <<<"$output")" = "m.json" ]
	run --separate-stderr "$LLMROUTE" -n --scorer-model m.json -f json \
		--explain <<<"please sort the alpha pink report"
	[ "$status" -eq 0 ]
	[ "$(jq -r .explain.scorer <<<"$output")" = "m.json" ]
	run --separate-stderr "$LLMROUTE" -n --scorer-model m.json <<<"hello"
	[ "$status" -eq 0 ]
	[ -n "$output" ]
	[ -z "$stderr" ]
}

@test "eval: a scorer file's long path is shortened so the table keeps its columns" {
	mkdir -p models/nightly-2026-11-28/experiments
	"$LLMROUTE" train -q -o models/nightly-2026-11-28/experiments/router-v2.json sep.jsonl
	run --separate-stderr "$LLMROUTE" eval --scorer "$PWD/models/nightly-2026-11-28/experiments/router-v2.json" sep.jsonl
	[ "$status" -eq 0 ]
	local table
	table=$(grep -A 3 '^SET ' <<<"$output")
	[ "$(wc -l <<<"$table")" -eq 4 ]
	# the end of the path, after "...", in the SCORER column
	[[ "$(sed -n 2p <<<"$table")" =~ ^all\ +\.\.\.[^\ ]*-v2\.json\ +32\  ]]
	# every row as wide as the header, each N under N
	[ "$(display_width "$table" | sort -u | wc -l)" -eq 1 ]
	[ "$(display_col "$table" " 32 " | sed -n '2,4p' | sort -u | wc -l)" -eq 1 ]
	# JSON keeps the whole path
	run --separate-stderr "$LLMROUTE" eval --scorer models/nightly-2026-11-28/experiments/router-v2.json -f json sep.jsonl
	[ "$(jq -r .result.scorer <<<"$output")" = models/nightly-2026-11-28/experiments/router-v2.json ]
}

@test "train: the same seed and file give identical model files" {
	"$LLMROUTE" train -q -o a.json sep.jsonl
	"$LLMROUTE" train -q -o b.json sep.jsonl
	cmp a.json b.json
	"$LLMROUTE" train -q --seed 1 -o c.json sep.jsonl
	cmp a.json c.json
	"$LLMROUTE" train -q --seed 2 -o d.json sep.jsonl
	! cmp -s a.json d.json
}

@test "train: --prior MODEL continues from a model file, at its width" {
	"$LLMROUTE" train -q --hash-bits 12 -o base.json sep.jsonl
	# the opposite labels, the n-gram weights pulled back hard: with the
	# model as prior they stay at its own, with a built-in one at 0
	jq -c '{prompt, strong: .weak, weak: .strong}' sep.jsonl >flip.jsonl
	run --separate-stderr "$LLMROUTE" train -q --prior base.json --l2 10 \
		-o next.json flip.jsonl
	[ "$status" -eq 0 ]
	jq -e '.hash_bits == 12 and (.about | contains("prior base.json"))' \
		next.json >/dev/null
	"$LLMROUTE" train -q --prior heuristic --hash-bits 12 --l2 10 \
		-o zero.json flip.jsonl
	drift() {
		jq --slurpfile b base.json '
			($b[0].ngrams | map({key: (.[0] | tostring), value: .[1]})
				| from_entries) as $w
			| ([.ngrams[] | {key: (.[0] | tostring), value: .[1]}]
				| from_entries) as $v
			| [$w | keys[] | (($v[.] // 0) - $w[.]) | fabs] | max' "$1"
	}
	big=$(jq '[.ngrams[][1] | fabs] | max' base.json)
	awk -v d="$(drift next.json)" -v z="$(drift zero.json)" -v b="$big" \
		'BEGIN { exit !(b > 0.1 && d < 0.1 * b && z > 0.5 * b) }'
	# an unreadable file or a width clash is a usage error
	run --separate-stderr "$LLMROUTE" train --prior nosuch.json -o x.json sep.jsonl
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"--prior"*"nosuch.json"* ]]
	run --separate-stderr "$LLMROUTE" train --prior base.json --hash-bits 14 \
		-o x.json sep.jsonl
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"12 hash bits"* ]]
	[ ! -e x.json ]
}

@test "train: --folds 2 prints trained, length, heuristic and random per source" {
	run --separate-stderr "$LLMROUTE" train --folds 2 sep.jsonl
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "2-fold cross-validation (seed 1)" ]
	[[ "${lines[1]}" =~ ^SET\ +SCORER ]]
	local sets=(all all all all A A A A B B B B)
	local names=(trained length heuristic random)
	local i
	[ "${#lines[@]}" -eq 14 ]
	for i in $(seq 0 11); do
		[[ "${lines[i + 2]}" =~ ^${sets[i]}\ +${names[i % 4]}\ + ]]
	done
	# Each source has 16 prompts, all has 32.
	[[ "${lines[2]}" =~ ^all\ +trained\ +32\  ]]
	[[ "${lines[6]}" =~ ^A\ +trained\ +16\  ]]
	[[ "${lines[10]}" =~ ^B\ +trained\ +16\  ]]
	# No -o: no model written.
	[ -z "$(ls ./*.json 2>/dev/null)" ]

	run --separate-stderr "$LLMROUTE" train --folds 2 -f json sep.jsonl
	[ "$status" -eq 0 ]
	jq -e '.folds == 2 and .seed == 1 and
		([.sets[].set] == ["all", "A", "B"]) and
		(.sets | map([.scorers[].scorer] ==
		    ["trained", "length", "heuristic", "random"]) | all)' \
		<<<"$output" >/dev/null
}

@test "train: the separable fixture gets APGR clearly above 0.5" {
	"$LLMROUTE" train -q -o m.json sep.jsonl
	run --separate-stderr "$LLMROUTE" eval --scorer m.json -f json sep.jsonl
	[ "$status" -eq 0 ]
	jq -e '.result.apgr > 0.7 and .result.apgr > .baselines[0].apgr + 0.2' \
		<<<"$output" >/dev/null
	# And cross-validated: trained on half, scored on the other half.
	run --separate-stderr "$LLMROUTE" train --folds 2 -f json sep.jsonl
	jq -e '.sets[0].scorers[0].apgr > 0.7' <<<"$output" >/dev/null
}

@test "train: a damaged model file gives exit 2 for -n --scorer-model and eval --scorer" {
	"$LLMROUTE" train -q -o m.json sep.jsonl
	head -c 200 m.json >cut.json
	run --separate-stderr "$LLMROUTE" -n --scorer-model cut.json <<<"hello"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *"cut.json: not a model file"* ]]
	run --separate-stderr "$LLMROUTE" eval --scorer cut.json sep.jsonl
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"cut.json: not a model file"* ]]
	jq -c '.weights = [1, 2]' m.json >w.json
	run --separate-stderr "$LLMROUTE" -n --scorer-model w.json <<<"hello"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"w.json: field 'weights'"* ]]
	jq -c '.llmroute_model = 3' m.json >v3.json
	run --separate-stderr "$LLMROUTE" eval --scorer v3.json sep.jsonl
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"v3.json: a model of another version"* ]]
	jq -c '.llmroute_model = 1' m.json >v1.json
	run --separate-stderr "$LLMROUTE" eval --scorer v1.json sep.jsonl
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"v1.json: version 1 n-gram weights grow with the prompt's length"* ]]
	jq -c '.llmroute_model = 1 | .hash_bits = 0 | .ngrams = [] | del(.caps)' m.json >v1f.json
	run --separate-stderr "$LLMROUTE" eval --scorer v1f.json sep.jsonl
	[ "$status" -eq 0 ]
	run --separate-stderr "$LLMROUTE" -n --scorer-model nofile.json <<<"hello"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"nofile.json"* ]]
}

@test "train: the configuration's scorer.model is used by route" {
	"$LLMROUTE" train -q -o m.json sep.jsonl
	printf '{"scorer": {"model": "%s"}}\n' "$T/m.json" >cfg.json
	run --separate-stderr "$LLMROUTE" -n -c cfg.json -f json --explain \
		<<<"please sort the alpha pink report"
	[ "$status" -eq 0 ]
	[ "$(jq -r .explain.scorer <<<"$output")" = "$T/m.json" ]
	# The same score as --scorer-model gives.
	[ "$(jq .score <<<"$output")" = "$("$LLMROUTE" -n --scorer-model m.json \
		-f json <<<"please sort the alpha pink report" | jq .score)" ]
	# Without it, the built-in scorer.
	run --separate-stderr "$LLMROUTE" -n -f json --explain <<<"hello"
	[ "$(jq -r .explain.scorer <<<"$output")" = "builtin" ]
	# A damaged model named by the configuration: exit 2.
	echo '{"llmroute_model": 1' >cut.json
	printf '{"scorer": {"model": "%s"}}\n' "$T/cut.json" >cfg2.json
	run --separate-stderr "$LLMROUTE" -n -c cfg2.json <<<"hello"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"cut.json"* ]]
}

# ------------------------------------------------------------- calibrate

@test "calibrate: --strong-pct sends the top P% to the last tier" {
	cal_prompts cal.jsonl 20
	echo '{}' >cfg.json
	run --separate-stderr "$LLMROUTE" calibrate -c cfg.json --jsonl \
		--strong-pct 25 --write -f json cal.jsonl
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"bounds written to cfg.json"* ]]
	jq -e '.prompts == 20 and (.tiers | length) == 3 and
		.tiers[2].name == "large" and .tiers[2].share_pct == 25 and
		.tiers[2].max_score == null and
		(.tiers | map(.share_pct) | add) == 100' <<<"$output" >/dev/null
	# Routing the same prompts with the written configuration.
	run --separate-stderr "$LLMROUTE" -n --jsonl -f json -c cfg.json cal.jsonl
	[ "$status" -eq 0 ]
	[ "$(tier_count "$output" large)" -eq 5 ]
	# The five that go to the last tier are the five highest scores.
	[ "$(tier_ids "$output" large)" = "$(top_ids "$output" 5)" ]
	# And the shares calibrate printed are the shares route gives.
	[ "$(tier_count "$output" small)" -eq \
	  "$(jq '.tiers[0].share_pct * 20 / 100 | round' <<<"$(
		"$LLMROUTE" calibrate -c cfg.json --jsonl --strong-pct 25 \
		-f json cal.jsonl)")" ]
}

@test "calibrate: scores with the configuration's scorer, as route does" {
	# A features-only model fitted on prompts whose longer half needs the
	# strong model: its scores grow with length.
	cal_prompts cal.jsonl 20
	jq -c '.strong = 1 | .weak = (if (.id[1:] | tonumber) > 10 then 0
		else 1 end)' cal.jsonl >len.jsonl
	"$LLMROUTE" train -q --hash-bits 0 -o m.json len.jsonl
	jq -e '.weights[0] > 0' m.json >/dev/null
	printf '{"scorer": {"model": "%s"}}\n' "$T/m.json" >cfg.json
	run --separate-stderr "$LLMROUTE" calibrate -c cfg.json --jsonl \
		--strong-pct 25 -f json cal.jsonl
	[ "$status" -eq 0 ]
	[ "$output" = "$("$LLMROUTE" calibrate -c cfg.json --jsonl \
		--scorer-model m.json --strong-pct 25 -f json cal.jsonl)" ]
	# Written and routed with the same scorer: 5 of 20 to the top tier.
	"$LLMROUTE" calibrate -c cfg.json --jsonl --strong-pct 25 --write \
		cal.jsonl >/dev/null 2>&1
	jq -e '.scorer.model != null' cfg.json >/dev/null
	run --separate-stderr "$LLMROUTE" -n --jsonl -f json -c cfg.json cal.jsonl
	[ "$status" -eq 0 ]
	[ "$(tier_count "$output" large)" -eq 5 ]
}

@test "calibrate: the written bounds route as calibrate reported" {
	# A model that gives every prompt the same score, 0.49455...: the
	# bound of the tier before the last falls on it, and calibrate sends
	# every prompt to the last tier.  Routing with the written bounds must
	# do the same (a bound rounded to 0.4946 would send them all below).
	printf '{"llmroute_model":1,"features":%s,"bias":-0.0218,"weights":[0,0,0,0,0,0,0,0,0,0,0,0]}\n' \
		"$FEATURES_JSON" >flat.json
	printf '{"scorer": {"model": "%s"}, "tiers": [{"name": "cheap", "model": "gpt-4.1-nano", "max_score": 0.3}, {"name": "top", "model": "gpt-4.1"}]}\n' \
		"$T/flat.json" >cfg.json
	cal_prompts cal.jsonl 8
	run --separate-stderr "$LLMROUTE" calibrate -c cfg.json --jsonl \
		--strong-pct 50 --write -f json cal.jsonl
	[ "$status" -eq 0 ]
	local want
	want=$(jq '.tiers[1].share_pct * 8 / 100 | round' <<<"$output")
	run --separate-stderr "$LLMROUTE" -n --jsonl -f json -c cfg.json cal.jsonl
	[ "$status" -eq 0 ]
	echo "calibrate: $want of 8 to the top tier; route: $(tier_count "$output" top)"
	[ "$(tier_count "$output" top)" -eq "$want" ]
}

@test "calibrate: --strong-pct 0 and 100" {
	cal_prompts cal.jsonl 20
	run --separate-stderr "$LLMROUTE" calibrate --jsonl --strong-pct 0 \
		-f json cal.jsonl
	[ "$status" -eq 0 ]
	jq -e '.tiers[2].share_pct == 0' <<<"$output" >/dev/null
	run --separate-stderr "$LLMROUTE" calibrate --jsonl --strong-pct 100 \
		-f json cal.jsonl
	[ "$status" -eq 0 ]
	jq -e '.tiers[2].share_pct == 100' <<<"$output" >/dev/null
	run --separate-stderr "$LLMROUTE" calibrate --jsonl --strong-pct 101 \
		cal.jsonl
	[ "$status" -eq 2 ]
}

@test "calibrate: --shares gives each tier its share" {
	cal_prompts cal.jsonl 20
	echo '{}' >cfg.json
	run --separate-stderr "$LLMROUTE" calibrate -c cfg.json --jsonl \
		--shares 50,30,20 --write -f json cal.jsonl
	[ "$status" -eq 0 ]
	[ "$(jq -c '[.tiers[].share_pct]' <<<"$output")" = "[50,30,20]" ]
	jq -e '.tiers[0].max_score < .tiers[1].max_score' <<<"$output" >/dev/null
	run --separate-stderr "$LLMROUTE" -n --jsonl -f json -c cfg.json cal.jsonl
	[ "$(tier_count "$output" small)" -eq 10 ]
	[ "$(tier_count "$output" medium)" -eq 6 ]
	[ "$(tier_count "$output" large)" -eq 4 ]
	[ "$(tier_ids "$output" large)" = "$(top_ids "$output" 4)" ]
	# Shares that do not add up to 100, or one too few: exit 2.
	run --separate-stderr "$LLMROUTE" calibrate --jsonl --shares 50,30,10 cal.jsonl
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"--shares"* ]]
	run --separate-stderr "$LLMROUTE" calibrate --jsonl --shares 50,50 cal.jsonl
	[ "$status" -eq 2 ]
}

@test "calibrate: --max-cost between all-cheap and all-strong stays within it" {
	cal_prompts cal.jsonl 20
	local lo hi budget
	lo=$("$LLMROUTE" calibrate --jsonl --max-cost 0 -f json cal.jsonl \
		2>/dev/null | jq .cost_usd_est)
	hi=$("$LLMROUTE" calibrate --jsonl --max-cost 1000 -f json cal.jsonl |
		jq .cost_usd_est)
	jq -n -e "$lo < $hi" >/dev/null
	budget=$(jq -n "($lo + $hi) / 2")
	run --separate-stderr "$LLMROUTE" calibrate --jsonl --max-cost "$budget" \
		-f json cal.jsonl
	[ "$status" -eq 0 ]
	jq -e --argjson b "$budget" --argjson lo "$lo" '
		.cost_usd_est <= $b and .cost_usd_est > $lo and
		.tiers[2].share_pct > 0 and .tiers[2].share_pct < 100' \
		<<<"$output" >/dev/null
	# The budget 0 warns that even the first tier costs more.
	run --separate-stderr "$LLMROUTE" calibrate --jsonl --max-cost 0 cal.jsonl
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"--max-cost: even all-gpt-4.1-nano costs"* ]]
}

@test "calibrate: --max-cost stays within the budget when scores tie" {
	# Ten copies of a short prompt and ten of a long one: the long ones
	# tie.  Half of the long ones fit in the budget, not all of them, so
	# the tied group must stay below the bound.
	local i lo hi budget
	for i in $(seq 1 10); do
		printf '{"id":"s%d","prompt":"short one"}\n' "$i"
		printf '{"id":"l%d","prompt":"%s"}\n' "$i" "$(words 40)"
	done >tie.jsonl
	lo=$("$LLMROUTE" calibrate --jsonl --max-cost 0 -f json tie.jsonl \
		2>/dev/null | jq .cost_usd_est)
	hi=$("$LLMROUTE" calibrate --jsonl --max-cost 1000 -f json tie.jsonl |
		jq .cost_usd_est)
	budget=$(jq -n "($lo + $hi) / 2")
	run --separate-stderr "$LLMROUTE" calibrate --jsonl --max-cost "$budget" \
		-f json tie.jsonl
	[ "$status" -eq 0 ]
	echo "budget $budget: $output"
	jq -e --argjson b "$budget" '.cost_usd_est <= $b' <<<"$output" >/dev/null
}

@test "calibrate: --write keeps the other keys of the configuration" {
	cal_prompts cal.jsonl 20
	cat >cfg.json <<'EOF'
{
  "prefer": "cost",
  "models": {
    "my-model": {"provider": "openai", "price": {"input": 0.1, "output": 0.2}}
  },
  "tiers": [
    {"name": "cheap", "model": "my-model", "max_score": 0.3},
    {"name": "top", "model": "gpt-4.1"}
  ],
  "log_prompts": true
}
EOF
	run --separate-stderr "$LLMROUTE" calibrate -c cfg.json --jsonl \
		--strong-pct 25 --write -f json cal.jsonl
	[ "$status" -eq 0 ]
	jq -e '.tiers[1].share_pct == 25' <<<"$output" >/dev/null
	local bound
	bound=$(jq .tiers[0].max_score <<<"$output")
	# Valid JSON, the other keys kept, the new bound stored.
	jq -e '
		.prefer == "cost" and .log_prompts == true and
		.models["my-model"].provider == "openai" and
		.models["my-model"].price.input == 0.1 and
		.tiers[0].name == "cheap" and .tiers[0].model == "my-model" and
		.tiers[1].name == "top"' cfg.json >/dev/null
	# The new bound is stored (as printed, to the 4 decimals shown).
	feq "$(jq .tiers[0].max_score cfg.json)" "$bound" 0.00005
	! feq "$bound" 0.3 0.001
	# llmroute still reads it.
	run --separate-stderr "$LLMROUTE" config -c cfg.json
	[ "$status" -eq 0 ]
	[ "$(jq -r .tiers[0].model <<<"$output")" = "my-model" ]
	feq "$(jq .tiers[0].max_score <<<"$output")" "$bound" 0.00005
	# A file that is not a JSON object is not rewritten.
	echo '[1]' >arr.json
	run --separate-stderr "$LLMROUTE" calibrate --jsonl --strong-pct 25 \
		--write -c arr.json cal.jsonl
	[ "$status" -eq 2 ]
	[ "$(cat arr.json)" = "[1]" ]
}

# len_model: cal.jsonl, 20 prompts of growing length, labelled in len.jsonl
# so that the longer half needs the strong model, and m.json, a
# features-only model fitted on them (its scores grow with length).
len_model() {
	cal_prompts cal.jsonl 20
	jq -c '.strong = 1 | .weak = (if (.id[1:] | tonumber) > 10 then 0
		else 1 end)' cal.jsonl >len.jsonl
	"$LLMROUTE" train -q --hash-bits 0 -o m.json len.jsonl
}

@test "calibrate: --write with --scorer-model stores the model beside the bounds" {
	len_model
	# The configuration names no scorer: only --scorer-model does.
	echo '{"log_prompts": true}' >cfg.json
	run --separate-stderr "$LLMROUTE" calibrate -c cfg.json --jsonl \
		--scorer-model m.json --strong-pct 25 --write -f json cal.jsonl
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"bounds written to cfg.json, for the scorer $T/m.json"* ]]
	jq -e --arg m "$T/m.json" '.scorer == {"model": $m, "bounds_for": $m}
		and .log_prompts == true' cfg.json >/dev/null
	# A later run, with nothing but the file, scores with the model and
	# splits as calibrate said: 5 of 20 to the top tier, no warning.
	run --separate-stderr "$LLMROUTE" -n --jsonl -f json --explain \
		-c cfg.json cal.jsonl
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$(jq -r -s 'map(.explain.scorer) | unique[]' <<<"$output")" = "$T/m.json" ]
	[ "$(tier_count "$output" large)" -eq 5 ]
	[ "$(tier_ids "$output" large)" = "$(top_ids "$output" 5)" ]
}

@test "calibrate: --write with the built-in scorer drops a stale scorer.model" {
	len_model
	echo '{}' >cfg.json
	"$LLMROUTE" calibrate -c cfg.json --jsonl --scorer-model m.json \
		--strong-pct 25 --write cal.jsonl >/dev/null 2>&1
	jq -e '.scorer.model != null' cfg.json >/dev/null
	run --separate-stderr "$LLMROUTE" calibrate -c cfg.json --jsonl \
		--scorer-model builtin --strong-pct 40 --write cal.jsonl
	[ "$status" -eq 0 ]
	jq -e '.scorer == {"name": "builtin", "bounds_for": "builtin"}' \
		cfg.json >/dev/null
	run --separate-stderr "$LLMROUTE" -n --jsonl -f json --explain \
		-c cfg.json cal.jsonl
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$(jq -r -s 'map(.explain.scorer) | unique[]' <<<"$output")" = builtin ]
	[ "$(tier_count "$output" large)" -eq 8 ]
}

@test "route: bounds calibrated for another scorer warn once" {
	len_model
	echo '{}' >cfg.json
	"$LLMROUTE" calibrate -c cfg.json --jsonl --scorer-model m.json \
		--strong-pct 25 --write cal.jsonl >/dev/null 2>&1
	run --separate-stderr "$LLMROUTE" -n --jsonl -c cfg.json \
		--scorer-model heuristic cal.jsonl
	[ "$status" -eq 0 ]
	[ "$(grep -c . <<<"$stderr")" -eq 1 ]
	[[ "$stderr" == "llmroute: the tier bounds of cfg.json were calibrated for the scorer $T/m.json, not heuristic; "* ]]
	[[ "$stderr" == *"llmroute calibrate --scorer-model heuristic"*"--write"* ]]
	# The same model by another path is the same scorer.
	mkdir sub
	run --separate-stderr "$LLMROUTE" -n --jsonl -c cfg.json \
		--scorer-model sub/../m.json cal.jsonl
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	# -q keeps it quiet.
	run --separate-stderr "$LLMROUTE" -n -q --jsonl -c cfg.json \
		--scorer-model heuristic cal.jsonl
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
}

@test "train: -o prints the calibrate command to run next, and it works" {
	cal_prompts cal.jsonl 20
	jq -c '.strong = 1 | .weak = (if (.id[1:] | tonumber) > 10 then 0
		else 1 end)' cal.jsonl >len.jsonl
	run --separate-stderr "$LLMROUTE" train --hash-bits 0 -o m.json len.jsonl
	[ "$status" -eq 0 ]
	local cmd
	cmd=$(sed -n 's/^llmroute: calibrate the tier bounds for this model next: //p' <<<"$stderr")
	[ "$cmd" = "llmroute calibrate --scorer-model m.json --jsonl --strong-pct 50.0 --write len.jsonl" ]
	# Run as printed (into the default configuration file), then route.
	eval "\"\$LLMROUTE\"${cmd#llmroute}" >/dev/null 2>&1
	run --separate-stderr "$LLMROUTE" -n --jsonl -f json --explain cal.jsonl
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$(jq -r -s 'map(.explain.scorer) | unique[]' <<<"$output")" = "$T/m.json" ]
	[ "$(tier_ids "$output" large)" = "$(top_ids "$output" 10)" ]
	# A name that needs quoting is quoted; -q prints nothing.
	run --separate-stderr "$LLMROUTE" train --hash-bits 0 -o "my m's.json" len.jsonl
	[[ "$stderr" == *"--scorer-model 'my m'\\''s.json' --jsonl"* ]]
	run --separate-stderr "$LLMROUTE" train -q --hash-bits 0 -o m2.json len.jsonl
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
}

# forty_tiers FILE: a configuration of forty tiers t0..t39, cheap and
# dear models in turn, the bounds growing.
forty_tiers() {
	local i
	{
		printf '{"tiers": ['
		for i in $(seq 0 38); do
			printf '{"name": "t%d", "model": "%s", "max_score": %s},' \
				"$i" "$( ((i % 2)) && echo gpt-4.1 || echo gpt-4.1-nano)" \
				"$(jq -n "($i + 1) / 40")"
		done
		printf '{"name": "t39", "model": "gpt-4.1"}]}\n'
	} >"$1"
}

@test "calibrate: forty tiers, in each of the three modes" {
	# More tiers than calibrate once had room for (16): run under
	# "make sanitize", this is where the stack overflowed.
	forty_tiers forty.json
	cal_prompts cal.jsonl 40
	run --separate-stderr "$LLMROUTE" calibrate -c forty.json --jsonl \
		--strong-pct 30 -f json cal.jsonl
	[ "$status" -eq 0 ]
	jq -e '.prompts == 40 and (.tiers | length) == 40 and
		.tiers[39].name == "t39" and .tiers[39].max_score == null and
		.tiers[39].share_pct == 30 and
		(.tiers | map(.share_pct) | add) == 100 and
		([.tiers[:39][].max_score] == ([.tiers[:39][].max_score] | sort))' \
		<<<"$output" >/dev/null
	run --separate-stderr "$LLMROUTE" calibrate -c forty.json --jsonl \
		--strong-pct 30 cal.jsonl
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "40 prompts" ]
	[ "${#lines[@]}" -eq 43 ]
	[[ "${lines[41]}" =~ ^t39\ +gpt-4\.1\ +-\ +30\.0%$ ]]
	[[ "${lines[42]}" == "estimated cost "*" USD, baseline "*" USD, saving "* ]]

	# Forty shares of 2.5%: one prompt a tier.
	local shares
	shares=$(printf '2.5,%.0s' $(seq 40))
	run --separate-stderr "$LLMROUTE" calibrate -c forty.json --jsonl \
		--shares "${shares%,}" -f json cal.jsonl
	[ "$status" -eq 0 ]
	jq -e '(.tiers | length) == 40 and
		(.tiers | map(.share_pct == 2.5) | all)' <<<"$output" >/dev/null
	run --separate-stderr "$LLMROUTE" calibrate -c forty.json --jsonl \
		--shares "${shares}0" cal.jsonl
	[ "$status" -eq 2 ]
	[ "$stderr" = "llmroute: --shares: expected 40 percentages, one a tier, that add up to 100" ]

	# A budget: all of it, or none.
	run --separate-stderr "$LLMROUTE" calibrate -c forty.json --jsonl \
		--max-cost 1000 -f json cal.jsonl
	[ "$status" -eq 0 ]
	jq -e '.tiers[39].share_pct == 100' <<<"$output" >/dev/null
	run --separate-stderr "$LLMROUTE" calibrate -c forty.json --jsonl \
		--max-cost 0 -f json cal.jsonl
	[ "$status" -eq 0 ]
	jq -e '.tiers[0].share_pct == 100' <<<"$output" >/dev/null
	[[ "$stderr" == *"--max-cost: even all-gpt-4.1-nano costs"* ]]

	# Written, and routed as calibrate said: 12 of 40 to the top tier.
	"$LLMROUTE" calibrate -c forty.json --jsonl --strong-pct 30 --write \
		cal.jsonl >/dev/null 2>&1
	[ "$(jq '.tiers | length' forty.json)" -eq 40 ]
	run --separate-stderr "$LLMROUTE" -n --jsonl -f json -c forty.json cal.jsonl
	[ "$status" -eq 0 ]
	[ "$(tier_count "$output" t39)" -eq 12 ]
}

# -------------------------------------------------------------- feedback

# A dry run that logs four calls with their prompts: c1..c3 in the small
# tier, c4 forced to the top tier.
make_log() {
	cal_prompts cal.jsonl 3
	"$LLMROUTE" -n --jsonl --log log.jsonl ${1:+"$1"} cal.jsonl >/dev/null
	printf '{"id":"c4","prompt":"%s"}\n' "$(words 10)" >top.jsonl
	"$LLMROUTE" -n --jsonl -T large --log log.jsonl ${1:+"$1"} top.jsonl \
		>/dev/null
}

@test "feedback: ID good appends a verdict to the feedback file" {
	make_log --log-prompts
	[ "$(wc -l <log.jsonl)" -eq 4 ]
	run --separate-stderr "$LLMROUTE" feedback --log log.jsonl \
		--feedback fb.jsonl c2 good
	[ "$status" -eq 0 ]
	[ "$(wc -l <fb.jsonl)" -eq 1 ]
	jq -e '.id == "c2" and .quality == 1' fb.jsonl >/dev/null
	run --separate-stderr "$LLMROUTE" feedback --log log.jsonl \
		--feedback fb.jsonl c3 bad
	[ "$status" -eq 0 ]
	[ "$(wc -l <fb.jsonl)" -eq 2 ]
	[ "$(jq -c '[.id, .quality]' fb.jsonl | tr -d '\n')" = '["c2",1]["c3",0]' ]
	run --separate-stderr "$LLMROUTE" feedback --log log.jsonl \
		--feedback fb.jsonl c1 0.25
	[ "$status" -eq 0 ]
	[ "$(tail -n 1 fb.jsonl | jq -c '[.id, .quality]')" = '["c1",0.25]' ]
}

@test "feedback: an unknown id exits 3 with a clear message and writes nothing" {
	make_log --log-prompts
	run --separate-stderr "$LLMROUTE" feedback --log log.jsonl \
		--feedback fb.jsonl nosuch good
	[ "$status" -eq 3 ]
	[ "$stderr" = "llmroute: no call with id 'nosuch' in log.jsonl" ]
	[ ! -s fb.jsonl ]
}

@test "feedback: -f FILE records several verdicts" {
	make_log --log-prompts
	printf '%s\n' '{"id":"c1","quality":"good"}' '{"id":"c2","quality":0.5}' \
		'' '{"id":"c3","quality":"bad"}' >v.jsonl
	run --separate-stderr "$LLMROUTE" feedback --log log.jsonl \
		--feedback fb.jsonl -f v.jsonl
	[ "$status" -eq 0 ]
	[ "$(jq -c '[.id, .quality]' fb.jsonl | tr -d '\n')" = \
	  '["c1",1]["c2",0.5]["c3",0]' ]
	# One unknown id among them: exit 3 naming its line, nothing written.
	printf '%s\n' '{"id":"c1","quality":1}' '{"id":"zz","quality":1}' >v2.jsonl
	run --separate-stderr "$LLMROUTE" feedback --log log.jsonl \
		--feedback fb2.jsonl -f v2.jsonl
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"v2.jsonl:2: no call with id 'zz'"* ]]
	[ ! -s fb2.jsonl ]
}

@test "feedback: a bad verdict word exits 2" {
	make_log --log-prompts
	run --separate-stderr "$LLMROUTE" feedback --log log.jsonl \
		--feedback fb.jsonl c1 great
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"not 'great'"* ]]
	[ ! -s fb.jsonl ]
	run --separate-stderr "$LLMROUTE" feedback --log log.jsonl \
		--feedback fb.jsonl c1 1.5
	[ "$status" -eq 2 ]
	run --separate-stderr "$LLMROUTE" feedback --log log.jsonl \
		--feedback fb.jsonl c1
	[ "$status" -eq 2 ]
}

@test "train --from-log uses the verdicts below the top tier" {
	make_log --log-prompts
	[ "$(jq -r .tier log.jsonl | tr '\n' ' ')" = "small small small large " ]
	printf '%s\n' '{"id":"c1","quality":"good"}' '{"id":"c2","quality":"bad"}' \
		'{"id":"c4","quality":"bad"}' >v.jsonl
	"$LLMROUTE" feedback --log log.jsonl --feedback fb.jsonl -f v.jsonl
	run --separate-stderr "$LLMROUTE" train --from-log log.jsonl \
		--feedback fb.jsonl -o m.json
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"feedback: 3 verdicts, 2 used, 1 on the top tier (not used), 0 without a logged prompt"* ]]
	[[ "$stderr" == *"trained on 2 prompts"* ]]
	jq -e '.trained_on == 2' m.json >/dev/null
	# With labels as well: the verdicts add to them and change the model.
	run --separate-stderr "$LLMROUTE" train --from-log log.jsonl \
		--feedback fb.jsonl -o both.json sep.jsonl
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"trained on 34 prompts"* ]]
	"$LLMROUTE" train -q -o labels.json sep.jsonl
	! cmp -s both.json labels.json
}

@test "train --from-log without --log-prompts: no prompts, nothing used" {
	make_log
	! jq -e 'has("prompt")' log.jsonl >/dev/null
	printf '%s\n' '{"id":"c1","quality":"good"}' '{"id":"c2","quality":"bad"}' >v.jsonl
	"$LLMROUTE" feedback --log log.jsonl --feedback fb.jsonl -f v.jsonl
	[ "$(wc -l <fb.jsonl)" -eq 2 ]
	run --separate-stderr "$LLMROUTE" train --from-log log.jsonl \
		--feedback fb.jsonl -o m.json
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"feedback: 2 verdicts, 0 used, 0 on the top tier (not used), 2 without a logged prompt (log with --log-prompts)"* ]]
	[ ! -e m.json ]
}

@test "train: --epochs 0 keeps the prior as it is, caps and about included" {
	cat >prior.json <<'JSON'
{"llmroute_model": 2, "about": "a hand-set prior", "features": ["length","sentences","questions","code","math","reasoning","multipart","constraints","domain","simple","choice","nonenglish"], "bias": -2.5, "weights": [0.25,0,0,0.5,0.375,0,0,0,0,0,0,0], "caps": {"code": 1}, "hash_bits": 0, "ngrams": []}
JSON
	run --separate-stderr "$LLMROUTE" train -q --prior prior.json \
		--epochs 0 --hash-bits 0 -o m.json --emit-c w.c sep.jsonl
	[ "$status" -eq 0 ]
	jq -e '.bias == -2.5 and .weights[0] == 0.25 and .weights[3] == 0.5 and
		.weights[4] == 0.375 and .caps == {"code": 1} and
		.about == "a hand-set prior"' m.json
	grep -q '\.cap = {\[FEAT_CODE\] = 1},' w.c
	grep -q '\.table = NULL' w.c
	run --separate-stderr "$LLMROUTE" train --epochs 0 -o m.json sep.jsonl
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"--epochs 0 keeps the prior as it is"* ]]
}

@test "train: the memory ranks a fixture of topics that the linear model does not" {
	topic_labels topics.jsonl
	run --separate-stderr "$LLMROUTE" train --folds 2 -f json topics.jsonl
	[ "$status" -eq 0 ]
	mem=$(jq '.sets[0].scorers[0].apgr' <<<"$output")
	run --separate-stderr "$LLMROUTE" train --folds 2 -f json --memory 0 \
		topics.jsonl
	[ "$status" -eq 0 ]
	lin=$(jq '.sets[0].scorers[0].apgr' <<<"$output")
	jq -n -e --argjson m "$mem" --argjson l "$lin" '$m > 0.7 and $m > $l + 0.05'
	# The model keeps its memory, and -n --explain shows its part.
	"$LLMROUTE" train -q -o m.json topics.jsonl
	jq -e '.memory.k == 32 and .memory.bits == 18 and
		(.memory.prompts | length) == 72' m.json >/dev/null
	run --separate-stderr "$LLMROUTE" -n --jsonl -f json --explain \
		--scorer-model m.json topics.jsonl
	[ "$status" -eq 0 ]
	[ "$(jq -s '[.[] | select(.explain | has("memory"))] | length' <<<"$output")" -eq 72 ]
	"$LLMROUTE" train -q --memory 0 -o lin.json topics.jsonl
	jq -e 'has("memory") | not' lin.json >/dev/null
}

@test "train --folds: warns, and says in the model, when it does not beat length" {
	length_labels len.jsonl
	run --separate-stderr "$LLMROUTE" train --folds 2 -o m.json len.jsonl
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"warning: the fitted model does not beat prompt length on these labels"*"keep the default scorer"* ]]
	jq -e '.beats_length == false and (.note | contains("did not beat prompt length"))' \
		m.json >/dev/null
	# Where it does beat length, no warning and beats_length true.
	topic_labels topics.jsonl
	run --separate-stderr "$LLMROUTE" train --folds 2 -o t.json topics.jsonl
	[ "$status" -eq 0 ]
	[[ "$stderr" != *"does not beat"* ]]
	jq -e '.beats_length == true and (has("note") | not)' t.json >/dev/null
	# Without --folds nothing was measured: neither member.
	"$LLMROUTE" train -q -o n.json topics.jsonl
	jq -e 'has("beats_length") | not' n.json >/dev/null
}

@test "train --auto: chooses from its grid, the same way every time" {
	topic_labels topics.jsonl
	run --separate-stderr "$LLMROUTE" train --auto -o a.json topics.jsonl
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"--auto chose --l2 "*"--memory "*"(inner APGR "* ]]
	first=$stderr
	jq -e '.memory.k > 0' a.json >/dev/null
	run --separate-stderr "$LLMROUTE" train --auto -o b.json topics.jsonl
	[ "$(grep -- '--auto chose' <<<"$stderr")" = "$(grep -- '--auto chose' <<<"$first")" ]
	cmp a.json b.json
	# Labels that length ranks perfectly: length alone.
	length_labels len.jsonl
	run --separate-stderr "$LLMROUTE" train --auto -o l.json len.jsonl
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"--auto chose prompt length alone"* ]]
}

@test "train: --prior none fits freely, the default pulls towards length" {
	"$LLMROUTE" train -q -o d.json sep.jsonl
	jq -e '.about | contains("prior length")' d.json >/dev/null
	"$LLMROUTE" train -q --prior none -o f.json sep.jsonl
	jq -e '.about | contains("prior") | not' f.json >/dev/null
	run --separate-stderr "$LLMROUTE" train --prior none --epochs 0 \
		-o x.json sep.jsonl
	[ "$status" -eq 2 ]
}
