#!/usr/bin/env python3
"""Regenerates the per-check corpus: for every audit rule ID a directory
<ID>/ with bad.<ext> (triggers the rule), good.<ext> (a hardened file that
must not trigger it) and `expect` ("<bad file> <line>" per line).

Each bad file is the hardened baseline with ONE targeted edit, so the expected
line is known exactly.  The files are committed; this script only documents
how they were made (run it after changing a baseline).  The hand-written
real-world samples live in samples/ and are not touched here."""
import json, os, shutil, sys

HERE = os.path.dirname(os.path.abspath(__file__))

DOCKERFILE = """\
# syntax=docker/dockerfile:1
FROM debian:12.5-slim AS build
RUN apt-get update \\
 && apt-get install -y --no-install-recommends ca-certificates=20230311 \\
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . /src
FROM debian:12.5-slim
COPY --from=build /src/app /usr/local/bin/app
RUN useradd --system --uid 10001 app
USER 10001
HEALTHCHECK --interval=30s CMD ["/usr/local/bin/app", "health"]
ENTRYPOINT ["/usr/local/bin/app"]
CMD ["serve"]
"""

COMPOSE = """\
services:
  app:
    image: registry.example.com/app:1.4.2
    user: "10001:10001"
    read_only: true
    cap_drop: [ALL]
    security_opt:
      - no-new-privileges:true
    mem_limit: 256m
    cpus: 0.5
    pids_limit: 200
    ulimits:
      nofile: {soft: 1024, hard: 2048}
    ports:
      - "127.0.0.1:8080:8080"
    volumes:
      - ./data:/data
    restart: on-failure:5
    networks: [backend]
    healthcheck:
      test: ["CMD", "/app/health"]
networks:
  backend: {}
"""

K8S = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      securityContext:
        runAsNonRoot: true
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: app
          image: registry.example.com/web:1.0.0
          securityContext:
            allowPrivilegeEscalation: false
            capabilities:
              drop: [ALL]
          ports:
            - containerPort: 8080
          resources:
            limits: {cpu: 500m, memory: 256Mi}
          volumeMounts:
            - {name: cache, mountPath: /cache}
      volumes:
        - name: cache
          emptyDir: {}
"""

DAEMON = {
    "icc": False, "log-level": "info", "log-driver": "syslog", "userns-remap": "default",
    "no-new-privileges": True, "live-restore": True, "userland-proxy": False,
    "hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2376"], "tlsverify": True,
    "tlscacert": "/etc/docker/ca.pem", "tlscert": "/etc/docker/server-cert.pem", "tlskey": "/etc/docker/server-key.pem",
    "storage-driver": "overlay2", "experimental": False,
}

INSPECT = [{
    "Id": "4f1c0ffee", "Name": "/app", "AppArmorProfile": "docker-default",
    "Config": {"User": "10001", "Image": "registry.example.com/app:1.4.2"},
    "HostConfig": {
        "Privileged": False, "CapAdd": None, "CapDrop": ["ALL"], "Binds": ["/srv/app-data:/data:ro"],
        "NetworkMode": "backend", "PidMode": "", "IpcMode": "private", "UTSMode": "", "UsernsMode": "",
        "Memory": 268435456, "NanoCpus": 500000000, "CpuShares": 0, "PidsLimit": 200, "ReadonlyRootfs": True,
        "SecurityOpt": ["no-new-privileges:true"],
        "PortBindings": {"8080/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}]},
        "RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 5},
        "Ulimits": [{"Name": "nofile", "Soft": 1024, "Hard": 2048}],
    },
    "Mounts": [{"Type": "bind", "Source": "/srv/app-data", "Destination": "/data", "RW": False}],
}]

OCI = {
    "ociVersion": "1.1.0",
    "process": {
        "user": {"uid": 10001, "gid": 10001}, "args": ["/app"], "cwd": "/", "noNewPrivileges": True,
        "capabilities": {"bounding": ["CAP_NET_BIND_SERVICE"], "effective": ["CAP_NET_BIND_SERVICE"]},
        "apparmorProfile": "brig-default",
        "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}],
    },
    "root": {"path": "rootfs", "readonly": True},
    "mounts": [{"destination": "/data", "type": "bind", "source": "/srv/app-data", "options": ["rbind", "ro"]}],
    "linux": {
        "namespaces": [{"type": t} for t in ("pid", "network", "ipc", "uts", "mount", "cgroup")],
        "seccomp": {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": []},
        "resources": {"memory": {"limit": 268435456}, "cpu": {"quota": 50000, "period": 100000}, "pids": {"limit": 200}},
    },
}

def js(o):
    return json.dumps(o, indent=2) + "\n"

def line_of(text, needle, nth=1):
    start = 0
    for _ in range(nth):
        i = text.index(needle, start)
        start = i + 1
    return text.count("\n", 0, i) + 1

def sub(text, old, new, count=1):
    assert old in text, old
    return text.replace(old, new, count)

cases = []   # (id, filename, bad text, line needle or line number, good text)

def df(id_, bad, needle, nth=1):
    cases.append((id_, "Dockerfile", bad, (needle, nth), DOCKERFILE))

df("DL3006", sub(DOCKERFILE, "FROM debian:12.5-slim\n", "FROM debian\n"), "FROM debian\n")
df("DL3007", sub(DOCKERFILE, "FROM debian:12.5-slim\n", "FROM debian:latest\n"), "FROM debian:latest")
df("CIS-4.1", sub(DOCKERFILE, "USER 10001\n", ""), "FROM debian:12.5-slim\n")
df("DL3002", sub(DOCKERFILE, "USER 10001\n", "USER 10001\nUSER root\n"), "USER root")
df("CIS-4.6", sub(DOCKERFILE, 'HEALTHCHECK --interval=30s CMD ["/usr/local/bin/app", "health"]\n', ""), "FROM debian:12.5-slim\n")
df("CIS-4.9", sub(DOCKERFILE, "COPY . /src", "ADD . /src"), "ADD . /src")
df("BRIG-AUD-001", sub(DOCKERFILE, "COPY . /src\n", "COPY . /src\nADD https://example.com/tool.tar.gz /opt/\n"), "ADD https")
df("BRIG-AUD-002", sub(DOCKERFILE, "RUN useradd", "RUN curl -fsSL https://get.example.com/install.sh | sh\nRUN useradd"), "RUN curl")
df("DL3015", sub(DOCKERFILE, "install -y --no-install-recommends", "install -y"), "apt-get install")
df("DL3009", sub(DOCKERFILE, "RUN useradd", "RUN apt-get update && apt-get install -y --no-install-recommends tini=0.19.0-1\nRUN useradd"),
   "apt-get install -y --no-install-recommends tini")
df("DL3008", sub(DOCKERFILE, "ca-certificates=20230311", "ca-certificates"), "apt-get install")
df("DL3019", sub(DOCKERFILE, "RUN useradd", "RUN apk add tini\nRUN useradd"), "apk add")
df("DL3042", sub(DOCKERFILE, "RUN useradd", "RUN pip install flask==3.0.0\nRUN useradd"), "pip install")
df("CIS-4.10", sub(DOCKERFILE, "USER 10001\n", "ENV APP_MODE=prod \\\n    DB_PASSWORD=s3cr3t-value\nUSER 10001\n"), "DB_PASSWORD")
df("DL3004", sub(DOCKERFILE, "RUN useradd", "RUN sudo useradd"), "RUN sudo")
df("BRIG-AUD-003", sub(DOCKERFILE, "USER 10001\n", "EXPOSE 8080 22/tcp\nUSER 10001\n"), "EXPOSE")
df("DL3003", sub(DOCKERFILE, "RUN useradd", "RUN cd /tmp && useradd"), "RUN cd")
df("DL4003", sub(DOCKERFILE, 'CMD ["serve"]\n', 'CMD ["serve"]\nCMD ["serve", "--debug"]\n'), 'CMD ["serve", "--debug"]')
df("DL4004", sub(DOCKERFILE, 'CMD ["serve"]\n', 'ENTRYPOINT ["/bin/sh"]\nCMD ["serve"]\n'), 'ENTRYPOINT ["/bin/sh"]')
df("DL4000", sub(DOCKERFILE, "WORKDIR /src", "MAINTAINER ops@example.com\nWORKDIR /src"), "MAINTAINER")
df("DL3000", sub(DOCKERFILE, "WORKDIR /src", "WORKDIR src"), "WORKDIR src")
df("DL3022", sub(DOCKERFILE, "COPY --from=build", "COPY --from=builder"), "COPY --from=builder")
df("DL3005", sub(DOCKERFILE, "RUN apt-get update \\\n", "RUN apt-get update && apt-get upgrade -y \\\n"), "RUN apt-get update")

def cp(id_, bad, needle, nth=1):
    cases.append((id_, "compose.yaml", bad, (needle, nth), COMPOSE))

APP = "    image: registry.example.com/app:1.4.2\n"
def add_app(text):
    return sub(COMPOSE, APP, APP + text)
cp("CIS-5.5", add_app("    privileged: true\n"), "privileged")
cp("CIS-5.4", add_app("    cap_add: [SYS_ADMIN]\n"), "SYS_ADMIN")
cp("CIS-5.6", sub(COMPOSE, "./data:/data", "/etc:/host-etc:ro"), "/etc:/host-etc")
cp("CIS-5.32", sub(COMPOSE, "./data:/data", "/var/run/docker.sock:/var/run/docker.sock"), "docker.sock")
cp("CIS-5.10", add_app("    network_mode: host\n"), "network_mode")
cp("CIS-5.16", add_app("    pid: host\n"), "pid: host")
cp("CIS-5.17", add_app("    ipc: host\n"), "ipc: host")
cp("CIS-5.21", add_app("    uts: host\n"), "uts: host")
cp("CIS-5.31", add_app("    userns_mode: host\n"), "userns_mode")
cp("CIS-5.11", sub(COMPOSE, "    mem_limit: 256m\n", ""), "  app:")
cp("CIS-5.12", sub(COMPOSE, "    cpus: 0.5\n", ""), "  app:")
cp("CIS-5.29", sub(COMPOSE, "    pids_limit: 200\n", ""), "  app:")
cp("CIS-5.13", sub(COMPOSE, "    read_only: true\n", "    read_only: false\n"), "read_only")
cp("CIS-5.26", sub(COMPOSE, "      - no-new-privileges:true\n", "      - label:type:app_t\n"), "security_opt")
cp("CIS-5.22", sub(COMPOSE, "      - no-new-privileges:true\n", "      - no-new-privileges:true\n      - seccomp:unconfined\n"), "seccomp:unconfined")
cp("CIS-5.2", sub(COMPOSE, "      - no-new-privileges:true\n", "      - no-new-privileges:true\n      - apparmor=unconfined\n"), "apparmor=unconfined")
cp("CIS-5.3", sub(COMPOSE, "      - no-new-privileges:true\n", "      - no-new-privileges:true\n      - label:disable\n"), "label:disable")
cp("CIS-5.8", sub(COMPOSE, '"127.0.0.1:8080:8080"', '"443:8443"'), '"443:8443"')
cp("CIS-5.15", sub(COMPOSE, "restart: on-failure:5", "restart: always"), "restart: always")
cp("CIS-5.19", sub(COMPOSE, "    ulimits:\n      nofile: {soft: 1024, hard: 2048}\n", ""), "  app:")
cp("CIS-5.27", sub(COMPOSE, '      test: ["CMD", "/app/health"]\n', '      disable: true\n'), "healthcheck:")
cp("CIS-5.30", sub(COMPOSE, "    networks: [backend]\n", "    network_mode: bridge\n"), "network_mode")
cp("CIS-5.14", sub(COMPOSE, '"127.0.0.1:8080:8080"', '"8080:8080"'), '"8080:8080"')
cp("CIS-5.18", add_app("    devices: [\"/dev/kmsg:/dev/kmsg\"]\n"), "devices")
cp("CIS-5.20", sub(COMPOSE, "./data:/data", "./data:/data:rw,rshared"), "rshared")
cp("BRIG-AUD-010", sub(COMPOSE, 'user: "10001:10001"', 'user: root'), "user: root")

def k8(id_, bad, needle, nth=1, good=K8S):
    cases.append((id_, "k8s.yaml", bad, (needle, nth), good))

CTR_SC = "            allowPrivilegeEscalation: false\n"
def add_ctr(text):
    return sub(K8S, CTR_SC, CTR_SC + text)
POD_SC = "      securityContext:\n        runAsNonRoot: true\n"
def add_pod(text):
    return sub(K8S, POD_SC, POD_SC + text)
SPEC = "    spec:\n      securityContext:\n"
k8("PSS-privileged", add_ctr("            privileged: true\n"), "privileged: true")
k8("PSS-host-namespaces", sub(K8S, SPEC, "    spec:\n      hostNetwork: true\n      securityContext:\n"), "hostNetwork")
k8("PSS-host-process", add_ctr("            windowsOptions:\n              hostProcess: true\n"), "hostProcess")
k8("PSS-capabilities", sub(K8S, "              drop: [ALL]\n", "              drop: [ALL]\n              add: [SYS_ADMIN]\n"), "add: [SYS_ADMIN]")
k8("PSS-capabilities-restricted", sub(K8S, "              drop: [ALL]\n", "              drop: [NET_RAW]\n"), "drop: [NET_RAW]")
k8("PSS-hostpath-volumes", sub(K8S, "          emptyDir: {}\n", "          hostPath: {path: /var/log}\n"), "hostPath")
k8("PSS-host-ports", sub(K8S, "            - containerPort: 8080\n", "            - containerPort: 8080\n              hostPort: 8080\n"), "hostPort")
k8("PSS-apparmor", sub(K8S, "      labels: {app: web}\n", "      labels: {app: web}\n      annotations:\n        container.apparmor.security.beta.kubernetes.io/app: unconfined\n"), "unconfined")
k8("PSS-selinux", add_ctr("            seLinuxOptions:\n              type: spc_t\n"), "type: spc_t")
k8("PSS-proc-mount", add_ctr("            procMount: Unmasked\n"), "procMount")
k8("PSS-seccomp", sub(K8S, "          type: RuntimeDefault\n", "          type: Unconfined\n"), "type: Unconfined")
k8("PSS-sysctls", add_pod("        sysctls:\n          - {name: kernel.msgmax, value: \"65536\"}\n"), "kernel.msgmax")
k8("PSS-volume-types", sub(K8S, "          emptyDir: {}\n", "          nfs: {server: nfs.example.com, path: /export}\n"), "nfs:")
k8("PSS-privilege-escalation", sub(K8S, CTR_SC, "            allowPrivilegeEscalation: true\n"), "allowPrivilegeEscalation")
k8("PSS-run-as-non-root", sub(K8S, "        runAsNonRoot: true\n", "        runAsNonRoot: false\n"), "runAsNonRoot")
k8("PSS-run-as-user", add_ctr("            runAsUser: 0\n"), "runAsUser")
k8("PSS-seccomp-restricted", sub(K8S, "        seccompProfile:\n          type: RuntimeDefault\n", ""), "- name: app")
k8("BRIG-AUD-020", sub(K8S, "            limits: {cpu: 500m, memory: 256Mi}\n", "            requests: {cpu: 100m}\n"), "resources:")

def dm(id_, changes, key):
    bad = dict(DAEMON); bad.update(changes)
    for k, v in list(changes.items()):
        if v is None: del bad[k]
    text = js(bad)
    needle = f'"{key}"' if key in bad or key in DAEMON else key
    cases.append((id_, "daemon.json", text, (needle, 1), js(DAEMON)))

dm("CIS-2.2", {"icc": True}, "icc")
dm("CIS-2.3", {"log-level": "debug"}, "log-level")
dm("CIS-2.4", {"iptables": False}, "iptables")
dm("CIS-2.5", {"insecure-registries": ["registry.internal:5000"]}, "registry.internal")
dm("CIS-2.6", {"storage-driver": "aufs"}, "storage-driver")
dm("CIS-2.7", {"tlsverify": False}, "tcp://")
dm("CIS-2.9", {"userns-remap": ""}, "userns-remap")
dm("CIS-2.13", {"log-driver": "json-file"}, "log-driver")
dm("CIS-2.14", {"no-new-privileges": False}, "no-new-privileges")
dm("CIS-2.15", {"live-restore": False}, "live-restore")
dm("CIS-2.16", {"userland-proxy": True}, "userland-proxy")
dm("CIS-2.18", {"experimental": True}, "experimental")

def oc(id_, mutate, needle):
    bad = json.loads(json.dumps(OCI)); mutate(bad)
    cases.append((id_, "oci.json", js(bad), (needle, 1), js(OCI)))

oc("BRIG-AUD-041", lambda o: o["linux"]["namespaces"].remove({"type": "mount"}), '"namespaces"')

def ins(id_, mutate, needle):
    bad = json.loads(json.dumps(INSPECT)); mutate(bad[0])
    cases.append((id_, "inspect.json", js(bad), (needle, 1), js(INSPECT)))

# Extra input kinds for checks that also apply to docker inspect / OCI configs.
def extra_inspect():
    ins("CIS-5.5", lambda c: c["HostConfig"].update(Privileged=True), '"Privileged"')
    ins("CIS-5.10", lambda c: c["HostConfig"].update(NetworkMode="host"), '"NetworkMode"')
    ins("CIS-5.32", lambda c: c["Mounts"].append({"Type": "bind", "Source": "/run/containerd/containerd.sock", "Destination": "/c.sock"}), "containerd.sock")
    ins("CIS-5.30", lambda c: c["HostConfig"].update(NetworkMode="default"), '"NetworkMode"')
    ins("BRIG-AUD-010", lambda c: c["Config"].update(User=""), '"User"')
    ins("CIS-5.14", lambda c: c["HostConfig"]["PortBindings"]["8080/tcp"][0].update(HostIp=""), '"HostIp"')
    ins("CIS-5.18", lambda c: c["HostConfig"].update(Devices=[{"PathOnHost": "/dev/fuse", "PathInContainer": "/dev/fuse", "CgroupPermissions": "rwm"}]), '"PathOnHost"')
    ins("CIS-5.20", lambda c: c["Mounts"][0].update(Propagation="rshared"), '"Propagation"')
    oc("CIS-5.20", lambda o: o["mounts"][0]["options"].append("rshared"), '"rshared"')
    oc("CIS-5.22", lambda o: o["linux"].pop("seccomp"), '"linux"')
    oc("CIS-5.13", lambda o: o["root"].update(readonly=False), '"readonly"')
    oc("CIS-5.4", lambda o: o["process"]["capabilities"]["bounding"].append("CAP_SYS_ADMIN"), "CAP_SYS_ADMIN")
extra_inspect()

def main():
    seen = {}
    for id_, fname, bad, (needle, nth), good in cases:
        d = os.path.join(HERE, id_)
        if id_ not in seen:
            if os.path.isdir(d): shutil.rmtree(d)
            os.makedirs(d)
            seen[id_] = []
        ext = fname
        badname = "bad." + ext if fname != "Dockerfile" else "bad.Dockerfile"
        goodname = "good." + ext if fname != "Dockerfile" else "good.Dockerfile"
        with open(os.path.join(d, badname), "w") as f: f.write(bad)
        with open(os.path.join(d, goodname), "w") as f: f.write(good)
        seen[id_].append(f"{badname} {line_of(bad, needle, nth)}")
    for id_, lines in seen.items():
        with open(os.path.join(HERE, id_, "expect"), "w") as f: f.write("\n".join(lines) + "\n")
    print(f"{len(seen)} rule directories, {len(cases)} bad/good pairs")

main()
