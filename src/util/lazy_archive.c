#include "util/lazy_archive.h"

BRIG_LAZY_DEFINE(archive, "libarchive.so.13", "libarchive13", BRIG_LAZY_ARCHIVE_SYMBOLS)
