/* Just enough ACPI to power off: find the RSDP, walk the RSDT/XSDT to the
 * FADT, and read the S5 sleep type from the DSDT. Every table is
 * checksummed and bounds-checked before use. */
#ifndef OOMLAB_KERNEL_ACPI_H
#define OOMLAB_KERNEL_ACPI_H
#include <stdbool.h>
#include <stdint.h>
struct boot_info;
struct acpi_poweroff {
	uint16_t pm1a_cnt;
	uint16_t pm1b_cnt;
	uint16_t slp_typa;
	uint16_t slp_typb;
};
void acpi_init(const struct boot_info *bi);
/* False when ACPI could not tell how to power off. */
bool acpi_get_poweroff(struct acpi_poweroff *out);
#endif
