// The algorithm is client-go's (tools/leaderelection/leaderelection.go,
// tryAcquireOrRenew; resourcelock/leaselock.go), step for step:
//
//   1. Fast path: if we led and our lease is still valid, PUT the cached Lease with a new
//      renewTime (acquireTime and leaseTransitions kept). On any failure, fall through.
//   2. GET the Lease; if missing, POST it with us as holder (losing that race, 409
//      AlreadyExists, re-reads).
//   3. If the record differs from the one observed last, remember it and the LOCAL time we
//      saw it change (observedTime). A held lease is valid until observedTime +
//      leaseDurationSeconds: the server's renewTime is never compared to our clock, so
//      clock skew between replicas cannot cause two leaders. If someone else holds a valid
//      lease, stop here (not leader).
//   4. PUT with the read resourceVersion: us as holder, renewTime now, acquireTime and
//      leaseTransitions kept if we were the holder, else leaseTransitions + 1. A 409
//      Conflict means another candidate wrote first: not leader this round.
//
// Safety rests on lease_duration > renew_deadline: a leader that cannot renew stops
// (IsLeader false) renew_deadline after the start of its last successful renewal, while a
// follower waits lease_duration after it saw that renewal. Both intervals are measured on
// each replica's own steady clock, so only clock *rate* differences matter.
//
// Deviations, all on the safe side: IsLeader also requires a renewal less than
// renew_deadline ago (client-go's IsLeader only compares the holder); after losing the
// lease Run campaigns again instead of returning.
#include "prescient/k8s/leader_election.h"

#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <random>
#include <regex>
#include <thread>

#include "prescient/core/log.h"

namespace prescient::k8s {
namespace {

// metav1.MicroTime's wire form, "2006-01-02T15:04:05.000000Z07:00", always in UTC.
std::string MicroTimeNow() {
  const auto now = std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
  const auto secs = std::chrono::floor<std::chrono::seconds>(now);
  const std::time_t t = std::chrono::system_clock::to_time_t(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];  // Room for any int the compiler cannot bound.
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>((now - secs).count()));
  return buf;
}

int IntField(const nlohmann::json& spec, const char* key) {
  const nlohmann::json v = spec.value(key, nlohmann::json());
  return v.is_number_integer() ? v.get<int>() : 0;
}

std::string StringField(const nlohmann::json& spec, const char* key) {
  const nlohmann::json v = spec.value(key, nlohmann::json());
  return v.is_string() ? v.get<std::string>() : "";
}

}  // namespace

Status ValidateLeaderElectionConfig(const LeaderElectionConfig& c) {
  static const std::regex label(R"([a-z0-9]([-a-z0-9]*[a-z0-9])?)");
  static const std::regex subdomain(
      R"([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)");
  const std::string what = "leader election: ";
  if (c.identity.empty()) return InvalidArgumentError(what + "identity is required");
  if (c.lease_namespace.size() > 63 || !std::regex_match(c.lease_namespace, label))
    return InvalidArgumentError(what + "lease namespace \"" + c.lease_namespace +
                                "\" is not a DNS label");
  if (c.lease_name.size() > 253 || !std::regex_match(c.lease_name, subdomain))
    return InvalidArgumentError(what + "lease name \"" + c.lease_name +
                                "\" is not a DNS subdomain");
  if (c.retry_period <= std::chrono::milliseconds(0))
    return InvalidArgumentError(what + "retry period must be greater than zero");
  if (c.lease_duration < std::chrono::seconds(1))
    return InvalidArgumentError(what + "lease duration must be at least 1s");
  if (c.lease_duration <= c.renew_deadline)
    return InvalidArgumentError(what + "lease duration must be greater than renew deadline");
  if (c.renew_deadline.count() <= kLeaderElectionJitter * c.retry_period.count())
    return InvalidArgumentError(what + "renew deadline must be greater than retry period * 1.2");
  return OkStatus();
}

LeaderElector::LeaderElector(RestClient& client, LeaderElectionConfig config, SteadyNow now)
    : client_(client),
      config_(std::move(config)),
      now_(now ? std::move(now) : SteadyNow([] { return std::chrono::steady_clock::now(); })),
      rng_(std::random_device{}()) {}  // Jitter exists to spread replicas apart: not seeded.

std::string LeaderElector::Path() const {
  return "/apis/coordination.k8s.io/v1/namespaces/" + config_.lease_namespace + "/leases/" +
         config_.lease_name;
}

LeaderElector::Record LeaderElector::RecordOf(const nlohmann::json& lease) {
  const nlohmann::json spec =
      lease.is_object() ? lease.value("spec", nlohmann::json::object()) : nlohmann::json::object();
  if (!spec.is_object()) return {};
  return {StringField(spec, "holderIdentity"), IntField(spec, "leaseDurationSeconds"),
          StringField(spec, "acquireTime"), StringField(spec, "renewTime"),
          IntField(spec, "leaseTransitions")};
}

nlohmann::json LeaderElector::SpecOf(const Record& r) {
  return {{"holderIdentity", r.holder},
          {"leaseDurationSeconds", r.lease_duration_seconds},
          {"acquireTime", r.acquire_time},
          {"renewTime", r.renew_time},
          {"leaseTransitions", r.transitions}};
}

LeaderElector::Record LeaderElector::Desired() const {
  const std::string now = MicroTimeNow();
  return {config_.identity,
          static_cast<int>(
              std::chrono::duration_cast<std::chrono::seconds>(config_.lease_duration).count()),
          now, now, 0};
}

bool LeaderElector::IsLeader() const {
  std::lock_guard lock(mu_);
  return observed_.holder == config_.identity && renewed_at_ &&
         now_() - *renewed_at_ < config_.renew_deadline;
}

std::string LeaderElector::Leader() const {
  std::lock_guard lock(mu_);
  return observed_.holder;
}

bool LeaderElector::LeaseValid(TimePoint now) const {
  std::lock_guard lock(mu_);
  return observed_time_ + std::chrono::seconds(observed_.lease_duration_seconds) > now;
}

// client-go's setObservedRecord; `renewed`: the record is our own successful write, made
// by an attempt that started at `attempt_start`.
void LeaderElector::Observe(const Record& r, bool renewed, TimePoint attempt_start) {
  const TimePoint now = now_();
  std::lock_guard lock(mu_);
  observed_ = r;
  observed_time_ = now;
  if (renewed) {
    renewed_at_ = attempt_start;
  } else if (r.holder != config_.identity) {
    renewed_at_.reset();
  }
}

Status LeaderElector::WriteLease(const Record& r) {
  nlohmann::json lease = lease_;
  lease["spec"] = SpecOf(r);  // Keeps the read metadata.resourceVersion: a precondition.
  PRESCIENT_ASSIGN_OR_RETURN(lease_, client_.Put(Path(), lease));
  return OkStatus();
}

Result<bool> LeaderElector::CreateLease(const Record& desired, TimePoint now) {
  const nlohmann::json lease = {
      {"apiVersion", "coordination.k8s.io/v1"},
      {"kind", "Lease"},
      {"metadata", {{"name", config_.lease_name}, {"namespace", config_.lease_namespace}}},
      {"spec", SpecOf(desired)}};
  Result<nlohmann::json> created = client_.Post(
      "/apis/coordination.k8s.io/v1/namespaces/" + config_.lease_namespace + "/leases", lease);
  if (!created.ok()) return created.status();
  lease_ = std::move(created).value();
  Observe(desired, /*renewed=*/true, now);
  return true;
}

Result<bool> LeaderElector::TryAcquireOrRenew() {
  std::lock_guard attempt(attempt_mu_);
  const TimePoint now = now_();
  Record desired = Desired();

  // 1. Fast path: the Lease we wrote last is still the current one.
  Record observed;
  {
    std::lock_guard lock(mu_);
    observed = observed_;
  }
  if (observed.holder == config_.identity && LeaseValid(now) && lease_.is_object()) {
    desired.acquire_time = observed.acquire_time;
    desired.transitions = observed.transitions;
    if (WriteLease(desired).ok()) {
      Observe(desired, /*renewed=*/true, now);
      return true;
    }
  }

  // 2. Read, or create.
  Result<nlohmann::json> got = client_.Get(Path());
  if (!got.ok() && got.status().code() == StatusCode::kNotFound) {
    Result<bool> created = CreateLease(desired, now);
    if (created.ok() || created.status().code() != StatusCode::kAlreadyExists) return created;
    got = client_.Get(Path());  // Another candidate created it first: read theirs.
  }
  if (!got.ok()) return got.status();
  lease_ = std::move(got).value();
  const Record old = RecordOf(lease_);

  // 3. Observe changes by the local clock; back off from someone else's valid lease.
  {
    std::lock_guard lock(mu_);
    observed = observed_;
  }
  if (old != observed) {
    Observe(old, /*renewed=*/false, now);
    observed = old;
  }
  if (!old.holder.empty() && LeaseValid(now) && observed.holder != config_.identity) return false;

  // 4. Take or keep it.
  if (observed.holder == config_.identity) {
    desired.acquire_time = old.acquire_time;
    desired.transitions = old.transitions;
  } else {
    desired.transitions = old.transitions + 1;
  }
  if (Status s = WriteLease(desired); !s.ok()) {
    if (s.code() == StatusCode::kAborted) return false;  // 409 Conflict: someone wrote first.
    return s;
  }
  Observe(desired, /*renewed=*/true, now);
  return true;
}

Status LeaderElector::Release() {
  std::lock_guard attempt(attempt_mu_);
  {
    std::lock_guard lock(mu_);
    renewed_at_.reset();  // Stop leading now, whatever the write below does.
    if (observed_.holder != config_.identity || !lease_.is_object()) return OkStatus();
  }
  // The observed record's transitions; acquire and renew time now (client-go's release).
  Record released = Desired();
  released.holder = "";
  released.lease_duration_seconds = 1;
  {
    std::lock_guard lock(mu_);
    released.transitions = observed_.transitions;
  }
  if (Status s = WriteLease(released); !s.ok()) {
    return s.WithContext("leader election: releasing lease " + config_.lease_namespace + "/" +
                         config_.lease_name);
  }
  Observe(released, /*renewed=*/false, now_());
  return OkStatus();
}

void LeaderElector::OnStartedLeading(std::function<void()> f) {
  std::lock_guard lock(mu_);
  on_started_ = std::move(f);
}

void LeaderElector::OnStoppedLeading(std::function<void()> f) {
  std::lock_guard lock(mu_);
  on_stopped_ = std::move(f);
}

void LeaderElector::OnNewLeader(std::function<void(const std::string&)> f) {
  std::lock_guard lock(mu_);
  on_new_leader_ = std::move(f);
}

void LeaderElector::MaybeReportNewLeader() {
  std::function<void(const std::string&)> f;
  std::string leader;
  {
    std::lock_guard lock(mu_);
    if (observed_.holder == reported_leader_) return;
    reported_leader_ = observed_.holder;
    leader = reported_leader_;
    f = on_new_leader_;
  }
  if (f) f(leader);
}

void LeaderElector::Sleep(std::stop_token stop, std::chrono::milliseconds d) {
  std::mutex m;
  std::condition_variable_any cv;
  std::unique_lock lock(m);
  cv.wait_for(lock, stop, d, [] { return false; });
}

// client-go's acquire: an attempt, then wait.JitterUntil's retry_period * (1 + 1.2 u).
// Returns false only when stopped.
bool LeaderElector::Acquire(std::stop_token stop) {
  while (!stop.stop_requested()) {
    Result<bool> held = TryAcquireOrRenew();
    MaybeReportNewLeader();
    if (!held.ok()) PRESCIENT_LOG_WARN("leader election: {}", held.status().ToString());
    if (held.ok() && *held) return true;
    std::chrono::milliseconds wait;
    {
      std::lock_guard attempt(attempt_mu_);
      wait = std::chrono::milliseconds(static_cast<int64_t>(
          config_.retry_period.count() * (1 + kLeaderElectionJitter * rng_.Uniform())));
    }
    Sleep(stop, wait);
  }
  return false;
}

// client-go's renew: every retry_period; failed attempts are retried every retry_period
// until renew_deadline has passed since the last successful renewal, then leadership is
// lost. Returns when lost or stopped.
void LeaderElector::Renew(std::stop_token stop) {
  while (!stop.stop_requested()) {
    Sleep(stop, config_.retry_period);
    if (stop.stop_requested()) return;
    Result<bool> held = TryAcquireOrRenew();
    MaybeReportNewLeader();
    if (held.ok() && *held) continue;
    if (!held.ok()) PRESCIENT_LOG_WARN("leader election: renewing: {}", held.status().ToString());
    if (!IsLeader()) return;
  }
}

void LeaderElector::Run(std::stop_token stop) {
  const std::string lease = config_.lease_namespace + "/" + config_.lease_name;
  while (!stop.stop_requested()) {
    PRESCIENT_LOG_INFO("leader election: {} campaigning for lease {}", config_.identity, lease);
    if (!Acquire(stop)) break;
    PRESCIENT_LOG_INFO("leader election: {} acquired lease {}", config_.identity, lease);
    std::function<void()> started, stopped;
    {
      std::lock_guard lock(mu_);
      started = on_started_;
      stopped = on_stopped_;
    }
    if (started) started();
    Renew(stop);
    if (stop.stop_requested() && config_.release_on_cancel) {
      if (Status s = Release(); !s.ok()) PRESCIENT_LOG_WARN("{}", s.ToString());
    }
    {
      std::lock_guard lock(mu_);
      renewed_at_.reset();
    }
    PRESCIENT_LOG_INFO("leader election: {} stopped leading lease {}", config_.identity, lease);
    if (stopped) stopped();
  }
}

}  // namespace prescient::k8s
