#!/usr/bin/env bash
# Builds the Tessera image (deploy/Dockerfile) on this machine with podman and no image registry:
#   1. a debian:12-slim base made with debootstrap when none is in local storage (a registry's copy, when one is
#      reachable and pulled beforehand, is used as it is);
#   2. the app published on the host, self-contained for linux-x64 (no SDK image is needed, and the image needs no
#      separate .NET runtime);
#   3. podman build --pull=never in docker format (the OCI format has no HEALTHCHECK).
# Usage: deploy/build-image.sh [TAG]   (default tessera:latest). Run as root (debootstrap, podman's storage).
# Environment: DEBIAN_MIRROR (default: the first Debian mirror in /etc/apt, else http://deb.debian.org/debian).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
tag="${1:-tessera:latest}"
base="debian:12-slim"
context="$here/.build"

for tool in podman dotnet; do
  command -v "$tool" >/dev/null || { echo "build-image: $tool is needed (Debian: apt-get install -y podman)" >&2; exit 3; }
done

if ! podman image exists "$base"; then
  command -v debootstrap >/dev/null || { echo "build-image: no $base image and no debootstrap (apt-get install -y debootstrap)" >&2; exit 3; }
  # The first active (uncommented) Debian mirror in apt's sources, deb822 ("URIs: ...") or one-line ("deb URI ...").
  mirror="${DEBIAN_MIRROR:-$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null \
    | sed -nE 's#^(URIs:|deb)[[:space:]]+(\[[^]]*\][[:space:]]+)?(https?://[^[:space:]]+/debian)/?([[:space:]].*)?$#\3#p' | head -n 1 || true)}"
  mirror="${mirror:-http://deb.debian.org/debian}"
  mirror="${mirror%/}"
  rootfs="$(mktemp -d /var/tmp/tessera-rootfs.XXXXXX)"
  trap 'rm -rf "$rootfs"' EXIT
  echo "build-image: no $base in local storage; debootstrap --variant=minbase bookworm from $mirror" >&2
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >&2
  # Sources as the official image has them (updates and security too), and without apt's downloaded lists.
  rm -f "$rootfs/etc/apt/sources.list"
  cat > "$rootfs/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $mirror-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb
  # As the official slim image: no documentation, manual pages or translations, now or from later installs
  # (copyright files stay). About 45 MB less here.
  cat > "$rootfs/etc/dpkg/dpkg.cfg.d/slim" <<'SLIM'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
SLIM
  find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$rootfs"/usr/share/man/* "$rootfs"/usr/share/groff/* "$rootfs"/usr/share/info/* \
    "$rootfs"/usr/share/lintian/* "$rootfs"/usr/share/linda/* "$rootfs"/usr/share/locale/*
  tar -C "$rootfs" --numeric-owner -c . | podman import --change 'CMD ["bash"]' - "$base" >&2
  rm -rf "$rootfs"
  trap - EXIT
fi

# Some hosts cannot run containers with podman's defaults: crun refuses a hybrid cgroup v1/v2 host ("cgroups in hybrid
# mode not supported, drop all controllers from cgroupv2"), and runc cannot raise the open-files and processes limits
# above what the host allows (here 65536 processes was refused, 32768 accepted). Then runc with lower limits works.
# $context/podman-run is podman run with whatever this host needs, for running the image afterwards.
global_options=()
limit_options=()
if ! podman run --rm --pull=never "$base" true 2>/dev/null; then
  files="$(ulimit -Hn)"; [ "$files" = unlimited ] && files=1048576
  global_options=(--runtime runc)
  limit_options=(--ulimit "nofile=$files:$files" --ulimit "nproc=32768:32768")
  if ! podman "${global_options[@]}" run --rm --pull=never "${limit_options[@]}" "$base" true; then
    echo "build-image: podman cannot run a container of $base here, with its defaults or with ${global_options[*]} ${limit_options[*]}" >&2
    exit 4
  fi
  echo "build-image: this host runs containers with: podman ${global_options[*]} run ${limit_options[*]}" >&2
fi

echo "build-image: publishing src/Tessera.Cli (Release, self-contained linux-x64)" >&2
rm -rf "$context/app"
mkdir -p "$context"
dotnet publish "$repo/src/Tessera.Cli/Tessera.Cli.csproj" -c Release -r linux-x64 --self-contained \
  -o "$context/app" -nologo -v quiet -clp:ErrorsOnly >&2
printf '#!/bin/sh\nexec podman %s run %s "$@"\n' "${global_options[*]}" "${limit_options[*]}" > "$context/podman-run"
chmod +x "$context/podman-run"

echo "build-image: podman build -t $tag" >&2
podman "${global_options[@]}" build --pull=never --format docker "${limit_options[@]}" -f "$here/Dockerfile" -t "$tag" "$context" >&2
podman image ls "$tag"
