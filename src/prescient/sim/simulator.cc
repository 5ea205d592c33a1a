// The tick, in order (each step sees what the previous one did):
//   1. kubelets and the deployment controller (cluster.h): readiness, terminations,
//      nodes turning Ready, spot reclaims, pods created or deleted to match replicas;
//   2. the scheduler binds what fits, preempting placeholders (scheduler.h);
//   3. the provisioner launches nodes for what does not fit, removes empty nodes and
//      plays spot notices (provisioner.h);
//   4. every HPA sync period (15 s), each HPA reads its pods' CPU as metrics-server
//      would (the mean over the last 30 s window) and sets spec.replicas
//      (scaling/hpa_controller.h);
//   5. traffic: each service's rate at the tick's midpoint meets its ready pods
//      (workload.h); minutes are closed and judged against the SLO.
// Costs accrue per tick: every launched node bills from launch to deletion (EC2 bills
// while the instance boots), pods count from binding to release.
#include "prescient/sim/simulator.h"

#include <algorithm>
#include <cmath>

#include "prescient/sim/scheduler.h"

namespace prescient::sim {

class Simulator::Service final : public scaling::ScalingTarget {
 public:
  Service(Simulator* sim, ServiceSpec spec, DeploymentId app, DeploymentId placeholder)
      : sim_(sim),
        spec_(std::move(spec)),
        app_(app),
        placeholder_(placeholder),
        model_(spec_.workload),
        hpa_(sim->options_.hpa) {
    const Timestamp from = std::chrono::floor<std::chrono::minutes>(spec_.trace.start());
    minute_rates_ = spec_.trace.MinuteRates(from, spec_.trace.end());
    // metrics-server's window: the mean CPU over the last 30 s.
    const int64_t window = std::max<int64_t>(1, 30 / sim->options_.tick.count());
    cpu_ring_.assign(static_cast<size_t>(window), 0.0);
  }

  // ScalingTarget.
  Timestamp Now() const override { return sim_->now_; }
  Series LoadHistory(Duration lookback) const override {
    const Timestamp end = std::chrono::floor<std::chrono::minutes>(sim_->now_);
    const Timestamp begin = end - lookback;
    const Timestamp s = minute_rates_.start();
    auto index = [&](Timestamp t) {
      const int64_t i = (t - s).count() / 60;
      return static_cast<size_t>(
          std::clamp<int64_t>(i, 0, static_cast<int64_t>(minute_rates_.size())));
    };
    return minute_rates_.Slice(index(begin), index(end));
  }
  int Replicas() const override {
    return sim_->cluster_.deployments()[static_cast<size_t>(app_)].replicas;
  }
  int ReadyReplicas() const override { return sim_->cluster_.ReadyPods(app_); }
  bool HasHpa() const override { return spec_.hpa; }
  int HpaMinReplicas() const override { return spec_.hpa ? spec_.hpa_spec.min_replicas : 0; }
  Status SetHpaMinReplicas(int replicas) override {
    if (!spec_.hpa) return FailedPreconditionError(spec_.name + ": has no HorizontalPodAutoscaler");
    // The API server rejects minReplicas > maxReplicas; clamp rather than fail the tick.
    spec_.hpa_spec.min_replicas = std::clamp(replicas, 1, spec_.hpa_spec.max_replicas);
    return OkStatus();
  }
  Status SetReplicas(int replicas) override {
    if (replicas < 0) return InvalidArgumentError(spec_.name + ": replicas must be >= 0");
    sim_->cluster_.deployment(app_).replicas = replicas;
    return OkStatus();
  }
  Status SetPlaceholderReplicas(int replicas) override {
    if (replicas < 0)
      return InvalidArgumentError(spec_.name + ": placeholder replicas must be >= 0");
    sim_->cluster_.deployment(placeholder_).replicas = replicas;
    return OkStatus();
  }

  void SyncHpa(Timestamp now, std::span<const Pod* const> pods) {
    if (!spec_.hpa) return;
    const double cpu = MeanCpu();
    hpa_pods_.clear();
    for (const Pod* p : pods) {
      scaling::HpaPod h;
      h.name = p->name;
      h.phase = p->started_at.has_value() ? scaling::HpaPod::Phase::kRunning
                                          : scaling::HpaPod::Phase::kPending;
      h.deleting = p->deletion_at.has_value();
      h.has_start_time = p->started_at.has_value();
      if (h.has_start_time) h.start_time = *p->started_at;
      h.has_ready_condition = p->started_at.has_value();
      h.ready = p->ready;
      h.ready_transition = p->ready_transition;
      h.cpu_request_millicores = p->spec.cpu_request_millicores;
      // metrics-server has a sample once a scrape (15 s) has seen the running container.
      h.has_metric = p->started_at.has_value() && now - *p->started_at >= Duration(15);
      const double util = p->ready ? cpu : spec_.workload.idle_cpu_fraction;
      h.cpu_usage_millicores = util * p->spec.cpu_request_millicores;
      h.metric_timestamp = now;
      h.metric_window = Duration(30);
      hpa_pods_.push_back(std::move(h));
    }
    auto& d = sim_->cluster_.deployment(app_);
    const scaling::HpaDecision decision =
        hpa_.Reconcile(now, spec_.hpa_spec, d.replicas, hpa_pods_);
    if (decision.rescale) d.replicas = decision.desired_replicas;
  }

  void Traffic(double dt_s, int ready) {
    const double mid = static_cast<double>(sim_->now_.time_since_epoch().count()) + dt_s / 2;
    const TickOutcome out = model_.Step(spec_.trace.RateAt(mid), ready, dt_s, slo().p99_s);
    minute_.Add(out, dt_s);
    traffic_.arrived += out.arrived;
    traffic_.served += out.served;
    traffic_.failed += out.failed;
    traffic_.over_slo += out.over_slo;
    last_tick_ = out;
    cpu_ring_[ring_pos_] = ready > 0 ? out.cpu_utilization : 0;
    ring_pos_ = (ring_pos_ + 1) % cpu_ring_.size();
  }

  void CloseMinute(Timestamp minute_start, int ready, bool scoring) {
    MinuteRecord r;
    r.time = minute_start;
    r.stats = minute_.Finish();
    r.replicas = Replicas();
    r.ready = ready;
    r.hpa_min = HpaMinReplicas();
    r.placeholders = sim_->cluster_.deployments()[static_cast<size_t>(placeholder_)].replicas;
    r.slo_violation = r.stats.p99_s > slo().p99_s || r.stats.error_rate > slo().error_rate;
    last_minute_ = r;
    if (!scoring) return;
    ++totals_.minutes;
    totals_.slo_violation_minutes += r.slo_violation ? 1 : 0;
    totals_.requests += r.stats.arrived;
    totals_.failed_requests += r.stats.failed;
    totals_.slow_requests += r.stats.over_slo;
    if (r.stats.arrived > 0) {
      totals_.cpu_utilization_sum += r.stats.cpu_utilization;
      ++totals_.cpu_minutes;
    }
    if (sim_->options_.record_minutes) records_.push_back(r);
  }

  void CountScaleEvent(bool scoring) {
    const int r = Replicas();
    if (r != last_replicas_ && scoring) ++totals_.scale_events;
    last_replicas_ = r;
  }

  // What an API write of the HorizontalPodAutoscaler or the PodDisruptionBudget changes.
  void SetHpaSpec(const scaling::HpaSpec& hpa) { spec_.hpa_spec = hpa; }
  void SetPdbMinAvailable(int min_available) {
    spec_.pdb_min_available = min_available;
    sim_->cluster_.deployment(app_).pdb_min_available = min_available;
  }
  ServiceView View() const {
    ServiceView v;
    v.name = spec_.name;
    v.deployment = app_;
    v.hpa = spec_.hpa;
    v.hpa_spec = spec_.hpa_spec;
    v.cpu_utilization_percent = static_cast<int>(std::lround(100 * MeanCpu()));
    v.pdb_min_available = spec_.pdb_min_available;
    return v;
  }
  const SloOptions& slo() const { return spec_.slo ? *spec_.slo : sim_->options_.slo; }
  // What metrics-server reports: the mean over its window.
  double MeanCpu() const {
    double cpu = 0;
    for (double c : cpu_ring_) cpu += c;
    return cpu / static_cast<double>(cpu_ring_.size());
  }
  DeploymentId app() const { return app_; }
  DeploymentId placeholder() const { return placeholder_; }
  ServiceTotals& totals() { return totals_; }
  const std::vector<MinuteRecord>& records() const { return records_; }
  const MinuteRecord& last_minute() const { return last_minute_; }
  const TrafficCounters& traffic() const { return traffic_; }
  const TickOutcome& last_tick() const { return last_tick_; }

 private:
  Simulator* sim_;
  ServiceSpec spec_;
  DeploymentId app_;
  DeploymentId placeholder_;
  ServiceModel model_;
  MinuteAccumulator minute_;
  scaling::HpaController hpa_;
  std::vector<scaling::HpaPod> hpa_pods_;
  Series minute_rates_;
  std::vector<double> cpu_ring_;
  size_t ring_pos_ = 0;
  int last_replicas_ = -1;
  ServiceTotals totals_;
  std::vector<MinuteRecord> records_;
  MinuteRecord last_minute_;
  TrafficCounters traffic_;
  TickOutcome last_tick_;
};

Simulator::Simulator(SimulatorOptions options, Timestamp start)
    : options_(std::move(options)),
      now_(start),
      clock_(start),
      next_hpa_sync_(start),
      cluster_(options_.cluster, options_.seed) {}

Simulator::~Simulator() = default;

Result<std::unique_ptr<Simulator>> Simulator::Create(SimulatorOptions options,
                                                     std::vector<ServiceSpec> services,
                                                     Timestamp start) {
  if (services.empty()) return InvalidArgumentError("simulator: no service to run");
  if (options.tick.count() <= 0 || 60 % options.tick.count() != 0) {
    return InvalidArgumentError("simulator: the tick must divide a minute (got " +
                                FormatDuration(options.tick) + ")");
  }
  if (options.cluster.zones.empty()) return InvalidArgumentError("simulator: no zone");
  start = std::chrono::floor<std::chrono::minutes>(start);
  std::unique_ptr<Simulator> sim(new Simulator(std::move(options), start));
  for (ServiceSpec& spec : services) {
    if (!(spec.workload.capacity_rps > 0)) {
      return InvalidArgumentError("service " + spec.name + ": capacity_rps must be > 0");
    }
    const SloOptions& slo = spec.slo ? *spec.slo : sim->options_.slo;
    if (!(spec.workload.base_latency_s > 0 && spec.workload.base_latency_s < slo.p99_s)) {
      return InvalidArgumentError("service " + spec.name +
                                  ": base latency must be > 0 and below the p99 SLO");
    }
    spec.workload.slo_p99_s = slo.p99_s;
    Deployment app;
    app.name = spec.name;
    app.replicas = std::max(0, spec.initial_replicas);
    app.pod = spec.pod;
    app.pdb_min_available = spec.pdb_min_available;
    const DeploymentId app_id = sim->cluster_.AddDeployment(std::move(app), start);
    Deployment pause;
    pause.name = spec.name + "-placeholder";
    pause.replicas = 0;
    pause.pod = spec.pod;
    pause.pod.priority = kPlaceholderPriority;
    pause.pod.termination_grace_seconds = 0;
    pause.placeholder = true;
    const DeploymentId pause_id = sim->cluster_.AddDeployment(std::move(pause), start);
    sim->services_.push_back(
        std::make_unique<Service>(sim.get(), std::move(spec), app_id, pause_id));
  }
  // A warm start: the initial pods run on Ready nodes and have been Ready for a while.
  sim->cluster_.Reconcile(start);
  sim->provisioner_.Provision(sim->cluster_, start);
  for (Node& n : sim->cluster_.mutable_nodes()) {
    n.ready = true;
    n.ready_at = start;
  }
  Schedule(sim->cluster_, start);
  for (Pod& p : sim->cluster_.pods()) {
    if (p.node == kNoNode) continue;
    p.started_at = start - Duration(600);
    p.ready = true;
    p.ready_at = p.ready_transition = start - Duration(600);
  }
  for (auto& s : sim->services_) s->CountScaleEvent(false);
  return sim;
}

scaling::ScalingTarget& Simulator::target(int service) {
  return *services_[static_cast<size_t>(service)];
}

const scaling::ScalingTarget& Simulator::target(int service) const {
  return *services_[static_cast<size_t>(service)];
}
const ServiceTotals& Simulator::totals(int service) const {
  return services_[static_cast<size_t>(service)]->totals();
}
Status Simulator::SetHpaSpec(int service, const scaling::HpaSpec& hpa) {
  if (service < 0 || service >= service_count()) return NotFoundError("no such service");
  if (!view(service).hpa) return FailedPreconditionError("service has no HPA");
  if (hpa.min_replicas < 1 || hpa.max_replicas < hpa.min_replicas ||
      hpa.target_cpu_utilization_percent < 1) {
    return InvalidArgumentError("HPA spec: need 1 <= minReplicas <= maxReplicas, target >= 1");
  }
  services_[static_cast<size_t>(service)]->SetHpaSpec(hpa);
  return OkStatus();
}

Status Simulator::SetPdbMinAvailable(int service, int min_available) {
  if (service < 0 || service >= service_count()) return NotFoundError("no such service");
  services_[static_cast<size_t>(service)]->SetPdbMinAvailable(min_available);
  return OkStatus();
}

ServiceView Simulator::view(int service) const {
  return services_[static_cast<size_t>(service)]->View();
}

const std::vector<MinuteRecord>& Simulator::minutes(int service) const {
  return services_[static_cast<size_t>(service)]->records();
}

const MinuteRecord& Simulator::last_minute(int service) const {
  return services_[static_cast<size_t>(service)]->last_minute();
}

const TrafficCounters& Simulator::traffic(int service) const {
  return services_[static_cast<size_t>(service)]->traffic();
}
const TickOutcome& Simulator::last_tick(int service) const {
  return services_[static_cast<size_t>(service)]->last_tick();
}

void Simulator::StartScoring() { scoring_ = true; }

int Simulator::LiveNodes() const {
  int n = 0;
  for (const Node& node : cluster_.nodes()) n += node.deleted ? 0 : 1;
  return n;
}

void Simulator::RunUntil(Timestamp t) {
  while (now_ < t) Tick();
}

void Simulator::SyncHpas() {
  std::vector<std::vector<const Pod*>> by_deployment(cluster_.deployments().size());
  for (const Pod& p : cluster_.pods())
    by_deployment[static_cast<size_t>(p.deployment)].push_back(&p);
  for (auto& s : services_) s->SyncHpa(now_, by_deployment[static_cast<size_t>(s->app())]);
}

void Simulator::Tick() {
  const double dt_s = static_cast<double>(options_.tick.count());
  cluster_.Reconcile(now_);
  Schedule(cluster_, now_);
  provisioner_.Provision(cluster_, now_);
  provisioner_.Consolidate(cluster_, now_);
  provisioner_.Interrupt(cluster_, now_, options_.tick);
  if (now_ >= next_hpa_sync_) {
    SyncHpas();
    next_hpa_sync_ += options_.hpa.sync_period;
  }
  const size_t deployments = cluster_.deployments().size();
  active_.assign(deployments, 0);
  ready_.assign(deployments, 0);
  bound_.assign(deployments, 0);
  for (const Pod& p : cluster_.pods()) {
    const auto d = static_cast<size_t>(p.deployment);
    active_[d] += p.Active() ? 1 : 0;
    ready_[d] += p.Serving() ? 1 : 0;
    bound_[d] += p.node != kNoNode ? 1 : 0;
  }
  for (auto& s : services_) {
    s->Traffic(dt_s, ready_[static_cast<size_t>(s->app())]);
    s->CountScaleEvent(scoring_);
  }
  Account(dt_s);
  now_ += options_.tick;
  clock_.Set(now_);
  if (now_.time_since_epoch().count() % 60 == 0) {
    for (auto& s : services_) {
      s->CloseMinute(now_ - Duration(60), ready_[static_cast<size_t>(s->app())], scoring_);
    }
  }
}

void Simulator::Account(double dt_s) {
  if (!scoring_) return;
  int live = 0;
  for (const Node& n : cluster_.nodes()) {
    if (n.deleted) continue;
    ++live;
    cluster_totals_.node_seconds += dt_s;
    cluster_totals_.cost_usd += n.usd_per_hour * dt_s / 3600.0;
  }
  cluster_totals_.peak_nodes = std::max(cluster_totals_.peak_nodes, live);
  for (auto& s : services_) {
    s->totals().pod_seconds += dt_s * bound_[static_cast<size_t>(s->app())];
    s->totals().placeholder_pod_seconds += dt_s * bound_[static_cast<size_t>(s->placeholder())];
  }
}

}  // namespace prescient::sim
