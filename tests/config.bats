#!/usr/bin/env bats
# llmroute config, and configuration files changing what route does.

bats_require_minimum_version 1.5.0
load helpers/common

setup() {
	common_setup
	write_file simple.txt "$SIMPLE_PROMPT"
	# The first tier's bound so low that the simple prompt leaves it, and
	# the medium model at ten times its list price.
	cat >override.json <<-'EOF'
	{
	  "tiers": [
	    {"name": "small", "model": "gpt-4.1-nano", "max_score": 0.01},
	    {"name": "medium", "model": "gpt-4.1-mini", "max_score": 0.62},
	    {"name": "large", "model": "gpt-4.1"}
	  ],
	  "models": {"gpt-4.1-mini": {"price": {"input": 4, "output": 16}}}
	}
	EOF
}

# check_default_route: the simple prompt routes with the built-ins.
check_default_route() {
	run --separate-stderr "$LLMROUTE" -n -f json simple.txt
	[ "$status" -eq 0 ]
	jq -e '.tier == "small" and .model == "gpt-4.1-nano"' <<<"$output"
}

# check_override_route: the simple prompt routes under override.json:
# tier medium, and the cost at the overridden price.
check_override_route() {
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	jq -e '.tier == "medium" and .model == "gpt-4.1-mini"' <<<"$output"
	# Half a token of slack: tokens_in_est is rounded.
	jq -e '((.cost_usd_est - (.tokens_in_est * 4 + .tokens_out_est * 16) / 1e6) | fabs) <= 0.5 * 4 / 1e6 + 1e-12' <<<"$output"
	# The built-in price would be ten times less.
	jq -e '.cost_usd_est > 5 * (.tokens_in_est * 0.4 + .tokens_out_est * 1.6) / 1e6' <<<"$output"
}

@test "config: prints JSON with three tiers and the built-in defaults" {
	run --separate-stderr "$LLMROUTE" config
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	jq -e '(.tiers | length) == 3' <<<"$output"
	jq -e '[.tiers[].name] == ["small", "medium", "large"]' <<<"$output"
	jq -e '.tiers[0].model == "gpt-4.1-nano" and .tiers[2].model == "gpt-4.1"' <<<"$output"
	jq -e '.tiers[0].max_score < .tiers[1].max_score' <<<"$output"
	jq -e '.models["gpt-4.1"].price.input == 2 and .models["gpt-4.1"].provider == "openai"' <<<"$output"
	jq -e '.providers.anthropic.format == "anthropic" and .prefer == "balanced"' <<<"$output"
	jq -e '(.max_prompt_bytes | type) == "number" and .baseline == "gpt-4.1"' <<<"$output"
}

@test "config: -c FILE overriding a tier bound and a price changes routing and cost" {
	check_default_route
	run --separate-stderr "$LLMROUTE" -n -f json -c override.json simple.txt
	check_override_route
	run --separate-stderr "$LLMROUTE" -n -f json --config override.json simple.txt
	check_override_route
}

@test "config: llmroute config -c FILE shows the overrides" {
	run --separate-stderr "$LLMROUTE" config -c override.json
	[ "$status" -eq 0 ]
	jq -e '.tiers[0].max_score == 0.01' <<<"$output"
	jq -e '.models["gpt-4.1-mini"].price == {"input": 4, "output": 16, "cache_read": 0.1, "cache_write": 0}' <<<"$output"
	# Untouched models keep their prices.
	jq -e '.models["gpt-4.1"].price.input == 2' <<<"$output"
}

@test "config: LLMROUTE_CONFIG names the file" {
	export LLMROUTE_CONFIG="$T/override.json"
	run --separate-stderr "$LLMROUTE" -n -f json simple.txt
	check_override_route
	run --separate-stderr "$LLMROUTE" config
	[ "$status" -eq 0 ]
	jq -e '.tiers[0].max_score == 0.01' <<<"$output"
}

@test "config: \$XDG_CONFIG_HOME/llmroute/config.json is read by default" {
	mkdir -p "$XDG_CONFIG_HOME/llmroute"
	cp override.json "$XDG_CONFIG_HOME/llmroute/config.json"
	run --separate-stderr "$LLMROUTE" -n -f json simple.txt
	check_override_route
	run --separate-stderr "$LLMROUTE" models -f json
	[ "$status" -eq 0 ]
	jq -e -s 'map(select(.name == "gpt-4.1-mini"))[0].input == 4' <<<"$output"
}

@test "config: without XDG_CONFIG_HOME, \$HOME/.config/llmroute/config.json is read" {
	unset XDG_CONFIG_HOME
	mkdir -p "$HOME/.config/llmroute"
	cp override.json "$HOME/.config/llmroute/config.json"
	run --separate-stderr "$LLMROUTE" -n -f json simple.txt
	check_override_route
}

@test "config: a relative XDG_CONFIG_HOME is ignored for \$HOME/.config" {
	mkdir -p rel/llmroute "$HOME/.config/llmroute"
	echo '{"tiers": [{"name": "rel", "model": "gpt-5"}]}' >rel/llmroute/config.json
	cp override.json "$HOME/.config/llmroute/config.json"
	export XDG_CONFIG_HOME=rel
	run --separate-stderr "$LLMROUTE" -n -f json simple.txt
	check_override_route
}

@test "config: a missing default file is not an error" {
	[ ! -e "$XDG_CONFIG_HOME/llmroute/config.json" ]
	check_default_route
	[ -z "$stderr" ]
}

@test "config: -c wins over LLMROUTE_CONFIG, which wins over the XDG file" {
	mkdir -p "$XDG_CONFIG_HOME/llmroute"
	echo '{"tiers": [{"name": "xdg", "model": "gpt-4o"}]}' >"$XDG_CONFIG_HOME/llmroute/config.json"
	echo '{"tiers": [{"name": "env", "model": "gpt-5"}]}' >env.json
	echo '{"tiers": [{"name": "opt", "model": "claude-opus-4-5"}]}' >opt.json
	run --separate-stderr "$LLMROUTE" -n simple.txt
	[ "$output" = "gpt-4o" ]
	export LLMROUTE_CONFIG="$T/env.json"
	run --separate-stderr "$LLMROUTE" -n simple.txt
	[ "$output" = "gpt-5" ]
	run --separate-stderr "$LLMROUTE" -n -c opt.json simple.txt
	[ "$output" = "claude-opus-4-5" ]
}

@test "config: --config to a missing file exits 2 naming the file" {
	run --separate-stderr "$LLMROUTE" -n --config no-such.json simple.txt
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *no-such.json* ]]
	run --separate-stderr "$LLMROUTE" config -c no-such.json
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *no-such.json* ]]
	run --separate-stderr "$LLMROUTE" models -c no-such.json
	[ "$status" -eq 2 ]
	[[ "$stderr" == *no-such.json* ]]
}

@test "config: LLMROUTE_CONFIG naming a missing file exits 2 naming it" {
	export LLMROUTE_CONFIG="$T/gone.json"
	run --separate-stderr "$LLMROUTE" -n simple.txt
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *gone.json* ]]
}

@test "config: a syntax error exits 2 with file:LINE:COL" {
	printf '{\n  "tiers": [\n    {"name": "a",, }\n  ]\n}\n' >syntax.json
	run --separate-stderr "$LLMROUTE" config -c syntax.json
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" =~ syntax\.json:3:[0-9]+: ]]
	run --separate-stderr "$LLMROUTE" -n -c syntax.json simple.txt
	[ "$status" -eq 2 ]
	[[ "$stderr" =~ syntax\.json:3:[0-9]+: ]]
}

@test "config: an empty file or trailing garbage exits 2 with file:LINE:COL" {
	: >empty.json
	run --separate-stderr "$LLMROUTE" config -c empty.json
	[ "$status" -eq 2 ]
	[[ "$stderr" =~ empty\.json:1:1: ]]
	printf '{}\n\n  x\n' >trailing.json
	run --separate-stderr "$LLMROUTE" config -c trailing.json
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"trailing.json:3:3:"* ]]
}

@test "config: an unknown key exits 2 naming the key path" {
	echo '{"models": {"gpt-4.1": {"prize": {"input": 1}}}}' >k1.json
	run --separate-stderr "$LLMROUTE" config -c k1.json
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *k1.json*models.gpt-4.1.prize*unknown* ]]
	echo '{"colour": "blue"}' >k2.json
	run --separate-stderr "$LLMROUTE" -n -c k2.json simple.txt
	[ "$status" -eq 2 ]
	[[ "$stderr" == *k2.json*colour*unknown* ]]
	echo '{"tiers": [{"name": "a", "model": "gpt-4.1", "weight": 1}]}' >k3.json
	run --separate-stderr "$LLMROUTE" config -c k3.json
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"tiers[0].weight"* ]]
}

@test "config: a key given twice exits 2 with file:LINE:COL and its path" {
	printf '{\n  "prefer": "cost",\n  "prefer": "quality"\n}\n' >twice.json
	run --separate-stderr "$LLMROUTE" config -c twice.json
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "llmroute: twice.json:3:3: duplicate key 'prefer'" ]
	printf '{"models": {"gpt-4.1": {"price": {"input": 1, "input": 2}}}}\n' >twice2.json
	run --separate-stderr "$LLMROUTE" -n -c twice2.json simple.txt
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"twice2.json:1:47: duplicate key 'models.gpt-4.1.price.input'"* ]]
	# The same name in two objects is fine.
	printf '{"models": {"gpt-4.1": {"price": {"input": 1}}, "gpt-4o": {"price": {"input": 1}}}}\n' >once.json
	run --separate-stderr "$LLMROUTE" config -c once.json
	[ "$status" -eq 0 ]
}

@test "config: numbers are printed to every digit they need" {
	echo '{"models": {"gpt-4.1": {"price": {"input": 4.123456789012345, "output": 0.30000000000000004}}},
	  "tiers": [{"name": "a", "model": "gpt-4.1-nano", "max_score": 0.1234567890123},
	            {"name": "b", "model": "gpt-4.1"}]}' >digits.json
	run --separate-stderr "$LLMROUTE" config -c digits.json
	[ "$status" -eq 0 ]
	[[ "$output" == *'"input": 4.123456789012345,'* ]]
	[[ "$output" == *'"output": 0.30000000000000004,'* ]]
	[[ "$output" == *'"max_score": 0.1234567890123,'* ]]
	# A tier without fallbacks prints an empty array, and reads back.
	[[ "$output" == *'"fallbacks": []'* ]]
	"$LLMROUTE" config -c digits.json >digits2.json
	run --separate-stderr "$LLMROUTE" config -c digits2.json
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat digits2.json)" ]
}

@test "config: a value of the wrong type exits 2 naming the key path" {
	echo '{"models": {"gpt-4.1": {"price": {"input": "cheap"}}}}' >t.json
	run --separate-stderr "$LLMROUTE" config -c t.json
	[ "$status" -eq 2 ]
	[[ "$stderr" == *models.gpt-4.1.price.input* ]]
	echo '{"tiers": [{"name": "a", "model": "gpt-4.1", "max_score": 1.5}]}' >t2.json
	run --separate-stderr "$LLMROUTE" config -c t2.json
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"tiers[0].max_score"* ]]
}

@test "config: a tier with an unknown model exits 2" {
	echo '{"tiers": [{"name": "a", "model": "gpt-9000"}]}' >m.json
	run --separate-stderr "$LLMROUTE" config -c m.json
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *m.json*"tiers[0].model"*gpt-9000* ]]
	run --separate-stderr "$LLMROUTE" -n -c m.json simple.txt
	[ "$status" -eq 2 ]
	[[ "$stderr" == *gpt-9000* ]]
	# Removing a model a built-in tier uses is the same mistake.
	echo '{"models": {"gpt-4.1": null}}' >rm.json
	run --separate-stderr "$LLMROUTE" config -c rm.json
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"unknown model 'gpt-4.1'"* ]]
}

@test "config: tiers must ascend and have distinct names" {
	echo '{"tiers": [{"name": "a", "model": "gpt-4.1-nano", "max_score": 0.5},
	  {"name": "b", "model": "gpt-4.1-mini", "max_score": 0.3},
	  {"name": "c", "model": "gpt-4.1"}]}' >asc.json
	run --separate-stderr "$LLMROUTE" config -c asc.json
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"tiers[1].max_score"* ]]
	echo '{"tiers": [{"name": "a", "model": "gpt-4.1-nano"}, {"name": "a", "model": "gpt-4.1"}]}' >dup.json
	run --separate-stderr "$LLMROUTE" config -c dup.json
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"tiers[1].name"* ]]
}

@test "config: prefer and max_prompt_bytes from the file apply to route" {
	echo '{"tiers": [{"name": "cheap", "model": "gpt-4.1-nano", "max_score": 0.5},
	  {"name": "dear", "model": "gpt-4.1"}], "prefer": "quality", "prefer_shift": 0.5}' >p.json
	run --separate-stderr "$LLMROUTE" -n -c p.json simple.txt
	[ "$status" -eq 0 ]
	[ "$output" = "gpt-4.1" ]
	# The command line wins over the file.
	run --separate-stderr "$LLMROUTE" -n -c p.json --prefer cost simple.txt
	[ "$status" -eq 0 ]
	[ "$output" = "gpt-4.1-nano" ]
	echo '{"max_prompt_bytes": 5}' >mp.json
	run --separate-stderr "$LLMROUTE" -n -c mp.json simple.txt
	[ "$status" -eq 3 ]
	[[ "$stderr" == *5* ]]
	run --separate-stderr "$LLMROUTE" -n -c mp.json --max-prompt-bytes 1k simple.txt
	[ "$status" -eq 0 ]
}

@test "config: a new provider and model can be defined and routed to" {
	cat >new.json <<-'EOF'
	{"providers": {"local": {"format": "openai", "base_url": "http://127.0.0.1:9/v1"}},
	 "models": {"tiny": {"provider": "local", "price": {"input": 0, "output": 0}}},
	 "tiers": [{"name": "only", "model": "tiny"}]}
	EOF
	run --separate-stderr "$LLMROUTE" -n -f json -c new.json simple.txt
	[ "$status" -eq 0 ]
	jq -e '.tier == "only" and .model == "tiny" and .provider == "local" and .cost_usd_est == 0' <<<"$output"
}

@test "config: the output of llmroute config read back gives the same output" {
	"$LLMROUTE" config >round1.json
	run --separate-stderr "$LLMROUTE" config -c round1.json
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat round1.json)" ]
}

@test "config: a saved config with overrides and additions reads back the same" {
	cat >custom.json <<-'EOF'
	{"providers": {"local": {"format": "anthropic", "base_url": "http://127.0.0.1:9", "api_key_env": null}},
	 "models": {"tiny": {"provider": "local", "id": "tiny-v1", "price": {"input": 0.05, "output": 0.1}},
	            "gpt-4.1-mini": {"price": {"input": 4, "output": 16}}},
	 "tiers": [{"name": "t", "model": "tiny", "max_score": 0.3, "fallbacks": ["gpt-4.1-nano"]},
	           {"name": "top", "model": "gpt-4.1"}],
	 "prefer": "cost", "prefer_shift": 0.15, "max_prompt_bytes": 4096}
	EOF
	"$LLMROUTE" config -c custom.json >round2.json
	jq -e '.models.tiny.id == "tiny-v1" and .providers.local.format == "anthropic" and .prefer_shift == 0.15' round2.json
	run --separate-stderr "$LLMROUTE" config -c round2.json
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat round2.json)" ]
	# And routes the same.
	[ "$("$LLMROUTE" -n -f json -c custom.json simple.txt)" = "$("$LLMROUTE" -n -f json -c round2.json simple.txt)" ]
}

@test "config: a saved config with a removed model or provider reads back the same" {
	echo '{"models": {"gpt-4o": null}, "providers": {"openrouter": null}}' >removed.json
	"$LLMROUTE" config -c removed.json >round3.json
	# Removed built-ins are written as null, so they stay removed.
	jq -e '.models["gpt-4o"] == null and .providers.openrouter == null' round3.json
	run --separate-stderr "$LLMROUTE" config -c round3.json
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat round3.json)" ]
	run --separate-stderr "$LLMROUTE" models -c round3.json -f json
	[ "$status" -eq 0 ]
	[[ "$output" != *'"name":"gpt-4o"'* ]]
	[[ "$output" != *'"provider":"openrouter"'* ]]
	grep -q '"name":"gpt-4.1"' <<<"$output"
}

@test "config: --help, and an extra argument is a usage error" {
	run --separate-stderr "$LLMROUTE" config --help
	[ "$status" -eq 0 ]
	[[ "$output" == "usage: llmroute config"* ]]
	run --separate-stderr "$LLMROUTE" config extra
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *extra* ]]
}

@test "config: a full disk gives exit 1 and a write error" {
	[[ -w /dev/full ]] || skip "no /dev/full"
	run --separate-stderr bash -c '"$LLMROUTE" config >/dev/full'
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"write error"* ]]
}

@test "config: printed into the default file by the shell, it does not break later runs" {
	mkdir -p "$XDG_CONFIG_HOME/llmroute"
	f="$XDG_CONFIG_HOME/llmroute/config.json"
	run --separate-stderr bash -c '"$LLMROUTE" config >"$1"' _ "$f"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"is empty: ignored"* ]]
	jq -e '.tiers | length > 0' "$f"
	run --separate-stderr "$LLMROUTE" models
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	# a file named with -c that is empty is still an error
	: >empty.json
	run --separate-stderr "$LLMROUTE" models -c empty.json
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"empty.json:1:1: empty file"* ]]
}

@test "config --write saves the effective configuration, owner-only, where it is read" {
	f="$XDG_CONFIG_HOME/llmroute/config.json"
	echo '{"prefer": "cost"}' >mine.json
	run --separate-stderr "$LLMROUTE" config -c mine.json --write
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ "$(jq -r .prefer mine.json)" = cost ]
	[ "$(stat -c %a mine.json)" = 600 ]
	run --separate-stderr "$LLMROUTE" config --write
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"written to $f"* ]]
	[ "$(stat -c %a "$f")" = 600 ]
	[ "$("$LLMROUTE" config)" = "$(cat "$f")" ]
}

@test "config: -v names the configuration file only when one was read" {
	run --separate-stderr "$LLMROUTE" -v -n <<<"hi"
	[[ "$stderr" != *"config:"* ]]
	echo '{}' >c.json
	run --separate-stderr "$LLMROUTE" -v -n -c c.json <<<"hi"
	[[ "$stderr" == *"config: c.json"* ]]
}
