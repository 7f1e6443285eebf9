"""A short video made from real photographs for the video tests: a person who drifts right, then a cat."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from tests.vision.sample_images import ASTRONAUT, CHELSEA

FPS, SIDE = 10, 320
PERSON_UNTIL_MS = 1500  # frames before this show the astronaut, after it the cat


def clip(path: Path) -> bytes:
    """Three seconds of MJPEG in an AVI file at `path`, whose bytes are returned."""
    import cv2

    person = np.asarray(Image.open(ASTRONAUT).convert("RGB").resize((SIDE, SIDE)))
    cat = np.asarray(Image.open(CHELSEA).convert("RGB").resize((SIDE, SIDE)))
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), FPS, (SIDE, SIDE))
    for index in range(3 * FPS):
        if index * 1000 / FPS < PERSON_UNTIL_MS:
            frame = np.roll(person, 4 * index, axis=1)  # the person drifts right
        else:
            frame = cat
        writer.write(np.ascontiguousarray(frame[:, :, ::-1]))
    writer.release()
    return path.read_bytes()
