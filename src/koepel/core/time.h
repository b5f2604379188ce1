// IWYU pragma: private, include "koepel/core/core.h"
// Time is an integer: SimTime counts nanoseconds since the run's epoch, Duration nanoseconds.
// Doubles appear only at the edges (Seconds(), ToSeconds()), never in interfaces.
#pragma once

#include <compare>
#include <cstdint>
#include <string>

namespace koepel {

class Duration {
 public:
  constexpr Duration() = default;
  static constexpr Duration Nanoseconds(int64_t ns) { return Duration(ns); }
  static constexpr Duration Infinite() { return Duration(INT64_MAX); }

  constexpr int64_t nanoseconds() const { return ns_; }
  constexpr double seconds() const { return static_cast<double>(ns_) * 1e-9; }

  constexpr Duration operator+(Duration o) const { return Duration(ns_ + o.ns_); }
  constexpr Duration operator-(Duration o) const { return Duration(ns_ - o.ns_); }
  constexpr Duration operator-() const { return Duration(-ns_); }
  constexpr Duration operator*(int64_t k) const { return Duration(ns_ * k); }
  constexpr int64_t operator/(Duration o) const { return ns_ / o.ns_; }
  constexpr Duration& operator+=(Duration o) {
    ns_ += o.ns_;
    return *this;
  }
  constexpr Duration& operator-=(Duration o) {
    ns_ -= o.ns_;
    return *this;
  }
  constexpr auto operator<=>(const Duration&) const = default;

 private:
  constexpr explicit Duration(int64_t ns) : ns_(ns) {}
  int64_t ns_ = 0;
};

constexpr Duration Nanoseconds(int64_t ns) { return Duration::Nanoseconds(ns); }
constexpr Duration Milliseconds(int64_t ms) { return Duration::Nanoseconds(ms * 1'000'000); }
constexpr Duration Seconds(int64_t s) { return Duration::Nanoseconds(s * 1'000'000'000); }
// Rounds to the nearest nanosecond; for values read from files and figures.
Duration SecondsF(double s);

class SimTime {
 public:
  constexpr SimTime() = default;
  static constexpr SimTime FromNanoseconds(int64_t ns) { return SimTime(ns); }
  static constexpr SimTime Epoch() { return SimTime(0); }
  static constexpr SimTime Max() { return SimTime(INT64_MAX); }

  constexpr int64_t nanoseconds() const { return ns_; }
  constexpr double seconds() const { return static_cast<double>(ns_) * 1e-9; }

  constexpr SimTime operator+(Duration d) const { return SimTime(ns_ + d.nanoseconds()); }
  constexpr SimTime operator-(Duration d) const { return SimTime(ns_ - d.nanoseconds()); }
  constexpr Duration operator-(SimTime o) const { return Duration::Nanoseconds(ns_ - o.ns_); }
  constexpr SimTime& operator+=(Duration d) {
    ns_ += d.nanoseconds();
    return *this;
  }
  constexpr auto operator<=>(const SimTime&) const = default;

 private:
  constexpr explicit SimTime(int64_t ns) : ns_(ns) {}
  int64_t ns_ = 0;
};

SimTime SimTimeFromSeconds(double s);
// "T+123.456s", for logs and explanations.
std::string FormatSimTime(SimTime t);

}  // namespace koepel
