/* brig_misconfig_scan_image: gathers what the checks need (merged view,
 * account files) in one image pass, then runs every check family. */
#include "misconfig/mc.h"
#include "util/err.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>

#define ACCOUNT_FILE_MAX (4u << 20)

static int capture(void *ctx, const char *path, const char *data, size_t len, size_t layer) {
    (void)layer;
    mc_ctx *c = ctx;
    char *copy = xstrndup(data, len);
    if (!strcmp(path, "etc/passwd")) { free(c->passwd); c->passwd = copy; }
    else if (!strcmp(path, "etc/shadow")) { free(c->shadow); c->shadow = copy; }
    else if (!strcmp(path, "etc/group")) { free(c->group); c->group = copy; }
    else free(copy);
    return 0;
}

int brig_misconfig_scan_image(brig_image *img, brig_findings *out) {
    brig_findings mine = {0};
    mc_ctx c = { .img = img, .out = &mine };
    static const char *const files[] = { "etc/passwd", "etc/shadow", "etc/group", NULL };
    int rc = brig_image_read_files(img, files, ACCOUNT_FILE_MAX, capture, &c);
    if (!rc) rc = brig_image_fsview(img, &c.fs);
    if (!rc) {
        /* A plain directory has no config or history to judge. */
        if (img->kind != BRIG_IMG_DIR) { mc_check_config(&c); mc_check_history(&c); }
        mc_check_fs(&c);
        mc_check_accounts(&c);
        brig_findings_move(out, &mine);
    }
    brig_findings_free(&mine);   /* a failed pass reports nothing rather than part of the image */
    free(c.passwd); free(c.shadow); free(c.group);
    return rc;
}
