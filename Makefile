# The two commands: `make demo` and `make test`. Everything else is a step of theirs.
BUILD_DIR ?= build
ASAN_DIR ?= build-asan
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all setup build demo test test-quick test-asan bench bench-forecast bench-micro bench-backtest bench-anomaly bench-dashboard fuzz format format-check clean

all: build

setup:
	@scripts/setup.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

build: setup $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The main job: the bundled real trace (NASA HTTP requests, July 1995, per minute) replayed
# on the simulated cluster under the HPA alone and under predictive scaling, side by side;
# the dashboard (DEMO_WEB, default 127.0.0.1:8080) serves the runs until Ctrl-C.
DEMO_WEB ?= 127.0.0.1:8080
demo: build
	$(BUILD_DIR)/src/prescient/prescient demo --output $(BUILD_DIR)/demo --web $(DEMO_WEB)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -L unit

# The same tests under AddressSanitizer and UBSan.
test-asan: setup
	cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPRESCIENT_SANITIZE=ON -DPRESCIENT_WERROR=ON
	cmake --build $(ASAN_DIR) -j $(JOBS)
	cd $(ASAN_DIR) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS) -L unit

bench: bench-micro bench-forecast bench-backtest

# Google Benchmark of every model on a 14-day 5-minute series.
bench-micro: build
	bench/run_micro.sh $(BUILD_DIR)

# M4 Hourly: our models and the peers (R forecast, R prophet, statsmodels), same run.
bench-backtest: build
	bench/backtest/run.sh $(BUILD_DIR)

# Our band detector on the Numenta Anomaly Benchmark, scored by our NAB scorer; band speed.
bench-anomaly: setup $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS) --target nab_run band_model_bench
	bench/anomaly/run.sh $(BUILD_DIR)

bench-forecast: build
	@scripts/setup.sh --bench
	bench/m4/run.sh $(BUILD_DIR)

# The dashboard's load time in headless Chromium: 20 services, 14 days of 1-minute data.
bench-dashboard: setup $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS) --target dashboard_fixture_server
	node bench/dashboard/load_bench.mjs --server $(BUILD_DIR)/bench/dashboard_fixture_server --services 20 --days 14 --runs 7

# Real fuzzing with libFuzzer (clang); FUZZ_SECONDS per target.
FUZZ_SECONDS ?= 60
fuzz: setup
	CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPRESCIENT_FUZZ=ON -DPRESCIENT_SANITIZE=ON
	cmake --build build-fuzz -j $(JOBS) --target series_csv_fuzzer api_patch_fuzzer api_body_fuzzer scenario_fuzzer kubeconfig_fuzzer policy_fuzzer
	for f in series_csv api_patch api_body scenario kubeconfig policy; do \
	  mkdir -p build-fuzz/corpus/$$f && cp -n fuzz/corpus/$$f/* build-fuzz/corpus/$$f/ 2>/dev/null || true; \
	  build-fuzz/fuzz/$${f}_fuzzer -max_total_time=$(FUZZ_SECONDS) build-fuzz/corpus/$$f || exit 1; \
	done

format:
	find src bench fuzz -name '*.h' -o -name '*.cc' | xargs clang-format -i

format-check:
	find src bench fuzz -name '*.h' -o -name '*.cc' | xargs clang-format --dry-run --Werror

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) build-fuzz
