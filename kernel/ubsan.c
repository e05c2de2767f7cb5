/* The UBSan runtime: the __ubsan_handle_* entry points GCC 12 calls under
 * -fsanitize=undefined, printing reports in the format of Linux's
 * lib/ubsan.c. Read first: every argument struct is laid out by the
 * compiler (see GCC's ubsan.cc), and this file is built uninstrumented. */
#include "kernel/ubsan.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/stacktrace.h"
#include "kernel/vsprintf.h"
#include "kernel/x86.h"
#include <stdbool.h>
#include <stdint.h>

/* --- what the compiler passes ---------------------------------------------- */

struct source_location {
	const char *file_name;
	uint32_t line; /* bit 31: already reported (as Linux's REPORTED_BIT) */
	uint32_t column;
};

enum { type_kind_int = 0, type_kind_float = 1, type_unknown = 0xffff };

struct type_descriptor {
	uint16_t type_kind;
	uint16_t type_info; /* integers: bit 0 signed, bits 1+ log2(width) */
	char type_name[];   /* quoted: 'long unsigned int' */
};

struct type_mismatch_data_v1 {
	struct source_location location;
	struct type_descriptor *type;
	unsigned char log_alignment;
	unsigned char type_check_kind;
};

struct overflow_data {
	struct source_location location;
	struct type_descriptor *type;
};

struct shift_out_of_bounds_data {
	struct source_location location;
	struct type_descriptor *lhs_type;
	struct type_descriptor *rhs_type;
};

struct out_of_bounds_data {
	struct source_location location;
	struct type_descriptor *array_type;
	struct type_descriptor *index_type;
};

struct unreachable_data {
	struct source_location location;
};

struct vla_bound_data {
	struct source_location location;
	struct type_descriptor *type;
};

struct invalid_value_data {
	struct source_location location;
	struct type_descriptor *type;
};

struct invalid_builtin_data {
	struct source_location location;
	unsigned char kind; /* 0: ctz, 1: clz */
};

struct nonnull_arg_data {
	struct source_location location;
	struct source_location attr_location;
	int arg_index;
};

struct nonnull_return_data {
	struct source_location attr_location;
};

struct pointer_overflow_data {
	struct source_location location;
};

/* --- one report ------------------------------------------------------------- */

#define REPORTED_BIT (1u << 31)
#define LINE_MASK (~REPORTED_BIT)
#define COLUMN_MASK (~(1u << 31))
#define VALUE_LENGTH 42 /* a 128-bit value in hex, with room to spare */
#define POINTER_BITS 64
#define RULE                                       \
	"========================================" \
	"========================================"

static unsigned long reports;
static bool in_report; /* a report whose printk hits UB stays one report */

unsigned long ubsan_report_count(void)
{
	return reports;
}

/* As Linux's suppress_report: each location reports once, and never from
 * inside a report. */
static bool suppress_report(struct source_location *loc)
{
	if (in_report || (loc->line & REPORTED_BIT))
		return true;
	loc->line |= REPORTED_BIT;
	return false;
}

/* Interrupts stay off for the report so that no other report (or other
 * task's console output) lands in the middle of it. */
static uint64_t ubsan_prologue(struct source_location *loc, const char *reason)
{
	uint64_t flags = local_irq_save();

	in_report = true;
	reports++;
	pr_err(RULE);
	pr_err("UBSAN: %s in %s:%u:%u", reason, loc->file_name, loc->line & LINE_MASK,
	       loc->column & COLUMN_MASK);
	return flags;
}

static void ubsan_epilogue(uint64_t flags)
{
	dump_stack();
	pr_err(RULE);
	in_report = false;
	local_irq_restore(flags);
}

/* --- values ------------------------------------------------------------------ */

static bool type_is_int(const struct type_descriptor *type)
{
	return type->type_kind == type_kind_int;
}

static bool type_is_signed(const struct type_descriptor *type)
{
	return type->type_info & 1;
}

static unsigned int type_bit_width(const struct type_descriptor *type)
{
	return 1u << (type->type_info >> 1);
}

/* Values up to pointer width travel in the pointer itself; wider ones
 * (__int128) are passed by address. */
static bool is_inline_int(const struct type_descriptor *type)
{
	return type_bit_width(type) <= POINTER_BITS;
}

static int64_t get_signed_val(const struct type_descriptor *type, void *val)
{
	unsigned int extra = POINTER_BITS - type_bit_width(type);

	if (is_inline_int(type))
		return (int64_t)((uint64_t)(uintptr_t)val << extra) >> extra;
	return *(const int64_t *)val; /* the low half, for the sign checks */
}

static uint64_t get_unsigned_val(const struct type_descriptor *type, void *val)
{
	if (is_inline_int(type))
		return (uint64_t)(uintptr_t)val;
	return *(const uint64_t *)val;
}

static bool val_is_negative(const struct type_descriptor *type, void *val)
{
	if (!type_is_signed(type))
		return false;
	if (is_inline_int(type))
		return get_signed_val(type, val) < 0;
	return ((const int64_t *)val)[1] < 0; /* x86 is little-endian */
}

static void val_to_string(char *str, size_t size, const struct type_descriptor *type, void *val)
{
	if (!type_is_int(type)) {
		snprintf(str, size, "<unknown>");
	} else if (!is_inline_int(type)) {
		const uint64_t *half = val;
		snprintf(str, size, "0x%016llx%016llx", (unsigned long long)half[1],
			 (unsigned long long)half[0]);
	} else if (type_is_signed(type)) {
		snprintf(str, size, "%lld", (long long)get_signed_val(type, val));
	} else {
		snprintf(str, size, "%llu", (unsigned long long)get_unsigned_val(type, val));
	}
}

/* --- arithmetic --------------------------------------------------------------- */

static void handle_overflow(struct overflow_data *data, void *lhs, void *rhs, char op)
{
	struct type_descriptor *type = data->type;
	char lhs_str[VALUE_LENGTH], rhs_str[VALUE_LENGTH];
	uint64_t flags;

	if (suppress_report(&data->location))
		return;
	flags = ubsan_prologue(&data->location, type_is_signed(type) ? "signed-integer-overflow"
								     : "unsigned-integer-overflow");
	val_to_string(lhs_str, sizeof(lhs_str), type, lhs);
	val_to_string(rhs_str, sizeof(rhs_str), type, rhs);
	pr_err("%s %c %s cannot be represented in type %s", lhs_str, op, rhs_str, type->type_name);
	ubsan_epilogue(flags);
}

void __ubsan_handle_add_overflow(void *data, void *lhs, void *rhs);
void __ubsan_handle_add_overflow(void *data, void *lhs, void *rhs)
{
	handle_overflow(data, lhs, rhs, '+');
}

void __ubsan_handle_sub_overflow(void *data, void *lhs, void *rhs);
void __ubsan_handle_sub_overflow(void *data, void *lhs, void *rhs)
{
	handle_overflow(data, lhs, rhs, '-');
}

void __ubsan_handle_mul_overflow(void *data, void *lhs, void *rhs);
void __ubsan_handle_mul_overflow(void *data, void *lhs, void *rhs)
{
	handle_overflow(data, lhs, rhs, '*');
}

void __ubsan_handle_negate_overflow(void *_data, void *old_val);
void __ubsan_handle_negate_overflow(void *_data, void *old_val)
{
	struct overflow_data *data = _data;
	char old_str[VALUE_LENGTH];
	uint64_t flags;

	if (suppress_report(&data->location))
		return;
	flags = ubsan_prologue(&data->location, "negation-overflow");
	val_to_string(old_str, sizeof(old_str), data->type, old_val);
	pr_err("negation of %s cannot be represented in type %s:", old_str, data->type->type_name);
	pr_err("cast to an unsigned type to negate this value to itself");
	ubsan_epilogue(flags);
}

void __ubsan_handle_divrem_overflow(void *_data, void *lhs, void *rhs);
void __ubsan_handle_divrem_overflow(void *_data, void *lhs, void *rhs)
{
	struct overflow_data *data = _data;
	char lhs_str[VALUE_LENGTH];
	uint64_t flags;

	if (suppress_report(&data->location))
		return;
	flags = ubsan_prologue(&data->location, "division-overflow");
	val_to_string(lhs_str, sizeof(lhs_str), data->type, lhs);
	if (type_is_signed(data->type) && get_signed_val(data->type, rhs) == -1)
		pr_err("division of %s by -1 cannot be represented in type %s", lhs_str,
		       data->type->type_name);
	else
		pr_err("division by zero");
	ubsan_epilogue(flags);
}

/* As Linux's __ubsan_handle_shift_out_of_bounds: the first rule broken. */
void __ubsan_handle_shift_out_of_bounds(void *_data, void *lhs, void *rhs);
void __ubsan_handle_shift_out_of_bounds(void *_data, void *lhs, void *rhs)
{
	struct shift_out_of_bounds_data *data = _data;
	struct type_descriptor *rhs_type = data->rhs_type, *lhs_type = data->lhs_type;
	char rhs_str[VALUE_LENGTH], lhs_str[VALUE_LENGTH];
	uint64_t flags;

	if (suppress_report(&data->location))
		return;
	flags = ubsan_prologue(&data->location, "shift-out-of-bounds");
	val_to_string(rhs_str, sizeof(rhs_str), rhs_type, rhs);
	val_to_string(lhs_str, sizeof(lhs_str), lhs_type, lhs);
	if (val_is_negative(rhs_type, rhs))
		pr_err("shift exponent %s is negative", rhs_str);
	else if (get_unsigned_val(rhs_type, rhs) >= type_bit_width(lhs_type))
		pr_err("shift exponent %s is too large for %u-bit type %s", rhs_str,
		       type_bit_width(lhs_type), lhs_type->type_name);
	else if (val_is_negative(lhs_type, lhs))
		pr_err("left shift of negative value %s", lhs_str);
	else
		pr_err("left shift of %s by %s places cannot be represented in type %s", lhs_str,
		       rhs_str, lhs_type->type_name);
	ubsan_epilogue(flags);
}

/* --- memory ------------------------------------------------------------------- */

void __ubsan_handle_out_of_bounds(void *_data, void *index);
void __ubsan_handle_out_of_bounds(void *_data, void *index)
{
	struct out_of_bounds_data *data = _data;
	char index_str[VALUE_LENGTH];
	uint64_t flags;

	if (suppress_report(&data->location))
		return;
	flags = ubsan_prologue(&data->location, "array-index-out-of-bounds");
	val_to_string(index_str, sizeof(index_str), data->index_type, index);
	pr_err("index %s is out of range for type %s", index_str, data->array_type->type_name);
	ubsan_epilogue(flags);
}

/* The order of GCC's type_check_kind values. */
static const char *const type_check_kinds[] = {
	"load of",
	"store to",
	"reference binding to",
	"member access within",
	"member call on",
	"constructor call on",
	"downcast of",
	"downcast of",
	"upcast of",
	"cast to virtual base of",
	"_Nonnull binding to",
	"dynamic operation on",
};

static const char *check_kind(unsigned char kind)
{
	if (kind < sizeof(type_check_kinds) / sizeof(type_check_kinds[0]))
		return type_check_kinds[kind];
	return "access to";
}

/* One call covers a NULL pointer, a misaligned one, and an object smaller
 * than the type (-fsanitize=object-size): as Linux's ubsan_type_mismatch_common. */
void __ubsan_handle_type_mismatch_v1(void *_data, void *ptr);
void __ubsan_handle_type_mismatch_v1(void *_data, void *ptr)
{
	struct type_mismatch_data_v1 *data = _data;
	uint64_t alignment = 1ul << data->log_alignment, flags;
	const char *kind = check_kind(data->type_check_kind);

	if (suppress_report(&data->location))
		return;
	if (!ptr) {
		flags = ubsan_prologue(&data->location, "null-ptr-deref");
		pr_err("%s null pointer of type %s", kind, data->type->type_name);
	} else if (data->log_alignment && ((uintptr_t)ptr & (alignment - 1))) {
		flags = ubsan_prologue(&data->location, "misaligned-access");
		pr_err("%s misaligned address %p for type %s", kind, ptr, data->type->type_name);
		pr_err("which requires %lu byte alignment", (unsigned long)alignment);
	} else {
		flags = ubsan_prologue(&data->location, "object-size-mismatch");
		pr_err("%s address %p with insufficient space", kind, ptr);
		pr_err("for an object of type %s", data->type->type_name);
	}
	ubsan_epilogue(flags);
}

void __ubsan_handle_pointer_overflow(void *_data, void *base, void *result);
void __ubsan_handle_pointer_overflow(void *_data, void *base, void *result)
{
	struct pointer_overflow_data *data = _data;
	uint64_t flags;

	if (suppress_report(&data->location))
		return;
	flags = ubsan_prologue(&data->location, "pointer-overflow");
	if (!base)
		pr_err("applying non-zero offset to null pointer gives %p", result);
	else if (!result)
		pr_err("applying non-zero offset %p to pointer %p gives null", result, base);
	else
		pr_err("pointer index expression with base %p overflowed to %p", base, result);
	ubsan_epilogue(flags);
}

void __ubsan_handle_vla_bound_not_positive(void *_data, void *bound);
void __ubsan_handle_vla_bound_not_positive(void *_data, void *bound)
{
	struct vla_bound_data *data = _data;
	char bound_str[VALUE_LENGTH];
	uint64_t flags;

	if (suppress_report(&data->location))
		return;
	flags = ubsan_prologue(&data->location, "variable-length-array");
	val_to_string(bound_str, sizeof(bound_str), data->type, bound);
	pr_err("variable length array bound evaluates to non-positive value %s", bound_str);
	ubsan_epilogue(flags);
}

/* A bool that is neither 0 nor 1, an enum value outside the enum. */
void __ubsan_handle_load_invalid_value(void *_data, void *val);
void __ubsan_handle_load_invalid_value(void *_data, void *val)
{
	struct invalid_value_data *data = _data;
	char val_str[VALUE_LENGTH];
	uint64_t flags;

	if (suppress_report(&data->location))
		return;
	flags = ubsan_prologue(&data->location, "invalid-load");
	val_to_string(val_str, sizeof(val_str), data->type, val);
	pr_err("load of value %s is not a valid value for type %s", val_str, data->type->type_name);
	ubsan_epilogue(flags);
}

/* --- calls -------------------------------------------------------------------- */

void __ubsan_handle_invalid_builtin(void *_data);
void __ubsan_handle_invalid_builtin(void *_data)
{
	struct invalid_builtin_data *data = _data;
	uint64_t flags;

	if (suppress_report(&data->location))
		return;
	flags = ubsan_prologue(&data->location, "invalid-builtin-use");
	pr_err("passing zero to %s, which is not a valid argument",
	       data->kind == 0 ? "ctz()" : "clz()");
	ubsan_epilogue(flags);
}

void __ubsan_handle_nonnull_arg(void *_data);
void __ubsan_handle_nonnull_arg(void *_data)
{
	struct nonnull_arg_data *data = _data;
	uint64_t flags;

	if (suppress_report(&data->location))
		return;
	flags = ubsan_prologue(&data->location, "nonnull-attribute");
	pr_err("null pointer passed as argument %d, which is declared to never be null",
	       data->arg_index);
	ubsan_epilogue(flags);
}

void __ubsan_handle_nonnull_return_v1(void *_data, void *_loc);
void __ubsan_handle_nonnull_return_v1(void *_data, void *_loc)
{
	struct source_location *loc = _loc;
	uint64_t flags;

	(void)_data;
	if (suppress_report(loc))
		return;
	flags = ubsan_prologue(loc, "returns-nonnull-attribute");
	pr_err("null pointer returned from function declared to never return null");
	ubsan_epilogue(flags);
}

/* Execution reached __builtin_unreachable(): nothing sane can follow. */
void __ubsan_handle_builtin_unreachable(void *_data) __attribute__((noreturn));
void __ubsan_handle_builtin_unreachable(void *_data)
{
	struct unreachable_data *data = _data;
	uint64_t flags = ubsan_prologue(&data->location, "unreachable");

	pr_err("calling __builtin_unreachable()");
	ubsan_epilogue(flags);
	panic("can't return from __builtin_unreachable()");
}
