#!/usr/bin/env bash
# compose.yaml as Compose itself reads it, where no engine runs: `docker-compose config` checks the file against
# Compose's schema (service keys, dependency conditions, ports, volumes) with every profile, starting nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v docker-compose >/dev/null; then
	echo "== installing docker-compose from Debian (only its config check is used)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null ||
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null; }
fi

# The bots read the operator's .env; an empty one stands in where there is none, and goes again afterwards.
if [[ ! -e .env ]]; then
	touch .env
	trap 'rm -f .env' EXIT
fi
export POSTGRES_PASSWORD="${POSTGRES_PASSWORD:-compose-check}"

docker-compose --profile scale --profile monitoring config --quiet
echo "ok    compose.yaml (every profile) is valid Compose"
