// IWYU pragma: private, include "koepel/adapters/sapient/sapient.h"
// Helpers shared by the SAPIENT adapter's source files.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "koepel/adapters/sapient/sapient.h"

namespace koepel::adapters::sapient::internal {

inline int64_t ToUnixNs(const google::protobuf::Timestamp& t) {
  return t.seconds() * 1'000'000'000 + t.nanos();
}
inline void SetUnixNs(int64_t unix_ns, google::protobuf::Timestamp* t) {
  int64_t seconds = unix_ns / 1'000'000'000;
  int64_t nanos = unix_ns % 1'000'000'000;
  if (nanos < 0) {
    nanos += 1'000'000'000;
    --seconds;
  }
  t->set_seconds(seconds);
  t->set_nanos(static_cast<int32_t>(nanos));
}

// "a.b" / "a.b[3]"; an empty parent gives the field alone.
inline std::string Join(std::string_view parent, std::string_view field) {
  std::string out(parent);
  if (field.empty()) return out;
  if (!out.empty()) out += '.';
  out += field;
  return out;
}
inline std::string Join(std::string_view parent, std::string_view field, int index) {
  return Join(parent, field) + "[" + std::to_string(index) + "]";
}

}  // namespace koepel::adapters::sapient::internal
