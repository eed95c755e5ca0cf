/* Unit tests for config.json parsing (src/runtime/spec.c) and capability names. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <unistd.h>
#include "runtime/rt.h"
#include "util/err.h"
#include "util/json.h"

static int parse(const char *txt, rt_spec **s) {
    json_t *j;
    int rc = brig_json_parse("config.json", txt, strlen(txt), &j);
    if (rc) { *s = NULL; return rc; }
    return rt_spec_parse("config.json", j, "/bundle", s);
}

#define MIN "\"ociVersion\":\"1.1.0\",\"root\":{\"path\":\"rootfs\"},\"process\":{\"cwd\":\"/\",\"args\":[\"sh\"]}"

static void test_minimal_and_default_spec(void **st) {
    (void)st;
    rt_spec *s;
    assert_int_equal(parse("{" MIN "}", &s), 0);
    assert_string_equal(s->root_path, "/bundle/rootfs");
    assert_false(s->root_readonly);
    assert_int_equal(s->proc.n_args, 1);
    assert_int_equal(s->proc.umask, -1);
    assert_false(s->proc.has_caps);
    rt_spec_free(s);
    /* The hardened default (brig spec) parses and is hardened. */
    json_t *d = rt_default_spec(true, false);
    assert_int_equal(rt_spec_parse("default", d, "/b", &s), 0);
    assert_true(s->root_readonly);
    assert_true(s->proc.no_new_privs);
    assert_true(s->proc.has_caps);
    for (int i = 0; i < RT_CAP_SETS; i++) assert_int_equal(s->proc.caps[i], 0);
    assert_true(s->ns[RT_NS_USER].present && s->ns[RT_NS_PID].present && s->ns[RT_NS_NET].present);
    assert_int_equal(s->uid_maps[0].host_id, 100000);
    assert_non_null(s->seccomp);
    assert_true(s->n_masked >= 10);
    assert_int_equal(s->proc.n_rlimits, 1);
    assert_int_equal(s->proc.rlimits[0].resource, RLIMIT_NOFILE);
    rt_spec_free(s);
}

static void test_full_fields(void **st) {
    (void)st;
    rt_spec *s;
    const char *txt = "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"/abs\",\"readonly\":true},\"hostname\":\"h\","
        "\"process\":{\"cwd\":\"/w\",\"args\":[\"a\",\"b\"],\"env\":[\"A=1\"],\"user\":{\"uid\":5,\"gid\":6,\"umask\":18,\"additionalGids\":[7,8]},"
        "\"capabilities\":{\"bounding\":[\"CAP_NET_RAW\",\"CAP_CHOWN\"],\"ambient\":[\"CAP_CHOWN\"]},\"noNewPrivileges\":true,\"oomScoreAdj\":100,"
        "\"rlimits\":[{\"type\":\"RLIMIT_NPROC\",\"soft\":10,\"hard\":20}]},"
        "\"mounts\":[{\"destination\":\"/d\",\"type\":\"bind\",\"source\":\"/s\",\"options\":[\"rbind\",\"ro\",\"nosuid\",\"rslave\"]}],"
        "\"linux\":{\"namespaces\":[{\"type\":\"uts\"},{\"type\":\"mount\"},{\"type\":\"network\",\"path\":\"/run/netns/x\"}],"
        "\"cgroupsPath\":\"/a/b\",\"sysctl\":{\"net.core.somaxconn\":\"1024\"},\"rootfsPropagation\":\"rslave\","
        "\"devices\":[{\"path\":\"/dev/fuse\",\"type\":\"c\",\"major\":10,\"minor\":229,\"fileMode\":438}]},"
        "\"hooks\":{\"prestart\":[{\"path\":\"/bin/true\",\"args\":[\"true\"],\"timeout\":3}]}}";
    assert_int_equal(parse(txt, &s), 0);
    assert_string_equal(s->root_path, "/abs");
    assert_true(s->root_readonly);
    assert_int_equal(s->proc.uid, 5); assert_int_equal(s->proc.gid, 6); assert_int_equal(s->proc.umask, 18);
    assert_int_equal(s->proc.n_add_gids, 2);
    assert_true(s->proc.caps[RT_CAP_BOUNDING] & (1ull << rt_cap_from_name("CAP_NET_RAW")));
    assert_true(s->proc.caps[RT_CAP_AMBIENT] & (1ull << rt_cap_from_name("cap_chown")));
    assert_true(s->proc.has_oom); assert_int_equal(s->proc.oom_score_adj, 100);
    assert_int_equal(s->proc.rlimits[0].resource, RLIMIT_NPROC);
    assert_int_equal(s->n_mounts, 1);
    assert_true(s->mounts[0].opts.bind && s->mounts[0].opts.rbind);
    assert_true(s->mounts[0].opts.flags & MS_RDONLY);
    assert_int_equal(s->mounts[0].opts.propagation, MS_SLAVE | MS_REC);
    assert_string_equal(s->ns[RT_NS_NET].path, "/run/netns/x");
    assert_false(s->ns[RT_NS_PID].present);
    assert_string_equal(s->cgroups_path, "/a/b");
    assert_int_equal(s->n_sysctl, 1);
    assert_int_equal(s->n_devices, 1); assert_int_equal(s->devices[0].mode, 438);
    assert_int_equal(s->n_hooks[RT_HOOK_PRESTART], 1); assert_int_equal(s->hooks[RT_HOOK_PRESTART][0].timeout, 3);
    assert_int_equal(rt_sysctl_check(s), 0);   /* net.* is fine: the container has its own (joined) netns */
    rt_spec_free(s);
}

static void expect_bad(const char *txt, int code, const char *needle) {
    rt_spec *s;
    int rc = parse(txt, &s);
    assert_int_equal(rc, code);
    if (!strstr(brig_errmsg(), needle)) fail_msg("message '%s' lacks '%s'", brig_errmsg(), needle);
    rt_spec_free(s);
}

static void test_errors_name_the_member(void **st) {
    (void)st;
    expect_bad("[]", BRIG_EXIT_INPUT, "must be a JSON object");
    expect_bad("{\"root\":{\"path\":\"r\"}}", BRIG_EXIT_INPUT, "ociVersion is required");
    expect_bad("{\"ociVersion\":\"2.0\",\"root\":{\"path\":\"r\"}}", BRIG_EXIT_INPUT, "not supported");
    expect_bad("{\"ociVersion\":\"1.1.0\"}", BRIG_EXIT_INPUT, "root must be an object");
    expect_bad("{" MIN ",\"process\":{\"cwd\":\"rel\",\"args\":[\"x\"]}}", BRIG_EXIT_INPUT, "");   /* duplicate key */
    expect_bad("{\"ociVersion\":\"1.1.0\",\"root\":{\"path\":\"r\"},\"process\":{\"cwd\":\"rel\",\"args\":[\"x\"]}}", BRIG_EXIT_INPUT, "process.cwd 'rel' must be an absolute path");
    expect_bad("{\"ociVersion\":\"1.1.0\",\"root\":{\"path\":\"r\"},\"process\":{\"cwd\":\"/\",\"args\":[1]}}", BRIG_EXIT_INPUT, "process.args[0]");
    expect_bad("{\"ociVersion\":\"1.1.0\",\"root\":{\"path\":\"r\"},\"process\":{\"cwd\":\"/\",\"capabilities\":{\"bounding\":[\"NET_RAW\"]}}}", BRIG_EXIT_INPUT, "unknown capability 'NET_RAW'");
    expect_bad("{\"ociVersion\":\"1.1.0\",\"root\":{\"path\":\"r\"},\"process\":{\"cwd\":\"/\",\"rlimits\":[{\"type\":\"RLIMIT_FOO\",\"soft\":1,\"hard\":1}]}}", BRIG_EXIT_INPUT, "unknown rlimit 'RLIMIT_FOO'");
    expect_bad("{\"ociVersion\":\"1.1.0\",\"root\":{\"path\":\"r\"},\"process\":{\"cwd\":\"/\",\"rlimits\":[{\"type\":\"RLIMIT_CORE\",\"soft\":5,\"hard\":1}]}}", BRIG_EXIT_INPUT, "soft limit 5 is above hard limit 1");
    expect_bad("{\"ociVersion\":\"1.1.0\",\"root\":{\"path\":\"r\"},\"mounts\":[{\"destination\":\"rel\",\"type\":\"tmpfs\"}]}", BRIG_EXIT_INPUT, "mounts[0].destination must be an absolute path");
    expect_bad("{\"ociVersion\":\"1.1.0\",\"root\":{\"path\":\"r\"},\"mounts\":[{\"destination\":\"/x\",\"options\":[\"bind\"]}]}", BRIG_EXIT_INPUT, "bind mount without a source");
    expect_bad("{\"ociVersion\":\"1.1.0\",\"root\":{\"path\":\"r\"},\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"pid\"}]}}", BRIG_EXIT_INPUT, "listed twice");
    expect_bad("{\"ociVersion\":\"1.1.0\",\"root\":{\"path\":\"r\"},\"linux\":{\"namespaces\":[{\"type\":\"bogus\"}]}}", BRIG_EXIT_INPUT, "unknown namespace type 'bogus'");
    expect_bad("{\"ociVersion\":\"1.1.0\",\"root\":{\"path\":\"r\"},\"linux\":{\"namespaces\":[{\"type\":\"user\"}]}}", BRIG_EXIT_INPUT, "needs linux.uidMappings");
    expect_bad("{\"ociVersion\":\"1.1.0\",\"root\":{\"path\":\"r\"},\"hostname\":\"x\"}", BRIG_EXIT_INPUT, "need a new uts namespace");
    expect_bad("{\"ociVersion\":\"1.1.0\",\"root\":{\"path\":\"r\"},\"linux\":{\"rootfsPropagation\":\"weird\"}}", BRIG_EXIT_INPUT, "rootfsPropagation 'weird'");
    expect_bad("{\"ociVersion\":\"1.1.0\",\"root\":{\"path\":\"r\"},\"process\":{\"cwd\":\"/\",\"apparmorProfile\":\"x\"}}", BRIG_EXIT_NOTIMPL, "AppArmor");
    expect_bad("{\"ociVersion\":\"1.1.0\",\"root\":{\"path\":\"r\"},\"mounts\":[{\"destination\":\"/x\",\"type\":\"tmpfs\",\"options\":[\"idmap\"]}]}", BRIG_EXIT_NOTIMPL, "idmap");
}

static void test_sysctl_policy(void **st) {
    (void)st;
    rt_spec *s;
    assert_int_equal(parse("{" MIN ",\"linux\":{\"namespaces\":[{\"type\":\"ipc\"}],\"sysctl\":{\"kernel.shmmax\":\"1\",\"fs.mqueue.msg_max\":\"5\"}}}", &s), 0);
    assert_int_equal(rt_sysctl_check(s), 0);
    rt_spec_free(s);
    assert_int_equal(parse("{" MIN ",\"linux\":{\"sysctl\":{\"kernel.shmmax\":\"1\"}}}", &s), 0);
    assert_int_equal(rt_sysctl_check(s), BRIG_EXIT_UNSAFE);   /* no own ipc namespace */
    rt_spec_free(s);
    assert_int_equal(parse("{" MIN ",\"linux\":{\"namespaces\":[{\"type\":\"ipc\"},{\"type\":\"network\"}],\"sysctl\":{\"vm.swappiness\":\"1\"}}}", &s), 0);
    assert_int_equal(rt_sysctl_check(s), BRIG_EXIT_UNSAFE);   /* not namespaced at all */
    assert_non_null(strstr(brig_errmsg(), "vm.swappiness"));
    rt_spec_free(s);
}

static void test_cap_names(void **st) {
    (void)st;
    assert_int_equal(rt_cap_from_name("CAP_CHOWN"), 0);
    assert_int_equal(rt_cap_from_name("CAP_SYS_ADMIN"), 21);
    assert_int_equal(rt_cap_from_name("cap_net_raw"), 13);
    assert_int_equal(rt_cap_from_name("CHOWN"), -1);
    assert_int_equal(rt_cap_from_name("CAP_NOPE"), -1);
    assert_true(rt_cap_all_mask() & (1ull << 21));
}

/* In a child that has dropped CAP_SYS_RESOURCE from its bounding set (as this
 * CI sandbox does): a spec naming it is refused with its name; Docker's
 * --privileged set (caps 0..37) is narrowed; an ordinary set is untouched. */
static int caps_available_child(void) {
    if (prctl(PR_CAPBSET_DROP, CAP_SYS_RESOURCE, 0, 0, 0) != 0 && prctl(PR_CAPBSET_READ, CAP_SYS_RESOURCE, 0, 0, 0) != 0) return 10;
    rt_process p = { 0 };
    p.caps[RT_CAP_BOUNDING] = p.caps[RT_CAP_PERMITTED] = (1ull << CAP_SYS_RESOURCE) | (1ull << CAP_CHOWN);
    if (rt_caps_check_available(&p, "config.json") != BRIG_EXIT_SYSTEM) return 11;
    if (!strstr(brig_errmsg(), "config.json: process.capabilities asks for CAP_SYS_RESOURCE, which brig itself does not have")) return 12;
    brig_err_clear();
    rt_process q = { 0 };
    for (int s = 0; s < RT_CAP_SETS; s++) q.caps[s] = (1ull << 38) - 1;
    if (rt_caps_check_available(&q, "config.json") != 0) return 13;
    for (int s = 0; s < RT_CAP_SETS; s++)
        if (q.caps[s] != ((1ull << 38) - 1 - (1ull << CAP_SYS_RESOURCE))) return 14;
    rt_process r = { 0 };
    r.caps[RT_CAP_BOUNDING] = r.caps[RT_CAP_EFFECTIVE] = (1ull << CAP_CHOWN) | (1ull << CAP_KILL);
    if (rt_caps_check_available(&r, "config.json") != 0 || r.caps[RT_CAP_EFFECTIVE] != ((1ull << CAP_CHOWN) | (1ull << CAP_KILL))) return 15;
    /* A hand-written long list with a gap is not "privileged": refused. */
    rt_process g = { 0 };
    g.caps[RT_CAP_BOUNDING] = ((1ull << 38) - 1) & ~(1ull << CAP_MKNOD);
    if (rt_caps_check_available(&g, "config.json") != BRIG_EXIT_SYSTEM) return 16;
    return 0;
}

static void test_caps_outside_bounding_set(void **st) {
    (void)st;
    if (geteuid() != 0) { skip(); return; }
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) _exit(caps_available_child());
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void) {
    const struct CMUnitTest t[] = {
        cmocka_unit_test(test_minimal_and_default_spec), cmocka_unit_test(test_full_fields),
        cmocka_unit_test(test_errors_name_the_member), cmocka_unit_test(test_sysctl_policy), cmocka_unit_test(test_cap_names),
        cmocka_unit_test(test_caps_outside_bounding_set),
    };
    return cmocka_run_group_tests(t, NULL, NULL);
}
