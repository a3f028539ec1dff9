#!/usr/bin/env python3
"""What decides CAC's effect, across profiles and pretraining (issue 14).

Reads paper 1's run folders (metrics.json and manifest.json, as `repro run` / `repro claims`
write them) under one or more directories, groups them by (profile, pretraining), and prints a
Markdown table per group: for each setting and domain, the supervised and semi-supervised mIoU,
the gap semi minus supervised paired by seed, and the semi run's CAC diagnostics over training
(the share of overlap positions above the confidence threshold at the first and the last epoch
with the DC loss, the share that became anchors, the DC loss's share of the total loss).

Usage: python3 scripts/cac_diagnostics.py RUNS_DIR [RUNS_DIR ...] > table.md
Standard library only. Unfinished runs (no metrics.json) are skipped and counted.
"""
import json
import os
import statistics
import sys

DOMAINS = ["city", "synth", "bdd"]
SETTINGS = ["single", "multi"]


def load_runs(directories):
    runs, skipped = [], 0
    for directory in directories:
        for name in sorted(os.listdir(directory)):
            folder = os.path.join(directory, name)
            metrics = os.path.join(folder, "metrics.json")
            manifest = os.path.join(folder, "manifest.json")
            if not (os.path.isfile(metrics) and os.path.isfile(manifest)):
                skipped += 1
                continue
            with open(metrics) as f:
                m = json.load(f)
            with open(manifest) as f:
                man = json.load(f)
            if not m["cell"].startswith("p1/"):
                continue
            config = json.loads(man["configuration"])
            setting, method = m["cell"][3:].split("-", 1)
            runs.append({
                "profile": m["profile"], "pretrain": config.get("pretrain", "none"),
                "setting": setting, "method": method, "seed": m["seed"],
                "metrics": m["metrics"], "series": m.get("series", {}),
                "threads": man.get("threads"),
            })
    return runs, skipped


def mean_std(values):
    if not values:
        return "-"
    if len(values) == 1:
        return f"{values[0]:.2f}"
    return f"{statistics.mean(values):.2f} ± {statistics.stdev(values):.2f}"


def percent(values):
    return f"{100 * statistics.mean(values):.1f}" if values else "-"


def table(group):
    rows = []
    for setting in SETTINGS:
        for domain in DOMAINS:
            sup = {r["seed"]: r for r in group
                   if r["setting"] == setting and r["method"] == "supervised"}
            semi = {r["seed"]: r for r in group
                    if r["setting"] == setting and r["method"] == "semi"}
            key = f"miou/{domain}"
            sup_miou = [r["metrics"][key] for r in sup.values() if key in r["metrics"]]
            semi_miou = [r["metrics"][key] for r in semi.values() if key in r["metrics"]]
            gaps = [semi[s]["metrics"][key] - sup[s]["metrics"][key]
                    for s in sorted(set(sup) & set(semi))
                    if key in semi[s]["metrics"] and key in sup[s]["metrics"]]

            def series(column, index):
                out = []
                for r in semi.values():
                    values = r["series"].get(f"cac/{column}/{domain}", [])
                    if values:
                        out.append(values[index])
                return out

            rows.append([
                setting, domain, str(len(gaps)), mean_std(sup_miou), mean_std(semi_miou),
                mean_std(gaps), percent(series("confident", 0)),
                percent(series("confident", -1)), percent(series("selected", -1)),
                percent(series("dc_share", 0)), percent(series("dc_share", -1)),
            ])
    header = [
        "setting", "domain", "seeds", "supervised mIoU", "semi mIoU",
        "semi − supervised (points)", "confident % first", "confident % last",
        "anchors % last", "DC share % first", "DC share % last",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    for directory in argv[1:]:
        if not os.path.isdir(directory):
            sys.exit(f"cac_diagnostics.py: {directory}: not a folder")
    runs, skipped = load_runs(argv[1:])
    groups = {}
    for r in runs:
        groups.setdefault((r["profile"], r["pretrain"]), []).append(r)
    print("# What decides CAC's effect, by profile and pretraining\n")
    print(f"Runs read: {len(runs)} finished paper-1 runs ({skipped} unfinished folders "
          "skipped). mIoU in points, mean ± std over seeds; the gap is paired by seed. "
          "Diagnostics of the semi-supervised runs, mean over seeds, at the first and the last "
          "epoch with the DC loss: confident = overlap positions of both crops above CAC's "
          "confidence threshold; anchors = positions the DC loss trains; DC share = "
          "λ·DC / (CE + λ·DC).\n")
    for (profile, pretrain) in sorted(groups):
        group = groups[(profile, pretrain)]
        seeds = sorted({r["seed"] for r in group})
        threads = sorted({str(r["threads"]) for r in group})
        print(f"## `{profile}`, pretrain `{pretrain}` (seeds {seeds}, threads "
              f"{', '.join(threads)})\n")
        print(table(group))
        print()


if __name__ == "__main__":
    main(sys.argv)
