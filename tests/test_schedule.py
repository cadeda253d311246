"""Spaced repetition: the rating rule, the schedule replayed from history, `plan` and
`practice --due`."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Rating

from history_data import DAY2, DRIFT_RETRY, build_history, run
from practice_driver import practise, recordings
from voiceprep.hearing.transcript import Transcript
from voiceprep.history.schedule import (
    Review,
    build_schedule,
    due_order,
    make_plan,
    rating_of,
    reviews_from_store,
    schedule_of,
)
from voiceprep.history.store import Store
from voiceprep.practice import choose_questions
from voiceprep.scoring.followup import follow_up_question
from voiceprep.scoring.score import score

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def review(coverage=1.0, missed_required=False, timing="ok", covered=(), missed=(), at=T0,
           qid="drift", follow_up=False):
    return Review(qid, at, coverage, missed_required, timing, tuple(covered), tuple(missed),
                  follow_up)


@pytest.mark.parametrize("kwargs, rating", [
    ({"missed_required": True, "coverage": 0.9}, Rating.Again),
    ({"coverage": 0.49}, Rating.Again),
    ({"coverage": 0.5}, Rating.Hard),
    ({"coverage": 0.79}, Rating.Hard),
    ({"coverage": 0.9, "timing": "long"}, Rating.Hard),
    ({"coverage": 1.0, "timing": "short"}, Rating.Hard),
    ({"coverage": 0.8}, Rating.Good),
    ({"coverage": 1.0, "timing": None}, Rating.Good),  # typed: time not judged, never easy
    ({"coverage": 1.0}, Rating.Easy),
])
def test_the_rating_rule(kwargs, rating):
    assert rating_of(review(**kwargs)) == rating


def test_a_better_answer_comes_back_later():
    def next_due(**kwargs):
        return build_schedule([review(**kwargs)]).due("drift", T0).due

    again, hard, good, easy = (next_due(coverage=0.2), next_due(coverage=0.6),
                               next_due(coverage=0.9), next_due(coverage=1.0))
    # A first Again and a first Hard both come back the next day (the shortest interval).
    assert T0 < again == hard < good < easy
    assert (again - T0, good - T0) == (timedelta(days=1), timedelta(days=2))


def test_a_point_missed_twice_gets_its_own_card_and_follow_up():
    first = review(coverage=0.5, covered=("psi",), missed=("alerts",))
    schedule = build_schedule([first])
    assert schedule.kept_missing("drift") == ()
    second = review(coverage=0.5, covered=("psi",), missed=("alerts",), at=T0 + timedelta(days=2))
    schedule = build_schedule([first, second])
    assert schedule.kept_missing("drift") == ("alerts",)
    # The point is due the day after it was missed again, before the question (Hard) is.
    d = schedule.due("drift", T0 + timedelta(days=2))
    assert d.due == T0 + timedelta(days=3) and d.points == ("alerts",)
    # A follow-up answer that makes the point reviews the point, not the question.
    made = review(coverage=1.0, covered=("alerts",), at=T0 + timedelta(days=3), follow_up=True)
    schedule = build_schedule([first, second, made])
    assert schedule.reviews["drift"] == 2
    assert schedule.points[("drift", "alerts")].due > T0 + timedelta(days=4)


def test_follow_up_asks_about_points_kept_missing_too(bank):
    question = bank.find("drift")
    result = score(question, Transcript.from_text("the population stability index"))
    assert follow_up_question(question, result) is None  # the required point was made
    asked = follow_up_question(question, result, also={"dashboards"})
    assert asked is not None and [kp.id for kp in asked.key_points] == ["dashboards"]


def test_history_on_disk_is_replayed(store, bank, history):
    reviews = reviews_from_store(store)
    assert [(r.question_id, r.coverage) for r in reviews] == [
        ("drift", 0.25), ("about-yourself", 1.0), ("drift", 0.75), ("drift", 1.0)]
    schedule = schedule_of(store)
    assert schedule.reviews == {"drift": 3, "about-yourself": 1}
    # "dashboards" was missed by the first two answers to drift, made by the retry.
    assert schedule.kept_missing("drift") == ("dashboards",)
    now = DAY2.astimezone() + timedelta(days=1)
    plan = make_plan(schedule, bank.questions, now, days=30)
    due_now = {d.question_id for b in plan.banks for d in b.today}
    upcoming = {d.question_id: day for b in plan.banks for day, ds in b.upcoming for d in ds}
    # about-yourself (too short: Hard, four days before) is due, and so is drift: its own card
    # (Easy last) is days away, but "dashboards", missed twice then made, is due the next day.
    assert due_now == {"about-yourself", "drift"}
    drift = next(d for b in plan.banks for d in b.today if d.question_id == "drift")
    assert drift.points == ("dashboards",)
    assert upcoming == {}  # nothing else falls due in the next 30 days: both are due now
    later = make_plan(schedule, bank.questions, DAY2.astimezone() + timedelta(minutes=10))
    assert [d.question_id for b in later.banks for d in b.today] == ["about-yourself"]
    assert {d.question_id for b in later.banks for _, ds in b.upcoming for d in ds} == {"drift"}


def test_practice_due_asks_what_is_due_first(store, bank, history, data_dir):
    now = DAY2.astimezone() + timedelta(minutes=10)
    due = choose_questions(bank, data_dir, due_only=True, now=now)
    assert [q.id for q in due] == ["about-yourself"]
    ordered = choose_questions(bank, data_dir, order="due", now=now)
    assert [q.id for q in ordered] == ["about-yourself", "drift"]


def test_practice_due_on_a_fresh_data_directory_asks_every_question(bank, tmp_path):
    fresh = tmp_path / "fresh"
    chosen = choose_questions(bank, fresh, due_only=True, count=1)
    assert [q.id for q in chosen] == ["drift"]


def test_plan_on_a_fresh_data_directory(bank, tmp_path):
    result = run("plan", "--bank", str(tmp_path / "bank.toml"), "--json",
                 data_dir=tmp_path / "fresh")
    assert result.exit_code == 0, result.output
    plan = json.loads(result.output)
    assert plan["due_today"] == 2
    assert [d["question_id"] for d in plan["banks"][0]["today"]] == ["drift", "about-yourself"]
    assert all(d["new"] for d in plan["banks"][0]["today"])


def test_plan_with_history(store, bank, history, data_dir, tmp_path):
    result = run("plan", "--bank", str(tmp_path / "bank.toml"), "--days", "60",
                 data_dir=data_dir)
    assert result.exit_code == 0, result.output
    assert "bank.toml" in result.output and "about-yourself" in result.output
    assert "Rating of an answer: Again when a required point was missed" in result.output


@pytest.mark.parametrize("args", [["--days", "0"], ["--days", "x"], ["--category", "nope"]])
def test_plan_bad_input(bank, tmp_path, args):
    result = run("plan", "--bank", str(tmp_path / "bank.toml"), *args, data_dir=tmp_path / "d")
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and "Traceback" not in result.output


def test_recall_counts_the_days_to_the_end_of_today():
    # Reviewed yesterday at 09:00 and asked today at 08:00: fsrs alone counts no whole day
    # elapsed and would call it certain to be recalled.
    schedule = build_schedule([review(coverage=0.6)])
    assert schedule.due("drift", T0 + timedelta(hours=23)).recall < 0.95


def test_due_order_least_known_first_but_a_backlog_likeliest_first(bank, monkeypatch):
    from voiceprep.history import schedule as schedule_module

    schedule = build_schedule([
        review(coverage=1.0, at=T0 - timedelta(days=10)),  # Easy: known, slipping a little
        review(coverage=0.2, qid="about-yourself", at=T0 - timedelta(days=2))])  # Again
    order = due_order(schedule, bank.questions, T0, count=2)
    assert [d.question_id for d in order] == ["about-yourself", "drift"]
    assert all(d.due <= T0 for d in order)
    monkeypatch.setattr(schedule_module, "BACKLOG_DAYS", 0)  # more due than sessions can ask
    order = due_order(schedule, bank.questions, T0, count=1)
    assert [d.question_id for d in order] == ["drift", "about-yourself"]
    assert order[0].recall > order[1].recall
    assert [d.question_id for d in due_order(schedule, bank.questions, T0)] == [
        "about-yourself", "drift"]  # no session size: every due question is asked

# ---- end to end: `voiceprep practice --due` through the virtual microphone -------------------

ANSWERS = {"drift": DRIFT_RETRY,
           "about-yourself": "I started in devops and now I lead the platform team."}
PROMPTS = {"drift": "How do you detect <model> drift in production?",
           "about-yourself": "Tell me about yourself."}


def _plan(bank_path, data_dir) -> dict:
    result = run("plan", "--bank", str(bank_path), "--days", "60", "--json", data_dir=data_dir)
    assert result.exit_code == 0, result.output
    [bank] = json.loads(result.output)["banks"]
    return bank


@pytest.mark.slow
@pytest.mark.parametrize("with_history, first", [(True, "about-yourself"), (False, "drift")])
def test_a_due_session_said_into_the_microphone_is_kept_and_scheduled(
        virtual_audio, speak, bank, tmp_path, with_history, first):
    data_dir = tmp_path / "data"
    bank_path = tmp_path / "bank.toml"
    if with_history:  # answers already on disk: the schedule is replayed from them
        with Store(data_dir) as store:
            build_history(store, bank)
    before = _plan(bank_path, data_dir)
    asked = [d["question_id"] for d in before["today"]]
    assert asked[0] == first and sorted(asked) == ["about-yourself", "drift"]
    assert all(d["new"] != with_history for d in before["today"])
    reviews = {d["question_id"]: d["reviews"] for d in before["today"]}

    screen = practise(virtual_audio, data_dir, [speak(ANSWERS[q]) for q in asked], "--due",
                      "--no-follow-ups", "--bank", str(bank_path), questions=(),
                      next_between=True)
    assert screen.index(PROMPTS[asked[0]]) < screen.index(PROMPTS[asked[1]])
    session = sorted((data_dir / "sessions").iterdir())[-1]
    assert [w.name for w in recordings(data_dir) if w.parent == session] == [
        f"01-{asked[0]}.wav", f"02-{asked[1]}.wav"]

    after = _plan(bank_path, data_dir)
    today = datetime.now().astimezone().date().isoformat()
    assert after["today"] == []  # both answered: nothing is due any more today
    upcoming = {d["question_id"]: (day["date"], d) for day in after["upcoming"]
                for d in day["questions"]}
    for question_id in asked:
        day, due = upcoming[question_id]
        assert day > today and due["due"][:10] == day and not due["new"]
        assert due["reviews"] == reviews[question_id] + 1
