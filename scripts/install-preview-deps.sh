#!/usr/bin/env bash
# Installs what `npm run cards:preview` needs from Debian's packages: the chromium browser and
# the emoji and CJK fonts that cards may show. Packages already installed are left alone.
# With --check, installs nothing and exits with 1 when a package is missing.
set -euo pipefail

packages=(chromium fonts-noto-color-emoji fonts-noto-cjk)
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "Preview dependencies are installed: ${packages[*]}"
  exit 0
fi

if [ "${1:-}" = "--check" ]; then
  echo "Missing Debian packages for card previews: ${missing[*]}" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "apt-get was not found. Install these Debian packages by hand: ${missing[*]}" >&2
  exit 1
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "Installing ${missing[*]} needs root. Run this script as root or install sudo." >&2
    exit 1
  fi
  sudo=(sudo)
fi

echo "Installing ${missing[*]} with apt-get"
# Another apt-get may hold the package lock, so wait for it for up to five minutes.
"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 update
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install \
  -y --no-install-recommends "${missing[@]}"
