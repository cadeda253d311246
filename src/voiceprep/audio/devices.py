"""Audio devices: list the microphones PortAudio sees, find the one asked for."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from voiceprep.errors import RecorderError
from voiceprep.interrupts import stop_signals_kept_from_new_threads
from voiceprep.memory import unload_audio_plugins

DEVICES_HINT = "run `voiceprep devices` to see the microphones, `voiceprep doctor` to check them"


_importing = threading.Lock()


def sounddevice() -> Any:
    """The sounddevice module; RecorderError when the PortAudio library is missing.

    Importing it lists the devices, which loads every ALSA plugin; they are unloaded again
    (`memory.unload_audio_plugins`) before any caller can open a stream."""
    with _importing:
        first = "sounddevice" not in sys.modules
        try:
            import sounddevice as sd
        except OSError as e:  # sounddevice raises OSError when libportaudio cannot be loaded
            raise RecorderError(
                f"PortAudio is not installed ({e}): install libportaudio2 "
                "(`make install` or `apt-get install libportaudio2`)") from None
        if first:
            unload_audio_plugins()
    return sd


def started_stream(open_stream: Callable[[], Any]) -> Any:
    """The sounddevice stream `open_stream()` makes, started, its threads deaf to Ctrl-C
    (`interrupts.stop_signals_kept_from_new_threads`); closed again when a stop signal came
    meanwhile."""
    stream = None
    try:
        with stop_signals_kept_from_new_threads():
            stream = open_stream()
            stream.start()
    except BaseException:
        if stream is not None:
            stream.close()
        raise
    return stream


def rescan_devices() -> None:
    """Re-initialise PortAudio so devices that appeared since import (a started server) show up.

    PortAudio enumerates devices once, when sounddevice is imported; only call this while no
    stream is open.
    """
    sd = sounddevice()
    with _importing:
        sd._terminate()
        sd._initialize()
        unload_audio_plugins()


def _default_index(sd: Any, kind: str) -> int | None:
    try:
        info = sd.query_devices(kind=kind)
    except Exception:  # noqa: BLE001 - PortAudioError or ValueError: no default device
        return None
    index = info.get("index") if isinstance(info, dict) else None
    return int(index) if index is not None and index >= 0 else None


def list_input_devices() -> list[dict[str, Any]]:
    """The input devices (microphones): index, name, channels, default_samplerate, is_default."""
    return _list_devices("input")


def list_output_devices() -> list[dict[str, Any]]:
    """The output devices (speakers), in the same shape as list_input_devices()."""
    return _list_devices("output")


def _list_devices(kind: str) -> list[dict[str, Any]]:
    sd = sounddevice()
    default = _default_index(sd, kind)
    hostapis = sd.query_hostapis()
    key = f"max_{kind}_channels"
    found = []
    for info in sd.query_devices():
        if info[key] <= 0:
            continue
        found.append({
            "index": int(info["index"]),
            "name": info["name"],
            "hostapi": hostapis[info["hostapi"]]["name"],
            "channels": int(info[key]),
            "default_samplerate": float(info["default_samplerate"]),
            "is_default": info["index"] == default,
        })
    return found


@dataclass(frozen=True)
class InputDevice:
    index: int
    name: str
    channels: int
    default_samplerate: float


def find_input_device(device: int | str | None) -> InputDevice:
    """The input device for an index, a name (or part of one), or None for the default."""
    devices = list_input_devices()
    if not devices:
        raise RecorderError(f"no microphone found: PortAudio sees no input device; {DEVICES_HINT}")
    chosen: dict[str, Any] | None = None
    if device is None or device == "":
        chosen = next((d for d in devices if d["is_default"]), None)
        if chosen is None:
            raise RecorderError(f"no default microphone is set; pick one with --input-device "
                                f"({DEVICES_HINT})")
    elif isinstance(device, int) or str(device).strip().isdigit():
        index = int(device)
        chosen = next((d for d in devices if d["index"] == index), None)
        if chosen is None:
            raise RecorderError(f"input device {index} not found: {DEVICES_HINT}")
    else:
        wanted = str(device).strip().lower()
        exact = [d for d in devices if d["name"].lower() == wanted]
        partial = [d for d in devices if wanted in d["name"].lower()]
        matches = exact or partial
        if not matches:
            raise RecorderError(f"input device '{device}' not found: {DEVICES_HINT}")
        if len(matches) > 1:
            names = ", ".join(f"{d['index']}: {d['name']}" for d in matches)
            raise RecorderError(f"input device '{device}' is ambiguous ({names}); "
                                "give its index or a longer part of its name")
        chosen = matches[0]
    return InputDevice(index=chosen["index"], name=chosen["name"], channels=chosen["channels"],
                       default_samplerate=chosen["default_samplerate"])

