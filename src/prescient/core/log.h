// Logging: spdlog to stderr, one line per event, with a process-wide level.
// Thread-safe (spdlog's default logger). Tested by use.
#pragma once

#include <spdlog/spdlog.h>

namespace prescient {

enum class LogLevel { kDebug, kInfo, kWarn, kError, kOff };

// Sets the default logger: stderr, "[level] message", at `level`.
void InitLogging(LogLevel level);

}  // namespace prescient

#define PRESCIENT_LOG_DEBUG(...) ::spdlog::debug(__VA_ARGS__)
#define PRESCIENT_LOG_INFO(...) ::spdlog::info(__VA_ARGS__)
#define PRESCIENT_LOG_WARN(...) ::spdlog::warn(__VA_ARGS__)
#define PRESCIENT_LOG_ERROR(...) ::spdlog::error(__VA_ARGS__)
