"""Finding the files under the input folder, in a stable order, without following loops."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Entry:
    source: str  # POSIX path relative to the input folder; folders end with "/"
    path: Path | None  # None when the entry is skipped
    skipped: str | None = None  # why it is skipped, for the manifest
    status: str = "unsupported"  # manifest status of a skipped entry


def discover(root: Path) -> list[Entry]:
    """Every file under ``root``, sorted by source, plus an entry for each thing not read.

    Symbolic links are followed, files and folders alike, but a folder is read only once:
    a link back to a folder already read (a loop, or a second name for it) gets a ``duplicate``
    entry saying so instead of being walked again. Hidden files and folders (name starting with
    ".") are not read, and each gets one entry, so nothing disappears without a trace.
    """
    root = Path(root)
    entries: list[Entry] = []
    read_folders: dict[Path, str] = {root.resolve(): "."}
    pending = [root]
    while pending:
        folder = pending.pop()
        for child in sorted(folder.iterdir()):
            source = child.relative_to(root).as_posix()
            if child.name.startswith("."):
                if child.is_dir():
                    entries.append(Entry(source + "/", None, "hidden folder, not searched"))
                else:
                    entries.append(Entry(source, None, "hidden file, skipped"))
            elif child.is_dir():
                real = child.resolve()
                if real in read_folders:
                    entries.append(
                        Entry(
                            source + "/",
                            None,
                            f"symbolic link to a folder already read ({read_folders[real]}/), "
                            "not read twice",
                            "duplicate",
                        )
                    )
                else:
                    read_folders[real] = source
                    pending.append(child)
            elif child.is_file():
                entries.append(Entry(source, child))
            elif child.is_symlink():
                entries.append(
                    Entry(source, None, "broken symbolic link: its target does not exist", "unreadable")
                )
            else:
                entries.append(
                    Entry(source, None, "not a regular file (device, socket or pipe)", "unreadable")
                )
    return sorted(entries, key=lambda entry: entry.source)
