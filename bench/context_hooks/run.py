"""bench/context_hooks: latency of the SessionStart and UserPromptSubmit hooks.

Target (DESIGN 3.3): median `ao hook <event>` wall time <= 2.0x the median of a bare
`sys.executable -c pass`, measured in the same run. The repo has a constitution, 500
learnings, 50 handoffs and a 20 MB transcript (UserPromptSubmit reads only its tail).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from agentops_os.context import sample
from bench.common import ao_command, time_command, write_results
from bench.cputime import cpu_median
from bench.prime.run import generate


def main() -> int:
    runs = 7 if "--quick" in sys.argv else 21
    with tempfile.TemporaryDirectory(prefix="ao-bench-hooks-") as tmp:
        root = Path(tmp) / "repo"
        root.mkdir()
        subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
        generate(root, 500, 50)
        (root / ".agents" / "CONSTITUTION.md").write_text(
            "# Constitution\n\n## The 40% rule\n\n- Never load more than 40% of the window.\n")
        transcript = Path(tmp) / "session.jsonl"
        lines = sample.lines(str(root), peak_tokens=95_000)
        filler = json.dumps({"type": "user", "sessionId": sample.SESSION_ID,
                             "message": {"role": "user", "content": "x" * 2000}}) + "\n"
        with transcript.open("w") as handle:
            handle.write(filler * 10_000)  # ~20 MB of history before the recent turns
            handle.writelines(json.dumps(r) + "\n" for r in lines)
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        base = {"session_id": sample.SESSION_ID, "transcript_path": str(transcript), "cwd": str(root)}
        payloads = {
            "stop": {**base, "hook_event_name": "Stop", "stop_hook_active": False},
            "session-start": {**base, "hook_event_name": "SessionStart", "source": "startup"},
            "user-prompt-submit": {**base, "hook_event_name": "UserPromptSubmit", "prompt": "go on"},
        }
        results = {}
        cpu = {}
        for event, payload in payloads.items():
            data = json.dumps(payload).encode()
            time_command([*ao_command(), "hook", event], 2, input=data, env=env, cwd=str(root))  # warm
            results[event] = statistics.median(
                time_command([*ao_command(), "hook", event], runs, input=data, env=env, cwd=str(root)))
            cpu[event] = cpu_median([*ao_command(), "hook", event], runs, input=data, env=env, cwd=str(root))
        bare = statistics.median(time_command([sys.executable, "-c", "pass"], runs, env=env))
        bare_cpu = cpu_median([sys.executable, "-c", "pass"], runs, env=env)
    ok = True
    print(f"bare interpreter median: {bare * 1000:.1f} ms")
    out = {"bare_ms": round(bare * 1000, 1), "target_ratio": 2.0}
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
          f"bare interpreter CPU median: {bare_cpu * 1000:.1f} ms")
    out["bare_cpu_ms"] = round(bare_cpu * 1000, 1)
    for event, seconds in cpu.items():
        print(f"  CPU {event:20} {seconds * 1000:6.1f} ms = {seconds / bare_cpu:.2f}x bare CPU")
        out[f"cpu_{event}"] = {"median_ms": round(seconds * 1000, 1), "ratio": round(seconds / bare_cpu, 2)}
    noop = results.pop("stop")
    print(f"ao hook stop (no-op handler, foundation cost): {noop * 1000:.1f} ms = {noop / bare:.2f}x")
    out["noop_stop_ms"] = round(noop * 1000, 1)
    for event, seconds in results.items():
        ratio = seconds / bare
        met = ratio <= 2.0
        ok &= met
        print(f"  {event}: {1000 * (seconds - noop):+.1f} ms over the no-op hook")
        print(f"ao hook {event:20} {seconds * 1000:6.1f} ms = {ratio:.2f}x (target <= 2.0x): "
              f"{'met' if met else 'MISSED'}")
        out[event] = {"median_ms": round(seconds * 1000, 1), "ratio": round(ratio, 2), "met": met}
    out["met"] = ok
    write_results("context_hooks", out)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
