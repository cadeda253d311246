"""What the libraries voiceprep loads may do: send nothing anywhere, and write only in
voiceprep's own directories. Both are set in the environment when the package is imported, before
any of those libraries loads, and child processes inherit them.

onnxruntime, which runs the speech detector, ships Microsoft's 1DS telemetry in its Linux wheels:
left on, every process that loads it looks up mobile.events.data.microsoft.com, opens a TLS
connection to it and keeps a device id and an event queue under
~/.cache/Microsoft/DeveloperTools/.onnxruntime. ORT_DISABLE_TELEMETRY=1, set before onnxruntime
initialises, turns all of that off for the life of the process; its `disable_telemetry_events()`
is not enough, as it comes after the start-up event.
"""

from __future__ import annotations

import os
from pathlib import Path

NO_TELEMETRY = {
    "ORT_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",  # huggingface_hub, which fetches a model only when asked
}


def cache_dir() -> Path:
    """Where voiceprep keeps files it derives from installed ones ($XDG_CACHE_HOME/voiceprep)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("voiceprep"))


def confine_libraries() -> None:
    """Switch off the telemetry of the libraries voiceprep loads (whatever the environment
    said), and keep matplotlib's font cache in voiceprep's cache directory, not ~/.cache and
    ~/.config, unless the user chose a place for it."""
    os.environ.update(NO_TELEMETRY)
    os.environ.setdefault("MPLCONFIGDIR", str(cache_dir() / "matplotlib"))
