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

# topic_labels FILE: 72 labelled prompts, the same long request about
# one of six arbitrary topics (three of the topic's four words); topics
# 0, 2 and 3 need the strong model.  Length and the features are the
# same for all: only the neighbours on a topic carry the signal.
topic_labels() {
	local topics=("harbour ferry tide anchor" "violin sonata cello bow"
		"glacier moraine crevasse ice" "ledger invoice audit tax"
		"orchard pear graft blossom" "comet orbit perihelion tail")
	local i t j weak
	local -a w
	: >"$1"
	for ((i = 0; i < 72; i++)); do
		t=$((i % 6)) j=$((i / 6))
		read -r -a w <<<"${topics[t]}"
		if ((t == 0 || t == 2 || t == 3)); then weak=0; else weak=1; fi
		printf '{"id":"t%d","prompt":"please read the whole of this request with care and then answer it in full, about the %s, the %s and the %s","strong":1,"weak":%d}\n' \
			"$i" "${w[j % 4]}" "${w[(j + 1) % 4]}" "${w[(j + 2) % 4]}" \
			"$weak" >>"$1"
	done
}

# length_labels FILE: 40 prompts of 1 to 40 words; the 20 longest need
# the strong model, so that prompt length ranks them perfectly.
length_labels() {
	local i text=""
	: >"$1"
	for ((i = 1; i <= 40; i++)); do
		text+="${text:+ }word$i"
		printf '{"id":"l%d","prompt":"%s","strong":1,"weak":%d}\n' \
			"$i" "$text" "$((i > 20 ? 0 : 1))" >>"$1"
	done
}
