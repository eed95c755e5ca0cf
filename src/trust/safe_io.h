/* File I/O for layouts that may have been prepared by someone else: never
 * follow a symlink or block on a FIFO when reading, and never write through a
 * pre-created temporary name (mkstemp, O_EXCL) when replacing a file. */
#ifndef BRIG_TRUST_SAFE_IO_H
#define BRIG_TRUST_SAFE_IO_H
#include <stddef.h>
/* Regular files only (symlinks, devices and FIFOs refused: BRIG_EXIT_UNSAFE). */
int trust_read_regular(const char *path, size_t max, char **out, size_t *len);
/* Atomic replace: unique temp file in the same directory, fsync, rename. */
int trust_write_atomic(const char *path, const void *data, size_t len, int mode);
#endif
