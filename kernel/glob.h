/* Shell-style glob matching (as Linux's lib/glob.c): '*', '?' and [a-z]
 * classes with '!' or '^' negation. Used to pick test suites by name. */
#ifndef OOMLAB_KERNEL_GLOB_H
#define OOMLAB_KERNEL_GLOB_H
#include <stdbool.h>
bool glob_match(const char *pattern, const char *str);
/* True when str matches any of the comma-separated globs in list. */
bool glob_match_list(const char *list, const char *str);
#endif
