"""JUnit XML for CI systems that show test reports (one testcase per check)."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

from agentops_os.gates.runner import GateResult


def write_junit(result: GateResult, path: Path) -> None:
    failures = sum(c.status == "fail" for c in result.checks)
    skipped = sum(c.status == "skip" for c in result.checks)
    suite = ET.Element("testsuite", name=f"ao gate {result.gate}", tests=str(len(result.checks)),
                       failures=str(failures), skipped=str(skipped), time=f"{result.seconds:.3f}")
    for check in result.checks:
        case = ET.SubElement(suite, "testcase", classname=f"gate.{result.gate}", name=check.name,
                             time=f"{check.seconds:.3f}")
        if check.status == "fail":
            failure = ET.SubElement(case, "failure", message=check.reason)
            failure.text = check.output
        elif check.status == "skip":
            ET.SubElement(case, "skipped", message=check.reason)
        if check.cached:
            ET.SubElement(case, "system-out").text = "cached verdict (inputs unchanged)"
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)
