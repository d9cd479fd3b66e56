# Sourced by the docker scripts: one buildah store of their own (vfs works without kernel overlay support, and chroot
# isolation without user namespaces), kept between runs so the base image and build layers are reused.
BUILDAH_ROOT="${BUILDAH_ROOT:-/var/lib/pixverse-bot-buildah}"
BASE_IMAGE="docker.io/library/node:24-bookworm-slim"

buildah() {
	command buildah --root "$BUILDAH_ROOT/storage" --runroot "$BUILDAH_ROOT/run" --storage-driver vfs "$@"
}
