#include "koepel/core/time.h"

#include <cmath>
#include <cstdio>

namespace koepel {

Duration SecondsF(double s) { return Duration::Nanoseconds(std::llround(s * 1e9)); }

SimTime SimTimeFromSeconds(double s) { return SimTime::FromNanoseconds(std::llround(s * 1e9)); }

std::string FormatSimTime(SimTime t) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "T+%.3fs", t.seconds());
  return buf;
}

}  // namespace koepel
