#!/usr/bin/env bash
# Debian packages the tests use, installed only when missing. Node 22 itself comes from the `node`
# devDependency (npm scripts put it first on PATH), so the machine's Node 20 is enough to start.
set -euo pipefail
need=()
# (none yet: each issue that needs a Debian package adds its check here)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "setup-system: missing ${need[*]} (run as root to install); tests that need them will say so and skip" >&2
  fi
fi
