// Result<T>: a value or the Status saying why there is none.
// Value type, thread-compatible. Tested by status_test.cc.
#pragma once

#include <optional>
#include <utility>

#include "prescient/core/check.h"
#include "prescient/core/status.h"

namespace prescient {

template <typename T>
class [[nodiscard]] Result {
 public:
  // Implicit from a value or from a non-OK status, so `return value;` and
  // `return InvalidArgumentError(...)` both read naturally.
  Result(T value) : value_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    PRESCIENT_CHECK(!status_.ok());
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  const T& value() const& {
    PRESCIENT_CHECK(ok());
    return *value_;
  }
  T& value() & {
    PRESCIENT_CHECK(ok());
    return *value_;
  }
  T&& value() && {
    PRESCIENT_CHECK(ok());
    return std::move(*value_);
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace prescient

// Evaluates a Result; returns its status on error, else moves the value into `lhs`.
#define PRESCIENT_ASSIGN_OR_RETURN(lhs, expr) \
  PRESCIENT_ASSIGN_OR_RETURN_IMPL_(PRESCIENT_STATUS_CONCAT_(prescient_result_, __LINE__), lhs, expr)
#define PRESCIENT_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                     \
  if (!tmp.ok()) return tmp.status();                    \
  lhs = std::move(tmp).value()
