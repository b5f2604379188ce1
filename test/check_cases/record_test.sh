#!/usr/bin/env bash
# koepel run --record DIR on the Volkel reference scenario: every CoT event validates against the CoT
# Event schema, every CAP message against CAP 1.2 (in Dutch and English, with the region polygons),
# one CAP message per warning the run issued, the CAT062 file decodes with no error into the
# tracks of the run, and the SAPIENT look-at tasks are valid.
set -u
koepel="$1"; source_dir="$2"; data="$3"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0; passed=0
check() { if eval "$2"; then passed=$((passed+1)); else echo "FAILED: $1"; fail=$((fail+1)); fi; }

"$koepel" run "$source_dir/scenarios/volkel_mixed_raid.yaml" --seed 3 --no-timing --record "$tmp/out" \
  --start-utc 2026-06-01T02:00:00Z --json "$tmp/summary.json" >"$tmp/run.out" 2>"$tmp/run.err"; rc=$?
check "run with --record succeeds ($(cat "$tmp/run.err"))" '[ $rc -eq 0 ]'
check "says what it recorded" 'grep -q "^recorded .*CoT events, .*CAP messages, .*ASTERIX CAT062 blocks" "$tmp/run.out"'

cot_files=$(ls "$tmp/out/cot" | wc -l)
check "CoT events written ($cot_files)" '[ "$cot_files" -ge 100 ]'
check "every CoT event validates against Event.xsd" \
  'find "$tmp/out/cot" -name "*.xml" -print0 | xargs -0 xmllint --noout --schema "$data/cot/Event.xsd" >"$tmp/cot.lint" 2>&1'
check "hostile air tracks among them" 'grep -lq "type=\"a-h-A" "$tmp"/out/cot/*.xml'
check "civil aircraft marked neutral/civil, never hostile" \
  '! grep -l "callsign=\"DLH4RT\"" "$tmp"/out/cot/*.xml | xargs grep -l "type=\"a-h-" | grep -q .'
check "event time follows --start-utc" 'grep -q "time=\"2026-06-01T02:" "$(ls "$tmp"/out/cot/*.xml | head -1)"'

cap_files=$(ls "$tmp/out/cap" | wc -l)
warnings=$(python3 -c 'import json,sys; print(int(round(json.load(open(sys.argv[1]))["warnings"]["issued"])))' "$tmp/summary.json" 2>/dev/null || echo "?")
check "CAP messages written ($cap_files), at least one per alert ($warnings)" '[ "$cap_files" -ge 3 ] && [ "$cap_files" -ge "$warnings" ]'
check "every CAP message validates against CAP-v1.2.xsd" \
  'find "$tmp/out/cap" -name "*.xml" -print0 | xargs -0 xmllint --noout --schema "$data/cap/CAP-v1.2.xsd" >"$tmp/cap.lint" 2>&1'
check "alerts, updates and cancels" 'grep -lq "<msgType>Alert<" "$tmp"/out/cap/*.xml && grep -lq "<msgType>Update<" "$tmp"/out/cap/*.xml && grep -lq "<msgType>Cancel<" "$tmp"/out/cap/*.xml'
check "Dutch and English" 'grep -lq "<language>nl-NL<" "$tmp"/out/cap/*.xml && grep -lq "<language>en-US<" "$tmp"/out/cap/*.xml'
check "with polygons" 'grep -lq "<polygon>" "$tmp"/out/cap/*.xml'
check "an exercise, never Actual, from a simulation" '! grep -lq "<status>Actual<" "$tmp"/out/cap/*.xml'

check "CAT062 file present" '[ -s "$tmp/out/tracks-cat062.ast" ]'
"$koepel" decode --format asterix "$tmp/out/tracks-cat062.ast" >"$tmp/ast.jsonl" 2>"$tmp/ast.err"; rc=$?
check "CAT062 decodes with no error ($(tail -1 "$tmp/ast.err"))" '[ $rc -eq 0 ]'
check "CAT062 records carry WGS-84 positions near Volkel" 'python3 -c "
import json, sys
n = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    p = r.get(\"I105\")
    if p is None: continue
    assert 49 < p[\"Lat\"] < 55 and 2 < p[\"Lon\"] < 12, p
    n += 1
assert n > 100, n
" "$tmp/ast.jsonl"'

"$koepel" decode --format sapient "$tmp/out/sapient-tasks.bin" >"$tmp/tasks.jsonl" 2>"$tmp/tasks.err"; rc=$?
check "SAPIENT tasks: valid by the standard's rules ($(tail -1 "$tmp/tasks.err"))" '[ $rc -eq 0 ]'
check "SAPIENT tasks: look-at tasks to the EO/IR sensor for tracks to confirm" \
  '[ "$(grep -c "\"lookAt\"" "$tmp/tasks.jsonl")" -ge 1 ]'

echo "record_test: $passed passed, $fail failed"
[ "$fail" -eq 0 ]
