"""Hostile input: every refusal is a ReadError subclass naming the file and the reason."""

from __future__ import annotations

import pytest

import sca
from sca.errors import FileTooLargeError, ReadError

from fixtures_broken import make_cp1252_text, make_hostile_set, make_pdf, make_zip_bomb_docx


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    return folder, make_hostile_set(folder)


def test_every_hostile_file_is_refused_with_its_reason(hostile):
    folder, expected = hostile
    for name, reason in expected.items():
        with pytest.raises(ReadError) as info:
            sca.read(folder / name, max_docx_uncompressed=1024 * 1024)
        assert info.value.reason == reason, (name, str(info.value))
        assert name in str(info.value)


def test_messages_say_why(hostile):
    folder, _ = hostile
    with pytest.raises(sca.NoTextLayerError, match="OCR"):
        sca.read(folder / "scanned.pdf")
    with pytest.raises(sca.EncryptedDocumentError, match="encrypted"):
        sca.read(folder / "encrypted.pdf")
    with pytest.raises(sca.FormatMismatchError, match="HTML"):
        sca.read(folder / "page.pdf")


def test_docx_inflated_size_is_checked_before_unpacking(tmp_path):
    bomb = make_zip_bomb_docx(tmp_path / "bomb.docx", 2 * 1024 * 1024)
    assert bomb.stat().st_size < 100_000
    with pytest.raises(FileTooLargeError, match="max_docx_uncompressed"):
        sca.read(bomb, max_docx_uncompressed=1024 * 1024)


def test_file_size_limit_is_configurable(tmp_path):
    pdf = make_pdf(tmp_path / "r.pdf")
    with pytest.raises(FileTooLargeError):
        sca.read(pdf, max_bytes=1000)
    assert sca.read(pdf, max_bytes=None).paragraphs


def test_cp1252_text_is_decoded(tmp_path):
    review = sca.read(make_cp1252_text(tmp_path / "old.txt"))
    text = review.text
    assert "Child T\u2019s review \u2013 caf\u00e9 visit" in text
    assert "\ufffd" not in text
    assert any("cp1252" in w for w in review.warnings)


def test_missing_file_and_unsupported_extension(tmp_path):
    with pytest.raises(ReadError, match="no such file"):
        sca.read(tmp_path / "nope.pdf")
    odd = tmp_path / "review.xyz"
    odd.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(sca.UnsupportedFormatError):
        sca.read(odd)


def test_read_folder_skips_bad_files_with_a_warning(tmp_path, hostile):
    make_pdf(tmp_path / "good.pdf")
    (tmp_path / "empty.pdf").write_bytes(b"")
    with pytest.warns(UserWarning, match="empty"):
        reviews = sca.read_folder(tmp_path)
    assert [r.doc_id for r in reviews] == ["good"]
    with pytest.raises(sca.EmptyDocumentError):
        sca.read_folder(tmp_path, on_error="raise")


def test_partly_scanned_pdf_is_read_with_a_warning(tmp_path):
    from pypdf import PdfReader, PdfWriter

    from fixtures_broken import make_scanned_pdf

    writer = PdfWriter()
    for f in (make_pdf(tmp_path / "a.pdf"), make_scanned_pdf(tmp_path / "b.pdf")):
        for page in PdfReader(str(f)).pages:
            writer.add_page(page)
    writer.write(str(tmp_path / "mixed.pdf"))
    review = sca.read(tmp_path / "mixed.pdf")
    assert review.paragraphs
    assert any("OCR" in w and "4, 5" in w for w in review.warnings)


def test_one_damaged_pdf_page_is_skipped_with_a_warning(tmp_path, monkeypatch):
    import pdfplumber.page

    pdf = make_pdf(tmp_path / "r.pdf")
    original = pdfplumber.page.Page.extract_text_lines
    calls = {"n": 0}

    def flaky(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise ValueError("damaged font program")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pdfplumber.page.Page, "extract_text_lines", flaky)
    review = sca.read(pdf, pdf_engine="pdfplumber")
    assert review.paragraphs
    assert any("page 2" in w and "damaged font program" in w for w in review.warnings)


def test_pdf_with_no_readable_page_is_corrupt(tmp_path, monkeypatch):
    import pdfplumber.page

    pdf = make_pdf(tmp_path / "r.pdf")

    def broken(self, *args, **kwargs):
        raise ValueError("damaged")

    monkeypatch.setattr(pdfplumber.page.Page, "extract_text_lines", broken)
    with pytest.raises(sca.CorruptDocumentError, match="no page"):
        sca.read(pdf, pdf_engine="pdfplumber")


def test_every_pdf_page_is_closed_after_use(tmp_path, monkeypatch):
    """Memory stays flat on long reports only if each page (not just a cropped view) is closed."""
    import pdfplumber.page

    closed = []
    original = pdfplumber.page.Page.close

    def spy(self):
        if type(self) is pdfplumber.page.Page:
            closed.append(self.page_number)
        return original(self)

    monkeypatch.setattr(pdfplumber.page.Page, "close", spy)
    review = sca.read(make_pdf(tmp_path / "r.pdf"), pdf_engine="pdfplumber")
    assert sorted(set(closed)) == list(range(1, review.metadata.pages + 1))
