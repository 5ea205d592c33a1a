// How the simulator's figures become Prometheus series.
//
// Objects. kube-state-metrics v2 (docs/metrics/workload/*.md, cluster/node-metrics.md)
// fixes the names and labels; units as upstream ("core", "byte", "integer"); boolean
// conditions as one series per status (true/false/unknown) with value 0 or 1. Object
// names, UIDs, IPs and owners come from objects_json.h, so /metrics and the API agree.
//
// Requests. The simulator counts, per service and tick, requests served and failed
// (workload.h); Simulator::traffic() keeps the running sums. Each Observe takes the
// increase since the previous Observe and splits it evenly over the service's pods that
// serve now (Ready, not terminating), as a load balancer would: served ones as
// code="200", failed ones (timed out in the backlog) as code="503". With no serving pod
// the load balancer answered: those go to a series without pod and zone labels.
//
// Latency. A tick's served requests have the latency tail of queueing.h: P(latency > x)
// = 1 below floor_s, then wait_probability * exp(-decay * (x - floor_s)). The requests
// of an interval fill bucket le=x with served * (1 - P(latency > x)), exactly for one
// tick; _sum adds served * mean, mean = floor_s + wait_probability / decay. When one
// Observe covers several ticks (speed above tick / 50 ms, i.e. about 200x with a 10 s
// tick), the whole interval takes the last tick's tail: an approximation. Failed
// requests are not observed in the histogram (they have no response time).
//
// CPU and memory. A serving pod uses its CPU request times the service's last-tick
// utilisation; a starting or terminating pod the idle fraction; a pause pod nothing.
// CPU seconds accrue at that usage over the simulated interval (again the last tick's
// figure when an interval spans several ticks). The simulator has no memory model:
// the working set is taken as 30% of the request plus 50% scaled by CPU utilisation.
//
// Series lifetime: a pod's series exist while the pod does (the API lists it), and go
// with it; the counters of those that remain only grow.
#include "prescient/sim/api/metrics_exporter.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "prescient/metrics/exposition_writer.h"
#include "prescient/sim/api/objects_json.h"

namespace prescient::sim::api {
namespace {

// Prometheus' default buckets: 5 ms to 10 s, the 0.5 s SLO among them.
constexpr std::array<double, 11> kLatencyBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                    0.5,   1,    2.5,   5,    10};
constexpr double kPauseMemoryBytes = 1 << 20;
constexpr std::array<std::string_view, 5> kPodPhases = {"Pending", "Running", "Succeeded", "Failed",
                                                        "Unknown"};

double Seconds(Timestamp t) { return static_cast<double>(t.time_since_epoch().count()); }

double MeanLatency(const LatencyTail& tail) {
  const bool queueing =
      tail.wait_probability > 0 && std::isfinite(tail.decay_per_s) && tail.decay_per_s > 0;
  return tail.floor_s + (queueing ? tail.wait_probability / tail.decay_per_s : 0);
}

struct PodRow {
  std::string name, uid, ip, node, host_ip, zone, owner, container, priority_class;
  double created_s = 0;
  bool running = false;  // Containers started: phase Running, a Ready condition.
  bool ready = false;
  double cpu_request_cores = 0;
  int64_t memory_request_bytes = 0;
  double cpu_usage_cores = 0;
  double memory_working_set_bytes = 0;
};

struct NodeRow {
  std::string name, ip, zone, instance_type, capacity_type;
  int allocatable_millicores = 0;
  int64_t allocatable_memory_bytes = 0;
  int max_pods = 0;
  bool ready = false;
  bool unschedulable = false;
  std::vector<Taint> taints;
};

struct DeploymentRow {
  std::string name, replicaset;
  int replicas = 0, active = 0, ready = 0;
};

struct HpaRow {
  std::string name;
  int min = 0, max = 0, replicas = 0, target_percent = 0, current_percent = 0;
};

struct ServiceRow {
  std::string name;
  double rps = 0;
  double over_slo = 0;  // Counter, rate convention applied.
};

struct RequestCounter {
  std::string service, pod, zone;
  double ok = 0, failed = 0;
};

struct Histogram {
  std::array<double, kLatencyBuckets.size()> buckets{};  // Cumulative, as exposed.
  double sum = 0, count = 0;
};

using Writer = metrics::ExpositionWriter;

std::string_view Bool(bool b) { return b ? "true" : "false"; }

std::string_view EffectName(TaintEffect e) {
  switch (e) {
    case TaintEffect::kNoSchedule:
      return "NoSchedule";
    case TaintEffect::kPreferNoSchedule:
      return "PreferNoSchedule";
    case TaintEffect::kNoExecute:
      return "NoExecute";
  }
  return "NoSchedule";
}

}  // namespace

std::vector<int> ServiceOfDeployments(const Simulator& sim) {
  std::vector<int> out(sim.cluster().deployments().size(), -1);
  for (int i = 0; i < sim.service_count(); ++i) {
    out[static_cast<size_t>(sim.view(i).deployment)] = i;
  }
  return out;
}

PodUsage UsageOf(const Simulator& sim, const Pod& pod, int service) {
  const Deployment& d = sim.cluster().deployments()[static_cast<size_t>(pod.deployment)];
  if (!pod.started_at.has_value()) return {};
  if (d.placeholder) return {0, kPauseMemoryBytes};
  const double utilization = pod.Serving() && service >= 0 ? sim.last_tick(service).cpu_utilization
                                                           : kDefaultIdleCpuFraction;
  return {pod.spec.cpu_request_millicores / 1000.0 * utilization,
          static_cast<double>(pod.spec.memory_request_bytes) * (0.3 + 0.5 * utilization)};
}

struct MetricsExporter::State {
  bool observed = false;
  Timestamp now{};
  std::vector<TrafficCounters> last_traffic;

  // Snapshot of the objects, for Text().
  std::vector<PodRow> pods;
  std::vector<NodeRow> nodes;
  std::vector<DeploymentRow> deployments;
  std::vector<HpaRow> hpas;
  std::vector<ServiceRow> services;

  // Counters, rate convention applied. Keyed by (service, pod); pod "" is the load
  // balancer's own answers when no pod served.
  std::map<std::pair<std::string, std::string>, RequestCounter> requests;
  std::map<std::pair<std::string, std::string>, Histogram> latency;  // (service, zone)
  std::map<std::string, double> cpu_seconds;                         // By pod.

  void Snapshot(const Simulator& sim, const std::vector<int>& service_of);
  void CountRequests(const Simulator& sim, int service, double speed);
  void AccrueCpu(double wall_s);
  void ForgetGonePods();
  void Render(Writer& w, double speed) const;
  void RenderWorkload(Writer& w) const;
};

MetricsExporter::MetricsExporter(double speed) : speed_(speed), state_(std::make_unique<State>()) {}

MetricsExporter::~MetricsExporter() = default;

void MetricsExporter::Observe(const Simulator& sim) {
  std::lock_guard<std::mutex> lock(mu_);
  State& s = *state_;
  const std::vector<int> service_of = ServiceOfDeployments(sim);
  const double wall_s = s.observed ? Seconds(sim.Now()) - Seconds(s.now) : 0;
  s.Snapshot(sim, service_of);
  if (!s.observed) {
    s.last_traffic.clear();
    for (int i = 0; i < sim.service_count(); ++i) s.last_traffic.push_back(sim.traffic(i));
    s.observed = true;
  }
  for (int i = 0; i < sim.service_count(); ++i) s.CountRequests(sim, i, speed_);
  s.AccrueCpu(wall_s / speed_);
  s.ForgetGonePods();
}

void MetricsExporter::State::Snapshot(const Simulator& sim, const std::vector<int>& service_of) {
  const ClusterState& cluster = sim.cluster();
  now = sim.Now();
  services.resize(static_cast<size_t>(sim.service_count()));
  for (int i = 0; i < sim.service_count(); ++i) {
    ServiceRow& row = services[static_cast<size_t>(i)];
    row.name = sim.view(i).name;
    row.rps = sim.last_tick(i).arrived / static_cast<double>(sim.tick().count());
  }
  pods.clear();
  for (const Pod& p : cluster.pods()) {
    const Deployment& d = cluster.deployments()[static_cast<size_t>(p.deployment)];
    PodRow row;
    row.name = p.name;
    row.uid = PodUid(p);
    row.owner = d.replica_sets[static_cast<size_t>(p.replica_set)].name;
    row.container = ContainerName(d);
    row.priority_class = d.placeholder ? "placeholder" : "";
    row.created_s = Seconds(p.created_at);
    row.running = p.started_at.has_value();
    row.ready = p.ready;
    row.cpu_request_cores = p.spec.cpu_request_millicores / 1000.0;
    row.memory_request_bytes = p.spec.memory_request_bytes;
    if (p.node != kNoNode) {
      const Node& n = cluster.node(p.node);
      row.node = n.name;
      row.zone = n.zone;
    }
    if (row.running) {
      row.ip = PodIp(p);
      if (p.node != kNoNode) row.host_ip = NodeIp(cluster.node(p.node));
      const PodUsage usage = UsageOf(sim, p, service_of[static_cast<size_t>(p.deployment)]);
      row.cpu_usage_cores = usage.cpu_cores;
      row.memory_working_set_bytes = usage.memory_bytes;
    }
    pods.push_back(std::move(row));
  }
  nodes.clear();
  for (const Node& n : cluster.nodes()) {
    if (n.deleted) continue;
    NodeRow row;
    row.name = n.name;
    row.ip = NodeIp(n);
    row.zone = n.zone;
    row.instance_type = n.type != nullptr ? n.type->name : "";
    row.capacity_type = n.capacity_type == CapacityType::kSpot ? "spot" : "on-demand";
    row.allocatable_millicores = n.allocatable_millicores;
    row.allocatable_memory_bytes = n.allocatable_memory_bytes;
    row.max_pods = n.max_pods;
    row.ready = n.ready;
    row.unschedulable = n.unschedulable;
    row.taints = n.taints;
    nodes.push_back(std::move(row));
  }
  deployments.clear();
  for (const Deployment& d : cluster.deployments()) {
    // A deleted deployment keeps its row (rows are indexed by id) but no name: unexported.
    deployments.push_back({d.deleted ? "" : d.name, ReplicaSetName(d), d.replicas, 0, 0});
  }
  for (const Pod& p : cluster.pods()) {
    DeploymentRow& row = deployments[static_cast<size_t>(p.deployment)];
    row.active += p.Active() ? 1 : 0;
    row.ready += p.Serving() ? 1 : 0;
  }
  hpas.clear();
  for (int i = 0; i < sim.service_count(); ++i) {
    const ServiceView v = sim.view(i);
    if (!v.hpa) continue;
    hpas.push_back({v.name, v.hpa_spec.min_replicas, v.hpa_spec.max_replicas,
                    cluster.deployments()[static_cast<size_t>(v.deployment)].replicas,
                    v.hpa_spec.target_cpu_utilization_percent, v.cpu_utilization_percent});
  }
}

void MetricsExporter::State::CountRequests(const Simulator& sim, int service, double speed) {
  const auto i = static_cast<size_t>(service);
  const TrafficCounters& total = sim.traffic(service);
  TrafficCounters& last = last_traffic[i];
  const double served = (total.served - last.served) / speed;
  const double failed = (total.failed - last.failed) / speed;
  services[i].over_slo += (total.over_slo - last.over_slo) / speed;
  last = total;

  const ServiceView view = sim.view(service);
  std::vector<const Pod*> serving;
  for (const Pod& p : sim.cluster().pods()) {
    if (p.deployment == view.deployment && p.Serving() && p.node != kNoNode) serving.push_back(&p);
  }
  if (serving.empty()) {
    RequestCounter& c = requests[{view.name, ""}];
    c.service = view.name;
    c.ok += served;
    c.failed += failed;
    return;
  }
  const double share = 1.0 / static_cast<double>(serving.size());
  const LatencyTail& tail = sim.last_tick(service).tail;
  const double mean = MeanLatency(tail);
  for (const Pod* p : serving) {
    const std::string& zone = sim.cluster().node(p->node).zone;
    RequestCounter& c = requests[{view.name, p->name}];
    c.service = view.name;
    c.pod = p->name;
    c.zone = zone;
    c.ok += served * share;
    c.failed += failed * share;
    Histogram& h = latency[{view.name, zone}];
    const double n = served * share;
    for (size_t b = 0; b < kLatencyBuckets.size(); ++b) {
      h.buckets[b] += n * (1 - tail.Exceeds(kLatencyBuckets[b]));
    }
    h.sum += n * mean;
    h.count += n;
  }
}

void MetricsExporter::State::AccrueCpu(double wall_s) {
  for (const PodRow& p : pods) {
    if (p.running) cpu_seconds[p.name] += p.cpu_usage_cores * wall_s;
  }
}

void MetricsExporter::State::ForgetGonePods() {
  std::set<std::string_view> present;
  for (const PodRow& p : pods) present.insert(p.name);
  std::erase_if(requests, [&](const auto& kv) {
    return !kv.first.second.empty() && !present.count(kv.first.second);
  });
  std::erase_if(cpu_seconds, [&](const auto& kv) { return !present.count(kv.first); });
}

std::string MetricsExporter::Text() const {
  std::lock_guard<std::mutex> lock(mu_);
  Writer w;
  state_->Render(w, speed_);
  return w.Take();
}

void MetricsExporter::State::Render(Writer& w, double speed) const {
  const std::string ns(kNamespace);
  using L = Writer::Labels;

  // Deployments.
  auto per_deployment = [&](std::string_view name, std::string_view help, auto value) {
    w.Family(name, "gauge", help);
    for (const DeploymentRow& d : deployments) {
      if (d.name.empty()) continue;
      w.Sample(name, L{{"namespace", ns}, {"deployment", d.name}}, value(d));
    }
  };
  per_deployment("kube_deployment_spec_replicas", "Number of desired pods for a deployment.",
                 [](const DeploymentRow& d) { return d.replicas; });
  per_deployment("kube_deployment_status_replicas", "The number of replicas per deployment.",
                 [](const DeploymentRow& d) { return d.active; });
  per_deployment("kube_deployment_status_replicas_available",
                 "The number of available replicas per deployment.",
                 [](const DeploymentRow& d) { return d.ready; });
  // As the deployment controller computes it: desired minus available, at least 0.
  per_deployment("kube_deployment_status_replicas_unavailable",
                 "The number of unavailable replicas per deployment.",
                 [](const DeploymentRow& d) { return std::max(0, d.replicas - d.ready); });
  per_deployment("kube_deployment_status_replicas_updated",
                 "The number of updated replicas per deployment.",
                 [](const DeploymentRow& d) { return d.active; });
  per_deployment("kube_deployment_status_replicas_ready",
                 "The number of ready replicas per deployment.",
                 [](const DeploymentRow& d) { return d.ready; });
  per_deployment("kube_deployment_metadata_generation",
                 "Sequence number representing a specific generation of the desired state.",
                 [](const DeploymentRow&) { return 1; });
  per_deployment("kube_deployment_status_observed_generation",
                 "The generation observed by the deployment controller.",
                 [](const DeploymentRow&) { return 1; });

  // ReplicaSets: one per Deployment.
  auto per_replicaset = [&](std::string_view name, std::string_view help, auto value) {
    w.Family(name, "gauge", help);
    for (const DeploymentRow& d : deployments) {
      if (d.name.empty()) continue;
      w.Sample(name, L{{"namespace", ns}, {"replicaset", d.replicaset}}, value(d));
    }
  };
  per_replicaset("kube_replicaset_spec_replicas", "Number of desired pods for a ReplicaSet.",
                 [](const DeploymentRow& d) { return d.replicas; });
  per_replicaset("kube_replicaset_status_replicas", "The number of replicas per ReplicaSet.",
                 [](const DeploymentRow& d) { return d.active; });
  per_replicaset("kube_replicaset_status_ready_replicas",
                 "The number of ready replicas per ReplicaSet.",
                 [](const DeploymentRow& d) { return d.ready; });
  w.Family("kube_replicaset_owner", "gauge", "Information about the ReplicaSet's owner.");
  for (const DeploymentRow& d : deployments) {
    if (d.name.empty()) continue;
    w.Sample("kube_replicaset_owner",
             L{{"namespace", ns},
               {"replicaset", d.replicaset},
               {"owner_kind", "Deployment"},
               {"owner_name", d.name},
               {"owner_is_controller", "true"}},
             1);
  }

  // Pods.
  w.Family("kube_pod_info", "gauge", "Information about pod.");
  for (const PodRow& p : pods) {
    w.Sample("kube_pod_info",
             L{{"namespace", ns},
               {"pod", p.name},
               {"uid", p.uid},
               {"host_ip", p.host_ip},
               {"pod_ip", p.ip},
               {"node", p.node},
               {"created_by_kind", "ReplicaSet"},
               {"created_by_name", p.owner},
               {"priority_class", p.priority_class},
               {"host_network", "false"}},
             1);
  }
  w.Family("kube_pod_owner", "gauge", "Information about the Pod's owner.");
  for (const PodRow& p : pods) {
    w.Sample("kube_pod_owner",
             L{{"namespace", ns},
               {"pod", p.name},
               {"uid", p.uid},
               {"owner_kind", "ReplicaSet"},
               {"owner_name", p.owner},
               {"owner_is_controller", "true"}},
             1);
  }
  w.Family("kube_pod_created", "gauge", "Unix creation timestamp.");
  for (const PodRow& p : pods) {
    w.Sample("kube_pod_created", L{{"namespace", ns}, {"pod", p.name}, {"uid", p.uid}},
             p.created_s);
  }
  w.Family("kube_pod_status_phase", "gauge", "The pods current phase.");
  for (const PodRow& p : pods) {
    const std::string_view phase = p.running ? "Running" : "Pending";
    for (std::string_view candidate : kPodPhases) {
      w.Sample("kube_pod_status_phase",
               L{{"namespace", ns}, {"pod", p.name}, {"uid", p.uid}, {"phase", candidate}},
               candidate == phase ? 1 : 0);
    }
  }
  // Only pods whose containers started have a Ready condition (as the API shows them).
  w.Family("kube_pod_status_ready", "gauge",
           "Describes whether the pod is ready to serve requests.");
  for (const PodRow& p : pods) {
    if (!p.running) continue;
    for (std::string_view condition : {"true", "false", "unknown"}) {
      w.Sample("kube_pod_status_ready",
               L{{"namespace", ns}, {"pod", p.name}, {"uid", p.uid}, {"condition", condition}},
               condition == Bool(p.ready) ? 1 : 0);
    }
  }
  w.Family("kube_pod_container_resource_requests", "gauge",
           "The number of requested request resource by a container.");
  for (const PodRow& p : pods) {
    const L base = {{"namespace", ns},
                    {"pod", p.name},
                    {"uid", p.uid},
                    {"container", p.container},
                    {"node", p.node}};
    L cpu = base, memory = base;
    cpu.insert(cpu.end(), {{"resource", "cpu"}, {"unit", "core"}});
    memory.insert(memory.end(), {{"resource", "memory"}, {"unit", "byte"}});
    w.Sample("kube_pod_container_resource_requests", cpu, p.cpu_request_cores);
    w.Sample("kube_pod_container_resource_requests", memory,
             static_cast<double>(p.memory_request_bytes));
  }

  // Nodes (the values objects_json.cc's nodeInfo carries).
  w.Family("kube_node_info", "gauge", "Information about a cluster node.");
  for (const NodeRow& n : nodes) {
    const std::string provider = "prescient://" + n.name;
    w.Sample("kube_node_info",
             L{{"node", n.name},
               {"kernel_version", "6.1.0"},
               {"os_image", "Prescient simulated node"},
               {"container_runtime_version", "containerd://1.7.0"},
               {"kubelet_version", kKubeletVersion},
               {"kubeproxy_version", ""},
               {"provider_id", provider},
               {"pod_cidr", ""},
               {"system_uuid", ""},
               {"internal_ip", n.ip}},
             1);
  }
  // Label names sanitised as kube-state-metrics does: every invalid character becomes _.
  w.Family("kube_node_labels", "gauge", "Kubernetes labels converted to Prometheus labels.");
  for (const NodeRow& n : nodes) {
    w.Sample("kube_node_labels",
             L{{"node", n.name},
               {"label_karpenter_sh_capacity_type", n.capacity_type},
               {"label_kubernetes_io_hostname", n.name},
               {"label_kubernetes_io_os", "linux"},
               {"label_node_kubernetes_io_instance_type", n.instance_type},
               {"label_topology_kubernetes_io_zone", n.zone}},
             1);
  }
  w.Family("kube_node_status_allocatable", "gauge",
           "The amount of resources allocatable for pods (after reserving some for system "
           "daemons).");
  for (const NodeRow& n : nodes) {
    w.Sample("kube_node_status_allocatable",
             L{{"node", n.name}, {"resource", "cpu"}, {"unit", "core"}},
             n.allocatable_millicores / 1000.0);
    w.Sample("kube_node_status_allocatable",
             L{{"node", n.name}, {"resource", "memory"}, {"unit", "byte"}},
             static_cast<double>(n.allocatable_memory_bytes));
    w.Sample("kube_node_status_allocatable",
             L{{"node", n.name}, {"resource", "pods"}, {"unit", "integer"}}, n.max_pods);
  }
  w.Family("kube_node_status_condition", "gauge", "The condition of a cluster node.");
  for (const NodeRow& n : nodes) {
    for (std::string_view status : {"true", "false", "unknown"}) {
      w.Sample("kube_node_status_condition",
               L{{"node", n.name}, {"condition", "Ready"}, {"status", status}},
               status == Bool(n.ready) ? 1 : 0);
    }
  }
  w.Family("kube_node_spec_unschedulable", "gauge", "Whether a node can schedule new pods.");
  for (const NodeRow& n : nodes) {
    w.Sample("kube_node_spec_unschedulable", L{{"node", n.name}}, n.unschedulable ? 1 : 0);
  }
  w.Family("kube_node_spec_taint", "gauge", "The taint of a cluster node.");
  for (const NodeRow& n : nodes) {
    std::set<std::tuple<std::string, std::string, std::string_view>> seen;  // No duplicates.
    for (const Taint& t : n.taints) {
      if (!seen.insert({t.key, t.value, EffectName(t.effect)}).second) continue;
      w.Sample(
          "kube_node_spec_taint",
          L{{"node", n.name}, {"key", t.key}, {"value", t.value}, {"effect", EffectName(t.effect)}},
          1);
    }
  }

  // HorizontalPodAutoscalers.
  auto per_hpa = [&](std::string_view name, std::string_view help, auto value) {
    w.Family(name, "gauge", help);
    for (const HpaRow& h : hpas) {
      w.Sample(name, L{{"namespace", ns}, {"horizontalpodautoscaler", h.name}}, value(h));
    }
  };
  per_hpa("kube_horizontalpodautoscaler_spec_min_replicas",
          "Lower limit for the number of pods that can be set by the autoscaler, default 1.",
          [](const HpaRow& h) { return h.min; });
  per_hpa("kube_horizontalpodautoscaler_spec_max_replicas",
          "Upper limit for the number of pods that can be set by the autoscaler.",
          [](const HpaRow& h) { return h.max; });
  per_hpa("kube_horizontalpodautoscaler_status_current_replicas",
          "Current number of replicas of pods managed by this autoscaler.",
          [](const HpaRow& h) { return h.replicas; });
  per_hpa("kube_horizontalpodautoscaler_status_desired_replicas",
          "Desired number of replicas of pods managed by this autoscaler.",
          [](const HpaRow& h) { return h.replicas; });
  for (const auto& [name, help, current] :
       {std::tuple{"kube_horizontalpodautoscaler_spec_target_metric",
                   "The metric specifications used by this autoscaler when calculating the "
                   "desired replica count.",
                   false},
        std::tuple{"kube_horizontalpodautoscaler_status_target_metric",
                   "The current metric status used by this autoscaler when calculating the "
                   "desired replica count.",
                   true}}) {
    w.Family(name, "gauge", help);
    for (const HpaRow& h : hpas) {
      w.Sample(name,
               L{{"namespace", ns},
                 {"horizontalpodautoscaler", h.name},
                 {"metric_name", "cpu"},
                 {"metric_target_type", "utilization"}},
               current ? h.current_percent : h.target_percent);
    }
  }

  RenderWorkload(w);

  // The simulator's own gauges and counters.
  w.Family("prescient_sim_time_seconds", "gauge", "The simulated clock, in unix seconds.");
  w.Sample("prescient_sim_time_seconds", {}, Seconds(now));
  w.Family("prescient_sim_speed", "gauge", "Simulated seconds per wall-clock second.");
  w.Sample("prescient_sim_speed", {}, speed);
  w.Family("prescient_sim_requests_per_second", "gauge",
           "Simulated request rate of a service over its last tick.");
  for (const ServiceRow& s : services) {
    w.Sample("prescient_sim_requests_per_second", L{{"service", s.name}}, s.rps);
  }
  w.Family("prescient_sim_requests_over_slo_total", "counter",
           "Requests served slower than the latency SLO (scaled by 1/speed, as all counters).");
  for (const ServiceRow& s : services) {
    w.Sample("prescient_sim_requests_over_slo_total", L{{"service", s.name}}, s.over_slo);
  }
}

void MetricsExporter::State::RenderWorkload(Writer& w) const {
  const std::string ns(kNamespace);
  using L = Writer::Labels;
  w.Family("http_requests_total", "counter",
           "HTTP requests answered, by pod (none: answered by the load balancer) and code.");
  for (const auto& [key, c] : requests) {
    for (const auto& [code, value] : {std::pair{"200", c.ok}, std::pair{"503", c.failed}}) {
      if (c.pod.empty()) {
        w.Sample("http_requests_total",
                 L{{"namespace", ns}, {"service", c.service}, {"code", code}}, value);
      } else {
        w.Sample("http_requests_total",
                 L{{"namespace", ns},
                   {"service", c.service},
                   {"pod", c.pod},
                   {"zone", c.zone},
                   {"code", code}},
                 value);
      }
    }
  }
  w.Family("http_request_duration_seconds", "histogram",
           "Response time of the requests served, from the simulator's latency model.");
  for (const auto& [key, h] : latency) {
    const L base = {{"namespace", ns}, {"service", key.first}, {"zone", key.second}};
    for (size_t b = 0; b < kLatencyBuckets.size(); ++b) {
      const std::string le = Writer::Number(kLatencyBuckets[b]);
      L labels = base;
      labels.emplace_back("le", le);
      w.Sample("http_request_duration_seconds_bucket", labels, h.buckets[b]);
    }
    L inf = base;
    inf.emplace_back("le", "+Inf");
    w.Sample("http_request_duration_seconds_bucket", inf, h.count);
    w.Sample("http_request_duration_seconds_sum", base, h.sum);
    w.Sample("http_request_duration_seconds_count", base, h.count);
  }
  w.Family("container_cpu_usage_seconds_total", "counter",
           "Cumulative CPU time consumed, in core-seconds.");
  for (const PodRow& p : pods) {
    auto it = cpu_seconds.find(p.name);
    if (!p.running || it == cpu_seconds.end()) continue;
    w.Sample("container_cpu_usage_seconds_total",
             L{{"namespace", ns}, {"pod", p.name}, {"container", p.container}, {"zone", p.zone}},
             it->second);
  }
  w.Family("container_memory_working_set_bytes", "gauge", "Current working set, in bytes.");
  for (const PodRow& p : pods) {
    if (!p.running) continue;
    w.Sample("container_memory_working_set_bytes",
             L{{"namespace", ns}, {"pod", p.name}, {"container", p.container}, {"zone", p.zone}},
             p.memory_working_set_bytes);
  }
}

}  // namespace prescient::sim::api
