// Field choices follow ../shared/docs/kubernetes-api-surface.md section 5 and kubectl's
// printers (pkg/printers/internalversion/printers.go): pod STATUS is the phase, or
// Terminating once a deletion timestamp is set; node STATUS is the Ready condition plus
// SchedulingDisabled when cordoned; deployment READY is ready/desired.
#include "prescient/sim/api/objects_json.h"

#include <cstdio>
#include <map>

#include "prescient/sim/rollout.h"

namespace prescient::sim::api {
namespace {

// Stable, unique, UID-shaped: kind in the high digits, the object's id below.
std::string Uid(int kind, int64_t id) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%08x-0000-4000-8000-%012llx", static_cast<unsigned>(kind),
                static_cast<unsigned long long>(id));
  return buf;
}

// A uid from an object's name (FNV-1a): stable while an object of that name lives.
std::string NameUid(int kind, const std::string& name) {
  uint64_t h = 1469598103934665603ull;
  for (char c : name) h = (h ^ static_cast<uint8_t>(c)) * 1099511628211ull;
  return Uid(kind, static_cast<int64_t>(h & 0xffffffffffffull));
}

std::string Quantity(int millicores) {
  return millicores % 1000 == 0 ? std::to_string(millicores / 1000)
                                : std::to_string(millicores) + "m";
}

// The canonical form the API server gives a binary quantity (resource.Quantity's
// String()): the largest power-of-1024 suffix that keeps the number whole. Clients
// canonicalise what they read, so anything else would not round-trip.
std::string Bytes(int64_t bytes) {
  static constexpr const char* kSuffixes[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  size_t i = 0;
  while (bytes != 0 && bytes % 1024 == 0 && i + 1 < std::size(kSuffixes)) {
    bytes /= 1024;
    ++i;
  }
  return std::to_string(bytes) + kSuffixes[i];
}

std::string PodIp(int64_t uid) {
  return "10.244." + std::to_string((uid / 250) % 250) + "." + std::to_string(uid % 250 + 2);
}

std::string NodeIp(int id) {
  return "192.168." + std::to_string(id / 250) + "." + std::to_string(id % 250 + 10);
}

// Available: at least replicas - maxUnavailable are available (deployment controller's
// util.DeploymentComplete and its availability check). Progressing: the newest
// ReplicaSet has rolled out, or is progressing.
nlohmann::json DeploymentConditions(const Deployment& d, const DeploymentStatus& st,
                                    Timestamp since) {
  const int max_unavailable = ResolveFenceposts(d.rolling_update, d.replicas).max_unavailable;
  const bool ok = st.available_replicas >= d.replicas - max_unavailable;
  const bool complete = st.updated_replicas == d.replicas && st.replicas == d.replicas &&
                        st.available_replicas == d.replicas;
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
           {"reason", complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated"},
           {"message", "ReplicaSet \"" + d.current().name +
                           (complete ? "\" has successfully progressed." : "\" is progressing.")},
           {"lastUpdateTime", at},
           {"lastTransitionTime", at}}};
}

}  // namespace

nlohmann::json Column(std::string_view name, int priority, std::string_view format) {
  return {{"name", name},
          {"type", "string"},
          {"format", format},
          {"description", ""},
          {"priority", priority}};
}

std::string ReplicaSetName(const Deployment& deployment) { return deployment.current().name; }

std::string ReplicaSetUid(const ReplicaSet& rs) { return NameUid(5, rs.name); }

std::string DeploymentUid(const Deployment& deployment) { return NameUid(4, deployment.name); }

nlohmann::json SelectorOf(const Deployment& d) {
  if (d.selector.empty()) return {{"app", d.name}};
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [k, v] : d.selector) out[k] = v;
  return out;
}

namespace {

std::string SelectorText(const nlohmann::json& match) {
  std::string out;
  for (auto it = match.begin(); it != match.end(); ++it) {
    out += (out.empty() ? "" : ",") + it.key() + "=" + it.value().get<std::string>();
  }
  return out;
}

}  // namespace

nlohmann::json DefaultTemplate(const Deployment& d) {
  // The first ReplicaSet's template is the scenario's: its requests are those.
  const PodTemplate& pod = d.replica_sets.empty() ? d.pod : d.replica_sets.front().pod;
  return {
      {"metadata", {{"labels", SelectorOf(d)}}},
      {"spec",
       {{"containers",
         {{{"name", ContainerName(d)},
           {"image", d.placeholder ? "registry.k8s.io/pause:3.9" : "prescient/" + d.name + ":1"},
           {"resources",
            {{"requests",
              {{"cpu", Quantity(pod.cpu_request_millicores)},
               {"memory", Bytes(pod.memory_request_bytes)}}}}}}}}}}};
}

nlohmann::json TemplateOf(const Deployment& d, const ReplicaSet& rs) {
  if (!rs.template_key.empty() && rs.template_key[0] == '{') {
    nlohmann::json t = nlohmann::json::parse(rs.template_key, nullptr, false);
    if (t.is_object()) return t;
  }
  return DefaultTemplate(d);
}

namespace {

// Empty maps and lists read as absent: clients add `"resources": {}` and the like when
// they round-trip a template through their types, and it is the same template.
nlohmann::json DropEmpty(nlohmann::json v) {
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end();) {
      it.value() = DropEmpty(std::move(it.value()));
      const bool empty = it.value().is_null() ||
                         ((it.value().is_object() || it.value().is_array()) && it.value().empty());
      it = empty ? v.erase(it) : std::next(it);
    }
  } else if (v.is_array()) {
    for (nlohmann::json& e : v) e = DropEmpty(std::move(e));
  }
  return v;
}

}  // namespace

std::string TemplateKey(const Deployment& d, nlohmann::json tmpl) {
  if (tmpl.contains("metadata") && tmpl["metadata"].contains("labels") &&
      tmpl["metadata"]["labels"].is_object()) {
    tmpl["metadata"]["labels"].erase("pod-template-hash");
  }
  tmpl = DropEmpty(std::move(tmpl));
  // The first ReplicaSet's key is the deployment's name (the simulator's default).
  return tmpl == DefaultTemplate(d) ? d.name : tmpl.dump();
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
    const ReplicaSet& rs = d.replica_sets[static_cast<size_t>(p.replica_set)];
    const nlohmann::json tmpl = TemplateOf(d, rs);
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
    nlohmann::json metadata = tmpl.value("metadata", nlohmann::json::object());
    metadata["labels"]["pod-template-hash"] = rs.hash;
    metadata["name"] = p.name;
    metadata["generateName"] = rs.name + "-";
    metadata["namespace"] = kNamespace;
    metadata["uid"] = Uid(3, p.uid);
    metadata["resourceVersion"] = "1";
    metadata["creationTimestamp"] = FormatTimestamp(p.created_at);
    metadata["ownerReferences"] = {{{"apiVersion", "apps/v1"},
                                    {"kind", "ReplicaSet"},
                                    {"name", rs.name},
                                    {"uid", ReplicaSetUid(rs)},
                                    {"controller", true},
                                    {"blockOwnerDeletion", true}}};
    nlohmann::json spec = tmpl.value("spec", nlohmann::json::object());
    for (nlohmann::json& c : spec["containers"]) {
      c["resources"]["requests"] = {{"cpu", Quantity(p.spec.cpu_request_millicores)},
                                    {"memory", Bytes(p.spec.memory_request_bytes)}};
    }
    spec["priority"] = p.spec.priority;
    spec["terminationGracePeriodSeconds"] = p.spec.termination_grace_seconds;
    nlohmann::json pod = {
        {"kind", "Pod"},
        {"apiVersion", "v1"},
        {"metadata", std::move(metadata)},
        {"spec", std::move(spec)},
        {"status", {{"phase", running ? "Running" : "Pending"}, {"conditions", conditions}}}};
    if (d.placeholder) pod["spec"]["priorityClassName"] = "placeholder";
    if (!node_name.empty()) pod["spec"]["nodeName"] = node_name;
    if (running) {
      pod["status"]["startTime"] = FormatTimestamp(*p.started_at);
      pod["status"]["podIP"] = PodIp(p.uid);
    }
    if (p.deletion_at.has_value()) {
      pod["metadata"]["deletionTimestamp"] = FormatTimestamp(*p.deletion_at);
      pod["metadata"]["deletionGracePeriodSeconds"] = p.spec.termination_grace_seconds;
    }
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

namespace {

// The containers and images columns of deployments and ReplicaSets.
std::pair<std::string, std::string> ContainersAndImages(const nlohmann::json& tmpl) {
  std::string names, images;
  const nlohmann::json containers =
      tmpl.value("spec", nlohmann::json::object()).value("containers", nlohmann::json::array());
  for (const nlohmann::json& c : containers) {
    if (!c.is_object()) continue;
    names += (names.empty() ? "" : ",") + c.value("name", "");
    images += (images.empty() ? "" : ",") + c.value("image", "");
  }
  return {names, images};
}

nlohmann::json StrategyOf(const Deployment& d) {
  auto text = [](const IntOrPercent& v) {
    return v.percent ? nlohmann::json(std::to_string(v.value) + "%") : nlohmann::json(v.value);
  };
  return {{"type", "RollingUpdate"},
          {"rollingUpdate",
           {{"maxSurge", text(d.rolling_update.max_surge)},
            {"maxUnavailable", text(d.rolling_update.max_unavailable)}}}};
}

}  // namespace

KindView Deployments(const ClusterState& cluster, Timestamp started, Timestamp now) {
  KindView v;
  v.columns = {Column("Name", 0, "name"), Column("Ready"),      Column("Up-to-date"),
               Column("Available"),       Column("Age"),        Column("Containers", 1),
               Column("Images", 1),       Column("Selector", 1)};
  for (size_t i = 0; i < cluster.deployments().size(); ++i) {
    const Deployment& d = cluster.deployments()[i];
    if (d.deleted) continue;
    const DeploymentStatus st = cluster.StatusOf(static_cast<DeploymentId>(i));
    const nlohmann::json tmpl = TemplateOf(d, d.current());
    const auto [names, images] = ContainersAndImages(tmpl);
    nlohmann::json dep = {
        {"kind", "Deployment"},
        {"apiVersion", "apps/v1"},
        {"metadata",
         {{"name", d.name},
          {"namespace", kNamespace},
          {"uid", DeploymentUid(d)},
          {"resourceVersion", "1"},
          {"generation", 1},
          {"creationTimestamp", FormatTimestamp(started)},
          {"labels", d.from_api ? nlohmann::json::object() : SelectorOf(d)},
          {"annotations", {{"deployment.kubernetes.io/revision", std::to_string(d.revision())}}}}},
        {"spec",
         {{"replicas", d.replicas},
          {"revisionHistoryLimit", d.revision_history_limit},
          {"progressDeadlineSeconds", 600},
          {"strategy", StrategyOf(d)},
          {"selector", {{"matchLabels", SelectorOf(d)}}},
          {"template", tmpl}}},
        {"status",
         {{"observedGeneration", 1},
          {"replicas", st.replicas},
          {"updatedReplicas", st.updated_replicas},
          {"readyReplicas", st.ready_replicas},
          {"availableReplicas", st.available_replicas},
          {"unavailableReplicas", st.unavailable_replicas},
          {"conditions", DeploymentConditions(d, st, started)}}}};
    v.rows.push_back({d.name, std::to_string(st.ready_replicas) + "/" + std::to_string(d.replicas),
                      std::to_string(st.updated_replicas), std::to_string(st.available_replicas),
                      HumanAge(now - started), names, images, SelectorText(SelectorOf(d))});
    v.items.push_back(std::move(dep));
  }
  return v;
}

KindView ReplicaSets(const ClusterState& cluster, Timestamp started, Timestamp now) {
  KindView v;
  v.columns = {Column("Name", 0, "name"), Column("Desired"),    Column("Current"),
               Column("Ready"),           Column("Age"),        Column("Containers", 1),
               Column("Images", 1),       Column("Selector", 1)};
  for (size_t i = 0; i < cluster.deployments().size(); ++i) {
    const Deployment& d = cluster.deployments()[i];
    if (d.deleted) continue;
    for (size_t r = 0; r < d.replica_sets.size(); ++r) {
      const ReplicaSet& rs = d.replica_sets[r];
      const ReplicaSetStatus st =
          cluster.StatusOf(static_cast<DeploymentId>(i), static_cast<ReplicaSetIndex>(r));
      nlohmann::json tmpl = TemplateOf(d, rs);
      tmpl["metadata"]["labels"]["pod-template-hash"] = rs.hash;
      const nlohmann::json labels = tmpl["metadata"]["labels"];
      const auto [names, images] = ContainersAndImages(tmpl);
      const Timestamp created = rs.created_at == Timestamp{} ? started : rs.created_at;
      nlohmann::json annotations = {
          {"deployment.kubernetes.io/revision", std::to_string(rs.revision)},
          {"deployment.kubernetes.io/desired-replicas", std::to_string(d.replicas)},
          {"deployment.kubernetes.io/max-replicas",
           std::to_string(d.replicas + ResolveFenceposts(d.rolling_update, d.replicas).max_surge)}};
      if (!rs.revision_history.empty()) {
        std::string history;
        for (int h : rs.revision_history)
          history += (history.empty() ? "" : ",") + std::to_string(h);
        annotations["deployment.kubernetes.io/revision-history"] = history;
      }
      nlohmann::json match = SelectorOf(d);
      match["pod-template-hash"] = rs.hash;
      v.items.push_back({{"kind", "ReplicaSet"},
                         {"apiVersion", "apps/v1"},
                         {"metadata",
                          {{"name", rs.name},
                           {"namespace", kNamespace},
                           {"uid", ReplicaSetUid(rs)},
                           {"generation", 1},
                           {"creationTimestamp", FormatTimestamp(created)},
                           {"labels", labels},
                           {"annotations", std::move(annotations)},
                           {"ownerReferences",
                            {{{"apiVersion", "apps/v1"},
                              {"kind", "Deployment"},
                              {"name", d.name},
                              {"uid", DeploymentUid(d)},
                              {"controller", true},
                              {"blockOwnerDeletion", true}}}}}},
                         {"spec",
                          {{"replicas", rs.replicas},
                           {"selector", {{"matchLabels", match}}},
                           {"template", tmpl}}},
                         {"status",
                          {{"replicas", st.replicas},
                           {"fullyLabeledReplicas", st.fully_labeled_replicas},
                           {"readyReplicas", st.ready_replicas},
                           {"availableReplicas", st.available_replicas},
                           {"observedGeneration", 1}}}});
      v.rows.push_back({rs.name, std::to_string(rs.replicas), std::to_string(st.replicas),
                        std::to_string(st.ready_replicas), HumanAge(now - created), names, images,
                        SelectorText(match)});
    }
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
