"""What the pytest plugin costs a project that never uses it: `pytest --co` in an empty project
(one trivial test), with the plugin loaded (as installing moonshot-mock makes it) and with it
disabled (`-p no:moonshot_mock`). The overhead is the difference of the medians; the target is
under 0.1 s.

    python -m bench.bench_plugin [--runs 15] [--out bench/results]

Writes `plugin.json` and `plugin.md` under the output directory.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def collect(project: Path, *flags: str) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pytest", "--co", "-q", "-p", "no:cacheprovider",
                           *flags], cwd=project, capture_output=True, text=True, timeout=120)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(done.stdout + done.stderr)
    return elapsed


PLUGIN_IMPORT = """
import time, pytest
start = time.perf_counter()
import mock_server.testing.pytest_plugin
print(time.perf_counter() - start)
"""


def plugin_import(runs: int) -> float:
    """What loading the plugin itself costs, pytest already imported (as it is when pytest
    loads its plugins): the median over fresh interpreters, free of the noise of whole runs."""
    times = [float(subprocess.run([sys.executable, "-c", PLUGIN_IMPORT], capture_output=True,
                                  text=True, timeout=60, check=True).stdout)
             for _ in range(runs)]
    return statistics.median(times)


def measure(runs: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="empty-project-") as directory:
        project = Path(directory)
        (project / "test_nothing.py").write_text("def test_nothing():\n    pass\n")
        collect(project)  # warm the bytecode caches of both variants
        collect(project, "-p", "no:moonshot_mock")
        loaded, disabled = [], []
        for _ in range(runs):  # interleaved, so machine noise falls on both alike
            loaded.append(collect(project))
            disabled.append(collect(project, "-p", "no:moonshot_mock"))
    with_plugin, without = statistics.median(loaded), statistics.median(disabled)
    return {"runs": runs, "with_plugin_s": round(with_plugin, 4), "without_s": round(without, 4),
            "overhead_s": round(with_plugin - without, 4),
            "plugin_import_s": round(plugin_import(runs), 5)}


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--runs", type=int, default=15)
    options.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    args = options.parse_args()
    figures = measure(args.runs)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "plugin.json").write_text(json.dumps(figures, indent=2) + "\n")
    (args.out / "plugin.md").write_text(
        "# pytest plugin: cost to a project that does not use it\n\n"
        f"`pytest --co` in an empty project, median of {figures['runs']} runs each: "
        f"{figures['with_plugin_s']} s with the plugin, {figures['without_s']} s with "
        f"`-p no:moonshot_mock`; overhead **{figures['overhead_s']} s** (target < 0.1 s; the "
        "difference of two medians, so within the machine's noise it can come out negative).\n\n"
        f"Loading the plugin module itself, pytest already imported: **{figures['plugin_import_s']} s** "
        "(median over fresh interpreters; it imports nothing but pytest).\n")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
