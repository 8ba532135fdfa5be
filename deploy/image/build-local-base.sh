#!/usr/bin/env bash
# Builds a Node 20 base image from this machine's own files, for machines that cannot reach a
# container registry: the `node` binary on PATH (it must be Node 20), its npm, a shell, the few
# coreutils a Containerfile's RUN steps use, and the shared libraries `ldd` lists for each of them,
# in a merged-/usr Debian-style layout (node in /usr/local/bin, like the official node images).
# The result is imported with `podman import` (or `docker import`) and stands in for
# docker.io/library/node:20-bookworm-slim as the Containerfile's NODE_IMAGE:
#
#   deploy/image/build-local-base.sh                       # -> localhost/airlock-node-base:20
#   podman build -f Containerfile --build-arg NODE_IMAGE=localhost/airlock-node-base:20 -t airlock:dev .
#
# Usage: build-local-base.sh [IMAGE]   (default localhost/airlock-node-base:20)
# Environment: CONTAINER_ENGINE=podman|docker (default: podman, else docker).
# An image of that name built from the same files (same node version and binaries, same script)
# is kept as it is, so the builds on top of it stay cached; set FORCE=1 to build it again.
set -euo pipefail

image="${1:-localhost/airlock-node-base:20}"
engine="${CONTAINER_ENGINE:-}"
if [ -z "$engine" ]; then
  if command -v podman >/dev/null; then engine=podman
  elif command -v docker >/dev/null; then engine=docker
  else echo "build-local-base: neither podman nor docker is on PATH (apt-get install podman)" >&2; exit 1
  fi
fi

node_bin="$(command -v node || true)"
[ -n "$node_bin" ] || { echo "build-local-base: node is not on PATH" >&2; exit 1; }
node_bin="$(readlink -f "$node_bin")"
node_version="$("$node_bin" --version)"
case "$node_version" in
  v20.*) ;;
  *) echo "build-local-base: $node_bin is Node $node_version; the image needs Node 20" >&2; exit 1 ;;
esac
npm_cli="$(readlink -f "$(command -v npm || true)" || true)"
npm_dir=""
if [ -n "$npm_cli" ]; then npm_dir="$(cd "$(dirname "$npm_cli")/.." && pwd)"; fi
[ -n "$npm_dir" ] && [ -f "$npm_dir/bin/npm-cli.js" ] || { echo "build-local-base: npm (its bin/npm-cli.js) not found beside node" >&2; exit 1; }

# The programs the image gets, besides node: a shell and what the Containerfile's RUN steps and
# npm's `#!/usr/bin/env node` scripts call.
tools=(sh env basename cat chmod chown cp dirname grep id ln ls mkdir mv readlink rm sed tr uname)
tool_paths=()
for tool in "${tools[@]}"; do
  path="$(command -v "$tool" || true)"
  [ -n "$path" ] || { echo "build-local-base: $tool is not on PATH" >&2; exit 1; }
  tool_paths+=("$(readlink -f "$path")")
done

script_hash="$(sha256sum "$0" | cut -c1-16)"
binaries_hash="$(cat "$node_bin" "${tool_paths[@]}" "$npm_dir/package.json" | sha256sum | cut -c1-16)"
fingerprint="node-$node_version-$binaries_hash-$script_hash"
if [ "${FORCE:-0}" != 1 ]; then
  existing="$("$engine" image inspect --format '{{ index .Config.Labels "io.airlock.local-base.fingerprint" }}' "$image" 2>/dev/null || true)"
  if [ "$existing" = "$fingerprint" ]; then
    echo "build-local-base: $image is up to date ($fingerprint)" >&2
    echo "$image"
    exit 0
  fi
fi

rootfs="$(mktemp -d)"
trap 'rm -rf "$rootfs"' EXIT
mkdir -p "$rootfs"/usr/{bin,sbin,lib,lib64} "$rootfs"/usr/local/{bin,lib/node_modules} "$rootfs"/{etc,root,tmp,home,var/tmp,dev,proc,sys,run}
ln -s usr/bin "$rootfs/bin"
ln -s usr/sbin "$rootfs/sbin"
ln -s usr/lib "$rootfs/lib"
ln -s usr/lib64 "$rootfs/lib64"
chmod 1777 "$rootfs/tmp" "$rootfs/var/tmp"
chmod 0700 "$rootfs/root"

# Copies a file to the same path in the rootfs (through the merged-/usr links), following links.
copy_in() {
  local dest="$rootfs$2"
  mkdir -p "$(dirname "$dest")"
  cp -L "$1" "$dest"
}
# Copies the shared libraries (and the dynamic loader) a binary needs, at the paths ldd names.
copy_libs() {
  local lib
  for lib in $(ldd "$1" | grep -o '/[^ ]*'); do
    [ -e "$rootfs$lib" ] || copy_in "$lib" "$lib"
  done
}

copy_in "$node_bin" /usr/local/bin/node
copy_libs "$node_bin"
for i in "${!tools[@]}"; do
  copy_in "${tool_paths[$i]}" "/usr/bin/${tools[$i]}"
  copy_libs "${tool_paths[$i]}"
done
# The rest of glibc's runtime, as any Debian image has it: native add-ons loaded at build time
# (rollup's, under Vite) link librt and friends that node itself does not.
libc_dir=$(dirname "$(ldd "$node_bin" | grep -o '/[^ ]*libc\.so\.6')")
for lib in libdl.so.2 librt.so.1 libpthread.so.0 libresolv.so.2 libutil.so.1 libanl.so.1 libnss_files.so.2 libnss_dns.so.2; do
  if [ -e "$libc_dir/$lib" ] && [ ! -e "$rootfs$libc_dir/$lib" ]; then copy_in "$libc_dir/$lib" "$libc_dir/$lib"; fi
done
cp -a "$npm_dir" "$rootfs/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"

cat >"$rootfs/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
cat >"$rootfs/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
cat >"$rootfs/etc/nsswitch.conf" <<'EOF'
passwd: files
group: files
hosts: files dns
EOF
cat >"$rootfs/etc/os-release" <<EOF
NAME="airlock local Node base"
ID=airlock-local-base
PRETTY_NAME="Node $node_version from the build machine ($(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-unknown}"))"
EOF

# This machine's CA bundle, where Debian keeps it, trusted by node and npm beside Node's own
# roots: the image then reaches the npm registry (and OCI registries) the way this machine does,
# through a TLS-inspecting proxy too.
changes=()
if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  copy_in /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
  changes+=(--change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt')
fi

quiet=()
[ "$engine" = podman ] && quiet=(--quiet)
tar --numeric-owner --owner=0 --group=0 -C "$rootfs" -c . |
  "$engine" import "${quiet[@]}" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "ENV NODE_VERSION=${node_version#v}" \
    --change "LABEL io.airlock.local-base.fingerprint=$fingerprint" \
    --change 'CMD ["node"]' "${changes[@]}" \
    - "$image" >/dev/null
echo "build-local-base: built $image ($fingerprint)" >&2
echo "$image"
