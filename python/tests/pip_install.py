"""`pip install ./python` alone, offline, in a fresh virtual environment:
the build backend compiles libfimbit with CMake and ships it in the package,
so `import fimbit` works with nothing installed before (the environment sees
Debian's pandas and numpy, which pip would otherwise fetch). Then the wheel
of `pip wheel ./python` installs into a second fresh environment, and
FIMBIT_LIBRARY still decides which library is loaded.

Environment (set by ctest): FIMBIT_SOURCE_DIR, FIMBIT_BUILD_DIR (the CMake
build directory the backend reuses is FIMBIT_BUILD_DIR/python-wheel)."""
import glob
import os
import subprocess
import sys
import tempfile
import unittest
import zipfile

SOURCE = os.environ.get("FIMBIT_SOURCE_DIR",
                        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
PACKAGE = os.path.join(SOURCE, "python")
BUILD = os.path.join(os.environ.get("FIMBIT_BUILD_DIR", tempfile.gettempdir()), "python-wheel")
# Mines a small frame and derives its rules with the installed package.
SMOKE = """
import os, pandas as pd, fimbit
from fimbit import _native
from fimbit.frequent_patterns import fpgrowth, association_rules
frame = pd.DataFrame({"milk": [1, 1, 1, 0], "bread": [1, 1, 0, 1]}).astype(bool)
rules = association_rules(fpgrowth(frame, min_support=0.5, use_colnames=True), 4, min_threshold=0.6)
print(os.path.realpath(fimbit.__file__), os.path.realpath(_native.lib._name), len(rules))
"""


def clean_environment():
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("FIMBIT_", "PYTHON"))}
    environment["PIP_NO_INDEX"] = "1"  # offline: nothing may come from a package index
    return environment


def run(command, environment=None, cwd=None):
    done = subprocess.run(command, env=environment or clean_environment(), cwd=cwd,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise AssertionError(f"{' '.join(command)} failed ({done.returncode}):\n"
                             f"{done.stdout}\n{done.stderr}")
    return done.stdout


class PipInstall(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        probe = subprocess.run(["/usr/bin/python3", "-c", "import ensurepip, venv"],
                               capture_output=True)
        if probe.returncode != 0:
            raise unittest.SkipTest("python3-venv is not installed")

    def fresh_environment(self, directory):
        run(["/usr/bin/python3", "-m", "venv", "--system-site-packages", directory])
        return os.path.join(directory, "bin", "python")

    def check_installed(self, python, directory, environment=None):
        package, library, rules = run([python, "-c", SMOKE], environment,
                                      cwd=directory).split()
        self.assertTrue(package.startswith(os.path.realpath(directory)), package)
        self.assertEqual(library, os.path.join(os.path.dirname(package), "libfimbit.so.0"))
        self.assertEqual(rules, "2")  # milk => bread and bread => milk, confidence 2/3

    def test_install_in_a_fresh_environment(self):
        with tempfile.TemporaryDirectory() as directory:
            python = self.fresh_environment(directory)
            run([python, "-m", "pip", "install", "--quiet", PACKAGE,
                 "--config-settings", f"build-dir={BUILD}"])
            self.check_installed(python, directory)
            # FIMBIT_LIBRARY still overrides the library in the package.
            environment = dict(clean_environment(), FIMBIT_LIBRARY="/nonexistent/libfimbit.so")
            failed = subprocess.run([python, "-c", "import fimbit"], env=environment,
                                    capture_output=True, text=True, cwd=directory)
            self.assertNotEqual(failed.returncode, 0)
            self.assertIn("cannot load the fimbit library", failed.stderr)
            self.assertIn("/nonexistent/libfimbit.so", failed.stderr)

    def test_wheel_installs_elsewhere(self):
        with tempfile.TemporaryDirectory() as wheels, \
                tempfile.TemporaryDirectory() as directory:
            run(["/usr/bin/python3", "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", wheels,
                 PACKAGE, "--config-settings", f"build-dir={BUILD}"])
            [wheel] = glob.glob(os.path.join(wheels, "*.whl"))
            self.assertRegex(os.path.basename(wheel), r"^fimbit-0\.1\.0-py3-none-linux_\w+\.whl$")
            with zipfile.ZipFile(wheel) as archive:
                self.assertIn("fimbit/libfimbit.so.0", archive.namelist())
            python = self.fresh_environment(directory)
            run([python, "-m", "pip", "install", "--quiet", wheel])
            self.check_installed(python, directory)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
