#include "koepel/core/check.h"

#include <cstdio>
#include <cstdlib>

namespace koepel::internal {

void CheckFailed(std::string_view condition, std::string_view message, const char* file, int line) {
  std::fprintf(stderr, "koepel: check failed at %s:%d: %.*s: %.*s\n", file, line,
               static_cast<int>(condition.size()), condition.data(),
               static_cast<int>(message.size()), message.data());
  std::abort();
}

}  // namespace koepel::internal
