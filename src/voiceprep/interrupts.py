"""Ctrl-C, TERM and HUP (the terminal closed) all stop the program the same way: the answer
under way is kept, and the exit status is 128 + the signal's number."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Stopped(KeyboardInterrupt):
    """A stop signal, raised where the program was, as Ctrl-C raises KeyboardInterrupt."""

    def __init__(self, signum: int = signal.SIGINT):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def signal_of(stop: BaseException) -> int:
    """The signal behind a KeyboardInterrupt (a plain one is Ctrl-C)."""
    return getattr(stop, "signum", signal.SIGINT)


@contextmanager
def stop_signals_as_interrupts() -> Iterator[None]:
    """TERM and HUP raise `Stopped` like Ctrl-C raises KeyboardInterrupt (main thread only)."""

    def handler(signum: int, frame: object) -> None:
        raise Stopped(signum)

    previous = {s: signal.signal(s, handler) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold the stop signals while something is written, so it is never half-saved; a signal
    that arrives meanwhile is delivered as soon as the block ends.

    Held by a handler that only notes the signal, not by the thread's signal mask: the kernel
    hands a process's signal to any thread that does not block it (the decoding threads, the
    recorder's), and Python then runs the handler in the main thread all the same. Off the main
    thread, where handlers cannot be set, the mask is the best there is."""
    if threading.current_thread() is not threading.main_thread():
        with stop_signals_kept_from_new_threads():
            yield
        return
    pending: list[int] = []

    def hold(signum: int, frame: object) -> None:
        pending.append(signum)

    previous = {s: signal.signal(s, hold) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
        if pending:
            signal.raise_signal(pending[0])  # now, to whatever handled it before


@contextmanager
def stop_signals_kept_from_new_threads() -> Iterator[None]:
    """Block the stop signals in this thread's mask meanwhile, so the threads started inside (an
    audio stream's: PortAudio's and the PulseAudio plugin's) inherit the block and a Ctrl-C is
    handed to one of the program's own threads. A Ctrl-C that lands in an audio thread's poll
    makes the ALSA plugin fail the stream, and closing the stream can then hang. A signal that
    arrives meanwhile is delivered as the block ends."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
