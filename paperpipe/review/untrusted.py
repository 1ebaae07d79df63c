"""Opening a file that came back from a reviewer: nothing in it is trusted.

A DOCX is a zip: its members are counted and their unpacked sizes added up
before anything is read (a zip bomb is refused), and its XML is parsed by a
parser that loads no DTD, expands no entity, fetches nothing and refuses
huge trees. Every refusal is a ``Refused`` with an editor's message.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

MAX_FILE = 200 * 1024 * 1024       # bytes of the returned file itself
MAX_MEMBERS = 2_000                # files inside a DOCX
MAX_UNPACKED = 300 * 1024 * 1024   # bytes of all the members together, unpacked
MAX_RATIO = 200                    # unpacked size / packed size of one member (text packs ~10x)
MAX_XML = 64 * 1024 * 1024         # bytes of one XML part


class Refused(Exception):
    """The file cannot be read; the message says why and what to do."""


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                          huge_tree=False, remove_comments=True, remove_pis=True)


def read_bytes(path: Path) -> bytes:
    import stat

    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):  # a pipe would wait for ever, /dev/zero fill the memory
            raise Refused("this is not a file but a device or a pipe (give the .docx or .pdf that came back)")
        if info.st_size > MAX_FILE:
            raise Refused(f"the file is {info.st_size // (1024 * 1024)} MB, more than the {MAX_FILE // (1024 * 1024)} MB a reviewed paper can be")
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE + 1)
        if len(data) > MAX_FILE:
            raise Refused(f"the file is more than the {MAX_FILE // (1024 * 1024)} MB a reviewed paper can be")
        return data
    except FileNotFoundError:
        raise Refused("the file does not exist (check its name)") from None
    except IsADirectoryError:
        raise Refused("this is a folder, not a file (give the .docx or .pdf that came back)") from None
    except OSError as exc:
        raise Refused(f"cannot read the file ({exc.strerror or exc})") from None


class Package:
    """The parts of a DOCX, read with limits."""

    def __init__(self, data: bytes):
        import io

        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, ValueError, EOFError, OSError):
            raise Refused("this is not a Word file, or it is damaged or cut short (ask the reviewer to send it again, saved as .docx)") from None
        if len(infos) > MAX_MEMBERS:
            raise Refused(f"the Word file holds {len(infos)} parts, more than the {MAX_MEMBERS} a paper has; it is not a paper made here")
        total = 0
        for info in infos:
            total += info.file_size
            if total > MAX_UNPACKED or info.file_size > MAX_RATIO * max(info.compress_size, 1024):
                raise Refused("the Word file unpacks to far more than it holds (a 'zip bomb'); it is refused")
        self.names = {info.filename for info in infos}

    def xml(self, name: str):
        """The parsed part ``name``, or None when the file has no such part."""
        if name not in self.names:
            return None
        try:
            with self.zip.open(name) as handle:
                data = handle.read(MAX_XML + 1)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError):
            raise Refused(f"the part '{name}' of the Word file is damaged or encrypted (ask for the file again)") from None
        if len(data) > MAX_XML:
            raise Refused(f"the part '{name}' of the Word file is larger than {MAX_XML // (1024 * 1024)} MB")
        doctype = Refused(f"the part '{name}' of the Word file declares a document type or entities, "
                          "which Word and LibreOffice never write; the file is refused")
        if b"<!DOCTYPE" in data[:65536] or b"<!ENTITY" in data[:65536]:
            raise doctype
        try:
            root = etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError as exc:
            raise Refused(f"the part '{name}' of the Word file is not well-formed XML ({exc.msg}); the file is damaged") from None
        # a declaration further in, or in UTF-16, escapes the look above: its entities would be dropped unsaid
        info = root.getroottree().docinfo
        if info.internalDTD is not None or info.doctype:
            raise doctype
        return root
