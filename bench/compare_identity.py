"""The comparison of the first N stream articles as one story, main (a renamed copy, storyline_base,
in /tmp/scale_base) against this tree, on the same parses (cached with DocBin in
/tmp/scale_work/docs_2000.bin): CPU seconds of compare_story and whether the two are identical.

    mkdir -p /tmp/scale_work /tmp/scale_base && git archive MAIN src/storyline | tar -x -C /tmp/scale_base
    mv /tmp/scale_base/src/storyline /tmp/scale_base/storyline_base  # then rename the imports (sed,
    # as bench/compare_stage.py says)
    .venv/bin/python bench/compare_identity.py 100,200,300,1000 both
"""

# ruff: noqa
import json, sys, time, os, pickle, cProfile, pstats
sys.path.insert(0, "/tmp/scale_base")
from spacy.tokens import DocBin
from storyline.compare import analysis, nlp
from storyline.model import Article, Story
from storyline.compare.core import compare_story
sizes = [int(s) for s in sys.argv[1].split(",")]
which = sys.argv[2] if len(sys.argv) > 2 else "both"
prof = len(sys.argv) > 3
rows = [json.loads(l) for l in open("/work/shared/data/clustering/dev.jsonl").readlines()[: max(sizes)]]
texts = [r["text"] for r in rows]
cache = "/tmp/scale_work/docs_2000.bin"
analysis.CACHE_SIZE = 10**6
t = time.time()
if os.path.exists(cache):
    db = DocBin().from_bytes(open(cache, "rb").read())
    docs = list(db.get_docs(nlp.load().vocab))[: len(texts)]
    from storyline.text.sentences import article_sentences
    for text, doc in zip(texts, docs):
        sents = article_sentences(text)
        analysis._CACHE[text] = (doc, sents, [analysis._stems(text[s:e]) for s, e in sents])
else:
    analysis._parse_all(texts)
    db = DocBin(store_user_data=True)
    for text in texts:
        db.add(analysis._CACHE[text][0])
    open(cache, "wb").write(db.to_bytes())
print("parse/load", round(time.time() - t), file=sys.stderr, flush=True)
fns = []
if which in ("base", "both"):
    import storyline_base
    from storyline_base.model import Article as BA, Story as BS
    from storyline_base.compare import analysis as ba
    from storyline_base.compare.core import compare_story as bc
    ba.CACHE_SIZE = 10**6
    ba._CACHE.update(analysis._CACHE)
    fns.append(("base", BA, BS, bc))
if which in ("new", "both"):
    fns.append(("new", Article, Story, compare_story))
for n in sizes:
    res = {}
    for name, A, S, fn in fns:
        story = S(id="s", articles=[A(id=r["id"], title=r.get("title"), text=r["text"]) for r in rows[:n]])
        c0 = time.process_time()
        if prof:
            p = cProfile.Profile(); p.enable()
        res[name] = fn(story).model_dump(mode="json")
        if prof:
            p.disable(); pstats.Stats(p).sort_stats("cumulative").print_stats(45)
        print(json.dumps({"n": n, "code": name, "cpu": round(time.process_time() - c0, 2)}), flush=True)
    if len(res) == 2:
        print(json.dumps({"n": n, "identical": res["base"] == res["new"]}), flush=True)
        if res["base"] != res["new"]:
            for k in res["base"]:
                if res["base"][k] != res["new"].get(k):
                    print("  differs:", k, flush=True)
