# The initrd, included by the top-level Makefile after user/user.mk: a newc
# cpio archive (tools/mkinitrd.py) of the user programs at /bin, the
# malformed ELFs for the loader tests at /test, and the vfs suites'
# fixtures. GRUB loads it as a module (boot/grub.cfg, copied by
# tools/mkiso.sh); the test runner's direct boots pass it with -initrd.

INITRD := $(BUILD)/initrd.cpio

# Malformed ELFs from tools/mkbadelf.py: user.mk's copy when it makes one.
ifdef USER_BAD_DIR
INITRD_TEST_DIR := $(USER_BAD_DIR)
INITRD_TEST_DEPS := $(USER_BAD_STAMP)
else ifneq ($(wildcard tools/mkbadelf.py),)
INITRD_TEST_DIR := $(BUILD)/initrd-test
INITRD_TEST_DEPS := $(INITRD_TEST_DIR)/.stamp
$(INITRD_TEST_DIR)/.stamp: tools/mkbadelf.py
	rm -rf $(@D) && mkdir -p $(@D)
	$(PYTHON) tools/mkbadelf.py $(@D)
	@touch $@
endif

# USER_BINS may name programs or paths to them.
INITRD_BINS := $(foreach b,$(USER_BINS),$(if $(findstring /,$(b)),$(b),$(BUILD)/user/bin/$(b)))

$(INITRD): tools/mkinitrd.py tools/initrd.mk $(INITRD_BINS) $(INITRD_TEST_DEPS)
	$(PYTHON) tools/mkinitrd.py -o $@ $(addprefix --bin ,$(INITRD_BINS)) \
		$(addprefix --test-dir ,$(INITRD_TEST_DIR))

.PHONY: initrd
initrd: $(INITRD)
all: $(INITRD)
$(ISO): $(INITRD)
