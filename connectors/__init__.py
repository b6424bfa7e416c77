"""Everything that crosses the process boundary: files, HTTP, the warehouse, snapshots."""
