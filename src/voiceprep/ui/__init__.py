"""What the user sees: terminal rendering, the live view, the HTML report, charts."""
