#!/bin/sh
# Renders an hmm-check HTML report with headless Chromium to a PNG and checks that the
# picture is not blank (enough non-white pixels, and some red: the failing step).
#
#   Scripts/render-html.sh REPORT.html OUT.png [WIDTH HEIGHT]
#
# Needs chromium (Debian: apt-get install chromium) and python3. Not part of `swift test`.
set -eu
html=$1
png=$2
width=${3:-1500}
height=${4:-1400}
command -v chromium >/dev/null || { echo "render-html: chromium is not installed (apt-get install chromium)" >&2; exit 2; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
# --no-sandbox: CI containers run as root. No network is needed: the page is self-contained.
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
  --window-size="$width,$height" --screenshot="$png" "file://$(realpath "$html")" >/dev/null 2>&1
python3 - "$png" <<'PY'
import struct, sys, zlib

def pixels(path):
    """Decodes an 8-bit RGB/RGBA PNG (what Chromium writes) without third-party modules."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8 and color in (2, 6), "unsupported PNG"
            bpp = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return width, height, bpp, rows

w, h, bpp, rows = pixels(sys.argv[1])
nonwhite = red = 0
for row in rows:
    for x in range(0, w * bpp, bpp):
        r, g, b = row[x], row[x + 1], row[x + 2]
        if r < 245 or g < 245 or b < 245: nonwhite += 1
        if r > 200 and g < 80 and b < 80: red += 1
share = nonwhite / (w * h)
print(f"render-html: {w}x{h}, {share:.1%} non-white pixels, {red} red pixels")
if share < 0.02: sys.exit("render-html: the picture is blank")
if red == 0: sys.exit("render-html: no red pixel: the failing step is not highlighted")
PY
