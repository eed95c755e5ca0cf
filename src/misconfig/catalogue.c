/* The image misconfiguration checks: dockle / CIS Docker Benchmark 4.x ids
 * where one exists (so results map onto existing policies), BRIG-IMG-NNN for
 * brig's own. */
#include "misconfig/mc.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const mc_check brig_mc_checks[] = {
    { "CIS-DI-0001", BRIG_SEV_HIGH, "Image runs as root (no USER, or USER root/0)",
      "Add a non-root USER (e.g. `RUN useradd -u 10001 app` then `USER 10001`)." },
    { "CIS-DI-0006", BRIG_SEV_LOW, "No HEALTHCHECK defined",
      "Add a HEALTHCHECK instruction that probes the service." },
    { "CIS-DI-0007", BRIG_SEV_LOW, "Package index update without install in the same RUN",
      "Combine `apt-get update && apt-get install ...` (or apk/yum) in one RUN so the cache is never stale." },
    { "CIS-DI-0008", BRIG_SEV_MEDIUM, "setuid/setgid file",
      "Remove the bit unless the program needs it: `RUN chmod a-s FILE`, or drop the binary." },
    { "CIS-DI-0009", BRIG_SEV_LOW, "ADD used instead of COPY",
      "Use COPY for local files; ADD auto-extracts archives and fetches URLs." },
    { "CIS-DI-0010", BRIG_SEV_CRITICAL, "Credential in ENV or build ARG",
      "Pass secrets at run time or with `RUN --mount=type=secret`; ENV and ARG values are stored in the image config and history." },
    { "DKL-DI-0001", BRIG_SEV_HIGH, "sudo present in the image",
      "Remove sudo; switch users with USER in the Dockerfile, or gosu/setpriv at run time." },
    { "DKL-DI-0002", BRIG_SEV_HIGH, "VOLUME on a sensitive system directory",
      "Do not declare volumes on /, /proc, /sys, /dev, /etc, /boot, /root, /var/run or the container runtime socket." },
    { "DKL-DI-0003", BRIG_SEV_LOW, "apt-get upgrade/dist-upgrade in the build",
      "Upgrade the base image instead (rebuild from a newer tag/digest)." },
    { "DKL-DI-0004", BRIG_SEV_LOW, "apk add without --no-cache",
      "Use `apk add --no-cache PKG`." },
    { "DKL-DI-0005", BRIG_SEV_LOW, "Package manager cache left in the image",
      "Clean in the same RUN: `rm -rf /var/lib/apt/lists/*`, `apt-get clean`, `apk add --no-cache`, `pip install --no-cache-dir`, `npm cache clean --force`." },
    { "DKL-DI-0006", BRIG_SEV_MEDIUM, "Image or base image uses the 'latest' tag (or no tag)",
      "Tag images with a version and pin the base image by tag and digest." },
    { "DKL-LI-0001", BRIG_SEV_HIGH, "Account with an empty password",
      "Lock the account (`passwd -l USER`) or set `*`/`!` in /etc/shadow." },
    { "DKL-LI-0002", BRIG_SEV_MEDIUM, "Duplicate UID or GID",
      "Give every account and group a unique id." },
    { "BRIG-IMG-001", BRIG_SEV_MEDIUM, "ADD fetches a remote URL",
      "Download with a checksum check (`curl -fsSLo f URL && sha256sum -c`) or use `ADD --checksum=sha256:...`." },
    { "BRIG-IMG-002", BRIG_SEV_MEDIUM, "World-writable file or directory without the sticky bit",
      "`chmod o-w PATH` (or `chmod +t` for shared directories like /tmp)." },
    { "BRIG-IMG-003", BRIG_SEV_MEDIUM, "SSH port 22 exposed",
      "Do not run sshd in containers; use `exec` for debugging and remove EXPOSE 22." },
    { "BRIG-IMG-004", BRIG_SEV_HIGH, "/etc/shadow (or gshadow) is readable by other users",
      "`chmod 0640 /etc/shadow` (owner root, group shadow) or 0600." },
    { "BRIG-IMG-005", BRIG_SEV_HIGH, "SSH private key file in the image",
      "Remove the key from every layer (rebuild; deleting it in a later layer leaves it in the image) and rotate it." },
    { "BRIG-IMG-006", BRIG_SEV_MEDIUM, ".git directory in the image",
      "Add .git to .dockerignore; history and credentials in .git/config leak with it." },
    { "BRIG-IMG-007", BRIG_SEV_HIGH, "Credential or environment file in the image",
      "Remove .env / credential files from the build context (.dockerignore) and mount them at run time." },
    { "BRIG-IMG-008", BRIG_SEV_LOW, "Base image not pinned by digest",
      "Use `FROM name:tag@sha256:...` so rebuilds use the reviewed base." },
};
const size_t brig_mc_n_checks = sizeof brig_mc_checks / sizeof brig_mc_checks[0];

const mc_check *brig_mc_find(const char *id) {
    for (size_t i = 0; i < brig_mc_n_checks; i++)
        if (strcmp(brig_mc_checks[i].id, id) == 0) return &brig_mc_checks[i];
    return NULL;
}

brig_finding *mc_report(mc_ctx *c, const char *id, const char *file, int line, const char *fmt, ...) {
    const mc_check *k = brig_mc_find(id);
    if (!k) abort();   /* a typo in a check id is a programming error */
    va_list ap;
    va_start(ap, fmt);
    char *msg;
    if (vasprintf(&msg, fmt, ap) < 0) msg = NULL;
    va_end(ap);
    brig_finding *f = brig_findings_add(c->out, k->id, k->severity, k->title, file, line, msg ? msg : k->title);
    brig_finding_set_fix(f, NULL, k->fix, NULL);
    free(msg);
    return f;
}

bool mc_suspicious_name(const char *name, size_t n) {
    static const char *const words[] = {
        "password", "passwd", "pwd", "secret", "token", "apikey", "api_key", "api-key", "accesskey", "access_key",
        "private_key", "privatekey", "credential", "auth_key", "client_secret", "passphrase",
    };
    char *s = xstrndup(name, n);
    bool hit = false;
    for (size_t i = 0; i < sizeof words / sizeof words[0] && !hit; i++) hit = strcasestr(s, words[i]) != NULL;
    /* *_FILE / *_PATH name where the secret lives, not the secret (docker convention) */
    size_t l = strlen(s);
    if (hit && l > 5 && (!strcasecmp(s + l - 5, "_FILE") || !strcasecmp(s + l - 5, "_PATH") || !strcasecmp(s + l - 4, "_DIR"))) hit = false;
    free(s);
    return hit;
}

bool mc_literal_value(const char *v) {
    if (!v || !*v) return false;
    if (v[0] == '$') return false;              /* reference to another variable */
    if (v[0] == '/' && !strchr(v, ' ')) return false;   /* a path */
    return true;
}
