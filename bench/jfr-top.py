#!/usr/bin/env python3
"""Where a JFR recording's CPU samples go: prints the hottest methods (top frame) and, for each
sample, the first frame in a few code areas (our packages, Jackson, the HTTP stack, TLS, gzip),
as Markdown tables. Usage: bench/jfr-top.py RECORDING.jfr [TOP]   (needs the JDK's `jfr` tool)."""
import collections
import re
import subprocess
import sys

AREAS = [
    ("gzip / inflate", re.compile(r"java\.util\.zip|compress\.compressors|GzipLayer")),
    ("TLS", re.compile(r"sun\.security\.ssl|javax\.crypto|com\.sun\.crypto")),
    ("Jackson (JSON)", re.compile(r"com\.fasterxml\.jackson")),
    ("HTTP client (Vert.x, Netty, fabric8 http)", re.compile(r"io\.vertx|io\.netty|io\.fabric8\.kubernetes\.client\.http|io\.fabric8\.kubernetes\.client\.vertx")),
    ("tar", re.compile(r"archivers\.tar|StrictTarInputStream|TarGzArchive")),
    ("restore engine (dev.backuprestore.restore)", re.compile(r"dev\.backuprestore\.restore")),
    ("other dev.backuprestore", re.compile(r"dev\.backuprestore")),
]

def samples(path):
    out = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", path],
                         capture_output=True, text=True, check=True).stdout
    stack = None
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("stackTrace = ["):
            stack = []
        elif stack is not None:
            if line.startswith("]") or line == "...":
                yield stack
                stack = None
            elif line:
                stack.append(re.sub(r"\s+line:.*$", "", line))

def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    methods = collections.Counter()
    areas = collections.Counter()
    total = 0
    for stack in samples(path):
        total += 1
        methods[stack[0]] += 1
        for name, pattern in AREAS:
            if any(pattern.search(frame) for frame in stack[:12]):
                areas[name] += 1
                break
        else:
            areas["JDK and other"] += 1
    print(f"{total} CPU samples in {path}\n")
    print("| area (first match in the 12 innermost frames) | share of samples |\n|---|---|")
    for name, count in areas.most_common():
        print(f"| {name} | {100 * count / total:.0f}% |")
    print("\n| hottest methods (top frame) | share |\n|---|---|")
    for method, count in methods.most_common(top):
        print(f"| `{method}` | {100 * count / total:.1f}% |")

main()
