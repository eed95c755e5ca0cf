/* brig inspect: what an image is (digests, platform, layers, history,
 * runtime config) and, with --files, its merged file listing. */
#include "cli/cli.h"
#include "image/image.h"
#include "image/image_cli.h"
#include "image/image_internal.h"
#include "image/inspect.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void help(void) {
    printf(
        "Usage: brig inspect [OPTIONS] IMAGE\n\n"
        "Show an image's reference, form, manifest and config digests, platform, creation\n"
        "time, layers (digest, size, the history line that made each), history (including\n"
        "empty-layer steps) and runtime config (user, env, entrypoint, cmd, workdir, ports,\n"
        "volumes, labels, stop signal, healthcheck).  The manifest and config digests are\n"
        "always verified; --verify also hashes every layer blob.\n\n"
        "IMAGE: oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE[:REF|:@N], dir:PATH, or a path.\n\n"
        "Options:\n"
        "  --format table|json   output format (default: table)\n"
        "  --files               add the merged file listing and the files deleted/replaced\n"
        "                        by later layers (reads every layer once)\n"
        "  --verify              hash every layer blob (digest and diff_id) and report\n"
        "                        \"all N blobs verified\"\n"
        "  --max-size BYTES      refuse images whose files exceed BYTES in total (K/M/G/T\n"
        "                        suffixes; default 16G)\n"
        "  --max-entries N       refuse images with more than N entries (default 2000000)\n"
        "  --max-path BYTES      refuse paths longer than BYTES (default 4096)\n"
        "  -h, --help            show this help\n\n"
        "JSON members: reference, form, tag, digest, config_digest, os, architecture, variant,\n"
        "created, user, workdir, env[], entrypoint[]|null, cmd[]|null, exposed_ports[], volumes[],\n"
        "labels{}, stop_signal, healthcheck[]|null, layers[{index,digest,diff_id,media_type,size,\n"
        "created_by}], history[{created,created_by,comment,empty_layer,layer}], verified_blobs\n"
        "(with --verify), files[{path,type,mode,uid,gid,size,link,layer}] and\n"
        "deleted[{path,type,size,layer,removed_in}] (with --files).\n\n"
        "Exit codes:\n"
        "  0  success\n"
        "  2  bad command line\n"
        "  3  image missing, unreadable or malformed (the message names file and position)\n"
        "  4  a digest does not match: the image is corrupted or tampered with\n"
        "  5  hostile content refused (path escape, size/entry limits, decompression bomb)\n"
        "  6  system error\n"
        "  7  unsupported feature (registry references, encrypted layers, sha512 digests)\n");
}

static void print_list(const char *label, char **v, size_t n) {
    printf("%-15s", label);
    if (!n) { printf("-\n"); return; }
    for (size_t i = 0; i < n; i++) printf("%s%s\n", i ? "               " : "", v[i]);
}

static void print_argv(const char *label, char **v, size_t n) {
    printf("%-15s", label);
    if (!v) { printf("-\n"); return; }
    putchar('[');
    for (size_t i = 0; i < n; i++) printf("%s\"%s\"", i ? ", " : "", v[i]);
    printf("]\n");
}

static const char *or_dash(const char *s) { return s && *s ? s : "-"; }

static void mode_string(const brig_fsnode *n, char out[11]) {
    static const char t[] = { '?', '-', 'd', 'l', 'h', 'c', 'b', 'p', 's' };
    out[0] = t[n->type <= BRIG_FT_SOCK ? n->type : 0];
    const char *rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; i++) out[1 + i] = (n->mode & (0400u >> i)) ? rwx[i] : '-';
    if (n->mode & 04000) out[3] = (n->mode & 0100) ? 's' : 'S';
    if (n->mode & 02000) out[6] = (n->mode & 0010) ? 's' : 'S';
    if (n->mode & 01000) out[9] = (n->mode & 0001) ? 't' : 'T';
    out[10] = 0;
}

static void print_table(brig_image *img, const brig_fsview *files, bool verified) {
    char hb[32];
    printf("%-15s%s\n", "Reference:", img->ref);
    printf("%-15s%s\n", "Form:", brig_image_kind_name(img->kind));
    printf("%-15s%s\n", "Tag:", or_dash(img->tag));
    printf("%-15s%s\n", "Digest:", or_dash(img->manifest_digest));
    printf("%-15s%s\n", "Config:", or_dash(img->config_digest));
    printf("%-15s%s/%s%s%s\n", "Platform:", or_dash(img->os), or_dash(img->arch), img->variant ? "/" : "", img->variant ? img->variant : "");
    printf("%-15s%s\n", "Created:", or_dash(img->created));
    printf("%-15s%s\n", "User:", or_dash(img->user));
    printf("%-15s%s\n", "Workdir:", or_dash(img->workdir));
    print_argv("Entrypoint:", img->entrypoint, img->n_entrypoint);
    print_argv("Cmd:", img->cmd, img->n_cmd);
    print_list("Env:", img->env, img->n_env);
    print_list("Ports:", img->exposed_ports, img->n_exposed_ports);
    print_list("Volumes:", img->volumes, img->n_volumes);
    printf("%-15s", "Labels:");
    if (!img->n_labels) printf("-\n");
    for (size_t i = 0; i < img->n_labels; i++) printf("%s%s=%s\n", i ? "               " : "", img->label_keys[i], img->label_values[i]);
    printf("%-15s%s\n", "Stop signal:", or_dash(img->stop_signal));
    print_argv("Healthcheck:", img->healthcheck, img->n_healthcheck);
    uint64_t total = 0;
    for (size_t i = 0; i < img->n_layers; i++) total += img->layers[i].size;
    printf("\nLayers (%zu, %s):\n", img->n_layers, image_human_bytes(total, hb, sizeof hb));
    printf("  %-3s %-71s %10s %14s  %s\n", "#", "DIGEST", "SIZE", "BYTES", "CREATED BY");
    for (size_t i = 0; i < img->n_layers; i++) {
        const brig_layer *l = &img->layers[i];
        printf("  %-3zu %-71s %10s %14llu  %.100s\n", i, or_dash(l->digest), image_human_bytes(l->size, hb, sizeof hb),
               (unsigned long long)l->size, or_dash(l->created_by));
    }
    if (img->n_history) {
        printf("\nHistory (%zu):\n", img->n_history);
        printf("  %-5s %-25s %s\n", "LAYER", "CREATED", "CREATED BY");
        for (size_t i = 0; i < img->n_history; i++) {
            const brig_history *h = &img->history[i];
            char li[24];
            if (h->layer_index >= 0) snprintf(li, sizeof li, "%ld", h->layer_index); else snprintf(li, sizeof li, "(empty)");
            printf("  %-5s %-25s %.120s\n", li, or_dash(h->created), or_dash(h->created_by));
        }
    }
    if (verified && img->kind == BRIG_IMG_DIR) printf("\nno blobs to verify: a dir: image is read from disk as it is\n");
    else if (verified) printf("\nall %zu blobs verified\n", img->n_layers);
    if (files) {
        inspect_file *rows;
        size_t n = inspect_sorted_files(files, &rows);
        printf("\nFiles (%zu):\n", n);
        for (size_t i = 0; i < n; i++) {
            const brig_fsnode *f = rows[i].node;
            char m[11];
            mode_string(f, m);
            printf("  %s %5u:%-5u %12llu  L%-3zu /%s%s%s\n", m, f->uid, f->gid, (unsigned long long)f->size, f->layer,
                   rows[i].path, f->linkname ? (f->type == BRIG_FT_HARDLINK ? " => /" : " -> ") : "", f->linkname ? f->linkname : "");
            free(rows[i].path);
        }
        free(rows);
        printf("\nDeleted or replaced by a later layer (%zu):\n", files->n_deleted);
        for (size_t i = 0; i < files->n_deleted; i++) {
            const brig_deleted *d = &files->deleted[i];
            printf("  %-8s %12llu  added L%zu, removed L%zu  /%s\n", brig_ftype_name(d->type), (unsigned long long)d->size,
                   d->layer, d->removed_in, d->path);
        }
    }
}

int cmd_inspect(int argc, char **argv) {
    static const struct option opts[] = {
        { "format", required_argument, NULL, 'f' }, { "files", no_argument, NULL, 'F' },
        { "verify", no_argument, NULL, 'V' }, { "max-size", required_argument, NULL, 's' },
        { "max-entries", required_argument, NULL, 'e' }, { "max-path", required_argument, NULL, 'p' },
        { "help", no_argument, NULL, 'h' }, { 0 },
    };
    bool json = false, files = false, verify = false;
    brig_limits lim = {0};
    optind = 0;
    int c;
    while ((c = brig_getopt(argc, argv, "h", opts, "inspect")) != -1) {
        uint64_t v;
        switch (c) {
        case 'h': help(); return 0;
        case 'f':
            if (!strcmp(optarg, "json")) json = true;
            else if (!strcmp(optarg, "table")) json = false;
            else return brig_usage_error("inspect", "--format must be table or json, not '%s'", optarg);
            break;
        case 'F': files = true; break;
        case 'V': verify = true; break;
        case 's': if (!image_parse_bytes(optarg, &v) || !v) return brig_usage_error("inspect", "--max-size: '%s' is not a size", optarg); lim.max_total_bytes = v; break;
        case 'e': if (!image_parse_bytes(optarg, &v) || !v) return brig_usage_error("inspect", "--max-entries: '%s' is not a count", optarg); lim.max_entries = v; break;
        case 'p': if (!image_parse_bytes(optarg, &v) || !v || v > 1 << 20) return brig_usage_error("inspect", "--max-path: '%s' is not a length", optarg); lim.max_path_len = (size_t)v; break;
        default: return BRIG_EXIT_USAGE;
        }
    }
    if (optind + 1 != argc) return brig_usage_error("inspect", optind >= argc ? "missing IMAGE" : "expected exactly one IMAGE");
    brig_image *img;
    int rc = brig_image_open(argv[optind], &lim, &img);
    const brig_fsview *view = NULL;
    /* Building the merged view reads every blob to its end through both
     * hashes, so with --files it is the verification too (one pass). */
    if (!rc && verify && !files) rc = brig_image_verify_blobs(img);
    if (!rc && files) rc = brig_image_fsview(img, &view);
    if (rc) { brig_print_error(rc); brig_image_close(img); return rc; }
    if (json) {
        json_t *j = inspect_to_json(img, view, verify);
        json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        putchar('\n');
        json_decref(j);
    } else print_table(img, view, verify);
    if (verify && json && img->kind != BRIG_IMG_DIR) fprintf(stderr, "brig inspect: all %zu blobs verified\n", img->n_layers);
    brig_image_close(img);
    return 0;
}
