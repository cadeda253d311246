"""An answer against its question: matching, meaning, delivery, pitch, the score,
follow-up questions on what it missed."""
