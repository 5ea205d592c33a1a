// AuditLog: the controller's audit trail in an SQLite file. Every change to a cluster is
// recorded (Intend) before it is made and its outcome (Complete) after; a crash in
// between leaves the record `intended`, which the next start marks `interrupted`.
// Thread-safe (one connection behind a mutex); several processes may share the file.
// Do not carry an open AuditLog across fork(). Tested by audit_log_test.cc.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "prescient/core/result.h"
#include "prescient/core/time.h"

namespace prescient::storage {

enum class AuditState { kIntended, kApplied, kFailed, kDryRun, kInterrupted };
// "intended", "applied", "failed", "dry-run", "interrupted" (also the stored form).
std::string_view AuditStateName(AuditState s);

struct AuditRecord {
  int64_t id = 0;        // Assigned by Intend (monotonic).
  Timestamp at{};        // When the decision was made (wall clock).
  std::string identity;  // Which controller instance decided (its leader-election identity).
  std::string policy;    // "namespace/name" of the PredictiveScalingPolicy.
  std::string target;    // What is changed, e.g. "default/horizontalpodautoscalers/web".
  std::string field;     // e.g. "spec.minReplicas", "spec.replicas".
  int from = 0;
  int to = 0;
  std::string reason;  // Why, for humans: forecast peak, guardrail that clipped it, ...
  AuditState state = AuditState::kIntended;
  std::string error;         // Set when failed/interrupted.
  Timestamp completed_at{};  // When the outcome was recorded; epoch while intended.
};

class AuditLog {
 public:
  // Opens or creates the database at `path` (parent directory must exist): WAL journal,
  // synchronous=FULL so a returned Intend survives a crash or power loss, a busy timeout
  // so two processes may share the file, schema versioned with PRAGMA user_version.
  // InvalidArgument naming the path for a missing directory, a file that is not SQLite or
  // an SQLite file of something else; FailedPrecondition for a newer schema version.
  static Result<std::unique_ptr<AuditLog>> Open(const std::string& path);
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Durable when it returns OK. Returns the id. The record's id, state, error and
  // completed_at are ignored: a new record is always `intended`.
  Result<int64_t> Intend(const AuditRecord& record);
  // Records the outcome of an intended record. NotFound for an unknown id; FailedPrecondition
  // if it is not in state intended; InvalidArgument if `state` is kIntended.
  Status Complete(int64_t id, AuditState state, Timestamp at, const std::string& error = "");
  // Records still `intended` (a crash between Intend and Complete), oldest first.
  Result<std::vector<AuditRecord>> Unfinished();
  // Marks every unfinished record interrupted with `error`; returns how many. The controller
  // calls it at start-up, since it re-reads the cluster's state anyway.
  Result<int> MarkInterrupted(Timestamp at, const std::string& error);
  // Newest (highest id) first, at most `limit` (>= 1, else InvalidArgument); optionally only
  // those of one policy ("" = all) and decided at or after `since`.
  Result<std::vector<AuditRecord>> Recent(int limit, const std::string& policy = "",
                                          Timestamp since = Timestamp{});

 private:
  struct Connection;  // The sqlite3 handle, its mutex and the path (audit_log.cc).
  explicit AuditLog(std::unique_ptr<Connection> connection);
  std::unique_ptr<Connection> connection_;
};

}  // namespace prescient::storage
