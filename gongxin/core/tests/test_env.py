"""Settings come from the environment; secrets may come from files (`*_FILE`)."""

from __future__ import annotations

import stat

from gongxin.env import env, env_bool, env_list, secret_key


def test_a_secret_is_read_from_the_file_named_by_its_file_variant(tmp_path, monkeypatch):
    path = tmp_path / "db_url"
    path.write_text("postgres://u:p@db/gongxin\n", encoding="utf-8")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///ignored")
    monkeypatch.setenv("DATABASE_URL_FILE", str(path))
    assert env("DATABASE_URL") == "postgres://u:p@db/gongxin"


def test_the_secret_key_is_generated_once_into_var_with_private_permissions(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("SECRET_KEY_FILE", raising=False)
    first = secret_key(tmp_path)
    assert len(first) >= 50
    assert secret_key(tmp_path) == first
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_an_explicit_secret_key_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-env")
    assert secret_key(tmp_path) == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_booleans_and_lists(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    monkeypatch.setenv("X_HOSTS", "a.gov.cn, b.gov.cn,")
    assert env_bool("X_FLAG") is True
    assert env_bool("X_MISSING", default=False) is False
    assert env_list("X_HOSTS", []) == ["a.gov.cn", "b.gov.cn"]
