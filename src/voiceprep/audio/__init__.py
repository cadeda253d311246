"""Sound in and out: audio files, devices, the recorder, playback, text to speech."""
