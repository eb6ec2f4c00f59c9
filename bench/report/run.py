"""bench/report: `ao report` on a generated transcript corpus, warm (the index built),
against `ao usage daily` on the same index in the same run.

    python -m bench report                       # quick: 50 MB corpus
    AO_BENCH_SIZE_MB=1024 python -m bench report # the issue's 1 GB

Target (issue #19): `ao report` on 1 GB of transcripts <= 3 s warm.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
from pathlib import Path

from bench.common import ao_command, compile_package, time_command, write_results
from bench.ingest.generate import generate

TARGET_S = 3.0


def main() -> int:
    compile_package()
    size_mb = float(os.environ.get("AO_BENCH_SIZE_MB", "50"))
    with tempfile.TemporaryDirectory(prefix="ao-bench-report-") as tmp:
        base = Path(tmp)
        home, repo = base / "home", base / "repo"
        home.mkdir()
        repo.mkdir()
        env = {**os.environ, "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1"}
        subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True, env=env)
        info = generate(home, int(size_mb * (1 << 20)))
        ao = ao_command()
        subprocess.run([*ao, "sessions", "ingest", "--all-projects"], cwd=repo, env=env, check=True,
                       capture_output=True)
        report = time_command([*ao, "report", "--all-projects", "--html", str(base / "r.html")], 3,
                              env=env, cwd=str(repo))
        daily = time_command([*ao, "usage", "daily", "--all-projects"], 3, env=env, cwd=str(repo))
        page_mb = (base / "r.html").stat().st_size / (1 << 20)
    median_report, median_daily = statistics.median(report), statistics.median(daily)
    verdict = "met" if median_report <= TARGET_S else "MISSED"
    print(f"corpus: {size_mb:.0f} MB, {info.get('sessions', '?')} sessions")
    print(f"ao report (warm): median {median_report:.2f}s (min {min(report):.2f}, max {max(report):.2f}); "
          f"target <= {TARGET_S:.0f}s: {verdict}; page {page_mb:.1f} MB")
    print(f"ao usage daily (warm, same index): median {median_daily:.2f}s -> report = "
          f"{median_report / median_daily:.2f}x daily")
    write_results("report", {"size_mb": size_mb, "report_s": median_report, "daily_s": median_daily,
                             "ratio_vs_daily": median_report / median_daily, "target_s": TARGET_S})
    return 0
