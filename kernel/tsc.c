/* TSC calibration against PIT channel 2, as Linux's pit_calibrate_tsc: gate
 * the channel on, count a known number of PIT ticks (10 ms) and see how far
 * the TSC moved. Under TCG the TSC follows the host clock, so the result is
 * good for timestamps but not for counting work. */
#include "kernel/time.h"
#include "kernel/x86.h"

#define PIT_HZ 1193182u
#define PIT_CH2_DATA 0x42
#define PIT_COMMAND 0x43
#define PIT_GATE_PORT 0x61
#define PIT_GATE_ON 0x01
#define PIT_SPEAKER 0x02
#define PIT_OUT2 0x20
#define PIT_CH2_MODE0_LOHI 0xb0
#define CALIBRATE_MS 10u
#define CALIBRATE_SPIN_LIMIT 100000000ull
#define FALLBACK_TSC_KHZ 1000000ull /* 1 GHz if the PIT never answers */

static uint64_t tsc_khz;
static uint64_t tsc_base;

void tsc_calibrate(void)
{
	uint32_t latch = PIT_HZ * CALIBRATE_MS / 1000;
	uint8_t gate = (inb(PIT_GATE_PORT) & ~PIT_SPEAKER) | PIT_GATE_ON;
	uint64_t start, end, spins = 0;

	outb(PIT_GATE_PORT, gate);
	outb(PIT_COMMAND, PIT_CH2_MODE0_LOHI);
	outb(PIT_CH2_DATA, latch & 0xff);
	outb(PIT_CH2_DATA, latch >> 8);
	start = rdtsc();
	while (!(inb(PIT_GATE_PORT) & PIT_OUT2) && spins++ < CALIBRATE_SPIN_LIMIT)
		;
	end = rdtsc();
	if (spins >= CALIBRATE_SPIN_LIMIT || end <= start)
		tsc_khz = FALLBACK_TSC_KHZ;
	else
		tsc_khz = (end - start) / CALIBRATE_MS;
	tsc_base = start;
}

uint64_t tsc_khz_get(void)
{
	return tsc_khz;
}

uint64_t local_clock(void)
{
	uint64_t cycles, hz, sec, rem;

	if (!tsc_khz)
		return 0;
	/* Split into seconds and remainder so that nothing overflows 64 bits. */
	cycles = rdtsc() - tsc_base;
	hz = tsc_khz * 1000;
	sec = cycles / hz;
	rem = cycles % hz;
	return sec * NSEC_PER_SEC + rem * 1000000 / tsc_khz;
}

void ndelay_busy(uint64_t ns)
{
	uint64_t end = local_clock() + ns;
	while (local_clock() < end)
		cpu_relax();
}
