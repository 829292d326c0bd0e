"""CPU time of the comparison stage alone (spaCy parse excluded), old code against new.

A one-off measurement for issue 20 (its output: bench/results/compare_stage.json): the first N
articles of the dev stream as one story, parsed once, then compared by the code before the
blocking (commit e5c172b, imported as a renamed copy ``storyline_base``) and by this tree's
code, on the same parses; CPU time (load on the shared machine aside) and whether the two
comparisons are identical. To rerun, make the copy first:

    git worktree add /tmp/base/scale e5c172b
    mkdir -p /tmp/basepkg && cp -r /tmp/base/scale/src/storyline /tmp/basepkg/storyline_base
    grep -rl storyline /tmp/basepkg/storyline_base --include=*.py | xargs sed -i -E \
        's/(from|import) storyline(\.|\b)/\1 storyline_base\2/g'
    .venv/bin/python bench/compare_stage.py 100,200,300
"""

# ruff: noqa
import json, sys, time

sys.path.insert(0, "/tmp/basepkg")
import storyline_base
from storyline_base.model import Article as BArticle, Story as BStory
from storyline_base.compare import analysis as banalysis
from storyline_base.compare.core import compare_story as bcompare
from storyline.model import Article, Story
from storyline.compare import analysis
from storyline.compare.core import compare_story

sizes = [int(s) for s in sys.argv[1].split(",")]
rows = [
    json.loads(l) for l in open("/work/shared/data/clustering/dev.jsonl").readlines()[: max(sizes)]
]
analysis.CACHE_SIZE = banalysis.CACHE_SIZE = 10**6
t = time.time()
analysis._parse_all([r["text"] for r in rows])
print("parse", round(time.time() - t), file=sys.stderr, flush=True)
banalysis._CACHE.update(analysis._CACHE)
out = []
for n in sizes:
    sub = rows[:n]
    for name, A, S, fn in (
        ("base", BArticle, BStory, bcompare),
        ("new", Article, Story, compare_story),
    ):
        story = S(
            id="s", articles=[A(id=r["id"], title=r.get("title"), text=r["text"]) for r in sub]
        )
        c0, w0 = time.process_time(), time.time()
        result = fn(story).model_dump(mode="json")
        row = {
            "articles": n,
            "code": name,
            "cpu_seconds": round(time.process_time() - c0, 2),
            "wall_seconds": round(time.time() - w0, 2),
        }
        out.append((row, result))
        print(json.dumps(row), file=sys.stderr, flush=True)
    same = out[-1][1] == out[-2][1]
    print(json.dumps({"articles": n, "identical_comparison": same}), file=sys.stderr, flush=True)
json.dump([r for r, _ in out], open("bench/results/compare_stage.json", "w"), indent=1)
