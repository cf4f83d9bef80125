# Fixtures for tests/learn.bats: small labelled files written in the test
# directory, never read from ../shared/data.

# sep_labels FILE: 32 labelled prompts, separable by one word: those with
# "alpha" need the strong model (strong 1, weak 0), those with "beta" do
# not (strong 1, weak 1).  The filler words are shared by both halves, so
# the features cannot tell them apart; "source" is A or B, two of each
# kind in turn.
sep_labels() {
	local fills=(red green blue gold grey pink teal navy)
	local verbs=(check read sort list)
	local i kw weak src
	: >"$1"
	for i in $(seq 0 31); do
		if ((i % 2 == 0)); then kw=alpha weak=0; else kw=beta weak=1; fi
		if ((i % 4 < 2)); then src=A; else src=B; fi
		printf '{"id":"p%d","prompt":"please %s the %s %s report","strong":1,"weak":%s,"source":"%s"}\n' \
			"$i" "${verbs[i / 2 % 4]}" "$kw" "${fills[i / 2 % 8]}" \
			"$weak" "$src" >>"$1"
	done
}

# words N: N distinct words "w1 w2 ... wN".
words() {
	local i out=""
	for ((i = 1; i <= $1; i++)); do out+="${out:+ }w$i"; done
	printf '%s' "$out"
}

# cal_prompts FILE N: N JSON Lines prompts c1..cN of growing length
# (c1 has one word, cK has K "wordI" words).
cal_prompts() {
	local i w=""
	: >"$1"
	for ((i = 1; i <= $2; i++)); do
		w+="${w:+ }word$i"
		printf '{"id":"c%d","prompt":"%s"}\n' "$i" "$w" >>"$1"
	done
}

# tier_count JSONLINES TIER: how many route decisions went to TIER.
tier_count() {
	jq -s --arg t "$2" '[.[] | select(.tier == $t)] | length' <<<"$1"
}

# top_ids JSONLINES K: the ids of the K highest scores, sorted by id.
top_ids() {
	jq -r -s --argjson k "$2" 'sort_by(-.score) | .[:$k] | .[].id' \
		<<<"$1" | sort
}

# tier_ids JSONLINES TIER: the ids routed to TIER, sorted.
tier_ids() {
	jq -r -s --arg t "$2" '.[] | select(.tier == $t) | .id' <<<"$1" | sort
}

# features_json: the feature names of a model file, as a JSON array.
FEATURES_JSON='["length","sentences","questions","code","math","reasoning","multipart","constraints","domain","simple","choice","nonenglish"]'
