/* Reading layouts that may have been prepared by someone else: never follow a
 * symlink or block on a FIFO.  (Replacing a file there: brig_write_file_atomic,
 * which never writes through a pre-created temporary name either.) */
#ifndef BRIG_TRUST_SAFE_IO_H
#define BRIG_TRUST_SAFE_IO_H
#include <stddef.h>
/* Regular files only (symlinks, devices and FIFOs refused: BRIG_EXIT_UNSAFE). */
int trust_read_regular(const char *path, size_t max, char **out, size_t *len);
#endif
