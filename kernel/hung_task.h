/* The hung-task detector (Linux's kernel/hung_task.c): the khungtaskd
 * thread. Read first: "hung" means in TASK_UNINTERRUPTIBLE and not switched
 * in or out for longer than the timeout; such a task is reported once,
 * and again only after it has run in between. */
#ifndef OOMLAB_KERNEL_HUNG_TASK_H
#define OOMLAB_KERNEL_HUNG_TASK_H

/* The hung_task_timeout_secs= switch; 0 turns the check off. Tests may
 * change it at run time: khungtaskd looks at it again every second. */
extern long sysctl_hung_task_timeout_secs;
#define DEFAULT_HUNG_TASK_TIMEOUT 30

/* Start khungtaskd (from kernel_init, before the boot free-list record). */
void hung_task_init(void);
#endif
