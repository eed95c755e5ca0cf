/* Image input: open an image from any supported form, verify every blob, and
 * read its layers as one merged filesystem without extracting to disk.
 *
 * Forms (brig_image_open ref syntax):
 *   oci:DIR[:TAG]              OCI image layout directory (index.json + blobs/)
 *   oci-archive:FILE[:TAG]     tar of an OCI image layout
 *   docker-archive:FILE[:REF]  `docker save` tar, optionally gzip/zstd compressed
 *   dir:PATH                   plain root filesystem directory (one layer, no config)
 *   PATH                       any of the above, detected from the content
 *
 * Integrity: every blob read is hashed as it streams; a digest mismatch fails
 * the whole operation (BRIG_EXIT_INTEGRITY) naming the blob, and results from a
 * partially read image must be discarded by the caller (every API here returns
 * the error only after the full blob was hashed).
 */
#ifndef BRIG_IMAGE_IMAGE_H
#define BRIG_IMAGE_IMAGE_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef enum {
    BRIG_IMG_OCI_LAYOUT = 1,
    BRIG_IMG_OCI_ARCHIVE,
    BRIG_IMG_DOCKER_ARCHIVE,
    BRIG_IMG_DIR,
} brig_image_kind;

const char *brig_image_kind_name(brig_image_kind k);   /* "oci", "oci-archive", ... */

typedef struct {
    char *digest;       /* blob digest "sha256:…" (for docker-archive: of the layer tar as stored) */
    char *diff_id;      /* uncompressed digest from config rootfs.diff_ids (may be NULL) */
    char *media_type;   /* may be NULL */
    uint64_t size;      /* stored (compressed) size in bytes */
    char *created_by;   /* history line that produced this layer, NULL if unknown */
} brig_layer;

typedef struct {
    char *created;      /* RFC 3339 or NULL */
    char *created_by;   /* NULL if absent */
    char *comment;
    bool empty_layer;
    long layer_index;   /* index into layers[] or -1 for empty_layer entries */
} brig_history;

typedef struct brig_image_impl brig_image_impl;

typedef struct brig_image {
    brig_image_kind kind;
    char *ref;                  /* as given */
    char *path;                 /* directory or archive file */
    char *tag;                  /* selected tag/ref name, NULL if none */
    char *manifest_digest;      /* "sha256:…", NULL for dir: */
    char *config_digest;        /* "sha256:…", NULL for dir: */
    char *os, *arch, *variant;  /* NULL if unknown */
    char *created;              /* config "created" */
    /* Runtime defaults from the config (NULL / 0 when absent). */
    char *user, *workdir, *stop_signal;
    char **env;            size_t n_env;          /* "K=V" */
    char **entrypoint;     size_t n_entrypoint;
    char **cmd;            size_t n_cmd;
    char **exposed_ports;  size_t n_exposed_ports; /* "80/tcp" */
    char **volumes;        size_t n_volumes;
    char **label_keys, **label_values; size_t n_labels;
    char **healthcheck;    size_t n_healthcheck;  /* Healthcheck.Test, NULL if none */
    brig_layer *layers;     size_t n_layers;       /* bottom (0) to top */
    brig_history *history;  size_t n_history;
    json_t *config;             /* full config JSON (borrowed; NULL for dir:) */
    json_t *manifest;           /* full manifest JSON (NULL for dir:/docker-archive) */
    char *manifest_raw;  size_t manifest_len;   /* exact manifest bytes as stored (signing) */
    brig_image_impl *impl;
} brig_image;

/* Limits against hostile input (decompression bombs, path tricks).  0 = default. */
typedef struct {
    uint64_t max_total_bytes;   /* sum of uncompressed file sizes, default 16 GiB */
    uint64_t max_file_bytes;    /* one file, default 8 GiB */
    uint64_t max_entries;       /* tar entries over all layers, default 2,000,000 */
    size_t   max_path_len;      /* bytes in one path, default 4096 */
    size_t   max_depth;         /* path components, default 256 */
    uint64_t max_json_bytes;    /* manifest/config/index size, default 4 MiB */
} brig_limits;
void brig_limits_default(brig_limits *l);

/* Open and validate (manifest, config, digests of manifest+config).  Layer blobs
 * are verified when read.  Returns an exit code; message in brig_errmsg(). */
int brig_image_open(const char *ref, const brig_limits *lim, brig_image **out);
void brig_image_close(brig_image *img);

/* Hash every layer blob (and diff_id when known) without using the content.
 * Used by `brig verify`/`brig inspect --verify`. */
int brig_image_verify_blobs(brig_image *img);

/* ---- Walking the layers (no extraction) ---- */
typedef enum {
    BRIG_FT_REG = 1, BRIG_FT_DIR, BRIG_FT_SYMLINK, BRIG_FT_HARDLINK,
    BRIG_FT_CHR, BRIG_FT_BLK, BRIG_FT_FIFO, BRIG_FT_SOCK,
} brig_ftype;

typedef enum {
    BRIG_ENTRY_VISIBLE = 0,  /* present in the final merged filesystem */
    BRIG_ENTRY_DELETED,      /* removed by a whiteout in layer `removed_in` */
    BRIG_ENTRY_REPLACED,     /* overwritten by another entry in layer `removed_in` (may be its own layer) */
} brig_entry_state;

typedef struct {
    const char *path;        /* normalised: relative, no "./", no trailing "/", e.g. "etc/passwd" */
    brig_ftype type;
    uint32_t mode;           /* permission bits incl. setuid/setgid/sticky */
    uint32_t uid, gid;
    uint64_t size;           /* regular files */
    int64_t mtime;
    const char *linkname;    /* symlink target / hardlink target path, else NULL */
    size_t layer;            /* index into img->layers (0 = bottom) */
    brig_entry_state state;
    size_t removed_in;       /* valid when state != VISIBLE */
} brig_entry;

typedef struct brig_reader brig_reader;
/* Read file content of the current entry (regular files only). Returns bytes
 * read, 0 at end, -1 on error (message recorded). */
ssize_t brig_reader_read(brig_reader *r, void *buf, size_t n);

/* Callback: return 0 to continue, BRIG_WALK_STOP to stop early (not an error),
 * or an exit code to abort the walk with that code. */
#define BRIG_WALK_STOP (-1)
typedef int (*brig_entry_cb)(void *ctx, const brig_entry *e, brig_reader *r);

enum {
    BRIG_WALK_VISIBLE_ONLY = 1 << 0,   /* skip DELETED/REPLACED entries */
};
/* Visit every entry of every layer, decompressing each layer once.  Layers
 * are visited top (last) to bottom so that each entry's final state is already
 * known when it is delivered.  Whiteout markers themselves are not delivered.
 * A compressed tar layer's digests are verified before its first entry is
 * delivered, an uncompressed one's after its last: treat results as void on
 * error.
 * Refused with BRIG_EXIT_UNSAFE (the same images brig_image_extract refuses):
 * absolute entry names or hardlink targets, ".." climbing above the root,
 * entries beneath a symlink/file of the same or a lower layer (write-through),
 * a path that is a directory and a non-directory in one layer, a hardlink to a
 * path its own layer writes again after the link, hardlinks whose target is
 * not a regular file of the image (checked at the end of the walk), and the
 * limits.  A non-directory named twice in one layer is tar semantics: the
 * later entry wins and the earlier one is delivered as REPLACED with
 * removed_in = its own layer.  To know that in time, a tar layer is read
 * for its names first; a compressed one is meanwhile decompressed into an
 * unlinked temporary file in $TMPDIR (else /var/tmp) and its entries are
 * delivered from that copy (layeriter.c, docs/image.md). */
int brig_image_walk(brig_image *img, unsigned flags, brig_entry_cb cb, void *ctx);

/* ---- Merged view (metadata only, built by one walk, cached on the image) ---- */
typedef struct brig_fsnode brig_fsnode;
struct brig_fsnode {
    char *name;              /* last component ("" for the root) */
    brig_ftype type;
    uint32_t mode, uid, gid;
    uint64_t size;
    int64_t mtime;
    char *linkname;
    size_t layer;            /* layer the visible version came from */
    brig_fsnode *parent, *children, *next;   /* children: sorted by name */
};
typedef struct {
    char *path;              /* full path of the deleted entry */
    brig_ftype type;
    uint64_t size;
    size_t layer;            /* layer it was added in */
    size_t removed_in;       /* layer whose whiteout/replacement removed it */
} brig_deleted;

typedef struct brig_fsview {
    brig_fsnode *root;
    size_t n_nodes;
    brig_deleted *deleted; size_t n_deleted;   /* removed by a later layer, in walk order */
} brig_fsview;

int brig_image_fsview(brig_image *img, const brig_fsview **out);
/* Lookup a path in the merged view; does not follow symlinks. NULL if absent. */
const brig_fsnode *brig_fsview_lookup(const brig_fsview *v, const char *path);
/* Full path of a node ("etc/passwd"); caller frees. */
char *brig_fsnode_path(const brig_fsnode *n);

/* Read the content of one or more files of the merged view, in one pass.
 * paths: NULL-terminated list of exact paths; cb is called once per found file
 * with its whole content (up to max_bytes, else BRIG_EXIT_UNSAFE). */
typedef int (*brig_file_cb)(void *ctx, const char *path, const char *data, size_t len, size_t layer);
int brig_image_read_files(brig_image *img, const char *const *paths, size_t max_bytes,
                          brig_file_cb cb, void *ctx);

/* ---- Safe extraction (used by `brig run`) ---- */
typedef struct {
    uint64_t files, dirs, symlinks, hardlinks, fifos, bytes;
    uint64_t skipped_devices, skipped_sockets, whiteouts;
    uint64_t xattrs, xattrs_failed;   /* extended attributes restored / refused by the filesystem */
} brig_extract_stats;
typedef struct {
    brig_limits lim;
    uid_t uid_shift;         /* added to every owner uid (user-namespace mapping) */
    gid_t gid_shift;
    bool  keep_owner;        /* chown entries (only effective as root); also keeps setuid/setgid bits */
    brig_extract_stats *stats;   /* optional: filled with what was created */
} brig_extract_opts;
/* Apply all layers bottom-up into `dest` (created, must be empty or absent).
 * Every path is resolved inside dest (openat2 RESOLVE_IN_ROOT): no escape via
 * "..", absolute names, symlinks or hardlinks; device nodes are skipped.
 * Extended attributes of files and directories: user.* always, trusted.* and
 * security.capability only with keep_owner as root; never security.selinux or
 * other security.* (the runtime labels the container), nor *.overlay.*
 * (overlayfs metadata an image must not forge).  A filesystem refusing one
 * is a warning, as in containerd.
 * Limits refused with BRIG_EXIT_UNSAFE naming the layer and entry. */
int brig_image_extract(brig_image *img, const char *dest, const brig_extract_opts *opts);

#endif
