import pandas as pd

from dashboard.figures import trends
from dashboard.figures.theme import OKABE_ITO


def test_fg001_respondents_by_wave_draws_one_bar_per_wave():
    table = pd.DataFrame({"wave": [2012, 2014, 2016], "count": pd.array([55, 95, None], dtype="Int64")})
    fig = trends.respondents_by_wave(table)
    assert list(fig["data"][0]["x"]) == ["2012", "2014", "2016"]
    assert list(fig["data"][0]["y"]) == [55, 95, 0]
    assert list(fig["data"][0]["text"]) == ["55", "95", "x"]  # a hidden count is labelled, not drawn as zero silently
    assert fig["data"][0]["marker"]["color"] in OKABE_ITO


def test_fg002_summary_sentence_states_first_and_last_wave():
    table = pd.DataFrame({"wave": [2012, 2024], "count": pd.array([55, 480], dtype="Int64")})
    assert trends.respondents_summary(table) == "The survey grew from 55 respondents in 2012 to 480 in 2024."
    assert "480" in trends.respondents_summary(table, "fr")
