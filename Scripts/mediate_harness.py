"""Shared set-up for the load and crash checks: a street in a temp folder, and a way
to run the built mediate binary against it."""

import json
import os
import pwd
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def binary(path=None):
    path = path or os.path.join(ROOT, ".build", "debug", "mediate")
    if not os.access(path, os.X_OK):
        raise SystemExit(f"{path} is missing: run 'swift build' first.")
    return path


class Street:
    """A database with one street, two communities, four grids and their people."""

    def __init__(self, mediate):
        self.mediate = mediate
        self.dir = tempfile.mkdtemp(prefix="mediate-check-")
        self.db = os.path.join(self.dir, "m.db")
        # mediate believes the real user, not MEDIATE_USER: root may name anyone; any
        # other user is the street's admin under their own login, and names others.
        self.admin = "admin" if os.getuid() == 0 else pwd.getpwuid(os.getuid()).pw_name
        self.env = dict(os.environ, MEDIATE_DB=self.db, MEDIATE_USER=self.admin, LANG="C.UTF-8")
        self.env.pop("MEDIATE_NOW", None)
        self.must("init", "--admin", self.admin, "--timezone", "Asia/Shanghai")
        self.must("unit", "add", "--code", "S1", "--name", "东湖街道", "--level", "street")
        for c in ("C01", "C02"):
            self.must("unit", "add", "--code", c, "--name", c, "--level", "community", "--parent", "S1")
            self.must("person", "add", "--login", f"med-{c}", "--name", c, "--role", "mediator", "--unit", c)
            for g in (1, 2):
                grid = f"G{c[1:]}{g}"
                self.must("unit", "add", "--code", grid, "--name", grid, "--level", "grid", "--parent", c)
        self.grids = ["G011", "G012", "G021", "G022"]

    def run(self, *args, user=None, timeout=60, env=None):
        env = dict(self.env, MEDIATE_USER=user or self.admin, **(env or {}))
        return subprocess.run([self.mediate, *args], env=env, capture_output=True, text=True, timeout=timeout)

    def must(self, *args, user=None):
        r = self.run(*args, user=user)
        if r.returncode != 0:
            raise SystemExit(f"mediate {' '.join(args)} failed ({r.returncode}): {r.stderr.strip()}")
        return r.stdout

    def file(self, grid, token, user=None, env=None):
        return self.run("file", "--grid", grid, "--category", "neighbour", "--severity", "minor",
                        "--source", "patrol", "--summary", token, "--party", "张三,applicant,13800000000", user=user,
                        env=env)

    def verify(self):
        r = self.run("verify", "--format", "json")
        report = json.loads(r.stdout) if r.stdout else {"ok": False, "problem": r.stderr.strip()}
        return r.returncode == 0 and report["ok"], report

    def count(self, token):
        """How many events carry `token` in their detail (read with Python's own SQLite)."""
        import sqlite3
        con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=30)
        try:
            return con.execute("SELECT count(*) FROM event WHERE instr(detail, ?) > 0", (token,)).fetchone()[0]
        finally:
            con.close()
