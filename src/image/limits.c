/* Default limits against hostile images, and the form names. */
#include "image/image_internal.h"

void brig_limits_fill(brig_limits *l) {
    if (!l->max_total_bytes) l->max_total_bytes = BRIG_LIM_TOTAL_DEFAULT;
    if (!l->max_file_bytes) l->max_file_bytes = BRIG_LIM_FILE_DEFAULT;
    if (!l->max_entries) l->max_entries = BRIG_LIM_ENTRIES_DEFAULT;
    if (!l->max_path_len) l->max_path_len = BRIG_LIM_PATH_DEFAULT;
    if (!l->max_depth) l->max_depth = BRIG_LIM_DEPTH_DEFAULT;
    if (!l->max_json_bytes) l->max_json_bytes = BRIG_LIM_JSON_DEFAULT;
}

void brig_limits_default(brig_limits *l) {
    *l = (brig_limits){0};
    brig_limits_fill(l);
}

const char *brig_image_kind_name(brig_image_kind k) {
    switch (k) {
    case BRIG_IMG_OCI_LAYOUT: return "oci";
    case BRIG_IMG_OCI_ARCHIVE: return "oci-archive";
    case BRIG_IMG_DOCKER_ARCHIVE: return "docker-archive";
    case BRIG_IMG_DIR: return "dir";
    }
    return "unknown";
}

const char *brig_ftype_name(brig_ftype t) {
    switch (t) {
    case BRIG_FT_REG: return "file";
    case BRIG_FT_DIR: return "dir";
    case BRIG_FT_SYMLINK: return "symlink";
    case BRIG_FT_HARDLINK: return "hardlink";
    case BRIG_FT_CHR: return "char";
    case BRIG_FT_BLK: return "block";
    case BRIG_FT_FIFO: return "fifo";
    case BRIG_FT_SOCK: return "socket";
    }
    return "unknown";
}
