# User land, included by the top-level Makefile: the libc (user/lib) and the
# programs (user/bin/NAME.c, or a directory user/NAME/ for sh and
# usertests), built with the host gcc as static
# Linux x86_64 ELFs. Read first: nothing here sees a host header or the host
# libc (-nostdinc -nostdlib), so the same binaries run on this Linux host
# (for testing) and on oomlab. Outputs: $(USER_BINS), and the malformed ELFs
# for usertests in $(USER_BAD_DIR).

USER_CC ?= gcc
USER_BUILD := $(BUILD)/user
USER_CFLAGS := -std=gnu11 -ffreestanding -fno-builtin -nostdinc -isystem user/include \
	-fno-pie -fno-stack-protector -fno-tree-loop-distribute-patterns \
	-fno-asynchronous-unwind-tables -fcf-protection=none -O2 -g \
	-Wall -Wextra -Werror
USER_LDFLAGS := -nostdlib -static -no-pie -Wl,-T,user/user.ld -Wl,-z,max-page-size=4096 \
	-Wl,--build-id=none

USER_LIB_SRCS := $(wildcard user/lib/*.c user/lib/*.S)
USER_LIB_OBJS := $(patsubst user/lib/%,$(USER_BUILD)/lib/%.o,$(basename $(USER_LIB_SRCS)))
USER_CRT0 := $(USER_BUILD)/lib/crt0.o
USER_LIBC := $(USER_BUILD)/libc.a

# One program per user/bin/NAME.c, and one per directory in USER_MULTI.
USER_MULTI := sh usertests fuzz lab
USER_PROGS := $(sort $(basename $(notdir $(wildcard user/bin/*.c))) $(USER_MULTI))
USER_BINS := $(addprefix $(USER_BUILD)/bin/,$(USER_PROGS))
# The lab program's sources live in user/labs/ (one file per lab).
user_dir = $(if $(filter lab,$(1)),labs,$(1))
user_objs = $(patsubst user/%.c,$(USER_BUILD)/%.o,$(wildcard user/$(call user_dir,$(1))/*.c))
USER_MULTI_OBJS := $(foreach p,$(USER_MULTI),$(call user_objs,$(p)))

USER_BAD_DIR := $(USER_BUILD)/bad
USER_BAD_STAMP := $(USER_BAD_DIR)/.stamp

USER_DEPS := $(USER_LIB_OBJS:.o=.d) $(USER_MULTI_OBJS:.o=.d) \
	$(patsubst %,$(USER_BUILD)/obj/%.d,$(USER_PROGS))

.PHONY: user user-format user-lint
all: user
user: $(USER_BINS) $(USER_BAD_STAMP)

# user/lib/x.c -> build/user/lib/x.o, user/sh/x.c -> build/user/sh/x.o, ...
$(USER_BUILD)/%.o: user/%.c user/user.mk
	@mkdir -p $(@D)
	$(USER_CC) $(USER_CFLAGS) -MMD -MP -c $< -o $@

$(USER_BUILD)/%.o: user/%.S user/user.mk
	@mkdir -p $(@D)
	$(USER_CC) $(USER_CFLAGS) -MMD -MP -c $< -o $@

# crt0.o is linked first, by name: nothing refers to _start, so the linker
# would never pull it out of the archive.
$(USER_LIBC): $(filter-out $(USER_CRT0),$(USER_LIB_OBJS))
	@rm -f $@
	ar rcs $@ $^

# Objects of user/bin programs live in obj/, so bin/ holds only programs.
$(USER_BUILD)/obj/%.o: user/bin/%.c user/user.mk
	@mkdir -p $(@D)
	$(USER_CC) $(USER_CFLAGS) -MMD -MP -c $< -o $@

$(USER_BUILD)/bin/%: $(USER_BUILD)/obj/%.o $(USER_CRT0) $(USER_LIBC) user/user.ld
	@mkdir -p $(@D)
	$(USER_CC) $(USER_LDFLAGS) -o $@ $(USER_CRT0) $< $(USER_LIBC) -lgcc

define user_multi_prog
$(USER_BUILD)/bin/$(1): $(call user_objs,$(1)) $(USER_CRT0) $(USER_LIBC) user/user.ld
	@mkdir -p $$(@D)
	$(USER_CC) $(USER_LDFLAGS) -o $$@ $(USER_CRT0) $(call user_objs,$(1)) $(USER_LIBC) -lgcc
endef
$(foreach p,$(USER_MULTI),$(eval $(call user_multi_prog,$(p))))

# Made afresh each time, so a renamed case leaves no stale file behind.
$(USER_BAD_STAMP): tools/mkbadelf.py
	rm -rf $(USER_BAD_DIR)
	$(PYTHON) tools/mkbadelf.py $(USER_BAD_DIR)
	@touch $@

-include $(USER_DEPS)

USER_FORMAT_SRCS := $(wildcard user/include/*.h user/include/sys/*.h user/lib/*.[ch] \
	user/bin/*.c $(foreach p,$(USER_MULTI),user/$(call user_dir,$(p))/*.[ch]))
format: user-format
user-format:
	clang-format -i $(USER_FORMAT_SRCS)

lint: user-lint
user-lint: user
	clang-format --dry-run -Werror $(USER_FORMAT_SRCS)
	cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,portability \
		--inline-suppr --suppress=missingIncludeSystem -Iuser/include -Iuser/lib \
		user/lib user/bin $(foreach p,$(USER_MULTI),user/$(call user_dir,$(p)))
