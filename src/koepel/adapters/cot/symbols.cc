// The affiliation x class -> CoT type / SIDC table (cot.md section 3, milstd2525-sidc.md). Each code below is
// in the fact sheets' lists of codes milsymbol 3.0.4 accepts, and the tests check every generated SIDC again
// with milsymbol (test/node-cot) and against the letter SIDC node-cot derives from the CoT type.
#include <array>

#include "koepel/adapters/cot/cot.h"

namespace koepel::adapters::cot {
namespace {

struct IdentityCodes {
  char cot;         // CoT type field 2
  char letter;      // 2525C SIDC position 2
  char number;      // 2525D SIDC digit 4
  bool civil_form;  // use the civil function of classes that have one
};

// In Affiliation's order: pending, unknown, civil, friend, neutral, suspect, hostile.
constexpr std::array<IdentityCodes, 7> kIdentities = {{
    {'p', 'P', '0', false},
    {'u', 'U', '1', false},
    {'n', 'N', '4', true},  // APP-6 has no civil frame: civil objects are neutral with a civil function
    {'f', 'F', '3', false},
    {'n', 'N', '4', true},
    {'s', 'S', '5', false},
    {'h', 'H', '6', false},
}};

struct ClassCodes {
  std::string_view function;        // CoT function fields after "A" ("M-F-Q"), "" for a plain air track
  std::string_view civil_function;  // for civil / neutral
  std::string_view entity;          // 2525D symbol set (2) + entity (6) + sector-1 modifier (2) + sector-2 (2)
  std::string_view civil_entity;
};

// In ObjectClass's order.
constexpr std::array<ClassCodes, kObjectClassCount> kClasses = {{
    {"", "", "010000000000", "010000000000"},                        // unknown: air track, no icon
    {"", "", "010000000000", "010000000000"},                        // bird: 2525 has no bird; plain air track
    {"M-F-Q", "C", "011103000000", "011203000000"},                  // small drone: UAV / civil UAV (2525C has none)
    {"M-F-Q", "M-F-Q", "011103000000", "011103000000"},              // one-way attack drone: UAV
    {"W-D", "W-D", "011302000000", "011302000000"},                  // decoy: air decoy
    {"M-F", "C-F", "011101000000", "011201000000"},                  // fixed wing
    {"M-H", "C-H", "011102000000", "011202000000"},                  // rotary wing
    {"W-M-C-M", "W-M-C-M", "021100000700", "021100000700"},          // cruise missile (set 02, modifier 1 = 07)
    {"W-M-B", "W-M-B", "021100000600", "021100000600"},              // ballistic missile (modifier 1 = 06)
}};

}  // namespace

AirSymbol SymbolFor(Affiliation affiliation, ObjectClass object_class) {
  const IdentityCodes& id = kIdentities[static_cast<size_t>(affiliation)];
  const ClassCodes& cls = kClasses[static_cast<size_t>(object_class)];
  const std::string_view function = id.civil_form ? cls.civil_function : cls.function;
  const std::string_view entity = id.civil_form ? cls.civil_entity : cls.entity;

  AirSymbol s;
  s.cot_type = std::string("a-") + id.cot + "-A";
  if (!function.empty()) s.cot_type += "-" + std::string(function);

  // Letter SIDC: S, identity, dimension A, status P (present), function letters padded to 6, then 5 x '-'.
  s.sidc_2525c = std::string("S") + id.letter + "AP";
  std::string letters;
  for (char c : function) {
    if (c != '-') letters += c;
  }
  letters.resize(6, '-');
  s.sidc_2525c += letters + "-----";

  // Number SIDC: version 10, context 0 (reality), identity, symbol set + status 0, HQ 0, amplifier 00, entity.
  s.sidc_2525d = std::string("100") + id.number + std::string(entity.substr(0, 2)) + "0000" +
                 std::string(entity.substr(2));
  return s;
}

}  // namespace koepel::adapters::cot
