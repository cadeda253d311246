"""Prep notes -> questions and answers, whatever the style the notes are written in."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notes_forms import NOTES_LINES
from voiceprep.bank.notes import parse_notes, question_text
from voiceprep.errors import NotesError

NOTES = Path(__file__).parent / "data" / "notes"
SEED_STYLE = """# Interview prep

## **Common questions**

### **1. Tell me about yourself.**

**Enhanced answer:**

"I'm a data engineer at Contoso.

**Journey:**
- Started as a backend developer
- Moved to data engineering"

---

### **2. Why should we hire you?**

**Result:**
I cut the batch window by 70%.

## **Final tips**

- Practise out loud
"""


def prompts(text: str) -> list[str]:
    return [q.prompt for q in parse_notes(text, "notes.md")]


@pytest.mark.parametrize("name, expected", [
    ("headings.md", ["Tell me about yourself.",
                     "Tell me about a time you disagreed with a colleague."]),
    ("numbered.md", ["Why do you want to work at [Company Name]?",
                     "How do you keep pipelines reliable?"]),
    ("bold.md", ["What is your biggest weakness?", "Why should we hire you?",
                 "Where do you see yourself in five years?"]),
    ("qa.txt", ["How do you handle pressure?", "Do you have any questions for us?"]),
    ("lines.txt", ["What was your biggest project?", "Why are you leaving?"]),
    # plain notes that never write "?": numbered lines with the answer under them
    ("plain.txt", ["Tell me about yourself.", "Why do you want this job",
                   "Describe a time you disagreed with your manager",
                   "What's your biggest weakness"]),
])
def test_every_style_of_question_is_found(name, expected):
    assert prompts((NOTES / name).read_text()) == expected


def test_an_answer_under_a_numbered_question_is_a_paragraph_not_one_list_item():
    """To Markdown, "1) Tell me about yourself." and the lines under it are one list item; the
    answer is cut into its sentences like any paragraph, each keeping its line."""
    first, _, story, weakness = parse_notes((NOTES / "plain.txt").read_text(), "plain.txt")
    assert [(u.line, u.text) for u in first.units] == [
        (4, "I'm a data analyst with 4 years in retail analytics."),
        (4, "I build dashboards in Tableau and write SQL every day."),
        (5, "Last year I automated the weekly sales report, which saved the team 6 hours a "
            "week.")]
    assert [u.text.split(" - ")[0] for u in story.units] == [
        "Situation", "Task", "Action", "Result"]
    assert [u.text for u in weakness.units] == [
        "I over-prepare.", "I now timebox research to one day."]


@pytest.mark.parametrize("text, asked", [
    ("## What motivates you\n\nHard problems.\n", ["What motivates you"]),
    # a heading that starts like a question but speaks to no one is a section of the answer
    ("## Q1: Tell me about a failure?\n\nI missed a deadline.\n\n## What I learned\n\n"
     "Buffers.\n", ["Tell me about a failure?"]),
])
def test_a_heading_that_asks_the_candidate_is_a_question_without_a_question_mark(text, asked):
    assert prompts(text) == asked


@pytest.mark.parametrize("text, asked, units", [
    # sections of an answer that say "you" stay sections
    ("## Q3: Why should we hire you?\n\n### What you bring\n\n- 6 years in the ICU\n\n"
     "### How you stand out\n\n- led the sepsis audit\n",
     ["Why should we hire you?"], ["6 years in the ICU", "led the sepsis audit"]),
    ("**Q1: Why us?**\n\n**Why you're a fit**\n\nMy ICU years.\n", ["Why us?"], ["My ICU years."]),
    # a heading beside a question, at its level, that asks
    ("## Tell me about a failure\n\nA late migration.\n\n## What motivates you\n\nHard problems.\n",
     ["Tell me about a failure", "What motivates you"], ["Hard problems."]),
    # an answer's steps and tips that say "you" are no questions
    ("Why do you want this job?\n\n1. Explain your reasoning with data\n2. Tell your manager early"
     "\n\n- Do your research\n\nWhen you're new, time management is the hard part.\n",
     ["Why do you want this job?"],
     ["Explain your reasoning with data", "Tell your manager early", "Do your research",
      "When you're new, time management is the hard part."]),
    # Q labels in list items are questions, also after the questions for them
    ("- Q: What questions do you have for us?\n  A: How is the team set up?\n"
     "- Q: Tell me about yourself.\n  A: I am a nurse.\n",
     ["What questions do you have for us?", "Tell me about yourself."], ["I am a nurse."]),
    # a table under the questions for them is the person's questions
    ("## Q2: Do you have any questions for us?\n\n| Question | Why I'd ask |\n|---|---|\n"
     "| How big is the team? | scope |\n",
     ["Do you have any questions for us?"], ["How big is the team?", "scope"]),
    ("Why us?\n\nYour growth.\n\nDo you have any questions for us?\n\n| Question | Why |\n"
     "|---|---|\n| How big is the team? | scope |\n",
     ["Why us?", "Do you have any questions for us?"], ["How big is the team?", "scope"]),
])
def test_what_says_you_but_asks_nothing_is_part_of_an_answer(text, asked, units):
    found = parse_notes(text)
    assert [q.prompt for q in found] == asked
    assert [u.text for u in found[-1].units] == units


def test_a_table_of_what_to_ask_is_no_table_of_questions_and_answers():
    text = ("Why are you leaving?\n\nI want streaming work.\n\n| Question to ask | Why |\n"
            "|---|---|\n| How big is the team | scope |\n")
    assert [q.prompt for q in parse_notes(text)] == ["Why are you leaving?"]


def test_a_line_that_speaks_to_no_one_is_no_question_in_plain_notes():
    text = "Why are you leaving?\n\nI want streaming work.\n\nWhat I would do first\n" \
           "Meet the team.\n"
    found = parse_notes(text)
    assert [q.prompt for q in found] == ["Why are you leaving?"]
    assert [u.text for u in found[0].units] == [
        "I want streaming work.", "What I would do first", "Meet the team."]


def test_the_questions_the_person_asks_back_are_their_answer_not_questions():
    text = ("1) Why do you want this job\nYour pricing work.\n\n"
            "2) What questions do you have for us?\n\n"
            "* how is the data team set up?\n"
            "* what's the biggest data problem you'd want me to fix first\n"
            "* what do you enjoy most about working here\n\n"
            "Tell me about a failure\nA late migration.\n")
    found = parse_notes(text)
    assert [q.prompt for q in found] == ["Why do you want this job",
                                         "What questions do you have for us?",
                                         "Tell me about a failure"]
    assert [u.text for u in found[1].units] == [
        "how is the data team set up?",
        "what's the biggest data problem you'd want me to fix first",
        "what do you enjoy most about working here"]


def test_a_title_numbered_next_after_a_question_is_the_next_question():
    """In plain notes "2. Why this hospital" does not ask in words, but it is numbered next in
    the list of questions; so is a question after the person's own questions."""
    text = ("1) Tell me about yourself.\nI'm a nurse with 6 years on a surgical ward.\n\n"
            "2) Why this hospital\nYour trauma centre.\n\n"
            "3) Biggest weakness\n   1. Took on too much.\n   2. Now I delegate.\n\n"
            "4) Any questions for us?\n- How are rotas set?\n\n"
            "5) Salary expectations\nThe band 6 range.\n")
    found = parse_notes(text)
    assert [q.prompt for q in found] == [
        "Tell me about yourself.", "Why this hospital", "Biggest weakness",
        "Any questions for us?", "Salary expectations"]
    assert [[u.text for u in q.units] for q in found[1:]] == [
        ["Your trauma centre."], ["Took on too much.", "Now I delegate."],
        ["How are rotas set?"], ["The band 6 range."]]
    # a heading numbered next is a section of the notes as much as a question: left to ask
    assert prompts("## 2. Why do you want this role?\n\nGrowth.\n\n## 3. Logistics and "
                   "reminders\n\n- bring ID\n") == ["Why do you want this role?"]


@pytest.mark.parametrize("text", [
    # a numbered step that says "I", or a sentence, or out of sequence, or the answer's first
    # line numbered on, stays in the answer
    "1. Tell me about a failure\n2. Missed a deadline, told my manager\n3. Buffers now\n",
    "1) Tell me about a failure\nMissed a deadline.\n\n2) I told my manager early\n",
    "1) Tell me about a failure\nMissed a deadline.\n\n2) Rebuilt the plan. Shipped in May.\n",
    "1) Tell me about a failure\nMissed a deadline.\n\n3) Buffers\n",
    "Tell me about a failure\n\n1. Missed a deadline\n2. Buffers\n",
])
def test_a_numbered_line_of_an_answer_is_no_next_question(text):
    assert prompts(text) == ["Tell me about a failure"]


def test_titles_laid_out_as_the_questions_are_the_next_questions():
    """Plain notes pasted from a word processor: titles at the margin over tab-indented lines
    ("o" bullets). A title laid out so after a question so laid out is the next question, even
    when it names no common one; a part of the notes ("Key numbers to remember") ends the
    answer before it, and after the person's own questions the titles are no more questions."""
    text = ("Interview, Thurs 9:30\n\nTell me about yourself\n\to 14 years in banking\n"
            "\to Team of 9\n\nKey numbers to remember\n\to NPS up from 38 to 61\n\n"
            "Managing an underperformer\n\to Spoke to her privately first\n\t\to Kept notes\n"
            "\nWhy a building society\n\to Owned by members\n\nQuestions to ask\n"
            "\to How is the branch measured?\n\nPrint the CV twice\n\to colour copies\n")
    found = parse_notes(text)
    assert [q.prompt for q in found] == ["Tell me about yourself", "Managing an underperformer",
                                         "Why a building society"]
    assert [[u.text for u in q.units] for q in found] == [
        ["14 years in banking", "Team of 9"], ["Spoke to her privately first", "Kept notes"],
        ["Owned by members"]]
    # lines laid out so under a question that asks with "?", or a sentence at the margin, stay
    # in the answer
    assert prompts("## Why us?\n\nOur values\n  matter to me\n") == ["Why us?"]
    assert prompts("Tell me about yourself\n\to 14 years in banking\n\nI led a team\n"
                   "\to of 9\n") == ["Tell me about yourself"]


def test_items_at_the_questions_depth_of_an_outline_are_the_next_questions():
    """An outline whose questions are list items with their answers nested under them: an item
    at the questions' depth is the next question, answered or not; an outline that has nested
    no answer yet, or a list with the answer's lines beside its question, has no such place."""
    text = ("- Why do you want to be a team leader\n  - 4 years at DC1\n"
            "- KPIs you've worked with\n  - pick rate, target 100\n"
            "- Conflict between two team members\n- Where do you see yourself in 5 years\n"
            "  - shift manager\n- Qs for them\n  - how many on the team?\n- Print CV\n")
    found = parse_notes(text)
    assert [q.prompt for q in found] == [
        "Why do you want to be a team leader", "KPIs you've worked with",
        "Conflict between two team members", "Where do you see yourself in 5 years"]
    assert [[u.text for u in q.units] for q in found] == [
        ["4 years at DC1"], ["pick rate, target 100"], [], ["shift manager"]]
    assert prompts("- Tell me about yourself\n- 10 years in retail\n- Team of 9\n") == [
        "Tell me about yourself"]


@pytest.mark.parametrize("text, asked", [
    # headings beside each other that mostly name questions: the rest up to the last of them
    # too, not a heading over questions of its own nor one under a part of the notes
    ("## Company research\n- 50bn deposits\n\n## Behavioural\n\n### Intro / elevator pitch\n"
     "- 9 years backend\n\n### Mentoring\n- 3 juniors\n\n### Biggest technical achievement\n"
     "- peak 11k orders/min\n\n### Why Raisin\n- regulated fintech\n\n## My questions\n"
     "- How is on-call organised?\n",
     [("Intro / elevator pitch", ["9 years backend"]), ("Mentoring", ["3 juniors"]),
      ("Biggest technical achievement", ["peak 11k orders/min"]),
      ("Why Raisin", ["regulated fintech"])]),
    ("## About me\n\n**Question 1 — Tell me about yourself**\n\nTen years.\n\n## Leadership\n\n"
     "**Question 2 — Why lead?**\n\nTo grow people.\n",
     [("Tell me about yourself", ["Ten years."]), ("Why lead?", ["To grow people."])]),
    # an outline's items, two of them naming common questions over answers nested under them
    ("prep:\n- why trader joe's\n  - promotes from within\n- my leadership style\n"
     "  - lead from the floor\n- dealing with an underperformer\n  - sat down with him\n"
     "- pay\n  - $19.50 now\n\nquestions for them:\n- how long to captain?\n",
     [("why trader joe's", ["promotes from within"]),
      ("my leadership style", ["lead from the floor"]),
      ("dealing with an underperformer", ["sat down with him"]), ("pay", ["$19.50 now"])]),
    # a topic over questions of its own is no question
    ("- Leadership\n  - How do you motivate a team?\n    - one to ones\n"
     "- Employee relations\n  - How do you handle a grievance?\n    - by the policy\n",
     [("How do you motivate a team?", ["one to ones"]),
      ("How do you handle a grievance?", ["by the policy"])]),
    # lines in bold right under a question title parts of its answer, so do the ones after them
    ("**Tell me about yourself**\n\nSix years in consulting.\n\n"
     "**Describe a time you dealt with a difficult stakeholder**\n\n**The short version**\n\n"
     "The CFO would not sign off.\n\n**What I did**\n\nBooked a 1:1 that week.\n\n**Why Deloitte?**"
     "\n\nThe practice is bigger.\n",
     [("Tell me about yourself", ["Six years in consulting."]),
      ("Describe a time you dealt with a difficult stakeholder",
       ["The CFO would not sign off.", "Booked a 1:1 that week."]),
      ("Why Deloitte?", ["The practice is bigger."])]),
    # a reminder in bold is no question
    ("**Tell me about yourself**\n\nTwo years in marketing.\n\n**Keep it under 2 minutes**\n\n"
     "**Biggest weakness**\n\nSaying yes.\n",
     [("Tell me about yourself", ["Two years in marketing."]),
      ("Biggest weakness", ["Saying yes."])]),
    # flat lines under an outline's question without nested answers stay its answer
    ("- Tell me about yourself\n  - 3 yrs at Deliveroo\n- Tell me about a time you used data\n"
     "  - the test was underpowered\n- Why Monzo?\n- I use it since 2018\n"
     "- want to be closer to product\n- What's your biggest weakness?\n  - I go too deep\n",
     [("Tell me about yourself", ["3 yrs at Deliveroo"]),
      ("Tell me about a time you used data", ["the test was underpowered"]),
      ("Why Monzo?", ["I use it since 2018", "want to be closer to product"]),
      ("What's your biggest weakness?", ["I go too deep"])]),
    # "Key facts:" inside an answer under a heading is a line of it
    ("## Why Network Rail?\n\nKey facts:\n- 20,000 miles of track\n\nI want to work on assets "
     "people use.\n\n## Biggest weakness\n\nDelegating.\n",
     [("Why Network Rail?", ["Key facts:", "20,000 miles of track",
                             "I want to work on assets people use."]),
      ("Biggest weakness", ["Delegating."])]),
    # titles over their paragraphs, three and half of them naming common questions; the
    # notes' heading before them, and a title after the last, are no questions
    ("Discovery interview prep\nSunday, 09 June\n\nIntroduce yourself\nCA(SA), qualified 2020."
     "\n\nMonth-end close process\nWe close on day 5.\n\nA mistake you made\nA wrong cost "
     "centre.\n\nWhy Discovery\nVitality.\n\nFollow up with recruiter\nBy Friday.\n",
     [("Introduce yourself", ["CA(SA), qualified 2020."]),
      ("Month-end close process", ["We close on day 5."]),
      ("A mistake you made", ["A wrong cost centre."]),
      ("Why Discovery", ["Vitality.", "Follow up with recruiter By Friday."])]),
    # a question and its answer after an arrow, the question asked in the writer's words; a
    # table numbered in its first column
    ("Present yourself? -> I studied Tourism in Sevilla.\nWhy you want work in Barcelo? -> "
     "A bigger hotel.\n",
     [("Present yourself?", ["I studied Tourism in Sevilla."]),
      ("Why you want work in Barcelo?", ["A bigger hotel."])]),
    ("| # | Question | Answer |\n|---|---|---|\n| 1 | Tell me about yourself | 8 years at ZF. |\n"
     "| 2 | Why ZF? | Chassis work. |\n",
     [("Tell me about yourself", ["8 years at ZF."]), ("Why ZF?", ["Chassis work."])]),
    # headings under a question heading are its answer's parts, and headings over questions in
    # bold are topics
    ("## Tell me about yourself\n\n### Background\n\nPsychology MSc.\n\n### Current role\n\n"
     "Researcher at Gousto.\n\n### Why this role\n\nA team of researchers.\n\n"
     "## Tell me about a study that changed a decision\n\nA diary study.\n",
     [("Tell me about yourself", ["Psychology MSc.", "Researcher at Gousto.",
                                  "A team of researchers."]),
      ("Tell me about a study that changed a decision", ["A diary study."])]),
    ("## Leadership\n\n**Leading a team through change**\nDrop-in sessions.\n\n"
     "**Managing an underperformer**\nAn action plan.\n\n## Teamwork\n\n"
     "**Conflict with a colleague**\nA checklist.\n",
     [("Leading a team through change", ["Drop-in sessions."]),
      ("Managing an underperformer", ["An action plan."]),
      ("Conflict with a colleague", ["A checklist."])]),
    # parts of a story in bold after its first paragraph, titles over a story's paragraphs,
    # a folded block inside an answer
    ("**Tell me about yourself**\n\nFour years in support.\n\n**Tell me about a time you saved "
     "an account**\n\nA customer was leaving.\n\n**How I turned it around**\n\nWeekly calls."
     "\n\n**Why Intercom?**\n\nFin.\n",
     [("Tell me about yourself", ["Four years in support."]),
      ("Tell me about a time you saved an account", ["A customer was leaving.",
                                                     "Weekly calls."]),
      ("Why Intercom?", ["Fin."])]),
    ("Tell me about yourself\nQualified ACA.\n\nWhy Kingfisher\nB&Q.\n\n"
     "Describe a time you influenced a senior stakeholder\nThe director wanted more stores.\n\n"
     "My analysis\nA model of 40 stores.\n\nBiggest weakness\nDetail.\n",
     [("Tell me about yourself", ["Qualified ACA."]), ("Why Kingfisher", ["B&Q."]),
      ("Describe a time you influenced a senior stakeholder",
       ["The director wanted more stores.", "My analysis", "A model of 40 stores."]),
      ("Biggest weakness", ["Detail."])]),
    ("**Q1. Tell me about yourself**\n\nPM at Trainline.\n\n<details>\n<summary>Longer version"
     "</summary>\n\nA data analyst before.\n\n</details>\n\n**Q2. Why Notion?**\n\nThe AI.\n",
     [("Tell me about yourself", ["PM at Trainline.", "A data analyst before."]),
      ("Why Notion?", ["The AI."])]),
    # an answer after a dash that starts like advice; "Q4" in an answer; the person's own
    # questions under "Questions I want to ask"
    ("Why leave? — contract ends\n\nWhat are your salary expectations? — aim for 32-34k\n",
     [("Why leave?", ["contract ends"]),
      ("What are your salary expectations?", ["aim for 32-34k"])]),
    ("## How do you handle a missed quota?\n\n- Q4 pipeline was thin\n- I rebuilt it\n\n"
     "**Questions I want to ask**\n\n- How is the team split?\n",
     [("How do you handle a missed quota?", ["Q4 pipeline was thin", "I rebuilt it"])]),
    # "Q2" before a title labels it; "Q4 is" opens a sentence
    ("Q1 Tell me about yourself\nThree years at Next.\n\nQ2 Reasons for applying\nA career.\n\n"
     "Q3 Biggest weakness\nComplaints. Q4 is peak for us.\n",
     [("Tell me about yourself", ["Three years at Next."]), ("Reasons for applying", ["A career."]),
      ("Biggest weakness", ["Complaints.", "Q4 is peak for us."])]),
    # a third review's cases: long "Q2" titles and ones in small letters that ask
    ("Q1 Tell me about yourself\nCivil engineering.\n\nQ2 Motivation for applying to the scheme "
     "and why the rail industry in particular\nThe big spend.\n\nQ4 in your own words, what does "
     "safety mean to you\nNobody goes home hurt.\n",
     [("Tell me about yourself", ["Civil engineering."]),
      ("Motivation for applying to the scheme and why the rail industry in particular",
       ["The big spend."]),
      ("in your own words, what does safety mean to you", ["Nobody goes home hurt."])]),
    # labels in bold after an answer's first paragraph where the questions ask; lines in bold
    # under a question's heading; research in bold
    ("**Tell me about yourself**\n\nPharmacist, 5 years.\n\n**Tell me about a time you handled a "
     "complaint**\n\nA lost prescription.\n\n**Backup example**\nThe flu clinic.\n\n**If they push "
     "back**\nA tracker.\n\n**Why Well Pharmacy?**\n\nClinical services.\n",
     [("Tell me about yourself", ["Pharmacist, 5 years."]),
      ("Tell me about a time you handled a complaint",
       ["A lost prescription.", "The flu clinic.", "A tracker."]),
      ("Why Well Pharmacy?", ["Clinical services."])]),
    ("## What are your strengths?\n\nThree.\n\n**Leadership**\nI run the nights.\n\n**Teamwork**\n"
     "Swaps.\n\n## Why us?\n\nPromotion.\n\n## Company research\n\n**Leadership**\nCEO Jane Doe.\n"
     "\n**Challenges**\nMargins.\n",
     [("What are your strengths?", ["Three.", "I run the nights.", "Swaps."]),
      ("Why us?", ["Promotion."])]),
    # parts of an answer titled like parts of the notes; "Introduce yourself" as a step
    ("**Tell me about yourself**\n\nMidwife.\n\n**Why this trust?**\n\nContinuity.\n\n"
     "**Their values**\nCompassion.\n\n**Biggest weakness**\n\nDelegating.\n",
     [("Tell me about yourself", ["Midwife."]),
      ("Why this trust?", ["Continuity.", "Compassion."]),
      ("Biggest weakness", ["Delegating."])]),
    ("## Tell me about yourself\n\nTen years.\n\n### Points to mention\n\n- the award\n\n"
     "## How do you start a patient assessment?\n\n- Introduce yourself and check their ID band\n"
     "- Then obs\n",
     [("Tell me about yourself", ["Ten years.", "the award"]),
      ("How do you start a patient assessment?",
       ["Introduce yourself and check their ID band", "Then obs"])]),
    ("Why should we hire you\nTwo reasons.\n\nLeadership\nI ran the night shift.\n\nTeamwork\n"
     "I cover for others.\n\nWhy us\nThe training.\n",
     [("Why should we hire you", ["Two reasons.", "Leadership", "I ran the night shift.",
                                  "Teamwork", "I cover for others."]),
      ("Why us", ["The training."])]),
    # an answer after a dash in small letters; research headings between questions
    ("What motivates you? — keep patients safe and learn\n\nWhy this ward? — the team\n",
     [("What motivates you?", ["keep patients safe and learn"]),
      ("Why this ward?", ["the team"])]),
    ("## Tell me about yourself\n\nNurse.\n\n## Recent news\n\nA new wing.\n\n## Why this trust?\n"
     "\nTeaching.\n\n## Competitors\n\nThe private clinic.\n\n## Biggest weakness\n\nDelegating.\n",
     [("Tell me about yourself", ["Nurse."]), ("Why this trust?", ["Teaching."]),
      ("Biggest weakness", ["Delegating."])]),
    # folded blocks with no blank lines; an empty heading
    ("<details>\n<summary>What is the virtual DOM?</summary>\nA copy in memory.\n</details>\n\n"
     "<details>\n<summary>Why React?</summary>\nThe hiring pool.\n</details>\n",
     [("What is the virtual DOM?", ["A copy in memory."]), ("Why React?", ["The hiring pool."])]),
    ("## Why us?\n\nI like it.\n\n### \n\nMore.\n", [("Why us?", ["I like it.", "More."])]),
    # a fourth review's cases: "Q" labels over titles in small letters, over questions that
    # open with "Have you", "(STAR)"
    ("Q1 tell me about yourself\n2 yrs at costa\n\nQ2 Have you ever managed a team?\nYes, a shift."
     "\n\nQ3 (STAR) Tell me about a time you failed\nA late order.\n",
     [("tell me about yourself", ["2 yrs at costa"]),
      ("Have you ever managed a team?", ["Yes, a shift."]),
      ("(STAR) Tell me about a time you failed", ["A late order."])]),
    # parts of a story in bold laid out as its question; parts of an answer on strengths
    ("**Tell me about yourself**\n\nEvents coordinator.\n\n**Tell me about a time you failed**\n\n"
     "The wrong venue date.\n\n**What went wrong**\n\nI trusted an email.\n\n**Solution**\n\n"
     "A hotel nearby.\n\n**Why this company?**\n\nFestivals.\n",
     [("Tell me about yourself", ["Events coordinator."]),
      ("Tell me about a time you failed", ["The wrong venue date.", "I trusted an email.",
                                           "A hotel nearby."]),
      ("Why this company?", ["Festivals."])]),
    ("Tell me about yourself\nAn analyst at Aviva.\n\nStrengths\nThree things.\n\nCommunication\n"
     "I run the variance call.\n\nAttention to detail\nReconciliation checks.\n\nBiggest weakness\n"
     "Saying yes.\n\nWhy this company\nYour FP&A team.\n",
     [("Tell me about yourself", ["An analyst at Aviva."]),
      ("Strengths", ["Three things.", "Communication", "I run the variance call.",
                     "Attention to detail", "Reconciliation checks."]),
      ("Biggest weakness", ["Saying yes."]), ("Why this company", ["Your FP&A team."])]),
    # an answer's second paragraph typed on a phone; "Points to mention:" in an answer
    ("tell me about yourself\ndept manager at sainsburys\n\nwhy tesco\ncloser to home\n\n"
     "biggest weakness\ndelegating\n\nmy deputy does it now\nand I check it on fridays\n\n"
     "where in 5 years\narea manager\n",
     [("tell me about yourself", ["dept manager at sainsburys"]),
      ("why tesco", ["closer to home"]),
      ("biggest weakness", ["delegating", "my deputy does it now and I check it on fridays"]),
      ("where in 5 years", ["area manager"])]),
    ("**Tell me about yourself**\n\nNight supervisor.\n\n**Tell me about a time you led a change**"
     "\n\nNew scanners.\n\nPoints to mention:\n- error rate down 40%\n\n**Why Amazon?**\n\n"
     "A bigger site.\n",
     [("Tell me about yourself", ["Night supervisor."]),
      ("Tell me about a time you led a change", ["New scanners.", "Points to mention:",
                                                 "error rate down 40%"]),
      ("Why Amazon?", ["A bigger site."])]),
    # research between question headings; one "Front:" and "Back:" in an answer; steps in bold
    # under a question's heading
    ("## Tell me about yourself\n\nOps analyst.\n\n## Company values\n\nBold, fast.\n\n## Why "
     "Deliveroo?\n\nRider pay.\n\n## Interview format\n\nTwo rounds.\n\n## Biggest weakness\n\n"
     "Public speaking.\n",
     [("Tell me about yourself", ["Ops analyst."]), ("Why Deliveroo?", ["Rider pay."]),
      ("Biggest weakness", ["Public speaking."])]),
    ("## Walk me through your current stack\n\nFront: React with TypeScript.\nBack: Node and "
     "Postgres.\n\n## How would you onboard a new team member?\n\n**Introduce them to a buddy**\n"
     "\n**Design a 30-60-90 plan**\n\nClear goals.\n",
     [("Walk me through your current stack", ["Front: React with TypeScript.",
                                              "Back: Node and Postgres."]),
      ("How would you onboard a new team member?", ["Clear goals."])]),
    # folded blocks one after another on their lines
    ("<details><summary>Tell me about yourself</summary>Frontend engineer.</details>\n"
     "<details><summary>Explain the event loop</summary>The call stack runs.</details>\n",
     [("Tell me about yourself", ["Frontend engineer."]),
      ("Explain the event loop", ["The call stack runs."])]),
])
def test_titles_laid_out_alike_and_what_is_not_one(text, asked):
    """Layouts of titles told from the lines of an answer laid out the same way."""
    found = parse_notes(text)
    assert [(q.prompt, [u.text for u in q.units]) for q in found] == asked


@pytest.mark.parametrize("text, asked", [
    # titles ending with a colon over indented lines, the first naming a common question; parts
    # of the notes so laid out end the answer before them
    ("About me:\n   12 yrs in mining.\n\nDisagreeing with a supervisor:\n   Stopped the job.\n\n"
     "Site numbers (look up before):\n   TRIFR ~ 4?\n\nWhy BHP:\n   Biggest operator.\n\n"
     "To ask:\n   How many advisors per shift?\n",
     [("About me", ["12 yrs in mining."]), ("Disagreeing with a supervisor", ["Stopped the job."]),
      ("Why BHP", ["Biggest operator."])]),
    ("Tell Me About Yourself\n    I teach 8th grade maths.\n\nStuff To Look Up Before\n"
     "    Their test scores.\n\nUsing Data\n    Weekly exit tickets.\n",
     [("Tell Me About Yourself", ["I teach 8th grade maths."]),
      ("Using Data", ["Weekly exit tickets."])]),
    # lines in bold on their own, in notes whose questions are such lines, up to the person's
    # own questions; a part of the notes in bold ends the answer before it
    ("**Tell me about yourself**\n\nEight years in support.\n\n**Handling pressure**\n\n"
     "I list what I'll drop.\n\n**Company research**\n\n- 250K customers\n\n"
     "**Metrics I care about**\n\nNet revenue retention.\n\n**Questions for them**\n\n"
     "1. How are books split?\n\n*Send thank-you email same day*\n",
     [("Tell me about yourself", ["Eight years in support."]),
      ("Handling pressure", ["I list what I'll drop."]),
      ("Metrics I care about", ["Net revenue retention."])]),
    # an outline's title that says "I" after its first word, and the to-dos after its questions
    ("- Tell me about yourself\n    - 5.5 yrs at Delhivery\n- Tools I've used\n    - Spark, Kafka\n"
     "- Salary expectation\n    - 38 LPA\n- Print resume\n- Ask Rohit about the team\n",
     [("Tell me about yourself", ["5.5 yrs at Delhivery"]), ("Tools I've used", ["Spark, Kafka"]),
      ("Salary expectation", ["38 LPA"])]),
    # a question in capitals after one in capitals, the answer under it
    ("TELL ME ABOUT YOURSELF\nNights manager, 9 years.\n\nWHY OCADO?\nThe most automated "
     "warehouses.\nAlso 25 mins from home.\n",
     [("TELL ME ABOUT YOURSELF", ["Nights manager, 9 years."]),
      ("WHY OCADO?", ["The most automated warehouses.", "Also 25 mins from home."])]),
    # flashcards: "Front:" asks, "Back:" answers, "Tags:" ends the card
    ("Front: Explain the event loop.\nBack: One thread, one call stack.\nTags: js fundamentals\n\n"
     "Front: Why Talkdesk?\nBack: UI speed matters there.\nTags: motivation\n\n"
     "--- perguntas ---\n- Relocation support\n",
     [("Explain the event loop.", ["One thread, one call stack."]),
      ("Why Talkdesk?", ["UI speed matters there."])]),
    # a folded block's summary is a title over what it folds
    ("## Behavioural\n\n<details>\n<summary><strong>Company notes</strong></summary>\n\n"
     "- 10M customers\n\n</details>\n\n<details>\n<summary>Tell me about yourself</summary>\n\n"
     "- 11 years in SRE\n\n</details>\n\n<details>\n<summary>Why Monzo?</summary>\n\n"
     "A customer since 2017.\n\n</details>\n",
     [("Tell me about yourself", ["11 years in SRE"]), ("Why Monzo?", ["A customer since 2017."])]),
    # "Q4" opening a line of an answer is a quarter, not a question's label
    ("**Tell me about yourself**\n\nQ4 last year two accounts were at risk.\n\n"
     "Q5 Why do you want this job?\nGrowth.\n",
     [("Tell me about yourself", ["Q4 last year two accounts were at risk."]),
      ("Why do you want this job?", ["Growth."])]),
    ("Introduce yourself\nCA(SA), qualified 2020.\n\nWhy Discovery\nTheir Vitality model.\n",
     [("Introduce yourself", ["CA(SA), qualified 2020."]),
      ("Why Discovery", ["Their Vitality model."])]),
])
def test_titles_in_more_layouts(text, asked):
    """Notes whose questions are titles laid out one way, each over its answer."""
    found = parse_notes(text)
    assert [(q.prompt, [u.text for u in q.units]) for q in found] == asked


def test_a_spreadsheet_saved_as_csv_is_a_table_of_questions():
    """Semicolons or commas, a title and a date above the header, a number and a status beside
    the question and its answer, an answer on several lines of a quoted cell: each question
    keeps the line of the file its row starts on; a title with no answer ends the questions."""
    text = ("Personio, 2. Runde;;;\n;;;\nNr;Question;Answer;Status\n"
            '1;Why Personio?;"HR software for SMEs; 14,000 customers.\nI know the product.";ok\n'
            "2;What does success look like in 90 days?;;offen\n;;;\n;Meine Fragen;;\n"
            ";How is the bonus tied to NRR?;;\n")
    found = parse_notes(text, "prep.csv")
    assert [(q.prompt, q.line, [(u.text, u.line) for u in q.units]) for q in found] == [
        ("Why Personio?", 4, [("HR software for SMEs; 14,000 customers.", 4),
                              ("I know the product.", 4)]),
        ("What does success look like in 90 days?", 6, [])]
    assert [q.prompt for q in parse_notes('Question,My answer\n"Why us?","I use it, daily."\n',
                                          "a.csv")] == ["Why us?"]
    with pytest.raises(NotesError, match="no column headed 'Question'"):
        parse_notes("a,b\n1,2\n", "x.csv")
    # a row not answered yet among answered ones is a question; a title row above the header,
    # a notes column and commas not quoted are no part of an answer; "Frage / Question"
    sheet = ("Interview Questions\nQuestion,Notes,Answer\nWhy us?,check,I like people, and pay\n"
             "Biggest weakness,,\nWhy now?,,Growth\n")
    assert [(q.prompt, q.line, [u.text for u in q.units]) for q in parse_notes(sheet, "s.csv")] == [
        ("Why us?", 3, ["I like people, and pay"]), ("Biggest weakness", 4, []),
        ("Why now?", 5, ["Growth"])]
    assert [q.prompt for q in parse_notes("Frage / Question;Key points;Example / STAR\n"
                                          "Why us?;pay;the rota\n", "d.csv")] == ["Why us?"]
    # a story's parts in columns of their own; a tab-separated file whose cells hold quotes
    (story,) = parse_notes("Competency,Question,Situation,Result\nTeamwork,Tell me about a team,"
                           "A group project,We got a first\n", "star.csv")
    assert [u.text for u in story.units] == ["Situation: A group project", "Result: We got a first"]
    (tsv,) = parse_notes('Question\tAnswer\nWhy here?\tA "teaching" hospital, and close\n', "q.tsv")
    assert [u.text for u in tsv.units] == ['A "teaching" hospital, and close']
    # an answer over rows with no question; only a notes column; "Behavioural question"; a
    # quote that never closes
    assert [(q.prompt, [u.text for u in q.units]) for q in parse_notes(
        "Question,Answer\nWhy this trust?,Outstanding CQC.\n,The preceptorship.\n", "c.csv")] == [
        ("Why this trust?", ["Outstanding CQC.", "The preceptorship."])]
    assert [(q.prompt, [u.text for u in q.units]) for q in parse_notes(
        "Behavioural question,Notes\nWhy this trust?,CQC outstanding\n", "n.csv")] == [
        ("Why this trust?", ["CQC outstanding"])]
    assert [q.prompt for q in parse_notes(
        "Category,Question,Answer\nCloud,Why AWS?,Scale.\nMy questions,How big is the team?,\n",
        "m.csv")] == ["Why AWS?"]
    with pytest.raises(NotesError, match="cannot be read as a spreadsheet"):
        parse_notes('Question,Answer\nWhy?,"' + "x" * 200_000 + "\n", "long.csv")


def test_the_seed_style_bold_numbered_headings_and_their_sections():
    found = parse_notes(SEED_STYLE, "seed.md")
    assert [q.prompt for q in found] == ["Tell me about yourself.", "Why should we hire you?"]
    first, second = found
    # The quotes around the answer and the markup are gone; each unit keeps its line.
    assert [(u.line, u.label, u.text) for u in first.units] == [
        (9, "Enhanced answer", "I'm a data engineer at Contoso."),
        (12, "Journey", "Started as a backend developer"),
        (13, "Journey", "Moved to data engineering"),
    ]
    # A heading at the question's level ends its answer: the tips are no part of it.
    assert [u.text for u in second.units] == ["I cut the batch window by 70%."]
    assert second.units[0].label == "Result"
    assert second.reference == "Result:\nI cut the batch window by 70%."


def test_a_paragraph_is_cut_into_sentences_that_keep_the_line_they_start_on():
    text = ("## Q1: Tell me about yourself?\n\nFirst claim here, about the analytics platform I "
            "built. Second claim\nruns on. Third.\n")
    units = parse_notes(text)[0].units
    assert [(u.line, u.text) for u in units] == [
        (3, "First claim here, about the analytics platform I built."),
        (3, "Second claim runs on."), (4, "Third.")]


def test_placeholders_are_reported_and_a_checklist_box_is_not_one():
    text = ("## Q1: Why us?\n\nI admire [Company Name] and [mention specific: a product].\n"
            "- [ ] check the team page\n")
    question = parse_notes(text)[0]
    assert question.placeholders == ("[Company Name]", "[mention specific: a product]")
    assert question.units[-1].text == "check the team page"


def test_a_question_in_bold_opens_its_answer_on_its_line():
    """"**Why this school?** I've followed ..." asks, its answer after it; a paragraph opening
    with another label in bold ends it ("**Salary:**"), a story's part does not ("**Result:**").
    Under a question written otherwise, a question in bold is a part of its answer."""
    text = ("Interview day notes.\n\n**Lesson observation:** Year 9, rates of reaction.\n\n"
            "**Why this school?** I've followed it since my placement. Results are strong.\n\n"
            "**Tell us about a lesson that went well.** Electrolysis with Year 10.\n\n"
            "**Result:** 24 of 27 got the half equations right.\n\n"
            "**Salary:** currently on M5, ask HR.\n\n"
            "**Where do you see yourself in five years?** Leading KS4 science.\n\n"
            "Things to remember on the day\n\n- Lanyard and ID\n")
    assert [(q.prompt, [u.text for u in q.units]) for q in parse_notes(text)] == [
        ("Why this school?", ["I've followed it since my placement.", "Results are strong."]),
        ("Tell us about a lesson that went well.",
         ["Electrolysis with Year 10.", "Result: 24 of 27 got the half equations right."]),
        ("Where do you see yourself in five years?", ["Leading KS4 science."])]
    story = ("## Tell me about a failure?\n\nThe launch slipped by a month.\n\n"
             "**What did I learn?** To check the vendor's dates myself.\n")
    (failure,) = parse_notes(story)
    assert [u.text for u in failure.units][-1].endswith("check the vendor's dates myself.")
    notes = ("# Interview prep\n\n**Founded?** 2011 in Manchester.\n\n"
             "**Talk about the Greene King campaign.** It has the numbers.\n\n"
             "**Describe a project you led.** The Intercom migration.\n\n"
             "**So what did I change?** A Monday check-in.\n\n"
             "**Key strength:** I stay calm.\n\n**Salary:** ask for 33k.\n")
    assert [(q.prompt, q.reference) for q in parse_notes(notes)] == [
        ("Describe a project you led.", "The Intercom migration.\n"
         "So what did I change? A Monday check-in.\nKey strength: I stay calm.")]
    firm = ("**Why this firm?** The real estate finance team.\n\n"
            "*Note to self: check Tom is still in the Leeds office?*\n\n"
            "**Describe a commercial issue affecting our clients.** Rising interest rates.\n")
    assert [(q.prompt, q.reference) for q in parse_notes(firm)] == [
        ("Why this firm?", "The real estate finance team."),
        ("Describe a commercial issue affecting our clients.", "Rising interest rates.")]
    aside = ("## Notes from the recruiter call\n\n**Do you need a car?** Yes, I drive.\n\n"
             "## Why this company?\n\nThe training.\n")
    assert [q.prompt for q in parse_notes(aside)] == ["Why this company?"]


def test_notes_on_how_to_say_it_are_not_said():
    """A reminder on how to say it, a note on the answer's length, a reviewer's comment, a page
    footer and its running header, and a title with nothing under it yet are left out of the
    answer; a claim that looks like them is not ("Remember: if it isn't documented...", "(30
    seconds faster per order)"). "Ans-" alone opens an answer not yet written."""
    text = ("Q1) Why you want to join us\nAns- Because it is a major trauma centre.\n"
            "=> (too long!! practise with timer, max 2 min)\n\n"
            "Q2) Give example when you make mistake\nAns-\n\n"
            "Q3) What advice would you give a new starter?\n"
            "Remember: if it isn't documented, it didn't happen.\n"
            "Remember: say \"we\" but be clear what I did.\n"
            "    [Comment from Sam: make this shorter]\n\n"
            "H&V prep – P. Raman          Page 1 of 3\n\nH&V LLP – Job ref 117\n\n"
            "Q4) How did you speed up the packing line?\n"
            "Ans- New scanners (30 seconds faster per order).\n*(60-90 seconds max)*\n"
            "Example:\n\nH&V prep – P. Raman          Page 2 of 3\n\nH&V LLP – Job ref 117\n")
    found = parse_notes(text)
    assert [(q.prompt, q.reference) for q in found] == [
        ("Why you want to join us", "Because it is a major trauma centre."),
        ("Give example when you make mistake", ""),
        ("What advice would you give a new starter?",
         "Remember: if it isn't documented, it didn't happen."),
        ("How did you speed up the packing line?",
         "New scanners (30 seconds faster per order).")]
    assert all(not q.placeholders for q in found)


def test_a_scenario_set_by_the_interviewer_is_its_question():
    """"Scenario: ... What do you do?" asks, and so does the paragraph under a heading that
    titles a scenario, its sentences the question, quoted and wrapped too; "Questions to ask:
    staffing? training?" in a checklist is the person's own."""
    text = ("Scenario: A relative is shouting at the desk. The ward is short-staffed. What do "
            "you do?\nStay calm and listen.\n\nWhy do you want this job?\nI love it.\n")
    assert [(q.prompt, q.reference) for q in parse_notes(text)] == [
        ("A relative is shouting at the desk. The ward is short-staffed. What do you do?",
         "Stay calm and listen."), ("Why do you want this job?", "I love it.")]
    text = ("## Why policing?\n\nBecause I grew up here.\n\n### Scenario C (from the pack)\n\n"
            "> You find a lost child. The parents are nowhere. What\n> do you do first?\n\n"
            "My answer:\n\nKeep the child safe and call security.\n")
    assert [(q.prompt, q.reference) for q in parse_notes(text)] == [
        ("Why policing?", "Because I grew up here."),
        ("You find a lost child. The parents are nowhere. What do you do first?",
         "Keep the child safe and call security.")]
    text = ("> Why do you want to work in libraries?\n\nI love reading.\n\n"
            "> What would you do if a customer became angry about a fine for a book they say\n"
            "> they returned?\n\nListen first.\n\n- [ ] Questions to ask: staffing? training?\n")
    assert [q.prompt for q in parse_notes(text)] == [
        "Why do you want to work in libraries?",
        "What would you do if a customer became angry about a fine for a book they say they "
        "returned?"]


def test_what_looks_like_a_note_but_is_said_stays():
    """Advice, a time limit in a step, a quoted comment and a question the person asks others
    are lines of the answer; a story under "### Scenario (from my placement)" is no question,
    and an unsure answer under a question is not the question going on."""
    text = ("## What advice would you give a new starter?\n\n"
            "Remember: speak up if you're unsure about a dose.\n"
            "Reminder: pause after each number.\n"
            "In a fire drill, leave at once (3 mins max – don't stop for bags or coats).\n"
            "A parent wrote [comment from a parent: \"the first year he's wanted to go\"].\n\n"
            "### Scenario (from my placement)\n\n"
            "A dad shouted at reception. He kept saying: what would you do if it was your son?\n\n"
            "## How do you run one-to-ones?\n\n"
            "**What do you want to get better at?** is the first thing I ask.\n\n"
            "**Explain, don't defend.** I walk them through the numbers.\n")
    found = parse_notes(text)
    assert [q.prompt for q in found] == ["What advice would you give a new starter?",
                                         "How do you run one-to-ones?"]
    assert "Remember: speak up" in found[0].reference
    assert "Reminder: pause after each number." in found[0].reference
    assert "(3 mins max – don't stop for bags or coats)" in found[0].reference
    assert "comment from a parent" in found[0].reference
    assert "He kept saying" in found[0].reference
    assert found[1].reference.startswith("What do you want to get better at? is the first")
    unsure = ("what would you do if a customer complained their meal came out cold at the pass\n"
              "apologise, take it back, and maybe a free dessert?\n")
    (meal,) = parse_notes(unsure)
    assert meal.reference == "apologise, take it back, and maybe a free dessert?"


def test_a_technical_interviews_tasks_are_its_questions():
    text = ("## Technical\n\n### Explain how a hash map works\n\n- An array of buckets\n\n"
            "### Design a URL shortener\n\n- Base62 keys, 7 characters\n\n"
            "### Difference between a process and a thread\n\n- A thread shares memory\n")
    assert [q.prompt for q in parse_notes(text)] == [
        "Explain how a hash map works", "Design a URL shortener",
        "Difference between a process and a thread"]


def test_a_table_of_questions_and_answers_is_a_question_per_row():
    text = ("# Prep\n\n| Question | My answer | Figures |\n|---|---|---|\n"
            "| Tell me about yourself | I'm an ICU nurse. I precepted new grads. | 6 years |\n"
            "| Why this hospital? | Magnet status. | |\n\nPractise out loud.\n")
    about, why = parse_notes(text)
    assert (about.prompt, about.line) == ("Tell me about yourself", 5)
    assert [u.text for u in about.units] == [
        "I'm an ICU nurse.", "I precepted new grads.", "6 years"]
    # the table's end ends the last answer
    assert (why.prompt, [u.text for u in why.units]) == ("Why this hospital?", ["Magnet status."])


def test_a_line_break_in_a_cell_parts_its_lines():
    """Tables exported from documents break a cell's lines with "<br>": each is a unit of the
    answer (they may not end with a full stop), and a question broken so is one question."""
    text = ("| Question | Answer |\n|---|---|\n| Tell me about a time<br>you failed | Missed a "
            "deadline<br>Told my manager early. Shipped in May |\n")
    (failed,) = parse_notes(text)
    assert failed.prompt == "Tell me about a time you failed"
    assert [u.text for u in failed.units] == [
        "Missed a deadline", "Told my manager early.", "Shipped in May"]

def test_any_other_table_is_left_out_of_the_answer():
    text = ("## Q1: Why us?\n\nYour growth.\n\n| Year | Revenue |\n|---|---|\n| 2024 | 9M |\n\n"
            "And the team.\n")
    assert parse_notes(text)[0].reference == "Your growth.\nAnd the team."


def test_a_note_to_oneself_in_brackets_is_not_part_of_the_answer():
    text = ("1) Tell me about a decision your analysis changed\n"
            "(STAR - the big one, SAY THE NUMBERS SLOWLY)\n"
            "We archived 30 dashboards (don't sound smug here). I use Python (pandas, statsmodels)."
            "\n")
    question = parse_notes(text)[0]
    assert question.reference == "We archived 30 dashboards. I use Python (pandas, statsmodels)."
    assert question.story  # "(STAR ...)" under the question marks it a story, as after it


@pytest.mark.parametrize("said", ["(star schema)", "(AWS SQS FIFO)", "(say, 10% under theirs)",
                                  "(keep-alive connections were off)", "(stress testing at 3x)",
                                  "(pause/resume)", "(BLS ACLS PALS)"])
def test_brackets_that_say_something_are_kept(said):
    question = parse_notes(f"## Q1: How did you model it?\n\nWe used a warehouse {said}.\n")[0]
    assert question.reference == f"We used a warehouse {said}." and not question.story


def test_plain_text_after_a_list_is_not_part_of_its_last_item():
    """Markdown reads a line straight after a list as more of its last item; in plain notes it
    is the text that goes on after the list. A bullet wrapped mid-sentence stays one."""
    text = ("Q: Tell me about a decision you changed.\n"
            "Action - I looked at every order:\n"
            " * most extra orders were small baskets\n"
            " * the order value fell, as we saw from\n"
            "Snowflake data\n"
            "I built a margin model in Python.\n"
            "Result - we went with the $35 threshold.\n")
    units = parse_notes(text)[0].units
    assert [(u.line, u.text, u.item) for u in units] == [
        (2, "Action - I looked at every order:", False),
        (3, "most extra orders were small baskets", True),
        (4, "the order value fell, as we saw from Snowflake data", True),
        (6, "I built a margin model in Python.", False),
        (7, "Result - we went with the $35 threshold.", False)]


def test_code_blocks_are_left_out_of_the_answer():
    text = "## Q1: Explain your Kubernetes setup.\n\nWe run HPA.\n\n```yaml\nreplicas: 10\n```\n"
    assert parse_notes(text)[0].reference == "We run HPA."


def test_a_question_with_no_answer_has_no_units():
    found = parse_notes((NOTES / "bold.md").read_text())
    assert found[-1].units == ()


@pytest.mark.parametrize("text", ["", "Just some thoughts.\n\nNo questions here.\n",
                                  "# Title\n\n**Situation:** nothing asked\n"])
def test_notes_without_a_question_are_an_error(text):
    with pytest.raises(NotesError, match="no questions found"):
        parse_notes(text, "empty.md")


@pytest.mark.parametrize("text, expected", [
    ("Q1: Tell me about yourself.", "Tell me about yourself."),
    ("3. What are your strengths", "What are your strengths"),
    ("**Q4. Why us?**", "Why us?"),
    ("**Question 3 — Tell me about a failure.**", "Tell me about a failure."),
    ("1. Production-First Mindset (DevOps Foundation):", None),
    ("Key Success Strategies:", None),
    ("Architecture Overview", None),
    ("Explain your experience with Kubernetes in ML deployments.",
     "Explain your experience with Kubernetes in ML deployments."),
])
def test_what_reads_as_a_question(text, expected):
    assert question_text(text) == expected


@pytest.mark.parametrize("text, asked, answers", [
    # a mock interview written down: the interviewer asks, "Me:" answers, small talk is neither
    ("Interviewer: Thanks for coming in.\nMe: Thanks for having me!\n"
     "Interviewer: Why do you want to work here?\nMe: Your anticoagulation clinic.\n"
     "Interviewer: What happened next?\nMe: The doctor called back.\n"
     "Interviewer: Great, that's all I have.\nMe: Thank you.\n",
     ["Why do you want to work here?", "What happened next?"],
     [["Your anticoagulation clinic."], ["The doctor called back."]]),
    # notes typed on a phone: no blank line between a question and its answer
    ("Store manager prep\n!! Tues 10am\nwhy do you want this store?\nlive 10 min away\n"
     "how do you handle a complaint?\nstay calm.\n",
     ["why do you want this store?", "how do you handle a complaint?"],
     [["live 10 min away"], ["stay calm."]]),
    # questions in capitals; a title in capitals after them ends the last answer
    ("WHATS THE WORST OUTAGE YOU'VE BEEN PART OF?\nblack friday, 47 min\n\nWHY ARE YOU LEAVING\n"
     "- growth\n\nREVIEW BEFORE TUES\n- consistent hashing\n",
     ["WHATS THE WORST OUTAGE YOU'VE BEEN PART OF?", "WHY ARE YOU LEAVING"],
     [["black friday, 47 min"], ["growth"]]),
    # an outline: topics, questions under them, the answer's points under those
    ("- Leadership\n  - How do you motivate a team?\n    - shared the numbers\n"
     "- Employee relations\n  - Walk me through a grievance investigation\n"
     "    - acknowledge in 2 days\n",
     ["How do you motivate a team?", "Walk me through a grievance investigation"],
     [["shared the numbers"], ["acknowledge in 2 days"]]),
    # bold questions as list items; a bold title beside them is no part of the last answer,
    # a bold label under one is
    ("- **Why us?**\n    - **Situation:**\n    - the new depot\n- **Questions for them**\n"
     "    - What does a week look like?\n",
     ["Why us?"], [["the new depot"]]),
    # a callout of advice is not said; a quote of your own is, and so is another callout
    ("## Why should we hire you\n\n> [!tip] Lead with the outcome\n> under 2 minutes\n\n"
     "I cut churn 12%.\n\n> [!warning] don't sound bitter\n\n> what I'd say: I'm ready.\n",
     ["Why should we hire you"], [["I cut churn 12%.", "what I'd say: I'm ready."]]),
    ("## Tell me about yourself\n\n> [!note]- Answer\n> I'm a backend engineer at Stripe.\n\n"
     "> 💡 I'm a data analyst too.\n",
     ["Tell me about yourself"],
     [["I'm a backend engineer at Stripe.", "I'm a data analyst too."]]),
    ("Q2 - How do you deal with a missed sprint?\n\nAns: I flag it early.\n",
     ["How do you deal with a missed sprint?"], [["I flag it early."]]),
    # an answer still to write is none
    ("## Why us?\n\nTODO\n\n## Why you?\n\n- tbd\n", ["Why us?", "Why you?"], [[], []]),
])
def test_notes_in_other_styles(text, asked, answers):
    found = parse_notes(text)
    assert [q.prompt for q in found] == asked
    assert [[u.text for u in q.units] for q in found] == answers


@pytest.mark.parametrize("table", [
    "| Situation | Task | Action | Result |\n|---|---|---|---|\n"
    "| Q3 2023 rec off by $112K<br>nobody knew why | find it | Power Query | reclassed $109K |\n",
    "| | |\n|---|---|\n| **Situation** | Q3 2023 rec off by $112K<br>nobody knew why |\n"
    "| Task | find it |\n| Action | Power Query |\n| Result | reclassed $109K |\n",
])
def test_a_story_written_as_a_table_is_the_answer_in_its_parts(table):
    """Across or down, the cells are the answer's lines, each after its part's name; "Q3 2023"
    in a cell is a quarter, not a question's label."""
    (failed,) = parse_notes("**4. Describe a time you found an error.**\n\n" + table)
    assert failed.reference.splitlines() == [
        "Situation: Q3 2023 rec off by $112K", "nobody knew why", "Task: find it",
        "Action: Power Query", "Result: reclassed $109K"]


# answers followed by a quote of the job ad, read as part of them (left as is)
QUOTING_THE_JOB_AD = ("What would you do if a patient", "How do you deal with stress")
# where this reading differs from a reader's, in the answers (left as is): an Org file's "** notes"
# and "** remember" sub-headings are lines of the answer; a reminder in square brackets under
# each question ("[don't throw colleague under the bus]") is a placeholder, kept in the answer and
# listed to fill in; "Things to bring: photo ID, ..." after the last answer is a line of it (in
# another answer it can be one: "Things to bring: a notebook and lots of questions"); a title
# alone on its line ("Short version:") stays in the reference, as the seed's "Enhanced answer:";
# "Competency: Resilience" over the next questions is a line of the answer before it; an answer
# in a bare fence (no "text") is left out, as code; "(word count 243)" under an example, a
# careers site's advice ("Interviewers ask this question..."), "Key words:" lines, a box of
# figures drawn in text, and "#### Situation" over a story's part are lines of the answer; so is
# a reminder in another language opening a spreadsheet's cell ("nicht schlecht reden!!"); a
# note in square brackets that is all of an answer ("[fill in – buying in??]"); "can we skip
# this one" said to an assistant in a mock interview, and what is said after the last question;
# steps numbered under a tab ("\t1. Contain") keep their numbers; a form's next part after its
# last answer is a line of it.
ANSWERS_READ_OTHERWISE = ("org-mode.txt", "emoji-numbers.md", "email-to-self.txt",
                          "dotted-numbers.md", "dash-answers.txt", "fenced-answers.md",
                          "civil-service-behaviours.txt", "careers-site-advice.txt", "key-words.md",
                          "star-subheadings.md", "spreadsheet.csv", "dentist-word-paste.txt",
                          "sommelier-word.txt", "chatgpt-mock.md", "onenote-done-column.txt",
                          "careers-worksheet.md", "competency-star-letters.md", "run-in-bold.md",
                          "keep-checkboxes.txt", "word-paste-page-footers.txt",
                          "key-points-example.txt", "follow-up-fu.txt", "phone-q-lines.txt")
STYLE_FILES = sorted(p for p in (NOTES / "styles").iterdir() if p.suffix != ".expected")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'"))


@pytest.mark.parametrize("notes", STYLE_FILES, ids=lambda p: p.name)
def test_notes_written_by_others_give_their_questions_and_answers(notes):
    """A hundred and seven styles of notes written by others, to the importer's rules unseen (a
    Notion and an Obsidian export, a Google Docs export with a story table or with the list marks
    it escapes, questions in capitals, a
    mock interview written down, an outline, phone notes, topic titles, categories over
    questions, notes with logistics and research sections, an Org file, a task list, an email to
    oneself, a script of "They might ask: ...", roman numerals, the person's own questions to
    ask at the end, "1.1" numbering, answers in fenced blocks, a question and its answer on one
    line after a dash, civil service behaviours, a careers site's questions with its
    advice, spreadsheets with categories, notes and titles among their rows, an email, a mock
    interview with an assistant pasted in, a table pasted from OneNote, questions in bold with
    their answers on their lines, a technical interview's tasks, scenarios set by the
    interviewer, a Word document pasted with its page footers, a Google Doc with its comments,
    questions grouped by who on the panel asks them...).
    Beside each, what a reader takes from it: its questions, then the first and last words of
    each answer."""
    asked, _, spans = (notes.parent / (notes.name + ".expected")).read_text().partition("\n---\n")
    found = parse_notes(notes.read_text(), notes.name)
    assert [_words(q.prompt) for q in found] == [_words(q) for q in asked.splitlines() if q]
    if notes.name in ANSWERS_READ_OTHERWISE:
        return
    for question, span in zip(found, [s for s in spans.splitlines() if s], strict=True):
        said = _words(question.reference)
        if question.prompt.startswith(QUOTING_THE_JOB_AD):
            continue
        if span == "(empty)":
            assert said == [], question.prompt
            continue
        first, last = (_words(part) for part in span.split(" ... "))
        assert (said[:len(first)], said[-len(last):]) == (first, last), question.prompt


def test_an_outline_pasted_with_bullet_glyphs_reads_as_nested_items():
    """Apple Notes (as Word and Google Docs) copy a list as "•" lines with "◦" under them,
    indented with tabs: the questions are the first level, their answers the second, a third
    level ("▪") a part of its answer; a "◦" with nothing after it is an empty answer, and an
    answer's line ending with "??" asks nothing. A paste with one kind of bullet keeps its
    lines in their paragraph."""
    text = ("Bloom & Barrow interview prep\n\nQuestions they’ll probably ask\n"
            "• Tell me about your current role\n"
            "\t◦ I’m a team leader at B&Q Hanley.\n"
            "\t◦ I run the garden and outdoor dept.\n"
            "• Tell me about a time you dealt with a difficult customer\n\t◦ \n"
            "• Tell me about a time you improved sales\n"
            "\t◦ Bedding plants were down 6%.\n\t\t▪ Jo has the real waste number\n"
            "\t◦ By June we were 2% up.\n"
            "• What are your weaknesses? \n\t◦ ugh. something real. delegation??\n")
    found = parse_notes(text, "notes.txt")
    assert [q.prompt for q in found] == [
        "Tell me about your current role",
        "Tell me about a time you dealt with a difficult customer",
        "Tell me about a time you improved sales", "What are your weaknesses?"]
    assert found[0].reference == ("I’m a team leader at B&Q Hanley.\n"
                                  "I run the garden and outdoor dept.")
    assert found[1].reference == ""
    assert found[2].reference.startswith("Bedding plants were down 6%.")
    assert found[2].reference.endswith("By June we were 2% up.")
    assert "delegation??" in found[3].reference
    spaced = ("Questions\n    • Tell me about your role\n\t◦ I lead a team.\n    • Why us?\n"
              "\t◦ Growth.\n")  # a bullet indented with spaces over one with a tab
    assert [(q.prompt, q.reference) for q in parse_notes(spaced, "s.txt")] == [
        ("Tell me about your role", "I lead a team."), ("Why us?", "Growth.")]
    flat = parse_notes("Why us?\n▪ I shop there\n▪ the staff know their stuff\n", "n.txt")
    assert flat[0].reference == "I shop there\nthe staff know their stuff"


def test_a_note_to_oneself_ending_with_a_question_mark_asks_nothing():
    """Under a part of the notes, a line that says "I" or opens with a to-do is a note, but a
    technical question there is asked; a prompt of one's own nested in an answer is part of
    it; under a topic of an outline, a nested question is asked."""
    notes = ("## Questions\n\n1. Why us?\n\nBecause.\n\n## Notes\n\n"
             "- The JD mentions Python - do I mention I'm only a beginner?\n"
             "- check Teams works on the old laptop???\n"
             "- What is a closure in JavaScript?\n  - A function with its scope.\n")
    assert [q.prompt for q in parse_notes(notes, "n.md")] == [
        "Why us?", "What is a closure in JavaScript?"]
    story = ("Tell me about a time you coached someone\n• New starter struggling.\n"
             "\t◦ What did I do?\n\t◦ Paired her with me.\n")
    assert [(q.prompt, q.reference) for q in parse_notes(story, "s.txt")] == [
        ("Tell me about a time you coached someone",
         "New starter struggling.\nWhat did I do?\nPaired her with me.")]
    topics = ("- Technical\n  - What is a three-way match?\n    - PO, GRN and invoice agree.\n"
              "  - What is accrual accounting?\n    - Costs when incurred.\n")
    assert [q.prompt for q in parse_notes(topics, "t.md") if q.reference] == [
        "What is a three-way match?", "What is accrual accounting?"]


def test_a_list_of_questions_each_answered_after_a_colon_and_a_mock_with_a_friend():
    """A "top ten" list, each question and its answer on one line after a colon ("Why audit?:
    Because ...", "Tell me about yourself: Final year ..."); a mock interview with a friend
    written up ("Friend asked: ...", "What I said (cleaned up):"); in a story, "The customer
    asked: ...?" is a line of the answer."""
    top = ("TOP 10 QUESTIONS\n\n1. Tell me about yourself: Final year BCom at Wits.\n"
           "2. Why audit?: Because you see inside many businesses.\n"
           "3. How do you handle criticism?: I ask for specifics.\n")
    assert [(q.prompt, q.reference) for q in parse_notes(top, "top.txt")] == [
        ("Tell me about yourself", "Final year BCom at Wits."),
        ("Why audit?", "Because you see inside many businesses."),
        ("How do you handle criticism?", "I ask for specifics.")]
    mock = ("mock interview w/ Bec\n\nFriend asked: So tell me a bit about yourself\n"
            "What I said (cleaned up):\nI'm in my final semester of Civil Engineering.\n\n"
            "Friend asked: Where do you see yourself in 5 years\nWhat I said:\n"
            "Chartered, running a section of a job.\n")
    assert [(q.prompt, q.reference) for q in parse_notes(mock, "mock.txt")] == [
        ("So tell me a bit about yourself", "I'm in my final semester of Civil Engineering."),
        ("Where do you see yourself in 5 years", "Chartered, running a section of a job.")]
    family = ("My sister asked: So why teaching?\nI loved coaching.\n\n"
              "Then they asked: Why do you want to work in HR?\nPeople.\n")
    assert [(q.prompt, q.reference) for q in parse_notes(family, "f.txt")] == [
        ("So why teaching?", "I loved coaching."),
        ("Why do you want to work in HR?", "People.")]
    mixed = ("1. Why audit? — Because I like how a business works.\n"
             "2. Why KPMG?: Your public sector practice.\n")
    assert [(q.prompt, q.reference) for q in parse_notes(mixed, "m.txt")] == [
        ("Why audit?", "Because I like how a business works."),
        ("Why KPMG?", "Your public sector practice.")]
    story = ("Tell me about a time you dealt with a difficult customer\n\nA man came in angry.\n"
             "The customer asked: can I just get a refund?\nI said yes and logged it.\n")
    assert [q.prompt for q in parse_notes(story, "story.txt")] == [
        "Tell me about a time you dealt with a difficult customer"]


def test_a_careers_worksheets_tips_after_an_answer_are_not_said():
    """A careers service's worksheet: "Question:", "Your answer:", then the service's "Tips:"
    paragraph after each, and the person's "(me - ...)" note, none of them said. Tips said as
    the answer ("Tips: I also give them a one-page sheet"), and a bracket saying who did what
    ("(me — the only nurse on shift)", "(self-taught)") are."""
    sheet = ("Question: What do you know about our organisation?\n\nYour answer:\n"
             "Harrowfield covers about 210,000 residents.\n\n"
             "Tips: Check the council website and recent committee minutes.\n\n"
             "(me - is it still Labour-run?? check before tues) (me - need a better opening)\n\n"
             "Question: Why this role?\n\nYour answer:\nHousing policy.\n\n"
             "Tips: Do they know what the council does?\n")
    assert [(q.prompt, q.reference) for q in parse_notes(sheet, "sheet.txt")] == [
        ("What do you know about our organisation?", "Harrowfield covers about 210,000 residents."),
        ("Why this role?", "Housing policy.")]
    said = ("Q: How would you help a new starter settle in?\nA: A buddy for the first week.\n\n"
            "Tips: I also give them a one-page sheet of who to ask.\n\n"
            "Q: Tell me about a busy shift.\nA: Twelve patients (me — the only nurse on shift),"
            " and I learnt Excel (self-taught) to plan it.\n")
    assert [q.reference for q in parse_notes(said, "said.txt")] == [
        "A buddy for the first week.\nTips: I also give them a one-page sheet of who to ask.",
        "Twelve patients (me — the only nurse on shift), and I learnt Excel (self-taught) to plan"
        " it."]


def test_a_labelled_question_with_its_answer_on_its_line_and_a_quarter_in_an_answer():
    """"Q2) Why ...? Because ..." and "Q1) Tell us a bit about yourself. I'm 17, ...": the
    answer after the question on its line ("Q: Tell me about a conflict. How did you resolve
    it?" is one question); "Q3 FY22 reforecast" in an answer is a quarter, no question."""
    notes = ("Q1) Tell us a bit about yourself. I'm 17, just finished my GCSEs.\n\n"
             "Q2) Why do you want to be an electrician? Because there's always work.\n\n"
             "Q3) What would you do if you didn't understand an instruction?\n\n"
             "Q4: Tell me about a conflict. How did you resolve it?\nI talked to them.\n\n"
             "Q5) Tell me about a time you handled conflict — 2 lads kept arguing. Sorted.\n")
    assert [(q.prompt, q.reference) for q in parse_notes(notes, "n.txt")] == [
        ("Tell us a bit about yourself.", "I'm 17, just finished my GCSEs."),
        ("Why do you want to be an electrician?", "Because there's always work."),
        ("What would you do if you didn't understand an instruction?", ""),
        ("Tell me about a conflict. How did you resolve it?", "I talked to them."),
        ("Tell me about a time you handled conflict", "2 lads kept arguing. Sorted.")]
    # a second sentence that does not answer stays in the question
    kept = ("Q1. Tell me about a time you worked in a team. Include what you learned.\n"
            "Netball club.\n\nQ2. Tell me about your placement at St. James's hospital.\n"
            "Busy.\n\nQ3. Tell me about a time you failed — and what you learned\nA bad exam."
            "\n\nQ4: Why us? (2 mins)\nYou're the only firm with a rotation.\n")
    assert [(q.prompt, q.reference) for q in parse_notes(kept, "k.txt")] == [
        ("Tell me about a time you worked in a team. Include what you learned.", "Netball club."),
        ("Tell me about your placement at St. James's hospital.", "Busy."),
        ("Tell me about a time you failed — and what you learned", "A bad exam."),
        ("Why us?", "You're the only firm with a rotation.")]
    # a competency's heading over the question asked under it is no question of its own
    topics = ("## Leadership\n\n*Tell us about a time you led a team through a difficult "
              "period.*\n\nS - A norovirus outbreak.\nR - Closed in 11 days.\n\n"
              "## Managing performance\n\n*How would you deal with a staff member who is "
              "consistently late?*\n\nS - A Band 5 was late.\nR - Sorted in 2 weeks.\n\n"
              "## Dealing with complaints\n\n*How would you handle a complaint from a "
              "relative?*\n\nListen first, then apologise.\n")
    assert [q.prompt for q in parse_notes(topics, "t.md")] == [
        "Tell us about a time you led a team through a difficult period.",
        "How would you deal with a staff member who is consistently late?",
        "How would you handle a complaint from a relative?"]
    asking = "## Tell me about yourself\n\n*How long should this be?*\n\nUnder two minutes.\n"
    assert parse_notes(asking, "a.md")[0].prompt == "Tell me about yourself"
    numbered = ("## Behavioural\n\n1. Tell me about a time you delivered bad news.\n"
                "   Q3 FY22 reforecast – we would miss budget. I told the CFO that day.\n\n"
                "2. How do you develop your team?\n   Quarterly development plans.\n")
    assert [(q.prompt, q.reference) for q in parse_notes(numbered, "n.md")] == [
        ("Tell me about a time you delivered bad news.",
         "Q3 FY22 reforecast – we would miss budget. I told the CFO that day."),
        ("How do you develop your team?", "Quarterly development plans.")]


def test_notes_typed_a_claim_per_line_keep_their_lines_apart():
    """Notes with lines longer than any editor wraps at were not wrapped: each line is a claim
    ("live 10 min away" then "can cover opens"), a symbol bullet ("✅") is no word, and a run of
    sentences typed without capitals is cut at its full stops, not at "e.g."."""
    long = "the " * 31
    text = ("# Prep, Tues 10am, ask for Priya at the customer service desk, bring the KPI sheet "
            "and two copies of the CV\n\nwhy do you want this store?\n"
            "👉 live 10 min away\n✅ can cover opens and\ncloses easily\n"
            "stock: we ran weekly counts. got shrink to 1.2% e.g. by 8 a.m. training. that "
            f"worked\nit went up in 2022\nI moved to the U.S. in 2015\n\nNext time, {long}.\n")
    (store,) = parse_notes(text)
    assert [u.text for u in store.units][:7] == [
        "live 10 min away", "can cover opens and closes easily",
        "stock: we ran weekly counts.", "got shrink to 1.2% e.g. by 8 a.m. training.",
        "that worked", "it went up in 2022", "I moved to the U.S. in 2015"]
    assert store.reference.splitlines()[:2] == ["live 10 min away",
                                                "can cover opens and closes easily"]
    # notes wrapped at a width join their lines; a long heading or link does not unwrap them
    link = "https://jobs.example.com/" + "x" * 120
    (wrapped,) = parse_notes(
        f"## Why us, of {long}?\n\nYour platform team runs the streaming stack I have wanted\n"
        f"to work on for years, and [the job ad]({link}) says\nyou are hiring for exactly that.\n"
        f"{link}\n")
    assert [u.text for u in wrapped.units] == [
        "Your platform team runs the streaming stack I have wanted to work on for years, and the "
        f"job ad says you are hiring for exactly that. {link}"]


@pytest.mark.parametrize("text, asked, answer", [
    # a story bank: a table of questions whose other headers are the story's parts
    ("| Question | Situation | Result |\n|---|---|---|\n| Tell me about a failure | Launch "
     "slipped | Shipped late |\n| Describe a conflict | We disagreed | Conversion up |\n",
     ["Tell me about a failure", "Describe a conflict"],
     ["Situation: We disagreed", "Result: Conversion up"]),
    # a callout that is the answer; its title line is not said
    ("## Tell me about yourself\n\n> [!note]- Answer\n> I'm a backend engineer at Stripe.\n",
     ["Tell me about yourself"], ["I'm a backend engineer at Stripe."]),
    # an answer's steps numbered on in the question's list
    ("1. How would you handle an angry customer?\nStay calm and listen, then:\n"
     "2. Apologize for the experience\n3. Find out what they need\n",
     ["How would you handle an angry customer?"],
     ["Stay calm and listen, then:", "Apologize for the experience", "Find out what they need"]),
    # the person's own questions numbered on after the question that asks for them
    ("1. Tell me about yourself\nA pharmacy tech.\n\n2. Do you have any questions for us?\n"
     "3. What does onboarding look like\n4. How is the team split\n",
     ["Tell me about yourself", "Do you have any questions for us?"],
     ["What does onboarding look like", "How is the team split"]),
    # a question on two lines
    ("Describe a time you learned something quickly.\nWhat did you do?\n\nI did the Trailhead "
     "track at night.\n", ["Describe a time you learned something quickly. What did you do?"],
     ["I did the Trailhead track at night."]),
    # a question of a story, and a first line that asks nobody, stay in the answer
    ("Tell me about a hard problem?\n\nOur checkout timed out on Fridays.\nWhy only Fridays?\n"
     "The report job locked the table.\n\nThe real question for me was: where next?\n"
     "A read replica.\n", ["Tell me about a hard problem?"],
     ["Our checkout timed out on Fridays.", "Why only Fridays?",
      "The report job locked the table.", "The real question for me was: where next?",
      "A read replica."]),
    # a note of what the recruiter said, outside a mock interview, is part of the answer
    ("## What are your salary expectations?\n\nAbout 95k base.\nRecruiter: said the band tops "
     "out at 110k.\nI'm flexible.\n", ["What are your salary expectations?"],
     ["About 95k base.", "Recruiter: said the band tops out at 110k.", "I'm flexible."]),
    # acronyms in capitals under a question in capitals
    ("TELL ME ABOUT YOURSELF?\n\nAn ICU nurse.\n\nRN, BSN, CCRN\n\nI precept new grads.\n",
     ["TELL ME ABOUT YOURSELF?"], ["An ICU nurse.", "RN, BSN, CCRN", "I precept new grads."]),
    # abbreviations in notes wrapped at a width
    ("## Tell me about your education?\n\nI have an M.S. in nursing and work 7 a.m. to 7 p.m. "
     "shifts.\n", ["Tell me about your education?"],
     ["I have an M.S. in nursing and work 7 a.m. to 7 p.m. shifts."]),
    # bold labels beside a bold question
    ("- **Tell me about a conflict?**\n- **Situation**\n  - we disagreed\n- **Result**\n"
     "  - conversion up 4%\n", ["Tell me about a conflict?"], ["we disagreed", "conversion up 4%"]),
])
def test_what_looks_like_a_new_rule_but_is_not(text, asked, answer):
    found = parse_notes(text)
    assert [q.prompt for q in found] == asked
    assert [u.text for u in found[-1].units] == answer


def test_wrapped_notes_stay_whole_sentences_whatever_else_is_in_them():
    """The width notes were wrapped at comes from their lines that break mid-sentence, the
    longest but one: a long question line, a paragraph of one line, a paragraph left unwrapped
    after an edit or a link opening a line do not make a wrapped sentence into claims."""
    wrapped = ("Q: Tell me about a time you had to deal with a really difficult customer and "
               "what you did?\n"
               "I have spent the last six years in retail operations, most recently as an\n"
               "assistant store manager at Greenleaf Grocers, where I ran the night crew and\n"
               "owned the weekly stock counts for the whole store. Before that I was a shift\n"
               "lead at a coffee chain, where I moved our ordering off paper and onto\n"
               "[Kronos](https://kronos.example.com/store) with the area manager's help.\n")
    (customer,) = parse_notes(wrapped)
    assert [u.text for u in customer.units] == [
        "I have spent the last six years in retail operations, most recently as an assistant "
        "store manager at Greenleaf Grocers, where I ran the night crew and owned the weekly "
        "stock counts for the whole store.",
        "Before that I was a shift lead at a coffee chain, where I moved our ordering off paper "
        "and onto Kronos with the area manager's help."]
    # one sentence per line, broken at a clause: "... to 6" then "because ..."
    (deploys,) = parse_notes("## Tell me about a migration?\n\nWe cut deploy time from 40 "
                             "minutes to 6\nbecause every service got its own pipeline.\n")
    assert [u.text for u in deploys.units] == [
        "We cut deploy time from 40 minutes to 6 because every service got its own pipeline."]


def test_claims_typed_a_line_each_at_one_length_are_not_taken_for_wrapped_text():
    """Lines of about one length look wrapped, but an editor wraps after any word, and a third
    of the time after "the", "and" or a comma; lines typed a claim each never end so."""
    text = ("tell me about yourself\n"
            "store manager at a big grocery chain for six years\n"
            "ran a team of 45 across days nights and weekends\n"
            "took the store from bottom quartile to top ten\n"
            "cut waste by a third with a new markdown routine\n"
            "now looking for an area manager role nearby\n\n"
            "why do you want this job?\n"
            "i take on too much myself when the team is busy\n"
            "last christmas i worked nine days straight\n"
            "learned to hand the rota to my deputy manager\n"
            "now i check in with him every monday morning\n")
    about, why = parse_notes(text)
    assert [u.text for u in about.units] == [
        "store manager at a big grocery chain for six years",
        "ran a team of 45 across days nights and weekends",
        "took the store from bottom quartile to top ten",
        "cut waste by a third with a new markdown routine",
        "now looking for an area manager role nearby"]
    assert [u.text for u in why.units] == [
        "i take on too much myself when the team is busy",
        "last christmas i worked nine days straight",
        "learned to hand the rota to my deputy manager",
        "now i check in with him every monday morning"]
    # the same words wrapped by an editor at that width stay sentences
    prose = ("## Tell me about yourself?\n\n" + textwrap.fill(
        "I have been a store manager at a big grocery chain for six years, and I ran a team "
        "of 45 across days, nights and weekends. I took the store from the bottom quartile to "
        "the top ten and cut waste by a third with a new markdown routine. Now I am looking "
        "for an area manager role nearby, because I want to coach other store managers.",
        width=50) + "\n")
    (whole,) = parse_notes(prose)
    assert len(whole.units) == 3
    assert whole.units[-1].text.startswith("Now I am looking for an area manager role nearby")


WRAPPED_FEW_TELLS = """The hard part was exactly-once billing. We keyed every event
by customer and sequence number, stored the last sequence
seen per customer, and dropped duplicates inside the same
transaction as the write.

By morning he was settled, the daughter thanked the whole
team, and I later wrote a one-page leaflet on post-operative
delirium that the ward still hands out to families today.

What draws me now is the move into small clinics. I spent
two years building booking tools for physiotherapy
practices, so I know how messy their calendars get and how
little time receptionists have for training.
"""


@pytest.mark.parametrize("quote", ["", "> "])
def test_wrapped_text_with_few_breaks_after_the_or_and_is_still_wrapped(quote):
    """Eight breaks mid-sentence, one after "by" at the start of the next line: wrapped."""
    body = "\n".join(quote + line if line else quote.strip() for line in
                     WRAPPED_FEW_TELLS.splitlines())
    (about,) = parse_notes("## Tell me about yourself?\n\n" + body + "\n")
    assert [u.text.split()[:3] for u in about.units] == [
        ["The", "hard", "part"], ["We", "keyed", "every"], ["By", "morning", "he"],
        ["What", "draws", "me"], ["I", "spent", "two"]]


def test_obsidian_links_and_tags_are_read_as_shown_not_as_placeholders():
    text = ("## Why this role? #career\n\n"
            "- I ranked 14 features with [[MaxDiff]] in Qualtrics\n"
            "- template in [[Research brief template|my brief]], see [[STAR bank#Marco test]]\n"
            "- the [[Pricing test#^k3x9ab]] and `#ifndef`\n"
            "- ran it at [Company Name] ![[chart.png]]\n"
            "- posted in #incidents and fixed issue #42 in C#\n"
            "- my updates went to #incident-checkout\n"
            "- I posted it in [#incidents](https://example.com) with **#GivingTuesday**\n"
            "- I escalate in Slack channels, e.g. #incidents\n"
            "- The diary study, 2023. #story #diary-study\n")
    (why,) = parse_notes(text)
    assert why.prompt == "Why this role?"
    assert [u.text for u in why.units] == [
        "I ranked 14 features with MaxDiff in Qualtrics",
        "template in my brief, see STAR bank > Marco test",
        "the Pricing test and #ifndef",
        "ran it at [Company Name]",
        "posted in #incidents and fixed issue #42 in C#",
        "my updates went to #incident-checkout",
        "I posted it in #incidents with #GivingTuesday",
        "I escalate in Slack channels, e.g. #incidents",
        "The diary study, 2023."]
    assert why.placeholders == ("[Company Name]",)


def test_a_question_the_interviewer_asks_after_the_persons_own_is_a_question():
    text = ("why do you want this store?\nlive 10 min away\nany questions for them?\n"
            "what does a good first 90 days look like?\nhow big is the night crew?\n"
            "why should we hire you?\ni've run a store this size for 3 yrs\n")
    found = parse_notes(text)
    assert [q.prompt for q in found] == [
        "why do you want this store?", "any questions for them?", "why should we hire you?"]
    assert [u.text for u in found[1].units] == [
        "what does a good first 90 days look like?", "how big is the night crew?"]


@pytest.mark.parametrize("heading", ["👩‍💻 Tell me about yourself", "⭐ Tell me about yourself",
                                     "1️⃣ Tell me about yourself", "🇺🇸 Tell me about yourself"])
def test_an_emoji_before_a_question_is_not_asked(heading):
    assert prompts(f"## {heading}\n\nI'm a nurse.\n") == ["Tell me about yourself"]


@pytest.mark.parametrize("text, asked, answers", [
    # a callout that asks
    ("> [!question] Why do you want this job?\n> Your pricing team.\n",
     ["Why do you want this job?"], [["Your pricing team."]]),
    # the interviewer nods along: the answer goes on
    ("Me: Hi.\nInterviewer: Tell me about a failure.\nMe: A launch slipped.\n"
     "Interviewer: Right, go on.\nMe: We shipped two weeks late, no P1s.\n",
     ["Tell me about a failure."], [["A launch slipped.", "We shipped two weeks late, no P1s."]]),
    # two questions in a row, the first not answered yet, are two questions
    ("why do you want this store?\ntell me about a time you handled an angry customer?\n"
     "i listened first\n", ["why do you want this store?",
                            "tell me about a time you handled an angry customer?"],
     [[], ["i listened first"]]),
    # a numbered title with a section's word in it is still a question
    ("1. Tell me about yourself\nSix years in UX.\n\n2. Favourite research method\n"
     "Diary studies.\n\n3. Biggest weakness\nDelegating.\n",
     ["Tell me about yourself", "Favourite research method", "Biggest weakness"],
     [["Six years in UX."], ["Diary studies."], ["Delegating."]]),
    # "A-list" opens an answer, it is no label
    ("Q: Who were your clients?\nA-list brands like Nike and Adidas.\n",
     ["Who were your clients?"], [["A-list brands like Nike and Adidas."]]),
])
def test_what_the_new_rules_must_not_misread(text, asked, answers):
    found = parse_notes(text)
    assert [q.prompt for q in found] == asked
    assert [[u.text for u in q.units] for q in found] == answers


def test_a_capitalised_word_before_a_full_stop_ends_no_sentence_typed_without_capitals():
    text = ("why do you want this store?\ncan cover Fri. and Sat. closes\n"
            "was at Acme Inc. for years. then moved\nlive close by\n")
    assert [u.text for u in parse_notes(text)[0].units] == [
        "can cover Fri. and Sat. closes", "was at Acme Inc. for years.", "then moved",
        "live close by"]


def test_a_title_naming_a_common_question_is_the_next_question():
    """Notes whose questions are titles: "Biggest weakness" and "Why this hospital" after "Tell
    me about yourself" are questions; "Why this matters" and "Sepsis rollout" are the answer's."""
    text = ("Tell me about yourself\nI'm a nurse with eight years in the ICU.\n\n"
            "Sepsis rollout\nI led the sepsis bundle rollout.\n\n"
            "Why this matters\nTime to antibiotics fell by 40 minutes.\n\n"
            "Biggest weakness\nI used to take on too much myself.\n"
            "Now I delegate the admission paperwork.\n\n"
            "Why this hospital\nYour Magnet status and the new cardiac unit.\n")
    about, weakness, hospital = parse_notes(text)
    assert [q.prompt for q in (about, weakness, hospital)] == [
        "Tell me about yourself", "Biggest weakness", "Why this hospital"]
    assert [u.text for u in about.units][-2:] == ["Why this matters",
                                                 "Time to antibiotics fell by 40 minutes."]
    assert [u.text for u in weakness.units] == ["I used to take on too much myself.",
                                                "Now I delegate the admission paperwork."]
    bold = text.replace("Tell me about yourself", "**Tell me about yourself**").replace(
        "Biggest weakness", "**Biggest weakness**").replace("Why this hospital",
                                                            "**Why this hospital**")
    assert [q.prompt for q in parse_notes(bold)] == [
        "Tell me about yourself", "Biggest weakness", "Why this hospital"]
    marked = text.replace("Biggest weakness", "💪 Biggest weakness:")
    assert [q.prompt for q in parse_notes(marked)][1] == "Biggest weakness"
    headings = ("## Why do you want this job?\nThe new cardiac unit.\n\n"
                "## Weaknesses\nI used to take on too much.\n\n### Strengths\nCalm.\n\n"
                "## 3. Questions for them\n- How big is the team?\n")
    assert [q.prompt for q in parse_notes(headings)] == [
        "Why do you want this job?", "Weaknesses", "What questions do you have for us?"]


@pytest.mark.parametrize("text", [
    # sections of an answer to a question asked with "?"
    "What are your strengths and weaknesses?\n\nStrengths\nCalm under pressure.\n\n"
    "Weaknesses\nI take on too much.\n",
    "Do you have any questions for us?\n\nSalary\nAsk about the band.\n\n"
    "Why this team\nAsk what happened to the last lead.\n",
    # "5 years" of a career is no question
    "Tell me about yourself\nI'm a nurse.\n\n5 years\nICU at St Mary's.\n\n"
    "3 years\nWard nurse at the General.\n",
    # a section in bold under a heading that asks
    "## Tell me about yourself\n\nI'm a nurse.\n\n**Strengths**\n\nCalm under pressure.\n",
])
def test_a_section_of_an_answer_named_like_a_question_stays_in_the_answer(text):
    (question,) = parse_notes(text)
    assert len(question.units) >= 2  # the section titles are lines or labels of the answer


def test_titles_in_capitals_or_a_numbered_list_name_their_questions():
    capitals = ("TELL ME ABOUT YOURSELF\nSix years in support.\n\nWhy It Worked\nSpeed.\n\n"
                "WHY ACME\nI use the product daily.\n\nWEAKNESS\nPublic speaking.\n")
    found = parse_notes(capitals)
    assert [q.prompt for q in found] == ["TELL ME ABOUT YOURSELF", "WHY ACME", "WEAKNESS"]
    assert [u.text for u in found[0].units][1:] == ["Why It Worked", "Speed."]
    numbered = ("1. Tell me about yourself\n   - 6 years in support\n2. Why Acme\n"
                "   - I use the product daily\n3. Questions for them\n"
                "   - how is the team measured?\n")
    found = parse_notes(numbered)
    assert [q.prompt for q in found] == [
        "Tell me about yourself", "Why Acme", "What questions do you have for us?"]
    assert [u.text for u in found[-1].units] == ["how is the team measured?"]


def test_an_answer_after_an_arrow_a_my_answer_label_and_a_story_title():
    arrows = ("Tell me about yourself -> 6 yrs support, 2 as lead\nWhy us → use the product daily\n"
              "What matters most -> speed\n")
    found = parse_notes(arrows)
    assert [(q.prompt, [u.text for u in q.units]) for q in found] == [
        ("Tell me about yourself", ["6 yrs support, 2 as lead"]),
        ("Why us", ["use the product daily", "What matters most -> speed"])]
    labels = ("**Question:** Tell me about yourself\n**My answer:** Six years in support.\n\n"
              "**Question:** Greatest achievement\n**My answer:** Saved 300 hours a quarter.\n")
    assert [[u.text for u in q.units] for q in parse_notes(labels)] == [
        ["Six years in support."], ["Saved 300 hours a quarter."]]
    story = ("### Tell me about yourself\n- 6 yrs support\n\n### Conflict with a coworker (STAR)\n"
             "- the rota dispute\n- complaints fell by half\n")
    conflict = parse_notes(story)[1]
    assert (conflict.prompt, conflict.story) == ("Conflict with a coworker", True)


def test_questions_under_topic_headings_and_titles_ending_with_a_colon():
    topics = ("## Behavioural\n\n### Tell me about a conflict\nThe rota dispute.\n\n"
              "## Technical\n\n### How do you debug a slow query\nEXPLAIN ANALYZE first.\n")
    assert [q.prompt for q in parse_notes(topics)] == [
        "Tell me about a conflict", "How do you debug a slow query"]
    colons = "Tell me about yourself:\n- 6 yrs support\n\nWhy do you want this job:\n- remote\n"
    assert [(q.prompt, [u.text for u in q.units]) for q in parse_notes(colons)] == [
        ("Tell me about yourself", ["6 yrs support"]), ("Why do you want this job", ["remote"])]


@pytest.mark.parametrize("text, asked", [
    # an arrow, a colon, "Why" and a name, "(STAR)" inside answers
    ("Tell me about a decision?\nMoved events to Kafka.\nWhy? -> we needed ordering\n"
     "Result? -> duplicates went to zero\n", ["Tell me about a decision?"]),
    ("Why should we hire you?\n- Why me -> done this migration twice\n- Why now -> scaling\n",
     ["Why should we hire you?"]),
    ("Do you have any questions for us?\n- Salary -> ask HR\n"
     "- How do you measure success? -> ask the manager\n- What does a shift look like?\n",
     ["Do you have any questions for us?"]),
    ("Tell me about a time you led a project?\n- Situation: the billing migration\n"
     "- What did you do:\n- split the work\n", ["Tell me about a time you led a project?"]),
    ("Tell me about yourself\nSix years in support.\n\nWhy It's Relevant\nThe role is new.\n",
     ["Tell me about yourself"]),
    ("Tell me about yourself\nSix years in support.\n\nIf they want an example: the rota (STAR)\n"
     "Two leads.\n\nUse the outage story here (STAR)\nPayments.\n", ["Tell me about yourself"]),
    ("What are your strengths and weaknesses\nTwo of each.\n\nStrengths\nCalm.\n\nWeaknesses\n"
     "Delegation.\n", ["What are your strengths and weaknesses"]),
    # after the notes' own sections, headings are no questions
    ("## Tell me about a conflict\nThe rota.\n\n## Logistics\n\n### Salary\nThe band is 40k.\n\n"
     "### How do you get there\nTrain.\n", ["Tell me about a conflict"]),
    ("## Tell me about yourself\nSix years.\n\n# Company research\n\n## Strengths and weaknesses\n"
     "Strong brand.\n", ["Tell me about yourself"]),
    # a line that opens with a word of the notes' own parts, a part of a story, a heading
    # beside the questions that names none
    ("## Tell me about a project you're proud of?\nLed the redesign.\n\nResearch showed churn "
     "fell\nonce the first week was guided.\n\nSchedule: 4 on 4 off\n\n## Why us?\nGrowth.\n",
     ["Tell me about a project you're proud of?", "Why us?"]),
    ("## Tell me about a project you led?\nThe billing move.\n\n### Research\nTen interviews."
     "\n\n### Outcome\nChurn fell.\n\n## If you get stuck\n- breathe\n\n"
     "## Thank-you email\n- send it\n", ["Tell me about a project you led?"]),
    ("Tell me about yourself\nEight years.\n\nBest part\nPatients going home.\n\n"
     "Hardest thing\nNights.\n\nYou learn to stay calm fast\nEvery shift.\n\n"
     "Where in 5 years\nRunning a station.\n", ["Tell me about yourself", "Where in 5 years"]),
    ("## How do you dispense accurately?\n\nChecklist:\n- check the name\n\n## Why Boots?\n"
     "Training.\n", ["How do you dispense accurately?", "Why Boots?"]),
    ("## Why do you want to teach here?\nStrong maths.\n\n## About the school\n\n"
     "## The head you'd report to\nMrs Patel.\n", ["Why do you want to teach here?"]),
    ("Walk me through your CV\nBSc Nursing, 2018.\n\nLeadership\nI ran the night handover.\n",
     ["Walk me through your CV"]),
    ("1. Tell me about yourself\nElectrician.\n2. Story of a mistake you made\nWired a unit wrong."
     "\n3. Where in 5 years\nRunning a team.\n",
     ["Tell me about yourself", "Story of a mistake you made", "Where in 5 years"]),
    # notes written in those styles
    ("Tell me about yourself:\n- six years\n\nWhy do you want this job:\n- growth\n",
     ["Tell me about yourself", "Why do you want this job"]),
    ("**Tell me about yourself:**\nSix years.\n\n**Why do you want this job:**\nGrowth.\n",
     ["Tell me about yourself", "Why do you want this job"]),
    ("Tell me about yourself\nSix years.\n\nConflict (STAR) - rota dispute\nTwo leads.\n",
     ["Tell me about yourself", "Conflict - rota dispute"]),
])
def test_what_asks_in_some_notes_is_part_of_an_answer_in_others(text, asked):
    assert [q.prompt for q in parse_notes(text)] == asked


@pytest.mark.parametrize("text, asked", [
    # the person's own questions under a title of their part are theirs to ask, not questions
    ("## Q1: Why us?\n\nI use the product.\n\n## Questions to ask\n\n- How big is the team?\n"
     "- Crunch policy?? (ask nicely)\n", [("Why us?", ["I use the product."])]),
    ("1) Why us?\nI use the product.\n\n----\n\n💬 My questions:\n- How big is the team?\n",
     [("Why us?", ["I use the product."])]),
    ("- [x] Tell me about yourself\n  Six years in logistics.\n- [ ] Questions to ask them\n"
     "  - Is there overtime on peak?\n- [ ] Iron the blue shirt\n",
     [("Tell me about yourself", ["Six years in logistics."])]),
    # ... over questions asked on lines (not headings), a part of the notes, not a question
    ("Questions I think they'll ask\n=====\n\nQ1) Why property?\n    I like the deals.\n\n"
     "Questions to ask them\n=====\n1. What does a typical week look like?\n",
     [("Why property?", ["I like the deals."])]),
    # questions numbered in roman numerals
    ("I. Walk us through a pipeline you built.\n\nGitHub Actions and ArgoCD.\n\n"
     "II. How do you handle secrets?\n\nExternal Secrets Operator.\n",
     [("Walk us through a pipeline you built.", ["GitHub Actions and ArgoCD."]),
      ("How do you handle secrets?", ["External Secrets Operator."])]),
    # questions the person expects, led in as a script
    ("They might ask: Why the NHS? (edited 12/11)\nI want people to get rehab.\n\n"
     "If asked \"How would you calm a patient?\"\nI keep my voice low.\n",
     [("Why the NHS?", ["I want people to get rehab."]),
      ("How would you calm a patient?", ["I keep my voice low."])]),
    ("* TODO How do you handle a late supplier?\n  Call them first.\n",
     [("How do you handle a late supplier?", ["Call them first."])]),
    # ... not a title that names other questions, nor the person's questions inside an answer,
    # nor what follows the list under the title
    ("## Questions for tomorrow\n\n- Why us?\n  I use the product.\n",
     [("Why us?", ["I use the product."])]),
    ("1. Why us?\n   I use the product.\n\nQuestions to ask:\n- How is success measured?\n\n"
     "2. Tell me about a conflict?\n   I talked it through.\n",
     [("Why us?", ["I use the product."]),
      ("Tell me about a conflict?", ["I talked it through."])]),
    ("- **Why us?**\n  I use the product.\n- **Questions to ask them**\n  - How big is the team?\n"
     "- **Tell me about a conflict?**\n  I talked it through.\n",
     [("Why us?", ["I use the product."]),
      ("Tell me about a conflict?", ["I talked it through."])]),
    ("## How do you run a discovery call?\n\nI open with context.\n\nMy questions:\n\n"
     "- What have you tried?\n\nThen I summarise back.\n",
     [("How do you run a discovery call?", ["I open with context.", "My questions:",
                                            "What have you tried?", "Then I summarise back."])]),
    # a lead-in before a question quoted whole or asked, not before advice
    ("Why do you want this job?\nI use the product.\nIf they ask \"Why now?\", mention the launch."
     "\n\nThey'll probably ask: How do you prioritise?\nBy impact.\n",
     [("Why do you want this job?", ["I use the product.",
                                     "If they ask \"Why now?\", mention the launch."]),
      ("How do you prioritise?", ["By impact."])]),
])
def test_own_questions_task_boxes_roman_numerals_and_lead_ins(text, asked):
    assert [(q.prompt, [u.text for u in q.units]) for q in parse_notes(text)] == asked


def test_roman_numerals_that_number_no_question_stay_in_the_answer():
    text = "## Tell me about a conflict.\n\nV. Kumar helped mediate.\n\nI. Listen. II. Agree.\n"
    (question,) = parse_notes(text)
    assert question.reference == "V. Kumar helped mediate.\nI. Listen. II. Agree."


@pytest.mark.parametrize("text, asked", [
    # a question and its answer on one line after a dash; an empty answer after it
    ("Why recruitment? — I like people.\n  And targets.\n\n"
     "Tell me about a time you missed a target — Q3, at 78%.\n\nWhy us? —\n",
     [("Why recruitment?", ["I like people.", "And targets."]),
      ("Tell me about a time you missed a target", ["Q3, at 78%."]), ("Why us?", [])]),
    # a note after the dash on how to say the answer is no line of it; what to say is
    ("Why recruitment? — I like people.\n\nTell me about yourself? — keep it under 2 min\n"
     "I've recruited for 4 years.\n\nWhy us? — max 1 min\nYour graduate scheme.\n\n"
     "How do you stay organised? — Keep one to-do list.\n\nWhy Tesco? — mention the Clubcard "
     "data\n",
     [("Why recruitment?", ["I like people."]),
      ("Tell me about yourself?", ["I've recruited for 4 years."]),
      ("Why us?", ["Your graduate scheme."]),
      ("How do you stay organised?", ["Keep one to-do list."]),
      ("Why Tesco?", ["mention the Clubcard data"])]),
    # numbered "1.1" as a document numbers its sections; "Questions to ask her"
    ("## 1 About me\n\n### 1.1 Tell me about yourself\n\nI'm a dental nurse.\n\n"
     "## Questions to ask her\n\n- Is there a training budget?\n",
     [("Tell me about yourself", ["I'm a dental nurse."])]),
    # an answer in a fenced block of prose, under "My answer:", beside why they ask; not code
    # nor a diagram
    ("### Walk me through a project\n\n**Why they ask:** to see process.\n\n**My answer:**\n\n"
     "```text\nI'd pick the meter-reading flow at Gridly.\nDrop-off went down to 9% after.\n```\n\n"
     "```bash\nkubectl describe pod web\n```\n\n```\nUser → API → Store\n       ↓\n```\n",
     [("Walk me through a project", ["I'd pick the meter-reading flow at Gridly.",
                                     "Drop-off went down to 9% after."])]),
])
def test_dash_answers_dotted_numbers_and_fenced_answers(text, asked):
    found = parse_notes(text)
    assert [(q.prompt, [u.text for u in q.units]) for q in found] == asked
    assert "My answer" not in found[0].reference and "Why they ask" not in found[0].reference


@pytest.mark.parametrize("text, asked", [
    # a dash inside a question, or before a line of a story, starts no answer
    ("Tell me about a time you failed — what did you learn?\nThe launch slipped.\n",
     [("Tell me about a time you failed — what did you learn?", ["The launch slipped."])]),
    ("Why recruitment? — I like people.\n\nWhy did it fail? — the data was late.\n\n"
     "Result? — 104% by the end.\n",
     [("Why recruitment?", ["I like people.", "Why did it fail? — the data was late.",
                            "Result? — 104% by the end."])]),
    # a section numbered under a question is a part of its answer; a figure is no number
    ("## 1.5 years at your last job: why so short?\n\nThe team closed.\n\n"
     "### 2.1 Why we chose Salesforce\n\nIt was cheaper.\n",
     [("1.5 years at your last job: why so short?", ["The team closed.", "It was cheaper."])]),
    # why they ask, on the line above the answer; "What they want" of customers is an answer's
    ("## Why are you leaving?\n\n**Why they ask:** red flags.\n**My answer:** I've outgrown it.\n\n"
     "## How do you handle an angry customer?\n\nWhat they want: to feel heard.\n",
     [("Why are you leaving?", ["I've outgrown it."]),
      ("How do you handle an angry customer?", ["What they want: to feel heard."])]),
    # a fence marked as text is read, $ and all; a bare one is not
    ("## Tell me about an achievement\n\n```text\nI grew the account from $1.2M to $1.8M.\n```\n\n"
     "```\ndocker compose up -d --build\n```\n",
     [("Tell me about an achievement", ["I grew the account from $1.2M to $1.8M."])]),
    # "Give an example of ..." in an answer asks nothing
    ("What's your biggest weakness?\n- Delegating.\n- Give an example of the Q3 launch\n",
     [("What's your biggest weakness?", ["Delegating.", "Give an example of the Q3 launch"])]),
    # questions you would ask, in an answer about assessing someone, are the answer's
    ("## How would you assess a new patient?\n\n**Questions I would ask:**\n- Any allergies?\n\n"
     "**Then:** obs and bloods.\n",
     [("How would you assess a new patient?", ["Any allergies?", "Then: obs and bloods."])]),
    # what a customer is looking for is an answer's line; why they ask, with the answer after it
    ("## How do you sell to CFOs?\n\nWhat they're looking for: payback under a year.\n\n"
     "## Why are you leaving?\n\n**Why they ask:** red flags. **My answer:** I've outgrown it.\n",
     [("How do you sell to CFOs?", ["What they're looking for: payback under a year."]),
      ("Why are you leaving?", ["I've outgrown it."])]),
    # a lead-in inside an answer, a dash after a follow-up in notes of arrows or after a part
    ("How do you handle anxious patients?\nI slow down.\nThey might ask: Will it hurt?\n"
     "I'm honest.\n\nWeakness -> delegation\nWhy? - trust issues\n\nLogistics\n"
     "Why 9am? - they start early\n",
     [("How do you handle anxious patients?", ["I slow down.", "They might ask: Will it hurt?",
                                               "I'm honest.", "Weakness -> delegation",
                                               "Why? - trust issues"])]),
    # a dash in a question that goes on, or in a line of a story, or in notes before the
    # questions; a list item that names an area of work, not a part of the notes
    ("Walk-in interview — Acme, Tuesday 10am\n\nTell me about a time you failed — and what you "
     "learned.\nThe launch slipped.\nShe wanted to cut QA. Why did you push back? — defects "
     "doubled.\n\n1. What areas did you run at the depot?\n- Logistics\n- Returns\n",
     [("Tell me about a time you failed — and what you learned.",
       ["The launch slipped.", "She wanted to cut QA.",
        "Why did you push back? — defects doubled."]),
      ("What areas did you run at the depot?", ["Logistics", "Returns"])]),
    # why they ask, with the answer after it on its line, or on the writer's next line
    ("## Why do you want to leave?\n\nWhy they ask: red flags. I've outgrown the role.\n\n"
     "## Why should we hire you?\n\n**Why they ask:** to see if you know the role\n"
     "I've done this migration twice.\n",
     [("Why do you want to leave?", ["I've outgrown the role."]),
      ("Why should we hire you?", ["I've done this migration twice."])]),
    # a task box before a bold item; a fenced line in a list item
    ("## How do you prepare for a shift?\n\n- [x] **Read the handover**\n- [x] **Check the rota**"
     "\n- The customer asked:\n  ```text\n  Why was I billed twice?\n  ```\n",
     [("How do you prepare for a shift?", ["Read the handover", "Check the rota",
                                           "The customer asked:", "Why was I billed twice?"])]),
])
def test_dashes_numbers_notes_and_fences_inside_answers_stay_there(text, asked):
    assert [(q.prompt, [u.text for u in q.units]) for q in parse_notes(text)] == asked


def test_civil_service_behaviours_and_their_questions():
    text = ("Behaviour: Working Together\n\nI set up a joint planning session.\n\n"
            "Behaviour: Respect Everyone\n\n"
            "1. Why did you choose HR?\nMe: I started in payroll.\n\n"
            "2. Why us?\nTODO – check notice period, I think 4 weeks.\n\nQs for them:\n"
            "- Is there a bonus?\n")
    assert [(q.prompt, [u.text for u in q.units]) for q in parse_notes(text)] == [
        ("Working Together", ["I set up a joint planning session.", "Behaviour: Respect Everyone"]),
        ("Why did you choose HR?", ["I started in payroll."]),
        ("Why us?", [])]  # a to-do is no line of the answer


def test_phone_notes_of_titles_and_plain_questions_without_capitals():
    """Paragraphs typed on a phone, each a title or a question without "?" over its answer: the
    ones that ask count among the titles, so the titles between them are questions too; the
    person's questions after "q's for them" are theirs."""
    text = ("FO interview tues 0900\nbring: licence, logbook\n\n"
            "why emerald\nregional flying, more landings.\n\n"
            "tell me about yourself\nfrozen ATPL, 1650 hrs.\n\n"
            "a time you disagreed with the captain\nS student wanted to continue.\n\n"
            "tell me about a mistake you made\naltimeter setting on a training flight.\n\n"
            "whats your biggest weakness\n???\n\n"
            "q's for them\n- roster pattern 5/4?\n- type rating bond, how long\n")
    assert [(q.prompt, q.reference) for q in parse_notes(text)] == [
        ("why emerald", "regional flying, more landings."),
        ("tell me about yourself", "frozen ATPL, 1650 hrs."),
        ("a time you disagreed with the captain", "S student wanted to continue."),
        ("tell me about a mistake you made", "altimeter setting on a training flight."),
        ("whats your biggest weakness", "")]


def test_a_to_do_and_a_points_letter_are_no_words_of_the_answer():
    text = ("1. Why do you want this post?\n   a. 5 yrs on AMU\n   b. Want the leadership side\n"
            "   TODO - ask Meera for the numbers\n\n2. What's your weakness?\n"
            "→ TBD. look at the feedback again tonight\n")
    why, weakness = parse_notes(text)
    assert [u.text for u in why.units] == ["5 yrs on AMU", "Want the leadership side"]
    assert weakness.units == ()
    # an answer that opens with "TBC" or a "Todo app", and a letter that is no point's
    (project, availability) = parse_notes(
        "## Tell me about a project\n\nTodo app in React Native, 2k downloads.\n"
        "v. proud of the audit\n\n## What's your availability?\n\n"
        "TBC with my manager - probably 4 weeks.\n")
    assert [u.text for u in project.units] == ["Todo app in React Native, 2k downloads.",
                                               "v. proud of the audit"]
    assert [u.text for u in availability.units] == ["TBC with my manager - probably 4 weeks."]


def test_titles_over_paragraphs_and_lists_typed_on_a_phone():
    """Each paragraph a title over its answer, or a title alone over a list: half of them name
    common questions, so the others among them are questions too; "Weakness?" alone on its
    line asks; "Qs for them" and what follows are the person's own."""
    text = ("Band 6 interview thurs\nbring: pin, passport\n\n"
            "Tell me about yourself\nQualified 2017, band 6 at Lewisham.\n\n"
            "Why St Mary's\n- continuity teams\n- PMA training\n\n"
            "PPH\nCall for help, rub up a contraction, 2 cannulas.\n\n"
            "Safeguarding concern\nTell the named midwife, same shift.\n\n"
            "Time you disagreed with a senior\nAsked for 5 mins to go through it with her.\n\n"
            "Weakness?\nSaying yes to every extra shift.\n\n"
            "Qs for them\n- is there a path to band 7\n")
    assert [q.prompt for q in parse_notes(text)] == [
        "Tell me about yourself", "Why St Mary's", "PPH", "Safeguarding concern",
        "Time you disagreed with a senior", "Weakness?"]


def test_a_forms_likely_question_and_a_title_asked_with_a_question_mark():
    text = ("SECTION 3 – COMPETENCY QUESTIONS\n\n"
            "Competency:\tEmployee relations\n"
            "Likely question:\tTell us about a difficult ER case you managed\n"
            "Situation:\tGrievance against a team lead, 2023.\n\n"
            "Salary expectations?\nAround mid-50s.\n")
    assert [(q.prompt, q.reference) for q in parse_notes(text)] == [
        ("Tell us about a difficult ER case you managed",
         "Situation: Grievance against a team lead, 2023."),
        ("Salary expectations?", "Around mid-50s.")]


@pytest.mark.parametrize("sheet, asked", [
    # a category of notes: its rows that ask the person nothing are the notes'
    ("Type,Question,Answer\nLogistics,Interview,Thu 11:00 on Teams\n"
     "Research,Who would I report to?,Priya\nResearch,What is your research plan?,\n"
     "Q,Why us?,Your Dayforce rollout\nAfter,Thank you email,same day\n",
     ["What is your research plan?", "Why us?"]),
    # a title above numbered rows is no question; an unnumbered row after them is
    ("#,Question,Answer\n,INTERVIEW: Kestrel Life,\"Wed 10:00, bring ID\"\n"
     "1,Tell us about yourself,BSc 2021\n2,Why Kestrel?,Growth\n,Notice period,4 weeks\n",
     ["Tell us about yourself", "Why Kestrel?", "Notice period"]),
])
def test_a_spreadsheets_rows_of_notes_are_no_questions(sheet, asked):
    assert [q.prompt for q in parse_notes(sheet, "prep.csv")] == asked


def test_a_spreadsheet_keeps_its_quotes_its_spaces_and_a_timelines_years():
    sheet = ('Question, Answer, Status\n'
             'Explain IBNR, "Claims ""that happened"" but nobody told us yet", done\n'
             'Why us?, "Your fraud work, and the team I met", practising\n'
             'Walk me through your CV, "2016: BSc Economics\n2018: joined Deloitte", done\n'
             'Price a product, "1. Understand the market\n2. Profit test", done\n')
    found = parse_notes(sheet, "prep.csv")
    assert [q.reference for q in found] == [
        'Claims "that happened" but nobody told us yet', "Your fraud work, and the team I met",
        "2016: BSc Economics\n2018: joined Deloitte", "Understand the market\nProfit test"]


def test_a_chat_with_an_assistant_pasted_in_keeps_what_the_person_said():
    text = ("You said:\nAct as the interviewer for an optometrist role.\n\n"
            "ChatGPT said:\nGreat, let's begin.\n\n**Question 1:** Tell me about yourself.\n\n"
            "You said:\nI qualified from UKZN in 2019.\n\n"
            "ChatGPT said:\nGood answer. What would you add about why you're moving?\n\n"
            "**Question 2:** Why retail?\n\nYou said:\nThe OCT in every store.\n")
    assert [(q.prompt, q.reference) for q in parse_notes(text)] == [
        ("Tell me about yourself.", "I qualified from UKZN in 2019."),
        ("Why retail?", "The OCT in every store.")]


def test_a_table_pasted_with_tabs_an_org_file_and_questions_listed_under_one_heading():
    tabbed = ("Bartender – interview\n\nInterview Qs\n\nQuestion\tMy answer\n"
              "Why do you want to work here?\tBusiest pub in Dublin\n"
              "How do you handle a rush?\t\n\t• pints first\n\t• talk to the queue\n"
              "Describe your perfect pint\tKnow this one cold\n\nStuff to ask Declan\n")
    assert [(q.prompt, q.line, q.reference) for q in parse_notes(tabbed)] == [
        ("Why do you want to work here?", 6, "Busiest pub in Dublin"),
        ("How do you handle a rush?", 7, "pints first\ntalk to the queue"),
        ("Describe your perfect pint", 10, "Know this one cold")]
    org = ("#+TITLE: KPMG\n* Termin\nSCHEDULED: <2024-09-19 Do 10:00>\n:PROPERTIES:\n"
           ":PANEL: HR\n:END:\n* Fragen\n** Warum KPMG?\n- Pillar Two Projekte\n"
           "** TODO Stärken / Schwächen\n** How do you handle deadlines?  :english:\n"
           "Prioritise by risk.\n:LOGBOOK:\n- Note taken\n:END:\n* Meine Fragen an sie\n"
           "- [ ] Homeoffice-Regelung?\n")
    assert [(q.prompt, q.reference) for q in parse_notes(org, "kpmg.org")] == [
        ("Warum KPMG?", "Pillar Two Projekte"), ("Stärken / Schwächen", ""),
        ("How do you handle deadlines?", "Prioritise by risk.")]
    listed = ("## Vragen\n\n- Waarom Utrecht?\n\n    Ik woon hier al 8 jaar.\n\n"
              "- Wat weet je van de Omgevingswet?\n\n    TODO voorbeeld bedenken, misschien?\n\n"
              "- How do you balance political pressure?\n\n    Advice first.\n\n"
              "## Wat vraag ik hen?\n\n- Hoeveel thuiswerken is mogelijk?\n")
    assert [q.prompt for q in parse_notes(listed)] == [
        "Waarom Utrecht?", "Wat weet je van de Omgevingswet?",
        "How do you balance political pressure?"]


def test_list_items_in_bold_over_their_answers_are_questions_laid_out_alike():
    text = ("## Behavioural\n\n- **Tell me about yourself**\n\n    7 yrs iOS, 5 at Mobiko.\n\n"
            "- **Why are you leaving Mobiko?**\n\n    Layoffs in Q4.\n\n"
            "- **A time you disagreed on a technical decision**\n\n"
            "    **Situation:** PM wanted to ship without a flag\n\n"
            "- **Biggest failure**\n    - TODO pick one\n\n## Questions for them\n\n- On-call?\n")
    assert [(q.prompt, q.reference) for q in parse_notes(text)] == [
        ("Tell me about yourself", "7 yrs iOS, 5 at Mobiko."),
        ("Why are you leaving Mobiko?", "Layoffs in Q4."),
        ("A time you disagreed on a technical decision",
         "Situation: PM wanted to ship without a flag"),
        ("Biggest failure", "")]


@pytest.mark.parametrize("text, source, asked", [
    # one question whose answer holds lines that end with "?": one question
    ("## How would you improve Spotify?\n\nClarify first:\n- Which users? Free or premium?\n"
     "- What's the goal?\n- Any constraints on time?\n\nThen pick a segment: casual listeners.\n",
     "n.md",
     ["How would you improve Spotify?"]),
    # a mock interview with an assistant, its questions plain, one a turn
    ("You said:\nDo a mock interview with me. One question at a time.\n\nChatGPT said:\n"
     "Of course! Let's begin.\n\nWhy do you want to become an accountant?\n\nYou said:\n"
     "I like numbers.\n\nChatGPT said:\nGood. Next question:\n\nTell me about a deadline.\n\n"
     "You said:\nThe VAT return in two days.\n", "chat.txt",
     ["Why do you want to become an accountant?", "Tell me about a deadline."]),
    # "## Fragen" is "Questions", not the person's own
    ("## Fragen\n\n- Warum Zalando?\n  - Mode + Tech\n- Was ist Ihre größte Schwäche?\n"
     "  - Ungeduld\n", "n.md", ["Warum Zalando?", "Was ist Ihre größte Schwäche?"]),
    # a research scientist's questions in a "Research" category
    ("Theme\tQuestion\tAnswer\nResearch\tWhat is a p-value?\tProbability of data this extreme\n"
     "Research\tExplain overfitting\tModel learns noise\n", "sheet.tsv",
     ["What is a p-value?", "Explain overfitting"]),
    # sections in capitals among numbered rows
    ("#,Question,Answer\n,GENERAL,\n1,Tell me about yourself,\"Retail manager, 8 yrs\"\n"
     ",BEHAVIOURAL,use STAR for all of these\n2,Describe a time you coached someone,Sarah\n",
     "sheet.csv", ["Tell me about yourself", "Describe a time you coached someone"]),
    # an Org file's bodies indented under their headings
    ("#+TITLE: Prep\n* Interview questions\n** Competency\n*** Tell me about a time you led a "
     "project\n    Led the CRM migration.\n*** Why this company?\n    The mission.\n", "p.org",
     ["Tell me about a time you led a project", "Why this company?"]),
    # a table pasted with tabs as labels, and one with a column of notes
    ("Question\tBiggest weakness\nAnswer\tDelegating.\n\nQuestion\tSalary expectations\n"
     "Answer\t30k\n", "q.txt", ["Biggest weakness", "Salary expectations"]),
    ("Question\tAnswer\tNotes\nWhy this role?\tGrowth and the team\tsmile\n"
     "Weakness\tDelegating\tdont say perfectionism\n", "t.txt", ["Why this role?", "Weakness"]),
])
def test_what_the_layouts_read_leaves_as_it_was(text, source, asked):
    """Where the layouts above read nothing new: each of these is read as a reader takes it."""
    assert [q.prompt for q in parse_notes(text, source)] == asked


def test_an_org_files_bodies_indented_under_their_headings_are_their_answers():
    org = ("#+TITLE: Prep\n* Interview questions\n*** [#A] Why this company?\n"
           "    The mission and the data team.\n    - and the on-call rota\n")
    assert [(q.prompt, q.reference) for q in parse_notes(org, "p.org")] == [
        ("Why this company?", "The mission and the data team.\nand the on-call rota")]


def test_an_org_files_blocks_comments_and_tasks_done():
    """Org mode's blocks: a quote's answer without its "#+BEGIN_QUOTE" lines, code in
    "#+BEGIN_SRC" left out as any code is; a comment ("# ...") is no heading, and a task done
    ("** DONE update LinkedIn") beside the questions is none."""
    org = ("* Questions\n** DONE How do you debug rising latency?\nI check who is affected.\n"
           "#+BEGIN_SRC shell\nkubectl top pods\n#+END_SRC\nThen I roll back.\n"
           "# don't say anything about Dave\n"
           "** DONE How do you run a postmortem?\n#+BEGIN_QUOTE\nTimeline first.\n#+END_QUOTE\n"
           "** DONE update LinkedIn\n")
    assert [(q.prompt, q.reference) for q in parse_notes(org, "p.org")] == [
        ("How do you debug rising latency?", "I check who is affected.\nThen I roll back."),
        ("How do you run a postmortem?", "Timeline first.")]
    # an example, or a block of text, is said; a block closed by a typo is read as written
    said = ("* Questions\n** Tell me about yourself\n#+BEGIN_EXAMPLE\nSix years on rail.\n"
            "#+END_EXAMPLE\n** Why this Trust?\n#+BEGIN_SRC text\nThe cardiac centre.\n"
            "#+END_SRC\n** DONE how do you safeguard pupils on trips?\nRisk assessments.\n"
            "** Why us?\n#+BEGIN_SRC python\nprint(1)\n#+END_SCR\nThe team.\n"
            "** What motivates you?\nShipping.\n")
    found = parse_notes(said.replace("Six years", "# Step one: listen\nSix years"), "p.org")
    assert [q.reference for q in found][:3] == [  # ("#" in an example is no comment)
        "# Step one: listen Six years on rail.", "The cardiac centre.", "Risk assessments."]
    assert [q.prompt for q in found][3:] == ["Why us?", "What motivates you?"]


def test_a_column_of_notes_or_confidence_is_no_part_of_an_answer():
    tabbed = "Question\tAnswer\tNotes\nWhy this role?\tGrowth and the team\tsmile\n"
    table = ("| Question | Example | Confidence |\n|---|---|---|\n"
             "| Why this role? | Growth and the team | 4/5 |\n")
    assert [q.reference for q in parse_notes(tabbed, "t.txt") + parse_notes(table, "t.md")] == [
        "Growth and the team", "Growth and the team"]


def test_a_chat_where_the_assistant_gives_questions_with_sample_answers():
    """The assistant's numbered questions with its sample answers, then two more in bold; the
    person's requests and the assistant's offers are neither questions nor answers."""
    text = ("You said:\nwhat questions might a barber get asked?\n\nChatGPT said:\n"
            "Here are some, with suggested answers:\n\n1. Tell me about your experience.\n"
            "\"Four years cutting in Cork.\"\n\n2. How do you keep your skills up to date?\n"
            "\"Courses and practice.\"\n\n3. Why do you want to work here?\n\"Detail work.\"\n\n"
            "Would you like me to make these more casual?\n\nYou said:\nyes more casual\n\n"
            "ChatGPT said:\nSure!\n\n**Walk-ins vs bookings, which do you prefer?**\n"
            "\"Bookings.\"\n\nYou said:\nthanks legend\n")
    assert [(q.prompt, q.reference) for q in parse_notes(text, "chat.txt")] == [
        ("Tell me about your experience.", "Four years cutting in Cork."),
        ("How do you keep your skills up to date?", "Courses and practice."),
        ("Why do you want to work here?", "Detail work."),
        ("Walk-ins vs bookings, which do you prefer?", "Bookings.")]


def test_a_sheets_asides_in_its_column_of_numbers_and_the_persons_own_after_ask_them():
    sheet = ("#,Type,Question,Answer\n1,Intro,Walk us through your CV,Articles in Durban\n"
             ",,TECHNICAL – revise before,\n2,Technical,What is going concern?,Indicators\n"
             ",,,\nASK THEM,,,\n,,How is the team structured?,\n,,What software do you use?,\n")
    assert [q.prompt for q in parse_notes(sheet, "prep.csv")] == [
        "Walk us through your CV", "What is going concern?"]
    notes = ("## Why us?\n\n%% todo: a better opener %%\nThe data team.\n\n## MY NOTES\n\n"
             "- ask them: is it chair rental or wage? sundays?\n")
    assert [(q.prompt, q.reference) for q in parse_notes(notes)] == [("Why us?", "The data team.")]


def test_a_notion_database_and_a_table_typed_with_pipes():
    database = ("Name,Answer,Category,Status\nWho are Harbour Lane Books?,\"Dublin 8, 1998\","
                "Research,Done\nTell me about your editing experience,Four years freelance,"
                "Interview Q,Done\nHow much do you charge?,,My questions,\n")
    assert [q.prompt for q in parse_notes(database, "db.csv")] == [
        "Tell me about your editing experience"]
    typed = ("Was wollen die eigentlich?\n- Festanstellung\n\nFRAGE | ANTWORT\n"
             "Erzählen Sie etwas über sich. | CODA, seit 2015 in Hamburg.\n"
             "Warum fest angestellt? | Planbarkeit, Team.\n")
    assert [(q.prompt, q.reference) for q in parse_notes(typed)] == [
        ("Erzählen Sie etwas über sich.", "CODA, seit 2015 in Hamburg."),
        ("Warum fest angestellt?", "Planbarkeit, Team.")]


def test_messages_to_oneself_exported_from_whatsapp():
    text = ("11/03/24, 23:02 - Messages and calls are end-to-end encrypted. Tap to learn more.\n"
            "11/03/24, 23:02 - Giulia: COLLOQUIO RINASCENTE giovedì 14/3 h 11:00\n"
            "11/03/24, 23:15 - Giulia: Q1 tell me about yourself\n"
            "11/03/24, 23:19 - Giulia: 3 yrs merchandise allocator at OVS HQ\n"
            "11/03/24, 23:20 - Giulia: <Media omitted>\n"
            "12/03/24, 19:40 - Giulia: Q2 what's your biggest weakness\n"
            "12/03/24, 19:41 - Giulia: This message was deleted\n"
            "12/03/24, 21:15 - Giulia: domande per loro:\n1) quanti brand segue?\n")
    assert [(q.prompt, q.reference) for q in parse_notes(text, "WhatsApp Chat.txt")] == [
        ("tell me about yourself", "3 yrs merchandise allocator at OVS HQ"),
        ("what's your biggest weakness", "")]



def test_a_whatsapp_chat_with_a_friend_who_asks_the_questions():
    """Two in the chat, one asking: the one who asks is the interviewer, the other answers
    (a message on two lines is one); a label, a lead-in and "Use STAR" are no part of a
    question, a message deleted or a voice note no part of an answer."""
    text = ("[14/03/2026, 19:58:02] Aunty Bisi: \u200eMessages and calls are end-to-end "
            "encrypted.\n[14/03/2026, 20:01:02] Aunty Bisi: Q1. Tell me about yourself\n"
            "[14/03/2026, 20:04:47] Tolu: I'm Tolu, three years at World Duty Free.\n"
            "[14/03/2026, 20:05:30] Aunty Bisi: Very good, slow down at the end\n"
            "[14/03/2026, 20:06:01] Aunty Bisi: Next one. Why Skyvale?\n"
            "[14/03/2026, 20:06:15] Tolu: \u200eThis message was deleted.\n"
            "[14/03/2026, 20:09:20] Tolu: It is growing.\nAnd it is based in Manchester.\n"
            "[14/03/2026, 20:15:33] Aunty Bisi: Tell me about an angry customer. Use STAR\n"
            "[14/03/2026, 20:19:44] Tolu: A man was over his allowance, I stayed calm.\n"
            "[14/03/2026, 20:30:15] Aunty Bisi: How do you work in a new team?\n"
            "[14/03/2026, 20:31:48] Tolu: \u200eaudio omitted\n")
    assert [(q.prompt, q.reference) for q in parse_notes(text, "_chat.txt")] == [
        ("Tell me about yourself", "I'm Tolu, three years at World Duty Free."),
        ("Why Skyvale?", "It is growing. And it is based in Manchester."),
        ("Tell me about an angry customer.", "A man was over his allowance, I stayed calm."),
        ("How do you work in a new team?", "")]


def test_a_practice_answered_aloud_and_transcribed_by_otter():
    """Each turn under its speaker and time: the questions read out by their number are
    questions, the turns after them their answers; another voice in the room is no part of an
    answer, nor the summary and the title."""
    text = ("Driver trainer practice run\nSat, Mar 14, 2026 9:52PM • 14:37\n\n"
            "SUMMARY KEYWORDS\npassengers, driver, bus\n\nSPEAKERS\n"
            "Declan Brennan, Unknown Speaker\n\nDeclan Brennan  0:00  \n"
            "okay so this is me practising for the trainer interview\n\n"
            "Declan Brennan  0:21  \nquestion one why do you want to be a driver trainer\n\n"
            "Declan Brennan  0:26  \nright so I've been driving buses for 15 years\n\n"
            "Declan Brennan  1:18  \nnext question tell me about a difficult passenger\n\n"
            "Declan Brennan  1:23  \na guy got on who didn't want to pay\n\n"
            "Unknown Speaker  1:49  \ndo you want a tea\n\n"
            "Declan Brennan  1:51  \nso I pressed the silent alarm\n\n"
            "Transcribed by https://otter.ai\n")
    assert [(q.prompt, q.reference) for q in parse_notes(text, "practice.txt")] == [
        ("why do you want to be a driver trainer", "right so I've been driving buses for 15 years"),
        ("tell me about a difficult passenger",
         "a guy got on who didn't want to pay\nso I pressed the silent alarm")]


def test_questions_listed_first_and_answered_further_on_by_their_numbers():
    """"## My answers" answers the questions listed above by their numbers, in any order,
    some not at all; a part of the notes to find things out asks nothing."""
    text = ("## The questions\n\n1. Tell us about yourself.\n2. Why a senior role?\n"
            "3. How do you support a client through euthanasia?\n4. How do you keep up your CPD?"
            "\n\n## Stuff to find out first\n\n- do they have a cat ward?\n"
            "- who does the dentals?\n\n## My answers\n\n1. Kia ora, I'm Aroha.\n\n"
            "I'm a registered nurse.\n\n3. I explain what will happen.\n- no surprises\n\n"
            "2. I already do the senior jobs.\n\n## Don't forget\n- RVN certificate\n")
    read = [(q.prompt, q.reference, [u.line for u in q.units]) for q in parse_notes(text)]
    assert read == [("Tell us about yourself.", "Kia ora, I'm Aroha.\nI'm a registered nurse.",
                     [15, 17]),
                    ("Why a senior role?", "I already do the senior jobs.", [22]),
                    ("How do you support a client through euthanasia?",
                     "I explain what will happen.\nno surprises", [19, 20]),
                    ("How do you keep up your CPD?", "", [])]


def test_an_email_answering_a_recruiters_questions_in_line():
    """The questions quoted, the answers between them: the recruiter's tips under a question,
    greetings and signature, and an older message quoted inside are no part of an answer."""
    text = ("From: Rob Keane <rob@example.com>\nSubject: Re: 2nd interview\n\nHi Meg,\n\n"
            "On Fri, 6 Mar 2026 at 4:12 pm, Meg Tran <meg@example.com> wrote:\n> Hi Rob,\n>\n"
            "> 1. Tell us about yourself.\n\nStarted as a cadet QS in 1991.\n\n"
            "> 2. What's the largest project you've managed?\n>\n"
            "> Tip: Priya loves numbers. Don't be shy!\n\nMitchell Freeway, $140m.\n\n"
            "> 3. How do you handle a disputed variation?\n>\n"
            "> Good questions to ask them:\n> - What does the pipeline look like?\n>\n"
            "> Talk soon,\n> Meg\n>\n> On Thu, 5 Mar 2026, Rob wrote:\n>> Is there a psych test?\n")
    assert [(q.prompt, q.reference) for q in parse_notes(text, "reply.txt")] == [
        ("Tell us about yourself.", "Started as a cadet QS in 1991."),
        ("What's the largest project you've managed?", "Mitchell Freeway, $140m."),
        ("How do you handle a disputed variation?", "")]


def test_a_note_nested_in_an_answers_callout_is_not_said():
    text = ("> [!question] Tell me about yourself.\n> I'm an architect from Valencia.\n>\n"
            "> > [!note] Nota\n> > no más de 2 minutos\n\n"
            "> [!question]- Talk me through a project.\n> The Benimaclet school.\n>\n"
            "> > [!example] The numbers\n> > 450 children on a small site.\n")
    assert [(q.prompt, q.reference) for q in parse_notes(text)] == [
        ("Tell me about yourself.", "I'm an architect from Valencia."),
        ("Talk me through a project.", "The Benimaclet school.\n450 children on a small site.")]


def test_notes_saved_as_html_by_google_keep():
    """The page as it shows: a line at each "<br>", the entities as the text, the head and
    its styles no part of the notes; each line keeps its line of the file."""
    text = ("<!DOCTYPE html>\n<html><head><title>prison officer intervew</title><style>"
            ".note {color: red;}</style></head><body><div class=\"note\">\n"
            "<div class=\"title\">prison officer intervew</div>\n"
            "<div class=\"content\">intervew 24th march<br><br>why do you want to be a prison "
            "oficer?<br>i have worked in retail for 9 years and i&#39;m a supervisor now<br>"
            "EYE CONTACT 👀<br><br>what does respect mean to you?<br>treating evryone fairly &amp; "
            "calmly<br><br>qestions to ask them<br>do you get to chose the wing?</div>\n"
            "</div></body></html>\n")
    read = [(q.prompt, q.reference, q.line) for q in parse_notes(text, "Keep.html")]
    assert read == [("why do you want to be a prison oficer?",
                     "i have worked in retail for 9 years and i'm a supervisor now", 4),
                    ("what does respect mean to you?", "treating evryone fairly & calmly", 4)]


def test_notes_exported_from_evernote_a_line_in_red_not_said():
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE en-export SYSTEM "x.dtd">\n'
            "<en-export><note><title>Town Clerk prep</title><created>20260301T184210Z</created>"
            "<tag>interview</tag><content><![CDATA[<?xml version=\"1.0\"?>\n"
            "<!DOCTYPE en-note SYSTEM \"enml2.dtd\">\n<en-note>"
            "<div><span style=\"color:rgb(227, 0, 0);\">Red = notes to me.</span></div>"
            "<div><en-todo checked=\"true\"/>Print CV</div>\n"
            "<div><b>1. Tell us about yourself.</b></div>\n"
            "<div>School Business Manager for fourteen years.</div>\n"
            "<div><span style=\"color:rgb(227, 0, 0);\">(don&rsquo;t mention retirement)</span>"
            "</div>\n<div><b>2. How would you prepare the budget?</b></div>\n"
            "<div>Start in <span style=\"color:rgb(227, 0, 0);\">September</span>, with the "
            "committee.</div>\n</en-note>]]></content></note></en-export>\n")
    read = [(q.prompt, q.reference, [u.line for u in q.units])
            for q in parse_notes(text, "prep.enex")]
    assert read == [("Tell us about yourself.", "School Business Manager for fourteen years.",
                     [7]),
                    ("How would you prepare the budget?", "Start in September, with the committee.",
                     [10])]


def test_a_mock_interview_on_a_call_saved_as_webvtt_captions():
    """The one who asks is the interviewer: a question goes on over two cues, a lead-in is
    no part of it, a check of the call and a question said again after "Can you repeat?"
    are no questions; the other's cues are the answers."""
    cue = "\n\n{n}\n00:00:{n:02d}.000 --> 00:00:{n:02d}.900\n<v {who}>{said}</v>"
    said = [("Thandi", "Hi Sipho, can you hear me?"), ("Sipho", "Ja, I can hear you."),
            ("Thandi", "OK. First one. Tell us about yourself."),
            ("Sipho", "I have been in mining for 17 years."),
            ("Sipho", "I am a mine foreman."), ("Thandi", "Good. Nice and short."),
            ("Thandi", "Right. Now a STAR one. Tell me about a time you stopped production"),
            ("Thandi", "because of a safety concern."), ("Sipho", "Sorry, can you repeat?"),
            ("Thandi", "A time you stopped production. What happened?"),
            ("Sipho", "It was a night shift on 14 level."),
            ("Thandi", "What is your biggest weakness?"), ("Sipho", "Paperwork, I am slow."),
            ("Thandi", "Good. Give them that one, it is real."),
            ("Thandi", "Last one. At the end they will ask you, do you have questions for us?"),
            ("Sipho", "Yes, how are the crews trained?")]
    text = "WEBVTT" + "".join(cue.format(n=n, who=who, said=line)
                              for n, (who, line) in enumerate(said, 1)) + "\n"
    assert [(q.prompt, q.reference) for q in parse_notes(text, "call.vtt")] == [
        ("Tell us about yourself.", "I have been in mining for 17 years.\nI am a mine foreman."),
        ("Tell me about a time you stopped production because of a safety concern.",
         "It was a night shift on 14 level."),
        ("What is your biggest weakness?", "Paperwork, I am slow."),
        ("do you have questions for us?", "Yes, how are the crews trained?")]


def test_a_question_written_in_two_languages_is_asked_in_english():
    text = ("1) Tell me about yourself.\n   Розкажіть про себе.\nI'm an accountant.\n\n"
            "2) Як ви мотивуєте команду під час закриття місяця?\n"
            "   How do you motivate your team during month-end close?\nEverybody knows the plan."
            "\n")
    assert [(q.prompt, q.reference, q.line) for q in parse_notes(text)] == [
        ("Tell me about yourself.", "I'm an accountant.", 1),
        ("How do you motivate your team during month-end close?", "Everybody knows the plan.", 5)]


def test_a_word_document_saved_as_pdf_and_turned_into_text():
    """pdftotext's layout: an outline numbered "2.1   ..." (its headings as deep as their
    numbers), a table of contents with dots to page numbers, a running header and a footer of
    two lines on every page, a form feed between pages, and an answer going on over a page."""
    text = ("Contents\n\n1   About the bank ........... 2\n"
            "    2.1   Tell me about yourself. ........... 2\n"
            "    2.2   Why are you leaving? ........... 3\n\nR. Menon – Confidential\n\n"
            "Page 1 of 3\n\fGulf Meridian Bank – Interview Preparation\n\n1   About the bank\n\n"
            "1.1   Points to research\n\n• Who is the CIO now?\n\n2   Competency questions\n\n"
            "2.1   Tell me about yourself.\n\nI have 22 years of experience in IT delivery,\n\n"
            "R. Menon – Confidential\n\nPage 2 of 3\n\fGulf Meridian Bank – Interview "
            "Preparation\n\nthe last eleven at Etisalink.\n\n2.2   What is your leadership style?"
            "\n\nI coach.\n\nR. Menon – Confidential\n\nPage 3 of 3\n\f\n")
    assert [(q.prompt, q.reference) for q in parse_notes(text, "prep.txt")] == [
        ("Tell me about yourself.",
         "I have 22 years of experience in IT delivery,\nthe last eleven at Etisalink."),
        ("What is your leadership style?", "I coach.")]


def test_an_obsidian_kanban_board_of_cards():
    text = ("---\n\nkanban-plugin: basic\n\n---\n\n## Backlog\n\n"
            "- [ ] How do you handle rejection? #behavioral\n"
            "- [ ] look up Kara + Marcus on LinkedIn\n"
            "- [ ] What's their avg deal size?? ACV maybe ~$18k? #research\n\n## Drafting\n\n"
            "- [ ] Sell me this pen #roleplay<br>Before I sell you anything, can I ask how you "
            "use pens?<br>This one never skips.\n"
            "- [ ] Why sales? #motivation<br>I have been selling for four years.\n\n"
            "## Ask them\n\n- [ ] How many SDRs got promoted?\n\n## Done\n\n**Complete**\n"
            "- [x] Tell me about a time you persuaded someone #star<br>Last fall our supervisor "
            "wanted to cut a shift.\n- [x] Research Series B ($22M) @{2026-01-10}\n\n"
            "%% kanban:settings\n```\n{\"kanban-plugin\":\"basic\"}\n```\n%%\n")
    assert [(q.prompt, q.reference) for q in parse_notes(text, "Board.md")] == [
        ("How do you handle rejection?", ""),
        ("Sell me this pen", "Before I sell you anything, can I ask how you use pens? "
         "This one never skips."),
        ("Why sales?", "I have been selling for four years."),
        ("Tell me about a time you persuaded someone",
         "Last fall our supervisor wanted to cut a shift.")]


EDGES = Path(__file__).parent / "data" / "notes" / "edges"


@pytest.mark.parametrize("name", sorted(json.loads((EDGES / "readings.json").read_text(
    encoding="utf-8"))))
def test_ordinary_notes_at_the_edges_of_the_forms_read_as_before(name):
    """Notes like the forms read above but none of them (a timetable of times, a list typed
    "1.  ", an answer opening with names or a greeting, a line of skills in capitals, a
    bracketed line that is said, an email-like quote, a terse mock interviewer, a friend's
    chat beside one's own Q1): read as they were before those forms were read."""
    expected = json.loads((EDGES / "readings.json").read_text(encoding="utf-8"))[name]
    try:
        read = [[q.prompt, q.reference] for q in parse_notes(
            (EDGES / name).read_text(encoding="utf-8"), name)]
    except NotesError:
        read = "no questions"
    assert read == expected


def test_a_mock_interviewers_bare_question_mark_is_no_question():
    text = ("Interviewer: Why us?\nMe: Growth.\nInterviewer: ?\nMe: ok\n"
            "Interviewer: Weaknesses?\nMe: I rush.\n")
    assert [(q.prompt, q.reference) for q in parse_notes(text, "mock.txt")] == [
        ("Why us?", "Growth. ok"), ("Weaknesses?", "I rush.")]  # (no crash)


def test_speakers_lines_with_nothing_said_are_no_notes():
    with pytest.raises(NotesError):
        parse_notes("Declan Brennan  0:21  \n" * 3, "notes.md")

def test_questions_under_a_questions_line_numbered_as_sections_and_for_someone_named():
    text = ("2\tQuestions they might ask\n2.1\tTell me a bit about yourself\n"
            "I'm 34, six years at Asda.\n2.2\tWhy do you want to work for the NHS?\n"
            "Steady job.\n\nQuestions\n☑ Tell us about your animal care experience\n"
            "3 yrs volunteering at Orana.\n\nQuestions for Priya\n- What is the roster like?\n")
    assert [q.prompt for q in parse_notes(text)] == [
        "Tell me a bit about yourself", "Why do you want to work for the NHS?",
        "Tell us about your animal care experience"]


@pytest.mark.parametrize("text, source, read", [
    # a mock interview's tip after the question, a follow-up asked in the feedback, "Next:"
    ("You said:\nQuiz me, one question at a time.\n\nChatGPT said:\nSure!\n\n"
     "**Question 1:** Tell me about a tight deadline.\n\n💡 Tip: Use the STAR method.\n\n"
     "You said:\nA truck came in late and I stayed to unload.\n\nChatGPT said:\n"
     "Good example! What was the result?\n\nYou said:\nThe shelves were full by 7am.\n\n"
     "ChatGPT said:\nPerfect.\n\nNext: Why do you want to work at Amazon?\n\nYou said:\n"
     "Steady hours.\n", "chat.md",
     [("Tell me about a tight deadline.",
       "A truck came in late and I stayed to unload.\nThe shelves were full by 7am."),
      ("Why do you want to work at Amazon?", "Steady hours.")]),
    # the person's own Q:/A: lines pasted in for feedback
    ("You said:\nCan you check my answers?\n\nQ: Why Tesco?\nA: I shop here every week.\n\n"
     "ChatGPT said:\nA good start! Mention Tesco's values.\n\nYou said:\nthanks!\n", "chat.md",
     [("Why Tesco?", "I shop here every week.")]),
    # questions the assistant listed, answered after the chat
    ("You said:\ngive me 2 questions for a line cook\n\nChatGPT said:\n"
     "1. How do you handle a busy service?\n2. Why our kitchen?\n\nYou said:\nthanks!\n\n---\n\n"
     "# My answers\n\n**How do you handle a busy service?**\nCall back every ticket.\n\n"
     "**Why our kitchen?**\nSeasonal menu.\n", "chat.md",
     [("How do you handle a busy service?", "Call back every ticket."),
      ("Why our kitchen?", "Seasonal menu.")]),
    # notes written after an interview, "I said:" over what was said
    ("## Barclays video interview, what I remember\n\n**Why banking?**\nI said:\n"
     "I interned in the branch team.\n\n**What do you know about our values?**\nI said:\n"
     "Respect and service.\n", "debrief.md",
     [("Why banking?", "I interned in the branch team."),
      ("What do you know about our values?", "Respect and service.")]),
    # a sheet's "Name" beside its "Question"; rows opening with an acronym in capitals
    ("Name,Question,Answer\nAisha,Tell me about yourself,Final year CS\n", "sheet.csv",
     [("Tell me about yourself", "Final year CS")]),
    ("#,Question,Answer\n1,Tell me about yourself,Backend dev\n,SOLID principles,single "
     "responsibility\n2,Why this company,Open banking\n", "sheet.csv",
     [("Tell me about yourself", "Backend dev"), ("SOLID principles", "single responsibility"),
      ("Why this company", "Open banking")]),
    # qualities under "Why should we hire you" are parts of its answer, laid out as titles
    ("Warehouse Supervisor - DHL\n\nTell me about yourself\n4 years at Hermes.\n\n"
     "Why should we hire you\nI already run a shift of the same size.\n\nLeadership\n"
     "I coach new starters myself.\n\nTeamwork\nI cover other leads' breaks.\n\n"
     "Biggest weakness\nI take too much on.\n", "n.txt",
     [("Tell me about yourself", "4 years at Hermes."),
      ("Why should we hire you", "I already run a shift of the same size.\nLeadership\n"
       "I coach new starters myself.\nTeamwork\nI cover other leads' breaks."),
      ("Biggest weakness", "I take too much on.")]),
    # Jupyter's "%%time" is no Obsidian comment; "U.S." is no "you"; a Markdown table
    ("**How do you profile slow code?**\nI time cells with `%%time`, then `%%sql` for the "
     "warehouse.\n", "n.md",
     [("How do you profile slow code?", "I time cells with %%time, then %%sql for the "
       "warehouse.")]),
    ("Question | Answer\n:-- | :--\nWhy nursing? | My grandma's carers\n", "n.md",
     [("Why nursing?", "My grandma's carers")]),
])
def test_what_the_latest_layouts_read_leaves_as_it_was(text, source, read):
    assert [(q.prompt, q.reference) for q in parse_notes(text, source)] == read


@pytest.mark.parametrize("text, source, asked", [
    # a sheet's research and logistics under their titles in the column of numbers
    ("#\tQuestion\tMy answer\n1\tWhy do you want to join our firm?\tBigger litigation practice\n"
     "\t\t\nFirm research\t\t\n\tFounded\t1998\n\tWho will interview me?\tCheryl Lim\n",
     "prep.tsv", ["Why do you want to join our firm?"]),
    # an Org to-do under a question, and the panel's questions under the person's own title
    ("* Interview\n** Describe a decision under pressure\n*** TODO pick one — the radiosonde? "
     "or the conference?\n* Questions for the panel\n** How long is the programme?\n",
     "m.org", ["Describe a decision under pressure"]),
    # research asked of oneself, about the employer, and one marked to ask them
    ("## What do they actually do?\n\n- ~60 trucks\n- Q: Microlise for telematics? → ask them\n\n"
     "## Interview questions\n\n### Why do you want to drive for us?\n\nNights suit me.\n",
     "n.md", ["Why do you want to drive for us?"]),
    # a form's empty slot
    ("Question 1: Why quality control?\nAnswer: I like catching faults early.\n\n"
     "Question 2: (add more if needed)\nAnswer:\n", "form.txt", ["Why quality control?"]),
])
def test_notes_of_ones_own_among_questions_are_no_questions(text, source, asked):
    assert [q.prompt for q in parse_notes(text, source)] == asked


@pytest.mark.parametrize("text, read", [
    # a competency's tag after each question, named in the notes' list of them
    ("Competencies: We are emotionally aware / We take ownership\n\n"
     "1. Why policing?\n\nTo serve.\n\n2. What do you know about us?\n\nA lot.\n\n"
     "3. Tell us about a time you dealt with a conflict situation. (We are emotionally aware)"
     "\n\nI stayed calm.\n\n4. Give an example of owning "
     "a problem (We take ownership)\n\nI fixed the rota.\n",
     [("Why policing?", ["To serve."]), ("What do you know about us?", ["A lot."]),
      ("Tell us about a time you dealt with a conflict situation.", ["I stayed calm."]),
      ("Give an example of owning a problem", ["I fixed the rota."])]),
    # brackets the notes name nowhere else, or in small letters, are the question's own
    ("## Tell me about a time you failed (and what you learned)\n\nI shipped late; I learned "
     "to ask early.\n\n## Describe your stack (Python)\n\nMostly Django.\n",
     [("Tell me about a time you failed (and what you learned)",
       ["I shipped late; I learned to ask early."]),
      ("Describe your stack (Python)", ["Mostly Django."])]),
    # a note in brackets after a question in bold: the answer is under it
    ("**2. Why us?**\n\nYour training.\n\n**3. Tell us about a time you made an error** (they "
     "WILL ask)\n\nI gave out the wrong bag and owned it.\n",
     [("Why us?", ["Your training."]),
      ("Tell us about a time you made an error", ["I gave out the wrong bag and owned it."])]),
    # a line naming a kind of questions ends the answer before it (not "Tough questions:")
    ("1. Why policing?\n\nTo serve.\n\nCOMPETENCY QUESTIONS\n\n2. Tell us about a conflict.\n\n"
     "I stepped in.\n\nTough questions:\n\nI answer what I can.\n",
     [("Why policing?", ["To serve."]), ("Tell us about a conflict.",
                                         ["I stepped in.", "Tough questions:",
                                          "I answer what I can."])]),
    # still to decide what to say, or to find a story: nothing to say yet; a length to keep to
    ("## Tell us about working in a team\n\n?? use the flu clinic example OR the audit. Decide!!"
     "\n\n## Describe a time you worked with others\n\n- need a better example than the "
     "charity match?? ask Sgt Reeves\n\n## Why nursing?\n\nI care.\n\n(keep to under 2 mins!! "
     "practise with timer)\n\n## How do you negotiate?\n\n??? never done it directly. say: "
     "supported the buyer.\n",
     [("Tell us about working in a team", []), ("Describe a time you worked with others", []),
      ("Why nursing?", ["I care."]),
      ("How do you negotiate?", ["??? never done it directly. say: supported the buyer."])]),
])
def test_tags_asides_kinds_of_questions_and_answers_undecided(text, read):
    assert [(q.prompt, [u.text for u in q.units]) for q in parse_notes(text)] == read


@pytest.mark.parametrize("text, read", [
    # questions numbered in brackets, roman or lettered, under a behaviour's banner
    ("=====\n1. SEEING THE BIG PICTURE\n=====\n\n(i) Give an example of when you supported wider "
     "priorities.\n\nS: Claims were slow.\nR: They fell to 19 days.\n\n(ii) How do you keep up "
     "to date?\n\nI read the bulletin.\n\n(ii) Tell us about a change of plan.\n\nTBC – maybe "
     "the storm surge? Ask Marcia\n\n=====\nSTRENGTHS\n=====\n\n(a) What motivates you?\n"
     "Cases getting paid.\n",
     [("Give an example of when you supported wider priorities.",
       ["S: Claims were slow.", "R: They fell to 19 days."]),
      ("How do you keep up to date?", ["I read the bulletin."]),
      ("Tell us about a change of plan.", []), ("What motivates you?", ["Cases getting paid."])]),
    # "(Use STAR)" after a question is a note on how to answer it
    ("Question: Why us?\nYour answer: Kind staff.\n\nQuestion: Tell me about a time you dealt "
     "with a difficult situation. (Use STAR)\nYour answer: I stepped back.\n",
     [("Why us?", ["Kind staff."]),
      ("Tell me about a time you dealt with a difficult situation.", ["I stepped back."])]),
    # an interview written up, the interviewers by name, and the answer one wishes one had given
    ("Dave: Why do you want to leave self-employment?\n\nMe: the paperwork does my head in.\n\n"
     "wish id said: I want to put my time into the engineering.\n\nDave: Where do you see "
     "yourself in a few years?\n\nMe: training apprentices.\n\nDave: Any questions for us?\n\n"
     "Me: do i take the van home?\n",
     [("Why do you want to leave self-employment?",
       ["I want to put my time into the engineering."]),
      ("Where do you see yourself in a few years?", ["training apprentices."]),
      ("Any questions for us?", ["do i take the van home?"])]),
    # in notes of "Q:" lines, a question asked without its label, after an empty answer or not
    ("Q: Why are you leaving?\nA: Roadmap froze.\n\nQ: How do you prioritise?\nA:\n\n"
     "What is your experience with Airflow?\nUsed it for 4 years.\n\nQ: Why us?\nA: Budgeting.\n",
     [("Why are you leaving?", ["Roadmap froze."]), ("How do you prioritise?", []),
      ("What is your experience with Airflow?", ["Used it for 4 years."]),
      ("Why us?", ["Budgeting."])]),
    # Ulysses' comments open a paragraph and are not closed; Obsidian's are closed
    ("# Prep\n\n%% Interview Tues, panel of three.\n\n## Why charity comms?\nI want to tell one "
     "story properly.\n\n## How would you handle bad press?\n\n%% think about this – the "
     "felling?? don't bring it up\n\n## Where in five years?\n%% keep it short\nLeading the "
     "comms.\n\n## Why us? %% check %%\nThe seagrass work.\n\n%%\nhidden\n%%\n",
     [("Why charity comms?", ["I want to tell one story properly."]),
      ("How would you handle bad press?", []), ("Where in five years?", ["Leading the comms."]),
      ("Why us?", ["The seagrass work."])]),
    # typed short: "ur", and "questions 4 them:" over the person's own
    ("why do u want to be an ABM\nmore responsibility\n\nhow would ur team describe u\n"
     "fair, calm\n\nquestions 4 them:\n- do ABMs get a bonus\n- staff food?\n",
     [("why do u want to be an ABM", ["more responsibility"]),
      ("how would ur team describe u", ["fair, calm"])]),
    # a question with nothing under it, then one over its answer: the next question
    ("tell me abt urself\n6 yrs data eng\n\nwhat would you do in first 90 days?\n\n"
     "conflict example?\nargued w PM about scope\n\nany questions for us?\n"
     "whats the team size?\n",
     [("tell me abt urself", ["6 yrs data eng"]), ("what would you do in first 90 days?", []),
      ("conflict example?", ["argued w PM about scope"]),
      ("any questions for us?", ["whats the team size?"])]),
    # a note to self in brackets is not said
    ("## Why us?\n\n- I love the product\n- (note to self: do not mention salary here!!)\n",
     [("Why us?", ["I love the product"])]),
    # a label of one line alone, or an English word, is nobody's name
    ("Q: Why us?\nA: Your training.\nNote: ask about parking?\n",
     [("Why us?", ["Your training.", "Note: ask about parking?"])]),
])
def test_numbered_in_brackets_star_notes_and_interviews_written_up(text, read):
    assert [(q.prompt, [u.text for u in q.units]) for q in parse_notes(text)] == read


def test_asciidoc_notes_read_as_their_headings_lists_and_blocks_say():
    notes = ("= Prep\n:toc:\n\n// private\n\n== Research\n\n* Is on-call shared?\n\n"
             "== Behavioural\n\n=== Tell me about yourself\n\nEight years in Go.\n\n"
             "NOTE: keep it under 90 seconds.\n\n=== A time you disagreed\n\n// TODO pick one\n\n"
             "=== Why leave?\n\nWe were acquired.\n\n[TIP]\n====\nDon't mention layoffs.\n====\n\n"
             "=== How would you make a webhook idempotent?\n\nStore a key per event.\n\n"
             "[source,go]\n----\n// insert the key\ntx.Exec(q)\n----\n\nThen return 200.\n\n"
             "== Questions for them\n\n. How is on-call organised?\n")
    read = [(q.prompt, q.reference) for q in parse_notes(notes, "prep.adoc")]
    assert read == [("Tell me about yourself", "Eight years in Go."),
                    ("A time you disagreed", ""), ("Why leave?", "We were acquired."),
                    ("How would you make a webhook idempotent?",
                     "Store a key per event.\nThen return 200.")]  # code is not said



def test_latex_notes_read_as_their_sections_lists_and_words():
    notes = ("\\documentclass{article}\n\\title{Prep}\n\\begin{document}\n\\maketitle\n"
             "% print two copies\n\\section*{Logistics}\n\\begin{itemize}\n"
             "  \\item Is Aird retiring? Who takes thermodynamics?\n\\end{itemize}\n"
             "\\section*{Panel}\n\\subsection*{Tell us about your research}\n"
             "\\emph{Ultrafast} spectroscopy, 50\\% of it -- in Heidelberg.\n"
             "% too long\n\\subsection*{How will you fund it?}\n\\begin{enumerate}\n"
             "  \\item EPSRC New Investigator Award.\n  \\item A \\textbf{Royal Society} grant.\n"
             "\\end{enumerate}\n\\subsection*{How would you support a PhD student?}\n"
             "\\todo{write this one -- use the\nHeidelberg story?}\n\n"
             "\\subsection*{Why Strathmore?}\nThe Clyde Energy Institute.\n\\begin{quote}\n"
             "Prof.\\ Schneider's advice: never criticise them.\n\\end{quote}\n"
             "\\section*{Questions for the panel}\n\\begin{enumerate}\n"
             "  \\item Is there a reduced load?\n\\end{enumerate}\n\\end{document}\n")
    read = [(q.prompt, q.reference, [u.line for u in q.units])
            for q in parse_notes(notes, "prep.tex")]
    assert read == [
        ("Tell us about your research", "Ultrafast spectroscopy, 50% of it – in Heidelberg.",
         [12]),
        ("How will you fund it?", "EPSRC New Investigator Award.\nA Royal Society grant.",
         [16, 17]),
        ("How would you support a PhD student?", "", []),
        ("Why Strathmore?", "The Clyde Energy Institute.", [24])]


def test_flashcards_exported_from_anki_as_plain_text():
    """The decks that ask, their cards' backs as lines; a deck of words to learn, the columns
    of decks and tags and a card tagged as logistics are no questions; a card with nothing on
    its back, or tagged todo, is a question still to answer."""
    notes = ("#separator:tab\n#html:true\n#deck column:1\n#tags column:4\n"
             "Job\tTell me about yourself.\t<div>Analytical chemist.</div><div>HPLC&nbsp;"
             "mostly.</div>\tinterview\n"
             "Job\tInterview - when?\tThu 10:00, ask for Niamh\tlogistics\n"
             "Words\twynik poza specyfikacją\tout-of-specification result\tvocab\n"
             "Words\tHow do you say \"zmiana\" in English?\tshift\tvocab\n"
             "Words\tALCOA+\tattributable, legible...\tvocab\n"
             "Job\tWhat is your greatest weakness?\t\tinterview todo\n"
             "Job\tWhat is an OOS?\t\"Out of \"\"spec\"\".<br>1. I keep everything.<br>"
             "2. I tell my supervisor.\"\tinterview\n")
    read = [(q.prompt, q.reference, q.line) for q in parse_notes(notes, "deck.txt")]
    assert read == [("Tell me about yourself.", "Analytical chemist.\nHPLC mostly.", 5),
                    ("What is your greatest weakness?", "", 10),
                    ("What is an OOS?", 'Out of "spec".\nI keep everything.\n'
                     "I tell my supervisor.", 11)]


def test_a_tables_lettered_questions_its_section_rows_and_rows_of_notes():
    """A table pasted with tabs, its questions lettered "A)": a row in capitals with nothing
    beside it is a section, a row without a letter among lettered ones ("Salary") and the
    person's own questions ("Qns to ask Mr Goh") are notes; a line in brackets that shouts
    or sets a check is a note to oneself."""
    notes = ("Q\tA\nPART 1 – ABOUT ME\t\nA) Tell me about yourself\tFive years at Harbourfront."
             "\n(say slowly!! I rushed last time)\nB) What is your biggest weakness\t\n"
             "(think!! not \"too hardworking\")\nC) Any questions for me?\tYes: how are "
             "portfolios assigned?\nSalary\tNow 4.2k. Ask 5.5k?\n"
             "Qns to ask Mr Goh\tIs there a clawback?\nWhat is the average portfolio?\n")
    read = [(q.prompt, q.reference) for q in parse_notes(notes, "table.txt")]
    assert read == [("Tell me about yourself", "Five years at Harbourfront."),
                    ("What is your biggest weakness", ""),
                    ("Any questions for me?", "Yes: how are portfolios assigned?")]


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(st.sampled_from(NOTES_LINES), max_size=30),
       name=st.sampled_from(["notes.md", "notes.txt", "notes.org", "notes.csv", "notes.adoc",
                             "notes.tex", "notes.html", "notes.enex"]))
def test_any_notes_read_or_say_why_not(lines, name):
    """Whatever the notes hold, in whatever order, the reader gives questions or the one-line
    error that there are none; never another exception (a traceback for the person)."""
    try:
        found = parse_notes("\n".join(lines), name)
    except NotesError:
        return
    assert all(q.prompt.strip() for q in found)

