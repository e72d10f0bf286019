"""`make test`'s dependency audit: pip-audit over the exact pins of requirements.lock.

A known vulnerability fails the run. A vulnerability database that cannot be reached (a machine
without internet access, a proxy) only prints a warning: the audit then says nothing either way,
and failing would block every test run offline. pip-audit itself reports "No known
vulnerabilities found" even when it could check nothing, so its JSON report is read here.

Usage: python .ci/audit_dependencies.py [path/to/pip-audit]
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

# What pip-audit and its HTTP client say when the service is out of reach.
UNREACHABLE = re.compile(
    r"ConnectionError|ConnectTimeout|ReadTimeout|Max retries exceeded|Name or service not known|"
    r"Temporary failure in name resolution|Network is unreachable|ProxyError|SSLError",
    re.IGNORECASE,
)


def warn(text: str) -> None:
    print(f"CẢNH BÁO (pip-audit): {text}", file=sys.stderr)


def main(pip_audit: str) -> int:
    command = [pip_audit, "-r", "requirements.lock", "--disable-pip", "--no-deps", "-f", "json"]
    command += ["--progress-spinner", "off"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    try:
        dependencies = json.loads(result.stdout)["dependencies"]
    except (json.JSONDecodeError, KeyError, TypeError):
        if UNREACHABLE.search(result.stderr):
            warn("không kết nối được cơ sở dữ liệu lỗ hổng: bỏ qua kiểm tra lần này.")
            return 0
        print(result.stdout + result.stderr, file=sys.stderr)
        print("pip-audit không chạy được (xem thông báo ở trên).", file=sys.stderr)
        return result.returncode or 1

    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if "skip_reason" in d]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "chưa có bản sửa"
            print(
                f"{dependency['name']} {dependency['version']}: {vuln['id']} (sửa ở: {fixed})",
                file=sys.stderr,
            )
    if vulnerable:
        print(f"pip-audit: {len(vulnerable)} gói có lỗ hổng đã biết.", file=sys.stderr)
        return 1
    audited = len(dependencies) - len(skipped)
    if skipped and not audited:
        warn(
            f"không kiểm tra được gói nào ({len(skipped)} gói bị bỏ qua, ví dụ: "
            f"{skipped[0]['skip_reason']}): máy này không truy cập được cơ sở dữ liệu lỗ hổng; "
            "hãy chạy lại trên máy có mạng."
        )
    elif skipped:
        names = ", ".join(d["name"] for d in skipped)
        warn(f"{len(skipped)} gói không kiểm tra được: {names}.")
        print(f"pip-audit: {audited} gói không có lỗ hổng đã biết.")
    else:
        print(f"pip-audit: {audited} gói không có lỗ hổng đã biết.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "pip-audit"))
