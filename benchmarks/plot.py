# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""docs/performance.png from benchmarks/results/latest.json: time against history size, log x.

Runs in benchmarks/.venv-plot (matplotlib, pinned in benchmarks/requirements.txt); benchmarks/run calls it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

HERE = Path(__file__).resolve().parent

SERIES = (
    # label, how to get (wall, client side) from one size's results, style
    ("bare boto3 loop (floor), whole process", lambda s, d: (s["boto3"]["wall"]["median"], s["boto3"]["client_side"]["median"]), "-o"),
    ("bare boto3 loop, in-loop only", lambda s, d: (s["boto3"]["in_loop"]["median"], s["boto3"]["in_loop_client_side"]["median"]), ":o"),
    ("AWS CLI v1", lambda s, d: (s["awscli"]["wall"]["median"], s["awscli"]["client_side"]["median"]), "-s"),
    ("module play − empty play", lambda s, d: (d["module"]["net"]["median"], d["module"]["net"]["client_side_median"]), "-^"),
    ("module process alone", lambda s, d: (s["module"]["module_process"]["elapsed"]["median"], None), "--^"),
    ("lookup play − empty play", lambda s, d: (d["lookup"]["net"]["median"], d["lookup"]["net"]["client_side_median"]), "-v"),
    ("gate max_age, 1 data source − empty play", lambda s, d: (d["gate1"]["net"]["median"], d["gate1"]["net"]["client_side_median"]), "-D"),
    ("gate max_age, 20 data sources − empty play", lambda s, d: (d["gate20"]["net"]["median"], d["gate20"]["net"]["client_side_median"]), "-P"),
    ("empty play (subtracted)", lambda s, d: (s["empty"]["wall"]["median"], None), ":x"),
    ("emulator CPU during the floor's run", lambda s, d: (s["boto3"]["emulator_cpu"]["median"], None), "--"),
)

# One colour per series in every panel (the style strings carry no colour).
COLORS = dict(
    zip(
        [label for label, _, _ in SERIES],
        ["black", "black", "tab:blue", "tab:orange", "tab:orange", "tab:red", "tab:purple", "tab:brown", "tab:pink", "0.55"],
        strict=True,
    )
)


def complete_sizes(results):
    return sorted((int(k), v) for k, v in results["sizes"].items() if "derived" in v)


def draw(ax, sizes, which: int, title: str) -> None:
    """which: 0 wall, 1 client side (wall - emulator CPU)."""
    for label, get, style in SERIES:
        xs, ys = [], []
        for size, data in sizes:
            try:
                value = get(data["summary"], data["derived"])[which]
            except (KeyError, TypeError):
                value = None
            if value is not None:
                xs.append(size)
                ys.append(max(value, 1e-3))
        if len(xs) != len(sizes) or not xs:
            continue
        ax.plot(xs, ys, style, label=label, markersize=5, color=COLORS[label])
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("sync jobs in the history (per data source)")
    ax.set_title(title, fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.set_xticks([s for s, _ in sizes])
    ax.set_xticklabels([f"{s:,}" for s, _ in sizes])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", default=str(HERE / "results" / "latest.json"))
    parser.add_argument("--tuned", default=str(HERE / "results" / "latest-gc-tuned.json"))
    parser.add_argument("--output", default=str(HERE.parent / "docs" / "performance.png"))
    args = parser.parse_args()
    results = json.loads(Path(args.results).read_text())
    sizes = complete_sizes(results)
    if not sizes:
        print("[plot] no complete size in the results: nothing to plot", file=sys.stderr)
        return 0
    tuned_path = Path(args.tuned)
    tuned = complete_sizes(json.loads(tuned_path.read_text())) if tuned_path.exists() else []
    panels = [(sizes, 0, "wall time (median; plays minus the empty play)"), (sizes, 1, "wall time − emulator CPU during the run (median)")]
    if tuned:
        panels.append((tuned, 0, "wall time, emulator's garbage collector tuned"))
    fig, axes = plt.subplots(1, len(panels), figsize=(6.6 * len(panels), 6.4), sharey=True)
    for ax, (data, which, title) in zip(axes, panels, strict=True):
        draw(ax, data, which, title)
    axes[0].set_ylabel("seconds (log)")
    axes[0].legend(fontsize=7.5, loc="upper left")
    m = results["machine"]
    fig.suptitle(
        f"qbusiness.ops: listing a data source's sync history against the local emulator ({m['nproc']} CPUs, Python {m['python']}, "
        f"ansible-core {m['ansible_core']}, botocore {m['botocore']})",
        fontsize=11,
    )
    fig.tight_layout()
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(args.output, dpi=100)
    print(f"[plot] wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
