#!/usr/bin/env bash
# Debian 12 packages for building, testing and benchmarking brig.
set -eu
export DEBIAN_FRONTEND=noninteractive
SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends \
    build-essential pkg-config clang libclang-rt-14-dev \
    libarchive-dev libssl-dev libjansson-dev libyaml-dev libseccomp-dev libcap-dev \
    libvectorscan-dev libpcre2-dev libcurl4-openssl-dev libcmocka-dev libsqlite3-dev libsodium-dev \
    libzstd-dev zlib1g-dev zstd gzip zip \
    busybox-static debootstrap umoci skopeo attr crun runc podman containerd uidmap fakeroot \
    docker-registry jq python3-packaging python3-rpm hyperfine ca-certificates openssl \
    librpm-dev rpm python3-bsddb3 \
    linux-libc-dev bpftool strace qemu-system-x86 linux-image-cloud-amd64 docker.io
# librpm-dev: headers for src/util/lazy_rpm.h (librpm9 itself is loaded at run time,
# only for Berkeley DB rpm databases); rpm + python3-bsddb3: rpm test fixtures.
# qemu-system-x86 + linux-image-cloud-amd64: tests/integration/runtime_cgroupv2_vm.sh boots that kernel
# with every controller on cgroup v2 (this host binds them all to v1).
# docker.io: tests/integration/runtime_docker.sh runs a private dockerd with brig as its default runtime.
# containerd (ctr, containerd-shim-runc-v2): tests/integration/runtime_containerd.sh runs a private
# containerd with brig as the runc v2 shim's binary.
# linux-libc-dev: <linux/bpf.h> for the cgroup v2 device filter; bpftool: its tests
# check which programs are attached to a container's cgroup.
# npm (peer tools and validators for tests: semver, ajv, sigstore, secretlint) — the
# machine image usually ships Node.js; fall back to Debian's packages.
command -v npm >/dev/null 2>&1 || $SUDO apt-get install -y --no-install-recommends nodejs npm
