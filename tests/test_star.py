"""STAR parts of story answers, and which questions are stories."""

from __future__ import annotations

import pytest

from voiceprep.bank.questions import Question, guess_structure, load_bank
from voiceprep.hearing.transcript import Transcript, Word
from voiceprep.scoring.score import score
from voiceprep.scoring.star import find_star

SITUATION = "At my last job our nightly training pipeline kept failing."
TASK = "My job was to make it reliable before the launch."
ACTION = "So I added retries, split the pipeline into stages, and I wrote alerts for each stage."
RESULT = "As a result failures dropped by 80 percent."
RESULT_PLAIN = "As a result the team stopped worrying about the nightly runs."


def star_of(text: str, by_meaning: bool = False):
    return find_star(Transcript.from_text(text).words, by_meaning=by_meaning)


@pytest.mark.parametrize("by_meaning", [False, True])
def test_a_full_story_has_every_part_and_a_quantified_result(by_meaning):
    star = star_of(" ".join([SITUATION, TASK, ACTION, RESULT]), by_meaning)
    assert star.missing == ()
    assert star.letters == "S-T-A-R"
    assert star.part("situation").evidence == ("At my last job",)
    assert star.part("task").evidence == ("My job was",)
    assert star.part("result").evidence == ("As a result", "dropped by")
    assert star.result_quantified and star.quantity == "80"


@pytest.mark.parametrize("left_out", ["situation", "task", "action", "result"])
def test_a_part_left_out_is_missing(left_out):
    parts = {"situation": SITUATION, "task": TASK, "action": ACTION, "result": RESULT}
    del parts[left_out]
    star = star_of(" ".join(parts.values()))
    assert star.missing == (left_out,)
    assert star.result_quantified == (left_out != "result")


@pytest.mark.parametrize("task", [
    "The ask from my manager was simple: make search fast again.",
    "The challenge for me was to fix the process while we were still hiring.",
    "I made it my responsibility to help him grow into the role.",
])
def test_a_task_named_with_who_asked_or_taken_up(task):
    star = star_of(" ".join([SITUATION, task, ACTION, RESULT]))
    assert star.missing == ()
    assert star.part("task").evidence[0] in task
    assert star.part("situation").evidence == ("At my last job",)


@pytest.mark.parametrize("run_on, part, evidence, quantity", [
    # Whisper often leaves out the full stop between two parts of a story.
    ("at my last job our app shipped whenever a feature was ready and releases often broke our "
     "objective was a predictable release every two weeks and what I did first was set up a "
     "release branch and I automated the smoke tests as a result crash reports fell by 60%",
     "task", ("our objective was",), "60%"),
    # A result with no opener of its own, after time gone by.
    ("At my last job every team computed the same features in its own notebooks. The objective "
     "was to give them one trusted place for features. I surveyed what they computed most "
     "often and migrated the five most used features first within six months 80% of new "
     "models used the feature store.", "result", ("within six months",), "80%"),
])
def test_parts_run_on_without_full_stops_are_told_apart(run_on, part, evidence, quantity):
    star = star_of(run_on)
    assert star.letters == "S-T-A-R"
    assert star.part(part).evidence == evidence
    assert [e.lower() for e in star.part("situation").evidence] == ["at my last job"]
    assert star.quantity == quantity


def test_a_result_without_a_number_is_not_quantified():
    star = star_of(" ".join([SITUATION, TASK, ACTION, RESULT_PLAIN]))
    assert star.missing == ()
    assert not star.result_quantified and star.quantity == ""


def test_a_number_outside_the_result_does_not_quantify_it():
    star = star_of("Two years ago there was a team of five engineers. " + ACTION + " "
                   + RESULT_PLAIN)
    assert star.part("situation").present
    assert not star.result_quantified


def test_the_parts_of_a_timed_answer_start_where_they_were_said():
    words = tuple(Word(w, i * 0.5, i * 0.5 + 0.4) for i, w in
                  enumerate(" ".join([SITUATION, TASK, ACTION, RESULT]).split()))
    star = find_star(words, by_meaning=False)
    # 10, 10 and 16 words before the result, a word every 0.5 s; "80" is its 7th word.
    assert [p.start for p in star.parts] == [0.0, 5.0, 10.0, 18.0]
    assert star.quantity_at == 21.0


def test_only_story_questions_are_read_for_star():
    story = Question(id="q", category="behavioral", prompt="Tell me about a time it broke.",
                     target_seconds=(30, 120), reference="-", key_points=(), structure="star")
    plain = Question(id="p", category="technical", prompt="What is PSI?",
                     target_seconds=(30, 120), reference="-", key_points=())
    text = Transcript.from_text(" ".join([SITUATION, TASK, ACTION, RESULT]))
    assert score(story, text).star is not None
    assert score(story, text).to_dict()["star"]["missing"] == []
    assert score(plain, text).star is None


@pytest.mark.parametrize("prompt, structure", [
    ("Tell me about a time you disagreed with your manager.", "star"),
    ("Describe a conflict with a colleague and how you resolved it.", "star"),
    ("Give me an example of a project that failed.", "star"),
    ("Tell me about a challenge you faced at work and how you handled it.", "star"),
    ("Describe a situation where you had to learn fast.", "star"),
    ("Tell me about yourself.", ""),
    ("What are your strengths?", ""),
    ("How would you design an MLOps pipeline?", ""),
])
def test_story_prompts_are_guessed(prompt, structure):
    assert guess_structure(prompt) == structure


@pytest.mark.parametrize("line, expected", [
    ('structure = "star"\n', "star"),
    ('structure = "none"\n', ""),  # a story-like prompt the bank says is not one
    ("", "star"),  # guessed from the prompt
])
def test_the_bank_says_or_the_prompt_tells(tmp_path, line, expected):
    path = tmp_path / "bank.toml"
    path.write_text(f'''[[questions]]
id = "conflict"
category = "behavioral"
prompt = "Tell me about a time you had a conflict."
target_seconds = [60, 120]
reference = "A story."
{line}
  [[questions.key_points]]
  id = "calm"
  text = "Stayed calm"
  phrases = ["stayed calm"]
''', encoding="utf-8")
    assert load_bank(path).find("conflict").structure == expected


def test_an_unknown_structure_is_a_bank_problem(tmp_path):
    from voiceprep.bank.questions import validate_bank

    path = tmp_path / "bank.toml"
    path.write_text('''[[questions]]
id = "q"
category = "c"
prompt = "p"
target_seconds = [1, 2]
reference = "r"
structure = "car"
key_points = [{id = "k", text = "t", phrases = ["x"]}]
''', encoding="utf-8")
    assert validate_bank(path) == ["bank.toml: question 'q': field 'structure' must be one of "
                                   "star, none"]


@pytest.mark.slow
def test_a_spoken_story_through_whisper(speak):
    """espeak-ng says the story, the real Whisper model hears it: every part is found in the
    transcript, and the result's number (heard as digits or words)."""
    from voiceprep.hearing.transcriber import TranscribeOptions, transcribe_file

    # ("As a result failures dropped by 80 percent" is heard by tiny.en as "And the remote
    # failures dropped, I hated percent": a result said plainly, as the figures are measured.)
    result = "In the end, the failures went down from twenty a week to two."
    transcript = transcribe_file(speak(" ".join([SITUATION, TASK, ACTION, result])),
                                 TranscribeOptions())
    star = find_star(transcript.words)
    assert star.missing == (), transcript.text
    assert star.result_quantified, transcript.text
    assert star.part("situation").start < star.part("result").start


def test_the_quantity_shown_is_the_one_the_result_ends_on():
    # As Whisper wrote a spoken story: "In the end" heard as "And the end", and a rise in the
    # situation that reads like a result ("went up from 3 % to 15 %").
    text = ("So, um, at my last job, our fraud detection model suddenly started blocking real "
            "customers. Over two weeks, the false positive rate went up from 3 % to 15 % and we "
            "had hundreds of complaints a day. My task was to stop the damage and find the "
            "cause. First I adjusted the threshold as a stopgap and I added monitoring. I "
            "retrained the model on recent data and we added drift detection with alerts. And "
            "the end false positives dropped to 4 % within a week.")
    words = [Word(w, i * 0.3, i * 0.3 + 0.2, 1.0) for i, w in enumerate(text.split())]
    star = find_star(words, by_meaning=False)
    assert star.result_quantified
    assert star.quantity == "4"
    assert star.quantity_at == words[text.split().index("4")].start


# A task said in words no opener knows, or with its opener misheard, read by its shape.
SHAPED_TASK = "We were going to have to ship a fix before the launch."


@pytest.mark.parametrize("by_meaning", [False, True])
def test_a_task_without_an_opener_is_read_by_its_shape(by_meaning):
    # A need ("have to") and a deadline ("before the"), between the scene and the first action.
    star = star_of(" ".join([SITUATION, SHAPED_TASK, ACTION, RESULT]), by_meaning)
    assert star.letters == "S-T-A-R"
    assert star.part("task").evidence == ("We were going to have …",)


def test_a_deadline_met_is_not_a_task():
    # The same shape, but the speaker says what was done: the outcome, not the task.
    star = star_of(" ".join([SITUATION, TASK, "Three days ahead of the deadline, we delivered "
                             "the fix and the launch went ahead."]))
    assert star.letters == "S-T-·-R"
    assert star.part("result").evidence == ("Three days ahead of the …",)


@pytest.mark.parametrize("heard", [
    "Our objective won a predictable release every two weeks.",  # "our objective was"
    "It was on meter keep the product working as the library fell behind.",  # "on me to"
])
def test_a_misheard_task_opener_still_reads_as_a_task(heard):
    star = star_of(" ".join([heard, ACTION, RESULT]))
    assert star.letters == "·-T-A-R"
    assert star.part("task").evidence == (" ".join(heard.split()[:5]) + " …",)


def test_a_scene_that_only_starts_like_a_task_opener_stays_the_scene():
    # "It was on a Monday" begins like "it was on me to", but not enough to be heard as it.
    star = star_of(" ".join(["It was on a Monday morning and our checkout went down.", ACTION,
                             RESULT]))
    assert star.letters == "S-·-A-R"


def test_a_task_with_a_time_limit_is_not_a_result():
    star = star_of(" ".join([SITUATION, "My job was to make it reliable within two weeks.",
                             ACTION]))
    assert star.letters == "S-T-A-·"


@pytest.mark.parametrize("task, evidence", [
    ("My manager asked me to make the nightly runs reliable.", "My manager asked"),
    ("I was told to make the nightly runs reliable.", "I was told to"),
    ("My lead pulls me aside and says, make the nightly runs reliable.", "My lead pulls"),
    ("The message from the directors was clear: make the runs reliable.",
     "The message from the directors was"),
    ("I'd been brought in to make the nightly runs reliable.", "I'd been brought in"),
    ("I had under a fortnight to make the nightly runs reliable.",
     "I had under a fortnight to"),
    ("Making the nightly runs reliable was down to me.",
     "Making the nightly runs reliable was down to me"),
    ("Making them reliable was basically my job that year.",
     "Making them reliable was basically my job"),
    # What the speaker owned or had to answer for, said in other words.
    ("What I owned was the test service, so the flakiness was mine to sort out.",
     ("What I owned was", "was mine to")),
    ("As the engineer who looks after it, I'm the one who has to make that happen.",
     "I'm the one who has to"),
    ("Getting the runs to pass was the whole point of my role.",
     "Getting the runs to pass was the whole point of my role"),
    ("Night shift reliability basically became my headache.", "became my headache"),
    # "I was" and "what" as Whisper mishears them in a flat synthetic voice.
    ("I want asked to make the nightly runs reliable.", "I want asked"),
    ("While we needed was someone to make the runs reliable.", "we needed was"),
    ("I took it on myself to make the nightly runs reliable.", "I took it on myself to"),
    ("I really wanted to understand why the nightly runs failed.", "I really wanted to"),
    ("The goal I set for my team was green nightly runs every day.",
     "The goal I set for my team was"),
    ("My team lead wanted that backlog of failures cleared.", "My team lead wanted"),
    ("Leona told me the failures had to come down.", "told me the failures had to"),
])

def test_a_task_given_as_an_order_or_a_time_limit(task, evidence):
    star = star_of(" ".join([SITUATION, task, ACTION, RESULT]))
    assert star.missing == ()
    assert star.part("task").evidence == (evidence if isinstance(evidence, tuple) else (evidence,))


def test_a_manager_wanting_to_do_something_is_not_the_speakers_task():
    star = star_of("A few months ago my manager wanted to launch a model that I thought was "
                   "not ready. So I ran an offline evaluation and showed him where it failed. "
                   "In the end we waited two weeks and launched a better model.")
    assert star.part("task").present is False


def test_this_was_at_sets_the_scene():
    star = star_of("This was at a distribution centre right before the holiday peak. "
                   + " ".join([ACTION, RESULT]))
    assert star.part("situation").evidence == ("This was at",)
    assert star.part("task").present is False


def test_an_opener_deep_in_a_sentence_does_not_outweigh_one_that_opens_a_sentence():
    # "we were just" (a scene) comes late in the second sentence: the first sentence stays the
    # task its opener says it is, rather than a scene told over two sentences.
    star = star_of("The message from the directors was pretty clear, sort out the hiring "
                   "before the graduate intake. I called the candidates, and mostly it was "
                   "that we were just too slow. So I set up a separate phone screen. Time to "
                   "offer came down from six weeks to about ten days.")
    assert star.part("task").evidence == ("The message from the directors was",)
    assert star.letters == "·-T-A-R"


@pytest.mark.parametrize("situation, evidence", [
    ("I volunteer with a food bank in my town and sessions kept running short.",
     "I volunteer with a"),
    ("I worked in the planning department and applications sat for months.",
     "I worked in the"),
    ("I was teaching English at a big school and my class read below their age.",
     "I was teaching English at a"),
    ("I was site manager on a mid-rise office build.", "I was site manager on a"),
    ("I won an account manager at a software company.", "I won an account manager at a"),
    ("I managed a mid-sized hardware store and stock kept going missing.",
     "I managed a mid-sized hardware store"),
])
def test_a_scene_told_by_where_the_speaker_worked(situation, evidence):
    star = star_of(" ".join([situation, TASK, ACTION, RESULT]))
    assert star.missing == ()
    assert star.part("situation").evidence == (evidence,)


def test_a_superior_who_wants_something_for_themselves_sets_no_task():
    star = star_of("A few months ago my manager wanted to launch a model early. " + ACTION
                   + " " + RESULT)
    assert star.missing == ("task",)
