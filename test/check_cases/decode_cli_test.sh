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

# ASTERIX: the CAT048 recording (with its CAT034 service messages) and the CAT062 one.
"$koepel" decode --format asterix "$data/asterix/cat_034_048.pcap" >"$tmp/048.jsonl" 2>/dev/null; rc=$?
check "asterix CAT048 pcap: exit 0" '[ $rc -eq 0 ]'
cat048=$(grep -c '"CAT":48' "$tmp/048.jsonl")
check "asterix: 128 CAT048 records ($cat048)" '[ "$cat048" -eq 128 ]'
"$koepel" decode --format asterix "$data/asterix/asterix.pcap" >"$tmp/062.jsonl" 2>/dev/null; rc=$?
cat062=$(grep -c '"CAT":62' "$tmp/062.jsonl")
# Older-edition records overrun their blocks under ed. 1.18: named as errors, decoding goes on as the
# reference decoder does, which printed 84 records.
check "asterix: 84 CAT062 records and the overruns named, exit 2 ($cat062)" \
  '[ $rc -eq 2 ] && [ "$cat062" -eq 84 ] && grep -q "{\"error\":\"byte 131: CAT062 record 1, I390" "$tmp/062.jsonl"'
head -c 100 "$data/asterix/cat062cat065.raw" >"$tmp/cut.raw"
"$koepel" decode --format asterix "$tmp/cut.raw" >"$tmp/cut.jsonl" 2>/dev/null; rc=$?
check "asterix: a truncated block exits 2 and names a byte offset" '[ $rc -eq 2 ] && grep -q "{\"error\":\"byte [0-9]*" "$tmp/cut.jsonl"'

# SAPIENT: the framed stream of ten messages, whole and with garbage in the middle; JSON samples.
sapient="$data/sapient"
"$koepel" decode --format sapient "$sapient/binary/stream_sequence.bin" >"$tmp/sapient.jsonl" 2>/dev/null; rc=$?
check "sapient stream: ten valid messages, exit 0 ($(count "$tmp/sapient.jsonl"))" '[ $rc -eq 0 ] && [ "$(count "$tmp/sapient.jsonl")" = "10 0" ]'
check "sapient: the registration is there" 'grep -q "\"registration\"" "$tmp/sapient.jsonl"'
python3 -c '
import struct, sys
d = open(sys.argv[1], "rb").read()
n = struct.unpack("<i", d[:4])[0]
open(sys.argv[2], "wb").write(d[:4 + n] + struct.pack("<i", 5) + b"\xff" * 5 + d[4 + n:])'   "$sapient/binary/stream_sequence.bin" "$tmp/dirty.sapient"
"$koepel" decode --format sapient "$tmp/dirty.sapient" >"$tmp/dirty-sapient.jsonl" 2>/dev/null; rc=$?
check "sapient: a bad frame exits 2, the ten good ones kept ($(count "$tmp/dirty-sapient.jsonl"))" \
  '[ $rc -eq 2 ] && [ "$(count "$tmp/dirty-sapient.jsonl")" = "10 1" ]'
valid=$(ls "$sapient/json/valid" | head -1)
"$koepel" decode --format sapient-json "$sapient/json/valid/$valid" >/dev/null 2>&1; rc=$?
check "sapient-json: a valid sample exits 0" '[ $rc -eq 0 ]'
"$koepel" decode --format sapient-json "$sapient/json/invalid/0108.DetectionReport.ObjectId.Missing.json" \
  >"$tmp/invalid.jsonl" 2>/dev/null; rc=$?
check "sapient-json: an invalid sample exits 2 naming the field" '[ $rc -eq 2 ] && grep -qi "object_id" "$tmp/invalid.jsonl"'

# Every sample of the standard: the valid ones accepted, the invalid ones rejected (exit 2).
accepted=0; rejected=0
for f in "$sapient"/json/valid/*.json; do "$koepel" decode --format sapient-json "$f" >/dev/null 2>&1 && accepted=$((accepted+1)); done
for f in "$sapient"/json/invalid/*.json; do "$koepel" decode --format sapient-json "$f" >/dev/null 2>&1; [ $? -eq 2 ] && rejected=$((rejected+1)); done
check "sapient-json: 38/38 valid samples accepted ($accepted)" '[ "$accepted" -eq 38 ]'
check "sapient-json: 193/193 invalid samples rejected ($rejected)" '[ "$rejected" -eq 193 ]'

"$koepel" decode --format beast "$tmp/none.bin" >/dev/null 2>"$tmp/none.err"; rc=$?
check "missing file: exit 2 naming it" '[ $rc -eq 2 ] && grep -q "none.bin: cannot open" "$tmp/none.err"'
"$koepel" decode --format morse "$capture" >/dev/null 2>&1; rc=$?
check "unknown format rejected" '[ $rc -ne 0 ]'

echo "decode_cli_test: $passed passed, $fail failed"
[ "$fail" -eq 0 ]
