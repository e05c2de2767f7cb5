/* sys/resource.h: nice values. Read first: the raw getpriority syscall
 * returns 20 - nice (always positive); the wrapper gives back the nice. */
#ifndef _SYS_RESOURCE_H
#define _SYS_RESOURCE_H

#include <sys/types.h>

#define PRIO_PROCESS 0
#define PRIO_PGRP 1
#define PRIO_USER 2

int getpriority(int which, id_t who);
int setpriority(int which, id_t who, int prio);

#endif
