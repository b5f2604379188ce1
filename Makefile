# The two commands of the README: `make demo` and `make test`. Both set up, build, and run.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
SCENARIO ?= scenarios/rotterdam_port_drone_swarm.yaml
FUZZ_SECONDS ?= 600

.PHONY: setup configure build demo test test-all asan bench fuzz clean

setup:
	@scripts/setup

$(BUILD_DIR)/build.ninja:
	cmake --preset release

configure: setup $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

demo: build
	$(BUILD_DIR)/koepel run $(SCENARIO) --seed 1

test: build
	cd $(BUILD_DIR) && ctest -LE slow --output-on-failure -j $(JOBS)

test-all: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

asan: setup
	cmake --preset asan-ubsan
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest -L unit --output-on-failure -j $(JOBS)

fuzz: setup
	scripts/fuzz $(FUZZ_SECONDS)

bench: build
	cd $(BUILD_DIR) && ctest -L bench --output-on-failure -V

clean:
	rm -rf $(BUILD_DIR) build-debug build-asan build-fuzz
