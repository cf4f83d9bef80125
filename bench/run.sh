#!/bin/sh
# Run every benchmark of the project; figures are ratios against a peer
# measured in the same run.
set -eu
cd "$(dirname "$0")/.."
echo "== startup"
sh bench/startup.sh
echo "== scoring throughput"
sh bench/throughput.sh "${MB:-60}"
echo "== report"
sh bench/report.sh "${RECORDS:-1000000}"
echo "== batch calls"
sh bench/batch.sh 1000 32
