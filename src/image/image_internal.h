/* Internal interfaces of the image reader, shared by the files of src/image/
 * and exposed to unit tests and fuzz targets.  Not a stable API. */
#ifndef BRIG_IMAGE_INTERNAL_H
#define BRIG_IMAGE_INTERNAL_H
#include "image/image.h"
#include <stdint.h>
#include <sys/types.h>

/* ---- limits.c ---- */
#define BRIG_LIM_TOTAL_DEFAULT   (16ULL << 30)
#define BRIG_LIM_FILE_DEFAULT    (8ULL << 30)
#define BRIG_LIM_ENTRIES_DEFAULT 2000000ULL
#define BRIG_LIM_PATH_DEFAULT    4096
#define BRIG_LIM_DEPTH_DEFAULT   256
#define BRIG_LIM_JSON_DEFAULT    (4ULL << 20)
/* Fill zero members of *l with defaults. */
void brig_limits_fill(brig_limits *l);

/* ---- strmap.c: string -> fixed-size value, insertion-ordered ---- */
typedef struct {
    char **keys; unsigned char *vals; size_t val_size;
    size_t n, cap;            /* keys/vals */
    uint32_t *slots; size_t nslots;   /* index+1, 0 = empty */
} strmap;
void strmap_init(strmap *m, size_t val_size);
void strmap_free(strmap *m);
/* Value for key or NULL.  Pointers are valid until the next put. */
void *strmap_get(const strmap *m, const char *key);
void *strmap_getn(const strmap *m, const char *key, size_t klen);
/* Value for key, inserted zeroed when absent (*created tells which). */
void *strmap_put(strmap *m, const char *key, bool *created);
#define strmap_key(m, i) ((m)->keys[i])
#define strmap_val(m, i) ((void *)((m)->vals + (i) * (m)->val_size))

/* ---- pathnorm.c ---- */
/* Normalise a path from an archive: strip "./" and leading "/", collapse "//",
 * drop "." components and trailing "/", resolve ".." lexically.  A ".." that
 * would climb above the root fails with BRIG_EXIT_UNSAFE.  "" is the root.
 * Checks max_path_len / max_depth (BRIG_EXIT_UNSAFE).  Caller frees *out. */
int brig_path_normalize(const char *in, const brig_limits *lim, char **out);

/* ---- ref.c ---- */
typedef struct {
    brig_image_kind kind;     /* 0 when it must be detected from the content */
    char *path;
    char *tag;                /* NULL if none */
} brig_ref;
int brig_ref_parse(const char *ref, brig_ref *out);
void brig_ref_free(brig_ref *r);

/* ---- tarindex.c: index the members of an (uncompressed) outer tar ---- */
typedef struct {
    uint64_t off, size;       /* data position in the file */
    char type;                /* '0' file, '5' dir, '1' hardlink, '2' symlink, other */
    char *link;               /* link target for '1'/'2' */
} tar_member;
typedef struct {
    strmap map;               /* normalised name -> tar_member */
} tar_index;
/* Index the tar read through `rd` (pread-like) of total size `size`. `name`
 * is used in messages. */
typedef ssize_t (*tar_pread_fn)(void *ctx, void *buf, size_t n, uint64_t off);
int tar_index_build(tar_index *ix, const char *name, tar_pread_fn rd, void *ctx, uint64_t size,
                    const brig_limits *lim);
void tar_index_free(tar_index *ix);
/* Find a member, following symlinks/hardlinks between members (bounded). */
const tar_member *tar_index_find(const tar_index *ix, const char *name);

/* ---- blobsrc.c: where blobs come from ---- */
typedef struct {
    int fd;                   /* owned when owns_fd (layout dirs), else the tar's */
    bool owns_fd;
    uint64_t off, size;
} blob_ref;
void blob_ref_close(blob_ref *b);
typedef struct {
    int is_tar;
    int dirfd;                /* layout directory (O_PATH) */
    int fd;                   /* tar file (possibly an unlinked decompressed copy) */
    uint64_t tar_size;
    tar_index ix;
    char *name;               /* for messages */
    bool was_compressed;
} blobsrc;
int blobsrc_open_dir(blobsrc *s, const char *path);
int blobsrc_open_tar(blobsrc *s, const char *path, const brig_limits *lim);
void blobsrc_close(blobsrc *s);
bool blobsrc_exists(blobsrc *s, const char *rel);
/* Locate a member/file ("index.json", "blobs/sha256/<hex>"). */
int blobsrc_find(blobsrc *s, const char *rel, blob_ref *out);
/* Read a whole small member (bounded by max, BRIG_EXIT_UNSAFE beyond). */
int blobsrc_read(blobsrc *s, const char *rel, size_t max, char **buf, size_t *len);
/* "blobs/sha256/<hex>" for a valid digest, else NULL (caller frees). */
char *blob_path_for_digest(const char *digest);
/* pread that retries on EINTR and short reads (returns bytes read). */
ssize_t blob_pread(const blob_ref *b, void *buf, size_t n, uint64_t off);

/* ---- manifest.c / config.c: JSON documents to fields (no I/O) ---- */
/* Selects a manifest descriptor from an OCI index (no nested resolution):
 * returns the index into "manifests" or an exit code via *which = -1. */
int oci_index_select(const char *name, const json_t *index, const char *tag, size_t *which);
/* Platform choice in an image index: linux/amd64 (or the host's). */
int oci_index_select_platform(const char *name, const json_t *index, size_t *which);
/* Validate a descriptor object: mediaType (optional), digest, size. */
int oci_descriptor(const char *name, const char *where, const json_t *d,
                   const char **media_type, const char **digest, uint64_t *size);
/* Fill img->layers from an OCI manifest (digest, size, media type). */
int oci_manifest_layers(const char *name, const json_t *manifest, brig_image *img,
                        const char **config_digest, uint64_t *config_size);
/* docker-archive manifest.json: pick the entry for ref (NULL = the only one,
 * "@N" = N-th) and return Config / Layers member names. */
int docker_manifest_select(const char *name, const json_t *mf, const char *ref,
                           const char **config, const json_t **layers, const char **tag);
/* Fill config-derived fields (platform, runtime defaults, history, diff_ids). */
int image_config_apply(const char *name, json_t *config, brig_image *img);
bool is_media_index(const char *mt);
bool is_media_manifest(const char *mt);

/* ---- image impl ---- */
struct brig_image_impl {
    brig_limits lim;
    blobsrc src;
    int rootfd;                 /* dir: images */
    blob_ref *layer_blobs;      /* per layer */
    struct brig_fsview *fsview; /* cached */
};

/* ---- layeriter.c: one layer as a stream of normalised entries ---- */
#define LAYER_XATTRS_MAX 32       /* per entry; more are ignored */
#define LAYER_XATTR_VALUE_MAX 65536   /* Linux's XATTR_SIZE_MAX */
typedef struct {
    const char *path;         /* normalised */
    brig_ftype type;
    uint32_t mode, uid, gid;
    uint64_t size;
    int64_t mtime;
    const char *linkname;     /* symlink: raw target; hardlink: normalised target path */
    int whiteout;             /* 0, LAYER_WHITEOUT (path is what it deletes), LAYER_OPAQUE (path is the dir) */
    uint32_t rdev_major, rdev_minor;
    const void *fcaps; size_t fcaps_len;   /* security.capability xattr (file capabilities), or NULL */
    /* Other extended attributes of regular files and directories (PAX
     * SCHILY.xattr.*), user.* and trusted.* only; extract.c decides which
     * it may restore.  Valid until the next layer_iter_next. */
    size_t n_xattrs;
    const char *xattr_name[LAYER_XATTRS_MAX];
    const void *xattr_value[LAYER_XATTRS_MAX];
    size_t xattr_len[LAYER_XATTRS_MAX];
    bool superseded;          /* a later entry of this layer names the same path (non-directories;
                                 only known when opened with layer_iter_open_names) */
} layer_entry;
enum { LAYER_WHITEOUT = 1, LAYER_OPAQUE = 2 };
typedef struct {
    uint64_t entries, total_bytes;
} layer_counters;
typedef struct layer_iter layer_iter;
/* counters accumulate over the layers of one operation (limits are global). */
int layer_iter_open(brig_image *img, size_t layer, layer_counters *cnt, layer_iter **out);
/* The same, after a first pass over the layer's names (see layeriter.c): sets
 * layer_entry.superseded; a compressed layer is decompressed into a temporary
 * file and its digests verified before its first entry is delivered. */
int layer_iter_open_names(brig_image *img, size_t layer, layer_counters *cnt, layer_iter **out);
/* Entries of this layer still to come at path (any type); 0 without a names pass. */
uint32_t layer_iter_later(layer_iter *it, const char *path);
/* *e = NULL at the end; the end is only reported once the blob's digest (and
 * diff_id) were verified. */
int layer_iter_next(layer_iter *it, const layer_entry **e);
ssize_t layer_iter_read(layer_iter *it, void *buf, size_t n);
int layer_iter_read_rc(layer_iter *it);   /* exit code of the last failed read */
void layer_iter_close(layer_iter *it);
/* Hash one blob in full (digest over stored bytes, diff_id over the
 * decompressed stream when want_diff is set). */
int blob_verify_stream(brig_image *img, size_t layer);
/* Message for a digest mismatch (returns BRIG_EXIT_INTEGRITY). */
int blob_mismatch(brig_image *img, size_t layer, const char *what, const char *want, const char *got_hex);

struct brig_reader { layer_iter *it; };

/* ---- fsview.c ---- */
void fsview_free(struct brig_fsview *v);
const char *brig_ftype_name(brig_ftype t);

/* ---- JSON helpers for fuzzing: parse one document as the given kind. ---- */
typedef enum { DOC_INDEX, DOC_MANIFEST, DOC_CONFIG, DOC_DOCKER_MANIFEST } brig_doc_kind;
int brig_image_parse_doc(brig_doc_kind k, const char *name, const char *buf, size_t len);
#endif
