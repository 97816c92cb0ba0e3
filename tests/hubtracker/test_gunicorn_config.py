"""gunicorn.conf.py reads its settings from the environment with defaults for a small machine."""

import importlib.util
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def load(monkeypatch, **env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("gunicorn_conf", CONFIG)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_defaults_suit_a_small_machine(monkeypatch):
    for name in ("GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    config = load(monkeypatch)
    assert config.worker_class == "gthread"
    assert config.bind == "127.0.0.1:8000"
    assert 2 <= config.workers <= 9
    assert config.threads == 4
    assert config.timeout == 60
    assert config.accesslog == "-"


def test_environment_overrides_each_setting(monkeypatch):
    config = load(
        monkeypatch,
        GUNICORN_BIND="0.0.0.0:9000",
        GUNICORN_WORKERS="5",
        GUNICORN_THREADS="8",
        GUNICORN_TIMEOUT="120",
    )
    assert (config.bind, config.workers, config.threads, config.timeout) == (
        "0.0.0.0:9000",
        5,
        8,
        120,
    )
