#!/usr/bin/env python3
"""Writes KeyShift's 256x256 PNG icon (a key on a blue square) with the standard library only."""
import struct
import sys
import zlib

SIZE = 256
BLUE = (9, 105, 218)
WHITE = (255, 255, 255)


def pixel(x, y):
    # A key: a ring on the left, a shaft to the right, two teeth hanging from the shaft.
    cx, cy = 88, 128
    distance = ((x - cx) ** 2 + (y - cy) ** 2) ** 0.5
    ring = 26 <= distance <= 46
    shaft = 130 <= x <= 214 and 120 <= y <= 136
    teeth = (176 <= x <= 188 or 200 <= x <= 212) and 136 < y <= 164
    if ring or shaft or teeth:
        return WHITE
    return BLUE


def png(width, height):
    rows = b"".join(b"\x00" + bytes(c for x in range(width) for c in pixel(x, y)) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    with open(sys.argv[1], "wb") as out:
        out.write(png(SIZE, SIZE))
