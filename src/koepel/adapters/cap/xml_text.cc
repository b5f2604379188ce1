#include <chrono>
#include <cmath>
#include <cstdio>

#include "koepel/adapters/cap/internal.h"

namespace koepel::adapters::cap::internal {
std::optional<CivilTime> ToCivil(int64_t unix_ms, int offset_minutes) {
  using namespace std::chrono;
  // Far outside 1..9999 (about +-2.5e14 ms): refuse before the arithmetic below could overflow.
  constexpr int64_t kFar = 400'000'000'000'000;
  if (unix_ms < -kFar || unix_ms > kFar || offset_minutes < -100'000 || offset_minutes > 100'000) return std::nullopt;
  const sys_time<milliseconds> t{milliseconds{unix_ms} + minutes{offset_minutes}};
  const sys_days day = floor<days>(t);
  const year_month_day ymd{day};
  const int y = static_cast<int>(ymd.year());
  if (y < 1 || y > 9999) return std::nullopt;
  const hh_mm_ss<milliseconds> hms{t - day};
  return CivilTime{y,
                   static_cast<int>(static_cast<unsigned>(ymd.month())),
                   static_cast<int>(static_cast<unsigned>(ymd.day())),
                   static_cast<int>(hms.hours().count()),
                   static_cast<int>(hms.minutes().count()),
                   static_cast<int>(hms.seconds().count())};
}

std::string FormatDecimal(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  std::string s(buffer);
  // "-0.000" would still be a valid decimal, but it reads as a sign error.
  if (s.front() == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

}  // namespace koepel::adapters::cap::internal
