# Host unit tests for the kernel's pure-logic files, included by the top-level
# Makefile. Read first: each binary compiles the kernel sources it tests
# straight from kernel/ with -DHOST_TEST (libc stands in for kernel/string.c)
# under ASan and UBSan; `make host-tests` only builds, the runner runs them.
# Paths are relative to the repository root.

HOST_CC ?= gcc
HOST_TEST_CFLAGS := -std=gnu11 -DHOST_TEST -I. -g -O1 -fsanitize=address,undefined \
	-fno-sanitize-recover=all -Wall -Wextra -Werror
HOST_TEST_DIR := build/host

HOST_TEST_NAMES := test_cmdline test_glob test_vsprintf test_kallsyms test_bootinfo test_kstrtox \
	test_elf test_cpio test_ext2
HOST_TEST_BINS := $(addprefix $(HOST_TEST_DIR)/,$(HOST_TEST_NAMES))
# The tools' tests are Python unittest, not binaries:
#   python3 -m unittest discover -s tests/host -p 'test_*.py'
HOST_TEST_PY := tests/host/test_gen_kallsyms.py tests/host/test_mkbadelf.py

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
$(HOST_TEST_DIR)/test_elf: tests/host/test_elf.c kernel/elf_parse.c kernel/elf.h
$(HOST_TEST_DIR)/test_cpio: tests/host/test_cpio.c kernel/fs/cpio.c kernel/fs/cpio.h
$(HOST_TEST_DIR)/test_ext2: tests/host/test_ext2.c kernel/fs/ext2/parse.c kernel/vsprintf.c \
	kernel/fs/ext2/ext2_fs.h tests/host/ext2_image.h

$(HOST_TEST_BINS): $(HOST_TEST_HDRS) tests/host/host.mk
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_TEST_CFLAGS) -o $@ $(filter %.c,$^)

.PHONY: host-tests
host-tests: $(HOST_TEST_BINS)

# Real static executables for test_elf, one per linker layout it must
# accept: GNU ld with and without -z separate-code, 2 MiB pages, -N (one
# RWX segment), and lld (segments sharing file pages) when it is there.
# Each exits 42 only if its data was loaded and its bss zeroed. They live
# outside $(HOST_TEST_DIR): the runner runs every executable in there.
ELF_SAMPLES_DIR := build/host-data
ELF_SAMPLE_CFLAGS := -static -nostdlib -no-pie -fno-pie -O1 -fno-stack-protector
ELF_SAMPLE_LAYOUTS := ld ld-noseparate ld-bigpage ld-omagic \
	$(if $(shell command -v ld.lld 2>/dev/null),lld lld-separate)
ELF_SAMPLES := $(addprefix $(ELF_SAMPLES_DIR)/elf-sample-,$(ELF_SAMPLE_LAYOUTS))
$(ELF_SAMPLES_DIR)/elf-sample-ld: ELF_SAMPLE_LAYOUT :=
$(ELF_SAMPLES_DIR)/elf-sample-ld-noseparate: ELF_SAMPLE_LAYOUT := -Wl,-z,noseparate-code
$(ELF_SAMPLES_DIR)/elf-sample-ld-bigpage: ELF_SAMPLE_LAYOUT := -Wl,-z,noseparate-code \
	-Wl,-z,max-page-size=0x200000
$(ELF_SAMPLES_DIR)/elf-sample-ld-omagic: ELF_SAMPLE_LAYOUT := -Wl,-N -Wl,--no-warn-rwx-segments
$(ELF_SAMPLES_DIR)/elf-sample-lld: ELF_SAMPLE_LAYOUT := -fuse-ld=lld
$(ELF_SAMPLES_DIR)/elf-sample-lld-separate: ELF_SAMPLE_LAYOUT := -fuse-ld=lld \
	-Wl,-z,separate-loadable-segments

$(ELF_SAMPLES): tests/host/elf_sample.c tests/host/host.mk
	@mkdir -p $(@D)
	$(HOST_CC) $(ELF_SAMPLE_CFLAGS) $(ELF_SAMPLE_LAYOUT) -o $@ $<

# build/host-data/elf_check FILE...: why the kernel's parser would refuse
# a program (tests/host/elf_check.c; test_mkbadelf.py builds its own).
ELF_CHECK := $(ELF_SAMPLES_DIR)/elf_check
$(ELF_CHECK): tests/host/elf_check.c kernel/elf_parse.c kernel/elf.h tests/host/host.mk
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_TEST_CFLAGS) -o $@ $(filter %.c,$^)

host-tests: $(ELF_SAMPLES) $(ELF_CHECK)

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

# libFuzzer (clang) targets with our own main (tests/host/fuzz_main.h),
# so that run bare, as the runner does, each reports a short pass as KTAP;
# with arguments it is plain libFuzzer. Coverage leaves out trace-cmp: the
# checkers' loops would otherwise take most of the time.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_DIR := build/fuzz
FUZZ_TARGETS := buddy elf ext2
FUZZ_BINS := $(addprefix $(HOST_TEST_DIR)/fuzz_,$(FUZZ_TARGETS))
FUZZ_CFLAGS := -std=gnu11 -DHOST_TEST -Itests/host/shim -I. -g -O1 -fsanitize=address,undefined \
	-fno-sanitize-recover=all -fsanitize-coverage=inline-8bit-counters,indirect-calls,pc-table \
	-Wall -Wextra -Werror
FUZZ_LIBS = $(shell $(FUZZ_CC) --print-runtime-dir)/libclang_rt.fuzzer_no_main-x86_64.a -lstdc++

$(HOST_TEST_DIR)/fuzz_buddy: tests/host/fuzz_buddy.c tests/host/fuzz_main.h $(MM_HOST_DEPS)
$(HOST_TEST_DIR)/fuzz_elf: tests/host/fuzz_elf.c tests/host/fuzz_main.h kernel/elf_parse.c \
	kernel/elf.h kernel/errno.h kernel/string.h tests/host/host.mk
$(HOST_TEST_DIR)/fuzz_ext2: tests/host/fuzz_ext2.c tests/host/fuzz_main.h kernel/fs/ext2/parse.c \
	kernel/vsprintf.c kernel/fs/ext2/ext2_fs.h tests/host/ext2_image.h tests/host/host.mk
$(FUZZ_BINS):
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^) $(FUZZ_LIBS)

# make fuzz: FUZZ_SECONDS (default 60) of each target in turn (at once
# under -j), every invariant checked on every input: two minutes in all.
# make fuzz-elf or make fuzz-buddy runs one. Each keeps its corpus in
# $(FUZZ_DIR)/NAME/ and its log in $(FUZZ_DIR)/NAME.log; a crashing input
# lands in $(FUZZ_DIR)/ as NAME-crash-<hash>. fuzz_buddy: random
# allocation/free sequences; fuzz_elf: ELF images, raw or patched from a
# valid template (its log ends with how often each parser rule fired).
FUZZ_ARGS_buddy := -len_control=10
FUZZ_ARGS_elf := -max_len=4096
FUZZ_ARGS_ext2 := -max_len=4096
.PHONY: fuzz $(addprefix fuzz-,$(FUZZ_TARGETS))
fuzz: $(addprefix fuzz-,$(FUZZ_TARGETS))
$(addprefix fuzz-,$(FUZZ_TARGETS)): fuzz-%: $(HOST_TEST_DIR)/fuzz_%
	@mkdir -p $(FUZZ_DIR)/$*
	@echo "fuzz_$*: $(FUZZ_SECONDS) s (log: $(FUZZ_DIR)/$*.log)"
	@if $< -max_total_time=$(FUZZ_SECONDS) $(FUZZ_ARGS_$*) -print_final_stats=1 \
		-artifact_prefix=$(FUZZ_DIR)/$*- $(FUZZ_DIR)/$* >$(FUZZ_DIR)/$*.log 2>&1; then \
		echo "fuzz_$*: PASS: $$(grep -m1 '^Done' $(FUZZ_DIR)/$*.log)," \
			"corpus $$(ls $(FUZZ_DIR)/$* | wc -l) inputs; every invariant held"; \
		grep -h 'outcomes:' $(FUZZ_DIR)/$*.log || true; \
	else \
		grep -m1 -E 'invariant broken|ERROR: |runtime error' $(FUZZ_DIR)/$*.log; \
		echo "fuzz_$*: FAIL: see $(FUZZ_DIR)/$*.log; replay the input with" \
			"$< $(FUZZ_DIR)/$*-crash-..."; \
		exit 1; \
	fi

# The host half of make bench: optimised, no sanitizers, never run by
# the test runner (not in $(HOST_TEST_DIR)).
BENCH_MM := build/bench/bench_mm
$(BENCH_MM): tests/host/bench_mm.c tests/kernel/bench_page_alloc.c $(MM_HOST_DEPS)
	@mkdir -p $(@D)
	$(HOST_CC) -std=gnu11 -DHOST_TEST -Itests/host/shim -I. -O2 -g -Wall -Wextra -Werror \
		-o $@ $(filter %.c,$^)

host-tests: $(HOST_TEST_DIR)/test_mm $(FUZZ_BINS)
