// The node types the simulated provisioner can launch: vCPU, memory, pod limit and the
// on-demand price, and the spot discount. Prices are us-east-1 Linux on-demand list
// prices (2024); spot is modelled at kSpotPriceFraction of on-demand (MISSION.md section
// 10: "Spot is ~70% cheaper").
// Immutable data, thread-safe. Tested by provisioner_test.cc.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace prescient::sim {

inline constexpr double kSpotPriceFraction = 0.30;

struct InstanceType {
  std::string_view name;
  int vcpu = 0;
  double memory_gib = 0;
  int max_pods = 0;  // EKS' ENI-based limit for the type.
  double on_demand_usd_per_hour = 0;

  // What the kubelet leaves for pods: EKS' reservation formula, simplified to its two
  // largest terms (kube-reserved CPU on the first cores; 255 MiB + 11 MiB per pod of
  // memory, plus the 100 MiB eviction threshold).
  int AllocatableMillicores() const;
  int64_t AllocatableMemoryBytes() const;
};

// The default catalogue (general purpose, compute and memory optimised; 2-16 vCPU).
std::span<const InstanceType> DefaultInstanceTypes();

// nullptr if unknown.
const InstanceType* FindInstanceType(std::string_view name);

}  // namespace prescient::sim
