# The disk, included by the top-level Makefile after tools/initrd.mk: an
# ext2 image (tools/mkdisk.py, Debian's mke2fs -d) of the user programs at
# /bin and generated lab data at /data. make run and the test runner's
# direct boots attach it read-only as virtio disk vda; init mounts it at /mnt.

DISK := $(BUILD)/disk.img
DISK_ROOT := $(BUILD)/disk-root
DISK_COMMA := ,
DISK_QEMU_ARGS = $(if $(wildcard $(DISK)),-drive \
	file=$(DISK)$(DISK_COMMA)if=virtio$(DISK_COMMA)format=raw$(DISK_COMMA)readonly=on)

$(DISK): tools/mkdisk.py tools/disk.mk $(INITRD_BINS)
	$(PYTHON) tools/mkdisk.py -o $@ --root $(DISK_ROOT) $(addprefix --bin ,$(INITRD_BINS))

.PHONY: disk
disk: $(DISK)
all: $(DISK)
