// The named models the CLI and the benchmarks can ask for.
// Thread-safe. Tested by forecaster_test.cc.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "prescient/forecast/model.h"

namespace prescient::forecast {

// "auto", "naive", "snaive", "snaive-long", "naive2", "ets", "mstl", "prophet", "sar".
const std::vector<std::string_view>& ModelNames();

// A model with default options; nullptr for an unknown name.
std::unique_ptr<Model> MakeModel(std::string_view name);

}  // namespace prescient::forecast
