#!/usr/bin/env bash
# Debian packages the tests use, installed only when missing. Node 22 itself comes from the `node`
# devDependency (npm scripts put it first on PATH), so the machine's Node 20 is enough to start.
#   chromium + CJK fonts: the add-in's end-to-end test drives the real task pane in headless Chromium.
#   libreoffice-calc-nogui + python3-openpyxl: spreadsheet output is recalculated and read back by
#   an independent engine (worker/engine).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -d /usr/share/fonts/opentype/noto ] || need+=(fonts-noto-cjk)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
[ -d /usr/lib/python3/dist-packages/openpyxl ] || need+=(python3-openpyxl)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "setup-system: installing ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "setup-system: missing ${need[*]} (run as root to install); tests that need them will say so and skip" >&2
  fi
fi
