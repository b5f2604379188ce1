#!/usr/bin/env bash
# koepel track / koepel score on the shared n10 scenario: the OSPA/GOSPA printed and in the JSON must be no
# worse than Stone Soup's (0.5 %), and a malformed detections file exits 2 naming FILE:LINE.
set -u
koepel="$1"; data="$2/tracking/n10"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0; passed=0
check() { if eval "$2"; then passed=$((passed+1)); else echo "FAILED: $1"; fail=$((fail+1)); fi; }

"$koepel" track --detections "$data/detections.csv" --params "$data/params.json" --out "$tmp/tracks.csv" >"$tmp/track.out"; rc=$?
check "track succeeds" '[ $rc -eq 0 ]'
check "track prints p99" 'grep -q "p99" "$tmp/track.out"'
check "tracks.csv header" '[ "$(head -1 "$tmp/tracks.csv")" = "scan,time_s,track_id,x_m,y_m,vx_mps,vy_mps,updated" ]'

"$koepel" score --truth "$data/truth.csv" --tracks "$tmp/tracks.csv" --json "$tmp/score.json" >"$tmp/score.out"; rc=$?
check "score succeeds" '[ $rc -eq 0 ]'
ours_printed=$(sed -n 's/^OSPA mean: \([0-9.]*\) m$/\1/p' "$tmp/score.out")
read -r ours_json gospa_json ref_ospa ref_gospa < <(python3 -c '
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))["metrics"]
print(a["ospa_mean"], a["gospa_mean"], b["ospa_mean"], b["gospa_mean"])' "$tmp/score.json" "$data/stonesoup_results.json")
le() { python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) <= 1.005 * float(sys.argv[2]) else 1)" "$1" "$2"; }
check "printed OSPA ($ours_printed) <= Stone Soup ($ref_ospa)" 'le "$ours_printed" "$ref_ospa"'
check "JSON OSPA ($ours_json) <= Stone Soup" 'le "$ours_json" "$ref_ospa"'
check "JSON GOSPA ($gospa_json) <= Stone Soup ($ref_gospa)" 'le "$gospa_json" "$ref_gospa"'
check "printed OSPA is the JSON one" 'python3 -c "import sys; sys.exit(0 if abs(float(sys.argv[1]) - float(sys.argv[2])) < 1e-3 else 1)" "$ours_printed" "$ours_json"'
check "SIAP printed" 'grep -q "SIAP completeness: 0\.[0-9]" "$tmp/score.out"'

mkdir "$tmp/bad"
head -4 "$data/detections.csv" > "$tmp/bad/detections.csv"
echo "0,0.000,nan,100.0" >> "$tmp/bad/detections.csv"
"$koepel" track --detections "$tmp/bad/detections.csv" --params "$data/params.json" --out "$tmp/bad/t.csv" 2>"$tmp/err" >/dev/null; rc=$?
check "NaN detection exits 2" '[ $rc -eq 2 ]'
check "message names detections.csv:5" 'grep -q "detections.csv:5: column x_m" "$tmp/err"'

echo "passed $passed, failed $fail"
[ $fail -eq 0 ]
