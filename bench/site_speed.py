#!/usr/bin/env python3
"""The edit-to-page loop, measured: prints the figures of issue #14's targets.

Run after a full `make site` (so that the execution cache under .cache/runs is warm):

    python3 bench/site_speed.py [--lessons Lessons] [--cache .cache/runs]

It works on copies of the lessons in a temporary folder and never edits Lessons/. It prints:
  - `lessons build` with nothing changed;
  - the same after one prose paragraph of lesson 10 is edited (and whether any compiler ran);
  - the same after one snippet of lesson 02 is edited (which lessons re-ran);
  - a generated 5 MB lesson with 60,000 math spans, built without the cache;
  - whether pages built from the cache are byte-identical to a --no-cache build (lessons 01-04).
"""
import argparse, filecmp, os, re, shutil, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build(tool, lessons, site, cache, *extra):
    """Runs `lessons build` in the lessons' parent folder, so that lessons keep their `Lessons/NN-x.md` paths."""
    start = time.perf_counter()
    done = subprocess.run([tool, "build", "--lessons-folder", os.path.basename(lessons), "--site", site,
                           "--cache-folder", cache, "--data", os.path.join(ROOT, ".cache/data"),
                           "--core", os.path.join(ROOT, ".build/release"), *extra],
                          cwd=os.path.dirname(lessons), capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"lessons build failed:\n{done.stdout}\n{done.stderr}")
    ran = re.findall(r"([^ ]+/\d\d-[a-z0-9-]+\.md): compiling and running \(([^)]*)\)", done.stdout + done.stderr)
    return seconds, ran


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lessons", default=os.path.join(ROOT, "Lessons"))
    parser.add_argument("--cache", default=os.path.join(ROOT, ".cache/runs"))
    parser.add_argument("--tool", default=os.path.join(ROOT, ".build/release/lessons"))
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="site-speed-")
    try:
        lessons = os.path.join(work, "Lessons")
        shutil.copytree(args.lessons, lessons)
        cache = os.path.join(work, "cache")
        shutil.copytree(args.cache, cache) if os.path.isdir(args.cache) else os.makedirs(cache)
        site = os.path.join(work, "site")
        seconds, ran = build(args.tool, lessons, site, cache)
        print(f"warm-up build: {seconds:.2f} s, {len(ran)} lesson(s) ran")

        seconds, ran = build(args.tool, lessons, site, cache)
        print(f"nothing changed:               {seconds:.2f} s, lessons run: {len(ran)}   (target <= 0.5 s)")

        ten = next(os.path.join(lessons, f) for f in sorted(os.listdir(lessons)) if f.startswith("10-"))
        text = open(ten).read()
        paragraph = next(p for p in text.split("\n\n")[2:] if p[:1].isalpha() and "`" not in p)
        open(ten, "w").write(text.replace(paragraph, paragraph + " An edited sentence,\nover a new line.", 1))
        seconds, ran = build(args.tool, lessons, site, cache)
        print(f"prose edit in lesson 10:       {seconds:.2f} s, lessons run: {len(ran)}   (target <= 1 s, none run)")

        two = next(os.path.join(lessons, f) for f in sorted(os.listdir(lessons)) if f.startswith("02-"))
        text = open(two).read()
        open(two, "w").write(text.replace("```swift\n", "```swift\nlet editedForTheBenchmark = 1 // hide\n", 1))
        seconds, ran = build(args.tool, lessons, site, cache)
        print(f"snippet edit in lesson 02:     {seconds:.2f} s, re-ran: {', '.join(f'{os.path.basename(p)} ({why})' for p, why in ran)}")

        big = os.path.join(work, "Big")
        os.makedirs(big)
        para = " ".join(f"the state $a_{{{i}}} = \\tanh(W a_{{{i - 1}}} + b)$ and" for i in range(10))
        blocks = ["# A very long lesson", "", "A lead sentence.", ""]
        size, spans, section = 0, 0, 0
        while spans < 60_000 or size < 5_000_000:
            if spans % 2000 == 0:
                section += 1
                blocks += [f"## Section {section}", "", "```swift", f"print({section})", "```", ""]
            line = para + " " + "x" * 250
            blocks += [line, ""]
            size += len(line) + 2
            spans += 10
        open(os.path.join(big, "01-very-long.md"), "w").write("\n".join(blocks))
        seconds, ran = build(args.tool, big, os.path.join(work, "big-site"), cache, "--no-cache")
        megabytes = os.path.getsize(os.path.join(big, "01-very-long.md")) / 1e6
        print(f"generated lesson, {megabytes:.1f} MB, {spans} math spans, {section} snippets: {seconds:.2f} s   (target <= 10 s)")

        small = os.path.join(work, "small", "Lessons")
        os.makedirs(small)
        for f in sorted(os.listdir(args.lessons))[:4]:
            shutil.copy(os.path.join(args.lessons, f), small)
        build(args.tool, small, os.path.join(work, "cached-site"), cache)
        build(args.tool, small, os.path.join(work, "cached-site"), cache)
        build(args.tool, small, os.path.join(work, "fresh-site"), cache, "--no-cache")
        comparison = filecmp.dircmp(os.path.join(work, "cached-site"), os.path.join(work, "fresh-site"))
        pages = [f for f in os.listdir(os.path.join(work, "fresh-site")) if f.endswith(".html")]
        same = all(filecmp.cmp(os.path.join(work, "cached-site", p), os.path.join(work, "fresh-site", p), shallow=False) for p in pages)
        print(f"cached pages identical to --no-cache pages (lessons 01-04, {len(pages)} pages): {'yes' if same and not comparison.diff_files else 'NO'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
