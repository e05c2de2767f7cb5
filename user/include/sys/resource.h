/* sys/resource.h: nice values and struct rusage. Read first: the raw
 * getpriority syscall returns 20 - nice (always positive); the wrapper
 * gives back the nice. struct rusage is Linux's x86_64 layout (wait4). */
#ifndef _SYS_RESOURCE_H
#define _SYS_RESOURCE_H

#include <sys/types.h>

#define PRIO_PROCESS 0
#define PRIO_PGRP 1
#define PRIO_USER 2

struct timeval {
	long tv_sec;
	long tv_usec;
};

struct rusage {
	struct timeval ru_utime, ru_stime;
	long ru_maxrss; /* KiB */
	long ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt, ru_nswap;
	long ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv, ru_nsignals;
	long ru_nvcsw, ru_nivcsw;
};

int getpriority(int which, id_t who);
int setpriority(int which, id_t who, int prio);

#endif
