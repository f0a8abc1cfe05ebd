"""Image sizes read from headers, for oEmbed thumbnails (issue 6)."""

import struct
import zlib

import pytest

from smartnotes.content.images import image_size


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\x00\x00\x00" * width for _ in range(height)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def jpeg(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof2 = b"\xff\xc2" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + b"\xff\xff" + sof2 + b"\xff\xd9"


def webp_vp8x(width: int, height: int) -> bytes:
    body = b"WEBPVP8X" + struct.pack("<I", 10) + b"\x00\x00\x00\x00"
    body += (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    return b"RIFF" + struct.pack("<I", len(body)) + body


def webp_vp8l(width: int, height: int) -> bytes:
    bits = (width - 1) | ((height - 1) << 14)
    body = b"WEBPVP8L" + struct.pack("<I", 5) + b"\x2f" + bits.to_bytes(4, "little")
    return b"RIFF" + struct.pack("<I", len(body)) + body + b"\x00" * 8


@pytest.mark.parametrize("name, data, expected", [
    ("wide.png", png(320, 200), (320, 200)),
    ("tall.gif", b"GIF89a" + struct.pack("<HH", 90, 1200) + b"\x00" * 8, (90, 1200)),
    ("progressive.jpg", jpeg(1024, 768), (1024, 768)),
    ("extended.webp", webp_vp8x(2000, 1000), (2000, 1000)),
    ("lossless.webp", webp_vp8l(64, 48), (64, 48)),
    ("text.png", b"not an image at all", None),
    ("truncated.jpg", b"\xff\xd8\xff", None),
    ("empty.gif", b"", None),
])
def test_image_size(tmp_path, name, data, expected):
    path = tmp_path / name
    path.write_bytes(data)
    assert image_size(path) == expected


def test_missing_file_has_no_size(tmp_path):
    assert image_size(tmp_path / "gone.png") is None
