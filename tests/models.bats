#!/usr/bin/env bats
# llmroute models: the model catalog as a table or JSON lines.

bats_require_minimum_version 1.5.0
load helpers/common

setup() {
	common_setup
}

@test "models: the table lists gpt-4.1 and claude-sonnet-4-5 with their prices" {
	run --separate-stderr "$LLMROUTE" models
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[[ "${lines[1]}" =~ ^MODEL\ +PROVIDER\ +FORMAT\ +INPUT\ +OUTPUT ]]
	grep -Eq '^gpt-4\.1 +openai +openai +2\.00 +8\.00 ' <<<"$output"
	grep -Eq '^claude-sonnet-4-5 +anthropic +anthropic +3\.00 +15\.00 ' <<<"$output"
}

@test "models: a CJK model name keeps the columns aligned" {
	jq -n '{"models": {"中文模型": {"provider": "openai", "id": "x", "price": {"input": 0.0001, "output": 2}}}}' >cfg.json
	run --separate-stderr "$LLMROUTE" -c cfg.json models
	[ "$status" -eq 0 ]
	local cjk gpt
	cjk=$(grep '^中文模型 ' <<<"$output")
	gpt=$(grep '^gpt-4o ' <<<"$output")
	# the provider and the context start in the same terminal columns
	[ "$(display_col "$cjk" " openai")" = "$(display_col "$gpt" " openai")" ]
	[ "$(display_col "$cjk" " 128000 ")" = "$(display_col "$gpt" " 128000 ")" ]
	# a price of a ten-thousandth of a dollar is not 0.000
	grep -Eq '^中文模型 +openai +openai +0\.000100 +2\.00 ' <<<"$output"
}

@test "models: the header line names the date of the prices" {
	run --separate-stderr "$LLMROUTE" models
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^#.*prices\ of\ [0-9]{4}-[0-9]{2}-[0-9]{2} ]]
	# The same date as --version reports.
	local date
	date=$("$LLMROUTE" --version | sed -n 's/.*prices of \([0-9-]*\).*/\1/p')
	[ -n "$date" ]
	[[ "${lines[0]}" == *"prices of $date"* ]]
}

@test "models: the table shows which tiers use each model" {
	run --separate-stderr "$LLMROUTE" models
	[ "$status" -eq 0 ]
	grep -Eq '^gpt-4\.1-nano .* small$' <<<"$output"
	grep -Eq '^gpt-4\.1 .* large$' <<<"$output"
	grep -Eq '^gpt-5 .* -$' <<<"$output"
}

@test "models: -f json prints one valid object per line with name, provider, prices" {
	run --separate-stderr "$LLMROUTE" models -f json
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "${#lines[@]}" -ge 2 ]
	local l
	for l in "${lines[@]}"; do
		jq -e '(.name | type) == "string" and (.provider | type) == "string" and
			(.input | type) == "number" and (.output | type) == "number"' <<<"$l" >/dev/null || {
			echo "bad line: $l"
			return 1
		}
	done
	jq -e -s 'map(select(.name == "gpt-4.1"))[0] | .provider == "openai" and .input == 2 and .output == 8' <<<"$output"
	jq -e -s 'map(select(.name == "claude-sonnet-4-5"))[0] | .provider == "anthropic" and .input == 3 and .output == 15' <<<"$output"
}

@test "models: -f json lines are compact, with every field" {
	run --separate-stderr "$LLMROUTE" models -f json
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = '{"name":"gpt-4.1-nano","provider":"openai","format":"openai","id":"gpt-4.1-nano","input":0.1,"output":0.4,"cache_read":0.025,"cache_write":0,"context":1047576,"batch_discount":0.5,"prices_of":"2026-11-28"}' ]
	grep -q '^{"name":"claude-haiku-4-5","provider":"anthropic","format":"anthropic","id":"claude-haiku-4-5","input":1,"output":5,"cache_read":0.1,"cache_write":1.25,"context":200000,' <<<"$output"
}

@test "models: json and table list the same models in the same order" {
	run --separate-stderr "$LLMROUTE" models -f json
	[ "$status" -eq 0 ]
	local json table
	json=$(jq -r .name <<<"$output")
	table=$("$LLMROUTE" models | awk 'NR > 2 { print $1 }')
	[ "$json" = "$table" ]
	[ "${#lines[@]}" -eq "$(wc -l <<<"$table")" ]
}

@test "models: --format table is the default" {
	run --separate-stderr "$LLMROUTE" models --format table
	[ "$status" -eq 0 ]
	[ "$output" = "$("$LLMROUTE" models)" ]
}

@test "models: a bad format exits 2 with the usage" {
	run --separate-stderr "$LLMROUTE" models -f xml
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *xml* ]]
	[[ "$stderr" == *"try 'llmroute models --help'"* ]]
}

@test "models: an extra argument or unknown option exits 2" {
	run --separate-stderr "$LLMROUTE" models extra
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *extra* ]]
	run --separate-stderr "$LLMROUTE" models --bogus
	[ "$status" -eq 2 ]
	[ -z "$output" ]
}

@test "models: --help prints the usage and exits 0" {
	run --separate-stderr "$LLMROUTE" models --help
	[ "$status" -eq 0 ]
	[[ "$output" == "usage: llmroute models"* ]]
	[ -z "$stderr" ]
}

@test "models: a config file adds a model and changes a price" {
	cat >cfg.json <<-'EOF'
	{"models": {"gpt-4.1": {"price": {"input": 2.5, "output": 9}},
	            "my-model": {"provider": "ollama", "price": {"input": 0.5, "output": 0.75}}}}
	EOF
	run --separate-stderr "$LLMROUTE" models -c cfg.json -f json
	[ "$status" -eq 0 ]
	jq -e -s 'map(select(.name == "gpt-4.1"))[0] | .input == 2.5 and .output == 9' <<<"$output"
	jq -e -s 'map(select(.name == "my-model"))[0] | .provider == "ollama" and .input == 0.5 and .output == 0.75' <<<"$output"
	run --separate-stderr "$LLMROUTE" models -c cfg.json
	[ "$status" -eq 0 ]
	grep -Eq '^my-model +ollama +openai +0\.500 +0\.750 ' <<<"$output"
}

@test "models: piped table has no escape sequences; a terminal gets bold unless NO_COLOR" {
	export TERM=xterm
	run --separate-stderr "$LLMROUTE" models
	[ "$status" -eq 0 ]
	[[ "$output" != *$'\033'* ]]
	command -v script >/dev/null || skip "script(1) is not installed"
	script --version 2>/dev/null | grep -q util-linux || skip "script(1) is not util-linux"
	run script -qec "\"$LLMROUTE\" models" /dev/null </dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\033['* ]]
	export NO_COLOR=1
	run script -qec "\"$LLMROUTE\" models" /dev/null </dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == *gpt-4.1* ]]
	[[ "$output" != *$'\033'* ]]
}

@test "models: a full disk gives exit 1 and a write error" {
	[[ -w /dev/full ]] || skip "no /dev/full"
	run --separate-stderr bash -c '"$LLMROUTE" models >/dev/full'
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"write error"* ]]
}
