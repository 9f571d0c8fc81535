#!/usr/bin/env python3
"""The README's commands, run as its users type them, checked by what they print and write.

Each journey runs real commands (`make grade`, `.build/release/lessons hint NAME`, `make serve`) in the
course's folder, as separate processes, with no option the README does not give. A journey fails with the
command it ran and what the user would have seen.

    python3 Tests/Journeys/journeys.py [learner] [author] [instructor] [watch]     (all four by default)

The journeys work in the checkout itself, as a user does. What they touch is put back, even when a journey
fails or is interrupted: your `Exercises/` folder is moved aside for the learner's journey and moved back
(it is kept as `.cache/journeys/Exercises-*` if this process is killed outright), and the author's lesson is
removed and the site built again without it. `make test` runs them after the unit tests and `check-site`.
"""
import json
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LESSONS = ".build/release/lessons"          # the tool, as the README names it


class JourneyFailed(Exception):
    pass


def step(text):
    print(f"  · {text}", flush=True)


def run(command, timeout=900, env=None):
    """Runs `command` in the course's folder through the shell, as typed; returns (status, everything it printed)."""
    started = time.monotonic()
    done = subprocess.run(["bash", "-c", command], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})})
    step(f"$ {command}  (exit {done.returncode}, {time.monotonic() - started:.1f} s)")
    return done.returncode, done.stdout


def expect(condition, command, output, what):
    if not condition:
        tail = "\n".join(output.splitlines()[-40:])
        raise JourneyFailed(f"{what}\n  command: {command}\n  the user saw:\n" + "\n".join("    | " + l for l in tail.splitlines()))


def must(command, timeout=900):
    status, output = run(command, timeout)
    expect(status == 0, command, output, f"exit status {status}, not 0")
    return output


# The course, read from its lesson files the way a learner reads the page: fences by info string.
FENCE = re.compile(r"^```(\S*)[ \t]*([^\n]*)\n(.*?)^```[ \t]*$", re.S | re.M)


def lessons():
    return sorted(f for f in os.listdir(os.path.join(ROOT, "Lessons")) if re.match(r"\d\d-.*\.md$", f))


def blocks(lesson):
    text = open(os.path.join(ROOT, "Lessons", lesson), encoding="utf-8").read()
    return [(lang, info.split(), body) for lang, info, body in FENCE.findall(text)]


def exercises():
    """(lesson name, exercise name, the solution as the page shows it), in course order."""
    found = []
    for lesson in lessons():
        for lang, words, body in blocks(lesson):
            names = [w.split("=", 1)[1] for w in words if w.startswith("exercise=")]
            if lang == "swift" and names:
                shown = [l for l in body.splitlines() if "SOLUTION" not in l and not l.rstrip().endswith("// hide")]
                found.append((lesson[:-3], names[0], "\n".join(shown)))
    return found


def mistakes(lesson):
    """(exercise, the message it must fail with, its code) for each `mistake=` block of `lesson`."""
    found = []
    for lang, words, body in blocks(lesson):
        names = [w.split("=", 1)[1] for w in words if w.startswith("mistake=")]
        if lang == "swift" and names:
            first, _, code = body.partition("\n")
            found.append((names[0], first.removeprefix("// fails:").strip(), code))
    return found


def learner_file(lesson, name):
    return os.path.join(ROOT, "Exercises", lesson, name + ".swift")


def write_solution(lesson, name, code):
    with open(learner_file(lesson, name), "w", encoding="utf-8") as f:
        f.write("import SequenceModels\n\n" + code + "\n")


def rows(output):
    """The grade table's rows: exercise → (status, details), the exercises of its `not started (N): …` line included."""
    statuses = ["pass", "fail", "crash", "timeout", "compile error"]
    table = {}
    for line in output.splitlines():
        match = re.match(r"^(\w+)\s{2,}(" + "|".join(statuses) + r")(?:\s{2,}(.*))?$", line.rstrip())
        if match:
            table[match.group(1)] = (match.group(2), match.group(3) or "")
        match = re.match(r"^not started \(\d+\): (.*)$", line.rstrip())
        if match:
            table.update({name: ("not started", "") for name in match.group(1).split(", ")})
    return table


class MovedAside:
    """Moves `path` (in the course's folder) aside for the journey, and back afterwards, whatever happens."""

    def __init__(self, path):
        self.path = os.path.join(ROOT, path)
        self.kept = None

    def __enter__(self):
        if os.path.lexists(self.path):
            os.makedirs(os.path.join(ROOT, ".cache/journeys"), exist_ok=True)
            self.kept = tempfile.mkdtemp(prefix=os.path.basename(self.path) + "-", dir=os.path.join(ROOT, ".cache/journeys"))
            os.rename(self.path, os.path.join(self.kept, "kept"))
            step(f"your {os.path.relpath(self.path, ROOT)}/ is kept in {os.path.relpath(self.kept, ROOT)}/ during the journey")
        return self

    def __exit__(self, *error):
        if os.path.lexists(self.path):
            shutil.rmtree(self.path) if os.path.isdir(self.path) else os.remove(self.path)
        if self.kept:
            os.rename(os.path.join(self.kept, "kept"), self.path)
            os.rmdir(self.kept)


def learner():
    with MovedAside("Exercises"):
        out = must("make exercises")
        course = exercises()
        missing = [n for l, n, _ in course if not os.path.isfile(learner_file(l, n))]
        expect(not missing, "make exercises", out, f"no stub written for {missing}")

        # Every exercise but the last solved with its lesson's own solution: those pass, the last is not started.
        for lesson, name, code in course[:-1]:
            write_solution(lesson, name, code)
        status, out = run("make grade")
        table = rows(out)
        failing = {n: table.get(n) for _, n, _ in course[:-1] if table.get(n, ("",))[0] != "pass"}
        expect(not failing, "make grade", out, f"reference solutions not graded pass: {failing}")
        expect(table.get(course[-1][1], ("",))[0] == "not started", "make grade", out, f"{course[-1][1]} should be not started")
        expect(status != 0, "make grade", out, "exit status 0 although an exercise does not pass")
        expect(f"{len(course) - 1} of {len(course)} passed, 1 not started; next: {course[-1][1]} (Exercises/" in out,
               "make grade", out, "no summary naming the exercise to do next")

        write_solution(*course[-1])
        status, out = run("make grade")
        expect(status == 0, "make grade", out, f"exit status {status} with every exercise solved")
        report = json.load(open(os.path.join(ROOT, "Exercises/grade-report.json"), encoding="utf-8"))
        expect(report["passed"] == report["total"] == len(course), "make grade", json.dumps(report)[:2000],
               "Exercises/grade-report.json does not say every exercise passed")

        # Each mistake of two lessons, in the learner's file, fails with its own message.
        for lesson in ["02-rnn-forward", "04-language-modelling"]:
            for name, message, code in mistakes(lesson + ".md"):
                write_solution(lesson, name, code)
                command = f"{LESSONS} grade {name}"
                status, out = run(command)
                expect(rows(out).get(name, ("",))[:1] == ("fail",) and message in rows(out)[name][1] and status != 0,
                       command, out, f"a mistake of {lesson} should fail with: {message}")
            for l, n, code in course:
                if l == lesson:
                    write_solution(l, n, code)

        # Hints, one at a time.
        name = "rnnCellForward"
        first, second = must(f"{LESSONS} hint {name}"), must(f"{LESSONS} hint {name}")
        expect(first.startswith(f"Hint 1 of 2 for {name}") and second.startswith(f"Hint 2 of 2 for {name}"),
               f"{LESSONS} hint {name}", first + second, "the hints should come one at a time")

        # Reset: the stub back, the learner's file kept.
        path = learner_file("02-rnn-forward", name)
        mine = open(path, encoding="utf-8").read()
        out = must(f"{LESSONS} exercises --reset {name}")
        expect(open(path + ".bak", encoding="utf-8").read() == mine and "TODO" in open(path, encoding="utf-8").read(),
               f"{LESSONS} exercises --reset {name}", out, "the stub should be back and the learner's file kept as .bak")


def watch():
    """`make watch` under a pseudo-terminal: a save is graded again within 3 s; Ctrl-C stops it cleanly.

    It runs last: `swift build` colours its diagnostics in a terminal, which changes its command lines, so the
    next build without a terminal (any other journey's `make`) would compile the core and the tool again."""
    name, lesson = "rnnCellForward", "02-rnn-forward"
    solution = "import SequenceModels\n\n" + next(code for l, n, code in exercises() if n == name) + "\n"
    with MovedAside("Exercises"):
        must("make exercises")
        path = learner_file(lesson, name)
        stub = open(path, encoding="utf-8").read()
        open(path, "w", encoding="utf-8").write(solution)
        must(f"{LESSONS} grade {name}")          # graded once already, as a learner would have: its checks are compiled
        open(path, "w", encoding="utf-8").write(stub)
        watch_saving(name, path, solution)


def watch_saving(name, path, solution):
    command = "make watch"
    pid, terminal = pty.fork()
    if pid == 0:
        os.chdir(ROOT)
        os.execvp("make", ["make", "watch"])
    seen = b""

    def read_until(pattern, seconds):
        nonlocal seen
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if re.search(pattern, seen.decode("utf-8", "replace")):
                return True
            ready, _, _ = select.select([terminal], [], [], 0.1)
            if ready:
                try:
                    seen += os.read(terminal, 65536)
                except OSError:
                    return bool(re.search(pattern, seen.decode("utf-8", "replace")))
        return bool(re.search(pattern, seen.decode("utf-8", "replace")))

    try:
        expect(read_until(r"watching", 600), command, seen.decode("utf-8", "replace"), "make watch never said it was watching")
        step("$ make watch  (watching; saving a solution)")
        saved = time.monotonic()
        with open(path, "w", encoding="utf-8") as f:
            f.write(solution)
        expect(read_until(rf"{name}: pass", 3), command, seen.decode("utf-8", "replace"),
               "the saved file was not graded pass within 3 s")
        step(f"graded again {time.monotonic() - saved:.1f} s after the save")
        os.write(terminal, b"\x03")                                    # Ctrl-C, as the terminal sends it
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            read_until(r"$^", 0.2)
            ended, status = os.waitpid(pid, os.WNOHANG)
            if ended:
                break
        else:
            os.kill(pid, signal.SIGKILL)
            raise JourneyFailed("make watch did not stop within 10 s of Ctrl-C")
        code = os.waitstatus_to_exitcode(status)
        text = seen.decode("utf-8", "replace")
        expect(code in (0, 130, -signal.SIGINT), command, text, f"Ctrl-C ended make watch with status {code}")
        expect(not re.search(r"Backtrace|Fatal error|Stack dump|Crash", text), command, text, "a stack trace after Ctrl-C")
        step(f"Ctrl-C stopped it (status {code})")
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(terminal)


def author():
    number = "%02d" % (max(int(f[:2]) for f in lessons()) + 1)
    name = f"{number}-journey-check"
    path = os.path.join(ROOT, "Lessons", name + ".md")
    good = f"""# A lesson of one's own

Its first paragraph is its summary on the index page.

```swift
let squares = (1...4).map {{ $0 * $0 }}
print("squares:", squares)
claim(squares.last == 16, "the last square is 16")
```

The largest square is `{{swift}} squares.last!`, and the prose says so.
"""
    broken = good.replace("let squares = (1...4).map { $0 * $0 }", "let squares: [Int] = \"not a list\"")   # line 6
    page = os.path.join(ROOT, "site", name + ".html")
    try:
        open(path, "w", encoding="utf-8").write(good)
        must("make site")
        expect(os.path.isfile(page), "make site", "", f"no page site/{name}.html")
        html = open(page, encoding="utf-8").read()
        expect("The largest square is 16, and the prose says so." in html, "make site", html[-3000:],
               "the inline value is not on the page")
        index = open(os.path.join(ROOT, "site/index.html"), encoding="utf-8").read()
        expect(f'href="{name}.html"' in index, "make site", "", "the index page does not list the new lesson")
        out = must(f"make lesson L={number}")
        expect("squares: [1, 4, 9, 16]" in out, f"make lesson L={number}", out, "the lesson's output is not printed")

        before = open(page, encoding="utf-8").read()
        open(path, "w", encoding="utf-8").write(broken)
        status, out = run("make site")
        expect(status != 0 and re.search(rf"Lessons/{name}\.md:6:\d+: error: ", out), "make site", out,
               f"a type error should be reported at Lessons/{name}.md:6:COLUMN with a non-zero exit")
        expect(open(page, encoding="utf-8").read() == before, "make site", out, "the previous site was not kept")

        open(path, "w", encoding="utf-8").write(good)
        serve(name, path, good)
    finally:
        if os.path.exists(path):
            os.remove(path)
        run("make site")                                   # the site as it was, without the journey's lesson


def serve(name, path, text):
    """`make serve` answers on 127.0.0.1:8000, and an edit of the prose is on the served page within 2 s."""
    server = subprocess.Popen(["make", "serve"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              start_new_session=True)
    url = f"http://127.0.0.1:8000/{name}.html"

    def page():
        try:
            return urllib.request.urlopen(url, timeout=1).read().decode("utf-8")
        except OSError:
            return None

    try:
        deadline = time.monotonic() + 600
        while page() is None:
            expect(server.poll() is None and time.monotonic() < deadline, "make serve",
                   server.stdout.read().decode() if server.poll() is not None else "", f"nothing answered at {url}")
            time.sleep(0.5)
        step(f"$ make serve  ({url} answers)")
        edited = text.replace("and the prose says so.", "and an edited sentence says so.")
        saved = time.monotonic()
        open(path, "w", encoding="utf-8").write(edited)
        while "an edited sentence says so" not in (page() or ""):
            expect(time.monotonic() - saved < 2, "make serve", "", "the edit was not on the served page within 2 s")
            time.sleep(0.1)
        step(f"the edit was served {time.monotonic() - saved:.2f} s after the save")
        os.killpg(server.pid, signal.SIGINT)                           # Ctrl-C, as a user stops it
        server.wait(timeout=30)
        expect(page() is None, "make serve", "", "after Ctrl-C something still answers on port 8000")
        step("Ctrl-C stopped it, and port 8000 is free again")
    finally:
        try:
            os.killpg(server.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        server.wait(timeout=30)
    serve_stopped_by_sigterm()


def serve_stopped_by_sigterm():
    """`make serve PORT=8001`, its make killed with SIGTERM alone (not its process group), leaves no process and
    no port behind; a port in use stops `make serve` with the remedy that works."""
    command = "make serve PORT=8001"
    server = subprocess.Popen(["make", "serve", "PORT=8001"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              start_new_session=True)
    url = "http://127.0.0.1:8001/index.html"

    def answers():
        try:
            return urllib.request.urlopen(url, timeout=1).status == 200
        except OSError:
            return False

    def left():
        found = subprocess.run(["pgrep", "-f", "serve --site site .* --port 8001|http.server 8001"], capture_output=True, text=True)
        return found.stdout.split()

    try:
        deadline = time.monotonic() + 300
        while not answers():
            expect(server.poll() is None and time.monotonic() < deadline, command, "", "nothing answered on port 8001")
            time.sleep(0.5)
        server.send_signal(signal.SIGTERM)                           # to make alone, as `kill PID` does
        server.wait(timeout=30)
        deadline = time.monotonic() + 10
        while (left() or answers()) and time.monotonic() < deadline:
            time.sleep(0.2)
        expect(not left() and not answers(), command, server.stdout.read().decode(),
               f"after SIGTERM to make, processes {left()} remain or port 8001 still answers")
        step(f"$ {command}; kill -TERM <make>: no process and no port left behind")
    finally:
        try:
            os.killpg(server.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    import socket
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 8002))
        taken.listen()
        status, out = run("make serve PORT=8002", timeout=300)
        expect(status != 0 and "make serve PORT=8003" in out, "make serve PORT=8002", out,
               "a port in use should stop make serve with the remedy that works")


def instructor():
    scratch = tempfile.mkdtemp(prefix="journey-class-")
    try:
        solution = next(code for l, n, code in exercises() if n == "rnnCellForward")
        wrong_message, wrong = next((m, c) for n, m, c in mistakes("02-rnn-forward.md") if n == "rnnCellForward")
        crash = solution.replace("{", "{ let empty: [Int] = []; _ = empty[1];", 1)
        files = {"ana/Exercises/02-rnn-forward": solution, "ben/02-rnn-forward": wrong, "cara/02-rnn-forward": crash}
        for folder, code in files.items():
            os.makedirs(os.path.join(scratch, "class", folder))
            open(os.path.join(scratch, "class", folder, "rnnCellForward.swift"), "w").write("import SequenceModels\n\n" + code + "\n")
        os.makedirs(os.path.join(scratch, "class", "dan", "homework"))
        command = (f"{LESSONS} grade rnnCellForward --submissions {scratch}/class --gradebook {scratch}/gradebook.csv "
                   f"--reports {scratch}/grade-reports")
        out = must(command)
        book = [l.split(",") for l in open(os.path.join(scratch, "gradebook.csv")).read().splitlines()]
        expect(book[0][:3] == ["learner", "rnnCellForward", "total"], command, out, f"gradebook header {book[0]}")
        scores = {row[0]: row[1] for row in book[1:]}
        expect(scores == {"ana": "1", "ben": "0", "cara": "0", "dan": "0"}, command, out, f"gradebook scores {scores}")
        reports = {n: json.load(open(os.path.join(scratch, "grade-reports", n + ".json"))) for n in ["ben", "cara"]}
        expect(reports["ben"]["exercises"][0]["status"] == "fail" and wrong_message in reports["ben"]["exercises"][0]["details"],
               command, json.dumps(reports["ben"]), "ben's wrong solution should fail with its message")
        expect(reports["cara"]["exercises"][0]["status"] == "crash", command, json.dumps(reports["cara"]), "cara's should crash")
        expect(re.search(r"warning: .*dan: no exercise file found", out), command, out, "no warning about dan's folder")

        gradescope(scratch, solution)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def gradescope(scratch, solution):
    """A course of one's own, in a folder of its own, made into a Gradescope bundle with no flag but --output (the
    second time, after a failure that left nothing behind); the bundle built as Gradescope builds it, by setup.sh's
    build steps in a folder that holds only the bundle; then run_autograder on four uploads."""
    course = os.path.join(scratch, "course")
    os.makedirs(os.path.join(course, "Lessons"))
    for name in ["index.md", "01-sequence-data.md", "02-rnn-forward.md"]:
        shutil.copy(os.path.join(ROOT, "Lessons", name), os.path.join(course, "Lessons", name))
    tool = os.path.join(ROOT, LESSONS)
    broken = os.path.join(course, "Lessons", "03-broken.md")
    open(broken, "w").write("no title, so not a lesson\n")
    command = f"cd {course} && {tool} autograder --output bundle"
    status, out = run(command)
    expect(status != 0 and "03-broken.md" in out, command, out, "a broken lesson should stop the bundle, naming the file")
    expect(os.listdir(course) == ["Lessons"], command, out, f"a failed bundle left {sorted(os.listdir(course))} behind")
    os.remove(broken)
    must(command)
    bundle = os.path.join(course, "bundle")
    expect(sorted(os.listdir(course)) == ["Lessons", "bundle"], command, "", f"the folder holds {sorted(os.listdir(course))}")

    must(f"bash {bundle}/build.sh", timeout=1800)             # swift build in the bundle alone, as setup.sh does
    cell = "02-rnn-forward/rnnCellForward.swift"
    uploads = {"a folder": {cell: solution}, "an Exercises/ folder": {"Exercises/" + cell: solution},
               "a single file": {"rnnCellForward.swift": solution}, "an empty upload": {}}
    for upload, files in uploads.items():
        root = tempfile.mkdtemp(prefix="gradescope-", dir=scratch)
        os.symlink(bundle, os.path.join(root, "source"))
        for path, code in files.items():
            os.makedirs(os.path.dirname(os.path.join(root, "submission", path)), exist_ok=True)
            open(os.path.join(root, "submission", path), "w").write("import SequenceModels\n\n" + code + "\n")
        os.makedirs(os.path.join(root, "submission"), exist_ok=True)
        command = f"AUTOGRADER_ROOT={root} bash {bundle}/run_autograder"
        out = must(command)
        results = json.load(open(os.path.join(root, "results/results.json")))
        passed = [t["name"] for t in results["tests"] if t["status"] == "passed"]
        names = [t["name"] for t in results["tests"]]
        expect(len(names) == 4 and "02-rnn-forward · rnnForward" in names, command, json.dumps(results)[:1500],
               f"results.json for {upload} should list the course's four exercises")
        wanted = [] if not files else ["02-rnn-forward · rnnCellForward"]
        expect(results["score"] == len(wanted) and passed == wanted, command, json.dumps(results)[:1500],
               f"results.json for {upload} should pass exactly {wanted}")


JOURNEYS = {"learner": learner, "author": author, "instructor": instructor, "watch": watch}


def main(names):
    failed = []
    for name in names or list(JOURNEYS):
        print(f"journey: {name}", flush=True)
        started = time.monotonic()
        try:
            JOURNEYS[name]()
            print(f"journey: {name} passed in {time.monotonic() - started:.0f} s", flush=True)
        except (JourneyFailed, subprocess.TimeoutExpired) as failure:
            print(f"journey: {name} FAILED after {time.monotonic() - started:.0f} s\n{failure}", flush=True)
            failed.append(name)
    if failed:
        print(f"{len(failed)} journey(s) failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    unknown = [n for n in sys.argv[1:] if n not in JOURNEYS]
    if unknown:
        sys.exit(f"no journey named {', '.join(unknown)}; the journeys are {', '.join(JOURNEYS)}")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))            # run the clean-ups on a polite kill too
    sys.exit(main(sys.argv[1:]))
