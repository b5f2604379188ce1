#!/usr/bin/env bash
# The program's contract at its edge: bad scenarios exit 2 with FILE:LINE: FIELD, good ones write JSON that is
# byte-identical per seed with --no-timing and has the summary's fields.
set -u
koepel="$1"; source_dir="$2"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0; passed=0
check() { if eval "$2"; then passed=$((passed+1)); else echo "FAILED: $1"; fail=$((fail+1)); fi; }

printf 'name: broken\norigin: {lat: 51.9, lon: 4.1}\nduration_s: 60\ntime_step_s: 1\nbogus_key: 3\n' > "$tmp/bad.yaml"
"$koepel" run "$tmp/bad.yaml" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "bad scenario exits 2" '[ $rc -eq 2 ]'
check "message names file and line" 'grep -q "bad.yaml:5" "$tmp/err"'
check "message names the field" 'grep -q "bogus_key" "$tmp/err"'

"$koepel" run "$tmp/missing.yaml" >/dev/null 2>&1; rc=$?
check "missing file exits 2" '[ $rc -eq 2 ]'

s="$source_dir/scenarios/volkel_mixed_raid.yaml"
"$koepel" run "$s" --seed 3 --no-timing --json "$tmp/a.json" >/dev/null; rc1=$?
"$koepel" run "$s" --seed 3 --no-timing --json "$tmp/b.json" >/dev/null; rc2=$?
check "runs succeed" '[ $rc1 -eq 0 ] && [ $rc2 -eq 0 ]'
check "same seed, byte-identical JSON" 'cmp -s "$tmp/a.json" "$tmp/b.json"'
for key in scenario seed runs threats total by_class defeated leakers leakers_by_class asset_damage fratricide \
           engagements shots kills cost_eur defender_cost_eur attacker_cost_defeated_eur cost_exchange_ratio \
           warnings issued median_lead_time_s tracking gospa_mean_m latency_ms p50 p99; do
  check "JSON has $key" "grep -q '\"$key\"' '$tmp/a.json'"
done
"$koepel" run "$s" --seed 3 --json "$tmp/t.json" >/dev/null
check "timed run measures latency" 'grep -A1 "\"latency_ms\"" "$tmp/t.json" | grep -q "\"p50\": [0-9]"'
echo "$passed passed, $fail failed"
[ $fail -eq 0 ]
