# Helpers for tests/hardening.bats: llmroute against hostile servers,
# broken local resources and key leaks.  Load after helpers/common,
# helpers/server and helpers/call.
#
#   setup()    { hd_setup; }
#   teardown() { hd_teardown; }
#
# hd_run runs llmroute (with $CFG) under timeout(1) as a guard and
# /usr/bin/time for its peak RSS, and leaves:
#   status   exit status
#   stderr   standard error (also $T/err); standard output is in $T/out
#   ELAPSED  wall-clock seconds
#   RSS_KB   peak resident set size in KiB

hd_setup() {
	call_setup || return 1
	LOGF="$T/cost.jsonl"
	SIDE_PID=""
	hd_cfg '{}'
}

# One tier for every score, so that the models called do not depend on
# the scorer: gpt-4.1-nano, then gpt-4o-mini (both OpenAI).
HD_TIERS='{"tiers": [{"name": "only", "model": "gpt-4.1-nano", "max_score": 1, "fallbacks": ["gpt-4o-mini"]}]}'

# hd_cfg JSON: $CFG = fast retries, the single tier, merged with JSON.
hd_cfg() {
	mkcfg "$(jq -n --argjson t "$HD_TIERS" --argjson x "$1" '$t * $x')"
}

hd_teardown() {
	if [[ -n "${SIDE_PID:-}" ]]; then
		kill -TERM "$SIDE_PID" 2>/dev/null
		wait "$SIDE_PID" 2>/dev/null
		SIDE_PID=""
	fi
	call_teardown
}

# hd_run [--guard SECONDS] ARGS...   (redirect stdin as needed)
hd_run() {
	local guard=60 t0 t1
	if [[ "${1:-}" == --guard ]]; then
		guard="$2"
		shift 2
	fi
	rm -f "$T/rss"
	t0=$(date +%s.%N)
	status=0
	timeout -k 5 "$guard" /usr/bin/time -f '%M' -o "$T/rss" \
		"$LLMROUTE" -c "$CFG" "$@" >"$T/out" 2>"$T/err" || status=$?
	t1=$(date +%s.%N)
	ELAPSED=$(jq -n "$t1 - $t0")
	RSS_KB=$(tail -n 1 "$T/rss" 2>/dev/null || echo 0)
	[[ "$RSS_KB" =~ ^[0-9]+$ ]] || RSS_KB=0
	stderr="$(<"$T/err")"
	output="$(head -c 65536 "$T/out")"
}

# lt A B: A < B as numbers.
lt() {
	jq -n -e --argjson a "$1" --argjson b "$2" '$a < $b' >/dev/null
}

# want_status N: the exit status is N (prints what happened otherwise).
want_status() {
	[[ "$status" -eq "$1" ]] || {
		echo "exit status $status, wanted $1; stderr:" >&2
		printf '%s\n' "$stderr" >&2
		return 1
	}
}

# no_crash: no signal death (status < 128, unless 130/143 meant) and no
# core file in the working directory.
no_crash() {
	[[ "$status" -lt 128 ]] || {
		echo "status $status: killed by a signal?" >&2
		return 1
	}
	! compgen -G "$T/core*" >/dev/null || {
		echo "core file left: $(compgen -G "$T/core*")" >&2
		return 1
	}
}

# err_says ERE: standard error holds a line "llmroute: ..." matching ERE,
# and has at most MAXLINES (default 1) lines.
err_says() {
	local n max="${2:-1}"
	grep -E -q -- "$1" "$T/err" || {
		echo "stderr does not match /$1/:" >&2
		cat "$T/err" >&2
		return 1
	}
	grep -q '^llmroute: ' "$T/err" || {
		echo "stderr has no 'llmroute:' line" >&2
		return 1
	}
	n=$(wc -l <"$T/err")
	((n >= 1 && n <= max)) || {
		echo "stderr has $n lines, wanted 1..$max:" >&2
		cat "$T/err" >&2
		return 1
	}
}

# log_ok FILE: every line of FILE is a whole JSON object in strict UTF-8
# and the file ends with a newline (a missing or empty file is fine).
log_ok() {
	[[ -e "$1" ]] || return 0
	python3 - "$1" <<'EOF'
import json, sys
data = open(sys.argv[1], "rb").read()
if data and not data.endswith(b"\n"):
    sys.exit("log %s: partial last line: %r" % (sys.argv[1], data[-80:]))
for i, line in enumerate(data.split(b"\n")[:-1], 1):
    try:
        o = json.loads(line.decode("utf-8"))
    except Exception as e:
        sys.exit("log %s line %d: not JSON (%s): %r" % (sys.argv[1], i, e, line[:120]))
    if not isinstance(o, dict):
        sys.exit("log %s line %d: not an object" % (sys.argv[1], i))
EOF
}

# log_lines FILE: the number of lines of FILE (0 when missing).
log_lines() {
	if [[ -e "$1" ]]; then wc -l <"$1"; else echo 0; fi
}

# seed_log [FILE=$LOGF]: write one valid record (a logged dry run) to
# FILE and keep a copy, so log_intact can check it was not damaged.
seed_log() {
	local f="${1:-$LOGF}"
	"$LLMROUTE" -n -q -c "$CFG" --log "$f" prompt.txt >/dev/null
	[[ "$(log_lines "$f")" -eq 1 ]]
	cp "$f" "$f.seed"
}

# log_intact [FILE=$LOGF]: the seeded record is still the start of FILE,
# byte for byte, and every line of FILE parses.
log_intact() {
	local f="${1:-$LOGF}" n
	n=$(wc -c <"$f.seed")
	head -c "$n" "$f" | cmp -s - "$f.seed" || {
		echo "log $f: the seeded record was damaged" >&2
		return 1
	}
	log_ok "$f"
}

# hd_done STATUS ERE [MAXLINES]: the checks every test ends with: the exit
# status, a clear message on stderr, no crash, a sound cost log.
hd_done() {
	want_status "$1"
	err_says "$2" "${3:-1}"
	no_crash
	log_ok "$LOGF"
	if [[ -e "$LOGF.seed" ]]; then log_intact "$LOGF"; fi
}

# side_listener: a TCP listener on 127.0.0.2 (another host, as far as a
# URL goes) that records every connection and every byte it receives in
# $T/side.log.  Sets SIDE_PORT and SIDE_PID.
side_listener() {
	rm -f "$T/side.port"
	: >"$T/side.log"
	python3 - "$T/side.port" "$T/side.log" 3>&- <<'EOF' &
import os, socket, sys
port_file, log = sys.argv[1], sys.argv[2]
s = socket.socket()
s.bind(("127.0.0.2", 0))
s.listen(16)
with open(port_file + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
os.rename(port_file + ".tmp", port_file)
s.settimeout(120)
while True:
    try:
        c, _ = s.accept()
    except Exception:
        break
    with open(log, "ab") as f:
        f.write(b"connection\n")
    c.settimeout(2)
    try:
        data = c.recv(65536)
    except Exception:
        data = b""
    with open(log, "ab") as f:
        f.write(data)
    c.close()
EOF
	SIDE_PID=$!
	wait_file_nonempty "$T/side.port" 10 || return 1
	SIDE_PORT="$(<"$T/side.port")"
}

# secret_scan: the key is nowhere: not in $T/out, $T/err, the cost log
# or any file under $XDG_STATE_HOME.
secret_scan() {
	local f
	for f in "$T/out" "$T/err" "$LOGF"; do
		if [[ -e "$f" ]] && grep -q -a -F "$KEY" "$f"; then
			echo "the key is in $f:" >&2
			grep -a -F "$KEY" "$f" | head -c 2000 >&2
			return 1
		fi
	done
	no_key_in_state
}

# The most memory (KiB) a capped run may take: AddressSanitizer's shadow
# memory and quarantine raise every process's footprint, so the sanitizer
# build (LLMROUTE_SANITIZE set by "make sanitize") gets more room.
if [[ -n "${LLMROUTE_SANITIZE:-}" ]]; then
	RSS_LIMIT_KB=$((1024 * 1024))
else
	RSS_LIMIT_KB=$((64 * 1024))
fi
