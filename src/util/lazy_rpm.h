/* librpm (Debian librpm9, rpm >= 4.16): reads Berkeley DB rpm databases
 * (var/lib/rpm/Packages of CentOS/RHEL <= 8, Amazon Linux 2, SLES <= 15.2)
 * through its read-only bdb_ro backend, which needs no libdb.
 * Loaded on first use — see util/lazylib.h.  Include this instead of the
 * library's headers.
 *
 * Unlike the other lazy libraries a missing librpm must not stop brig: an
 * image with a Berkeley DB is still scanned, with a warning that its rpm
 * packages are not inventoried.  So callers ask brig_lazy_rpm_available()
 * first; only when it returns 0 may they call rpm functions. */
#ifndef BRIG_UTIL_LAZY_RPM_H
#define BRIG_UTIL_LAZY_RPM_H
#include <rpm/header.h>
#include <rpm/rpmdb.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmlog.h>
#include <rpm/rpmmacro.h>
#include <rpm/rpmts.h>
#include "util/lazylib.h"

#define BRIG_LAZY_RPM_SYMBOLS(X) \
    X(headerExport) \
    X(rpmPopMacro) \
    X(rpmPushMacro) \
    X(rpmReadConfigFiles) \
    X(rpmdbFreeIterator) \
    X(rpmdbGetIteratorOffset) \
    X(rpmdbNextIterator) \
    X(rpmlogRecMessage) \
    X(rpmlogRecPriority) \
    X(rpmlogSetCallback) \
    X(rpmtsCreate) \
    X(rpmtsFree) \
    X(rpmtsInitIterator) \
    X(rpmtsOpenDB) \
    X(rpmtsSetRootDir) \
    X(rpmtsSetVSFlags) \

BRIG_LAZY_DECLARE(rpm, BRIG_LAZY_RPM_SYMBOLS)

/* 0 when librpm is loaded with every function above; otherwise
 * BRIG_EXIT_NOTIMPL with a message naming the Debian package to install.
 * $BRIG_LIBRPM names another library file to load instead of librpm.so.9
 * (a newer rpm, or a missing one in tests). */
int brig_lazy_rpm_available(void);

#define headerExport (brig_lazy_rpm()->headerExport)
#define rpmPopMacro (brig_lazy_rpm()->rpmPopMacro)
#define rpmPushMacro (brig_lazy_rpm()->rpmPushMacro)
#define rpmReadConfigFiles (brig_lazy_rpm()->rpmReadConfigFiles)
#define rpmdbFreeIterator (brig_lazy_rpm()->rpmdbFreeIterator)
#define rpmdbGetIteratorOffset (brig_lazy_rpm()->rpmdbGetIteratorOffset)
#define rpmdbNextIterator (brig_lazy_rpm()->rpmdbNextIterator)
#define rpmlogRecMessage (brig_lazy_rpm()->rpmlogRecMessage)
#define rpmlogRecPriority (brig_lazy_rpm()->rpmlogRecPriority)
#define rpmlogSetCallback (brig_lazy_rpm()->rpmlogSetCallback)
#define rpmtsCreate (brig_lazy_rpm()->rpmtsCreate)
#define rpmtsFree (brig_lazy_rpm()->rpmtsFree)
#define rpmtsInitIterator (brig_lazy_rpm()->rpmtsInitIterator)
#define rpmtsOpenDB (brig_lazy_rpm()->rpmtsOpenDB)
#define rpmtsSetRootDir (brig_lazy_rpm()->rpmtsSetRootDir)
#define rpmtsSetVSFlags (brig_lazy_rpm()->rpmtsSetVSFlags)
#endif
