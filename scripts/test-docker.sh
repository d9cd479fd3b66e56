#!/usr/bin/env bash
# Proves the Dockerfile here, where no Docker engine runs: builds it with buildah against a local stand-in for the
# official base image, then runs the image against the stand-in Discord and Modelverse, alone and as compose.yaml's
# scale profile runs it (scripts/docker/).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/docker/buildah.sh

IMAGE="localhost/pixverse-discord-bot:test"
run_started=$SECONDS
phase_started=$SECONDS
phase() {
	echo "== $1 ($((SECONDS - phase_started)) s)"
	phase_started=$SECONDS
}

if ! command -v buildah >/dev/null || ! command -v debootstrap >/dev/null || ! command -v prometheus >/dev/null; then
	echo "== installing buildah, debootstrap and prometheus from Debian"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq buildah debootstrap prometheus >/dev/null
	phase "tools installed"
fi

echo "== compose.yaml, read by Compose"
scripts/docker/check-compose.sh
phase "compose.yaml checked"

# The store is this script's own: working containers left by an interrupted run can all go.
buildah rm --all >/dev/null

if buildah inspect --type image "$BASE_IMAGE" >/dev/null 2>&1; then
	echo "== base image $BASE_IMAGE already stored, reused"
else
	echo "== assembling the base image $BASE_IMAGE"
	scripts/docker/build-base-image.sh
	phase "base image assembled"
fi

echo "== building the Dockerfile with buildah (--pull=never)"
build_log="$(mktemp)"
build_trust="$(mktemp -d)"
trap 'rm -rf "$build_log" "$build_trust"' EXIT
# This machine reaches the npm registry through a TLS-inspecting egress proxy that host npm trusts via its cafile.
# The build's RUN steps get that trust as a read-only mount over the base image's empty /usr/local/etc (npm's global
# config folder), so nothing of it enters the image.
trust_mounts=()
host_cafile="$(npm config get cafile)"
if [[ "$host_cafile" != "null" && -f "$host_cafile" ]]; then
	cp "$host_cafile" "$build_trust/host-ca.crt"
	echo "cafile=/usr/local/etc/host-ca.crt" >"$build_trust/npmrc"
	trust_mounts=(--volume "$build_trust:/usr/local/etc:ro")
fi
if ! buildah bud --pull=never --isolation chroot --format docker "${trust_mounts[@]}" \
	--tag "$IMAGE" --file Dockerfile . \
	>"$build_log" 2>&1; then
	tail -n 60 "$build_log"
	exit 1
fi
phase "image built"
echo "image $IMAGE: $(buildah images --format '{{.Size}}' "$IMAGE") (base image: $(buildah images --format '{{.Size}}' "$BASE_IMAGE"))"

echo "== running the image against the stand-in Discord and Modelverse"
npx tsx scripts/docker/run-image-checks.ts "$IMAGE"
phase "image checks passed"

echo "== compose.yaml's scale and monitoring profiles: two bot services from the image, PostgreSQL 15, redis-server, prometheus"
npx tsx scripts/docker/run-scale-profile.ts "$IMAGE"
phase "scale profile checks passed"

# The build stage and earlier builds are dropped; the base image stays for the next run.
buildah rmi --prune >/dev/null 2>&1 || true
echo "test:docker passed in $((SECONDS - run_started)) s"
