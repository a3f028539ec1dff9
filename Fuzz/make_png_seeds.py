"""Writes the PNG seed corpus (Fuzz/Corpus/FuzzPNG): tiny images of every colour type and
bit depth the reader meets, one interlaced, built with zlib only (no Pillow).

Run: python3 Fuzz/make_png_seeds.py
"""
import os
import struct
import zlib

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Corpus", "FuzzPNG")


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def png(width, height, depth, color, rows, extra=b"", interlace=0):
    header = struct.pack(">IIBBBBB", width, height, depth, color, 0, 0, interlace)
    raw = b"".join(b"\x00" + row for row in rows)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + extra
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def main():
    os.makedirs(OUT, exist_ok=True)
    seeds = {
        "gray8.png": png(4, 3, 8, 0, [bytes([7, 26, 33, 255])] * 3),
        "gray16.png": png(3, 2, 16, 0, [struct.pack(">3H", 0, 24003, 65535)] * 2),
        "rgb8.png": png(2, 2, 8, 2, [bytes(range(6)), bytes(range(10, 16))]),
        "rgba8.png": png(2, 1, 8, 6, [bytes([1, 2, 3, 255, 4, 5, 6, 0])]),
        "graya8.png": png(2, 1, 8, 4, [bytes([9, 255, 10, 128])]),
        "palette.png": png(3, 1, 8, 3, [bytes([0, 1, 1])],
                           extra=chunk(b"PLTE", bytes([255, 0, 0, 0, 0, 255]))),
        "gray1.png": png(8, 2, 1, 0, [b"\xa5", b"\x5a"]),
        "interlaced.png": png(1, 1, 8, 0, [bytes([5])], interlace=1),
    }
    for name, data in seeds.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
