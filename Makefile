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

KSRCS   := $(wildcard boot/*.S kernel/*.c kernel/*.S kernel/*/*.c kernel/*/*.S mm/*.c tests/kernel/*.c tests/kernel/*.S)
KOBJS   := $(patsubst %,$(BUILD)/%.o,$(basename $(KSRCS)))
KDEPS   := $(KOBJS:.o=.d)

.PHONY: all run test gdb clean format lint deps bench host-tests iso kernel grade lab student linux-run
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
-include tests/host/host.mk
# User programs (user/user.mk: USER_BINS, built into build/user/) and the
# initrd that carries them (tools/initrd.mk: $(INITRD)).
-include user/user.mk
-include tools/initrd.mk

deps:
	@tools/deps.sh

# make run: boot the GRUB ISO with the serial console on this terminal.
run: deps all
	@if [ -n "$(CMDLINE)" ]; then tools/mkiso.sh $(KERNEL) $(BUILD)/run.iso '$(CMDLINE)'; fi
	@echo "oomlab: booting the ISO in QEMU ($(MEM), $(ACCEL)). Quit QEMU with Ctrl-A then X."
	$(QEMU) -cdrom $(if $(CMDLINE),$(BUILD)/run.iso,$(ISO)) -m $(MEM) -cpu max -accel $(ACCEL) \
		-display none -serial mon:stdio -no-reboot

gdb: deps $(KERNEL)
	tools/gdb.sh $(KERNEL)

# make test: every tier (host unit tests, runner self-tests, ISO and gdb
# boots, every kernel suite); one closing "N passed, N failed" line.
test: deps all host-tests
	$(PYTHON) tools/run_tests.py --all -j $(JOBS) --accel $(ACCEL)

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
