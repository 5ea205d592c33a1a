// Status: the outcome of an operation that can fail, with a canonical code (modelled
// on abseil's) and a message that gains context as it travels up.
// Value type, thread-compatible. Tested by status_test.cc.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace prescient {

// Codes say what the caller may do next: only kUnavailable, kDeadlineExceeded and
// kResourceExhausted are worth retrying (with backoff); the rest need a change of input
// or of state first.
enum class StatusCode {
  kOk = 0,
  kCancelled,
  kUnknown,
  kInvalidArgument,   // Bad input; the message names the file, line, field or flag.
  kDeadlineExceeded,  // Retry.
  kNotFound,
  kAlreadyExists,
  kPermissionDenied,
  kResourceExhausted,   // Retry after backoff (429).
  kFailedPrecondition,  // The system is not in a state for this; fix it first.
  kAborted,             // Conflict (409); re-read and retry the read-modify-write.
  kOutOfRange,
  kUnimplemented,
  kInternal,     // A broken invariant of ours.
  kUnavailable,  // Retry.
  kDataLoss,
  kUnauthenticated,
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "context: message". Keeps the code.
  Status WithContext(std::string_view context) const;
  // "CODE: message", for logs.
  std::string ToString() const;
  // True for the codes a caller may retry as they are.
  bool IsRetryable() const;

  // Explicitly discards a status (for best-effort calls); greppable.
  void IgnoreError() const {}

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status OkStatus() { return Status(); }
inline Status InvalidArgumentError(std::string m) {
  return Status(StatusCode::kInvalidArgument, std::move(m));
}
inline Status NotFoundError(std::string m) { return Status(StatusCode::kNotFound, std::move(m)); }
inline Status FailedPreconditionError(std::string m) {
  return Status(StatusCode::kFailedPrecondition, std::move(m));
}
inline Status OutOfRangeError(std::string m) {
  return Status(StatusCode::kOutOfRange, std::move(m));
}
inline Status InternalError(std::string m) { return Status(StatusCode::kInternal, std::move(m)); }
inline Status UnavailableError(std::string m) {
  return Status(StatusCode::kUnavailable, std::move(m));
}
inline Status DeadlineExceededError(std::string m) {
  return Status(StatusCode::kDeadlineExceeded, std::move(m));
}
inline Status AbortedError(std::string m) { return Status(StatusCode::kAborted, std::move(m)); }
inline Status UnimplementedError(std::string m) {
  return Status(StatusCode::kUnimplemented, std::move(m));
}

}  // namespace prescient

#define PRESCIENT_STATUS_CONCAT_INNER_(a, b) a##b
#define PRESCIENT_STATUS_CONCAT_(a, b) PRESCIENT_STATUS_CONCAT_INNER_(a, b)

// Returns the status from the enclosing function if it is not OK.
#define PRESCIENT_RETURN_IF_ERROR(expr)                    \
  do {                                                     \
    ::prescient::Status prescient_status_ = (expr);        \
    if (!prescient_status_.ok()) return prescient_status_; \
  } while (0)
