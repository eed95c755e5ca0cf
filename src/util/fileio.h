/* Bounded file reading: every untrusted file is read with a size limit so a
 * hostile input cannot exhaust memory; errors name the file. */
#ifndef BRIG_UTIL_FILEIO_H
#define BRIG_UTIL_FILEIO_H
#include <stddef.h>
#include <stdio.h>
/* Reads the whole file (NUL-terminated, len excludes NUL). "-" reads stdin. */
int brig_read_file(const char *path, size_t max, char **out, size_t *len);
/* Reads everything from fd with the same limit; `name` is used in messages. */
int brig_read_fd(int fd, const char *name, size_t max, char **out, size_t *len);
/* Writes all len bytes (retrying short writes and EINTR): 0, or -1 with errno. */
int brig_write_all(int fd, const void *data, size_t len);
/* Writes data to path atomically: temp file in the same dir, fsync, rename. */
int brig_write_file_atomic(const char *path, const void *data, size_t len, int mode);
/* The same without the fsync, for state that does not outlive a reboot (OCI
 * runtime state under /run, pid files): readers still never see a partial file,
 * and a container start does not wait for the disk. */
int brig_write_file_replace(const char *path, const void *data, size_t len, int mode);
/* mkdir -p with mode; existing directories are fine. */
int brig_mkdir_p(const char *path, int mode);
/* rm -rf that never follows symlinks and stays on the same filesystem. */
int brig_rm_rf(const char *path);
/* $XDG_CACHE_HOME/brig or ~/.cache/brig (created). Caller frees. */
char *brig_cache_dir(void);
/* Where unlinked scratch files (decompressed blobs and layers) go: $TMPDIR, else
 * /var/tmp (disk-backed, unlike a tmpfs /tmp, for multi-GB layers). */
const char *brig_scratch_dir(void);
/* An unlinked O_TMPFILE there, read-write, 0600: an fd, or -1 with errno set. */
int brig_scratch_file(void);
#endif
