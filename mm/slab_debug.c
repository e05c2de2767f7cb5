/* Slab debugging: red zones, poison, double-free checks and the reports,
 * in Linux's words (mm/slub.c's "BUG kmalloc-64 (Not tainted): ..."). Read
 * first: a failed check reports, repairs the bytes it can, and keeps the
 * object away from the freelist (refused or quarantined); a damaged object
 * must never reach the allocator's lists. */
#include "kernel/kallsyms.h"
#include "kernel/printk.h"
#include "kernel/stacktrace.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/vsprintf.h"
#include "mm/slab_internal.h"
#include <stdarg.h>

#define SLAB_MSG_MAX 160
#define HEX_BYTES_PER_LINE 16
#define SECTION_DUMP_MAX 128 /* bytes of one section shown: the start is what matters */
#define NSEC_PER_MSEC 1000000ull
#define SYMBOL_MAX 128

static unsigned long nr_slab_errors;

unsigned long slab_error_count(void)
{
	return nr_slab_errors;
}

static void slab_bug(struct kmem_cache *s, const char *msg)
{
	nr_slab_errors++;
	pr_err("=============================================================================");
	pr_err("BUG %s (Not tainted): %s", s->name, msg);
	pr_err("-----------------------------------------------------------------------------");
}

void slab_fix(struct kmem_cache *s, const char *fmt, ...)
{
	char msg[SLAB_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_err("FIX %s: %s", s->name, msg);
}

void slab_report(const char *fmt, ...)
{
	char msg[SLAB_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	nr_slab_errors++;
	pr_err("%s", msg);
	dump_stack();
}

/* "Object   ffff888001234040: 6b 6b ... 6b  kkkkkkkkkkkkkkkk", as
 * print_hex_dump with DUMP_PREFIX_ADDRESS. */
static void print_section(const char *text, const uint8_t *addr, unsigned int len)
{
	char hex[HEX_BYTES_PER_LINE * 3 + 1], ascii[HEX_BYTES_PER_LINE + 1];

	if (len > SECTION_DUMP_MAX)
		len = SECTION_DUMP_MAX;
	for (unsigned int line = 0; line < len; line += HEX_BYTES_PER_LINE) {
		unsigned int n = len - line < HEX_BYTES_PER_LINE ? len - line : HEX_BYTES_PER_LINE;

		for (unsigned int i = 0; i < n; i++) {
			uint8_t c = addr[line + i];

			snprintf(hex + 3 * i, 4, "%02x ", c);
			ascii[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '.';
		}
		hex[3 * n - 1] = '\0';
		ascii[n] = '\0';
		pr_err("%s%016lx: %-47s  %s", text, (unsigned long)(addr + line), hex, ascii);
	}
}

static struct track *get_track(const struct kmem_cache *s, void *object, enum track_item item)
{
	return (struct track *)((char *)object + get_info_end(s)) + item;
}

static void print_track(const char *what, const struct track *t)
{
	char sym[SYMBOL_MAX];

	if (!t->addr)
		return;
	sprint_symbol(sym, sizeof(sym), t->addr);
	/* Linux's age is in jiffies; without a tick yet, ours is in ms. */
	pr_err("%s in %s age=%lu cpu=0 pid=0", what, sym,
	       (unsigned long)((local_clock() - t->when_ns) / NSEC_PER_MSEC));
}

static void print_slab_info(const struct page *slab)
{
	char flags[SLAB_MSG_MAX];

	format_page_flags(slab->flags, flags, sizeof(flags));
	pr_err("Slab %p objects=%u used=%u fp=%p flags=%s", (const void *)slab, slab->objects,
	       slab->inuse, slab->freelist, flags);
}

/* Everything known about one object: who had it, its slab, its bytes. */
static void print_trailer(struct kmem_cache *s, struct page *slab, uint8_t *p)
{
	uint8_t *base = slab_address(slab);
	unsigned int info_end = get_info_end(s);

	if (s->flags & SLAB_STORE_USER) {
		print_track("Allocated", get_track(s, p, TRACK_ALLOC));
		print_track("Freed", get_track(s, p, TRACK_FREE));
		info_end += NR_TRACKS * sizeof(struct track);
	}
	print_slab_info(slab);
	pr_err("Object %p @offset=%lu fp=%p", p, (unsigned long)(p - base), get_freepointer(s, p));
	if (s->flags & SLAB_RED_ZONE)
		print_section("Redzone  ", p - s->red_left_pad, s->red_left_pad);
	else if (p >= base + HEX_BYTES_PER_LINE)
		print_section("Bytes b4 ", p - HEX_BYTES_PER_LINE, HEX_BYTES_PER_LINE);
	print_section("Object   ", p, s->object_size);
	if (s->flags & SLAB_RED_ZONE)
		print_section("Redzone  ", p + s->object_size, s->inuse - s->object_size);
	if (s->red_left_pad + info_end < s->size)
		print_section("Padding  ", p + info_end, s->size - s->red_left_pad - info_end);
	dump_stack();
}

void object_err(struct kmem_cache *s, struct page *slab, void *object, const char *reason)
{
	slab_bug(s, reason);
	print_trailer(s, slab, object);
}

void slab_err(struct kmem_cache *s, struct page *slab, const char *fmt, ...)
{
	char msg[SLAB_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	slab_bug(s, msg);
	print_slab_info(slab);
	dump_stack();
}

/* The first and last byte in [start, start + bytes) that differ from
 * value: reported and set back to value. True when all were intact. */
static bool check_bytes_and_report(struct kmem_cache *s, struct page *slab, uint8_t *object,
				   const char *what, uint8_t *start, uint8_t value,
				   unsigned int bytes)
{
	char msg[SLAB_MSG_MAX];
	uint8_t *fault = NULL, *end = NULL;

	for (unsigned int i = 0; i < bytes; i++) {
		if (start[i] != value) {
			if (!fault)
				fault = start + i;
			end = start + i;
		}
	}
	if (!fault)
		return true;
	snprintf(msg, sizeof(msg), "%s overwritten", what);
	slab_bug(s, msg);
	pr_err("%p-%p @offset=%lu. First byte %#x instead of %#x", fault, end,
	       (unsigned long)(fault - (uint8_t *)slab_address(slab)), *fault, value);
	print_trailer(s, slab, object);
	slab_fix(s, "Restoring %s %p-%p=%#x", what, fault, end, value);
	memset(fault, value, (size_t)(end - fault) + 1);
	return false;
}

/* red is what the red zones must hold: SLUB_RED_ACTIVE while allocated,
 * SLUB_RED_INACTIVE while free (then the poison must be intact too).
 * Stops at the first damage, as Linux: one report per object. */
static bool check_object(struct kmem_cache *s, struct page *slab, uint8_t *p, uint8_t red)
{
	if (s->flags & SLAB_RED_ZONE) {
		if (!check_bytes_and_report(s, slab, p, "Left Redzone", p - s->red_left_pad, red,
					    s->red_left_pad))
			return false;
		if (!check_bytes_and_report(s, slab, p, "Right Redzone", p + s->object_size, red,
					    s->inuse - s->object_size))
			return false;
	}
	if ((s->flags & SLAB_POISON) && red == SLUB_RED_INACTIVE) {
		if (!check_bytes_and_report(s, slab, p, "Poison", p, POISON_FREE,
					    s->object_size - 1))
			return false;
		if (!check_bytes_and_report(s, slab, p, "End Poison", p + s->object_size - 1,
					    POISON_END, 1))
			return false;
	}
	return true;
}

/* Red zones say whether the object is in use; poison fills it when free.
 * An allocated object keeps the poison: reading it before writing shows
 * 0x6b6b6b6b..., as on Linux. */
static void init_object(const struct kmem_cache *s, uint8_t *p, uint8_t red)
{
	if (s->flags & SLAB_RED_ZONE) {
		memset(p - s->red_left_pad, red, s->red_left_pad);
		memset(p + s->object_size, red, s->inuse - s->object_size);
	}
	if ((s->flags & SLAB_POISON) && red == SLUB_RED_INACTIVE) {
		memset(p, POISON_FREE, s->object_size - 1);
		p[s->object_size - 1] = POISON_END;
	}
}

static void set_track(const struct kmem_cache *s, void *object, enum track_item item,
		      unsigned long caller)
{
	struct track *t;

	if (!(s->flags & SLAB_STORE_USER))
		return;
	t = get_track(s, object, item);
	t->addr = caller;
	t->when_ns = local_clock();
}

void setup_object_debug(const struct kmem_cache *s, void *object)
{
	init_object(s, object, SLUB_RED_INACTIVE);
	if (s->flags & SLAB_STORE_USER)
		memset(get_track(s, object, TRACK_ALLOC), 0, NR_TRACKS * sizeof(struct track));
}

bool alloc_debug_checks(struct kmem_cache *s, struct page *slab, void *object, unsigned long caller)
{
	/* Damage to a free object: whoever wrote it may write again, so the
	 * object is not given to anyone. */
	if (!check_object(s, slab, object, SLUB_RED_INACTIVE)) {
		slab_fix(s, "Object at %p quarantined, never handed out", object);
		return false;
	}
	set_track(s, object, TRACK_ALLOC, caller);
	init_object(s, object, SLUB_RED_ACTIVE);
	return true;
}

/* Walk the freelist looking for object (Linux's on_freelist). The walk
 * trusts no link: each must be an object of this slab, and there can be no
 * more of them than free objects; a bad list is dropped whole. */
static bool on_freelist(struct kmem_cache *s, struct page *slab, void *object)
{
	unsigned int nr_free = slab->objects - slab->inuse, seen = 0;
	void *fp = slab->freelist;

	while (fp) {
		void *next;

		if (fp == object)
			return true;
		if (++seen > nr_free) {
			slab_err(s, slab, "Freelist longer than its %u free objects", nr_free);
			quarantine_freelist(s, slab);
			return false;
		}
		next = get_freepointer(s, fp);
		if (next && !object_is_valid(s, slab, next)) {
			object_err(s, slab, fp, "Freepointer corrupt");
			quarantine_freelist(s, slab);
			return false;
		}
		fp = next;
	}
	return false;
}

enum free_verdict free_debug_checks(struct kmem_cache *s, struct page *slab, void *object,
				    unsigned long caller)
{
	if ((s->flags & SLAB_CONSISTENCY_CHECKS) && on_freelist(s, slab, object)) {
		object_err(s, slab, object, DOUBLE_FREE_REASON);
		slab_fix(s, "Object at %p not freed", object);
		return FREE_REFUSED;
	}
	if (!check_object(s, slab, object, SLUB_RED_ACTIVE)) {
		slab_fix(s, "Object at %p not freed, quarantined", object);
		return FREE_QUARANTINE;
	}
	set_track(s, object, TRACK_FREE, caller);
	init_object(s, object, SLUB_RED_INACTIVE);
	return FREE_OK;
}
