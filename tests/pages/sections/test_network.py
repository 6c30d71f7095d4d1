"""The network page's sections (``dashboard.pages.sections.network``): what the page writes from the view's values."""

import pytest

from dashboard.pages.sections import network as S
from dashboard.published.network_schema import NW, K
from dashboard.views import network as V


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_nv005_the_sentence_reads_the_e_i_index_as_the_table_does(demo_releases, lang):
    """The same published index in the sentence and in the table view: "+0,436" in both, not "+0,44" or "0,436"."""
    release = demo_releases["coalition"]
    choice = V.default_choice(release)
    values = V.metric_values(V.view_tables(release, choice)[NW.METRICS], choice)
    table = V.metrics_table(values, lang)
    shown = dict(zip(table.iloc[:, 0], table.iloc[:, 1], strict=True))
    ei = shown[V.t("network.col.ei_index", lang)]
    assert ei != "x" and len(ei.split("," if lang == "fr" else ".")[1]) == V.PLACES[K.EI]
    assert ei[0] in "+−-" or float(values[K.EI]) == 0  # signed, as the sentence writes it
    text = str(S._metrics_section(release, V.view_tables(release, choice), choice, lang))
    assert f" {ei}" in text  # the sentence's "… E-I index +0.436 …"
