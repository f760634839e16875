"""Peak memory of the worst case of each input bound: one hostile input per limit, each in a
fresh process, from `tests/bombs.py` (small on disk, huge inflated).

For each case the process loads the extraction stack, notes its resident memory, extracts (or
sends the request in-process), and reports the peak (VmHWM) above that baseline, the time, and
the outcome. The worst case *within* a limit is shown beside the one past it: past a limit the
work stops early, so the within-limit document is the real ceiling.

    python -m bench.bench_bombs [--out bench/results] [--quick]

Writes `bombs.json` and `bombs.md` under the output directory.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
# (name, kind, builder expression over `bombs`, filename)
CASES = [
    ("DOCX, one paragraph just within the unzipped limit (95 MB)", "docx",
     "bombs.docx_bomb(95 * MB)", "a.docx"),
    ("DOCX zip bomb, 1 MB on disk, 1 GB inflated", "docx", "bombs.docx_bomb(1024 * MB)", "b.docx"),
    ("DOCX lying about its size (declares 10 bytes, inflates 200 MB)", "docx",
     "bombs.lying_docx(200 * MB)", "c.docx"),
    ("DOCX, many paragraphs within the limit (95 MB)", "docx",
     "bombs.docx_paragraphs_bomb(95 * MB)", "d.docx"),
    ("PPTX zip bomb, 1 GB inflated", "pptx", "bombs.pptx_bomb(1024 * MB)", "e.pptx"),
    ("XLSX, one-cell rows within the limit (95 MB)", "xlsx", "bombs.xlsx_bomb(95 * MB)", "f.xlsx"),
    ("XLSX zip bomb, 1 GB inflated", "xlsx", "bombs.xlsx_bomb(1024 * MB)", "g.xlsx"),
    ("archive of 10,000 members (the limit)", "docx", "bombs.many_members(10_000)", "h.docx"),
    ("archive of 100,000 members", "docx", "bombs.many_members(100_000)", "i.docx"),
    ("XML nested 255 deep (within) ", "docx", "bombs.deep_docx(250)", "j.docx"),
    ("XML nested 100,000 deep", "docx", "bombs.deep_docx(100_000)", "k.docx"),
    ("PDF of 1,000 pages (the limit)", "pdf", "bombs.pdf_pages(1000)", "l.pdf"),
    ("PDF of 100,000 pages", "pdf", "bombs.pdf_pages(100_000)", "m.pdf"),
    ("PDF content stream inflating to 1 GB", "pdf", "bombs.pdf_stream_bomb(1024 * MB)", "n.pdf"),
]
QUICK = {"b.docx", "g.xlsx", "i.docx", "n.pdf"}

CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
from tests import bombs
from mock_server.files.extract import extract
from mock_server.files.storage.memory import SpoolBlob
import mock_server.files.sheets, pypdf, python_calamine, charset_normalizer

MB = bombs.MB
data = {builder}
raw = SpoolBlob(1024 * 1024)
raw.write(data)
del data

def hwm():
    for line in open("/proc/self/status"):
        if line.startswith(("VmHWM:", "VmRSS:")):
            yield line.split(":")[0], int(line.split()[1])

before = dict(hwm())
# the peak so far is the building of the bomb; reset it so only extraction counts
open("/proc/self/clear_refs", "w").write("5")
before = dict(hwm())
start = time.perf_counter()
result, text = extract(raw, {filename!r}, lambda: SpoolBlob(1024 * 1024))
seconds = time.perf_counter() - start
after = dict(hwm())
print(json.dumps({{"status": result.status, "details": result.status_details[:160],
                   "seconds": round(seconds, 2), "baseline_mb": round(before["VmRSS"] / 1024, 1),
                   "peak_mb": round(after["VmHWM"] / 1024, 1),
                   "extra_mb": round((after["VmHWM"] - before["VmRSS"]) / 1024, 1)}}))
"""


def run_case(builder: str, filename: str) -> dict[str, object]:
    code = CHILD.format(root=str(ROOT), builder=builder, filename=filename)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        return {"status": "crashed", "details": done.stderr.strip().splitlines()[-1:], "seconds": 0,
                "baseline_mb": 0, "peak_mb": 0, "extra_mb": 0}
    return json.loads(done.stdout.strip().splitlines()[-1])


def render(rows: list[dict[str, object]]) -> str:
    lines = ["# Peak memory of the worst input of each bound", "",
             "Default limits (docs/bounds.md). *extra* is the process's peak resident memory during "
             "extraction above its resident memory just before (the extraction stack loaded, the "
             "upload staged).", "",
             "| input | on disk | outcome | time | extra peak |", "|---|---:|---|---:|---:|"]
    for row in rows:
        outcome = "ok" if row["status"] == "ok" else f"error: {row['details']}"
        lines.append(f"| {row['case']} | {row['disk_kb']:,} KB | {outcome} | {row['seconds']} s "
                     f"| {row['extra_mb']} MB |")
    return "\n".join(lines) + "\n"


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    options.add_argument("--quick", action="store_true", help="only the four bombs")
    args = options.parse_args()
    sys.path.insert(0, str(ROOT))
    from tests import bombs

    rows = []
    for case, _kind, builder, filename in CASES:
        if args.quick and filename not in QUICK:
            continue
        size = len(eval(builder, {"bombs": bombs, "MB": MB}))
        row = {"case": case, "disk_kb": round(size / 1024), **run_case(builder, filename)}
        print(json.dumps(row, ensure_ascii=False), flush=True)
        rows.append(row)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bombs.json").write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    (args.out / "bombs.md").write_text(render(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
