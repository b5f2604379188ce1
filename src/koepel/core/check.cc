#include "koepel/core/check.h"

#include <cstdio>
#include <cstdlib>

namespace koepel::internal {

void CheckFailed(std::string_view condition, std::string_view message, std::source_location where) {
  std::fprintf(stderr, "koepel: check failed at %s:%u: %.*s: %.*s\n", where.file_name(),
               static_cast<unsigned>(where.line()), static_cast<int>(condition.size()), condition.data(),
               static_cast<int>(message.size()), message.data());
  std::abort();
}

}  // namespace koepel::internal
