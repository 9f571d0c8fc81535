#!/usr/bin/env python3
"""Class-scale grading, measured: seconds per learner for `lessons grade --submissions`.

    python3 bench/grading_speed.py [--learners 6] [--before PATH_TO_AN_OLDER_lessons]

It generates synthetic submissions in a temporary folder: for every learner and every exercise of the
course, a seeded choice among the reference solution, one of the lesson's `mistake=` blocks, the stub
with a comment added (it crashes at its trap), and a file that does not compile. (Hangs are left out: each
costs its whole time limit, whatever the grader.) It prints the seconds per learner with the shared parts
compiled from nothing (a fresh --build-folder) and already compiled (the same folder again), and again
without the sandbox (--no-sandbox), so that the sandbox's cost is measured in the same run. With
--before, it also grades each learner's folder one at a time with that `lessons` binary, as a grader
without --submissions had to, and prints its seconds per learner.
"""
import argparse, os, random, re, shutil, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FENCE = re.compile(r"^```swift ((?:exercise|mistake)=(\w+))[^\n]*\n(.*?)^```", re.S | re.M)


def exercises(lessons):
    """(lesson name, exercise name) -> {"solution": code, "mistakes": [code]} from the lessons' fences."""
    found = {}
    for name in sorted(os.listdir(lessons)):
        if not name.endswith(".md"):
            continue
        text = open(os.path.join(lessons, name)).read()
        for match in FENCE.finditer(text):
            kind, exercise, code = match.group(1).split("=")[0], match.group(2), match.group(3)
            entry = found.setdefault((name[:-3], exercise), {"solution": "", "mistakes": []})
            if kind == "exercise":
                lines = [l for l in code.split("\n") if l.strip() not in ("// BEGIN SOLUTION", "// END SOLUTION")
                         and not l.rstrip().endswith("// hide")]
                entry["solution"] = "\n".join(lines)
            else:
                entry["mistakes"].append(code)
    return found


def generate(folder, learners, table, tool, seed):
    rng = random.Random(seed)
    stubs = os.path.join(folder, "stubs")
    subprocess.run([tool, "exercises", "--lessons-folder", os.path.join(ROOT, "Lessons"), "--exercises-folder", stubs],
                   check=True, capture_output=True)
    for learner in range(learners):
        for (lesson, exercise), entry in table.items():
            path = os.path.join(folder, "submissions", f"learner{learner:03d}", lesson, exercise + ".swift")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            choice = rng.random()
            if choice < 0.4:
                text = "import SequenceModels\n\n" + entry["solution"]
            elif choice < 0.7 and entry["mistakes"]:
                text = "import SequenceModels\n\n" + rng.choice(entry["mistakes"])
            elif choice < 0.9:
                text = open(os.path.join(stubs, lesson, exercise + ".swift")).read() + "// looked at it\n"
            else:
                text = "import SequenceModels\n\nlet notANumber: Int = \"text\"\n"
            open(path, "w").write(text)


def timed(arguments):
    start = time.perf_counter()
    done = subprocess.run(arguments, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(arguments)} failed:\n{done.stdout}\n{done.stderr}")
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=6)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--tool", default=os.path.join(ROOT, ".build/release/lessons"))
    parser.add_argument("--before", help="an older `lessons` binary, graded one learner folder at a time")
    parser.add_argument("--jobs", type=int, default=2, help="exercises graded at once")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="grading-speed-")
    try:
        table = exercises(os.path.join(ROOT, "Lessons"))
        generate(work, args.learners, table, args.tool, args.seed)
        lessons = os.path.join(ROOT, "Lessons")
        core = os.path.join(ROOT, ".build/release")
        print(f"{args.learners} learners x {len(table)} exercises, {args.jobs} at a time")
        common = [args.tool, "grade", "--lessons-folder", lessons, "--core", core, "--submissions",
                  os.path.join(work, "submissions"), "--gradebook", os.path.join(work, "book.csv"),
                  "--reports", os.path.join(work, "reports"), "--build-folder", os.path.join(work, "builds"),
                  "--jobs", str(args.jobs)]
        cold = timed(common)
        print(f"--submissions, shared parts compiled from nothing: {cold / args.learners:.2f} s per learner ({cold:.1f} s)")
        warm = timed(common)
        print(f"--submissions, shared parts already compiled:      {warm / args.learners:.2f} s per learner ({warm:.1f} s)   (target <= 8 s)")
        bare = timed(common + ["--no-sandbox"])
        print(f"--submissions --no-sandbox, already compiled:     {bare / args.learners:.2f} s per learner ({bare:.1f} s)   "
              f"(the sandbox costs {100 * (warm - bare) / bare:+.1f}%)")
        shared = cold - warm
        print(f"shared parts, compiled once per run: {shared:.1f} s; so a class of 300 costs "
              f"{(shared + 300 * warm / args.learners) / 300:.2f} s per learner from nothing")
        if args.before:
            total = 0.0
            for learner in sorted(os.listdir(os.path.join(work, "submissions"))):
                total += timed([args.before, "grade", "--lessons-folder", lessons, "--core", core,
                                "--exercises-folder", os.path.join(work, "submissions", learner)])
            print(f"before: one folder at a time with {args.before}: {total / args.learners:.2f} s per learner ({total:.1f} s)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
