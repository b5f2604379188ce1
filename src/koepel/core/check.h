// IWYU pragma: private, include "koepel/core/core.h"
// Checks for programmer errors and broken invariants (never for bad input: that is a Status).
#pragma once

#include <string_view>

namespace koepel::internal {
// The location comes from compiler builtins (not std::source_location, which clang 14 with
// libstdc++ 12 lacks) so the fuzzing build with clang compiles too.
[[noreturn]] void CheckFailed(std::string_view condition, std::string_view message,
                              const char* file = __builtin_FILE(), int line = __builtin_LINE());
}  // namespace koepel::internal

// Always on: aborts with the condition, message and location.
#define KOEPEL_CHECK(cond, msg)                                 \
  do {                                                          \
    if (!(cond)) [[unlikely]] ::koepel::internal::CheckFailed(#cond, (msg)); \
  } while (false)

// Debug builds only.
#ifdef NDEBUG
#define KOEPEL_ASSERT(cond, msg) \
  do {                           \
  } while (false)
#else
#define KOEPEL_ASSERT(cond, msg) KOEPEL_CHECK(cond, msg)
#endif

#define KOEPEL_UNREACHABLE(msg) ::koepel::internal::CheckFailed("unreachable", (msg))
