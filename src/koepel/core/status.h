// IWYU pragma: private, include "koepel/core/core.h"
// Errors at boundaries are values: Status (ok or code + message) and Result<T> (a T or a Status),
// with the std::expected-shaped API so a later move to C++23 is mechanical.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "koepel/core/check.h"

namespace koepel {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,   // malformed input: bad bytes, bad file, bad value
  kNotFound,          // a named thing does not exist
  kOutOfRange,        // a value outside its allowed range
  kFailedPrecondition,
  kUnavailable,       // an outside resource (socket, file system) failed
  kInternal,
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Prefixes context ("scenario.yaml:12: ") to the message; ok statuses stay ok.
  Status WithContext(std::string_view context) const;
  std::string ToString() const;

  friend bool operator==(const Status&, const Status&) = default;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status OkStatus() { return {}; }
inline Status InvalidArgumentError(std::string message) {
  return {StatusCode::kInvalidArgument, std::move(message)};
}
inline Status NotFoundError(std::string message) { return {StatusCode::kNotFound, std::move(message)}; }
inline Status OutOfRangeError(std::string message) { return {StatusCode::kOutOfRange, std::move(message)}; }
inline Status FailedPreconditionError(std::string message) {
  return {StatusCode::kFailedPrecondition, std::move(message)};
}
inline Status UnavailableError(std::string message) { return {StatusCode::kUnavailable, std::move(message)}; }
inline Status InternalError(std::string message) { return {StatusCode::kInternal, std::move(message)}; }

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}  // NOLINT: implicit, like std::expected
  Result(Status status) : data_(std::move(status)) {  // NOLINT
    KOEPEL_CHECK(!std::get<Status>(data_).ok(), "Result constructed from an ok Status");
  }

  bool has_value() const { return std::holds_alternative<T>(data_); }
  explicit operator bool() const { return has_value(); }

  const T& value() const& {
    KOEPEL_CHECK(has_value(), error_message_or_empty());
    return std::get<T>(data_);
  }
  T& value() & {
    KOEPEL_CHECK(has_value(), error_message_or_empty());
    return std::get<T>(data_);
  }
  T&& value() && {
    KOEPEL_CHECK(has_value(), error_message_or_empty());
    return std::get<T>(std::move(data_));
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  // The error; an ok Status when a value is held.
  Status status() const { return has_value() ? Status() : std::get<Status>(data_); }
  const Status& error() const& { return std::get<Status>(data_); }

 private:
  const char* error_message_or_empty() const {
    return has_value() ? "" : std::get<Status>(data_).message().c_str();
  }
  std::variant<T, Status> data_;
};

}  // namespace koepel

#define KOEPEL_CONCAT_INNER_(a, b) a##b
#define KOEPEL_CONCAT_(a, b) KOEPEL_CONCAT_INNER_(a, b)

#define KOEPEL_RETURN_IF_ERROR(expr)         \
  do {                                       \
    ::koepel::Status koepel_status_ = (expr); \
    if (!koepel_status_.ok()) return koepel_status_; \
  } while (false)

#define KOEPEL_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.has_value()) return tmp.error();           \
  lhs = std::move(tmp).value()

#define KOEPEL_ASSIGN_OR_RETURN(lhs, expr) \
  KOEPEL_ASSIGN_OR_RETURN_IMPL_(KOEPEL_CONCAT_(koepel_result_, __LINE__), lhs, expr)
