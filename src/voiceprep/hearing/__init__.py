"""Speech to text: speech found as it arrives, Whisper engines and models, the
transcriber and its guards against what Whisper invents."""
