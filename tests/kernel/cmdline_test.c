/* Switches as the kernel sees them: the subsystems' switches are registered
 * in the kparams section, and the boot command line was applied to them. */
#include "kernel/cmdline.h"
#include "kernel/ktest.h"
#include "kernel/setup.h"
#include "kernel/string.h"

static const struct kernel_param *find_param(const char *name)
{
	for (const struct kernel_param *p = kparams_begin(); p < kparams_end(); p++)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

static void cmdline_core_switches_are_registered(struct kunit *test)
{
	KUNIT_EXPECT_NOT_NULL(test, find_param("loglevel"));
	KUNIT_EXPECT_NOT_NULL(test, find_param("ktest"));
	KUNIT_EXPECT_NOT_NULL(test, find_param("ktest.list"));
	KUNIT_EXPECT_NOT_NULL(test, find_param("panic_action"));
}

static void cmdline_registered_switches_are_well_formed(struct kunit *test)
{
	for (const struct kernel_param *p = kparams_begin(); p < kparams_end(); p++) {
		KUNIT_EXPECT_NOT_NULL(test, p->value);
		KUNIT_EXPECT_NOT_NULL(test, p->help);
		if (p->type == KPARAM_INT)
			KUNIT_EXPECT_LE(test, p->min, p->max);
		if (p->type == KPARAM_ENUM)
			KUNIT_EXPECT_NOT_NULL(test, p->choices);
	}
}

static void cmdline_boot_line_set_ktest_switch(struct kunit *test)
{
	char value[128];
	const struct kernel_param *p = find_param("ktest");

	KUNIT_ASSERT_NOT_NULL(test, p);
	kparam_format_value(p, value, sizeof(value));
	KUNIT_EXPECT_GT(test, strlen(value), 0);
	KUNIT_EXPECT_NOT_NULL(test, strstr(boot_info.cmdline, value));
}

static void ignore_report(const char *msg)
{
	(void)msg;
}

static void cmdline_bad_value_in_kernel_table_keeps_default(struct kunit *test)
{
	long level = 4;
	struct kernel_param table[] = {
		{.name = "ktest.level",
		 .type = KPARAM_INT,
		 .value = &level,
		 .min = 0,
		 .max = 7,
		 .help = "test"},
	};

	KUNIT_EXPECT_EQ(test, parse_cmdline("ktest.level=banana", table, 1, ignore_report), 1);
	KUNIT_EXPECT_EQ(test, level, 4);
	KUNIT_EXPECT_EQ(test, parse_cmdline("ktest.level=6", table, 1, ignore_report), 0);
	KUNIT_EXPECT_EQ(test, level, 6);
}

static struct kunit_case cmdline_cases[] = {
	KUNIT_CASE(cmdline_core_switches_are_registered),
	KUNIT_CASE(cmdline_registered_switches_are_well_formed),
	KUNIT_CASE(cmdline_boot_line_set_ktest_switch),
	KUNIT_CASE(cmdline_bad_value_in_kernel_table_keeps_default),
	{},
};
static struct kunit_suite cmdline_suite = {.name = "cmdline", .test_cases = cmdline_cases};
kunit_test_suite(cmdline_suite);
