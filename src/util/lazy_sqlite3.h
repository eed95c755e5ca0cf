/* SQLite: vulnerability database, rpmdb.sqlite.
 * Loaded on first use — see util/lazylib.h.  Include this instead of the library's headers. */
#ifndef BRIG_UTIL_LAZY_SQLITE3_H
#define BRIG_UTIL_LAZY_SQLITE3_H
#include <sqlite3.h>
#include "util/lazylib.h"

#define BRIG_LAZY_SQLITE3_SYMBOLS(X) \
    X(sqlite3_backup_finish) \
    X(sqlite3_backup_init) \
    X(sqlite3_backup_step) \
    X(sqlite3_bind_double) \
    X(sqlite3_bind_int) \
    X(sqlite3_bind_int64) \
    X(sqlite3_bind_null) \
    X(sqlite3_bind_text) \
    X(sqlite3_close) \
    X(sqlite3_column_blob) \
    X(sqlite3_column_bytes) \
    X(sqlite3_column_double) \
    X(sqlite3_column_int) \
    X(sqlite3_column_int64) \
    X(sqlite3_column_text) \
    X(sqlite3_column_type) \
    X(sqlite3_deserialize) \
    X(sqlite3_errmsg) \
    X(sqlite3_exec) \
    X(sqlite3_finalize) \
    X(sqlite3_free) \
    X(sqlite3_malloc64) \
    X(sqlite3_open_v2) \
    X(sqlite3_prepare_v2) \
    X(sqlite3_reset) \
    X(sqlite3_step) \

BRIG_LAZY_DECLARE(sqlite3, BRIG_LAZY_SQLITE3_SYMBOLS)

#define sqlite3_backup_finish (brig_lazy_sqlite3()->sqlite3_backup_finish)
#define sqlite3_backup_init (brig_lazy_sqlite3()->sqlite3_backup_init)
#define sqlite3_backup_step (brig_lazy_sqlite3()->sqlite3_backup_step)
#define sqlite3_bind_double (brig_lazy_sqlite3()->sqlite3_bind_double)
#define sqlite3_bind_int (brig_lazy_sqlite3()->sqlite3_bind_int)
#define sqlite3_bind_int64 (brig_lazy_sqlite3()->sqlite3_bind_int64)
#define sqlite3_bind_null (brig_lazy_sqlite3()->sqlite3_bind_null)
#define sqlite3_bind_text (brig_lazy_sqlite3()->sqlite3_bind_text)
#define sqlite3_close (brig_lazy_sqlite3()->sqlite3_close)
#define sqlite3_column_blob (brig_lazy_sqlite3()->sqlite3_column_blob)
#define sqlite3_column_bytes (brig_lazy_sqlite3()->sqlite3_column_bytes)
#define sqlite3_column_double (brig_lazy_sqlite3()->sqlite3_column_double)
#define sqlite3_column_int (brig_lazy_sqlite3()->sqlite3_column_int)
#define sqlite3_column_int64 (brig_lazy_sqlite3()->sqlite3_column_int64)
#define sqlite3_column_text (brig_lazy_sqlite3()->sqlite3_column_text)
#define sqlite3_column_type (brig_lazy_sqlite3()->sqlite3_column_type)
#define sqlite3_deserialize (brig_lazy_sqlite3()->sqlite3_deserialize)
#define sqlite3_errmsg (brig_lazy_sqlite3()->sqlite3_errmsg)
#define sqlite3_exec (brig_lazy_sqlite3()->sqlite3_exec)
#define sqlite3_finalize (brig_lazy_sqlite3()->sqlite3_finalize)
#define sqlite3_free (brig_lazy_sqlite3()->sqlite3_free)
#define sqlite3_malloc64 (brig_lazy_sqlite3()->sqlite3_malloc64)
#define sqlite3_open_v2 (brig_lazy_sqlite3()->sqlite3_open_v2)
#define sqlite3_prepare_v2 (brig_lazy_sqlite3()->sqlite3_prepare_v2)
#define sqlite3_reset (brig_lazy_sqlite3()->sqlite3_reset)
#define sqlite3_step (brig_lazy_sqlite3()->sqlite3_step)
#endif
