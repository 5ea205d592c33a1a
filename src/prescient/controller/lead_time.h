// How long new capacity takes to serve, measured on the cluster: the median time from a
// pod's creation to its Ready condition (over the target's pods) plus the median time
// from a node's creation to its Ready condition (over the nodes). It is the default
// leadTime of a policy (MISSION.md section 2: scale up lead time = pod start-up + node
// provisioning), rounded up to the minute; without Ready pods to measure, nullopt (the
// caller falls back to 30 minutes). A node's creation is later than the provisioner's
// decision to launch it, so this is a lower bound; give spec.leadTime when it matters.
// Thread-safe (stateless). Tested by controller_integration_test.cc.
#pragma once

#include <optional>
#include <string>

#include "prescient/core/result.h"
#include "prescient/core/time.h"
#include "prescient/k8s/rest_client.h"

namespace prescient::controller {

Result<std::optional<Duration>> MeasureLeadTime(k8s::RestClient& kube, const std::string& ns,
                                                const std::string& deployment);

}  // namespace prescient::controller
