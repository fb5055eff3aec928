"""Pixel difference between two folders of screenshots (tests/browser/capture_front.py)."""

import sys
from pathlib import Path

from PIL import Image, ImageChops


def difference(before: Path, after: Path) -> tuple[str, int, float]:
    a, b = Image.open(before).convert("RGB"), Image.open(after).convert("RGB")
    if a.size != b.size:
        return f"size {a.size} -> {b.size}", -1, 100.0
    red, green, blue = ImageChops.difference(a, b).split()
    largest = ImageChops.lighter(ImageChops.lighter(red, green), blue)
    changed = a.size[0] * a.size[1] - largest.histogram()[0]
    return f"{a.size[0]}x{a.size[1]}", changed, 100 * changed / (a.size[0] * a.size[1])


def main(before: str, after: str) -> None:
    for path in sorted(Path(before).glob("*/*.png")):
        other = Path(after) / path.relative_to(before)
        size, changed, share = difference(path, other)
        box = Image.open(path).convert("RGB"), Image.open(other).convert("RGB")
        where = ImageChops.difference(*box).getbbox() if box[0].size == box[1].size else None
        print(f"{path.relative_to(before)!s:28} {size:11} {changed:7} px {share:6.3f} %  {where}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
