"""`docs --json` and `show` carry the bibliographic record with where each value came from (issue 13)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from click.testing import CliRunner

from search.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
from minipdf import make_pdf  # noqa: E402


def test_docs_and_show_give_the_record_and_its_provenance(tmp_path):
    files = tmp_path / "in"
    files.mkdir()
    (files / "rap.pdf").write_bytes(
        make_pdf(
            "Lastensuojelun tilastoraportti 2025",
            ["Lastensuojelun asiakkaita oli vuonna 2025 enemmän kuin ennen. " * 20, "THL:n raportti 12/2026"],
            info={"Title": "Microsoft Word - rap_2025.docx", "Author": "Liisa Virtanen", "CreationDate": "D:20270101"},
            title_size=22,
        )
    )
    runner = CliRunner()
    data = ["--data-dir", str(tmp_path / "data")]
    result = runner.invoke(main, [*data, "ingest", "--no-index", "--json", str(files)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, [*data, "docs", "--json"])
    assert result.exit_code == 0, result.output
    (doc,) = json.loads(result.output)
    assert doc["title"] == "Lastensuojelun tilastoraportti 2025"
    assert doc["authors"] == ["Liisa Virtanen"]
    assert (doc["date"], doc["date_precision"]) == ("2026", "year")  # the series number's year, not the print date
    assert (doc["publisher"], doc["series"]) == ("THL", "THL:n raportti 12/2026")
    result = runner.invoke(main, [*data, "show", doc["id"], "--json"])
    shown = json.loads(result.output)
    assert shown["record"]["title"] == {"value": doc["title"], "source": "first-page", "where": "page 1, largest type"}
    assert shown["record"]["authors"]["source"] == "pdf-info"
    assert any(c["source"] == "print" and c["value"] == "2027-01-01" for c in shown["claims"])
    text = runner.invoke(main, [*data, "show", doc["id"]]).output
    assert "title: Lastensuojelun tilastoraportti 2025  [first-page: page 1, largest type]" in text
    assert "publisher: THL  [text: series THL:n raportti 12/2026]" in text
