from voiceprep.cli import main

main()
