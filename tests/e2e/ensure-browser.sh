#!/usr/bin/env bash
# Installs what the browser tests need when it is missing (Debian chromium and a CJK font), so `npm test` works
# on a fresh Debian machine by itself. Uses sudo when not root. Does nothing when both are there.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || [ -n "${CHROMIUM_PATH:-}" ] || need+=(chromium)
dpkg -s fonts-wqy-zenhei >/dev/null 2>&1 || dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-wqy-zenhei)
[ ${#need[@]} -eq 0 ] && exit 0
echo "browser tests need: ${need[*]} — installing with apt-get" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${need[@]}" >/dev/null
