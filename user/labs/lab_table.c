/* lab_table.c: every lab, in write-up order. Read first: each is referred
 * to weakly, so a lab whose file is not built (yet) reads as NULL and is
 * skipped: adding a lab file needs no edit here when its name is listed. */
#include "lab.h"

#define LAB(name) extern const struct lab lab_##name __attribute__((weak))

LAB(killer);
LAB(reserves);
LAB(reaper);
LAB(notifier);
LAB(oomlock);
LAB(mlock);
LAB(reclaim);

const struct lab *const lab_table[] = {
	&lab_killer,  &lab_reserves, &lab_reaper,  &lab_notifier,
	&lab_oomlock, &lab_mlock,    &lab_reclaim,
};
const int lab_table_size = sizeof(lab_table) / sizeof(lab_table[0]);
