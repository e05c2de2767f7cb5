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
