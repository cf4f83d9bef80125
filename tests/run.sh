#!/bin/sh
# Run the C unit tests given as arguments and the bats suite, then print
# one line "N passed, N failed"; exit non-zero if anything failed.
#
# LLMROUTE names the binary under test (default: ./llmroute).
set -u
cd "$(dirname "$0")/.." || exit 2
LLMROUTE=${LLMROUTE:-$(pwd)/llmroute}
export LLMROUTE
out=${TMPDIR:-/tmp}/llmroute-test.$$
trap 'rm -f "$out"' EXIT INT TERM

passed=0
failed=0
tally() {
	p=$(grep -c '^ok ' "$out")
	f=$(grep -c '^not ok ' "$out")
	passed=$((passed + p))
	failed=$((failed + f))
}

for t in "$@"; do
	echo "# $t"
	"$t" >"$out" 2>&1
	rc=$?
	cat "$out"
	tally
	if [ "$rc" -ne 0 ] && ! grep -q '^not ok ' "$out"; then
		echo "not ok - $t exited with status $rc"
		failed=$((failed + 1))
	fi
done

if ! command -v bats >/dev/null 2>&1; then
	echo "not ok - bats is not installed"
	failed=$((failed + 1))
else
	bats --tap tests/*.bats >"$out" 2>&1
	rc=$?
	cat "$out"
	tally
	if [ "$rc" -ne 0 ] && ! grep -q '^not ok ' "$out"; then
		echo "not ok - bats exited with status $rc"
		failed=$((failed + 1))
	fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
