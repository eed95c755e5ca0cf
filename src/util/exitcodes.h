/* Process exit codes, shared by every command and documented in `brig --help`. */
#ifndef BRIG_UTIL_EXITCODES_H
#define BRIG_UTIL_EXITCODES_H
enum {
    BRIG_EXIT_OK        = 0,  /* success, nothing to report */
    BRIG_EXIT_FINDINGS  = 1,  /* findings at/above the threshold, or a policy said no */
    BRIG_EXIT_USAGE     = 2,  /* bad command line */
    BRIG_EXIT_INPUT     = 3,  /* input missing, unreadable or malformed */
    BRIG_EXIT_INTEGRITY = 4,  /* digest mismatch, bad signature, untrusted image */
    BRIG_EXIT_UNSAFE    = 5,  /* hostile content refused: path escape, bomb, limit exceeded */
    BRIG_EXIT_SYSTEM    = 6,  /* the system refused: permissions, kernel feature, I/O, memory */
    BRIG_EXIT_NOTIMPL   = 7,  /* a feature this build does not provide (stated, never faked) */
    /* `brig run IMAGE` follows docker: the container's own status, or these. */
    BRIG_EXIT_RUN_FAILED   = 125,
    BRIG_EXIT_RUN_NOEXEC   = 126,
    BRIG_EXIT_RUN_NOTFOUND = 127,
};
#endif
