#!/usr/bin/env bash
# koepel decode: one JSON object per record, each malformed record named with where and why, exit 2 if any.
set -u
koepel="$1"; data="$2"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0; passed=0
check() { if eval "$2"; then passed=$((passed+1)); else echo "FAILED: $1"; fail=$((fail+1)); fi; }
# Lines that are JSON objects, errors among them.
count() { python3 -c '
import json, sys
records = errors = 0
for line in open(sys.argv[1]):
    j = json.loads(line)
    if "error" in j: errors += 1
    else: records += 1
print(records, errors)' "$1"; }

capture="$data/adsb/beast/ulss7-beast-bin-utc--1522782148.136310917--.log"
"$koepel" decode --format beast "$capture" >"$tmp/beast.jsonl" 2>"$tmp/beast.err"; rc=$?
check "beast capture: exit 0" '[ $rc -eq 0 ]'
check "beast capture: 13954 frames, no error ($(count "$tmp/beast.jsonl"))" '[ "$(count "$tmp/beast.jsonl")" = "13954 0" ]'
check "beast: identification decoded" 'grep -q "\"icao\":\"71be34\".*\"callsign\":\"AAR542\"" "$tmp/beast.jsonl"'

python3 -c '
import sys
d = open(sys.argv[1], "rb").read(); cut = len(d) // 2
while not (d[cut] == 0x1A and 0x31 <= d[cut + 1] <= 0x34 and d[cut - 1] != 0x1A): cut += 1
open(sys.argv[2], "wb").write(d[:cut] + bytes(range(0x40, 0x70)) + d[cut:])
print(cut)' "$capture" "$tmp/dirty.bin" >"$tmp/cut"
"$koepel" decode --format beast "$tmp/dirty.bin" >"$tmp/dirty.jsonl" 2>/dev/null; rc=$?
check "corrupted beast: exit 2" '[ $rc -eq 2 ]'
check "corrupted beast: every good frame still there, one error ($(count "$tmp/dirty.jsonl"))" \
  '[ "$(count "$tmp/dirty.jsonl")" = "13954 1" ]'
check "the error names its byte offset" 'grep -q "{\"error\":\"byte $(cat "$tmp/cut")" "$tmp/dirty.jsonl"'

"$koepel" decode --format sbs "$data/adsb/beast/beast_decoded_sbs.txt" >"$tmp/sbs.jsonl" 2>/dev/null; rc=$?
check "sbs with two status lines: exit 2" '[ $rc -eq 2 ]'
check "sbs: 8622 messages, 2 errors ($(count "$tmp/sbs.jsonl"))" '[ "$(count "$tmp/sbs.jsonl")" = "8622 2" ]'
check "sbs errors name the line" 'grep -q "{\"error\":\"line 8624: " "$tmp/sbs.jsonl"'

"$koepel" decode --format beast "$tmp/none.bin" >/dev/null 2>"$tmp/none.err"; rc=$?
check "missing file: exit 2 naming it" '[ $rc -eq 2 ] && grep -q "none.bin: cannot open" "$tmp/none.err"'
"$koepel" decode --format morse "$capture" >/dev/null 2>&1; rc=$?
check "unknown format rejected" '[ $rc -ne 0 ]'

echo "decode_cli_test: $passed passed, $fail failed"
[ "$fail" -eq 0 ]
