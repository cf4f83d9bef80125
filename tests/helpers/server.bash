# Bats helpers for the fake provider (tests/server/provider.py).
#
#   load helpers/server          # from a .bats file in tests/
#   setup()    { server_start; }
#   teardown() { server_stop; }
#   @test ... {
#     server_script '{"action":"status","code":429,"retry_after":"1"}' '{"action":"ok","text":"hi"}'
#     run llmroute ... --base-url "$SERVER_URL/v1"
#     [ "$(server_count)" -eq 2 ]
#   }
#
# server_start exports SERVER_PID, SERVER_PORT, SERVER_DIR and
# SERVER_URL=http://127.0.0.1:PORT.  See tests/server/README.md for the
# script format and the files in SERVER_DIR.

SERVER_PROVIDER_PY="${SERVER_PROVIDER_PY:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../server" && pwd)/provider.py}"

# server_start [provider.py options, e.g. --max-seconds 60]
server_start() {
	local base="${BATS_TEST_TMPDIR:-${TMPDIR:-/tmp}}"
	SERVER_DIR="$(mktemp -d "$base/provider.XXXXXX")" || return 1
	# 3>&- : bats waits for fd 3 to close; a background child must not hold it.
	python3 "$SERVER_PROVIDER_PY" --dir "$SERVER_DIR" --port-file "$SERVER_DIR/port" "$@" \
		>"$SERVER_DIR/server.log" 2>&1 3>&- &
	SERVER_PID=$!
	local i
	for ((i = 0; i < 200; i++)); do # 200 x 0.05 s = 10 s at most
		if [[ -s "$SERVER_DIR/port" ]]; then
			SERVER_PORT="$(<"$SERVER_DIR/port")"
			SERVER_URL="http://127.0.0.1:$SERVER_PORT"
			export SERVER_PID SERVER_PORT SERVER_DIR SERVER_URL
			return 0
		fi
		if ! kill -0 "$SERVER_PID" 2>/dev/null; then
			echo "server_start: provider.py exited early:" >&2
			cat "$SERVER_DIR/server.log" >&2
			return 1
		fi
		sleep 0.05
	done
	echo "server_start: no port file after 10 s" >&2
	cat "$SERVER_DIR/server.log" >&2
	kill "$SERVER_PID" 2>/dev/null
	return 1
}

# server_stop: SIGTERM the server and wait for it (safe to call twice).
server_stop() {
	[[ -n "${SERVER_PID:-}" ]] || return 0
	kill -TERM "$SERVER_PID" 2>/dev/null
	if ! wait "$SERVER_PID" 2>/dev/null; then
		# not our child (started in another process, e.g. setup_file): poll
		local i
		for ((i = 0; i < 100; i++)); do
			kill -0 "$SERVER_PID" 2>/dev/null || break
			sleep 0.05
		done
		kill -KILL "$SERVER_PID" 2>/dev/null
	fi
	unset SERVER_PID
	return 0
}

# server_script LINE...   or   server_script <<'EOF' ... EOF
# Replaces DIR/script.jsonl atomically (consumption restarts from line 1).
server_script() {
	[[ -n "${SERVER_DIR:-}" ]] || { echo "server_script: no server started" >&2; return 1; }
	local tmp="$SERVER_DIR/.script.jsonl.tmp"
	if (($#)); then
		printf '%s\n' "$@" >"$tmp"
	else
		cat >"$tmp"
	fi
	mv -f "$tmp" "$SERVER_DIR/script.jsonl"
}

# server_requests: all recorded requests, one JSON object per line.
server_requests() {
	cat "$SERVER_DIR/requests.jsonl" 2>/dev/null || true
}

# server_request N: the N-th recorded request (1-based).
server_request() {
	sed -n "${1}p" "$SERVER_DIR/requests.jsonl" 2>/dev/null || true
}

# server_count: number of requests received so far.
server_count() {
	cat "$SERVER_DIR/count" 2>/dev/null || echo 0
}

# server_max_inflight: highest number of simultaneous requests seen.
server_max_inflight() {
	cat "$SERVER_DIR/max_inflight" 2>/dev/null || echo 0
}

# server_wait_count N [SECONDS=10]: wait until at least N requests arrived.
server_wait_count() {
	local want="$1" limit="${2:-10}" i
	for ((i = 0; i < limit * 20; i++)); do
		(($(server_count) >= want)) && return 0
		sleep 0.05
	done
	echo "server_wait_count: wanted $want requests, got $(server_count)" >&2
	return 1
}
