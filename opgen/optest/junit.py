"""JUnit XML for CI: a ``<testsuite>`` per package and target, a ``<testcase>`` per case (a
``<failure>`` when it fails), one per op that could not run (an ``<error>``: the reference) and
one per skip reason (``<skipped>``); a package that does not load is a suite with one
``<error>``. Text goes through xml.etree, which escapes it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from opgen.optest.session import OpReport


@dataclass(frozen=True)
class PackageFailure:
    """A package spec that could not be tested at all."""

    spec: str
    message: str


def junit_xml(reports: Sequence[OpReport], failures: Sequence[PackageFailure]) -> bytes:
    root = ET.Element("testsuites", name="opgen test")
    suites: dict[tuple[str, str], list[OpReport]] = {}
    for report in reports:
        suites.setdefault((report.package, report.target), []).append(report)
    for (package, target), ops in suites.items():
        suite = ET.SubElement(root, "testsuite", name=f"{package}.{target}")
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for report in ops:
            classname = f"{package}.{target}.{report.op}"
            for result in report.results:
                case = ET.SubElement(
                    suite,
                    "testcase",
                    classname=classname,
                    name=f"{report.op}[{result.case.index}] {result.case.label}",
                )
                counts["tests"] += 1
                if not result.ok:
                    ET.SubElement(
                        case, "failure", message=result.describe()
                    ).text = result.describe()
                    counts["failures"] += 1
            if report.error is not None:
                case = ET.SubElement(suite, "testcase", classname=classname, name=report.op)
                ET.SubElement(case, "error", message=report.error).text = report.error
                counts["tests"] += 1
                counts["errors"] += 1
            for reason in report.skipped:
                case = ET.SubElement(
                    suite, "testcase", classname=classname, name=f"{report.op} skipped"
                )
                ET.SubElement(case, "skipped", message=reason)
                counts["tests"] += 1
                counts["skipped"] += 1
        for key, value in counts.items():
            suite.set(key, str(value))
    for lost in failures:
        suite = ET.SubElement(
            root, "testsuite", name=lost.spec, tests="1", failures="0", errors="1", skipped="0"
        )
        case = ET.SubElement(suite, "testcase", classname=lost.spec, name="register")
        ET.SubElement(case, "error", message=lost.message).text = lost.message
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def write_junit(
    path: Path, reports: Sequence[OpReport], failures: Sequence[PackageFailure]
) -> None:
    """Write the XML whole or not at all (raises OSError)."""
    data = junit_xml(reports, failures)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)
