#include "prescient/core/log.h"

#include <spdlog/sinks/stdout_sinks.h>

namespace prescient {

void InitLogging(LogLevel level) {
  auto logger = spdlog::stderr_logger_mt("prescient");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  switch (level) {
    case LogLevel::kDebug:
      logger->set_level(spdlog::level::debug);
      break;
    case LogLevel::kInfo:
      logger->set_level(spdlog::level::info);
      break;
    case LogLevel::kWarn:
      logger->set_level(spdlog::level::warn);
      break;
    case LogLevel::kError:
      logger->set_level(spdlog::level::err);
      break;
    case LogLevel::kOff:
      logger->set_level(spdlog::level::off);
      break;
  }
  spdlog::set_default_logger(logger);
}

}  // namespace prescient
