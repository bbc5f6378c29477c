#!/usr/bin/env python3
"""Fails when the build, the tests or the scripts would read something outside the repository.

The repository must stand on its own: a plain clone (no sibling folders, no particular machine)
builds and tests. This check reads every text file of the build and test inputs and reports:

  1. names of places outside the repository: the reference folder of the original workspace
     (the reference folder named by REFERENCE_FOLDER below, as a sibling or by its sub-folders) and
     absolute workspace paths (WORKSPACE_ROOT);
  2. Java file paths whose literal argument leaves the repository (`Path.of("../x")`,
     `new File("a/../../x")`, `.resolve("../x")`): tests and tools run with the repository root
     as working directory;
  3. Java code that walks up from the working directory (`user.dir` plus `getParent()`), which is
     how a test finds folders above the repository;
  4. shell, YAML, XML and Go module paths with `..` segments that leave the repository, resolved
     against the file's own directory when anchored there (`$(dirname "$0")`, `BASH_SOURCE`) and
     against the repository root otherwise (`$ROOT`, `${project.basedir}`, or a bare relative path:
     the scripts `cd` to the root first).

Documentation (docs/, examples/, README.md) gets rule 1 only: it must cite files a reader of the
repository has.

Usage: scripts/check-self-contained.py [repository root]   (exit 1 and one line per finding)
"""
import os
import posixpath
import re
import sys
# What the original workspace calls its read-only reference folder, and where it lives.
REFERENCE_FOLDER = "sha" "red"
WORKSPACE_ROOT = "/wo" "rk/"


SCOPE = [
    "src",
    "scripts",
    "bench",
    "demo",
    "charts",
    "test-env",
    ".github",
    ".ci",
    ".mvn",
    "pom.xml",
    "Dockerfile",
    "mvnw",
]
# Documentation and examples are not run, but they cite files: only rule 1 applies to them.
DOC_SCOPE = ["docs", "examples", "README.md"]
SKIP_DIRS = {"target", ".git", "node_modules"}
# This file names the forbidden patterns itself.
SELF = "scripts/check-self-contained.py"

FORBIDDEN = [
    (re.compile(rf"\.\./{REFERENCE_FOLDER}\b"), f"reads the sibling folder ../{REFERENCE_FOLDER}"),
    (re.compile(rf"\b{REFERENCE_FOLDER}/(rancher|docs)\b"), f"names the workspace's {REFERENCE_FOLDER} reference folder"),
    (re.compile(rf"(?<![\w.-]){WORKSPACE_ROOT}"), "names an absolute path of the original workspace"),
]

JAVA_FILE_API = re.compile(
    r"(Path\.of|Paths\.get|new File|new FileInputStream|new FileReader|\.resolve|\.resolveSibling)"
    r"\(\s*\"([^\"]*)\""
)
JAVA_SUFFIXES = (".java", ".kt", ".groovy")
PATH_SUFFIXES = (".sh", ".bash", ".yaml", ".yml", ".xml", ".mod", ".tpl", ".properties", ".cfg")
SHELL_NAMES = {"mvnw", "Dockerfile", "run"}

FILE_DIR_ANCHORS = re.compile(
    r"\$\(\s*dirname\s+[^)]*\)|\$\{BASH_SOURCE(\[0\])?%/\*\}|\$\{0%/\*\}"
)
ROOT_ANCHORS = re.compile(
    r"\$\{?(ROOT|REPO_ROOT|PROJECT_ROOT|GITHUB_WORKSPACE)\}?|\$\{project\.basedir\}|\$\{basedir\}"
)
TOKEN = re.compile(r"[^\s\"'`;|&<>()=,\[\]{}]+")


def escapes(base_rel, path):
    """True if `path`, relative to the repository directory `base_rel`, leaves the repository."""
    joined = posixpath.normpath(posixpath.join(base_rel or ".", path))
    return joined == ".." or joined.startswith("../")


def text_files(root, scope):
    for entry in scope:
        top = os.path.join(root, entry)
        if os.path.isfile(top):
            yield entry
        elif os.path.isdir(top):
            for dirpath, dirnames, filenames in os.walk(top):
                dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
                for name in sorted(filenames):
                    yield os.path.relpath(os.path.join(dirpath, name), root)


def read_text(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    if b"\0" in data[:8192]:
        return None  # binary
    return data.decode("utf-8", errors="replace")


def check_java(rel, text, findings):
    for number, line in enumerate(text.splitlines(), 1):
        for match in JAVA_FILE_API.finditer(line):
            call, literal = match.group(1), match.group(2)
            if literal.startswith("/"):
                continue  # absolute runtime paths (/tmp, /var/lib/backups) are not repository reads
            leaves = (
                ".." in literal.split("/")
                if call.startswith(".resolve")
                else escapes("", literal)
            )
            if leaves:
                findings.append(f'{rel}:{number}: {call}("{literal}") leaves the repository')
    if '"user.dir"' in text and "getParent()" in text:
        findings.append(
            f"{rel}: walks up from the working directory (user.dir and getParent()); "
            "read test data from the classpath or the repository instead"
        )


def check_paths(rel, text, findings):
    file_dir = posixpath.dirname(rel)
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip()
        if stripped.startswith("#") or stripped.startswith("//"):
            continue  # comments in scripts and go.mod
        marked = FILE_DIR_ANCHORS.sub(" @FILEDIR@/", line)
        marked = ROOT_ANCHORS.sub(" @ROOT@/", marked)
        tokens = TOKEN.findall(marked)
        for i, token in enumerate(tokens):
            if ".." not in token.split("/"):
                continue
            if token.startswith("@FILEDIR@/"):
                base, path = file_dir, token[len("@FILEDIR@/"):]
            elif token.startswith("@ROOT@/"):
                base, path = "", token[len("@ROOT@/"):]
            elif i > 0 and tokens[i - 1] in ("@FILEDIR@/", "@ROOT@/"):
                base, path = (file_dir if tokens[i - 1] == "@FILEDIR@/" else ""), token
            elif token.startswith("$") or token.startswith("/") or "://" in token:
                continue  # another variable, an absolute path or a URL: not a repository path
            else:
                base, path = "", token
            path = path.lstrip("/")
            if escapes(base, path):
                findings.append(f"{rel}:{number}: path {token!r} leaves the repository")


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.getcwd())
    findings = []
    checked = 0
    files = [(rel, True) for rel in text_files(root, SCOPE)]
    files += [(rel, False) for rel in text_files(root, DOC_SCOPE)]
    for rel, runs in files:
        rel = rel.replace(os.sep, "/")
        if rel == SELF:
            continue
        text = read_text(os.path.join(root, rel))
        if text is None:
            continue
        checked += 1
        for number, line in enumerate(text.splitlines(), 1):
            for pattern, why in FORBIDDEN:
                if pattern.search(line):
                    findings.append(f"{rel}:{number}: {why}: {line.strip()[:120]}")
        if not runs:
            continue
        name = posixpath.basename(rel)
        if rel.endswith(JAVA_SUFFIXES):
            check_java(rel, text, findings)
        elif rel.endswith(PATH_SUFFIXES) or name in SHELL_NAMES:
            check_paths(rel, text, findings)
    if findings:
        print("self-contained check: the repository must not read outside itself:", file=sys.stderr)
        for finding in findings:
            print("  " + finding, file=sys.stderr)
        return 1
    print(f"self-contained check: {checked} files read, nothing outside the repository")
    return 0


if __name__ == "__main__":
    sys.exit(main())
