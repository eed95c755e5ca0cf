#include "util/lazy_sqlite3.h"

BRIG_LAZY_DEFINE(sqlite3, "libsqlite3.so.0", "libsqlite3-0", BRIG_LAZY_SQLITE3_SYMBOLS)
