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

# Monte-Carlo on worker threads: the same JSON for any thread count; intervals in it; quiet without a terminal.
c="$source_dir/test/scenarios/campaign_scarce_patriot.yaml"
"$koepel" run "$c" --runs 4 --threads 1 --no-timing --json "$tmp/t1.json" >/dev/null 2>"$tmp/t1.err"; rc1=$?
"$koepel" run "$c" --runs 4 --threads 3 --no-timing --json "$tmp/t3.json" --report "$tmp/report" >"$tmp/t3.out"; rc2=$?
check "threaded runs succeed" '[ $rc1 -eq 0 ] && [ $rc2 -eq 0 ]'
check "threads do not change the JSON" 'cmp -s "$tmp/t1.json" "$tmp/t3.json"'
for key in ci95 half_width mean runs_by_leakers; do
  check "JSON has $key" "grep -q '\"$key\"' '$tmp/t1.json'"
done
check "no progress bar when stderr is not a terminal" '[ ! -s "$tmp/t1.err" ]'
check "text shows intervals" 'grep -q "leakers .*+-" "$tmp/t3.out"'
if command -v script >/dev/null 2>&1; then
  script -qec "'$koepel' run '$c' --runs 3 --threads 2 --no-timing" /dev/null >"$tmp/tty.out" 2>&1
  check "progress bar on a terminal" 'grep -q "koepel run \[" "$tmp/tty.out"'
fi
"$koepel" run "$c" --runs 2 --threads 0 >/dev/null 2>&1; rc=$?
check "--threads 0 is rejected" '[ $rc -eq 2 ]'

# Reports: one self-contained, well-formed page with the plots and nothing fetched.
check_report() {  # $1 label, $2 file, then the plot ids
  local label="$1" file="$2"; shift 2
  check "$label report exists" '[ -s "$file" ]'
  check "$label report is well-formed" 'xmllint --noout "$file" 2>/dev/null'
  check "$label report has no http(s) reference" '! grep -qiE "https?:" "$file"'
  check "$label report has no script" '! grep -qi "<script" "$file"'
  for id in "$@"; do check "$label report has $id" "grep -q 'id=\"$id\"' '$file'"; done
}
check_report run "$tmp/report/index.html" plot-leakers plot-cost-per-kill plot-exchange-ratio plot-lead-times
check "run report has a leakers series" 'grep -q "data-series=\"lethal leakers\"" "$tmp/report/index.html"'

# Campaigns: three doctrines side by side, the same for any thread count, stock in the JSON.
"$koepel" campaign "$c" --days 2 --threads 1 --json "$tmp/c1.json" >"$tmp/c1.out" 2>"$tmp/c1.err"; rc1=$?
"$koepel" campaign "$c" --days 2 --threads 3 --json "$tmp/c3.json" --report "$tmp/creport" >/dev/null; rc2=$?
check "campaigns succeed" '[ $rc1 -eq 0 ] && [ $rc2 -eq 0 ]'
check "campaign JSON does not depend on threads" 'cmp -s "$tmp/c1.json" "$tmp/c3.json"'
for key in naive cost_aware stockpile_aware stock_out median_day rounds remaining resupply leakers damage cost_eur \
           cost_exchange_ratio tempo; do
  check "campaign JSON has $key" "grep -q '\"$key\"' '$tmp/c1.json'"
done
check "campaign table names the stock-out" 'grep -q "stock runs out" "$tmp/c1.out"'
check "campaign table has every doctrine" 'grep -q "naive.*cost_aware.*stockpile_aware" "$tmp/c1.out"'
check_report campaign "$tmp/creport/index.html" plot-stock-patriot plot-stock-medium_range_missile \
  plot-leakers-by-day plot-cost-per-kill plot-exchange-ratio plot-lead-times-stockpile_aware
for d in naive cost_aware stockpile_aware; do
  check "stock curve for $d" "grep -q 'data-series=\"$d\"' '$tmp/creport/index.html'"
done
"$koepel" campaign "$source_dir/scenarios/volkel_mixed_raid.yaml" >/dev/null 2>"$tmp/err"; rc=$?
check "campaign without days exits 2" '[ $rc -eq 2 ] && grep -q -- "--days" "$tmp/err"'
"$koepel" campaign "$c" --tempo blitz >/dev/null 2>"$tmp/err"; rc=$?
check "unknown tempo exits 2" '[ $rc -eq 2 ] && grep -q "steady" "$tmp/err"'
sed 's/stock: {patriot: 6,/stock: {patriot: -6,/' "$c" > "$tmp/badc.yaml"
"$koepel" campaign "$tmp/badc.yaml" >/dev/null 2>"$tmp/err"; rc=$?
check "bad campaign section exits 2 with file:line: field" \
  '[ $rc -eq 2 ] && grep -qE "badc.yaml:[0-9]+: campaign.stock.patriot" "$tmp/err"'

echo "$passed passed, $fail failed"
[ $fail -eq 0 ]
