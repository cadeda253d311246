"""Every attempt kept: the store (the only writer of the database), migrations,
recovery, the overlay of the user's own wording, review, progress, export."""
