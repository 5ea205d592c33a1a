// Fills the dashboard's MemorySource (web/dashboard_data.h) from the simulator, for
// `prescient demo` and `prescient sim serve`: per-minute rows, the simulator's nodes, and
// events derived from what changed between two minutes (spec.replicas: the HPA scaled;
// the HPA floor and the placeholder pods: the predictive policy acted), with a reason.
// Thread-compatible (one feeder; the source itself is thread-safe). Tested by
// sim_feed_test.cc.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "prescient/sim/cluster.h"
#include "prescient/sim/simulator.h"
#include "prescient/web/dashboard_data.h"

namespace prescient::app {

web::MinuteRow ToMinuteRow(const sim::MinuteRecord& m, double expected, double upper);
// Live (not deleted) nodes; `cluster` names the replay they belong to.
std::vector<web::NodeInfo> ToNodeInfos(const sim::ClusterState& cluster,
                                       const std::string& cluster_name);

class SimFeed {
 public:
  explicit SimFeed(web::MemorySource& source) : source_(source) {}
  // Registers the service on its first minute (id "<name>-<policy>"), appends the row
  // and records an event for each change since the service's previous minute.
  void AddMinute(const std::string& id, const std::string& name, const std::string& policy,
                 const web::SloTarget& slo, const sim::MinuteRecord& m, double expected,
                 double upper);

 private:
  web::MemorySource& source_;
  std::map<std::string, sim::MinuteRecord> last_;
};

}  // namespace prescient::app
