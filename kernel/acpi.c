/* ACPI table discovery for power-off. The RSDP comes from the boot loader
 * (multiboot2 copies it; PVH may give its address) or from the BIOS areas;
 * the S5 package is found by scanning the DSDT's AML for "_S5_", the usual
 * shortcut when there is no AML interpreter. */
#include "kernel/acpi.h"
#include "kernel/bootinfo.h"
#include "kernel/paging.h"
#include "kernel/printk.h"
#include "kernel/string.h"

#define RSDP_SIG "RSD PTR "
#define RSDP_V1_LEN 20
#define RSDP_V2_LEN 36
#define BIOS_ROM_START 0xe0000
#define BIOS_ROM_END 0x100000
#define EBDA_PTR_ADDR 0x40e
#define EBDA_SCAN_LEN 1024
#define RSDP_ALIGN 16
#define SDT_HEADER_LEN 36
#define SDT_MAX_LEN (1u << 20)
#define FADT_DSDT_OFF 40
#define FADT_PM1A_CNT_OFF 64
#define FADT_PM1B_CNT_OFF 68
#define FADT_X_DSDT_OFF 140
#define AML_NAME_OP 0x08
#define AML_PACKAGE_OP 0x12
#define AML_BYTE_PREFIX 0x0a
#define AML_ZERO_OP 0x00
#define AML_ONE_OP 0x01

static struct acpi_poweroff poweroff;
static bool poweroff_known;

static bool checksum_ok(const uint8_t *p, uint32_t len)
{
	uint8_t sum = 0;
	for (uint32_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + p[i]);
	return sum == 0;
}

static uint32_t get_u32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t get_u64(const uint8_t *p)
{
	return get_u32(p) | (uint64_t)get_u32(p + 4) << 32;
}

static const uint8_t *phys_ptr(uint64_t phys, uint64_t len)
{
	if (phys == 0 || phys + len > direct_map_end() || phys + len < phys)
		return NULL;
	return __va(phys);
}

/* A system description table with a sane length and checksum, or NULL. */
static const uint8_t *map_sdt(uint64_t phys, const char *sig)
{
	const uint8_t *h = phys_ptr(phys, SDT_HEADER_LEN);
	uint32_t len;

	if (!h || (sig && memcmp(h, sig, 4) != 0))
		return NULL;
	len = get_u32(h + 4);
	if (len < SDT_HEADER_LEN || len > SDT_MAX_LEN || !phys_ptr(phys, len))
		return NULL;
	return checksum_ok(h, len) ? h : NULL;
}

static const uint8_t *scan_rsdp(uint64_t start, uint64_t end)
{
	for (uint64_t p = start; p + RSDP_V1_LEN <= end; p += RSDP_ALIGN) {
		const uint8_t *r = phys_ptr(p, RSDP_V1_LEN);
		if (r && memcmp(r, RSDP_SIG, 8) == 0 && checksum_ok(r, RSDP_V1_LEN))
			return r;
	}
	return NULL;
}

static const uint8_t *find_rsdp(const struct boot_info *bi)
{
	const uint8_t *ebda_ptr = phys_ptr(EBDA_PTR_ADDR, 2);
	const uint8_t *r;

	if (bi->has_rsdp_copy && checksum_ok(bi->rsdp_copy, RSDP_V1_LEN))
		return bi->rsdp_copy;
	if (bi->rsdp_phys && (r = phys_ptr(bi->rsdp_phys, RSDP_V1_LEN)) &&
	    checksum_ok(r, RSDP_V1_LEN))
		return r;
	if (ebda_ptr) {
		uint64_t ebda = (uint64_t)(ebda_ptr[0] | ebda_ptr[1] << 8) << 4;
		if (ebda && (r = scan_rsdp(ebda, ebda + EBDA_SCAN_LEN)))
			return r;
	}
	return scan_rsdp(BIOS_ROM_START, BIOS_ROM_END);
}

static const uint8_t *find_fadt(const uint8_t *rsdp)
{
	bool xsdt = rsdp[15] >= 2 && get_u64(rsdp + 24) != 0;
	const uint8_t *sdt =
		xsdt ? map_sdt(get_u64(rsdp + 24), "XSDT") : map_sdt(get_u32(rsdp + 16), "RSDT");
	unsigned int entry = xsdt ? 8 : 4;

	if (!sdt)
		return NULL;
	for (uint32_t off = SDT_HEADER_LEN; off + entry <= get_u32(sdt + 4); off += entry) {
		uint64_t phys = xsdt ? get_u64(sdt + off) : get_u32(sdt + off);
		const uint8_t *t = map_sdt(phys, "FACP");
		if (t)
			return t;
	}
	return NULL;
}

static bool aml_small_int(const uint8_t *p, const uint8_t *end, uint16_t *val, const uint8_t **next)
{
	if (p >= end)
		return false;
	if (*p == AML_BYTE_PREFIX && p + 1 < end) {
		*val = p[1];
		*next = p + 2;
		return true;
	}
	if (*p == AML_ZERO_OP || *p == AML_ONE_OP) {
		*val = *p;
		*next = p + 1;
		return true;
	}
	return false;
}

/* Name(_S5_, Package(){ SLP_TYPa, SLP_TYPb, ... }) */
static bool parse_s5(const uint8_t *dsdt, uint16_t *typa, uint16_t *typb)
{
	uint32_t len = get_u32(dsdt + 4);
	const uint8_t *end = dsdt + len;

	for (const uint8_t *p = dsdt + SDT_HEADER_LEN; p + 8 < end; p++) {
		unsigned int pkglen_bytes;
		if (memcmp(p, "_S5_", 4) != 0 || p[4] != AML_PACKAGE_OP)
			continue;
		if (p[-1] != AML_NAME_OP && !(p[-1] == '\\' && p[-2] == AML_NAME_OP))
			continue;
		pkglen_bytes = (p[5] >> 6) + 1;
		p += 5 + pkglen_bytes + 1; /* PkgLength, NumElements */
		return aml_small_int(p, end, typa, &p) && aml_small_int(p, end, typb, &p);
	}
	return false;
}

void acpi_init(const struct boot_info *bi)
{
	const uint8_t *rsdp = find_rsdp(bi), *fadt, *dsdt;
	uint64_t dsdt_phys;

	if (!rsdp) {
		pr_warn("ACPI: no RSDP found; poweroff falls back to QEMU's port");
		return;
	}
	pr_info("ACPI: RSDP revision %u (%.6s)", rsdp[15], (const char *)rsdp + 9);
	fadt = find_fadt(rsdp);
	if (!fadt) {
		pr_warn("ACPI: no valid FADT");
		return;
	}
	dsdt_phys = get_u32(fadt + FADT_DSDT_OFF);
	if (get_u32(fadt + 4) >= FADT_X_DSDT_OFF + 8 && get_u64(fadt + FADT_X_DSDT_OFF))
		dsdt_phys = get_u64(fadt + FADT_X_DSDT_OFF);
	dsdt = map_sdt(dsdt_phys, "DSDT");
	poweroff.pm1a_cnt = (uint16_t)get_u32(fadt + FADT_PM1A_CNT_OFF);
	poweroff.pm1b_cnt = (uint16_t)get_u32(fadt + FADT_PM1B_CNT_OFF);
	if (!dsdt || !poweroff.pm1a_cnt ||
	    !parse_s5(dsdt, &poweroff.slp_typa, &poweroff.slp_typb)) {
		pr_warn("ACPI: no \\_S5 sleep state found");
		return;
	}
	poweroff_known = true;
	pr_info("ACPI: PM1a_CNT 0x%x, S5 SLP_TYP %u", poweroff.pm1a_cnt, poweroff.slp_typa);
}

bool acpi_get_poweroff(struct acpi_poweroff *out)
{
	if (poweroff_known)
		*out = poweroff;
	return poweroff_known;
}
