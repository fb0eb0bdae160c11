"""Runs the binding's tests for ctest: exit 0 when they pass, 1 when one
fails, 77 (ctest's skip) when pandas or numpy is missing or the library is a
sanitizer build (which Python cannot load without preloading the runtime).

    run.py [PATTERN]   the test files to run; default test_*.py"""
import os
import sys
import unittest

if os.environ.get("FIMBIT_SANITIZE") == "ON":
    print("SKIPPED: python_binding in a sanitizer build")
    sys.exit(77)
try:
    import numpy  # noqa: F401
    import pandas  # noqa: F401
except ImportError as error:
    print(f"SKIPPED: python_binding needs pandas and numpy ({error})")
    sys.exit(77)

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(here))
pattern = sys.argv[1] if len(sys.argv) > 1 else "test_*.py"
suite = unittest.defaultTestLoader.discover(here, pattern=pattern)
result = unittest.TextTestRunner(verbosity=2).run(suite)
sys.exit(0 if result.wasSuccessful() else 1)
