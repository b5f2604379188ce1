#!/usr/bin/env bash
# koepel run --input: a real ADS-B capture (Beast, its SBS decode, and the Beast bytes over TCP) replayed
# through the chain beside an empty scenario. Every aircraft becomes a track identified civil from its
# ADS-B address, nothing is proposed for engagement, the file and TCP paths give the same detections,
# a corrupted copy loses no good message, and a bad --input exits 2 naming what is wrong.
set -u
koepel="$1"; source_dir="$2"; data="$3/adsb/beast"; shared="$3"; make_sapient_stream="$4"
scenario="$source_dir/test/scenarios/adsb_replay_st_petersburg.yaml"
capture="$data/ulss7-beast-bin-utc--1522782148.136310917--.log"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; [ -n "${server:-}" ] && kill "$server" 2>/dev/null' EXIT
fail=0; passed=0
check() { if eval "$2"; then passed=$((passed+1)); else echo "FAILED: $1"; fail=$((fail+1)); fi; }
detections() { sed -n 's/^input .*, \([0-9]*\) detections$/\1/p' "$1"; }

"$koepel" run "$scenario" --no-timing --input "beast:$capture" --events "$tmp/beast.events" >"$tmp/beast.out"; rc=$?
check "beast replay succeeds" '[ $rc -eq 0 ]'
check "beast: every message decoded, none rejected" 'grep -q "^input .*: 8928 messages, 0 rejected" "$tmp/beast.out"'
civil=$(grep -c $'\tidentify\taffiliation\t.*\tcivil .*correlated with ADS-B' "$tmp/beast.events")
other=$(grep $'\tidentify\taffiliation\t' "$tmp/beast.events" | grep -vc $'\tcivil ')
check "at least 10 aircraft identified civil from ADS-B ($civil)" '[ "$civil" -ge 10 ]'
check "no other affiliation ($other)" '[ "$other" -eq 0 ]'
proposals=$(grep -cP '\tassign\tproposal\t' "$tmp/beast.events")
check "nothing proposed for engagement ($proposals)" '[ "$proposals" -eq 0 ]'

"$koepel" run "$scenario" --no-timing --input "sbs:$data/beast_decoded_sbs.txt" --events "$tmp/sbs.events" \
  >"$tmp/sbs.out" 2>"$tmp/sbs.err"; rc=$?
check "sbs replay succeeds" '[ $rc -eq 0 ]'
check "sbs: the two status lines at the end are rejected and named" \
  'grep -q ", 2 rejected" "$tmp/sbs.out" && grep -q "input rejected: line [0-9]*: not an SBS record" "$tmp/sbs.err"'
sbs_civil=$(grep -c $'\tidentify\taffiliation\t.*\tcivil ' "$tmp/sbs.events")
check "sbs: at least 10 aircraft civil ($sbs_civil)" '[ "$sbs_civil" -ge 10 ]'

# The same Beast bytes from a TCP source in uneven chunks.
python3 - "$capture" "$tmp/port" <<'PY' &
import socket, sys, time
data = open(sys.argv[1], "rb").read()
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
open(sys.argv[2], "w").write(str(s.getsockname()[1]))
c, _ = s.accept()
i = 0
for n in [1, 7, 13, 4096, 3] * 1000:
    if i >= len(data): break
    c.sendall(data[i:i + n]); i += n
c.sendall(data[i:]); c.close()
PY
server=$!
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
"$koepel" run "$scenario" --no-timing --input "beast+tcp:127.0.0.1:$(cat "$tmp/port")" >"$tmp/tcp.out"; rc=$?
check "beast over TCP succeeds" '[ $rc -eq 0 ]'
check "TCP gives the file's detections ($(detections "$tmp/tcp.out") vs $(detections "$tmp/beast.out"))" \
  '[ "$(detections "$tmp/tcp.out")" = "$(detections "$tmp/beast.out")" ] && [ -n "$(detections "$tmp/beast.out")" ]'

# Garbage spliced into the middle: one rejection, located, and no good message lost.
python3 -c '
import sys
d = open(sys.argv[1], "rb").read(); cut = len(d) // 2
while not (d[cut] == 0x1A and 0x31 <= d[cut + 1] <= 0x34 and d[cut - 1] != 0x1A): cut += 1
open(sys.argv[2], "wb").write(d[:cut] + bytes(range(0x40, 0x70)) + d[cut:])' "$capture" "$tmp/dirty.bin"
"$koepel" run "$scenario" --no-timing --input "beast:$tmp/dirty.bin" >"$tmp/dirty.out" 2>"$tmp/dirty.err"; rc=$?
check "corrupted capture still runs" '[ $rc -eq 0 ]'
check "one rejection, named with its byte offset" 'grep -q ": 8928 messages, 1 rejected" "$tmp/dirty.out" && grep -q "input rejected: byte [0-9]*" "$tmp/dirty.err"'
check "no detection lost" '[ "$(detections "$tmp/dirty.out")" = "$(detections "$tmp/beast.out")" ]'

# SAPIENT: a recorded stream of a node reporting a drone (built from the standard's samples).
volkel="$source_dir/test/scenarios/feed_replay_volkel.yaml"
"$make_sapient_stream" "$shared/sapient" "$tmp/drone.sapient"
"$koepel" run "$volkel" --no-timing --input "sapient:$tmp/drone.sapient" --events "$tmp/sapient.events" >"$tmp/sapient.out"; rc=$?
check "sapient replay succeeds" '[ $rc -eq 0 ]'
check "sapient: 32 messages, none rejected, 30 detections" 'grep -q "^input .*: 32 messages, 0 rejected, 30 detections" "$tmp/sapient.out"'
check "sapient: the drone becomes a hostile small_drone track" \
  'grep -qP "\tidentify\taffiliation\t.*\thostile small_drone" "$tmp/sapient.events"'
# The drone's track as Cursor on Target to a TAK listener, over UDP and over TCP.
for proto in udp tcp; do
  rm -f "$tmp/port"
  python3 - "$proto" "$tmp/port" "$tmp/cot-$proto.bin" <<'PY' &
import socket, sys
proto, port_file, out = sys.argv[1:4]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM if proto == "udp" else socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0)); s.settimeout(20)
open(port_file, "w").write(str(s.getsockname()[1]))
data = b""
if proto == "udp":
    s.settimeout(3)
    try:
        while True:
            d, _ = s.recvfrom(65536); data += d + b"\n"
    except socket.timeout:
        pass
else:
    s.listen(1); c, _ = s.accept(); c.settimeout(5)
    while True:
        d = c.recv(65536)
        if not d: break
        data += d
open(out, "wb").write(data)
PY
  listener=$!
  for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
  "$koepel" run "$volkel" --no-timing --input "sapient:$tmp/drone.sapient" --cot-out "$proto:127.0.0.1:$(cat "$tmp/port")" \
    >"$tmp/cot-$proto.out"; rc=$?
  wait "$listener"
  events=$(grep -o "<event " "$tmp/cot-$proto.bin" | wc -l)
  check "CoT over $proto: sent ($(grep "^cot out" "$tmp/cot-$proto.out")) and received ($events)" \
    '[ $rc -eq 0 ] && [ "$events" -ge 2 ] && grep -q "uid=\"KOEPEL-TRK-1\"" "$tmp/cot-$proto.bin" && grep -q "type=\"a-h-A" "$tmp/cot-$proto.bin"'
done

# The standard's own sample stream mixes nodes, dates and UTM zones: each bad report named, none fatal.
"$koepel" run "$volkel" --no-timing --input "sapient:$shared/sapient/binary/stream_sequence.bin" >"$tmp/samples.out" 2>"$tmp/samples.err"; rc=$?
check "sapient sample stream: runs, 10 messages, the UTM positions rejected with the field" \
  '[ $rc -eq 0 ] && grep -q ": 10 messages, 3 rejected" "$tmp/samples.out" && grep -q "input rejected: byte 490: status_report.node_location" "$tmp/samples.err"'

# ASTERIX: CAT048 plots of the radar whose CAT034 gives its position, and CAT062 system tracks.
"$koepel" run "$volkel" --no-timing --input "asterix:$shared/asterix/cat_034_048.pcap" \
  --input "asterix:$shared/asterix/cat062cat065.raw" >"$tmp/asterix.out" 2>"$tmp/asterix.err"; rc=$?
check "asterix replay succeeds" '[ $rc -eq 0 ]'
check "asterix: 38 plots of the located radar, the others named" \
  'grep -q "cat_034_048.pcap: 162 messages, 0 rejected, 38 detections" "$tmp/asterix.out" && grep -q "90 CAT048 plots skipped" "$tmp/asterix.err"'
check "asterix: the two CAT062 tracks" 'grep -q "cat062cat065.raw: 3 messages, 0 rejected, 2 detections" "$tmp/asterix.out"'

"$koepel" run "$scenario" --input "asterisk:$capture" >/dev/null 2>"$tmp/bad.err"; rc=$?
check "unknown format exits 2" '[ $rc -eq 2 ]'
check "and names the format" 'grep -q "unknown format .asterisk." "$tmp/bad.err"'
"$koepel" run "$scenario" --input "beast:$tmp/missing.bin" >/dev/null 2>"$tmp/missing.err"; rc=$?
check "missing file exits 2 naming it" '[ $rc -eq 2 ] && grep -q "missing.bin" "$tmp/missing.err"'

echo "feed_replay_test: $passed passed, $fail failed"
[ "$fail" -eq 0 ]
