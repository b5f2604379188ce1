// IWYU pragma: private, include "koepel/adapters/asterix/asterix.h"
// The table-driven core of the ASTERIX decoder: item formats (fixed, extended, repetitive,
// compound, explicit, BDS) described as constant tables, one UAP per supported category.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace koepel::adapters::asterix::internal {

// How a bit field is turned into a JSON value.
enum class Enc : uint8_t {
  kUnsigned,  // integer, or raw * scale when scale != 0
  kSigned,    // two's complement, then as kUnsigned
  kHex,       // upper-case hex, bits/4 digits (addresses)
  kOctal,     // bits/3 octal digits (Mode 2, 3/A codes)
  kIcao6,     // 6-bit ICAO characters (callsigns)
  kAscii,     // 8-bit characters, up to the first NUL
};

struct Field {
  std::string_view name;
  int bits = 0;
  Enc enc = Enc::kUnsigned;
  double scale = 0.0;  // 0: print the raw integer
};

enum class Kind : uint8_t {
  kFixed,       // `fields`, a whole number of octets
  kExtended,    // `parts`, each ending in an FX bit; the last part repeats if FX stays set
  kRepetitive,  // REP octet, then REP times `fields`
  kCompound,    // FX-extended presence bitmap, then the present `subfields` in order
  kExplicit,    // length octet (counting itself), then opaque bytes (SP, RE)
  kBds,         // REP octet, then REP Mode S registers: 56-bit MB + BDS1/BDS2 (I048/250)
};

struct Subfield;

struct Format {
  Kind kind = Kind::kFixed;
  std::span<const Field> fields = {};
  std::span<const std::span<const Field>> parts = {};
  std::span<const Subfield> subfields = {};
};

// A compound's subfield; an empty name marks an unused (spare) slot.
struct Subfield {
  std::string_view name;
  Format format;
};

// One FRN of a UAP; an empty id marks a spare FRN.
struct UapItem {
  std::string_view id;  // "010", "SP", "RE"
  Format format;
};

struct Uap {
  int category = 0;
  std::string_view edition;
  std::span<const UapItem> items;  // items[frn - 1]
};

// nullptr for categories koepel does not decode.
const Uap* FindUap(int category);

inline int FieldBits(std::span<const Field> fields) {
  int bits = 0;
  for (const Field& f : fields) bits += f.bits;
  return bits;
}

}  // namespace koepel::adapters::asterix::internal
