// Fills the dashboard's MemorySource (web/dashboard_data.h) from `prescient run`'s
// controller after each pass: a service per policy (id "namespace.name"), a row per pass
// with what the controller read and decided (load, forecast, replicas, HPA floor,
// placeholders; latency and errors are not known to it: null), its prediction accuracy,
// and the audit store's new records as events.
// Thread-compatible (call from the pass loop; the source is thread-safe). Tested by
// cli_test.cc (through the binary) for the flags only.
#pragma once

#include "prescient/controller/controller.h"
#include "prescient/storage/audit_log.h"
#include "prescient/web/dashboard_data.h"

namespace prescient::app {

class ControllerFeed {
 public:
  // `audit` may be null.
  ControllerFeed(web::MemorySource& source, storage::AuditLog* audit)
      : source_(source), audit_(audit) {}
  void AfterPass(const controller::Controller& controller, Timestamp now);

 private:
  web::MemorySource& source_;
  storage::AuditLog* audit_;
  int64_t last_audit_id_ = 0;
};

}  // namespace prescient::app
