/* A complete static program with no libc, linked by host.mk in several
 * layouts for test_elf to parse and then run. Read first: it exits 42 only
 * if its data segment was loaded (40) and its bss zeroed (0), so a run that
 * returns 42 shows the file is a real, working executable. */

static volatile long data_value = 40; /* .data: from the file */
static volatile long bss_value;	      /* .bss: zero-filled memory */

#define NR_EXIT 60 /* x86_64 */
#define DATA_TO_ANSWER 2

__attribute__((noreturn)) void _start(void);

__attribute__((noreturn)) void _start(void)
{
	long code = data_value + DATA_TO_ANSWER + bss_value;

	__asm__ volatile("syscall" : : "a"((long)NR_EXIT), "D"(code) : "rcx", "r11", "memory");
	__builtin_unreachable();
}
