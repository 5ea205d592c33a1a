#include "prescient/app/host_port.h"

#include <charconv>

namespace prescient::app {

Result<HostPort> ParseHostPort(std::string_view text, std::string_view flag) {
  const size_t colon = text.rfind(':');
  int port = -1;
  if (colon != std::string_view::npos) {
    const std::string_view digits = text.substr(colon + 1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty()) port = -1;
  }
  if (colon == std::string_view::npos || port < 0 || port > 65535) {
    return InvalidArgumentError(std::string(flag) + ": '" + std::string(text) +
                                "' is not HOST:PORT");
  }
  return HostPort{std::string(text.substr(0, colon)), port};
}

}  // namespace prescient::app
