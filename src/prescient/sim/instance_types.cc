#include "prescient/sim/instance_types.h"

#include <algorithm>
#include <array>

namespace prescient::sim {
namespace {

constexpr int64_t kMiB = 1024 * 1024;

constexpr std::array kTypes = {
    InstanceType{"c5.large", 2, 4, 29, 0.085},     InstanceType{"m5.large", 2, 8, 29, 0.096},
    InstanceType{"r5.large", 2, 16, 29, 0.126},    InstanceType{"c5.xlarge", 4, 8, 58, 0.17},
    InstanceType{"m5.xlarge", 4, 16, 58, 0.192},   InstanceType{"r5.xlarge", 4, 32, 58, 0.252},
    InstanceType{"c5.2xlarge", 8, 16, 58, 0.34},   InstanceType{"m5.2xlarge", 8, 32, 58, 0.384},
    InstanceType{"c5.4xlarge", 16, 32, 234, 0.68}, InstanceType{"m5.4xlarge", 16, 64, 234, 0.768},
};

}  // namespace

int InstanceType::AllocatableMillicores() const {
  // kube-reserved CPU (EKS AMI): 6% of the first core, 1% of the second, 0.5% of cores
  // 3-4, 0.25% of the rest.
  double reserved = 60;
  if (vcpu >= 2) reserved += 10;
  reserved += 5 * std::clamp(vcpu - 2, 0, 2);
  reserved += 2.5 * std::max(vcpu - 4, 0);
  return vcpu * 1000 - static_cast<int>(reserved);
}

int64_t InstanceType::AllocatableMemoryBytes() const {
  const auto total = static_cast<int64_t>(memory_gib * 1024) * kMiB;
  return total - (255 + 11 * static_cast<int64_t>(max_pods)) * kMiB - 100 * kMiB;
}

std::span<const InstanceType> DefaultInstanceTypes() { return kTypes; }

const InstanceType* FindInstanceType(std::string_view name) {
  for (const auto& t : kTypes) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

}  // namespace prescient::sim
