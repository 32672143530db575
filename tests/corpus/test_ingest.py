"""Ingest end to end: real files in, documents out; bad input gets a reason and loses nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus.config import Settings
from corpus.ingest import Pipeline, ingest_paths
from corpus.rawstore import RawStore
from corpus.store import Store
from search.cli import main

FI_TEXT = (
    "Lastensuojelun sijaishuolto\n\n"
    "Lastensuojelun sijaishuollossa lapsi asuu perhehoidossa tai laitoksessa. Hyvinvointialueen "
    "sosiaalityöntekijä vastaa lapsen asioista ja suunnittelee sijaishuollon yhdessä lapsen kanssa.\n\n"
    "Sammanfattning\n\n"
    "I barnskyddets vård utom hemmet bor barnet i familjevård eller på en institution. Socialarbetaren "
    "vid välfärdsområdet ansvarar för barnets ärenden och planerar vården tillsammans med barnet.\n"
)


def pipeline(**kw) -> Pipeline:
    return Pipeline(settings=Settings(workers=1, **kw))


def ingest(data_dir, paths, **kw):
    with Store(data_dir.store_file) as store:
        return ingest_paths(store, RawStore(data_dir.raw_dir), paths, pipeline(**kw), hints={"country": "FI"})


def test_text_file_becomes_a_document_with_languages_per_section(data_dir, tmp_path):
    path = tmp_path / "raportti.txt"
    path.write_text(FI_TEXT, encoding="utf-8")
    report = ingest(data_dir, [path])
    assert report.counts["new"] == 1, report.failures
    with Store(data_dir.store_file) as store:
        (doc,) = store.documents(with_sections=True)
    assert doc.url == path.absolute().as_uri()
    assert doc.lang == "fi" and "sv" in doc.langs
    assert doc.country == "FI"
    assert {s.lang for s in doc.sections} >= {"fi", "sv"}


def test_reingesting_identical_bytes_is_a_no_op_and_changed_bytes_a_new_version(data_dir, tmp_path):
    path = tmp_path / "raportti.txt"
    path.write_text(FI_TEXT, encoding="utf-8")
    ingest(data_dir, [path])
    assert ingest(data_dir, [path]).counts["unchanged"] == 1
    path.write_text(FI_TEXT + "\nLisäys: uusi kappale kotihoidosta ja omaishoidosta.\n", encoding="utf-8")
    assert ingest(data_dir, [path]).counts["changed"] == 1
    with Store(data_dir.store_file) as store:
        (doc,) = store.documents()
        assert doc.version == 2
        assert len(store.versions(doc.id)) == 2


def bad_inputs(tmp: Path) -> dict[str, Path]:
    files = {
        "empty": tmp / "empty.html",
        "not_pdf": tmp / "not-a-pdf.pdf",
        "truncated_pdf": tmp / "truncated.pdf",
        "nested_html": tmp / "nested.html",
        "undecodable": tmp / "binary.txt",
        "huge": tmp / "huge.pdf",
    }
    files["empty"].write_bytes(b"")
    files["not_pdf"].write_bytes(b"<html><body>This is HTML pretending to be a PDF</body></html>")
    files["truncated_pdf"].write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj <<")
    files["nested_html"].write_text("<html><body>" + "<div>" * 50_000 + "syvä" + "</div>" * 50_000 + "</body></html>")
    files["undecodable"].write_bytes(bytes(range(256)) * 40)
    with open(files["huge"], "wb") as out:  # sparse: 200 MB on paper, nothing on disk
        out.truncate(200 * 1024 * 1024)
    return files


def test_bad_input_gets_a_reason_and_the_run_goes_on(data_dir, tmp_path):
    files = bad_inputs(tmp_path)
    good = tmp_path / "good.txt"
    good.write_text(FI_TEXT, encoding="utf-8")
    missing = tmp_path / "gone.txt"
    report = ingest(data_dir, [*files.values(), missing, good])
    reasons = {Path(f.url.removeprefix("file://")).name: f.reason for f in report.failures}
    assert report.counts["new"] == 1
    assert set(reasons) >= {"empty.html", "not-a-pdf.pdf", "truncated.pdf", "huge.pdf", "gone.txt", "binary.txt"}
    assert "too large" in reasons["huge.pdf"]
    assert "not found" in reasons["gone.txt"]
    for reason in reasons.values():
        assert reason and "\n" not in reason and "Traceback" not in reason
    with Store(data_dir.store_file) as store:
        counts = store.status_counts()
    assert counts["by_status"]["failed"] == report.counts["failed"]


def test_file_that_disappears_mid_run_is_reported(data_dir, tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(FI_TEXT, encoding="utf-8")
    second.write_text(FI_TEXT.replace("sijaishuolto", "perhehoito"), encoding="utf-8")
    with Store(data_dir.store_file) as store:
        report = ingest_paths(
            store, RawStore(data_dir.raw_dir), [tmp_path], pipeline(), on_done=lambda o: second.unlink(missing_ok=True)
        )
    assert report.counts["new"] == 1
    assert report.failures and "not found" in report.failures[0].reason


def test_ingest_cli_json_report(tmp_path):
    path = tmp_path / "raportti.txt"
    path.write_text(FI_TEXT, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    result = CliRunner().invoke(
        main,
        ["--data-dir", str(tmp_path / "d"), "ingest", str(tmp_path), "--json", "--publisher", "THL", "--country", "fi"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["new"], data["failed"]) == (1, 1)
    docs = json.loads(CliRunner().invoke(main, ["--data-dir", str(tmp_path / "d"), "docs", "--json"]).output)
    assert [(d["publisher"], d["country"], d["lang"]) for d in docs] == [("THL", "FI", "fi")]
    assert set(docs[0]) >= {"id", "url", "title", "lang", "langs", "country", "publisher", "date", "areas"}
    shown = json.loads(
        CliRunner().invoke(main, ["--data-dir", str(tmp_path / "d"), "show", docs[0]["id"], "--json"]).output
    )
    assert shown["sections"] and all(s["lang"] for s in shown["sections"])


@pytest.mark.slow
def test_sigkilled_ingest_leaves_a_store_the_next_run_completes(tmp_path, shared_data):
    files = tmp_path / "files"
    files.mkdir()
    for i, seed in enumerate(sorted((shared_data / "seeds").glob("*.txt"))):
        for j in range(15):
            (files / f"{i}-{j}.txt").write_text(
                seed.read_text(encoding="utf-8") + f"\n\nKopio {j}.\n", encoding="utf-8"
            )
    for pdf in sorted((shared_data / "pdf").glob("sv_prop_*.pdf"))[:4]:
        (files / pdf.name).write_bytes(pdf.read_bytes())
    data = tmp_path / "data"
    cmd = [sys.executable, "-m", "search", "--data-dir", str(data), "ingest", str(files), "--no-index", "--json"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:  # kill once some, but not all, documents are in
        time.sleep(0.2)
        if (data / "store.sqlite").exists():
            with Store(data / "store.sqlite", readonly=True) as store:
                try:
                    if store.count(None) >= 5:
                        break
                except Exception:
                    continue
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    with Store(data / "store.sqlite", readonly=True) as store:
        before = store.count(None)
    total = len(list(files.iterdir()))
    assert before < total, "the run finished before it could be killed; make the input bigger"
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with Store(data / "store.sqlite") as store:
        assert store.count(None) == total
        assert store.connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
