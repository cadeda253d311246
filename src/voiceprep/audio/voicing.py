"""What the voice does frame by frame: its pitch (YIN) and its first formants (Burg LPC), in numpy.

Pitch is found with YIN (de Cheveigné and Kawahara, 2002): for each 10 ms frame, the cumulative
mean normalised difference of the audio with itself shifted by each period from the ceiling's to
the floor's. The first dip under 0.1, or under the deepest plus 0.05 where that is higher, is the
period, refined between samples by a parabola; a dip at either end of that range is a pitch
outside it, unvoiced. How deep the dip is says how periodic the frame is, its aperiodicity. Each
frame's analysis depends on its own 42 ms of audio alone, so a recording tracked a chunk at a
time gives every frame the whole recording's track gives (scoring/pitch.py). A frame is voiced
when it is periodic enough and not silent: its loudest sample at least 3% of the recording's
loudest, Praat's rule.

Formants come from Praat's recipe for `To Formant (burg)`: the sound resampled to twice the
highest formant, pre-emphasised from 50 Hz, a Gaussian window of 50 ms every 10 ms, a Burg LPC
of order 10, and the angles of its roots.

These replaced Praat itself (praat-parselmouth), whose import alone added 71 MB to a practice
run's memory; on tones of known pitch and on speech they agree with it
(benchmarks/pitch_trackers.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FRAME_SECONDS = 0.01
# The frame's comparison window: one and a half periods of the pitch floor.
PERIODS_PER_WINDOW = 1.5
DIP = 0.1  # YIN's absolute threshold: the first dip below it is the period
NEAR_DEEPEST = 0.05
# A frame is voiced when its aperiodicity is under this (as many frames of real speech are voiced
# as Praat's autocorrelation finds: benchmarks/pitch_trackers.py) and its loudest sample is at
# least this share of the recording's (Praat's rule).
VOICING_THRESHOLD = 0.5
SILENCE_THRESHOLD = 0.03
BATCH = 256  # frames analysed at once (each a few kB of FFT), the first from the first centre


@dataclass(frozen=True)
class PitchFrames:
    """Per 10 ms frame: the period's pitch (Hz), how aperiodic the frame is (0 periodic, 1 not),
    and its loudest sample."""
    hz: np.ndarray
    aperiodicity: np.ndarray
    peak: np.ndarray

    def voiced(self, loudest: float, silence: float = SILENCE_THRESHOLD,
               aperiodic: float = VOICING_THRESHOLD) -> np.ndarray:
        """Which frames are voiced: periodic, and not silent against `loudest`."""
        return (self.aperiodicity < aperiodic) & (self.peak >= silence * loudest)


def frame_span(sample_rate: int, floor_hz: float) -> tuple[int, int]:
    """(window, longest period) in samples: a frame reads window + longest period samples,
    from `frame_reach`'s first before its centre."""
    longest = int(np.ceil(sample_rate / floor_hz))
    return int(PERIODS_PER_WINDOW * longest), longest


def frame_reach(sample_rate: int, floor_hz: float) -> tuple[int, int]:
    """How many samples a frame reads before its centre, and from its centre on."""
    span = sum(frame_span(sample_rate, floor_hz))
    return span // 2, span - span // 2


def pitch_frames(samples: np.ndarray, centres: np.ndarray, sample_rate: int,
                 floor_hz: float, ceiling_hz: float) -> PitchFrames:
    """YIN at each centre (sample indices into `samples`; audio beyond its ends reads as 0)."""
    window, longest = frame_span(sample_rate, floor_hz)
    shortest = max(2, int(np.floor(sample_rate / ceiling_hz)))
    span = window + longest
    size = 1 << int(np.ceil(np.log2(span)))  # r(tau) reads at most span samples: no wrapping
    x = np.asarray(samples, dtype=np.float64)
    centres = np.asarray(centres, dtype=np.int64)
    starts = centres - frame_reach(sample_rate, floor_hz)[0]
    padded = np.pad(x, (span, span))
    hz = np.zeros(len(centres))
    aperiodicity = np.ones(len(centres))
    peak = np.zeros(len(centres))
    lags = np.arange(longest + 1)
    for at in range(0, len(centres), BATCH):
        index = (starts[at:at + BATCH] + span)[:, None] + np.arange(span)
        frames = padded[index]
        # d(tau) = sum over the window of (x[j] - x[j + tau])^2 = e(0) + e(tau) - 2 r(tau)
        energy = np.concatenate([np.zeros((len(frames), 1)), np.cumsum(frames ** 2, axis=1)],
                                axis=1)
        shifted = energy[:, lags + window] - energy[:, lags]
        spectrum = np.fft.rfft(frames, size) * np.conj(np.fft.rfft(frames[:, :window], size))
        r = np.fft.irfft(spectrum, size)[:, :longest + 1]
        d = shifted[:, :1] + shifted - 2 * r
        # what is left of a difference by rounding is none (a constant stretch has no period)
        d = np.where(d > 1e-12 * (shifted[:, :1] + shifted), d, 0.0)
        # cumulative mean normalised difference
        running = np.cumsum(d[:, 1:], axis=1)
        cmnd = np.ones_like(d)
        cmnd[:, 1:] = d[:, 1:] * lags[1:] / np.where(running > 0, running, 1.0)
        cmnd[:, 1:][running <= 0] = 1.0
        tau, depth = _periods(cmnd[:, shortest:longest + 1])
        hz[at:at + len(frames)] = sample_rate / (shortest + tau)
        aperiodicity[at:at + len(frames)] = depth
        middle = frames[:, span // 2 - window // 2:span // 2 + window // 2]
        peak[at:at + len(frames)] = np.max(np.abs(middle), axis=1)
    return PitchFrames(hz, np.clip(aperiodicity, 0.0, 1.0), peak)


def _periods(part: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's period (in lags from the row's start, refined between lags) and the depth of
    its dip: the bottom of the first dip under the threshold, or under a little more than the
    deepest (in noise, the period's dip and its multiples' are all over the threshold, the
    multiples' a hair deeper). A dip at either end of the row is a period outside the range
    searched (a pitch above the ceiling or below the floor): depth 1, unvoiced."""
    rows, lags = np.arange(len(part)), np.arange(part.shape[1])
    level = np.maximum(DIP, part.min(axis=1) + NEAR_DEEPEST)
    first = np.argmax(part < level[:, None], axis=1)  # there is always one: the deepest
    # down to the bottom of that dip: the first lag from there whose next is no lower
    rising = np.append(part[:, 1:] >= part[:, :-1], np.ones((len(part), 1), bool), axis=1)
    bottom = np.argmax(rising & (lags >= first[:, None]), axis=1)
    inner = (bottom > 0) & (bottom < part.shape[1] - 1)
    depth = np.where(inner, part[rows, bottom], 1.0)
    before = part[rows, np.maximum(bottom - 1, 0)]
    after = part[rows, np.minimum(bottom + 1, part.shape[1] - 1)]
    bend = before - 2 * depth + after
    shift = np.where(inner & (bend > 0), 0.5 * (before - after) / np.where(bend > 0, bend, 1.0), 0)
    return bottom + shift, depth


def formant_tracks(samples: np.ndarray, sample_rate: int, times: np.ndarray,
                   maximum_formant: float = 5500.0, order: int = 10) -> np.ndarray:
    """The first two formants (Hz, NaN where there are fewer) at each time (seconds), from 50 ms
    of audio around it: shape (2, len(times))."""
    rate = 2 * maximum_formant
    x = _resample(np.asarray(samples, dtype=np.float64), sample_rate, rate)
    x = np.append(x[:1], x[1:] - np.exp(-2 * np.pi * 50.0 / rate) * x[:-1])  # pre-emphasis
    half = int(round(0.025 * rate))
    n = np.arange(2 * half + 1)
    edge = np.exp(-12.0)
    window = (np.exp(-48.0 * ((n - half) / (2 * half + 1)) ** 2) - edge) / (1 - edge)
    tracks = np.full((2, len(times)), np.nan)
    for k, t in enumerate(times):
        centre = int(round(t * rate))
        frame = x[max(0, centre - half):centre + half + 1]
        if frame.size < 2 * half + 1:
            continue
        roots = np.roots(_burg(frame * window, order))
        roots = roots[roots.imag > 0]
        hz = np.sort(np.angle(roots) * rate / (2 * np.pi))
        hz = hz[(hz > 50.0) & (hz < maximum_formant - 50.0)]
        tracks[:min(2, hz.size), k] = hz[:2]
    return tracks


def _burg(x: np.ndarray, order: int) -> np.ndarray:
    """Linear prediction coefficients [1, a1, ..., a_order] by Burg's method."""
    forward, backward = x.copy(), x.copy()
    a = np.array([1.0])
    for _ in range(order):
        f, b = forward[1:], backward[:-1]
        denominator = f @ f + b @ b
        if denominator <= 0:
            break
        k = -2.0 * (b @ f) / denominator
        forward, backward = f + k * b, b + k * f
        a = np.concatenate([a, [0.0]])
        a = a + k * a[::-1]
    return a


def _resample(x: np.ndarray, rate: float, new_rate: float) -> np.ndarray:
    """Band-limited resampling of a short clip by its spectrum."""
    n = int(round(x.size * new_rate / rate))
    if n == x.size or n < 2:
        return x.copy()
    spectrum = np.fft.rfft(x)[:n // 2 + 1]
    return np.fft.irfft(spectrum, n) * (n / x.size)
