"""Feed readers on real files: encodings, delimiters, title rows, JSON shapes, refusals, zip bombs."""

import shutil
import struct
import zipfile
from pathlib import Path

import polars as pl
import pytest

from connectors import feeds
from connectors.errors import FeedError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"


def read(name: str, kind: str = "vacancies", **kwargs: object) -> pl.DataFrame:
    return feeds.read_feed(FIXTURES / name, kind, **kwargs)  # type: ignore[arg-type]


def refusal(path: Path, kind: str = "vacancies", **kwargs: object) -> str:
    with pytest.raises(FeedError) as caught:
        feeds.read_feed(path, kind, **kwargs)  # type: ignore[arg-type]
    message = str(caught.value)
    assert "\n" not in message and path.name in message
    return message


def test_every_column_is_text_under_the_files_own_headers() -> None:
    frame = read("vacancies_rules_broken.csv")
    assert frame.height == 22  # 21 rows and the blank one (intake drops it)
    assert frame.columns[:3] == ["Req ID", "Job Title", "Date Posted"]
    assert set(frame.dtypes) == {pl.String}
    assert frame["Req ID"][0] == "838781900"  # USAJOBS control number, not a number


def test_windows_1252_semicolons_and_decimal_commas() -> None:
    frame = read("vacancies_cp1252_semicolon.csv")
    assert frame.shape == (6, 7)
    assert frame["Position"][0] == "Medical Support Assistant – Café Pavilion"
    assert frame["Hourly Min"][0] == "28,50"  # left for intake to read as 28.5
    assert feeds.map_columns(frame.columns, "vacancies")["Hourly Max"] == "wage_max"


def test_utf16_with_bom_and_tabs() -> None:
    frame = read("vacancies_utf16_tab.txt")
    assert frame.columns == [
        "Job ID",
        "Job Title",
        "Open Date",
        "County Code",
        "Number of Openings",
    ]
    assert frame["Job Title"][1] == "Medical Support Assistant – Señora Unit"
    assert frame["Number of Openings"].to_list() == ["1", "2", "3", "4", "5", "6"]


def test_utf8_byte_order_mark_is_not_part_of_the_first_header() -> None:
    frame = read("vacancies_utf8_bom.csv")
    assert frame.columns[0] == "Requisition ID"
    assert frame["Job Title"][2].endswith("– Niños")


def test_xlsx_header_found_under_title_rows_and_every_cell_read_as_text() -> None:
    frame = read("vacancies_title_rows.xlsx")
    assert frame.columns == [
        "Requisition #", "Position Title", "Date Opened", "Date Closed", "County FIPS",
        "Openings", "Min Pay", "Pay Basis",
    ]  # fmt: skip
    assert frame.height == 8  # the empty formatted rows below the data are not rows
    assert set(frame.dtypes) == {pl.String}
    first = frame.row(0, named=True)
    assert first["Requisition #"] == "842797100"
    assert first["Date Opened"].startswith("2025-08-07")
    assert first["County FIPS"] == "25025" and first["Openings"] == "1"
    assert first["Min Pay"] == "31.25"


def test_json_array_of_objects_numbers_and_nested_values_as_text() -> None:
    frame = read("vacancies_array.json")
    assert frame.shape == (6, 9)
    assert frame["openings"].to_list() == ["1", "2", "3", "4", "5", "6"]
    assert frame["wageMin"][1] == "31.5" and frame["wageMin"][0] is None
    assert frame["remote"][0] == "false"
    assert frame["hiringManager"][0] == '{"team": "nursing"}'


def test_json_object_holding_one_array_reads_like_the_array() -> None:
    assert read("vacancies_object.json").equals(read("vacancies_array.json"))


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("vacancies_two_arrays.json", "exactly one array"),
        ("vacancies_truncated.json", "not valid JSON"),
        ("vacancies_no_posted_date.csv", "missing required column(s) posted_date"),
        ("vacancies_ragged.csv", "line 3 has 5 fields, the header 3"),
        ("not_a_workbook.xlsx", "not an XLSX workbook"),
        ("workbook_named.csv", "zip archive"),
    ],
)
def test_files_refused_whole_with_one_clear_line(name: str, words: str) -> None:
    assert words in refusal(FIXTURES / name)


def test_missing_column_message_names_the_field_and_what_the_file_has() -> None:
    message = refusal(FIXTURES / "vacancies_no_posted_date.csv")
    assert "'Req ID', 'Job Title', 'County FIPS'" in message
    assert "'Posted Date'" in message  # an example of a header that would do


def test_remembered_mapping_satisfies_a_required_column_synonyms_do_not(tmp_path: Path) -> None:
    path = tmp_path / "odd_headers.csv"
    path.write_text("Vac #,Job Title,When\n17,Registered Nurse,2025-07-01\n", encoding="utf-8")
    assert "posting_id" in refusal(path)
    mapping = {"Vac #": "posting_id", "When": "posted_date"}
    assert read_path(path, mapping=mapping).height == 1
    assert feeds.map_columns(["Vac #", "Job Title", "When"], "vacancies", mapping) == {
        "Vac #": "posting_id",
        "Job Title": "title",
        "When": "posted_date",
    }


def read_path(path: Path, **kwargs: object) -> pl.DataFrame:
    return feeds.read_feed(path, "vacancies", **kwargs)  # type: ignore[arg-type]


def test_synonyms_ignore_case_spaces_and_punctuation() -> None:
    columns = [
        "REQ-ID",
        "requisition_number",
        "Position",
        "posted date ",
        "O*NET-SOC Code",
        "Pay Min ($)",
    ]
    # Two columns look like a posting id: "Req ID" is the better-known name and wins.
    assert feeds.map_columns(columns, "vacancies") == {
        "REQ-ID": "posting_id",
        "Position": "title",
        "posted date ": "posted_date",
        "O*NET-SOC Code": "soc_code",
        "Pay Min ($)": "wage_min",
    }
    assert feeds.map_columns(["Requisition Number", "Job Title"], "vacancies") == {
        "Requisition Number": "posting_id",
        "Job Title": "title",
    }
    assert feeds.normalize_header("Req #") == "reqnumber"


def test_best_synonym_wins_when_two_columns_name_the_same_field() -> None:
    mapping = feeds.map_columns(["Position", "Job Title", "Req ID"], "vacancies")
    assert mapping == {"Job Title": "title", "Req ID": "posting_id"}


def test_county_and_state_stand_in_for_county_fips() -> None:
    with_names = feeds.map_columns(
        ["Provider", "Program", "CIP", "Award", "County", "State", "Completers", "Placement %"],
        "programs",
    )
    assert feeds.missing_fields(with_names, "programs") == []
    assert feeds.missing_fields({"Provider": "provider"}, "programs")[0] == "program"
    without = {c: f for c, f in with_names.items() if f != "state"}
    assert "county_fips" in feeds.missing_fields(without, "programs")


def test_a_file_over_the_upload_limit_is_refused_before_reading() -> None:
    assert "limit" in refusal(FIXTURES / "vacancies_rules_broken.csv", max_bytes=1000)


def _bomb(tmp_path: Path, inflated: int) -> Path:
    """A real workbook with one extra part that inflates from kilobytes to `inflated` bytes."""
    path = tmp_path / "requisitions.xlsx"
    shutil.copy(FIXTURES / "vacancies_title_rows.xlsx", path)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/media/image1.bin", "w") as part:
            block = b"\0" * (1 << 20)
            for _ in range(inflated >> 20):
                part.write(block)
    return path


def test_zip_bomb_refused_from_its_directory_before_parsing(tmp_path: Path) -> None:
    path = _bomb(tmp_path, 64 << 20)
    assert path.stat().st_size < 200_000
    message = refusal(path, max_bytes=32 << 20)
    assert "inflate to 64 MB" in message and "32 MB limit" in message
    # Under a large limit the compression ratio alone gives it away.
    assert "zip bomb" in refusal(path, max_bytes=1 << 30)


def test_zip_bomb_that_lies_about_its_sizes_is_refused(tmp_path: Path) -> None:
    path = _bomb(tmp_path, 8 << 20)
    data = bytearray(path.read_bytes())
    name = b"xl/media/image1.bin"
    # Declare the part as 1 kB in the central directory, as a crafted archive would.
    at = data.find(b"PK\x01\x02")
    while at != -1:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + name_length]) == name:
            struct.pack_into("<I", data, at + 24, 1024)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo(name.decode()).file_size == 1024
    assert "corrupt" in refusal(path, max_bytes=4 << 20)


def test_read_titles_takes_lines_or_a_title_column() -> None:
    assert feeds.read_titles(b"Title\nCNA - Nights\n\nRN ICU\n") == ["CNA - Nights", "RN ICU"]
    csv_bytes = b'Dept,Job Title\nNursing,"RN, Med/Surg"\nSPD,CRCST Tech I\n'
    assert feeds.read_titles(csv_bytes) == ["RN, Med/Surg", "CRCST Tech I"]
    assert feeds.read_titles("Técnico\n".encode("cp1252")) == ["Técnico"]
    with pytest.raises(FeedError):
        feeds.read_titles((FIXTURES / "vacancies_title_rows.xlsx").read_bytes(), "x.xlsx")


def test_unknown_kind_and_missing_file_are_user_errors(tmp_path: Path) -> None:
    with pytest.raises(FeedError, match="unknown feed kind"):
        feeds.read_feed(FIXTURES / "vacancies_rules_broken.csv", "invoices")
    assert "no such file" in refusal(tmp_path / "gone.csv")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "empty" in refusal(empty)
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    assert "not a text file" in refusal(binary)


def test_a_remembered_mapping_also_finds_a_header_under_title_rows(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Harbor Health - weekly vacancy extract"])
    sheet.append(["Vac #", "Role Name", "Went Live"])
    sheet.append(["H-17", "Registered Nurse - ICU", "2025-07-01"])
    path = tmp_path / "extract.xlsx"
    book.save(path)
    assert "posting_id" in refusal(path)
    mapping = {"Vac #": "posting_id", "Role Name": "title", "Went Live": "posted_date"}
    frame = read_path(path, mapping=mapping)
    assert frame.columns == ["Vac #", "Role Name", "Went Live"] and frame["Vac #"].to_list() == [
        "H-17"
    ]
