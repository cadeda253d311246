"""How the program's memory is allocated: glibc's allocator, and Intel MKL's inside CTranslate2.

Whisper decodes on several threads and frees most of what a decode allocated; glibc keeps freed
memory for reuse rather than giving it back, and so does MKL, so without these a practice run
holds on to the largest decode it has made.
"""

from __future__ import annotations

import ctypes
import os
from functools import lru_cache
from typing import Any

M_ARENA_MAX = -8


def one_malloc_arena() -> None:
    """Let every thread allocate from one arena. With an arena each, memory the decoding threads
    freed stays with them, and a practice run's peak grows with every answer (benchmarks/README.md,
    memory)."""
    libc = _glibc()
    if libc is not None:
        libc.mallopt(M_ARENA_MAX, 1)


def no_mkl_buffer_cache() -> None:
    """CTranslate2 (x86-64 wheels) allocates its buffers with Intel MKL, whose memory manager
    keeps what a decode freed for the next one, on each thread. Without it (MKL_DISABLE_FAST_MM,
    read when MKL first allocates: call this before loading a model) the buffers go back to
    glibc: transcribing 74 s of real speech peaked 16-34 MB lower, in the same time
    (benchmarks/README.md, figures behind choices). A value the user set is kept."""
    os.environ.setdefault("MKL_DISABLE_FAST_MM", "1")


def give_back_free_memory() -> None:
    """Return the heap's free pages to the system (malloc_trim): call it when a burst of work is
    over, as when an answer's transcription is done and scoring begins: most of what the
    decoding threads left behind is free by then."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)


def unload_audio_plugins() -> None:
    """Unload the ALSA plugins PortAudio opened to list the devices. PortAudio opens every device
    the ALSA configuration defines, which loads each plugin and what it links (the a52 encoder
    brings libavcodec and its codecs, 11-12 MB resident); alsa-lib keeps them loaded until its
    global configuration is freed. Freeing it is safe with no stream open (a stream keeps the
    plugin it uses): the next stream reads the configuration again and loads only its own
    plugin. Call it after PortAudio lists the devices; a system without ALSA has nothing to do."""
    try:
        asound = ctypes.CDLL("libasound.so.2")
        asound.snd_config_update_free_global()
    except (OSError, AttributeError):
        pass


@lru_cache(maxsize=1)
def _glibc() -> Any:
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt, libc.malloc_trim  # noqa: B018 - both or neither
    except (OSError, AttributeError):
        return None
    return libc
