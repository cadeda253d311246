"""voiceprep: a local, private voice mock-interview coach."""

from voiceprep.privacy import confine_libraries

confine_libraries()  # before any module of the package can load onnxruntime or matplotlib

__version__ = "0.1.0"
