/* A memory balloon in the style of Linux's drivers/virtio/virtio_balloon.c
 * with VIRTIO_BALLOON_F_DEFLATE_ON_OOM, and the OOM notifier's real user.
 * Read first: there is no hypervisor; whoever writes a target to
 * /proc/balloon plays it, and the writing task itself fills or leaks the
 * balloon (Linux does that in a work item). balloon_lock guards the page
 * list; the OOM notifier takes it too, which is what makes the locking of
 * the fill path matter (the balloon.inflate_gfp switch). */
#include "mm/balloon.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/fs/proc_fs.h"
#include "kernel/notifier.h"
#include "kernel/printk.h"
#include "kernel/ratelimit.h"
#include "kernel/string.h"
#include "kernel/timer.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/oom.h"
#include "mm/vmstat.h"

/* Pages taken or given back per round, as Linux's pfns array: a signal or
 * a new target is noticed between rounds. */
#define BALLOON_BATCH 256
#define OUT_OF_PUFF_INTERVAL_NS (5ULL * 1000000000ULL)
#define OUT_OF_PUFF_BURST 10

DEFINE_MUTEX(balloon_lock);
static LIST_HEAD(balloon_pages); /* via page->lru, newest first */
static struct balloon_stats balloon;

/* noretry (Linux today): pages are allocated with __GFP_NORETRY, which
 * never reaches the OOM path, outside balloon_lock, and only queued under
 * it. kernel: the lab's scenario knob, Linux's locking before c7cdff0e8647
 * ("virtio_balloon: fix deadlock on OOM") with a mask that may reach the
 * OOM path: the filling task holds balloon_lock while it allocates, so an
 * OOM notifier that needs balloon_lock waits for an allocation that waits
 * for the OOM path: the seed-3 AB-BA. */
/* mayfail: lab 05's knob: the same locking as kernel, with
 * __GFP_RETRY_MAYFAIL: the fill never OOM-kills, but it retries while
 * another task holds oom_lock (a failed trylock is "progress"), so it can
 * wait, holding balloon_lock, for a notifier that waits for balloon_lock. */
static const char *const balloon_inflate_gfp_names[] = {"noretry", "kernel", "mayfail", NULL};
int balloon_inflate_gfp = BALLOON_INFLATE_NORETRY;
core_param_enum(balloon_inflate_gfp, "balloon.inflate_gfp", balloon_inflate_gfp,
		balloon_inflate_gfp_names,
		"balloon fill: noretry (Linux), kernel (under balloon_lock, may OOM) or mayfail "
		"(under balloon_lock, __GFP_RETRY_MAYFAIL)");
/* VIRTIO_BALLOON_F_DEFLATE_ON_OOM: 0 makes the OOM notifier give nothing. */
bool balloon_deflate_on_oom = true;
core_param_bool(balloon_deflate_on_oom, "balloon.deflate_on_oom", balloon_deflate_on_oom,
		"the balloon gives pages back to the OOM notifier chain");

/* How long the "host" takes to acknowledge a deflate. Linux's leak_balloon
 * waits for that answer (tell_host) holding balloon_lock, before it frees
 * the pages; from the OOM notifier that is a notifier sleeping under
 * oom_lock, the other half of the seed-3 debate. 0: an instant host. */
long balloon_host_ack_ms;
core_param_int(balloon_host_ack_ms, "balloon.host_ack_ms", balloon_host_ack_ms, 0, 60000,
	       "ms the balloon's host takes to acknowledge a deflate (the notifier sleeps)");

static enum balloon_inflate_gfp inflate_mode(void)
{
	return (enum balloon_inflate_gfp)__atomic_load_n(&balloon_inflate_gfp, __ATOMIC_RELAXED);
}

/* As Linux's balloon_page_alloc (GFP_HIGHUSER: there is no compaction
 * here, so no movable balloon pages). */
static struct page *balloon_page_alloc(void)
{
	gfp_t gfp = GFP_HIGHUSER | __GFP_NOMEMALLOC;

	if (inflate_mode() == BALLOON_INFLATE_NORETRY)
		gfp |= __GFP_NORETRY | __GFP_NOWARN;
	/* LAB notifier: begin */
	if (inflate_mode() == BALLOON_INFLATE_MAYFAIL)
		gfp |= __GFP_RETRY_MAYFAIL | __GFP_NOWARN;
	/* LAB notifier: end */
	return alloc_page(gfp);
}

static void out_of_puff(void)
{
	static struct ratelimit_state rs =
		RATELIMIT_STATE_INIT(OUT_OF_PUFF_INTERVAL_NS, OUT_OF_PUFF_BURST);

	if (__ratelimit(&rs))
		pr_info("virtio_balloon: Out of puff! Can't get 1 pages");
}

/* As Linux's balloon_page_enqueue; balloon_lock held. */
static void balloon_page_enqueue(struct page *page)
{
	list_add(&page->lru, &balloon_pages);
	balloon.size++;
	balloon.inflated++;
	count_vm_event(BALLOON_INFLATE);
	mod_zone_page_state(page_zone(page), NR_BALLOON_PAGES, 1);
}

/* As Linux's leak_balloon, pages freed at once (release_pages_balloon);
 * balloon_lock held. Returns the pages given back. */
static unsigned long leak_balloon_locked(unsigned long num)
{
	long ack_ms = __atomic_load_n(&balloon_host_ack_ms, __ATOMIC_RELAXED);
	LIST_HEAD(pages);
	unsigned long n = 0;
	struct page *page, *tmp;

	while (n < num && !list_empty(&balloon_pages)) {
		list_move(balloon_pages.next, &pages);
		n++;
	}
	if (n && ack_ms)
		msleep((unsigned int)ack_ms); /* tell_host: wait for the ack */
	list_for_each_entry_safe(page, tmp, &pages, lru) {
		list_del(&page->lru);
		mod_zone_page_state(page_zone(page), NR_BALLOON_PAGES, -1);
		__free_page(page);
	}
	balloon.size -= n;
	balloon.deflated += n;
	count_vm_events(BALLOON_DEFLATE, n);
	return n;
}

/* Up to num pages, allocated before balloon_lock is taken (Linux since
 * c7cdff0e8647). Returns the pages added; fewer than num: out of memory. */
static unsigned long fill_balloon_unlocked(unsigned long num)
{
	LIST_HEAD(pages);
	unsigned long n = 0;
	struct page *page, *tmp;

	for (; n < num; n++) {
		page = balloon_page_alloc();
		if (!page) {
			out_of_puff();
			break;
		}
		list_add(&page->lru, &pages);
	}
	mutex_lock(&balloon_lock);
	list_for_each_entry_safe(page, tmp, &pages, lru) {
		list_del(&page->lru);
		balloon_page_enqueue(page);
	}
	mutex_unlock(&balloon_lock);
	return n;
}

/* LAB notifier: begin */
/* The scenario knob's fill: every allocation under balloon_lock. */
static unsigned long fill_balloon_locked(unsigned long num)
{
	unsigned long n = 0;

	mutex_lock(&balloon_lock);
	for (; n < num; n++) {
		struct page *page = balloon_page_alloc();

		if (!page) {
			out_of_puff();
			break;
		}
		balloon_page_enqueue(page);
	}
	mutex_unlock(&balloon_lock);
	return n;
}
/* LAB notifier: end */

static unsigned long fill_balloon(unsigned long num)
{
	if (inflate_mode() != BALLOON_INFLATE_NORETRY)
		return fill_balloon_locked(num);
	return fill_balloon_unlocked(num);
}

/* As Linux's towards_target: pages to add (> 0) or give back (< 0). */
static long towards_target(void)
{
	long diff;

	mutex_lock(&balloon_lock);
	diff = (long)balloon.target - (long)balloon.size;
	mutex_unlock(&balloon_lock);
	return diff;
}

static long batch(long diff)
{
	long n = diff < 0 ? -diff : diff;

	return n < BALLOON_BATCH ? n : BALLOON_BATCH;
}

int balloon_set_target(unsigned long target)
{
	long diff;

	if (target > totalram_pages)
		return -EINVAL;
	mutex_lock(&balloon_lock);
	balloon.target = target;
	mutex_unlock(&balloon_lock);
	while ((diff = towards_target()) != 0) {
		if (fatal_signal_pending(current))
			return -EINTR;
		if (diff > 0) {
			if (fill_balloon((unsigned long)batch(diff)) < (unsigned long)batch(diff))
				break; /* out of puff: stay short of the target */
		} else {
			mutex_lock(&balloon_lock);
			leak_balloon_locked((unsigned long)batch(diff));
			mutex_unlock(&balloon_lock);
		}
		cond_resched();
	}
	return 0;
}

void balloon_get_stats(struct balloon_stats *stats)
{
	mutex_lock(&balloon_lock);
	*stats = balloon;
	mutex_unlock(&balloon_lock);
}

/* As Linux's virtio_balloon_oom_notify: give back a bounded amount, under
 * the same lock as every other balloon change. */
static int balloon_oom_notify(struct notifier_block *nb, unsigned long unused, void *parm)
{
	unsigned long *freed = parm, n;

	(void)nb;
	(void)unused;
	if (!__atomic_load_n(&balloon_deflate_on_oom, __ATOMIC_RELAXED))
		return NOTIFY_OK;
	mutex_lock(&balloon_lock);
	n = leak_balloon_locked(VIRTIO_BALLOON_OOM_NR_PAGES);
	balloon.oom_deflated += n;
	mutex_unlock(&balloon_lock);
	*freed += n;
	return NOTIFY_OK;
}

static struct notifier_block balloon_oom_nb = {
	.notifier_call = balloon_oom_notify,
	.priority = VIRTIO_BALLOON_OOM_NOTIFY_PRIORITY,
};

void balloon_init(void)
{
	if (register_oom_notifier(&balloon_oom_nb))
		pr_err("virtio_balloon: cannot register the OOM notifier");
}

/* --- /proc/balloon: the figures, and the target as the writable part --- */

static int balloon_show(struct seq_file *m)
{
	struct balloon_stats s;

	balloon_get_stats(&s);
	seq_printf(m, "size %lu\ntarget %lu\ninflated %lu\ndeflated %lu\noom_deflated %lu\n",
		   s.size, s.target, s.inflated, s.deflated, s.oom_deflated);
	return 0;
}

/* "N" pages, or a size with a K, M or G suffix (rounded up to pages). */
static int parse_target(char *text, unsigned long *pages)
{
	char *s = strstrip(text);
	size_t len = strlen(s);
	unsigned int shift = 0;
	long value;

	if (len == 0)
		return -EINVAL;
	switch (s[len - 1]) {
	case 'K':
	case 'k': shift = 10; break;
	case 'M':
	case 'm': shift = 20; break;
	case 'G':
	case 'g': shift = 30; break;
	default: break;
	}
	if (shift)
		s[len - 1] = '\0';
	if (kstrtol(s, 10, &value) || value < 0)
		return -EINVAL;
	if (!shift) {
		*pages = (unsigned long)value;
		return 0;
	}
	if ((unsigned long)value > (~0UL >> shift))
		return -EINVAL;
	*pages = (((unsigned long)value << shift) + PAGE_SIZE - 1) / PAGE_SIZE;
	return 0;
}

static ssize_t balloon_write(struct inode *inode, char *buf, size_t count)
{
	unsigned long target;
	int err;

	(void)inode;
	err = parse_target(buf, &target);
	if (!err)
		err = balloon_set_target(target);
	return err ? err : (ssize_t)count;
}

static const struct proc_ops balloon_proc_ops = {.proc_show = balloon_show,
						 .proc_write = balloon_write};

void proc_balloon_init(struct dentry *proc_root)
{
	proc_create(proc_root, "balloon", 0644, &balloon_proc_ops, NULL);
}
