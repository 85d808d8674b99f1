"""Finding the files under the input folder, in a stable order, without following loops."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

_BAD_NAME = (
    "the file name is not valid UTF-8 (from an old Latin-1 file system?), so its odd bytes are "
    "shown as \\x escapes; rename it to keep the name readable"
)


@dataclass(frozen=True)
class Entry:
    source: str  # POSIX path relative to the input folder; folders end with "/"
    path: Path | None  # None when the entry is skipped
    skipped: str | None = None  # why it is skipped, for the manifest
    status: str = "unsupported"  # manifest status of a skipped entry
    note: str = ""  # something odd about a file that is read all the same


def shown(name: str) -> str:
    """``name`` printable as UTF-8: the bytes of a name that is not UTF-8 as ``\\xe5`` escapes.

    Python hands such names over with the odd bytes as lone surrogates, which no UTF-8 file
    can hold.
    """
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _source(child: Path, root: Path) -> tuple[str, str]:
    source = child.relative_to(root).as_posix()
    printable = shown(source)
    return printable, "" if printable == source else _BAD_NAME


def discover(root: Path) -> list[Entry]:
    """Every file under ``root``, sorted by source, plus an entry for each thing not read.

    Symbolic links are followed, files and folders alike, but a folder is read only once:
    a link back to a folder already read (a loop, or a second name for it) gets a ``duplicate``
    entry saying so instead of being walked again. Hidden files and folders (name starting with
    ".") are not read, and each gets one entry, so nothing disappears without a trace; so does
    a folder that cannot be listed. A name that is not UTF-8 is shown escaped (see :func:`shown`)
    and its file read all the same.
    """
    root = Path(root)
    entries: list[Entry] = []
    read_folders: dict[Path, str] = {root.resolve(): "."}
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            children = sorted(folder.iterdir())
        except OSError as error:
            entries.append(_unlisted(folder, root, error))
            continue
        for child in children:
            source, note = _source(child, root)
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
                            f"symbolic link to a folder already read ({read_folders[real]}/), not read twice",
                            "duplicate",
                        )
                    )
                else:
                    read_folders[real] = source
                    pending.append(child)
            elif child.is_file():
                entries.append(Entry(source, child, note=note))
            elif child.is_symlink():
                entries.append(Entry(source, None, "broken symbolic link: its target does not exist", "unreadable"))
            else:
                entries.append(Entry(source, None, "not a regular file (device, socket or pipe)", "unreadable"))
    return sorted(entries, key=lambda entry: entry.source)


def _unlisted(folder: Path, root: Path, error: OSError) -> Entry:
    source = "./" if folder == root else _source(folder, root)[0] + "/"
    if isinstance(error, PermissionError):
        reason = (
            "permission denied: cannot list this folder; give read access (chmod +rx) or move it "
            "out of the input folder"
        )
    else:
        reason = f"cannot list this folder ({error.strerror or error}); check the disk or the network share"
    return Entry(source, None, reason, "unreadable")
