/* The kernel services mm/ needs, for the host: printk into a searchable
 * capture, panic, dump_stack, a fake clock, __pa over the synthetic RAM,
 * plus the world builder and the free-list checker shared by test_mm,
 * fuzz_buddy and bench_mm. Read first: nothing here allocates pages; it
 * only reads the allocator's structures, so a check never hides a bug. */
#include "tests/host/mm_host.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/psi.h"
#include "kernel/stacktrace.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "mm/oom.h"
#include "mm/overcommit.h"
#include "mm/swap.h"
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
/* After stdio: snprintf below is the kernel's (ksnprintf), like the mm
 * files' own. */
#include "kernel/vsprintf.h"

#define CHECK_MSG_LEN 256

bool host_irqs_on = true;
/* kernel/preempt.h's per-CPU state; nothing on the host sets
 * __need_resched, so preempt_schedule() is never due. */
volatile int __preempt_count;
struct task_struct *current_task; /* none on the host: reports say swapper/0 */
volatile bool __need_resched;
uint8_t *host_phys_base;
uint64_t host_clock_ns;
/* The tick, moved only by the sleeps below (the stall watchdog reads it). */
volatile unsigned long jiffies;

unsigned long msecs_to_jiffies(unsigned int ms)
{
	return ((unsigned long)ms * HZ + 999) / 1000;
}

unsigned int jiffies_to_msecs(unsigned long j)
{
	return (unsigned int)(j * 1000 / HZ);
}
static uint64_t host_direct_map_end;

/* mm/util.c's overcommit accounting, which meminfo shows: no address
 * spaces exist on the host, so nothing is ever committed. */
unsigned long vm_commit_limit(void)
{
	return 0;
}
unsigned long vm_memory_committed(void)
{
	return 0;
}

/* kernel/psi.c: no tasks on the host, so no stall to record. */
void psi_memstall_enter(unsigned long *flags)
{
	*flags = 1;
}
void psi_memstall_leave(unsigned long *flags)
{
	(void)flags;
}

/* ---- memory ---- */

static void host_mem_init(void)
{
	void *p;

	if (host_phys_base) {
		/* Give back what the last world touched: each world starts on
		 * zero-filled, unbacked memory. */
		madvise(host_phys_base, HOST_PHYS_SIZE, MADV_DONTNEED);
		return;
	}
	p = mmap(NULL, HOST_PHYS_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		perror("mm_host: mmap of the synthetic physical memory");
		abort();
	}
	host_phys_base = p;
}

uint64_t __pa(const void *virt)
{
	const uint8_t *v = virt;

	if (!host_phys_base || v < host_phys_base || v >= host_phys_base + HOST_PHYS_SIZE) {
		fprintf(stderr, "__pa(%p): not in the synthetic physical memory\n", virt);
		abort();
	}
	return (uint64_t)(v - host_phys_base);
}

uint64_t direct_map_end(void)
{
	return host_direct_map_end;
}

uint64_t local_clock(void)
{
	return host_clock_ns;
}

void preempt_schedule(void)
{
	fprintf(stderr, "preempt_schedule: no tasks on the host\n");
	abort();
}

/* ---- the log ---- */

static char log_lines[HOST_LOG_LINES][HOST_LOG_LINE_LEN];
static unsigned long log_total; /* lines since the last clear */
static int log_echo = -1;	/* -1: not decided yet (read the environment) */

void host_log_clear(void)
{
	log_total = 0;
}

void host_log_echo(bool on)
{
	log_echo = on;
}

static void log_add(int level, const char *text)
{
	if (log_echo < 0) {
		const char *v = getenv("HOST_TEST_VERBOSE");

		log_echo = v && v[0] == '1';
	}
	if (log_echo)
		fprintf(stderr, "<%d>%s\n", level, text);
	snprintf(log_lines[log_total % HOST_LOG_LINES], HOST_LOG_LINE_LEN, "%s", text);
	log_total++;
}

int vprintk(const char *fmt, va_list ap)
{
	char line[HOST_LOG_LINE_LEN];
	int level = LOGLEVEL_DEFAULT;
	int n;

	if (fmt[0] == KERN_SOH[0] && fmt[1] >= '0' && fmt[1] <= '7') {
		level = fmt[1] - '0';
		fmt += 2;
	}
	n = vsnprintf(line, sizeof(line), fmt, ap);
	log_add(level, line);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

static unsigned long log_first_kept(void)
{
	return log_total > HOST_LOG_LINES ? log_total - HOST_LOG_LINES : 0;
}

int host_log_count(const char *needle)
{
	int n = 0;

	for (unsigned long i = log_first_kept(); i < log_total; i++)
		n += strstr(log_lines[i % HOST_LOG_LINES], needle) != NULL;
	return n;
}

bool host_log_find(const char *needle, char *out, size_t len)
{
	for (unsigned long i = log_total; i-- > log_first_kept();) {
		const char *line = log_lines[i % HOST_LOG_LINES];

		if (strstr(line, needle)) {
			if (out && len)
				snprintf(out, len, "%s", line);
			return true;
		}
	}
	return false;
}

/* The kernel's first line, so a report reads the same; there are no
 * kernel frames to walk on the host. */
void dump_stack(void)
{
	pr_emerg("CPU: 0 PID: 0 Comm: swapper/0 Not tainted");
	pr_emerg("Call Trace: (host test: not walked)");
}

/* ---- the OOM killer's side, which needs tasks: on the host there are
 * none, so nothing is a victim, nobody holds oom_lock and out_of_memory
 * finds nothing to kill (no progress, so the allocation fails). ---- */

struct mutex oom_lock;

bool tsk_is_oom_victim(const struct task_struct *p)
{
	(void)p;
	return false;
}

int mutex_trylock(struct mutex *lock)
{
	(void)lock;
	return 1;
}

int mutex_lock_killable(struct mutex *lock)
{
	(void)lock;
	return 0;
}

void mutex_unlock(struct mutex *lock)
{
	(void)lock;
}

long schedule_timeout_uninterruptible(long timeout)
{
	host_clock_ns += (uint64_t)timeout * (NSEC_PER_SEC / HZ);
	jiffies += (unsigned long)timeout;
	return 0;
}

unsigned long oom_skip_count(void)
{
	return 1;
}

int _cond_resched(void)
{
	return 0; /* one thread on the host: nobody to yield to */
}

bool out_of_memory(struct oom_control *oc)
{
	(void)oc;
	return false;
}

void panic(const char *fmt, ...)
{
	char buf[HOST_LOG_LINE_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	pr_emerg("Kernel panic - not syncing: %s", buf);
	fprintf(stderr, "Kernel panic - not syncing: %s\n", buf);
	abort();
}

/* No OOM notifiers on the host (mm/oom_notify.c needs tasks and locks):
 * the slow path's two hooks find an empty chain. */
bool oom_notify_outside_lock(void)
{
	return false;
}
bool oom_notify_inside_lock(void)
{
	return false;
}

/* No LRU and nothing to reclaim on the host: host pages are never on an
 * LRU list, and reclaim frees nothing, so the slow path goes straight
 * from its retries to out_of_memory as before. */
void __page_cache_release(struct page *page)
{
	(void)page;
}
unsigned long try_to_free_pages(gfp_t gfp_mask, unsigned int order, enum zone_type highest_zoneidx)
{
	(void)gfp_mask, (void)order, (void)highest_zoneidx;
	return 0;
}
unsigned long zone_reclaimable_pages(struct zone *zone)
{
	(void)zone;
	return 0;
}
void wakeup_kswapd(struct zone *zone, gfp_t gfp_flags, int order, enum zone_type highest_zoneidx)
{
	(void)zone, (void)gfp_flags, (void)order, (void)highest_zoneidx;
}

/* ---- worlds ---- */

void world_begin(void)
{
	static const int default_ratio[MAX_NR_ZONES] = {256, 256, 32};

	host_mem_init();
	host_log_clear();
	host_irqs_on = true;
	__preempt_count = 0;
	memblock_reset();
	user_min_free_kbytes = -1;
	watermark_scale_factor = 10;
	page_poisoning_enabled = false;
	memcpy(sysctl_lowmem_reserve_ratio, default_ratio, sizeof(default_ratio));
}

void world_boot(void)
{
	host_direct_map_end = memblock_end_of_DRAM();
	if (host_direct_map_end > HOST_PHYS_SIZE) {
		fprintf(stderr, "world_boot: RAM ends at 0x%llx, past the synthetic memory\n",
			(unsigned long long)host_direct_map_end);
		abort();
	}
	mm_core_init();
}

void world_boot_pc(uint64_t below_4g, uint64_t above_4g)
{
	world_begin();
	memblock_add(0, HOST_LOW_RAM_END);
	memblock_add(MIB, below_4g - MIB);
	if (above_4g)
		memblock_add(4 * GIB, above_4g);
	memblock_reserve(0, HOST_LOW_RESERVE);
	memblock_reserve(HOST_KERNEL_BASE, HOST_KERNEL_SIZE);
	world_boot();
}

/* ---- checks ---- */

static char check_msg[CHECK_MSG_LEN];

#define check_fail(...) (snprintf(check_msg, sizeof(check_msg), __VA_ARGS__), check_msg)

/* A free block: its head is PageBuddy with the list's order, it is
 * naturally aligned, lies inside its zone and belongs to nobody. */
static const char *check_block(const struct zone *zone, const struct page *page, unsigned int order,
			       bool interiors)
{
	unsigned long pfn = page_to_pfn(page);

	if (!PageBuddy(page))
		return check_fail("%s order %u: pfn 0x%lx is on the free list but not PageBuddy",
				  zone->name, order, pfn);
	if (page->private != order)
		return check_fail("%s order %u: pfn 0x%lx has buddy order %lu", zone->name, order,
				  pfn, page->private);
	if (pfn & ((1ul << order) - 1))
		return check_fail("%s order %u: pfn 0x%lx is not aligned to its order", zone->name,
				  order, pfn);
	if (pfn < zone->zone_start_pfn || pfn + (1ul << order) > zone_end_pfn(zone))
		return check_fail("%s order %u: block at pfn 0x%lx is outside the zone", zone->name,
				  order, pfn);
	for (unsigned long i = 0; i < (interiors ? 1ul << order : 1ul); i++) {
		const struct page *p = page + i;

		if (i && PageBuddy(p))
			return check_fail(
				"%s order %u: pfn 0x%lx inside the free block at 0x%lx is "
				"itself PageBuddy (overlapping free blocks)",
				zone->name, order, pfn + i, pfn);
		if (page_zonenum(p) != zone_idx(zone) || p->_refcount || PageReserved(p) ||
		    PageHead(p) || PageTail(p))
			return check_fail("%s order %u: pfn 0x%lx in a free block has flags 0x%lx "
					  "refcount %d",
					  zone->name, order, pfn + i, p->flags, p->_refcount);
	}
	return NULL;
}

/* Walks at most limit entries, checking the links both ways; *n is the
 * length, or the walk fails. */
static const char *walk_list(const struct zone *zone, const struct list_head *head,
			     unsigned long limit, unsigned long *n, const char *what)
{
	const struct list_head *pos = head;

	*n = 0;
	while (pos->next != head) {
		if (pos->next->prev != pos)
			return check_fail("%s %s: broken list links after %lu entries", zone->name,
					  what, *n);
		pos = pos->next;
		if (++*n > limit)
			return check_fail("%s %s: longer than its count (%lu), or looped",
					  zone->name, what, limit);
	}
	return NULL;
}

static const char *check_zone_free_area(const struct zone *zone, bool interiors, long *sum)
{
	*sum = 0;
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
		const struct free_area *area = &zone->free_area[o];
		const struct list_head *pos;
		unsigned long n;
		const char *err;
		char what[24];

		snprintf(what, sizeof(what), "free_area[%u]", o);
		err = walk_list(zone, &area->free_list, area->nr_free, &n, what);
		if (err)
			return err;
		if (n != area->nr_free)
			return check_fail("%s %s: %lu blocks on the list, nr_free says %lu",
					  zone->name, what, n, area->nr_free);
		for (pos = area->free_list.next; pos != &area->free_list; pos = pos->next) {
			err = check_block(zone, list_entry(pos, struct page, lru), o, interiors);
			if (err)
				return err;
		}
		*sum += (long)(area->nr_free << o);
	}
	return NULL;
}

/* pcp pages are out of the buddy (not PageBuddy) but owned by nobody. */
static const char *check_zone_pcp(const struct zone *zone)
{
	const struct per_cpu_pages *pcp = &zone->pcp;
	const struct page *page;
	unsigned long n;
	const char *err;

	if (!pcp->list.next)
		return pcp->count ? check_fail("%s pcp: count %d, no list", zone->name, pcp->count)
				  : NULL;
	err = walk_list(zone, &pcp->list, (unsigned long)(pcp->count < 0 ? 0 : pcp->count), &n,
			"pcp");
	if (err)
		return err;
	if ((long)n != pcp->count)
		return check_fail("%s pcp: %lu pages on the list, count says %d", zone->name, n,
				  pcp->count);
	/* A free that reaches high hands a batch back at once. */
	if (pcp->count && pcp->count >= pcp->high)
		return check_fail("%s pcp: %d pages, at or above high (%d)", zone->name, pcp->count,
				  pcp->high);
	list_for_each_entry(page, &pcp->list, lru)
		if (PageBuddy(page) || page->_refcount || page_zonenum(page) != zone_idx(zone) ||
		    !zone_spans_pfn(zone, page_to_pfn(page)))
			return check_fail("%s pcp: pfn 0x%lx is not a "
					  "free page of this zone",
					  zone->name, page_to_pfn(page));
	return NULL;
}

/* The rules: every zone's free lists are sound (check_block), each list
 * is as long as its nr_free, NR_FREE_PAGES is exactly the pages on the
 * buddy lists (sum of nr_free << order: pcp pages excluded), the pcp list
 * is as long as pcp.count and shorter than pcp.high, free + pcp pages
 * never exceed managed, the global counter is the sum of the zones', and
 * the allocator left the interrupt flag on, no zone lock held and
 * preemption enabled. */
const char *mm_check_free_lists(bool interiors)
{
	long global = 0;

	for (int z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone *zone = zone_of((enum zone_type)z);
		long sum;
		const char *err = check_zone_free_area(zone, interiors, &sum);

		if (!err)
			err = check_zone_pcp(zone);
		if (err)
			return err;
		if (sum != zone_page_state(zone, NR_FREE_PAGES))
			return check_fail("%s: %ld pages on the free lists, NR_FREE_PAGES says %ld",
					  zone->name, sum, zone_page_state(zone, NR_FREE_PAGES));
		if ((unsigned long)(sum + zone->pcp.count) > zone->managed_pages)
			return check_fail("%s: %ld free + %d pcp pages, only %lu managed",
					  zone->name, sum, zone->pcp.count, zone->managed_pages);
		if (spin_is_locked(&zone->lock))
			return check_fail("%s: zone lock left held", zone->name);
		global += sum;
	}
	if (global != global_zone_page_state(NR_FREE_PAGES))
		return check_fail("global NR_FREE_PAGES %ld, zones sum to %ld",
				  global_zone_page_state(NR_FREE_PAGES), global);
	if (!host_irqs_on)
		return check_fail("interrupts left disabled");
	if (__preempt_count)
		return check_fail("preempt_count left at %d", __preempt_count);
	return NULL;
}

void mm_snapshot_take(struct mm_snapshot *snap)
{
	memset(snap, 0, sizeof(*snap));
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone *zone = zone_of((enum zone_type)z);

		for (int o = 0; o < NR_PAGE_ORDERS; o++)
			snap->nr_free[z][o] = zone->free_area[o].nr_free;
		snap->free_pages[z] = zone_page_state(zone, NR_FREE_PAGES);
		snap->pcp_count[z] = zone->pcp.count;
	}
}

const char *mm_snapshot_diff(const struct mm_snapshot *now, const struct mm_snapshot *then)
{
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		const char *name = zone_of((enum zone_type)z)->name;

		for (int o = 0; o < NR_PAGE_ORDERS; o++)
			if (now->nr_free[z][o] != then->nr_free[z][o])
				return check_fail("%s order %d: %lu free blocks, expected %lu",
						  name, o, now->nr_free[z][o], then->nr_free[z][o]);
		if (now->free_pages[z] != then->free_pages[z])
			return check_fail("%s: %ld free pages, expected %ld", name,
					  now->free_pages[z], then->free_pages[z]);
		if (now->pcp_count[z] != then->pcp_count[z])
			return check_fail("%s: %d pcp pages, expected %d", name, now->pcp_count[z],
					  then->pcp_count[z]);
	}
	return NULL;
}
