"""The bad-input corpus (tests/fixtures/bad_inputs) and its expected outcomes, read from its README table."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "bad_inputs"
# Titles of the encoding cases, as the member wrote them (see make_corpus.py).
ACCENTED_TITLES = [
    "Técnico de Enfermería – Night",
    "Médical Assistant (Chinatown)",
    "Pharmacy Technician • Weekend",
]


@dataclass(frozen=True)
class Case:
    """One corpus file and what the design says must happen to it."""

    file: str
    kind: str
    case: str
    exit: int
    accepted: int | None
    rejected: int | None
    reason: str
    page: str

    @property
    def path(self) -> Path:
        return CORPUS / self.file

    @property
    def refused(self) -> bool:
        return self.exit == 2


def read_cases() -> list[Case]:
    """Return the rows of the README's corpus table."""
    text = (CORPUS / "README.md").read_text(encoding="utf-8")
    table = text.split("<!-- corpus:begin -->")[1].split("<!-- corpus:end -->")[0]
    cases = []
    for line in table.strip().splitlines()[2:]:
        # `\|` inside a cell is a literal bar, not a column break
        cells = [c.strip().replace("\\|", "|") for c in line.replace("\\|", "\0").split("|")]
        cells = [c.replace("\0", "|") for c in cells[1:-1]]
        file, kind, case, exit_code, accepted, rejected, reason, page = cells
        cases.append(
            Case(
                file=file,
                kind=kind,
                case=case,
                exit=int(exit_code),
                accepted=None if accepted == "-" else int(accepted),
                rejected=None if rejected == "-" else int(rejected),
                reason=reason,
                page=page,
            )
        )
    return cases


CASES = read_cases()
