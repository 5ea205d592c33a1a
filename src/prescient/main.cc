#include "prescient/cli/main.h"

int main(int argc, char** argv) { return prescient::cli::Main(argc, argv); }
