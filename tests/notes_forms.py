"""Lines of notes in every form the notes reader knows, for the property tests that draw
notes from them in any order (test_notes.py, test_importer.py)."""

NOTES_LINES = (
    "= Prep", "=== Tell me about yourself", "[source,go]", "----", "====", "[TIP]", "////",
    "NOTE: keep it short.", ":toc:", "// a comment", ". How is on-call run?", "** nested",
    "%% keep it short", "%%", "(ii) How do you keep up?", "(b) What motivates you?",
    "Dave: Why us?", "Me: the team.", "wish id said: the product.", "COMPETENCY QUESTIONS",
    "# Interview prep", "## Q1: Tell me about yourself", "### 3. Why us?", "**Q4. Why hire you?**",
    "Q: How do you handle pressure?", "A: I make a list.", "A:", "Why are you leaving?",
    "1. Tell me about yourself: Final year BCom.", "2. Why audit?: Because.", "1\\. Tell us why",
    "\\- mention the course", "• Tell me about your role", "\t◦ I lead a team.", "\t◦", "▪ x",
    "- [ ] print CV", "☐ iron shirt??", "Friend asked: So tell me about yourself",
    "What I said (cleaned up):", "Bec's feedback: slow down", "Tips: keep it short.",
    "(me - check this)", "(STAR)", "S: I was new.", "R: 20% up.", "**Why this school?** I love it.",
    "Scenario: A patient falls. What do you do?", "## Notes", "- do I mention it?", "## Logistics",
    "Questions to ask them:", "- What is the team like?", "| Question | Answer |", "|---|---|",
    "| Why us? | Growth |", "<details><summary>Why Monzo?</summary>", "</details>", "```",
    "```text", "#+BEGIN_SRC shell", "#+END_SRC", "#+BEGIN_QUOTE", "* TODO Why us?",
    "** DONE update CV", "# comment", ":PROPERTIES:", ":END:", "Page 2 of 3", "[Company Name]",
    "TODO", "???", "> quote",
    "> [!tip] Breathe", "Interviewer: Why us?", "Me: Because.", "You said:", "ChatGPT said:",
    "Front: Explain X", "Back: Y", "Why us -> growth", "Why us? — growth", "Question\tAnswer",
    "Why us?\tGrowth", "---", "===", "", "", "   ", "\r",
)
