/* dirent.h: directory reading over getdents64, whose records are
 * struct linux_dirent64 (d_reclen gives each record's length). */
#ifndef _DIRENT_H
#define _DIRENT_H

#include <sys/types.h>

struct dirent {
	ino_t d_ino;
	off_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[]; /* NUL-terminated */
};

#define DT_UNKNOWN 0
#define DT_CHR 2
#define DT_DIR 4
#define DT_REG 8
#define DT_LNK 10

typedef struct dir DIR;

ssize_t getdents64(int fd, void *buf, size_t count);
DIR *opendir(const char *path);
struct dirent *readdir(DIR *dir);
int closedir(DIR *dir);

#endif
