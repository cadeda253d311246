#!/usr/bin/env bash
# Virtual audio devices for a machine without a sound card (CI, containers, servers).
#
# Starts a private PulseAudio server with a null sink "virt"; its monitor "virt.monitor" is the
# default source, so whatever is played into "virt" (paplay --device=virt x.wav) is what a
# program recording from the default microphone hears.
#
#   scripts/virtual-audio.sh start    start (or reuse) the server; prints the export line to use
#   scripts/virtual-audio.sh stop     stop it
#   scripts/virtual-audio.sh status   exit 0 when it is up (and its silent reader, below, runs)
#   eval "$(scripts/virtual-audio.sh start)"    then run voiceprep in this shell
#
# The server lives in its own XDG_RUNTIME_DIR (default /tmp/voiceprep-audio-$UID, override with
# VOICEPREP_AUDIO_RUNTIME) so it never touches a desktop's real PulseAudio. Idempotent.
set -euo pipefail

runtime="${VOICEPREP_AUDIO_RUNTIME:-/tmp/voiceprep-audio-$(id -u)}"
export XDG_RUNTIME_DIR="$runtime"
# Keep the client from spawning a second server with the default configuration, and make sure
# that this server is the one every client talks to: a PULSE_SERVER, PULSE_RUNTIME_PATH,
# PULSE_SINK or PULSE_SOURCE inherited from a desktop session would otherwise win.
export PULSE_RUNTIME_PATH="$runtime/pulse"
export PULSE_SERVER="unix:$runtime/pulse/native"
unset PULSE_SINK PULSE_SOURCE

up() { pactl info >/dev/null 2>&1; }
# Whether the process in pid file $1 runs. A killed server or reader whose parent is a container's
# init can stay a zombie, which `kill -0` takes for alive.
running() {
    local pid state
    pid=$(cat "$1" 2>/dev/null) || return 1
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
    [ -n "$state" ] && [ "$state" != Z ]
}

start() {
    command -v pulseaudio >/dev/null || { echo "virtual-audio: pulseaudio is not installed" >&2; exit 1; }
    mkdir -p "$runtime"
    chmod 700 "$runtime"
    if ! up; then
        # A server that was killed leaves its pid file, and a new one then refuses to start.
        pidfile="$runtime/pulse/pid"
        if [ -f "$pidfile" ] && ! running "$pidfile"; then rm -f "$pidfile"; fi
        # The sink thread runs at real-time priority, and PulseAudio sets a 200 ms limit on the
        # CPU it may use without sleeping (rlimit-rttime), past which the kernel kills the whole
        # server (SIGKILL, no log line); a loaded or virtual machine can trip it, and every
        # later recording then fails with "Connection refused". -1: the limit is left as
        # inherited (none, from a shell). A virtual device has no hardware to protect.
        printf 'rlimit-rttime = -1\nlog-time = yes\n' > "$runtime/daemon.conf"
        # -n: no default.pa (no hardware detection); anonymous auth so no cookie is needed.
        PULSE_CONFIG="$runtime/daemon.conf" pulseaudio -D --exit-idle-time=-1 -n --disallow-exit=false --resample-method=soxr-vhq \
            --load="module-null-sink sink_name=virt rate=16000 channels=1 sink_properties=device.description=virt" \
            --load="module-native-protocol-unix auth-anonymous=1" \
            --load="module-always-sink" \
            --log-target=file:"$runtime/pulseaudio.log" 2>>"$runtime/pulseaudio.err" || true
        for _ in $(seq 1 50); do up && break; sleep 0.1; done
        up || { echo "virtual-audio: pulseaudio did not start; see $runtime/pulseaudio.*" >&2; exit 1; }
    fi
    if ! pactl list short sinks | awk '{print $2}' | grep -qx virt; then
        pactl load-module module-null-sink sink_name=virt rate=16000 channels=1 >/dev/null
    fi
    pactl set-default-sink virt
    pactl set-default-source virt.monitor
    # A null sink with nobody listening at low latency runs in 2-second steps: a recorder that
    # starts then gets its first audio ~2 s late and the start of the speech is lost. A silent
    # low-latency reader of the monitor keeps the sink ticking every 20 ms.
    # The first reader of a new server's monitor waits about 1.5 s for its first audio (later
    # ones do not): pay that here, by reading a moment of it, not in the first recording.
    if ! running "$runtime/keeper.pid"; then
        timeout 10 parec --latency-msec=20 --device=virt.monitor 2>/dev/null | head -c 3200 >/dev/null || true
        setsid parec --latency-msec=20 --device=virt.monitor >/dev/null 2>&1 < /dev/null &
        echo $! > "$runtime/keeper.pid"
        sleep 0.5
    fi
    echo "unset PULSE_SINK PULSE_SOURCE; export XDG_RUNTIME_DIR=$runtime" \
        "PULSE_RUNTIME_PATH=$runtime/pulse PULSE_SERVER=unix:$runtime/pulse/native"
}

stop() {
    if [ -f "$runtime/keeper.pid" ]; then
        kill "$(cat "$runtime/keeper.pid")" 2>/dev/null || true
        rm -f "$runtime/keeper.pid"
    fi
    if up; then
        pulseaudio --kill 2>/dev/null || pactl exit 2>/dev/null || true
        for _ in $(seq 1 30); do up || break; sleep 0.1; done
    fi
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    status) up && running "$runtime/keeper.pid" ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
