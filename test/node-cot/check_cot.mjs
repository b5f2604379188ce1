// Parses every .xml file in a folder with @tak-ps/node-cot (an independent TAK-ecosystem CoT parser) and
// compares what it read with the NAME.json the C++ generator wrote beside NAME.xml: uid, type, lat/lon/hae,
// ce/le, course, speed, callsign and the <__milsym> SIDC. Also checks node-cot's own CoT-type -> 2525 letter
// SIDC conversion, milsymbol's verdict on the 2525D SIDC, and a TAK protobuf round trip.
// Usage: node check_cot.mjs FOLDER   (exit 1 on any mismatch, 2 on bad usage)
import fs from 'node:fs';
import path from 'node:path';
import { CoTParser, MilSymType } from '@tak-ps/node-cot';
import ms from 'milsymbol';

const folder = process.argv[2];
if (!folder || !fs.existsSync(folder)) {
  console.error('usage: node check_cot.mjs FOLDER');
  process.exit(2);
}
const files = fs.readdirSync(folder).filter((f) => f.endsWith('.xml')).sort();
let failures = 0;
const fail = (file, what) => {
  failures += 1;
  console.error(`${file}: ${what}`);
};
const near = (file, field, got, want, tolerance) => {
  const value = Number(got);
  if (!Number.isFinite(value) || Math.abs(value - want) > tolerance) fail(file, `${field} ${got}, expected ${want}`);
};

for (const file of files) {
  const sidecar = path.join(folder, file.replace(/\.xml$/, '.json'));
  if (!fs.existsSync(sidecar)) {
    fail(file, 'no .json sidecar');
    continue;
  }
  const want = JSON.parse(fs.readFileSync(sidecar, 'utf8'));
  let cot;
  try {
    cot = CoTParser.from_xml(fs.readFileSync(path.join(folder, file), 'utf8'));
  } catch (err) {
    fail(file, `node-cot rejects it: ${err.message}`);
    continue;
  }
  const event = cot.raw.event;
  const attrs = event._attributes;
  if (attrs.uid !== want.uid) fail(file, `uid ${attrs.uid}, expected ${want.uid}`);
  if (attrs.type !== want.type) fail(file, `type ${attrs.type}, expected ${want.type}`);
  const point = event.point._attributes;
  near(file, 'lat', point.lat, want.lat, 1e-7);
  near(file, 'lon', point.lon, want.lon, 1e-7);
  near(file, 'hae', point.hae, want.hae, 0.05);
  near(file, 'ce', point.ce, want.ce, 0.05);
  near(file, 'le', point.le, want.le, 0.05);

  const detail = event.detail ?? {};
  const track = detail.track?._attributes;
  if (want.course === null) {
    if (track) fail(file, 'a <track> where none was meant');
  } else {
    near(file, 'course', track?.course, want.course, 0.005);
    near(file, 'speed', track?.speed, want.speed, 0.005);
  }
  const callsign = detail.contact?._attributes?.callsign;
  if ((callsign ?? null) !== want.callsign) fail(file, `callsign ${callsign}, expected ${want.callsign}`);
  const milsym = detail.__milsym?._attributes?.id;
  if (milsym !== want.sidc_2525d) fail(file, `__milsym ${milsym}, expected ${want.sidc_2525d}`);

  // Symbols: node-cot's mechanical type -> letter SIDC, and milsymbol's validity of both codes.
  const letter = MilSymType.default.to2525B(attrs.type);
  if (!new ms.Symbol(letter).isValid()) fail(file, `letter SIDC ${letter} (from ${attrs.type}) invalid in milsymbol`);
  const number = new ms.Symbol(want.sidc_2525d);
  if (!number.isValid()) fail(file, `2525D SIDC ${want.sidc_2525d} invalid in milsymbol`);
  const affiliation = { h: 'Hostile', s: 'Hostile', f: 'Friend', n: 'Neutral', u: 'Unknown', p: 'Unknown' }[attrs.type[2]];
  if (number.getMetadata().affiliation !== affiliation) {
    fail(file, `milsymbol reads ${want.sidc_2525d} as ${number.getMetadata().affiliation}, type says ${affiliation}`);
  }

  // GeoJSON view (what CloudTAK and friends use) and the TAK protobuf (protocol v1) round trip.
  const feature = await CoTParser.to_geojson(cot);
  near(file, 'geojson lon', feature.geometry.coordinates[0], want.lon, 1e-7);
  near(file, 'geojson lat', feature.geometry.coordinates[1], want.lat, 1e-7);
  const back = await CoTParser.from_proto(await CoTParser.to_proto(cot));
  if (back.raw.event._attributes.uid !== want.uid) fail(file, 'protobuf round trip lost the uid');
  near(file, 'protobuf lat', back.raw.event.point._attributes.lat, want.lat, 1e-7);
}

if (files.length === 0) fail(folder, 'no .xml files');
console.log(`node-cot: ${files.length} events, ${failures} problem(s)`);
process.exit(failures === 0 ? 0 : 1);
