/* Rate limiting for repeated reports, as Linux's ___ratelimit: at most
 * burst messages per interval; the rest are counted and the count is
 * reported when a new interval opens. */
#ifndef OOMLAB_KERNEL_RATELIMIT_H
#define OOMLAB_KERNEL_RATELIMIT_H
#include <stdbool.h>
#include <stdint.h>

struct ratelimit_state {
	uint64_t interval_ns;
	int burst;
	int printed;
	int missed;
	uint64_t begin_ns;
	bool started;
};

#define RATELIMIT_STATE_INIT(interval, burst_count)               \
	{                                                         \
		.interval_ns = (interval), .burst = (burst_count) \
	}

/* true: go ahead and print. func names the caller in the "callbacks
 * suppressed" line. */
bool ___ratelimit(struct ratelimit_state *rs, const char *func);
#define __ratelimit(rs) ___ratelimit(rs, __func__)
#endif
