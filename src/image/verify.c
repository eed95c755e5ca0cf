/* brig_image_verify_blobs: hash every layer blob (stored digest and, when the
 * config lists it, the diff_id of the decompressed stream) without parsing
 * the content.  Layers are independent, so they are hashed on up to four
 * threads; the error reported is the lowest failing layer's, so the result
 * does not depend on scheduling. */
#include "image/image_internal.h"
#include "cli/cli.h"
#include "util/err.h"
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

typedef struct {
    brig_image *img;
    pthread_mutex_t mu;
    size_t next, done, bad_layer;
    int rc;
    char msg[4096];
} vpool;

static void *worker(void *arg) {
    vpool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        size_t i = p->next++;
        bool stop = i >= p->img->n_layers || (p->rc && i > p->bad_layer);
        pthread_mutex_unlock(&p->mu);
        if (stop) return NULL;
        int rc = blob_verify_stream(p->img, i);
        pthread_mutex_lock(&p->mu);
        p->done++;
        if (rc && (!p->rc || i < p->bad_layer)) {
            p->rc = rc; p->bad_layer = i;
            snprintf(p->msg, sizeof p->msg, "%s", brig_errmsg());   /* messages are per thread */
        }
        pthread_mutex_unlock(&p->mu);
    }
}

int brig_image_verify_blobs(brig_image *img) {
    if (img->kind == BRIG_IMG_DIR || img->n_layers == 0) return 0;
    vpool p = { .img = img, .mu = PTHREAD_MUTEX_INITIALIZER };
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    size_t nt = cpus > 1 ? (size_t)cpus : 1;
    if (nt > 4) nt = 4;
    if (nt > img->n_layers) nt = img->n_layers;
    pthread_t th[4];
    size_t started = 0;
    for (size_t i = 1; i < nt; i++)
        if (pthread_create(&th[started], NULL, worker, &p) == 0) started++;
    brig_progress("verifying layers", 0, img->n_layers);
    worker(&p);   /* the calling thread works too */
    for (size_t i = 0; i < started; i++) pthread_join(th[i], NULL);
    brig_progress_done();
    if (p.rc) return brig_fail(p.rc, "%s", p.msg);
    return 0;
}
