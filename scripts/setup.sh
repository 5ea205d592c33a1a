#!/usr/bin/env bash
# Installs every build and test dependency from Debian's packages. Idempotent: packages
# already present are skipped, and apt is not touched at all when nothing is missing.
# Usage: scripts/setup.sh [--bench]   (--bench adds the peers of the forecast benchmark:
# R forecast, R prophet, statsmodels).
set -euo pipefail

BUILD_PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libeigen3-dev nlohmann-json3-dev libcli11-dev libspdlog-dev libfmt-dev
  libsqlite3-dev libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev clang-format
  libcpp-httplib-dev libssl-dev libyaml-cpp-dev
  prometheus prometheus-alertmanager chromium
)
BENCH_PACKAGES=(r-base-core r-cran-forecast r-cran-prophet python3 python3-numpy python3-statsmodels util-linux)

packages=("${BUILD_PACKAGES[@]}")
# The integration tests drive a real kubectl; Debian's kubernetes-client only when the
# machine has none (a newer one, e.g. Google Cloud SDK's, is preferred).
if ! command -v kubectl >/dev/null 2>&1; then
  packages+=(kubernetes-client)
fi
if [[ "${1:-}" == "--bench" ]]; then
  packages+=("${BENCH_PACKAGES[@]}")
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

SUDO=""
if [[ "$(id -u)" -ne 0 ]]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "setup: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The simulator's API must also serve Debian's own (old) kubectl when the machine has a
# newer one: unpack Debian's kubernetes-client beside it, for the tests only (not
# installed, so the machine's kubectl stays the one on PATH).
OLD_KUBECTL_DIR=/var/cache/prescient/kubectl-debian
if [[ ! -x "$OLD_KUBECTL_DIR/usr/bin/kubectl" ]] && \
   ! dpkg-query -W -f='${Status}' kubernetes-client 2>/dev/null | grep -q "install ok installed"; then
  tmp="$(mktemp -d)"
  if (cd "$tmp" && apt-get download -qq kubernetes-client >/dev/null 2>&1); then
    $SUDO mkdir -p "$OLD_KUBECTL_DIR"
    $SUDO dpkg-deb -x "$tmp"/kubernetes-client_*.deb "$OLD_KUBECTL_DIR"
  else
    echo "setup: could not fetch Debian's kubernetes-client; its kubectl tests will skip" >&2
  fi
  rm -rf "$tmp"
fi

# The dashboard's front-end libraries (uPlot, playwright-core), pinned in
# web/package-lock.json; the build embeds files from web/node_modules.
WEB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/web"
if [[ ! -d "$WEB_DIR/node_modules" || "$WEB_DIR/package-lock.json" -nt "$WEB_DIR/node_modules" ]]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "setup: installing npm" >&2
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends npm >/dev/null
  fi
  echo "setup: npm ci in web/" >&2
  (cd "$WEB_DIR" && npm ci --no-audit --no-fund --loglevel=error)
  touch "$WEB_DIR/node_modules"
fi
