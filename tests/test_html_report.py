"""The self-contained HTML report: escaping, embedded audio and charts, and the page as
real headless Chromium loads it."""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
import sys
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import matplotlib.image
import numpy as np
import pytest
import soundfile as sf
from click.testing import CliRunner

from history_data import DAY2, SCRIPT_ANSWER, build_history, record
from long_history import save_answer
from voiceprep.bank.questions import load_bank
from voiceprep.cli import main
from voiceprep.ui.html_report import audio_data_uri, render_report, write_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DAY3 = DAY2 + timedelta(days=2)


@pytest.fixture
def sessions(data_dir, store, bank):
    """Two ordinary sessions, then one whose answer is full of markup."""
    s1, s2 = build_history(store, bank)
    s3 = store.start_session(bank.title, now=DAY3)
    record(store, s3, bank.find("about-yourself"), SCRIPT_ANSWER, 0.3, DAY3)
    record(store, s3, bank.find("drift"), "um the population stability index", 0.5,
           DAY3 + timedelta(minutes=2))
    return s1, s2, store.end_session(s3.id, now=DAY3 + timedelta(minutes=5))


class Elements(HTMLParser):
    """The elements of a page: (tag, attributes) in document order, and the text."""

    def __init__(self, html: str):
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def all(self, tag, **wanted):
        return [a for t, a in self.elements if t == tag
                and all(a.get(k.replace("_", "-")) == v for k, v in wanted.items())]


def test_user_text_is_escaped(data_dir, store, sessions):
    html = render_report(store, sessions[2])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "alert(1)</script>" not in html
    assert html.count("<script") == 1  # the page's own small script, nothing else
    assert "<img src=x" not in html and "&lt;img src=x onerror=" in html
    assert "How do you detect &lt;model&gt; drift in production?" in html
    assert "Test &lt;b&gt;bank&lt;/b&gt;" in html
    assert "PSI &amp; alert" in html  # the reference answer


def test_report_embeds_audio_highlights_missed_points_and_charts(data_dir, store, sessions):
    session = sessions[1]
    page = Elements(render_report(store, session))
    attempts = store.attempts(session_id=session.id)
    audios = page.all("audio")
    assert [a["id"] for a in audios] == [f"audio-{a.id}" for a in attempts]
    assert all(a["src"].startswith("data:audio/ogg;base64,") for a in audios)
    assert not [a for t, a in page.elements if (a.get("src") or "").startswith("http")]
    marks = page.all("mark")
    covered = []
    for attempt in attempts:
        covered += [(f"audio-{attempt.id}", f"{k.start:.2f}", k.id)
                    for k in store.load(attempt).score.key_points if k.covered]
    assert [(m["data-audio"], m["data-start"], m["data-kp"]) for m in marks] == covered
    text = "".join(page.text)
    assert "missed: Dashboards in Grafana" in text
    assert "Reference answer" in text and "Monitor input distributions" in text
    [chart] = page.all("img", id="progress-chart")
    png = base64.b64decode(chart["src"].removeprefix("data:image/png;base64,"))
    assert matplotlib.image.imread(io.BytesIO(png), format="png").shape[:2] == (900, 1000)
    assert "Progress over 2 session(s)" in text  # the charts stop at this session


def test_embedded_audio_is_the_recording_made_smaller(data_dir, store, sessions):
    attempt = store.attempts()[0]
    wav = data_dir / attempt.audio_path
    uri = audio_data_uri(wav)
    assert uri.startswith("data:audio/ogg;base64,")
    encoded = base64.b64decode(uri.split(",", 1)[1])
    decoded, rate = sf.read(io.BytesIO(encoded), dtype="float32")
    original, original_rate = sf.read(str(wav), dtype="float32")
    assert rate == original_rate
    assert len(decoded) == pytest.approx(len(original), abs=rate * 0.05)
    # Lossy but faithful: the same 220 Hz tone, sample for sample close to the original.
    n = min(len(decoded), len(original))
    assert np.corrcoef(decoded[:n], original[:n])[0, 1] > 0.99
    assert len(encoded) < wav.stat().st_size / 4
    assert audio_data_uri(data_dir / "missing.wav") is None


def test_audio_that_cannot_be_decoded_is_embedded_as_it_is(tmp_path):
    odd = tmp_path / "answer.mp4"
    odd.write_bytes(b"not really audio")
    assert audio_data_uri(odd) == "data:video/mp4;base64," + base64.b64encode(
        b"not really audio").decode()


def test_report_cli_default_path_and_output(data_dir, sessions, tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["report", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    expected = data_dir / "reports" / f"{sessions[2].id}.html"
    assert result.stdout.strip() == str(expected) and expected.is_file()
    out = tmp_path / "mine.html"
    result = runner.invoke(main, ["report", "20261120", "-o", str(out), "--data-dir",
                                  str(data_dir)])
    assert result.exit_code == 0 and result.stdout.strip() == str(out)
    assert "Practice session 20261120-183000" in out.read_text()


def test_missing_recording_is_noted_not_fatal(data_dir, store, sessions):
    attempt = store.attempts(session_id=sessions[0].id)[0]
    (data_dir / attempt.audio_path).unlink()
    page = Elements(render_report(store, sessions[0]))
    assert len(page.all("audio")) == 1
    assert f"Recording missing: {attempt.audio_path}" in "".join(page.text)


def embedded_seconds(uri: str) -> float:
    """How long the audio of a data URI plays, decoded with PyAV."""
    import av

    payload = base64.b64decode(uri.split(",", 1)[1])
    with av.open(io.BytesIO(payload)) as container:
        return sum(frame.samples / frame.sample_rate for frame in container.decode(audio=0))


@pytest.mark.slow
def test_report_holds_an_answer_at_every_questions_target_maximum(data_dir, store, speak):
    """Every question of the built-in bank answered for its longest target time, in one
    session: the report embeds each whole answer (libsndfile's Vorbis encoder crashed the
    process on anything over about 131 s at 16 kHz)."""
    bank = load_bank(None)
    voice, rate = sf.read(str(speak("I started in DevOps and moved into MLOps. We run everything "
                                    "on Kubernetes.")), dtype="int16")
    session = store.start_session(bank.title, now=DAY3)
    longest = {}
    for i, question in enumerate(bank.questions):
        seconds = question.target_seconds[1]
        attempt = save_answer(store, session, question, np.resize(voice, seconds * rate), rate,
                              DAY3 + timedelta(minutes=5 * i))
        longest[f"audio-{attempt.id}"] = seconds
    store.end_session(session.id, now=DAY3 + timedelta(hours=2))
    done = subprocess.run([sys.executable, "-m", "voiceprep", "report", "latest", "--data-dir",
                           str(data_dir)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    page = Elements(Path(done.stdout.strip()).read_text())
    audios = {a["id"]: a["src"] for a in page.all("audio")}
    assert set(audios) == set(longest)
    assert all(src.startswith("data:audio/ogg;base64,") for src in audios.values())
    assert {i: round(embedded_seconds(src), 1) for i, src in audios.items()} == longest


# ---- in a real browser ---------------------------------------------------

def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=120)


# After load: click the first highlight, then record where its audio player went and how long
# the embedded FLAC is, as attributes that --dump-dom shows.
PROBE = """<script>
window.addEventListener("load", function () {
  var mark = document.querySelector("mark[data-start]");
  var audio = document.getElementById(mark.dataset.audio);
  function report() {
    mark.click();
    setTimeout(function () {
      document.body.setAttribute("data-probe-seek", audio.currentTime.toFixed(2));
      document.body.setAttribute("data-probe-duration", audio.duration.toFixed(2));
    }, 300);
  }
  if (audio.readyState >= 1) { report(); }
  else { audio.addEventListener("loadedmetadata", report); }
});
</script>"""


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="needs chromium")
def test_chromium_loads_the_page_and_runs_no_injected_script(data_dir, store, sessions, tmp_path):
    path = write_report(store, sessions[2])
    done = chromium("--virtual-time-budget=5000", "--dump-dom", path.as_uri(),
                    profile=tmp_path / "profile")
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    page = Elements(dom)
    assert len(page.all("audio")) == 2
    assert len(page.all("mark")) >= 2 and page.all("mark", data_kp="devops")
    assert page.all("img", id="progress-chart")
    assert len(page.all("script")) == 1
    body = page.all("body")[0]
    assert "data-pwned" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert "I said <script>alert(1)</script> and" in "".join(page.text)


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="needs chromium")
def test_clicking_a_highlight_seeks_its_recording(data_dir, store, sessions, tmp_path):
    path = write_report(store, sessions[1])
    probe = tmp_path / "probe.html"
    probe.write_text(path.read_text().replace("</body>", PROBE + "</body>"))
    done = chromium("--virtual-time-budget=8000", "--dump-dom", probe.as_uri(),
                    profile=tmp_path / "profile")
    assert done.returncode == 0, done.stderr[-2000:]
    body = Elements(done.stdout).all("body")[0]
    first = store.attempts(session_id=sessions[1].id)[0]
    start = next(k.start for k in store.load(first).score.key_points if k.covered)
    # The Ogg decoded in the browser, and the click moved the player to just before the words.
    assert float(body["data-probe-duration"]) == pytest.approx(first.duration_seconds, abs=0.05)
    assert float(body["data-probe-seek"]) == pytest.approx(max(0.0, start - 0.3), abs=0.35)


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="needs chromium")
def test_screenshot(data_dir, store, sessions, tmp_path):
    path = write_report(store, sessions[1])
    shot = tmp_path / "report.png"
    done = chromium(f"--screenshot={shot}", "--window-size=1200,2000", "--hide-scrollbars",
                    path.as_uri(), profile=tmp_path / "profile")
    assert done.returncode == 0, done.stderr[-2000:]
    pixels = matplotlib.image.imread(str(shot))
    assert pixels.shape[:2] == (2000, 1200)
    # Not a blank page: the highlights' green and the chart's colours are there.
    colours = {tuple(p) for p in (pixels[::5, ::5, :3] * 16).round().reshape(-1, 3)}
    assert len(colours) > 50
    keep = Path(__file__).parent.parent / ".screenshots"
    if keep.is_dir():  # a place to look at the page by eye: mkdir .screenshots
        shutil.copy(shot, keep / "report.png")
    assert re.search(r"\d+ bytes written to file", done.stdout + done.stderr)


# ---- the timeline of an answer ------------------------------------------------------------

STORY = ("Um at my last job our nightly pipeline kept failing. My job was to fix it, I think. "
         "So I added retries and I wrote alerts, uh, for each stage. We also compute the "
         "population stability index on every input. As a result failures dropped by 80 "
         "percent, and um we kind of kept it that way for a long time after that.")


def story_attempt(store, bank, tmp_path):
    """An over-long story answer with fillers, hedges and a 3 s pause, saved with a recording."""
    from voiceprep.bank.questions import Question
    from voiceprep.hearing.transcript import Transcript, Word

    drift = bank.find("drift")
    question = Question(id="story", category="behavioral",
                        prompt="Tell me about a time something kept failing.",
                        target_seconds=(5, 20), reference="A story.",
                        key_points=drift.key_points[:1], structure="star")
    words, t = [], 0.5
    for token in STORY.split():
        words.append(Word(token, round(t, 2), round(t + 0.3, 2), 0.9))
        t += 3.4 if token == "stage." else 0.4
    transcript = Transcript(STORY, tuple(words), duration_seconds=round(t + 0.5, 2))
    session = store.start_session(bank.title, now=DAY3)
    record_file = store.reserve_attempt(session, question.id)
    rate = 16000
    seconds = transcript.duration_seconds
    sf.write(str(record_file.audio), 0.2 * np.sin(2 * np.pi * 180 * np.arange(
        int(seconds * rate)) / rate), rate)
    from voiceprep.scoring.score import score

    result = score(question, transcript, audio=record_file.audio)
    store.save_attempt(session, question, record_file, transcript, result, started_at=DAY3,
                       ended_at=DAY3, duration_seconds=seconds)
    return store.end_session(session.id, now=DAY3 + timedelta(minutes=1)), result


def test_the_timeline_marks_what_was_said_when(data_dir, store, bank, tmp_path):
    session, result = story_attempt(store, bank, tmp_path)
    page = Elements(render_report(store, session, charts=False))
    assert len(page.all("svg", **{"class": "timeline"})) == 1
    kinds = [a["class"].split()[1] for a in page.all("g") if "mark" in a.get("class", "")]
    assert kinds.count("mark-point") == 1 and kinds.count("mark-star") == 4
    assert kinds.count("mark-filler") == result.fillers.count == 3
    assert kinds.count("mark-hedge") == result.hedges.count == 2
    assert kinds.count("mark-pause") == 1 and kinds.count("mark-quantity") == 1
    point = next(a for a in page.all("g") if "mark-point" in a.get("class", ""))
    covered = next(k for k in result.key_points if k.covered)
    assert float(point["data-start"]) == covered.start
    assert page.all("rect", **{"class": "drift"})
    text = " ".join("".join(page.text).split())
    assert "STAR: ✓ situation" in text and "result quantified: “80”" in text
    assert "where it could have stopped" in text


TIMELINE_PROBE = PROBE.replace('document.querySelector("mark[data-start]")',
                               'document.querySelector("g.mark-quantity[data-start]")').replace(
    "mark.click();", "mark.dispatchEvent(new MouseEvent('click', {bubbles: true}));")


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="needs chromium")
def test_clicking_a_timeline_mark_plays_that_moment(data_dir, store, bank, tmp_path):
    session, result = story_attempt(store, bank, tmp_path)
    path = write_report(store, session)
    probe = tmp_path / "probe.html"
    probe.write_text(path.read_text().replace("</body>", TIMELINE_PROBE + "</body>"))
    done = chromium("--virtual-time-budget=8000", "--dump-dom", probe.as_uri(),
                    profile=tmp_path / "profile")
    assert done.returncode == 0, done.stderr[-2000:]
    body = Elements(done.stdout).all("body")[0]
    assert float(body["data-probe-seek"]) == pytest.approx(result.star.quantity_at - 0.3,
                                                           abs=0.35)
