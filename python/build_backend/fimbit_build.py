"""The PEP 517 build backend of the fimbit package, with the standard library
alone, so that `pip install ./python` works offline in a fresh virtual
environment: building a wheel compiles libfimbit.so from the C tree with
CMake (the checkout around python/, or native/ inside an sdist) and ships it
inside the package as fimbit/libfimbit.so.0, which fimbit/_native.py loads
unless FIMBIT_LIBRARY names another.

Config settings (pip --config-settings / -C):
  build-dir=PATH  the CMake build directory; default python/build/cmake, kept
                  between builds so that a rebuild compiles only what changed.
"""
import base64
import hashlib
import io
import os
import subprocess
import sysconfig
import tarfile
import zipfile

NAME = "fimbit"
VERSION = "0.1.0"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIST_INFO = f"{NAME}-{VERSION}.dist-info"
LIBRARY = "libfimbit.so.0"
# What the library's build needs of the C tree (no tests, benchmarks or docs).
NATIVE_PARTS = ["CMakeLists.txt", "cmake", "include", "kernels", "src"]

METADATA = f"""Metadata-Version: 2.1
Name: {NAME}
Version: {VERSION}
Summary: Frequent itemsets, association rules and recommendations (libfimbit via ctypes)
Requires-Python: >=3.8
Requires-Dist: pandas
Requires-Dist: numpy
"""


def _platform_tag():
    return sysconfig.get_platform().replace("-", "_").replace(".", "_")


def _wheel_file():
    return f"""Wheel-Version: 1.0
Generator: {NAME}_build
Root-Is-Purelib: false
Tag: py3-none-{_platform_tag()}
"""


def _native_tree():
    """The C tree: native/ in an unpacked sdist, else the checkout above python/."""
    for tree in (os.path.join(ROOT, "native"), os.path.dirname(ROOT)):
        if os.path.exists(os.path.join(tree, "include", "fimbit.h")):
            return tree
    raise RuntimeError(f"fimbit: no C sources to build libfimbit from (looked in {ROOT}/native "
                       f"and {os.path.dirname(ROOT)})")


def _build_library(config_settings):
    """Configures and builds the shared library alone. @return its path."""
    settings = config_settings or {}
    build = os.path.abspath(settings.get("build-dir") or os.path.join(ROOT, "build", "cmake"))
    configure = ["cmake", "-S", _native_tree(), "-B", build, "-DCMAKE_BUILD_TYPE=Release",
                 "-DFIMBIT_TESTS=OFF", "-DFIMBIT_BENCH=OFF", "-DFIMBIT_MPI=OFF"]
    compile_ = ["cmake", "--build", build, "--target", "fimbit_shared",
                "--parallel", str(os.cpu_count() or 1)]
    for command in (configure, compile_):
        try:
            subprocess.run(command, check=True, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        except FileNotFoundError:
            raise RuntimeError("fimbit: building libfimbit needs cmake and a C compiler "
                               "(on Debian: apt-get install cmake gcc libhwloc-dev "
                               "libzstd-dev zlib1g-dev pkg-config)") from None
        except subprocess.CalledProcessError as failure:
            raise RuntimeError(f"fimbit: `{' '.join(command)}` failed:\n{failure.stdout}") \
                from None
    return os.path.realpath(os.path.join(build, LIBRARY))


def _package_files():
    package = os.path.join(ROOT, NAME)
    for name in sorted(os.listdir(package)):
        if name.endswith(".py"):
            yield f"{NAME}/{name}", os.path.join(package, name)


def _record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    library = _build_library(config_settings)
    wheel_name = f"{NAME}-{VERSION}-py3-none-{_platform_tag()}.whl"
    records = []
    with zipfile.ZipFile(os.path.join(wheel_directory, wheel_name), "w",
                         zipfile.ZIP_DEFLATED) as wheel:
        entries = [(path, open(source, "rb").read(), 0o644) for path, source in _package_files()]
        entries.append((f"{NAME}/{LIBRARY}", open(library, "rb").read(), 0o755))
        entries += [(f"{DIST_INFO}/METADATA", METADATA.encode(), 0o644),
                    (f"{DIST_INFO}/WHEEL", _wheel_file().encode(), 0o644)]
        for path, data, mode in entries:
            info = zipfile.ZipInfo(path, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(info, data)
            records.append(_record_line(path, data))
        records.append(f"{DIST_INFO}/RECORD,,")
        wheel.writestr(f"{DIST_INFO}/RECORD", "\n".join(records) + "\n")
    return wheel_name


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    target = os.path.join(metadata_directory, DIST_INFO)
    os.makedirs(target, exist_ok=True)
    with open(os.path.join(target, "METADATA"), "w") as out:
        out.write(METADATA)
    return DIST_INFO


def build_sdist(sdist_directory, config_settings=None):
    """The package and the C tree it builds from (as native/)."""
    base = f"{NAME}-{VERSION}"
    name = f"{base}.tar.gz"
    tree = _native_tree()
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as sdist:
        for path in ["pyproject.toml", "build_backend/fimbit_build.py"]:
            sdist.add(os.path.join(ROOT, path), f"{base}/{path}")
        for path, source in _package_files():
            sdist.add(source, f"{base}/{path}")
        for part in NATIVE_PARTS:
            sdist.add(os.path.join(tree, part), f"{base}/native/{part}")
        info = tarfile.TarInfo(f"{base}/PKG-INFO")
        info.size = len(METADATA.encode())
        sdist.addfile(info, io.BytesIO(METADATA.encode()))
    return name


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []
