// Field choices follow ../shared/docs/kubernetes-api-surface.md section 5 and kubectl's
// printers (pkg/printers/internalversion/printers.go): pod STATUS is the phase, or
// Terminating once a deletion timestamp is set; node STATUS is the Ready condition plus
// SchedulingDisabled when cordoned; deployment READY is ready/desired.
#include "prescient/sim/api/objects_json.h"

#include <cstdio>
#include <map>

namespace prescient::sim::api {
namespace {

// Stable, unique, UID-shaped: kind in the high digits, the object's id below.
std::string Uid(int kind, int64_t id) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%08x-0000-4000-8000-%012llx", static_cast<unsigned>(kind),
                static_cast<unsigned long long>(id));
  return buf;
}

std::string Quantity(int millicores) {
  return millicores % 1000 == 0 ? std::to_string(millicores / 1000)
                                : std::to_string(millicores) + "m";
}

std::string Bytes(int64_t bytes) { return std::to_string(bytes / 1024) + "Ki"; }

nlohmann::json Column(std::string_view name, int priority = 0, std::string_view format = "") {
  return {{"name", name},
          {"type", "string"},
          {"format", format},
          {"description", ""},
          {"priority", priority}};
}

// pod-template-hash: fixed per deployment (the template never changes in this slice).
std::string TemplateHash(const std::string& deployment) {
  uint32_t h = 2166136261u;
  for (char c : deployment) h = (h ^ static_cast<uint8_t>(c)) * 16777619u;
  static constexpr char kAlphabet[] =
      "bcdfghjklmnpqrstvwxz2456789";  // As upstream's SafeEncodeString.
  std::string s;
  for (int i = 0; i < 10; ++i) {
    s += kAlphabet[h % 27];
    h = h / 27 + 2654435761u * static_cast<uint32_t>(i + 1);
  }
  return s;
}

std::string PodIp(int64_t uid) {
  return "10.244." + std::to_string((uid / 250) % 250) + "." + std::to_string(uid % 250 + 2);
}

// Per deployment: pods that count towards its replicas, and those Ready.
std::map<DeploymentId, std::pair<int, int>> PodCounts(const ClusterState& cluster) {
  std::map<DeploymentId, std::pair<int, int>> counts;
  for (const Pod& p : cluster.pods()) {
    auto& c = counts[p.deployment];
    c.first += p.Active() ? 1 : 0;
    c.second += p.Serving() ? 1 : 0;
  }
  return counts;
}

std::string NodeIp(int id) {
  return "192.168." + std::to_string(id / 250) + "." + std::to_string(id % 250 + 10);
}

// Available: at least replicas - maxUnavailable (25%, rounded down) are available, as
// the deployment controller's util.DeploymentComplete/Available computes it.
// Progressing: the (single) ReplicaSet has rolled out.
nlohmann::json DeploymentConditions(const Deployment& d, int available, Timestamp since) {
  const int max_unavailable = d.replicas / 4;
  const bool ok = available >= d.replicas - max_unavailable;
  const std::string at = FormatTimestamp(since);
  return {{{"type", "Available"},
           {"status", ok ? "True" : "False"},
           {"reason", ok ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable"},
           {"message", ok ? "Deployment has minimum availability."
                          : "Deployment does not have minimum availability."},
           {"lastUpdateTime", at},
           {"lastTransitionTime", at}},
          {{"type", "Progressing"},
           {"status", "True"},
           {"reason", "NewReplicaSetAvailable"},
           {"message", "ReplicaSet \"" + d.name + "-" + TemplateHash(d.name) +
                           "\" has successfully progressed."},
           {"lastUpdateTime", at},
           {"lastTransitionTime", at}}};
}

}  // namespace

std::string ReplicaSetName(const Deployment& deployment) {
  return deployment.name + "-" + TemplateHash(deployment.name);
}

std::string ContainerName(const Deployment& deployment) {
  return deployment.placeholder ? "pause" : "app";
}

std::string PodUid(const Pod& pod) { return Uid(3, pod.uid); }
std::string PodIp(const Pod& pod) { return PodIp(pod.uid); }
std::string NodeIp(const Node& node) { return NodeIp(node.id); }

std::string HumanAge(Duration d) {
  int64_t s = std::max<int64_t>(0, d.count());
  if (s < 120) return std::to_string(s) + "s";
  const int64_t m = s / 60;
  if (m < 10) return std::to_string(m) + "m" + (s % 60 ? std::to_string(s % 60) + "s" : "");
  if (m < 180) return std::to_string(m) + "m";
  const int64_t h = m / 60;
  if (h < 8) return std::to_string(h) + "h" + (m % 60 ? std::to_string(m % 60) + "m" : "");
  if (h < 48) return std::to_string(h) + "h";
  if (h < 192) return std::to_string(h / 24) + "d" + (h % 24 ? std::to_string(h % 24) + "h" : "");
  if (h < 24 * 365 * 2) return std::to_string(h / 24) + "d";
  return std::to_string(h / 24 / 365) + "y";
}

KindView Namespaces(Timestamp started, Timestamp now) {
  KindView v;
  v.columns = {Column("Name", 0, "name"), Column("Status"), Column("Age")};
  int i = 0;
  for (std::string_view name : {"default", "kube-node-lease", "kube-system"}) {
    v.items.push_back({{"kind", "Namespace"},
                       {"apiVersion", "v1"},
                       {"metadata",
                        {{"name", name},
                         {"uid", Uid(1, ++i)},
                         {"resourceVersion", "1"},
                         {"creationTimestamp", FormatTimestamp(started)},
                         {"labels", {{"kubernetes.io/metadata.name", name}}}}},
                       {"spec", {{"finalizers", {"kubernetes"}}}},
                       {"status", {{"phase", "Active"}}}});
    v.rows.push_back({name, "Active", HumanAge(now - started)});
  }
  return v;
}

KindView Nodes(const ClusterState& cluster, Timestamp now) {
  KindView v;
  v.columns = {Column("Name", 0, "name"),
               Column("Status"),
               Column("Roles"),
               Column("Age"),
               Column("Version"),
               Column("Internal-IP", 1),
               Column("External-IP", 1),
               Column("OS-Image", 1),
               Column("Kernel-Version", 1),
               Column("Container-Runtime", 1)};
  for (const Node& n : cluster.nodes()) {
    if (n.deleted) continue;
    nlohmann::json taints = nlohmann::json::array();
    for (const Taint& t : n.taints) {
      taints.push_back({{"key", t.key},
                        {"effect", t.effect == TaintEffect::kNoSchedule  ? "NoSchedule"
                                   : t.effect == TaintEffect::kNoExecute ? "NoExecute"
                                                                         : "PreferNoSchedule"}});
      if (!t.value.empty()) taints.back()["value"] = t.value;
    }
    const nlohmann::json capacity = {
        {"cpu", std::to_string(n.type->vcpu)},
        {"memory", Bytes(static_cast<int64_t>(n.type->memory_gib * 1024 * 1024 * 1024))},
        {"pods", std::to_string(n.max_pods)}};
    const nlohmann::json allocatable = {{"cpu", Quantity(n.allocatable_millicores)},
                                        {"memory", Bytes(n.allocatable_memory_bytes)},
                                        {"pods", std::to_string(n.max_pods)}};
    nlohmann::json node = {
        {"kind", "Node"},
        {"apiVersion", "v1"},
        {"metadata",
         {{"name", n.name},
          {"uid", Uid(2, n.id)},
          {"resourceVersion", "1"},
          {"creationTimestamp", FormatTimestamp(n.launched_at)},
          {"labels",
           {{"kubernetes.io/hostname", n.name},
            {"kubernetes.io/os", "linux"},
            {"topology.kubernetes.io/zone", n.zone},
            {"node.kubernetes.io/instance-type", n.type->name},
            {"karpenter.sh/capacity-type",
             n.capacity_type == CapacityType::kSpot ? "spot" : "on-demand"}}}}},
        {"spec", {{"providerID", "prescient://" + n.name}}},
        {"status",
         {{"capacity", capacity},
          {"allocatable", allocatable},
          {"conditions",
           {{{"type", "Ready"},
             {"status", n.ready ? "True" : "False"},
             {"reason", n.ready ? "KubeletReady" : "KubeletNotReady"},
             {"lastTransitionTime", FormatTimestamp(n.ready ? n.ready_at : n.launched_at)}}}},
          {"addresses",
           {{{"type", "InternalIP"}, {"address", NodeIp(n.id)}},
            {{"type", "Hostname"}, {"address", n.name}}}},
          {"nodeInfo",
           {{"kubeletVersion", kKubeletVersion},
            {"osImage", "Prescient simulated node"},
            {"kernelVersion", "6.1.0"},
            {"containerRuntimeVersion", "containerd://1.7.0"},
            {"operatingSystem", "linux"},
            {"architecture", "amd64"}}}}}};
    if (n.unschedulable) node["spec"]["unschedulable"] = true;
    if (!taints.empty()) node["spec"]["taints"] = taints;
    std::string status = n.ready ? "Ready" : "NotReady";
    if (n.unschedulable) status += ",SchedulingDisabled";
    v.rows.push_back({n.name, status, "<none>", HumanAge(now - n.launched_at), kKubeletVersion,
                      NodeIp(n.id), "<none>", "Prescient simulated node", "6.1.0",
                      "containerd://1.7.0"});
    v.items.push_back(std::move(node));
  }
  return v;
}

KindView Pods(const ClusterState& cluster, Timestamp now) {
  KindView v;
  v.columns = {Column("Name", 0, "name"),
               Column("Ready"),
               Column("Status"),
               Column("Restarts"),
               Column("Age"),
               Column("IP", 1),
               Column("Node", 1),
               Column("Nominated Node", 1),
               Column("Readiness Gates", 1)};
  for (const Pod& p : cluster.pods()) {
    const Deployment& d = cluster.deployments()[static_cast<size_t>(p.deployment)];
    const std::string hash = TemplateHash(d.name);
    const bool running = p.started_at.has_value();
    const std::string node_name = p.node != kNoNode ? cluster.node(p.node).name : "";
    nlohmann::json conditions = nlohmann::json::array();
    conditions.push_back(
        {{"type", "PodScheduled"},
         {"status", p.node != kNoNode ? "True" : "False"},
         {"lastTransitionTime", FormatTimestamp(p.started_at.value_or(p.created_at))}});
    if (running) {
      conditions.push_back({{"type", "Ready"},
                            {"status", p.ready ? "True" : "False"},
                            {"lastTransitionTime", FormatTimestamp(p.ready_transition)}});
    }
    nlohmann::json pod = {
        {"kind", "Pod"},
        {"apiVersion", "v1"},
        {"metadata",
         {{"name", p.name},
          {"namespace", kNamespace},
          {"uid", Uid(3, p.uid)},
          {"resourceVersion", "1"},
          {"creationTimestamp", FormatTimestamp(p.created_at)},
          {"labels", {{"app", d.name}, {"pod-template-hash", hash}}},
          {"ownerReferences",
           {{{"apiVersion", "apps/v1"},
             {"kind", "ReplicaSet"},
             {"name", ReplicaSetName(d)},
             {"uid", Uid(5, p.deployment)},
             {"controller", true},
             {"blockOwnerDeletion", true}}}}}},
        {"spec",
         {{"containers",
           {{{"name", d.placeholder ? "pause" : "app"},
             {"image", d.placeholder ? "registry.k8s.io/pause:3.9" : "prescient/web:1"},
             {"resources",
              {{"requests",
                {{"cpu", Quantity(p.spec.cpu_request_millicores)},
                 {"memory", Bytes(p.spec.memory_request_bytes)}}}}}}}},
          {"priority", p.spec.priority},
          {"terminationGracePeriodSeconds", p.spec.termination_grace_seconds}}},
        {"status", {{"phase", running ? "Running" : "Pending"}, {"conditions", conditions}}}};
    if (d.placeholder) pod["spec"]["priorityClassName"] = "placeholder";
    if (!node_name.empty()) pod["spec"]["nodeName"] = node_name;
    if (running) {
      pod["status"]["startTime"] = FormatTimestamp(*p.started_at);
      pod["status"]["podIP"] = PodIp(p.uid);
    }
    if (p.deletion_at.has_value())
      pod["metadata"]["deletionTimestamp"] = FormatTimestamp(*p.deletion_at);
    if (p.nominated_node != kNoNode)
      pod["status"]["nominatedNodeName"] = cluster.node(p.nominated_node).name;
    const std::string status = p.deletion_at.has_value() ? "Terminating"
                               : running                 ? "Running"
                               : p.node == kNoNode       ? "Pending"
                                                         : "ContainerCreating";
    v.rows.push_back({p.name, p.ready ? "1/1" : "0/1", status, "0", HumanAge(now - p.created_at),
                      running ? PodIp(p.uid) : "<none>", node_name.empty() ? "<none>" : node_name,
                      p.nominated_node != kNoNode ? cluster.node(p.nominated_node).name : "<none>",
                      "<none>"});
    v.items.push_back(std::move(pod));
  }
  return v;
}

KindView Deployments(const ClusterState& cluster, Timestamp started, Timestamp now) {
  KindView v;
  v.columns = {Column("Name", 0, "name"), Column("Ready"),      Column("Up-to-date"),
               Column("Available"),       Column("Age"),        Column("Containers", 1),
               Column("Images", 1),       Column("Selector", 1)};
  std::map<DeploymentId, std::pair<int, int>> counts = PodCounts(cluster);
  for (size_t i = 0; i < cluster.deployments().size(); ++i) {
    const Deployment& d = cluster.deployments()[i];
    const auto [active, ready] = counts[static_cast<DeploymentId>(i)];
    const std::string image = d.placeholder ? "registry.k8s.io/pause:3.9" : "prescient/web:1";
    nlohmann::json dep = {
        {"kind", "Deployment"},
        {"apiVersion", "apps/v1"},
        {"metadata",
         {{"name", d.name},
          {"namespace", kNamespace},
          {"uid", Uid(4, static_cast<int64_t>(i))},
          {"resourceVersion", "1"},
          {"generation", 1},
          {"creationTimestamp", FormatTimestamp(started)},
          {"labels", {{"app", d.name}}}}},
        {"spec",
         {{"replicas", d.replicas},
          {"strategy",
           {{"type", "RollingUpdate"},
            {"rollingUpdate", {{"maxSurge", "25%"}, {"maxUnavailable", "25%"}}}}},
          {"selector", {{"matchLabels", {{"app", d.name}}}}},
          {"template",
           {{"metadata", {{"labels", {{"app", d.name}}}}},
            {"spec",
             {{"containers", {{{"name", d.placeholder ? "pause" : "app"}, {"image", image}}}}}}}}}},
        {"status",
         {{"observedGeneration", 1},
          {"replicas", active},
          {"updatedReplicas", active},
          {"readyReplicas", ready},
          {"availableReplicas", ready},
          {"unavailableReplicas", std::max(0, active - ready)},
          {"conditions", DeploymentConditions(d, ready, started)}}}};
    v.rows.push_back({d.name, std::to_string(ready) + "/" + std::to_string(d.replicas),
                      std::to_string(active), std::to_string(ready), HumanAge(now - started),
                      d.placeholder ? "pause" : "app", image, "app=" + d.name});
    v.items.push_back(std::move(dep));
  }
  return v;
}

KindView ReplicaSets(const ClusterState& cluster, Timestamp started, Timestamp now) {
  KindView v;
  v.columns = {Column("Name", 0, "name"), Column("Desired"),    Column("Current"),
               Column("Ready"),           Column("Age"),        Column("Containers", 1),
               Column("Images", 1),       Column("Selector", 1)};
  std::map<DeploymentId, std::pair<int, int>> counts = PodCounts(cluster);
  for (size_t i = 0; i < cluster.deployments().size(); ++i) {
    const Deployment& d = cluster.deployments()[i];
    const std::string hash = TemplateHash(d.name);
    const auto [active, ready] = counts[static_cast<DeploymentId>(i)];
    const std::string image = d.placeholder ? "registry.k8s.io/pause:3.9" : "prescient/web:1";
    const nlohmann::json labels = {{"app", d.name}, {"pod-template-hash", hash}};
    v.items.push_back(
        {{"kind", "ReplicaSet"},
         {"apiVersion", "apps/v1"},
         {"metadata",
          {{"name", ReplicaSetName(d)},
           {"namespace", kNamespace},
           {"uid", Uid(5, static_cast<int64_t>(i))},
           {"generation", 1},
           {"creationTimestamp", FormatTimestamp(started)},
           {"labels", labels},
           {"annotations", {{"deployment.kubernetes.io/revision", "1"}}},
           {"ownerReferences",
            {{{"apiVersion", "apps/v1"},
              {"kind", "Deployment"},
              {"name", d.name},
              {"uid", Uid(4, static_cast<int64_t>(i))},
              {"controller", true},
              {"blockOwnerDeletion", true}}}}}},
         {"spec",
          {{"replicas", d.replicas},
           {"selector", {{"matchLabels", labels}}},
           {"template",
            {{"metadata", {{"labels", labels}}},
             {"spec",
              {{"containers",
                {{{"name", d.placeholder ? "pause" : "app"}, {"image", image}}}}}}}}}},
         {"status",
          {{"replicas", active},
           {"fullyLabeledReplicas", active},
           {"readyReplicas", ready},
           {"availableReplicas", ready},
           {"observedGeneration", 1}}}});
    v.rows.push_back({ReplicaSetName(d), std::to_string(d.replicas), std::to_string(active),
                      std::to_string(ready), HumanAge(now - started),
                      d.placeholder ? "pause" : "app", image,
                      "app=" + d.name + ",pod-template-hash=" + hash});
  }
  return v;
}

KindView Hpas(const Simulator& sim, Timestamp started, Timestamp now) {
  KindView v;
  v.columns = {Column("Name", 0, "name"), Column("Reference"), Column("Targets"), Column("MinPods"),
               Column("MaxPods"),         Column("Replicas"),  Column("Age")};
  for (int i = 0; i < sim.service_count(); ++i) {
    const ServiceView s = sim.view(i);
    if (!s.hpa) continue;
    const Deployment& d = sim.cluster().deployments()[static_cast<size_t>(s.deployment)];
    const int target = s.hpa_spec.target_cpu_utilization_percent;
    v.items.push_back(
        {{"kind", "HorizontalPodAutoscaler"},
         {"apiVersion", "autoscaling/v2"},
         {"metadata",
          {{"name", s.name},
           {"namespace", kNamespace},
           {"uid", Uid(6, i)},
           {"creationTimestamp", FormatTimestamp(started)}}},
         {"spec",
          {{"scaleTargetRef",
            {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"name", d.name}}},
           {"minReplicas", s.hpa_spec.min_replicas},
           {"maxReplicas", s.hpa_spec.max_replicas},
           {"metrics",
            {{{"type", "Resource"},
              {"resource",
               {{"name", "cpu"},
                {"target", {{"type", "Utilization"}, {"averageUtilization", target}}}}}}}}}},
         {"status",
          {{"currentReplicas", d.replicas},
           {"desiredReplicas", d.replicas},
           {"currentMetrics",
            {{{"type", "Resource"},
              {"resource",
               {{"name", "cpu"},
                {"current", {{"averageUtilization", s.cpu_utilization_percent}}}}}}}}}}});
    v.rows.push_back(
        {s.name, "Deployment/" + d.name,
         "cpu: " + std::to_string(s.cpu_utilization_percent) + "%/" + std::to_string(target) + "%",
         std::to_string(s.hpa_spec.min_replicas), std::to_string(s.hpa_spec.max_replicas),
         std::to_string(d.replicas), HumanAge(now - started)});
  }
  return v;
}

KindView Pdbs(const Simulator& sim, Timestamp started, Timestamp now) {
  KindView v;
  v.columns = {Column("Name", 0, "name"), Column("Min Available"), Column("Max Unavailable"),
               Column("Allowed Disruptions"), Column("Age")};
  for (int i = 0; i < sim.service_count(); ++i) {
    const ServiceView s = sim.view(i);
    if (s.pdb_min_available < 0) continue;
    int healthy = 0, expected = 0;
    for (const Pod& p : sim.cluster().pods()) {
      if (p.deployment != s.deployment || !p.Active()) continue;
      ++expected;
      healthy += p.ready ? 1 : 0;
    }
    const int allowed = std::max(0, healthy - s.pdb_min_available);
    v.items.push_back({{"kind", "PodDisruptionBudget"},
                       {"apiVersion", "policy/v1"},
                       {"metadata",
                        {{"name", s.name},
                         {"namespace", kNamespace},
                         {"uid", Uid(7, i)},
                         {"generation", 1},
                         {"creationTimestamp", FormatTimestamp(started)}}},
                       {"spec",
                        {{"minAvailable", s.pdb_min_available},
                         {"selector", {{"matchLabels", {{"app", s.name}}}}}}},
                       {"status",
                        {{"observedGeneration", 1},
                         {"currentHealthy", healthy},
                         {"desiredHealthy", s.pdb_min_available},
                         {"expectedPods", expected},
                         {"disruptionsAllowed", allowed}}}});
    v.rows.push_back({s.name, std::to_string(s.pdb_min_available), "N/A", std::to_string(allowed),
                      HumanAge(now - started)});
  }
  return v;
}

}  // namespace prescient::sim::api
