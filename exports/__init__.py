"""Charts and tables leaving Gapboard: PNG/SVG images, PowerPoint decks, safe CSV/XLSX."""

from exports.tables import neutralize, neutralize_frame, to_csv_bytes, to_xlsx_bytes

__all__ = ["neutralize", "neutralize_frame", "to_csv_bytes", "to_xlsx_bytes"]
