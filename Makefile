# oomlab: build the kernel ELF and GRUB ISO, run it, test it.
# The two commands: `make run` and `make test` (see README.md).

CROSS   ?= $(if $(shell command -v x86_64-elf-gcc 2>/dev/null),x86_64-elf-,)
CC      := $(CROSS)gcc
LD      := $(CROSS)ld
NM      := $(CROSS)nm
HOSTCC  ?= gcc
PYTHON  ?= python3
QEMU    ?= qemu-system-x86_64

MEM     ?= 128M
ACCEL   ?= tcg
CMDLINE ?=
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)

BUILD   := build
KERNEL  := $(BUILD)/oomlab.elf
ISO     := $(BUILD)/oomlab.iso

KCFLAGS := -std=gnu11 -ffreestanding -fno-builtin -fno-pic -fno-pie -mcmodel=kernel \
	   -mno-red-zone -mgeneral-regs-only -fno-stack-protector -fno-omit-frame-pointer \
	   -fno-asynchronous-unwind-tables -fno-strict-aliasing -O2 -g \
	   -Wall -Wextra -Werror -Wno-unused-parameter -I.
KASFLAGS := -D__ASSEMBLY__ -I. -g
KLDFLAGS := -nostdlib -static -no-pie -z max-page-size=0x1000 --no-warn-rwx-segments -T linker.ld

KSRCS   := $(wildcard boot/*.S kernel/*.c kernel/*.S kernel/*/*.c kernel/*/*.S kernel/fs/ext2/*.c mm/*.c tests/kernel/*.c tests/kernel/*.S)
KOBJS   := $(patsubst %,$(BUILD)/%.o,$(basename $(KSRCS)))
KDEPS   := $(KOBJS:.o=.d)

.PHONY: all run test gdb clean format lint deps bench stress host-tests iso kernel kernel-sanitize fuzz-syscalls grade lab student linux-run
all: $(KERNEL) $(ISO)
kernel: $(KERNEL)
iso: $(ISO)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(KASFLAGS) -MMD -MP -c $< -o $@

$(KERNEL): $(KOBJS) linker.ld tools/link-kernel.sh tools/gen_kallsyms.py
	tools/link-kernel.sh $@ $(LD) $(NM) $(CC) "$(KLDFLAGS)" $(KOBJS)

$(ISO): $(KERNEL) boot/grub.cfg tools/mkiso.sh
	tools/mkiso.sh $(KERNEL) $@

-include $(KDEPS)

# make kernel-sanitize: the same sources built again in their own object
# directory with GCC's UBSan (runtime: kernel/ubsan.c) and the stack
# protector (kernel/stackprotector.c), as Linux's CONFIG_UBSAN and
# CONFIG_STACKPROTECTOR_STRONG. The guard is a global symbol, not %fs:0x28:
# the kernel has no per-CPU segment for it. Alignment is left out as Linux
# leaves it out on x86 (unaligned loads are legal and used on purpose).
SAN_BUILD  := $(BUILD)/sanitize
SAN_KERNEL := $(SAN_BUILD)/oomlab.elf
SAN_FLAGS  := -fsanitize=undefined -fno-sanitize=alignment \
	      -fstack-protector-strong -mstack-protector-guard=global \
	      -DCONFIG_UBSAN -DCONFIG_STACKPROTECTOR
SAN_KCFLAGS := $(filter-out -fno-stack-protector,$(KCFLAGS)) $(SAN_FLAGS)
SAN_KOBJS  := $(patsubst $(BUILD)/%,$(SAN_BUILD)/%,$(KOBJS))
# The runtime itself is never instrumented (a report must not report itself),
# and the canary is set from code that has none.
SAN_UNINSTRUMENTED := $(SAN_BUILD)/kernel/ubsan.o $(SAN_BUILD)/kernel/stackprotector.o
$(SAN_UNINSTRUMENTED): SAN_KCFLAGS += -fno-sanitize=all -fno-stack-protector

$(SAN_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(SAN_KCFLAGS) -MMD -MP -c $< -o $@

$(SAN_BUILD)/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(KASFLAGS) -MMD -MP -c $< -o $@

$(SAN_KERNEL): $(SAN_KOBJS) linker.ld tools/link-kernel.sh tools/gen_kallsyms.py
	tools/link-kernel.sh $@ $(LD) $(NM) $(CC) "$(KLDFLAGS)" $(SAN_KOBJS)

-include $(SAN_KOBJS:.o=.d)
-include tests/host/host.mk
# User programs (user/user.mk: USER_BINS, built into build/user/) and the
# initrd that carries them (tools/initrd.mk: $(INITRD)).
-include user/user.mk
-include tools/initrd.mk
-include tools/disk.mk

# The sanitize kernel boots with the same initrd and disk, beside it as the
# runner expects (after initrd.mk and disk.mk: $(INITRD) and $(DISK) must be
# known here); the disk is a link (64 MiB, attached read-only), so the
# suites that need it (vmscan, rmap, reclaim_*) run under UBSan too.
$(SAN_BUILD)/initrd.cpio: $(INITRD)
	@mkdir -p $(dir $@)
	cp $< $@
$(SAN_BUILD)/disk.img: $(DISK)
	@mkdir -p $(dir $@)
	ln -sf ../$(notdir $(DISK)) $@
kernel-sanitize: $(SAN_KERNEL) $(SAN_BUILD)/initrd.cpio $(SAN_BUILD)/disk.img

deps:
	@tools/deps.sh

# make run: boot the GRUB ISO with the serial console on this terminal.
run: deps all
	@if [ -n "$(CMDLINE)" ]; then tools/mkiso.sh $(KERNEL) $(BUILD)/run.iso '$(CMDLINE)'; fi
	@echo "oomlab: booting the ISO in QEMU ($(MEM), $(ACCEL)). Quit QEMU with Ctrl-A then X."
	$(QEMU) -cdrom $(if $(CMDLINE),$(BUILD)/run.iso,$(ISO)) -m $(MEM) -cpu max -accel $(ACCEL) \
		-display none -serial mon:stdio -no-reboot $(DISK_QEMU_ARGS)

gdb: deps $(KERNEL)
	tools/gdb.sh $(KERNEL)

# make test: every tier (host unit tests, runner self-tests, ISO and gdb
# boots, every kernel suite); one closing "N passed, N failed" line.
test: deps all host-tests
	$(PYTHON) tools/run_tests.py --all -j $(JOBS) --accel $(ACCEL)
# The sanitize kernel runs the memory and user-mode suites again
# (run_tests.py --all); tests/runner/test_bench.py runs the bench driver once.
test: kernel-sanitize $(BENCH_MM)

# The OOM labs (docs/labs/, user/labs/). make grade [LAB=NAME]: every fix
# of every lab in its own QEMU, scored; make lab LAB=NAME FIX=off|on: boot
# with that fix's switches, run the lab on this terminal, stay at the shell;
# make student LAB=NAME: a copy of the tree without the lab's fix
# (build/student-NAME/).
LAB ?=
FIX ?= on
grade: deps all
	$(PYTHON) tools/grade.py -j $(JOBS) $(if $(LAB),--lab $(LAB))

lab: deps all
	@if [ -z "$(LAB)" ]; then echo "make lab LAB=NAME [FIX=off|on]; the labs:"; build/user/bin/lab list; exit 2; fi
	$(PYTHON) tools/lab_session.py $(LAB) $(FIX)

student:
	@if [ -z "$(LAB)" ]; then echo "make student LAB=NAME"; exit 2; fi
	$(PYTHON) tools/student.py $(LAB)

# make linux-run [LAB=NAME] [MEM=128M]: Debian's stock kernel with our
# initrd (fetched with apt-get download into build/linux/, never installed).
linux-run: deps all
	MEM=$(if $(filter command line,$(origin MEM)),$(MEM),128M) $(PYTHON) tools/linux_run.py $(LAB)

bench: deps all $(BENCH_MM)
	$(PYTHON) tools/bench.py

# make stress: issue 16's race, four workers forking children that
# mlockall shared copy-on-write pages (suite refcount_stress), for
# STRESS_SECONDS at each of STRESS_MEMS, plain and under preempt_stress;
# any BUG: line or wrong count fails it. Logs: build/stress-logs/SIZE/.
STRESS_SECONDS ?= 60
STRESS_MEMS ?= 64M 128M
stress: deps all
	@status=0; for mem in $(STRESS_MEMS); do \
		$(PYTHON) tools/run_tests.py refcount_stress --mem $$mem --accel $(ACCEL) -j $(JOBS) \
			--timeout $$(( $(STRESS_SECONDS) * 10 + 120 )) \
			--cmdline-extra "refcount_stress.seconds=$(STRESS_SECONDS)" \
			--log-dir $(BUILD)/stress-logs/$$mem || status=1; \
	done; exit $$status

# make fuzz-syscalls: the syscall fuzzer (user/fuzz) for FUZZ_SECONDS
# (default 180; host.mk's default of 60 is for make fuzz), at 64M unless
# MEM is given, with CMDLINE's extra kernel switches (page_poison=1
# slab_debug=1...); FUZZ_SEED=N replays a run (README.md). The same session as
# make test's short pass (tests/runner/test_fuzz_syscalls.py).
given = $(filter command line environment,$(origin $(1)))
SYSCALL_FUZZ_SECONDS := $(if $(call given,FUZZ_SECONDS),$(FUZZ_SECONDS),180)
SYSCALL_FUZZ_MEM := $(if $(call given,MEM),$(MEM),64M)
FUZZ_SEED ?=
fuzz-syscalls: deps all
	OOMLAB_FUZZ_SECONDS=$(SYSCALL_FUZZ_SECONDS) OOMLAB_FUZZ_SEED=$(FUZZ_SEED) \
		OOMLAB_FUZZ_MEM=$(SYSCALL_FUZZ_MEM) OOMLAB_FUZZ_CMDLINE='$(CMDLINE)' \
		$(PYTHON) tools/pyunit.py tests/runner -k test_fuzz_syscalls

FORMAT_SRCS := $(shell find kernel mm boot tests -name '*.[ch]' 2>/dev/null)
format:
	clang-format -i $(FORMAT_SRCS)

# Files that walk a linker-made table (__start_X..__stop_X): cppcheck sees two
# unrelated arrays there. The vsprintf test passes ints to %hh/%h on purpose.
LINKER_TABLE_USERS = kernel/extable.c kernel/ktest.c kernel/setup.c tests/host/bench_mm.c

lint: $(KERNEL) host-tests
	clang-format --dry-run -Werror $(FORMAT_SRCS)
	cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,portability \
		--inline-suppr -I. --suppress=missingIncludeSystem \
		$(foreach f,$(LINKER_TABLE_USERS),--suppress=comparePointers:$(f)) \
		--suppress=invalidPrintfArgType_uint:tests/host/test_vsprintf.c \
		--suppress=invalidPrintfArgType_sint:tests/host/test_vsprintf.c \
		kernel mm tests/kernel tests/host

clean:
	rm -rf $(BUILD)
