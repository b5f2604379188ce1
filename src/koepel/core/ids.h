// IWYU pragma: private, include "koepel/core/core.h"
// Typed integer ids: a TrackId cannot be passed where an EffectorId is meant. Things refer to each
// other by id, never by pointer, so that every domain type stays a copyable value.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <string>

namespace koepel {

template <typename Tag>
class Id {
 public:
  constexpr Id() = default;
  constexpr explicit Id(int64_t value) : value_(value) {}
  constexpr int64_t value() const { return value_; }
  constexpr bool valid() const { return value_ >= 0; }
  constexpr auto operator<=>(const Id&) const = default;
  std::string ToString() const { return std::to_string(value_); }

 private:
  int64_t value_ = -1;
};

using TrackId = Id<struct TrackIdTag>;
using DetectionId = Id<struct DetectionIdTag>;
using SensorId = Id<struct SensorIdTag>;
using EffectorId = Id<struct EffectorIdTag>;
using AssetId = Id<struct AssetIdTag>;
using EngagementId = Id<struct EngagementIdTag>;
using WarningId = Id<struct WarningIdTag>;
using ObjectId = Id<struct ObjectIdTag>;  // a true object in the simulated world

// Hands out consecutive ids; owned by whoever creates the things (no global counters).
template <typename IdType>
class IdSequence {
 public:
  explicit IdSequence(int64_t first = 1) : next_(first) {}
  IdType Next() { return IdType(next_++); }
  int64_t peek() const { return next_; }

 private:
  int64_t next_;
};

}  // namespace koepel

template <typename Tag>
struct std::hash<koepel::Id<Tag>> {
  size_t operator()(const koepel::Id<Tag>& id) const noexcept { return std::hash<int64_t>()(id.value()); }
};
