/* `brig db update URL...`: download each feed (http, https or file URLs, with
 * a size limit and a progress line on a TTY) into a temp file beside the
 * database, then import all of them in one atomic rebuild. */
#include "cli/cli.h"
#include "scan/vulndb_internal.h"
#include "util/err.h"
#include "util/fileio.h"
#include "util/xalloc.h"
#include "util/lazy_curl.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

typedef struct { FILE *f; unsigned long long got, max; bool over; const char *label; } dl_state;

static size_t on_data(char *p, size_t sz, size_t n, void *ud) {
    dl_state *s = ud;
    size_t len = sz * n;
    if (s->got + len > s->max) { s->over = true; return 0; }
    if (fwrite(p, 1, len, s->f) != len) return 0;
    s->got += len;
    return len;
}

static int on_progress(void *ud, curl_off_t total, curl_off_t now, curl_off_t ut, curl_off_t un) {
    (void)ut; (void)un;
    dl_state *s = ud;
    if (total > 0 && (unsigned long long)total > s->max) { s->over = true; return 1; }
    brig_progress(s->label, (unsigned long long)now, total > 0 ? (unsigned long long)total : 0);
    return 0;
}

static int download(const char *url, const char *dest, unsigned long long max) {
    FILE *f = fopen(dest, "wbe");
    if (!f) return brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: cannot create download file", dest);
    CURL *c = curl_easy_init();
    if (!c) { fclose(f); return brig_fail(BRIG_EXIT_SYSTEM, "%s: cannot initialise libcurl", url); }
    char errbuf[CURL_ERROR_SIZE] = "";
    dl_state s = { .f = f, .max = max, .label = "downloading" };
    curl_easy_setopt(c, CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,file");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS | CURLPROTO_FILE));
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
    /* Abort a stalled transfer (< 1 KiB/s for 60 s) rather than hang forever. */
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "brig-db-update");
    /* The Debian tracker JSON is served compressed; the size limit applies to decoded bytes. */
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &s);
    CURLcode r = curl_easy_perform(c);
    brig_progress_done();
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    int rc = 0;
    if (fclose(f) != 0 && r == CURLE_OK) rc = brig_fail_errno(BRIG_EXIT_SYSTEM, "%s: write failed", dest);
    if (s.over || r == CURLE_FILESIZE_EXCEEDED)
        rc = brig_fail(BRIG_EXIT_UNSAFE, "%s: download exceeds the %llu-byte limit; raise it with --max-size", url, max);
    else if (r == CURLE_HTTP_RETURNED_ERROR)
        rc = brig_fail(BRIG_EXIT_INPUT, "%s: server answered HTTP %ld", url, status);
    else if (r == CURLE_UNSUPPORTED_PROTOCOL)
        rc = brig_fail(BRIG_EXIT_INPUT, "%s: unsupported URL scheme (redirected?); use http://, https:// or file://", url);
    else if (r == CURLE_FILE_COULDNT_READ_FILE)
        rc = brig_fail(BRIG_EXIT_INPUT, "%s: cannot read file: %s", url, errbuf[0] ? errbuf : curl_easy_strerror(r));
    else if (r != CURLE_OK)
        rc = brig_fail(BRIG_EXIT_SYSTEM, "%s: download failed: %s", url, errbuf[0] ? errbuf : curl_easy_strerror(r));
    return rc;
}

/* Source name from the URL's last path segment, without query and extension. */
static char *url_name(const char *url) {
    const char *end = url + strcspn(url, "?#");
    const char *s = end;
    while (s > url && s[-1] == '/') s--;
    end = s;
    while (s > url && s[-1] != '/') s--;
    char *n = xstrndup(s, (size_t)(end - s));
    size_t l = strlen(n);
    if (l > 4 && !strcmp(n + l - 4, ".zip")) n[l - 4] = 0;
    else if (l > 5 && !strcmp(n + l - 5, ".json")) n[l - 5] = 0;
    if (!*n) { free(n); n = xstrdup("download"); }
    return n;
}

int brig_db_cmd_update(int argc, char **argv) {
    static const struct option lo[] = { { "db", required_argument, 0, 'd' }, { "strict", no_argument, 0, 's' },
                                        { "max-size", required_argument, 0, 'm' }, { "help", no_argument, 0, 'h' }, { 0 } };
    brig_import_opts o = {0};
    const char *dbpath = NULL;
    unsigned long long max = BRIG_VULNDB_MAX_DOWNLOAD;
    optind = 0;
    int c;
    while ((c = brig_getopt(argc, argv, "h", lo, "db update")) != -1) {
        if (c == 'd') dbpath = optarg;
        else if (c == 's') o.strict = true;
        else if (c == 'm') {
            char *end;
            errno = 0;
            max = strtoull(optarg, &end, 10);
            if (errno || end == optarg || *end || max == 0) return brig_usage_error("db update", "--max-size needs a positive byte count");
        } else if (c == 'h') {
            puts("Usage: brig db update [--db PATH] [--strict] [--max-size BYTES] URL...\n\n"
                 "Downloads each URL (http://, https:// or file://; redirects followed up to 5 times)\n"
                 "and imports it like 'brig db import': an OSV all.zip, an OSV JSON record, an Alpine\n"
                 "secdb JSON or a Debian security tracker JSON.  The source is named after the last\n"
                 "URL path segment (e.g. .../Go/all.zip -> 'all'; .../v3.18/main.json -> 'main'), so\n"
                 "a later update replaces it.  Progress is shown on a terminal.\n\n"
                 "Options:\n"
                 "  --db PATH          database file (default $BRIG_DB or the cache)\n"
                 "  --max-size BYTES   refuse downloads larger than this (default 2 GiB)\n"
                 "  --strict           fail on malformed records instead of skipping them\n\n"
                 "Exit codes: 0 updated, 2 bad command line or URL scheme, 3 HTTP error, missing file\n"
                 "or malformed data, 5 over --max-size, 6 network, I/O or database error.");
            return 0;
        } else return BRIG_EXIT_USAGE;
    }
    size_t n = (size_t)(argc - optind);
    if (n == 0) return brig_usage_error("db update", "missing URL");
    int lrc = brig_curl_load();
    if (lrc) { brig_print_error(lrc); return lrc; }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    char *path = dbpath ? xstrdup(dbpath) : brig_vulndb_default_path();
    char *dir = xstrdup(path);
    char *sl = strrchr(dir, '/');
    if (sl && sl != dir) *sl = 0; else { free(dir); dir = xstrdup("."); }
    brig_mkdir_p(dir, 0755);
    char **files = xcalloc(n, sizeof *files);
    const char **names = xcalloc(n, sizeof *names);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        const char *url = argv[optind + i];
        if (!strstr(url, "://")) { rc = brig_usage_error("db update", "'%s' is not a URL (use 'brig db import' for paths)", url); break; }
        if (strncasecmp(url, "http://", 7) && strncasecmp(url, "https://", 8) && strncasecmp(url, "file://", 7)) {
            rc = brig_usage_error("db update", "%s: unsupported URL scheme (use http://, https:// or file://)", url);
            break;
        }
        files[i] = xasprintf("%s/.download.%ld.%zu", dir, (long)getpid(), i);
        names[i] = url_name(url);
        fprintf(stderr, "downloading %s\n", url);
        rc = download(url, files[i], max);
    }
    if (!rc) {
        o.origins = (const char *const *)(argv + optind);
        rc = brig_vulndb_import_paths(path, files, names, n, &o);
    }
    for (size_t i = 0; i < n; i++) {
        if (files[i]) { unlink(files[i]); free(files[i]); }
        free((char *)names[i]);
    }
    free(files); free(names); free(dir); free(path);
    curl_global_cleanup();
    if (rc && rc != BRIG_EXIT_USAGE) brig_print_error(rc);
    return rc;
}
