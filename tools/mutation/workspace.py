"""A private copy of the working tree that imports as `oversight.*`, for mutation runs.

A mutation tool rewrites source files and runs the tests against them; doing that in the
shared working tree would hand every other test run the mutants too. So the tools work on a
copy: DIR/src holds the tracked and untracked (not ignored) files, with DIR/src/oversight made
the installed layout (`oversight/graph` a symlink to `graph`, and so on), and tests run in
DIR/src with PYTHONPATH=DIR/src, so they import the copy, mutants included, also in the
subprocesses they start (`python -m oversight`), ahead of the editable install.

    python tools/mutation/workspace.py DIR      # (re)make DIR/src; prints the environment to use
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {"graph": "graph", "loaders": "loaders", "queries": "queries", "visualise": "visualise"}
PACKAGES["data"] = "data"  # oversight.data: the bundled dataset


def files(root: Path = ROOT) -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        check=True,
        capture_output=True,
    ).stdout.decode()
    return [name for name in listed.split("\0") if name and (root / name).is_file()]


def make(target: Path, root: Path = ROOT, copies: bool = False) -> dict[str, str]:
    """Copy the tree into target/src and lay out its package; the environment for test runs.

    copies: `oversight/graph` and the rest are copies, not symlinks (for a tool that walks
    the package itself, such as mutmut). With MUTATION_BASE=COMMIT in the environment, the
    copy is that commit's tree, with the working tree's versions of the files named in
    MUTATION_OVERLAY (comma-separated) on top: a run that others' unfinished edits in the
    shared tree cannot break."""
    src = target / "src"
    if src.exists():
        shutil.rmtree(src)
    src.mkdir(parents=True)
    base = os.environ.get("MUTATION_BASE")
    if base:
        archive = subprocess.run(
            ["git", "archive", base], cwd=root, check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(src)], input=archive, check=True)
        names = [n for n in os.environ.get("MUTATION_OVERLAY", "").split(",") if n]
    else:
        names = files(root)
    for name in names:
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, src / name)
    for name, folder in PACKAGES.items():
        if copies:
            shutil.copytree(src / folder, src / "oversight" / name)
        else:
            (src / "oversight" / name).symlink_to(Path("..") / folder, target_is_directory=True)
    return {"PYTHONPATH": str(src), "PYTHONDONTWRITEBYTECODE": "1"}


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    env = make(Path(sys.argv[1]).resolve())
    print(" ".join(f"{k}={v}" for k, v in env.items()))


if __name__ == "__main__":
    os.umask(0o022)
    main()
