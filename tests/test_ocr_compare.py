"""tools/ocr_compare.py (the OCR engine comparison): it stops with one clear line without
tesseract, and gives tesseract's readings back one per crop, an empty crop among them."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_says_so_without_tesseract(tmp_path):
    env = dict(os.environ, PATH=str(tmp_path))  # no tesseract on it
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "ocr_compare.py")], env=env,
                         cwd=ROOT, capture_output=True, text=True)
    assert out.returncode != 0
    assert out.stderr.strip() == ("ocr_compare: tesseract is not installed (apt-get install "
                                  "tesseract-ocr tesseract-ocr-chi-sim); nothing to compare")


@pytest.mark.skipif(not shutil.which("tesseract"), reason="tesseract not installed (measurement only)")
def test_one_reading_per_crop(tmp_path):
    from PIL import Image, ImageDraw, ImageFont
    from tools.ocr_compare import TESSERACT, norm, tesseract

    def crop(text: str) -> np.ndarray:
        img = Image.new("L", (160, 50), 255)
        ImageDraw.Draw(img).text((10, 5), text, fill=0, font=ImageFont.load_default(36))
        return np.asarray(img)

    crops = [crop("4061"), np.full((50, 160), 255, np.uint8), crop("27")]
    got = [norm(t) for t in tesseract(crops, tmp_path, 200, TESSERACT["tesseract eng digits"])]
    assert got == ["4061", "", "27"]
