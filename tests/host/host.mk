# Host unit tests for the kernel's pure-logic files, included by the top-level
# Makefile. Read first: each binary compiles the kernel sources it tests
# straight from kernel/ with -DHOST_TEST (libc stands in for kernel/string.c)
# under ASan and UBSan; `make host-tests` only builds, the runner runs them.
# Paths are relative to the repository root.

HOST_CC ?= gcc
HOST_TEST_CFLAGS := -std=gnu11 -DHOST_TEST -I. -g -O1 -fsanitize=address,undefined \
	-fno-sanitize-recover=all -Wall -Wextra -Werror
HOST_TEST_DIR := build/host

HOST_TEST_NAMES := test_cmdline test_glob test_vsprintf test_kallsyms test_bootinfo test_kstrtox
HOST_TEST_BINS := $(addprefix $(HOST_TEST_DIR)/,$(HOST_TEST_NAMES))
# The generator's tests are Python unittest, not a binary:
#   python3 -m unittest discover -s tests/host -p 'test_*.py'
HOST_TEST_PY := tests/host/test_gen_kallsyms.py

# Kernel sources (and the headers they see) each test binary is built from.
HOST_TEST_HDRS := tests/host/hosttest.h kernel/string.h kernel/errno.h kernel/vsprintf.h
$(HOST_TEST_DIR)/test_cmdline: tests/host/test_cmdline.c kernel/cmdline.c kernel/kstrtox.c \
	kernel/vsprintf.c kernel/cmdline.h
$(HOST_TEST_DIR)/test_glob: tests/host/test_glob.c kernel/glob.c kernel/glob.h
$(HOST_TEST_DIR)/test_vsprintf: tests/host/test_vsprintf.c kernel/vsprintf.c
$(HOST_TEST_DIR)/test_kallsyms: tests/host/test_kallsyms.c kernel/kallsyms.c kernel/vsprintf.c \
	kernel/kallsyms.h
$(HOST_TEST_DIR)/test_bootinfo: tests/host/test_bootinfo.c kernel/bootinfo.c kernel/vsprintf.c \
	kernel/bootinfo.h
$(HOST_TEST_DIR)/test_kstrtox: tests/host/test_kstrtox.c kernel/kstrtox.c

$(HOST_TEST_BINS): $(HOST_TEST_HDRS) tests/host/host.mk
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_TEST_CFLAGS) -o $@ $(filter %.c,$^)

.PHONY: host-tests
host-tests: $(HOST_TEST_BINS)

# ---- the page allocator: test_mm, fuzz_buddy, bench_mm ----
# The real mm/ sources built for the host. tests/host/shim comes first on
# the include path, so "kernel/x86.h" and "kernel/paging.h" resolve to host
# versions (no cli/sti; RAM is one mmap); tests/host/mm_host.c stands in
# for printk, panic, the clock and the machine. Slab has its own tests.
MM_HOST_SRCS := mm/memblock.c mm/mm_init.c mm/page_alloc.c mm/alloc_slowpath.c \
	mm/watermark.c mm/page_pcp.c mm/page_debug.c mm/vmstat.c mm/show_mem.c \
	kernel/ratelimit.c kernel/vsprintf.c tests/host/mm_host.c
MM_HOST_DEPS := $(MM_HOST_SRCS) $(wildcard mm/*.h kernel/*.h tests/host/shim/kernel/*.h) \
	tests/host/mm_host.h tests/host/hosttest.h tests/host/host.mk
MM_HOST_CFLAGS := -Itests/host/shim $(HOST_TEST_CFLAGS)

$(HOST_TEST_DIR)/test_mm: tests/host/test_mm.c $(MM_HOST_DEPS)
	@mkdir -p $(@D)
	$(HOST_CC) $(MM_HOST_CFLAGS) -o $@ $(filter %.c,$^)

# libFuzzer (clang) with our own main, so that run bare, as the runner
# does, it reports a short pass as KTAP; with arguments it is plain
# libFuzzer. Coverage leaves out trace-cmp: the checker's loops would
# otherwise take most of the time.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_DIR := build/fuzz
FUZZ_BIN := $(HOST_TEST_DIR)/fuzz_buddy
FUZZ_CFLAGS := -std=gnu11 -DHOST_TEST -Itests/host/shim -I. -g -O1 -fsanitize=address,undefined \
	-fno-sanitize-recover=all -fsanitize-coverage=inline-8bit-counters,indirect-calls,pc-table \
	-Wall -Wextra -Werror
FUZZ_LIBS = $(shell $(FUZZ_CC) --print-runtime-dir)/libclang_rt.fuzzer_no_main-x86_64.a -lstdc++

$(FUZZ_BIN): tests/host/fuzz_buddy.c $(MM_HOST_DEPS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^) $(FUZZ_LIBS)

# make fuzz: a minute of random allocation/free sequences, every invariant
# checked after every step; a crashing input is kept in $(FUZZ_DIR)/.
.PHONY: fuzz
fuzz: $(FUZZ_BIN)
	@mkdir -p $(FUZZ_DIR)/corpus
	@echo "fuzz_buddy: $(FUZZ_SECONDS) s of allocation sequences (log: $(FUZZ_DIR)/fuzz.log)"
	@if $(FUZZ_BIN) -max_total_time=$(FUZZ_SECONDS) -len_control=10 -print_final_stats=1 \
		-artifact_prefix=$(FUZZ_DIR)/ $(FUZZ_DIR)/corpus >$(FUZZ_DIR)/fuzz.log 2>&1; then \
		echo "fuzz_buddy: PASS: $$(grep -m1 '^Done' $(FUZZ_DIR)/fuzz.log)," \
			"corpus $$(ls $(FUZZ_DIR)/corpus | wc -l) inputs; every invariant held"; \
	else \
		grep -m1 -E 'invariant broken|ERROR: |runtime error' $(FUZZ_DIR)/fuzz.log; \
		echo "fuzz_buddy: FAIL: see $(FUZZ_DIR)/fuzz.log; replay the input with" \
			"$(FUZZ_BIN) $(FUZZ_DIR)/crash-..."; \
		exit 1; \
	fi

# The host half of make bench: optimised, no sanitizers, never run by
# the test runner (not in $(HOST_TEST_DIR)).
BENCH_MM := build/bench/bench_mm
$(BENCH_MM): tests/host/bench_mm.c tests/kernel/bench_page_alloc.c $(MM_HOST_DEPS)
	@mkdir -p $(@D)
	$(HOST_CC) -std=gnu11 -DHOST_TEST -Itests/host/shim -I. -O2 -g -Wall -Wextra -Werror \
		-o $@ $(filter %.c,$^)

host-tests: $(HOST_TEST_DIR)/test_mm $(FUZZ_BIN)
