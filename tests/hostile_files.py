"""Hostile files for the bad-input tests: a PDF bomb, an encrypted PDF, FIFOs, huge files.

Each is made in a fraction of a second: the bomb repeats one deflate block (its checksum
computed, so the stream is valid), the huge file is sparse.
"""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

MiB = 2**20


def deflate_bomb(inflated_mib: int) -> bytes:
    """A valid zlib stream of `inflated_mib` MiB of spaces, about 1 KB per MiB."""
    chunk = b" " * MiB
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    unit = raw.compress(chunk) + raw.flush(zlib.Z_FULL_FLUSH)  # repeatable: no history kept
    end = raw.flush()
    checksum = 1
    for _ in range(inflated_mib):
        checksum = zlib.adler32(chunk, checksum)
    return b"\x78\xda" + unit * inflated_mib + end + struct.pack(">I", checksum)


def bomb_pdf(path: Path, inflated_mib: int = 1024) -> Path:
    """A one-page PDF whose content stream inflates to `inflated_mib` MiB."""
    stream = deflate_bomb(inflated_mib)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))
    return path


def encrypted_pdf(path: Path, password: str = "secret") -> Path:
    """A PDF that needs `password` to be read (reportlab's standard encryption)."""
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path), encrypt=password)
    page.drawString(72, 720, "Debbie Jones met Ofsted in Tower Hamlets.")
    page.save()
    return path


def fifo(path: Path) -> Path:
    """A named pipe: reading it would wait for a writer for ever."""
    os.mkfifo(path)
    return path


def sparse(path: Path, size: int) -> Path:
    """A file of `size` bytes that takes no disk space."""
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


def link(path: Path, target: str | Path) -> Path:
    path.symlink_to(target)
    return path
