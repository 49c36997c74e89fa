"""The suite runs on exactly the versions in uv.lock: an install that drifted fails here."""

import tomllib
from importlib import metadata
from pathlib import Path

from packaging.utils import canonicalize_name

LOCK = Path(__file__).resolve().parents[2] / "uv.lock"


def _locked_versions() -> dict[str, str]:
    lock = tomllib.loads(LOCK.read_text())
    return {
        canonicalize_name(package["name"]): package["version"]
        for package in lock["package"]
        if "registry" in package.get("source", {})
    }


def _project_requirements() -> set[str]:
    lock = tomllib.loads(LOCK.read_text())
    (project,) = (package for package in lock["package"] if package["name"] == "mirpal")
    names = {dependency["name"] for dependency in project["dependencies"]}
    names |= {dependency["name"] for dependency in project["optional-dependencies"]["dev"]}
    return {canonicalize_name(name) for name in names}


def test_every_installed_distribution_is_the_locked_version():
    locked = _locked_versions()
    drifted = sorted(
        (name, distribution.version, locked[name])
        for distribution in metadata.distributions()
        if (name := canonicalize_name(distribution.metadata["Name"])) in locked
        and distribution.version != locked[name]
    )
    assert drifted == []


def test_every_direct_dependency_is_installed_from_the_lock():
    installed = {
        canonicalize_name(distribution.metadata["Name"])
        for distribution in metadata.distributions()
    }
    assert sorted(_project_requirements() - installed) == []
    assert sorted(_project_requirements() - set(_locked_versions())) == []
