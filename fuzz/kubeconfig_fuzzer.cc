// Fuzzes the kubeconfig loader with arbitrary file contents: YAML of any shape, bad
// base64, missing or mistyped fields, merge of one file. Any input must give a
// RestConfig or an InvalidArgument naming the field, never a crash or an exception.
// Exec plugins are only configured by loading, never run, so inputs cannot run commands.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

#include "prescient/k8s/kube_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/prescient_kubeconfig_fuzz_" + std::to_string(::getpid());
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  prescient::k8s::KubeConfigOptions options;
  options.files = {path};
  (void)prescient::k8s::LoadKubeConfig(options);
  return 0;
}
