/* Mount option strings (fstab/mount(8) vocabulary, as used in config.json
 * "options") -> mount(2) flags, propagation and filesystem data. */
#include "runtime/rt.h"
#include "util/err.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

static const struct { const char *name; bool clear; unsigned long flag; } flag_tab[] = {
    { "ro", false, MS_RDONLY },        { "rw", true, MS_RDONLY },
    { "nosuid", false, MS_NOSUID },    { "suid", true, MS_NOSUID },
    { "nodev", false, MS_NODEV },      { "dev", true, MS_NODEV },
    { "noexec", false, MS_NOEXEC },    { "exec", true, MS_NOEXEC },
    { "sync", false, MS_SYNCHRONOUS }, { "async", true, MS_SYNCHRONOUS },
    { "dirsync", false, MS_DIRSYNC },
    { "remount", false, MS_REMOUNT },
    { "mand", false, MS_MANDLOCK },    { "nomand", true, MS_MANDLOCK },
    { "atime", true, MS_NOATIME },     { "noatime", false, MS_NOATIME },
    { "diratime", true, MS_NODIRATIME }, { "nodiratime", false, MS_NODIRATIME },
    { "relatime", false, MS_RELATIME }, { "norelatime", true, MS_RELATIME },
    { "strictatime", false, MS_STRICTATIME }, { "nostrictatime", true, MS_STRICTATIME },
    { "silent", false, MS_SILENT },    { "loud", true, MS_SILENT },
    { "lazytime", false, MS_LAZYTIME }, { "nolazytime", true, MS_LAZYTIME },
    { "defaults", true, 0 },
};

static const struct { const char *name; unsigned long flag; } prop_tab[] = {
    { "private", MS_PRIVATE },   { "rprivate", MS_PRIVATE | MS_REC },
    { "shared", MS_SHARED },     { "rshared", MS_SHARED | MS_REC },
    { "slave", MS_SLAVE },       { "rslave", MS_SLAVE | MS_REC },
    { "unbindable", MS_UNBINDABLE }, { "runbindable", MS_UNBINDABLE | MS_REC },
};

/* Options that only make sense to tools above the runtime (fstab, podman's
 * idmapping, crun extensions) and that we must not hand to the kernel. */
static const char *ignored[] = { "noauto", "auto", "nofail", "user", "nouser", "_netdev", "z", "Z", "U", "copy", "nocopy", NULL };

int rt_mountopts_parse(char *const *opts, size_t n, rt_mountopts *out, const char *where) {
    memset(out, 0, sizeof *out);
    strbuf data = STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        const char *o = opts[i];
        bool found = false;
        if (!*o) continue;
        if (strlen(o) > 4096) { sb_free(&data); return brig_fail(BRIG_EXIT_INPUT, "%s: option %zu is longer than 4096 bytes", where, i); }
        for (size_t k = 0; k < sizeof flag_tab / sizeof flag_tab[0]; k++) {
            if (strcmp(o, flag_tab[k].name)) continue;
            if (flag_tab[k].clear) { out->flags &= ~flag_tab[k].flag; out->clear |= flag_tab[k].flag; }
            else { out->flags |= flag_tab[k].flag; out->clear &= ~flag_tab[k].flag; }
            found = true;
        }
        for (size_t k = 0; !found && k < sizeof prop_tab / sizeof prop_tab[0]; k++)
            if (!strcmp(o, prop_tab[k].name)) { out->propagation = prop_tab[k].flag; found = true; }
        if (!found && !strcmp(o, "bind")) { out->bind = true; found = true; }
        if (!found && !strcmp(o, "rbind")) { out->bind = out->rbind = true; found = true; }
        for (int k = 0; !found && ignored[k]; k++) if (!strcmp(o, ignored[k])) found = true;
        if (!found && (!strncmp(o, "idmap", 5) || !strncmp(o, "ridmap", 6) || !strncmp(o, "tmpcopyup", 9)))
            { sb_free(&data); return brig_fail(BRIG_EXIT_NOTIMPL, "%s: mount option '%s' is not supported by brig; remove it", where, o); }
        if (!found) {
            /* Anything else is filesystem data ("mode=755", "size=65536k", "newinstance"). */
            if (strchr(o, ',')) { sb_free(&data); return brig_fail(BRIG_EXIT_INPUT, "%s: option '%s' contains a comma; give each option separately", where, o); }
            if (data.len) sb_addc(&data, ',');
            sb_adds(&data, o);
        }
    }
    out->data = data.len ? sb_detach(&data) : NULL;
    sb_free(&data);
    return 0;
}

void rt_mountopts_free(rt_mountopts *o) { free(o->data); o->data = NULL; }
