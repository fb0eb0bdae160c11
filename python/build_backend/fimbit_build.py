"""A minimal PEP 517 build backend for the pure-Python fimbit package: it
zips fimbit/*.py into a wheel (and the tree into an sdist) with the standard
library alone, so that pip can install offline without fetching setuptools."""
import base64
import hashlib
import io
import os
import tarfile
import zipfile

NAME = "fimbit"
VERSION = "0.1.0"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIST_INFO = f"{NAME}-{VERSION}.dist-info"

METADATA = f"""Metadata-Version: 2.1
Name: {NAME}
Version: {VERSION}
Summary: Frequent itemsets, association rules and recommendations (libfimbit via ctypes)
Requires-Python: >=3.8
Requires-Dist: pandas
Requires-Dist: numpy
"""

WHEEL = f"""Wheel-Version: 1.0
Generator: {NAME}_build
Root-Is-Purelib: true
Tag: py3-none-any
"""


def _package_files():
    package = os.path.join(ROOT, NAME)
    for name in sorted(os.listdir(package)):
        if name.endswith(".py"):
            yield f"{NAME}/{name}", os.path.join(package, name)


def _record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    wheel_name = f"{NAME}-{VERSION}-py3-none-any.whl"
    records = []
    with zipfile.ZipFile(os.path.join(wheel_directory, wheel_name), "w",
                         zipfile.ZIP_DEFLATED) as wheel:
        entries = [(path, open(source, "rb").read()) for path, source in _package_files()]
        entries += [(f"{DIST_INFO}/METADATA", METADATA.encode()),
                    (f"{DIST_INFO}/WHEEL", WHEEL.encode())]
        for path, data in entries:
            wheel.writestr(path, data)
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
    base = f"{NAME}-{VERSION}"
    name = f"{base}.tar.gz"
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as sdist:
        for path in ["pyproject.toml", "build_backend/fimbit_build.py"]:
            sdist.add(os.path.join(ROOT, path), f"{base}/{path}")
        for path, source in _package_files():
            sdist.add(source, f"{base}/{path}")
        info = tarfile.TarInfo(f"{base}/PKG-INFO")
        info.size = len(METADATA.encode())
        sdist.addfile(info, io.BytesIO(METADATA.encode()))
    return name


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []
