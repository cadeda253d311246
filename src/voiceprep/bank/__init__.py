"""The question bank: questions and their key points, from TOML files or a person's notes."""
