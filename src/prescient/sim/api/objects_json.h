// The simulated cluster's objects as the Kubernetes API shows them: Node, Pod, Deployment
// and Namespace in their v1 / apps/v1 JSON form, and the Table rows `kubectl get` prints
// (the columns kubectl users know, with -o wide extras at priority 1). Everything is
// derived from the simulator's state at the moment of the request.
// Pure functions over a ClusterState the caller keeps still; thread-compatible.
// Tested by api_server_test.cc.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "prescient/core/time.h"
#include "prescient/sim/cluster.h"
#include "prescient/sim/simulator.h"

namespace prescient::sim::api {

inline constexpr std::string_view kNamespace = "default";
inline constexpr std::string_view kKubeletVersion = "v1.32.4";

// One listable kind: its objects as JSON, and as Table columns + rows.
struct KindView {
  nlohmann::json items = nlohmann::json::array();  // Full objects.
  nlohmann::json columns = nlohmann::json::array();
  nlohmann::json rows = nlohmann::json::array();  // One cells array per item.
};

// A Table column definition as kubectl reads it (priority 1: only with -o wide).
nlohmann::json Column(std::string_view name, int priority = 0, std::string_view format = "");

// `started`: when the cluster (and its namespaces and deployments) came to be.
KindView Namespaces(Timestamp started, Timestamp now);
KindView Nodes(const ClusterState& cluster, Timestamp now);
KindView Pods(const ClusterState& cluster, Timestamp now);
KindView Deployments(const ClusterState& cluster, Timestamp started, Timestamp now);
// Every ReplicaSet of every Deployment (the current one and its history), owned by it.
KindView ReplicaSets(const ClusterState& cluster, Timestamp started, Timestamp now);

// autoscaling/v2 HorizontalPodAutoscalers and policy/v1 PodDisruptionBudgets of the
// simulator's services.
KindView Hpas(const Simulator& sim, Timestamp started, Timestamp now);
KindView Pdbs(const Simulator& sim, Timestamp started, Timestamp now);

// Names and identities the objects above carry, for other views of the same cluster
// (the /metrics exposition) to agree with them.
// The deployment's current ReplicaSet.
std::string ReplicaSetName(const Deployment& deployment);
std::string ReplicaSetUid(const ReplicaSet& rs);
std::string DeploymentUid(const Deployment& deployment);

// Pod templates as the API shows them. The simulator knows a template by its key: the
// first ReplicaSet's is the deployment's name (DefaultTemplate), later ones are the
// canonical JSON of the template written through the API (nulls stripped, without the
// pod-template-hash label), so equal templates find the same ReplicaSet.
nlohmann::json DefaultTemplate(const Deployment& d);
// spec.selector.matchLabels.
nlohmann::json SelectorOf(const Deployment& d);
nlohmann::json TemplateOf(const Deployment& d, const ReplicaSet& rs);
std::string TemplateKey(const Deployment& d, nlohmann::json tmpl);
// The single container of the deployment's pods: "app", or "pause" for placeholders.
std::string ContainerName(const Deployment& deployment);
std::string PodUid(const Pod& pod);
std::string PodIp(const Pod& pod);
std::string NodeIp(const Node& node);

// kubectl's duration.HumanDuration: "45s", "3m10s", "17m", "5h3m", "26h", "3d4h", "40d".
std::string HumanAge(Duration d);

}  // namespace prescient::sim::api
