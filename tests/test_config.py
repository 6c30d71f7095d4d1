import re
from pathlib import Path

import pytest

from dashboard.config import SETTINGS, Config, ConfigError

README = Path(__file__).resolve().parents[1] / "README.md"


def test_cf001_defaults():
    cfg = Config.from_env({})
    assert (cfg.host, cfg.port, cfg.debug) == ("127.0.0.1", 8050, False)


def test_cf002_environment_overrides():
    cfg = Config.from_env({"PORT": "9000", "DASHBOARD_DEBUG": "true"})
    assert cfg.port == 9000 and cfg.debug is True


@pytest.mark.parametrize("env", [{"PORT": "eighty"}, {"DASHBOARD_DEBUG": "maybe"}, {"DASHBOARD_LANGUAGE": "de"}])
def test_cf003_bad_values_are_refused_with_the_setting_named(env):
    with pytest.raises(ConfigError, match=next(iter(env))):
        Config.from_env(env)


def test_cf004_every_setting_is_documented_in_the_readme():
    text = README.read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert re.search(rf"`{setting.env}`", text), f"{setting.env} is not documented in README.md"
