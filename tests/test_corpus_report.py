"""Pieces of report.html that do not need a whole corpus."""

from pathlib import Path

import pandas as pd

from sca.corpus.report import _link, evidence_table, timeline_png


def test_evidence_links_point_at_the_page_of_the_source_pdf(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    src = tmp_path / "in" / "r1.pdf"
    m = pd.DataFrame([{"doc_id": "r1", "file": str(src), "page": 4, "para": "4.12", "theme": "hidden_men",
                       "sentence": "Little was known about <the partner>.", "evidence": "hidden_men: pattern"}])
    html = evidence_table(m, out)
    assert 'href="../in/r1.pdf#page=4"' in html
    assert "p. 4, para 4.12" in html
    assert "&lt;the partner&gt;" in html  # text is escaped
    assert _link(str(tmp_path / "in" / "r2.txt"), out, 3) == "../in/r2.txt"  # no page anchor outside PDFs


def test_evidence_table_is_capped_with_a_note(tmp_path):
    m = pd.DataFrame([{"doc_id": "r", "file": "r.txt", "page": None, "para": None, "theme": "t",
                       "sentence": f"s{i}", "evidence": ""} for i in range(5)])
    html = evidence_table(m, tmp_path, max_rows=2)
    assert html.count("<tr>") == 3 and "First 2 of 5 mentions" in html


def test_no_timeline_without_dated_events():
    ev = pd.DataFrame([{"doc_id": "r", "event_id": "e1", "date": None, "agency": "police", "concern": False,
                        "contact_type": "visit"}])
    assert timeline_png(ev, "r") is None


def test_cooccurrence_heatmap_masks_the_diagonal():
    # a theme always co-occurs with itself; left in, that count sets the colour scale and
    # washes out every pair, so the report greys the diagonal out
    import numpy as np
    import pandas as pd
    from unittest import mock

    from sca.corpus import report

    m = pd.DataFrame([[50, 3], [3, 20]], index=["a", "b"], columns=["a", "b"])
    seen = {}
    real_imshow = None

    def spy(self, values, *args, **kwargs):
        seen["values"] = values
        return real_imshow(self, values, *args, **kwargs)

    import matplotlib.axes

    real_imshow = matplotlib.axes.Axes.imshow
    with mock.patch.object(matplotlib.axes.Axes, "imshow", spy):
        assert report.heatmap(m, "t", "c", mask_diagonal=True).startswith("data:image/png;base64,")
    values = seen["values"]
    assert isinstance(values, np.ma.MaskedArray)
    assert values.mask.tolist() == [[True, False], [False, True]]
    assert values.max() == 3
