import io

import openpyxl
import pandas as pd

from dashboard.components.export import neutralise, to_csv, to_xlsx


def test_ex001_formulas_are_neutralised_in_csv_and_xlsx():
    frame = pd.DataFrame(
        {"city": ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx", "calgary"], "count": [1, 2, 3, 4, 5, 6]}
    )
    safe = neutralise(frame)
    assert list(safe["city"][:5]) == ['\'=HYPERLINK("http://x")', "'+1", "'-2", "'@SUM(A1)", "'\tx"]
    assert safe["city"].iloc[5] == "calgary" and list(safe["count"]) == [1, 2, 3, 4, 5, 6]
    assert "'=HYPERLINK" in to_csv(frame)
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(frame))).active
    values = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert values[0].startswith("'=") and sheet.cell(2, 1).data_type == "s"
