"""The resampler for microphones that refuse 16 kHz: cost per block and what it lets through.

    .venv/bin/python -m benchmarks.resampler [--seconds 60] [--rates 44100 48000 22050]

voiceprep resamples with FFmpeg's band-limited resampler through PyAV (`audio.Resampler`), fed
0.1 s blocks as the recorder hands them over. The baseline, in the same run, is the linear
interpolation voiceprep used before (`np.interp` across block edges). Printed per input rate:
milliseconds of compute per second of audio for each, their ratio, and how much of a tone above
the new Nyquist frequency (10 kHz) comes out (dB below the input: what linear interpolation folds
back into the band as a false 6 kHz tone), and the error on a 300 Hz tone.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from voiceprep.audio.load import SAMPLE_RATE, Resampler, rms_dbfs


class LinearResampler:
    """The baseline: linear interpolation, continuous across block edges."""

    def __init__(self, rate: int, source_rate: float):
        self.step = float(source_rate) / float(rate)
        self._position = 0.0
        self._tail = np.zeros(0, dtype=np.float32)

    def resample(self, block: np.ndarray) -> np.ndarray:
        samples = np.concatenate([self._tail, np.asarray(block, dtype=np.float32)])
        count = max(int(np.floor((len(samples) - 1 - self._position) / self.step)) + 1, 0)
        positions = self._position + self.step * np.arange(count)
        out = np.interp(positions, np.arange(len(samples)), samples).astype(np.float32)
        next_position = self._position + self.step * count
        keep_from = int(np.floor(next_position))
        self._tail = samples[keep_from:]
        self._position = next_position - keep_from
        return out


def run(make, signal: np.ndarray, rate_in: int) -> tuple[np.ndarray, float]:
    resampler = make(SAMPLE_RATE, rate_in)
    block = rate_in // 10
    started = time.perf_counter()
    out = [resampler.resample(signal[i:i + block]) for i in range(0, len(signal), block)]
    return np.concatenate(out), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rates", type=int, nargs="+", default=[44100, 48000, 22050])
    args = parser.parse_args()
    print(f"{'rate':>6} {'ms/s PyAV':>10} {'ms/s linear':>12} {'ratio':>6} "
          f"{'10 kHz PyAV':>12} {'10 kHz linear':>14} {'300 Hz error PyAV':>18} {'linear':>8}")
    for rate_in in args.rates:
        t = np.arange(int(rate_in * args.seconds)) / rate_in
        low = (0.5 * np.sin(2 * np.pi * 300 * t)).astype(np.float32)
        high = (0.5 * np.sin(2 * np.pi * 10000 * t)).astype(np.float32)
        row = {}
        for name, make in (("pyav", Resampler), ("linear", LinearResampler)):
            best = min(run(make, low, rate_in)[1] for _ in range(3))
            out_low, _ = run(make, low, rate_in)
            out_high, _ = run(make, high, rate_in)
            expected = 0.5 * np.sin(2 * np.pi * 300 * np.arange(len(out_low)) / SAMPLE_RATE)
            error = float(np.max(np.abs(out_low - expected)[SAMPLE_RATE // 10:]))
            row[name] = (best * 1000 / args.seconds,
                         rms_dbfs(out_high[SAMPLE_RATE // 10:]) - rms_dbfs(high), error)
        p, li = row["pyav"], row["linear"]
        print(f"{rate_in:>6} {p[0]:>10.2f} {li[0]:>12.2f} {p[0] / li[0]:>5.1f}x "
              f"{p[1]:>9.1f} dB {li[1]:>11.1f} dB {p[2]:>18.1e} {li[2]:>8.1e}")


if __name__ == "__main__":
    main()
