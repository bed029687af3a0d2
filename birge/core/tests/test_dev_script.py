"""The README's second command sets up what the browser tests need by itself."""

import importlib.machinery
import importlib.util
import stat
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _dev_script() -> ModuleType:
    loader = importlib.machinery.SourceFileLoader("birge_dev_script", str(ROOT / "dev"))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def _fake_apt_get(tmp_path: Path) -> tuple[Path, Path]:
    calls = tmp_path / "apt-calls.txt"
    apt_get = tmp_path / "apt-get"
    apt_get.write_text(f'#!/bin/sh\necho "$@" >> {calls}\n')
    apt_get.chmod(apt_get.stat().st_mode | stat.S_IEXEC)
    return apt_get, calls


def test_a_missing_chromium_is_installed_with_apt_as_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: no chromium, root, and an apt-get that records what it is asked
    dev = _dev_script()
    apt_get, calls = _fake_apt_get(tmp_path)
    monkeypatch.setattr(dev, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setattr(dev.shutil, "which", lambda name: str(apt_get))
    monkeypatch.setattr(dev.os, "geteuid", lambda: 0)
    # when
    dev.ensure_chromium()
    # then
    lines = calls.read_text().splitlines()
    assert lines[0] == "update -qq"
    assert lines[1].split() == ["install", "-y", "-qq", "--no-install-recommends", "chromium"]


def test_without_root_it_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dev = _dev_script()
    apt_get, calls = _fake_apt_get(tmp_path)
    monkeypatch.setattr(dev, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setattr(dev.shutil, "which", lambda name: str(apt_get))
    monkeypatch.setattr(dev.os, "geteuid", lambda: 1000)
    with pytest.raises(SystemExit, match="chromium"):
        dev.ensure_chromium()
    assert not calls.exists()


def test_an_installed_chromium_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dev = _dev_script()
    apt_get, calls = _fake_apt_get(tmp_path)
    present = tmp_path / "chromium"
    present.write_text("")
    monkeypatch.setattr(dev, "CHROMIUM", present)
    monkeypatch.setattr(dev.shutil, "which", lambda name: str(apt_get))
    dev.ensure_chromium()
    assert not calls.exists()
