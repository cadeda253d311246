#!/usr/bin/env bash
# Installs the Debian packages voiceprep needs (text-to-speech, audio I/O, virtual audio devices
# for the tests, audio tools, a headless browser for the report tests, strace for the tests that
# no process reaches the network) when apt is available and they are missing. Safe to run again:
# it does nothing when all are present.
set -euo pipefail

packages=(espeak-ng libportaudio2 libsndfile1 pulseaudio pulseaudio-utils libasound2-plugins
          sox libsox-fmt-all flite ffmpeg chromium tmux strace)

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "install-system: no apt on this machine; install these yourself: ${packages[*]}" >&2
    exit 0
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
        echo "install-system: missing ${missing[*]}; run as root or install them yourself" >&2
        exit 1
    fi
fi
echo "install-system: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
