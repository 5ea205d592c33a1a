// The dashboard's static files, embedded into the binary at build time from the list in
// web/assets.txt (the generated web_assets.cc; cmake/EmbedWebAssets.cmake writes it).
// Immutable data, thread-safe. Tested by server_test.cc.
#pragma once

#include <span>
#include <string_view>

namespace prescient::web {

struct Asset {
  std::string_view path;  // URL path: "/", "/app.js"...
  std::string_view content_type;
  std::string_view body;
};

std::span<const Asset> EmbeddedAssets();
// nullptr if no asset has this path.
const Asset* FindAsset(std::string_view path);

}  // namespace prescient::web
