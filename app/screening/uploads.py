"""A screening's two input files, received as ``multipart/form-data`` and streamed to disk.

``UploadWriter`` is fed the request body chunk by chunk (``python-multipart``'s streaming
parser): the file parts ``households`` and ``persons`` go straight to ``<folder>/households.<ext>``
and ``<folder>/persons.<ext>`` (the extension of the uploaded file name), the few small text
fields (``as_of``, ``format``, ``min_cell``, ``engine``) are kept in memory. Nothing is ever held
whole in memory. Every byte of a file is also searched for a 주민등록번호 (resident registration
number), as ``app.hardening`` does for every other body: found, the upload is refused.

``UploadRefused`` carries a reason code and the form field, never a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from app.screening.files import READERS

FILE_FIELDS = ("households", "persons")
TEXT_FIELDS = ("as_of", "format", "min_cell", "engine")
MAX_TEXT_BYTES = 64
RESIDENT_NUMBER = re.compile(rb"(?<!\d)\d{6}[- ]?[1-8]\d{6}(?!\d)")
_CARRY = 15  # longer than any resident number (14 bytes with its separator)


class UploadRefused(Exception):
    """``reason``: not_multipart, malformed, unknown_field, duplicate_field, missing_file,
    file_type, text_too_long, too_large, resident_number; ``field``: the form field or None."""

    def __init__(self, reason: str, field: str | None = None) -> None:
        super().__init__(reason)
        self.reason, self.field = reason, field


@dataclass
class Upload:
    files: dict[str, Path] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)


def boundary_of(content_type: str | None) -> bytes:
    kind, params = parse_options_header(content_type or "")
    boundary = params.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise UploadRefused("not_multipart")
    return boundary


class _ResidentScan:
    """Finds a resident number in a stream of chunks, across chunk boundaries."""

    def __init__(self) -> None:
        self.tail = b""

    def feed(self, chunk: bytes, *, final: bool = False) -> bool:
        buffer = self.tail + chunk
        for found in RESIDENT_NUMBER.finditer(buffer):
            if found.start() == 0 and self.tail:
                continue  # wholly in the previous buffer: already judged there
            if found.end() == len(buffer) and not final:
                continue  # may go on in the next chunk: judged there
            return True
        self.tail = buffer[-_CARRY:]
        return False


class UploadWriter:
    """Feed it the body (``feed``), then ``finish()`` for the ``Upload``; ``UploadRefused``
    at the first problem (the caller deletes ``folder``)."""

    def __init__(self, folder: Path, boundary: bytes, max_bytes: int) -> None:
        self.folder, self.max_bytes, self.seen = folder, max_bytes, 0
        self.upload = Upload()
        self._headers: dict[bytes, bytes] = {}
        self._name: bytes = b""
        self._field: str | None = None
        self._file: IO[bytes] | None = None
        self._text = bytearray()
        self._scan = _ResidentScan()
        self._error: UploadRefused | None = None
        folder.mkdir(parents=True, exist_ok=True)
        self.parser = MultipartParser(
            boundary,
            {
                "on_part_begin": self._part_begin,
                "on_header_field": self._header_field,
                "on_header_value": self._header_value,
                "on_header_end": self._header_end,
                "on_headers_finished": self._headers_finished,
                "on_part_data": self._part_data,
                "on_part_end": self._part_end,
            },
        )
        self._value = b""

    def feed(self, chunk: bytes) -> None:
        self.seen += len(chunk)
        if self.seen > self.max_bytes:
            self._close()
            raise UploadRefused("too_large")
        try:
            self.parser.write(chunk)
        except MultipartParseError:
            self._close()
            raise UploadRefused("malformed") from None
        if self._error is not None:
            self._close()
            raise self._error

    def finish(self) -> Upload:
        self._close()
        try:
            self.parser.finalize()
        except MultipartParseError:
            raise UploadRefused("malformed") from None
        for name in FILE_FIELDS:
            if name not in self.upload.files:
                raise UploadRefused("missing_file", name)
        return self.upload

    def _close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    # -- parser callbacks: they record the first problem; ``feed`` raises it ------------------
    def _part_begin(self) -> None:
        self._headers, self._name, self._value = {}, b"", b""

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._name += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._name.lower()] = self._value
        self._name, self._value = b"", b""

    def _headers_finished(self) -> None:
        _kind, params = parse_options_header(self._headers.get(b"content-disposition", b""))
        name = params.get(b"name", b"").decode("utf-8", "replace")
        self._field = name
        if self._error is not None:
            return
        if name in FILE_FIELDS:
            self._open_file(name, params.get(b"filename", b"").decode("utf-8", "replace"))
        elif name in TEXT_FIELDS:
            if name in self.upload.texts:
                self._error = UploadRefused("duplicate_field", name)
            self._text = bytearray()
        else:
            self._error = UploadRefused("unknown_field", name[:40] or None)

    def _open_file(self, name: str, filename: str) -> None:
        if name in self.upload.files:
            self._error = UploadRefused("duplicate_field", name)
            return
        suffix = Path(filename).suffix.lower()
        if suffix not in READERS:
            self._error = UploadRefused("file_type", name)
            return
        path = self.folder / f"{name}{suffix}"
        self.upload.files[name] = path
        self._file = path.open("wb")
        self._scan = _ResidentScan()

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._error is not None:
            return
        chunk = data[start:end]
        if self._file is not None:
            if self._scan.feed(chunk):
                self._error = UploadRefused("resident_number", self._field)
                return
            self._file.write(chunk)
        elif self._field in TEXT_FIELDS:
            self._text += chunk
            if len(self._text) > MAX_TEXT_BYTES:
                self._error = UploadRefused("text_too_long", self._field)

    def _part_end(self) -> None:
        if self._error is not None:
            return
        if self._file is not None:
            if self._scan.feed(b"", final=True):
                self._error = UploadRefused("resident_number", self._field)
            self._close()
        elif self._field in TEXT_FIELDS:
            text = bytes(self._text).decode("utf-8", "replace").strip()
            if RESIDENT_NUMBER.search(text.encode()):
                self._error = UploadRefused("resident_number", self._field)
                return
            self.upload.texts[self._field] = text


__all__ = ["FILE_FIELDS", "TEXT_FIELDS", "Upload", "UploadRefused", "UploadWriter", "boundary_of"]
