#!/usr/bin/env bash
# npm run demo:containers — the whole Slipway procedure with the sample app as containers on two
# hosts (network namespaces, each with its own sshd and dockerd), HAProxy in front, GitHub
# emulated on loopback (see examples/containers/demo.ts).
#
# It installs nothing: it says what is missing and exits 1. Everything it starts lives under one
# temporary directory and is removed when it ends, Ctrl-C included; if the demo process itself is
# killed, the trap below stops what is left (processes started from that directory, its mounts,
# the namespaces and bridges it recorded).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
need() { # need <program> <Debian package>
  command -v "$1" >/dev/null 2>&1 || missing+=("$1 (Debian package: $2)")
}
if [ "$(id -u)" != 0 ]; then
  echo "The container demo runs Docker Engine, network namespaces and sshd: run it as root (sudo npm run demo:containers)." >&2
  exit 1
fi
need dockerd docker.io
need docker docker.io
need containerd containerd
need runc runc
need haproxy haproxy
need sshd openssh-server
need ssh-keygen openssh-client
need ip iproute2
need nsenter util-linux
need unshare util-linux
need sqlite3 sqlite3
need ldd libc-bin
need tar tar
busybox=/usr/bin/busybox
if [ ! -x "$busybox" ]; then
  missing+=("$busybox (Debian package: busybox-static)")
elif ldd "$busybox" >/dev/null 2>&1; then
  missing+=("a static $busybox (Debian package: busybox-static; the dynamic busybox cannot run in an empty image)")
fi
if [ ! -x node_modules/.bin/tsx ]; then
  missing+=("node_modules (run 'npm ci': the demo runs TypeScript with tsx, a devDependency)")
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "The container demo needs what is missing here:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  echo "Install with: apt-get install --no-install-recommends docker.io containerd runc iptables busybox-static haproxy openssh-server sqlite3" >&2
  echo "(npm run demo needs none of these.)" >&2
  exit 1
fi
if [ ! -e /sys/fs/cgroup/cgroup.controllers ] && [ ! -d /sys/fs/cgroup/memory ]; then
  echo "No cgroup file system at /sys/fs/cgroup: Docker Engine cannot run containers here." >&2
  exit 1
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/slipway-demo-containers-XXXXXX")"
child=""

# The safety net: normally demo.ts has already stopped and removed everything (then $work is gone).
leftovers() {
  local code=$?
  trap - EXIT INT TERM
  if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then
    kill -TERM "$child" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$child" 2>/dev/null || break; sleep 0.2; done # up to 60 s
  fi
  # the demo process itself (tsx runs it as its child): it removes everything it started
  local demo
  demo="$(cat "$work/demo.pid" 2>/dev/null || true)"
  if [ -n "$demo" ] && kill -0 "$demo" 2>/dev/null; then
    kill -TERM "$demo" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$demo" 2>/dev/null || break; sleep 0.2; done # up to 60 s
    kill -KILL "$demo" 2>/dev/null || true
  fi
  if [ -d "$work" ]; then
    if [ "${SLIPWAY_DEMO_KEEP:-}" = 1 ]; then
      echo "kept $work" >&2
      exit "$code"
    fi
    # processes started from the work directory (dockerd, containerd, shims, sshd): by pid
    for pid in $(grep -lsF -- "$work" /proc/[0-9]*/cmdline | cut -d/ -f3); do
      [ "$pid" != $$ ] && kill -KILL "$pid" 2>/dev/null || true
    done
    # mounts below it, deepest first
    awk -v w="$work" '$5 == w || index($5, w "/") == 1 { print length($5), $5 }' /proc/self/mountinfo |
      sort -rn | cut -d' ' -f2- | while read -r point; do umount -l "$point" 2>/dev/null || true; done
    # namespaces and bridges the demo recorded (one name a line)
    if [ -f "$work/netns" ]; then
      while read -r name; do ip netns del "$name" 2>/dev/null || true; done <"$work/netns"
    fi
    if [ -f "$work/links" ]; then
      while read -r name; do ip link del "$name" 2>/dev/null || true; done <"$work/links"
    fi
    rm -rf "$work"
  fi
  exit "$code"
}
trap leftovers EXIT
trap 'exit 130' INT TERM

# Every service the demo starts puts its temporary directory under $work (TMPDIR).
TMPDIR="$work" SLIPWAY_DEMO_WORK="$work" node_modules/.bin/tsx examples/containers/demo.ts "$@" &
child=$!
wait "$child"
