// "HOST:PORT" flags (--listen, --metrics-listen): one parser, one error message.
// Pure, thread-safe. Tested by cli_test.cc.
#pragma once

#include <string>
#include <string_view>

#include "prescient/core/result.h"

namespace prescient::app {

struct HostPort {
  std::string host;
  int port = 0;  // 0: any free port.
};

// InvalidArgument "FLAG: 'TEXT' is not HOST:PORT" unless TEXT is HOST:PORT with a port
// in [0, 65535].
Result<HostPort> ParseHostPort(std::string_view text, std::string_view flag);

}  // namespace prescient::app
