"""A fresh machine gets exactly what CI tested: every dependency pinned with its hashes, and both
the Makefile and the image install from the lock files with hash checking on."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pins(lock: str) -> dict[str, list[str]]:
    """Each pinned package of a lock file with its hashes."""
    pins: dict[str, list[str]] = {}
    current = None
    for line in (ROOT / lock).read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==\S+", line)
        if match:
            current = match[1].lower().replace("_", "-")
            pins[current] = []
        elif current and "--hash=sha256:" in line:
            pins[current].append(line.split("--hash=sha256:")[1].split()[0])
    return pins


def _declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return (
        {_name(r) for r in project["dependencies"]},
        {_name(r) for r in project["optional-dependencies"]["dev"]},
    )


def test_every_declared_dependency_is_pinned_with_hashes():
    app, dev = _declared()
    app_lock, dev_lock = _pins("requirements.lock"), _pins("requirements-dev.lock")
    assert app - set(app_lock) == set(), "run `make lock`: requirements.lock misses these"
    assert (app | dev) - set(dev_lock) == set(), "run `make lock`: requirements-dev.lock misses"
    assert all(app_lock.values()) and all(dev_lock.values()), "a pin without a hash"
    # The image gets no test tools.
    assert (dev - app) & set(app_lock) == set()


def test_the_app_lock_and_the_dev_lock_agree_on_every_shared_version():
    def versions(lock):
        text = (ROOT / lock).read_text()
        return dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", text, re.M))

    app, dev = versions("requirements.lock"), versions("requirements-dev.lock")
    assert {
        name: (version, dev.get(name)) for name, version in app.items() if dev.get(name) != version
    } == {}


def test_makefile_and_image_install_only_hashed_pins():
    makefile = (ROOT / "Makefile").read_text()
    assert "--require-hashes -r requirements-dev.lock" in makefile
    assert "pip install --quiet -e" not in makefile
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --require-hashes -r requirements.lock" in dockerfile
    assert "pip install ." not in dockerfile
