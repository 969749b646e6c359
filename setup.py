"""Build step that ships the law with the package: rules/ and cases/ stay at the top of the checkout
(the source of truth, edited there), and every built wheel carries a copy under engine/rules and
engine/cases, where `default_rules_dir()` and `default_cases_dir()` look first once installed."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED = ("rules", "cases")


class BuildWithLaw(build_py):
    def run(self):
        super().run()
        if self.editable_mode:  # an editable install reads the checkout's own folders
            return
        for name in BUNDLED:
            target = Path(self.build_lib) / "engine" / name
            shutil.rmtree(target, ignore_errors=True)
            for src in sorted((ROOT / name).rglob("*.yaml")):
                dest = target / src.relative_to(ROOT / name)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dest)


setup(cmdclass={"build_py": BuildWithLaw})
