#!/usr/bin/env bash
# bench-vs-rg.sh — rouei's wall time and peak RSS against ripgrep's on the
# same data in the same run (issue 15's yardstick), alternating the two
# and taking medians, on:
#   tree: samples.BenchTree at SCALE units (10: ~115 MB, ~3,700 files)
#   csv:  one phone-dense patron CSV of CSV_MB MB (samples.BenchPatronCSV)
#
#   scripts/bench-vs-rg.sh [ROUNDS]        (default 5)
#   SCALE=10 CSV_MB=256 BEFORE=/path/to/old/rouei scripts/bench-vs-rg.sh
#
# BEFORE names a second rouei binary (an older build) measured in the same
# rounds. Needs rg (Debian: ripgrep) and GNU time (/usr/bin/time). Data is
# generated under ${BENCH_DIR:-/tmp/rouei-bench} and kept for reruns.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
SCALE=${SCALE:-10}
CSV_MB=${CSV_MB:-256}
DIR=${BENCH_DIR:-/tmp/rouei-bench}
command -v rg >/dev/null || { echo "bench-vs-rg: rg (ripgrep) not installed" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench-vs-rg: GNU time (/usr/bin/time) not installed" >&2; exit 2; }
mkdir -p "$DIR"
go build -o "$DIR/rouei" ./cmd/rouei
[ -d "$DIR/tree-$SCALE" ] || go run ./samples/benchtree -scale "$SCALE" -out "$DIR/tree-$SCALE"
[ -f "$DIR/patrons-$CSV_MB.csv" ] || go run ./samples/benchtree -patron-csv-mb "$CSV_MB" -out "$DIR/patrons-$CSV_MB.csv"

PHONE='0[0-9]{1,4}-[0-9]{1,4}-[0-9]{3,4}'
declare -A wall rss
# measure NAME CMD...: one run, appending "seconds" and "KiB" to the lists.
measure() {
  local name=$1; shift
  /usr/bin/time -f '%e %M' -o "$DIR/time.out" "$@" >/dev/null 2>"$DIR/stderr.out" || true
  # GNU time writes "Command exited with non-zero status N" first when the
  # program fails (rouei exits 1 or 3 on findings and errors): the figures
  # are on the last line.
  read -r s k < <(tail -n 1 "$DIR/time.out")
  wall[$name]+="$s "; rss[$name]+="$k "
}
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

for data in "tree-$SCALE" "patrons-$CSV_MB.csv"; do
  target="$DIR/$data"
  bytes=$(du -sb "$target" | cut -f1)
  wall=(); rss=()
  for ((i = 0; i < ROUNDS; i++)); do
    measure rg rg -c --no-messages -e "$PHONE" "$target"
    measure rouei "$DIR/rouei" scan --no-progress --fail-on never --format json -o "$DIR/report.json" "$target"
    if [ -n "${BEFORE:-}" ]; then
      measure before "$BEFORE" scan --no-progress --fail-on never --format json -o "$DIR/report-before.json" "$target"
    fi
  done
  echo "## $data: $bytes bytes, $ROUNDS rounds (medians)"
  echo "| program | wall s | MB/s | × rg | peak RSS MiB |"
  echo "| --- | --- | --- | --- | --- |"
  rgw=$(echo "${wall[rg]}" | median)
  for p in rg rouei ${BEFORE:+before}; do
    w=$(echo "${wall[$p]}" | median); k=$(echo "${rss[$p]}" | median)
    awk -v p="$p" -v w="$w" -v k="$k" -v b="$bytes" -v r="$rgw" 'BEGIN {
      printf "| %s | %.2f | %.1f | %.1f | %.0f |\n", p, w, (w > 0 ? b / w / 1e6 : 0), (r > 0 ? w / r : 0), k / 1024 }'
  done
  echo
done
