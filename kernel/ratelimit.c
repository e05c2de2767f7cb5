/* Rate limiting for repeated reports (Linux's lib/ratelimit.c). Read
 * first: the clock is local_clock(), so before TSC calibration every call
 * falls in the same first interval. */
#include "kernel/ratelimit.h"
#include "kernel/printk.h"
#include "kernel/time.h"

bool ___ratelimit(struct ratelimit_state *rs, const char *func)
{
	uint64_t now = local_clock();

	if (!rs->interval_ns)
		return true;
	if (!rs->started) {
		rs->started = true;
		rs->begin_ns = now;
	}
	if (now - rs->begin_ns >= rs->interval_ns) {
		if (rs->missed)
			pr_warn("%s: %d callbacks suppressed", func, rs->missed);
		rs->begin_ns = now;
		rs->printed = 0;
		rs->missed = 0;
	}
	if (rs->burst && rs->burst > rs->printed) {
		rs->printed++;
		return true;
	}
	rs->missed++;
	return false;
}
