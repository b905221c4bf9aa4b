"""CCSN for the cloud classifier: pixels made by the daemon's own preprocessing,
duplicates found and merged into photographs, and a split by photograph.

Pixels come from tools/cloud-classifier-pixels.ts (src/vision/cloud-preprocess.ts), so
training sees byte for byte what the daemon feeds the model.
"""
import hashlib
import os
import subprocess
from dataclasses import dataclass, field

import numpy as np

GENERA = ["Ac", "As", "Cb", "Cc", "Ci", "Cs", "Ct", "Cu", "Ns", "Sc", "St"]

# Two files whose 12x12 grey thumbnails differ by less than this (mean absolute difference,
# 0..255) are the same photograph. Measured on CCSN: 190 pairs lie under 4 (re-encodings
# and re-filings, most under 1), the next ones (4.7 and up) are different shots.
DUPLICATE_DISTANCE_MAX = 4.0


@dataclass
class Photograph:
    """One photograph: every file that holds it, and the genera it is filed under."""
    files: list = field(default_factory=list)
    genera: list = field(default_factory=list)

    @property
    def path(self):
        return self.files[0]


def make_pixels(repo_dir, ccsn_dir, cache_dir, size):
    """Runs the TypeScript pixel writer unless its output for this size is already there."""
    cache_dir = os.path.join(cache_dir, str(size))
    done = os.path.join(cache_dir, "done")
    if not os.path.exists(done):
        command = ["node", "--import", "tsx", "tools/cloud-classifier-pixels.ts", ccsn_dir, cache_dir, str(size)]
        subprocess.run(command, cwd=repo_dir, check=True)
        open(done, "w").close()

    files = [line for line in open(os.path.join(cache_dir, "index.txt")).read().split("\n") if line]
    pixels = np.fromfile(os.path.join(cache_dir, "pixels.u8"), dtype=np.uint8)
    return files, pixels.reshape(len(files), size, size, 3)


def group_duplicates(ccsn_dir, files, pixels):
    """Photographs from files: same bytes, or near-identical thumbnails, are one photograph."""
    count, size = len(files), pixels.shape[1]
    parent = list(range(count))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_hash = {}
    for i, name in enumerate(files):
        digest = hashlib.sha256(open(os.path.join(ccsn_dir, name), "rb").read()).hexdigest()
        if digest in by_hash:
            parent[root(i)] = root(by_hash[digest])
        by_hash.setdefault(digest, i)

    cell = size // 12
    grey = pixels.astype(np.float32).mean(3)[:, : cell * 12, : cell * 12]
    thumbs = grey.reshape(count, 12, cell, 12, cell).mean((2, 4)).reshape(count, -1)
    for i in range(count):
        distance = np.abs(thumbs[i + 1:] - thumbs[i]).mean(1)
        for j in np.nonzero(distance < DUPLICATE_DISTANCE_MAX)[0]:
            parent[root(i + 1 + int(j))] = root(i)

    photographs = {}
    for i, name in enumerate(files):
        photo = photographs.setdefault(root(i), Photograph())
        photo.files.append(i)
        genus = name.split("/")[0]
        if genus not in photo.genera:
            photo.genera.append(genus)
    for photo in photographs.values():
        photo.genera.sort(key=GENERA.index)
    return sorted(photographs.values(), key=lambda photo: photo.files[0])


def split(photographs, fraction, rng):
    """Splits photographs in two, stratified by their first genus; the second part is `fraction`."""
    keep, out = [], []
    for genus in GENERA:
        members = [p for p in photographs if p.genera[0] == genus]
        order = rng.permutation(len(members))
        cut = int(round(len(members) * fraction))
        out += [members[k] for k in order[:cut]]
        keep += [members[k] for k in order[cut:]]
    return keep, out


def soft_targets(photographs):
    """One row per photograph: equal weight on each genus it is filed under."""
    targets = np.zeros((len(photographs), len(GENERA)), dtype=np.float32)
    for row, photo in enumerate(photographs):
        for genus in photo.genera:
            targets[row, GENERA.index(genus)] = 1.0 / len(photo.genera)
    return targets
