/* Standard descriptors that are always open. */
#ifndef BRIG_UTIL_STDFD_H
#define BRIG_UTIL_STDFD_H

/* Opens /dev/null on any of fds 0, 1, 2 that the caller left closed.  Without
 * this, the first file brig opens would become "stdout" (or stdin) and a report
 * or a progress line would be written into an output file or a layer. */
void brig_stdfds_ensure_open(void);
#endif
