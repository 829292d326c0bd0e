"""CPU seconds of each comparison step for the first N stream articles as one story, on parses
cached by bench/compare_identity.py (/tmp/scale_work/docs_2000.bin).

    .venv/bin/python bench/compare_parts.py 2000
"""

# ruff: noqa
import json, sys, time, os
sys.argv += [] 
from spacy.tokens import DocBin
from storyline.compare import analysis, nlp, conflicts, matching, timeline, captions, quotes, framing, entities
from storyline.model import Article, Story
from storyline.text.sentences import article_sentences
n = int(sys.argv[1])
rows = [json.loads(l) for l in open("/work/shared/data/clustering/dev.jsonl").readlines()[:n]]
db = DocBin().from_bytes(open("/tmp/scale_work/docs_2000.bin", "rb").read())
analysis.CACHE_SIZE = 10**6
for r, doc in zip(rows, db.get_docs(nlp.load().vocab)):
    s = article_sentences(r["text"])
    analysis._CACHE[r["text"]] = (doc, s, [analysis._stems(r["text"][a:b]) for a, b in s])
story = Story(id="s", articles=[Article(id=r["id"], title=r.get("title"), text=r["text"]) for r in rows])
T = {}
def t(name, f, *a):
    c = time.process_time(); out = f(*a); T[name] = round(time.process_time() - c, 2); return out
orig = entities.build_entities
def be(docs):
    return t("entities", orig, docs)
entities.build_entities = be
orig_ut = entities.union_transliterations
entities.union_transliterations = lambda *a: t("translit", orig_ut, *a)
analyses, ents = t("analyse", analysis.analyse, story)
by_key = {e.key: e for e in ents}
mentions = [m for a in analyses for m in a.mentions]
pairs = t("comparable_pairs", matching.comparable_pairs, mentions)
T["n_mentions"] = len(mentions); T["n_pairs"] = len(pairs)
t("group_quantities", conflicts.group_quantities, analyses)
t("timeline", timeline.build_timeline, analyses)
t("quotes", quotes.build_quotes, analyses, by_key)
t("framing", lambda: framing.entity_terms(analyses, ents) + framing.distinctive_words(analyses))
print(json.dumps({"n": n, **T}), flush=True)
