#!/usr/bin/env bash
# Make a base image for the Dockerfile from Debian's own packages, for machines that cannot pull
# from Docker Hub: debootstrap a minimal Debian with python3 and its venv module, then
# `docker import` it. Usage: docker/debian-base.sh [TAG] [SUITE] [MIRROR]; needs root and
# debootstrap. Then: docker build --build-arg BASE_IMAGE=TAG .
set -euo pipefail
tag="${1:-moonshot-mock-base:bookworm}"
suite="${2:-bookworm}"
mirror="${3:-http://deb.debian.org/debian}"
docker="${DOCKER:-docker}"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
  "$suite" "$root" "$mirror"
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -c . | "$docker" import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["/bin/bash"]' - "$tag"
echo "base image: $tag"
