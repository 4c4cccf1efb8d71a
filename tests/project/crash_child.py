"""Child process for test_crash.py: does committed work in a loop and says so after every commit.

    python crash_child.py import PROJECT SOURCE_DIR BATCH
    python crash_child.py label PROJECT
"""

import sys
from pathlib import Path

from cnnstudio.project import Project, import_paths


def main() -> None:
    mode, project_dir = sys.argv[1], sys.argv[2]
    project = Project.open(project_dir)
    print("ready", flush=True)
    if mode == "import":
        files = sorted(Path(sys.argv[3]).iterdir())
        batch = int(sys.argv[4])
        for start in range(0, len(files), batch):
            report = import_paths(project, files[start:start + batch], workers=2)
            print("committed", ",".join(str(i) for i in report.imported), flush=True)
    elif mode == "label":
        ids = project.ids()
        classes = [c.id for c in project.classes()]
        step = 0
        while True:
            image = ids[step % len(ids)]
            cls = classes[(step * 7 + 3) % len(classes)]
            project.set_labels([image, ids[(step + 1) % len(ids)]], cls)
            print("committed", step, flush=True)
            step += 1
    print("done", flush=True)


if __name__ == "__main__":
    main()
