// The command line: `prescient <command> [flags]`. Flags only; the work is in app/.
// Tested by cli_test.cc (runs the built binary).
#pragma once

namespace prescient::cli {

// Returns the process exit code: 0 success, 1 runtime failure, 2 bad input or usage.
int Main(int argc, char** argv);

}  // namespace prescient::cli
