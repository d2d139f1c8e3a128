"""Shared set-up for the load and crash checks: a street in a temp folder (or, with
--engine postgresql, in a new database on the server that Scripts/with-postgres started),
and a way to run the built mediate binary against it."""

import glob
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def add_engine_argument(parser):
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite",
                        help="sqlite (a file, the default) or postgresql (a throwaway server; "
                             "the binary built with --traits PostgreSQL)")


def on_engine(engine):
    """With --engine postgresql outside Scripts/with-postgres: runs this same script again
    under it (a throwaway cluster, removed afterwards); exits 0 saying SKIPPED, with the
    command that installs them, where the server binaries are missing."""
    if engine != "postgresql" or os.environ.get("MEDIATE_TEST_POSTGRESQL"):
        return
    wrapper = os.path.join(ROOT, "Scripts", "with-postgres")
    check = subprocess.run([wrapper, "--check"], capture_output=True, text=True)
    if check.returncode != 0:
        print(f"{os.path.basename(sys.argv[0])}: postgresql: SKIPPED — the PostgreSQL server binaries are "
              "missing; install them with: sudo apt-get install -y postgresql libpq-dev")
        sys.exit(0)
    os.execv(wrapper, [wrapper, sys.executable, *sys.argv])


def psql_binary():
    found = shutil.which("psql") or (sorted(glob.glob("/usr/lib/postgresql/*/bin/psql")) or [None])[-1]
    if not found:
        raise SystemExit("psql is missing: sudo apt-get install -y postgresql")
    return found


def psql(uri, sql, **variables):
    """One psql run against URI: the rows as text (unaligned, tuples only)."""
    cmd = [psql_binary(), "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", uri]
    for key, value in variables.items():
        cmd += ["-v", f"{key}={value}"]
    r = subprocess.run(cmd, input=sql, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"psql failed: {r.stderr.strip()}")
    return r.stdout


def server_database(prefix="check"):
    """A new empty database on the server named by MEDIATE_TEST_POSTGRESQL: its URI."""
    admin = os.environ["MEDIATE_TEST_POSTGRESQL"]
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    psql(admin, f"CREATE DATABASE {name}")
    base, _, query = admin.partition("?")
    return base.rsplit("/", 1)[0] + "/" + name + ("?" + query if query else "")


def binary(path=None, engine="sqlite"):
    default = [".build", "postgresql", "debug", "mediate"] if engine == "postgresql" else [".build", "debug", "mediate"]
    path = path or os.path.join(ROOT, *default)
    if not os.access(path, os.X_OK):
        raise SystemExit(f"{path} is missing: run 'swift build' first.")
    return path


class Street:
    """A database with one street, two communities, four grids and their people."""

    def __init__(self, mediate, engine="sqlite", db=None):
        self.mediate = mediate
        self.engine = engine
        self.dir = tempfile.mkdtemp(prefix="mediate-check-")
        self.db = db or (server_database() if engine == "postgresql" else os.path.join(self.dir, "m.db"))
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
        """How many events carry `token` in their detail (read with Python's own SQLite, or
        with psql on the server: never through mediate itself)."""
        if self.engine == "postgresql":
            return int(psql(self.db, "SELECT count(*) FROM event WHERE strpos(detail, :'token') > 0", token=token))
        import sqlite3
        con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=30)
        try:
            return con.execute("SELECT count(*) FROM event WHERE instr(detail, ?) > 0", (token,)).fetchone()[0]
        finally:
            con.close()
