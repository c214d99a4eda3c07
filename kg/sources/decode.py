"""Bytes to text: encoding detection, binary sniffing, newline and NUL clean-up."""

from __future__ import annotations

import codecs
import os
import stat

from kg.errors import Errors, InputError

#: Leading bytes of binary formats that are sometimes mistaken for text inputs.
MAGIC = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"PK\x03\x04", "ZIP"),
    (b"PK\x05\x06", "ZIP"),
    (b"\x1f\x8b", "gzip"),
    (b"\x7fELF", "ELF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE2/Office"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "RAR"),
)

#: Byte order marks, longest first (the UTF-32-LE mark starts with the UTF-16-LE one).
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)

# Control bytes that do not occur in text (NUL is counted apart: it is removed, not fatal).
_CONTROL = bytes(b for b in range(1, 32) if b not in (9, 10, 11, 12, 13, 26, 27)) + b"\x7f"
_DROP_CONTROL = {b: None for b in _CONTROL}
#: Share of control bytes above which a file is taken for binary.
BINARY_SHARE = 0.05
#: A UTF-8 prefix this many bytes longer than its characters means "UTF-8 with a bad byte", not GB18030.
_UTF8_EVIDENCE = 16


def decode(data: bytes, path: str | os.PathLike = "<bytes>") -> tuple[str, tuple[str, ...]]:
    """Decode the bytes of a text file; return the text and coded warnings.

    Tried in order: a byte order mark (UTF-8, UTF-16, UTF-32), BOM-less UTF-16
    (recognised by NUL bytes on every other position), UTF-8, then GB18030
    (which covers GBK and GB2312; warning ``W001``). ``\\r\\n`` and ``\\r``
    become ``\\n``; NUL characters are removed (warning ``W003``). Full-width
    spaces and traditional characters are kept as they are.

    Parameters
    ----------
    data : bytes
        The whole content of the file.
    path : str or path-like
        Named in messages only.

    Returns
    -------
    tuple of (str, tuple of str)
        The text and its warnings (``[W001] …``, ``[W003] …``).

    Raises
    ------
    InputError
        ``E002`` empty or whitespace-only, ``E003`` binary (magic number or many
        control bytes), ``E004`` not decodable (with the offset of the first bad byte).

    Examples
    --------
    >>> decode("工会\\r\\n劳动".encode("gb18030"), "a.txt")
    ('工会\\n劳动', ('[W001] a.txt: decoded as GB18030, not UTF-8',))
    >>> decode(codecs.BOM_UTF8 + "观 点\\r".encode(), "b.txt")
    ('观 点\\n', ())
    """
    path = str(path)
    if not data:
        raise InputError(Errors.E002.format(path=path))
    for magic, kind in MAGIC:
        if data.startswith(magic):
            raise InputError(Errors.E003.format(path=path, why=f"{kind} signature"))
    warnings: list[str] = []
    text = _decode_bom(data, path)
    if text is None:
        text = _decode_utf16_nobom(data)
        if text is not None:
            warnings.append(Errors.W001.format(path=path, encoding="UTF-16 (no byte order mark)"))
    if text is None:
        controls = len(data) - len(data.translate(None, _CONTROL))
        if controls > BINARY_SHARE * len(data):
            raise InputError(Errors.E003.format(path=path, why=f"{controls} control bytes in {len(data)}"))
        text, encoding = _decode_utf8_or_gb(data, path)
        if encoding != "UTF-8":
            warnings.append(Errors.W001.format(path=path, encoding=encoding))
    if "\0" in text:
        text = text.replace("\0", "")
        warnings.append(Errors.W003.format(path=path))
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(Errors.E002.format(path=path))
    return text, tuple(warnings)


def read_text(path: str | os.PathLike, name: str | None = None) -> tuple[str, tuple[str, ...]]:
    """Read and :func:`decode` a regular file (``name``: how messages show it; the path by default).

    Anything else (a FIFO, a device such as ``/dev/zero``, a socket, or a link to one) is refused
    without reading: it could block for ever or never end. The file is opened without blocking
    and checked as opened, so it cannot be swapped for one between a check and the read.

    Raises
    ------
    InputError
        ``E005`` when the file cannot be read, ``E142`` when it is not a regular file, else as :func:`decode`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "p.txt"
    >>> _ = p.write_bytes("观点\\r\\n".encode("utf-8"))
    >>> read_text(p)
    ('观点\\n', ())
    """
    name = name if name is not None else os.fspath(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise InputError(Errors.E005.format(path=name, why=exc.strerror or type(exc).__name__)) from exc
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(Errors.E142.format(path=name, kind=_KINDS.get(stat.S_IFMT(mode), "special file")))
        with os.fdopen(fd, "rb") as f:
            fd = -1
            data = f.read()
    except OSError as exc:
        raise InputError(Errors.E005.format(path=name, why=exc.strerror or type(exc).__name__)) from exc
    finally:
        if fd >= 0:
            os.close(fd)
    return decode(data, name)


_KINDS = {stat.S_IFIFO: "FIFO (named pipe)", stat.S_IFCHR: "character device", stat.S_IFBLK: "block device",
          stat.S_IFSOCK: "socket", stat.S_IFDIR: "folder"}


def _decode_bom(data: bytes, path: str) -> str | None:
    for bom, codec, name in BOMS:
        if data.startswith(bom):
            if codec == "utf-32-le" and len(data) % 4:
                continue  # FF FE 00 00 … of odd length: UTF-16-LE with a leading NUL character
            body = data[len(bom):]
            try:
                return body.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(Errors.E004.format(path=path, why=_bad(data, exc.start + len(bom), name))) from None
    return None


def _decode_utf16_nobom(data: bytes) -> str | None:
    """UTF-16 without BOM: every ASCII character brings a NUL byte, all on odd (LE) or even (BE) offsets.

    NULs mostly on one side are not enough (a UTF-8 file may hold two stray NULs):
    the bytes must also not be UTF-8, unless NULs are a quarter of the units
    (mostly ASCII text), and the UTF-16 reading must be free of control characters.
    """
    sample = data[: 1 << 16]
    sample = sample[: len(sample) & ~1]
    units = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    nuls, other = (odd, even) if odd >= even else (even, odd)
    if nuls < 2 or other >= nuls or len(data) % 2:
        return None
    if nuls < 0.25 * units:
        try:
            data.decode("utf-8")
            return None
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("utf-16-le" if odd >= even else "utf-16-be")
    except UnicodeDecodeError:
        return None
    head = text[: 1 << 15]
    if len(head) - len(head.translate(_DROP_CONTROL)) > 0.01 * len(head):
        return None
    return text


def _decode_utf8_or_gb(data: bytes, path: str) -> tuple[str, str]:
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc.start
    # Many valid multi-byte UTF-8 characters before the error: a damaged UTF-8 file, not GB18030.
    if utf8_error - len(data[:utf8_error].decode("utf-8")) >= _UTF8_EVIDENCE:
        raise InputError(Errors.E004.format(path=path, why=_bad(data, utf8_error, "UTF-8")))
    try:
        return data.decode("gb18030"), "GB18030"
    except UnicodeDecodeError as exc:
        why = f"{_bad(data, utf8_error, 'UTF-8')}; as GB18030 at offset {exc.start}"
        raise InputError(Errors.E004.format(path=path, why=why)) from None


def _bad(data: bytes, offset: int, encoding: str) -> str:
    byte = data[offset] if offset < len(data) else None
    shown = f"byte 0x{byte:02x}" if byte is not None else "truncated sequence"
    return f"first bad {encoding} {shown} at offset {offset}"


__all__ = ["decode", "read_text", "MAGIC", "BOMS", "BINARY_SHARE"]
