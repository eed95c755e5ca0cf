/* libarchive: tar layers, zip (jars, OSV all.zip).
 * Loaded on first use — see util/lazylib.h.  Include this instead of the library's headers. */
#ifndef BRIG_UTIL_LAZY_ARCHIVE_H
#define BRIG_UTIL_LAZY_ARCHIVE_H
#include <archive.h>
#include <archive_entry.h>
#include "util/lazylib.h"

#define BRIG_LAZY_ARCHIVE_SYMBOLS(X) \
    X(archive_entry_filetype) \
    X(archive_entry_gid) \
    X(archive_entry_hardlink) \
    X(archive_entry_hardlink_utf8) \
    X(archive_entry_mtime) \
    X(archive_entry_pathname) \
    X(archive_entry_pathname_utf8) \
    X(archive_entry_perm) \
    X(archive_entry_rdevmajor) \
    X(archive_entry_rdevminor) \
    X(archive_entry_size) \
    X(archive_entry_size_is_set) \
    X(archive_entry_symlink) \
    X(archive_entry_symlink_utf8) \
    X(archive_entry_uid) \
    X(archive_entry_xattr_next) \
    X(archive_entry_xattr_reset) \
    X(archive_error_string) \
    X(archive_read_data) \
    X(archive_read_free) \
    X(archive_read_new) \
    X(archive_read_next_header) \
    X(archive_read_open) \
    X(archive_read_open_fd) \
    X(archive_read_open_filename) \
    X(archive_read_open_memory) \
    X(archive_read_open1) \
    X(archive_read_set_callback_data) \
    X(archive_read_set_read_callback) \
    X(archive_read_set_skip_callback) \
    X(archive_read_support_filter_all) \
    X(archive_read_support_filter_bzip2) \
    X(archive_read_support_filter_gzip) \
    X(archive_read_support_filter_xz) \
    X(archive_read_support_filter_zstd) \
    X(archive_read_support_format_empty) \
    X(archive_read_support_format_raw) \
    X(archive_read_support_format_tar) \
    X(archive_read_support_format_zip) \
    X(archive_read_support_format_zip_seekable) \
    X(archive_set_error) \

BRIG_LAZY_DECLARE(archive, BRIG_LAZY_ARCHIVE_SYMBOLS)

#define archive_entry_filetype (brig_lazy_archive()->archive_entry_filetype)
#define archive_entry_gid (brig_lazy_archive()->archive_entry_gid)
#define archive_entry_hardlink (brig_lazy_archive()->archive_entry_hardlink)
#define archive_entry_hardlink_utf8 (brig_lazy_archive()->archive_entry_hardlink_utf8)
#define archive_entry_mtime (brig_lazy_archive()->archive_entry_mtime)
#define archive_entry_pathname (brig_lazy_archive()->archive_entry_pathname)
#define archive_entry_pathname_utf8 (brig_lazy_archive()->archive_entry_pathname_utf8)
#define archive_entry_perm (brig_lazy_archive()->archive_entry_perm)
#define archive_entry_rdevmajor (brig_lazy_archive()->archive_entry_rdevmajor)
#define archive_entry_rdevminor (brig_lazy_archive()->archive_entry_rdevminor)
#define archive_entry_size (brig_lazy_archive()->archive_entry_size)
#define archive_entry_size_is_set (brig_lazy_archive()->archive_entry_size_is_set)
#define archive_entry_symlink (brig_lazy_archive()->archive_entry_symlink)
#define archive_entry_symlink_utf8 (brig_lazy_archive()->archive_entry_symlink_utf8)
#define archive_entry_uid (brig_lazy_archive()->archive_entry_uid)
#define archive_entry_xattr_next (brig_lazy_archive()->archive_entry_xattr_next)
#define archive_entry_xattr_reset (brig_lazy_archive()->archive_entry_xattr_reset)
#define archive_error_string (brig_lazy_archive()->archive_error_string)
#define archive_read_data (brig_lazy_archive()->archive_read_data)
#define archive_read_free (brig_lazy_archive()->archive_read_free)
#define archive_read_new (brig_lazy_archive()->archive_read_new)
#define archive_read_next_header (brig_lazy_archive()->archive_read_next_header)
#define archive_read_open (brig_lazy_archive()->archive_read_open)
#define archive_read_open_fd (brig_lazy_archive()->archive_read_open_fd)
#define archive_read_open_filename (brig_lazy_archive()->archive_read_open_filename)
#define archive_read_open_memory (brig_lazy_archive()->archive_read_open_memory)
#define archive_read_support_filter_all (brig_lazy_archive()->archive_read_support_filter_all)
#define archive_read_support_filter_bzip2 (brig_lazy_archive()->archive_read_support_filter_bzip2)
#define archive_read_support_filter_gzip (brig_lazy_archive()->archive_read_support_filter_gzip)
#define archive_read_support_filter_xz (brig_lazy_archive()->archive_read_support_filter_xz)
#define archive_read_support_filter_zstd (brig_lazy_archive()->archive_read_support_filter_zstd)
#define archive_read_support_format_empty (brig_lazy_archive()->archive_read_support_format_empty)
#define archive_read_support_format_raw (brig_lazy_archive()->archive_read_support_format_raw)
#define archive_read_support_format_tar (brig_lazy_archive()->archive_read_support_format_tar)
#define archive_read_support_format_zip (brig_lazy_archive()->archive_read_support_format_zip)
#define archive_read_support_format_zip_seekable (brig_lazy_archive()->archive_read_support_format_zip_seekable)
#define archive_set_error (brig_lazy_archive()->archive_set_error)
#define archive_read_open1 (brig_lazy_archive()->archive_read_open1)
#define archive_read_set_callback_data (brig_lazy_archive()->archive_read_set_callback_data)
#define archive_read_set_read_callback (brig_lazy_archive()->archive_read_set_read_callback)
#define archive_read_set_skip_callback (brig_lazy_archive()->archive_read_set_skip_callback)
#endif
