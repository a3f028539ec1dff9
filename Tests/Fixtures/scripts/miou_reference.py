"""mIoU of small prediction/ground-truth pairs by cityscapesScripts' rule, restated.

The official evaluation (evalPixelLevelSemanticLabeling.py) accumulates a confusion matrix
indexed [ground truth id][predicted id] over every pixel whose ground truth is a known id,
then scores each evaluated label as tp / (tp + fp + fn) with
  fn = the label's whole row minus tp (every prediction, ignored ids included),
  fp = the label's column summed over rows of other *evaluated* labels only,
NaN only when the denominator is 0, and averages the non-NaN scores (NaN if none).
Here train ids 0..K-1 are the evaluated labels and 255 is the one ignoreInEval id, as in the
harness. Prints the per-class IoU and the mean for each case used by
Tests/HarnessTests/ConfusionMatrixOfficialTests.swift.

Run: python3 Tests/Fixtures/scripts/miou_reference.py  (numpy only)
"""
import json
import math

import numpy as np

IGNORED = 255


def confusion(pairs, k):
    matrix = np.zeros((256, 256), dtype=np.int64)
    for prediction, truth in pairs:
        p = np.asarray(prediction, dtype=np.int64).ravel()
        t = np.asarray(truth, dtype=np.int64).ravel()
        assert p.shape == t.shape
        for gt, pred in zip(t, p):
            if gt == IGNORED:
                continue  # the ignore label's row exists but no score reads it
            assert 0 <= gt < k, "unknown ground-truth id"
            matrix[gt, pred] += 1
    return matrix


def iou_for_label(label, matrix, k):
    tp = int(matrix[label, label])
    fn = int(matrix[label, :].sum()) - tp
    others = [other for other in range(k) if other != label]
    fp = int(matrix[others, label].sum())
    denominator = tp + fp + fn
    return float("nan") if denominator == 0 else tp / denominator


def score(pairs, k):
    matrix = confusion(pairs, k)
    ious = [iou_for_label(c, matrix, k) for c in range(k)]
    valid = [v for v in ious if not math.isnan(v)]
    mean = sum(valid) / len(valid) if valid else float("nan")
    return {"iou": ious, "mean": mean}


CASES = {
    # class 2 absent from the ground truth but predicted twice: scores 0 and is averaged
    "absentButPredicted": (3, [([0, 1, 1, 2, 2, 0], [0, 0, 1, 1, 255, 0])]),
    # predictions of 255 (an ignored id) are misses of the ground-truth class
    "ignoredPrediction": (3, [([0, 255, 1, 255, 2, 2], [0, 0, 1, 1, 2, 255])]),
    # empty images add nothing; a class never seen nor predicted stays NaN
    "emptyImages": (4, [([], []), ([0, 1, 1], [0, 1, 0]), ([], [])]),
    # only ignored ground truth: every class NaN, so the mean is NaN
    "onlyIgnored": (2, [([0, 1, 255], [255, 255, 255])]),
    # several images accumulate into one matrix before scoring
    "twoImages": (3, [([0, 0, 1, 1], [0, 1, 1, 1]), ([2, 2, 0, 255], [2, 0, 0, 2])]),
}

if __name__ == "__main__":
    out = {name: score(pairs, k) for name, (k, pairs) in CASES.items()}
    print(json.dumps(out, indent=1, allow_nan=True))
