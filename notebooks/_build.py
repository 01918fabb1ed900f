"""Write the tutorial notebooks in this folder (without outputs) from the cells below.

    python notebooks/_build.py            # rewrite notebooks/*.ipynb
    python notebooks/_build.py OUT_DIR    # write them somewhere else (the tests compare)

Edit the notebooks here rather than in Jupyter, so that they stay reproducible and are
committed without outputs.  Cell ids are fixed, so rebuilding unchanged cells changes nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

# ---------------------------------------------------------------------------------------------
# The set-up cell shared by every notebook.
# ---------------------------------------------------------------------------------------------
SETUP = '''\
import os
import sys
from pathlib import Path


def find_repo_root() -> Path:
    """The sca repository: $SCA_REPO, else the first folder at or above the working
    directory (or above the installed package) that holds pyproject.toml and corpora/docs."""
    if os.environ.get("SCA_REPO"):
        return Path(os.environ["SCA_REPO"]).resolve()
    starts = [Path.cwd().resolve()]
    try:
        import sca
        starts.append(Path(sca.__file__).resolve().parent)
    except ImportError:
        pass
    for start in starts:
        for folder in (start, *start.parents):
            if (folder / "pyproject.toml").is_file() and (folder / "corpora" / "docs").is_dir():
                return folder
    raise FileNotFoundError("cannot find the sca repository (a folder with pyproject.toml and corpora/docs): "
                            "start Jupyter inside the repository or set the SCA_REPO environment variable")


ROOT = find_repo_root()
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # use this clone's library even when it is not installed

# Everything this notebook writes goes to out/notebooks/ (ignored by git) or to $SCA_NOTEBOOK_OUT.
OUT = Path(os.environ.get("SCA_NOTEBOOK_OUT") or ROOT / "out" / "notebooks")
OUT.mkdir(parents=True, exist_ok=True)
CACHE = OUT / "cache"  # per-document results shared by the corpus notebooks

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

import sca
{extra_imports}
%matplotlib inline
pd.set_option("display.max_colwidth", 120)
pd.set_option("display.width", 200)


def show(fig):
    """Display a matplotlib figure once, whatever backend a library call may have selected."""
    display(fig)
    plt.close(fig)


print("sca", sca.__version__, "from", Path(sca.__file__).parent, "| repository:", ROOT, "| outputs:", OUT)'''


def setup(extra_imports: str = "") -> str:
    return SETUP.replace("{extra_imports}", extra_imports.rstrip())


# ---------------------------------------------------------------------------------------------
# 01 quick start
# ---------------------------------------------------------------------------------------------
NB01 = [
    ("md", """\
# 1. Quick start: one review

This notebook reads one review, shows how the library sees its structure and metadata, and
tags its sentences with the themes of the codebook, each tag with the evidence that produced it.

All the reviews under `corpora/docs` are **fictional**: the project wrote them in the styles of
published English and Welsh reviews so that the library can be tested openly. Nothing here is
about a real child or family.

The notebook runs top to bottom in under a minute. It writes only to `out/notebooks/` in the
repository (ignored by git), or to the folder named by the `SCA_NOTEBOOK_OUT` environment variable."""),
    ("code", setup()),
    ("md", """\
## Read a review

`sca.read` takes a PDF, Word (`.docx`), HTML or plain-text file and returns a `Review`: plain
Python dataclasses holding the metadata, the sections with their paragraphs, and the tables.
Running headers, footers, page numbers and watermarks are removed; paragraph numbers such as
`4.12` are kept separately from the text.

We use `c03`, a fictional local child safeguarding practice review (LCSPR) published as a PDF."""),
    ("code", """\
review = sca.read(ROOT / "corpora" / "docs" / "c03.pdf")
print(review.doc_id, "-", len(review.sections), "sections,", len(review.paragraphs), "paragraphs,",
      len(review.tables), "tables")"""),
    ("md", """\
A file the library cannot read — scanned pages with no text layer, an encrypted or damaged PDF, a
file whose contents do not match its name — raises a `sca.ReadError` that names the file and the
reason, rather than returning an empty review:"""),
    ("code", """\
bad = OUT / "not-really-a-review.pdf"
bad.write_text("This is not a PDF.", encoding="utf-8")
try:
    sca.read(bad)
except sca.ReadError as exc:
    print(f"{type(exc).__name__}: {exc}")"""),
    ("md", """\
### Metadata

Title, safeguarding board or partnership, review type, the child's code name, author and year are
read from the cover sheet or title page. `metadata_source` says which; `None` means the library
found no cover and the fields may be empty. They are best guesses from the layout: check them
against the document before relying on them in an analysis."""),
    ("code", """\
from dataclasses import asdict

pd.Series(asdict(review.metadata), name=review.doc_id).to_frame()"""),
    ("md", """\
### Outline

`outline_frame()` lists the sections in order. `kind` is the library's reading of what each
section is for (introduction, chronology, analysis, findings, recommendations, appendix and so
on). Theme tagging skips the cover, contents and glossary; event extraction (notebook 3) looks
for the chronology, wherever the review puts it."""),
    ("code", """\
review.outline_frame()"""),
    ("md", """\
### Paragraphs and their provenance

Every paragraph keeps the page it was printed on and its number as printed, so any result can be
traced back to the page of the review. `kind` tells ordinary paragraphs from bullets and from
table rows rendered as text. `review.warnings` lists anything the reader was unsure about."""),
    ("code", """\
paragraphs = pd.DataFrame(
    [{"page": p.page, "number": p.number, "section": p.section, "kind": p.kind, "text": p.text}
     for p in review.paragraphs]
)
print("warnings:", review.warnings or "none")
paragraphs[paragraphs["number"].notna()].head(8)"""),
    ("md", """\
## Tag themes

The codebook (`sca/data/codebook.yaml`) defines twenty themes in two families: **practice** themes
(shortfalls in professional practice and systems, such as information sharing or supervision) and
**context** themes (family circumstances such as domestic abuse or parental mental health)."""),
    ("code", """\
codebook = sca.load_codebook()
print("codebook", codebook.id, "version", codebook.version)
codebook.to_frame()[["id", "family", "label", "definition"]]"""),
    ("md", """\
`ThemeTagger(method="rules")` applies the codebook's patterns to every sentence and decides, for
each match, whether the sentence *asserts* the concern or denies it, hedges it, imagines it or
praises practice (a ConText-style assertion step). The result is a DataFrame with one row per
(sentence, theme): where it is (`page`, `section`, `para`), the sentence itself, and the
`evidence` — the rule that fired, the words it matched and, in square brackets, the cue that
turned a neutral mention into a concern.

**What a tag means.** The sentence, as written, raises the theme as a concern: it reports a
shortfall or gap, or recommends action to address one (practice themes), or it reports a family
circumstance as present (context themes).

**What a tag does not mean.** It is not a finding that practice was poor, nor that the theme caused
or contributed to the harm; it records what the review's text says, not what happened. A theme
with no tag is not evidence that the review does not discuss it: the rules miss paraphrases
(recall is well below that of a human coder) and can misread complex sentences. Counts are of
sentences, not of incidents or of professionals. Use tags to find and count passages for a person
to read, not instead of reading them."""),
    ("code", """\
tagger = sca.ThemeTagger(method="rules")
tags = tagger.tag(review)
assert len(tags), "the rule tagger found no themes in c03"
tags[["page", "para", "section_kind", "theme", "assertion", "score", "evidence"]]"""),
    ("md", """\
### Sentences with their evidence

The same tags, read as a researcher would read them: where, which theme, the sentence and why."""),
    ("code", """\
for row in tags.head(8).itertuples():
    print(f"p. {row.page}, para {row.para or '-'} ({row.section_kind}) -> {row.theme} [{row.assertion}]")
    print(f"    {row.sentence}")
    print(f"    evidence: {row.evidence}\\n")"""),
    ("code", """\
(tags.groupby(["family", "theme"]).size().rename("sentences").reset_index()
     .sort_values(["family", "sentences"], ascending=[False, False], ignore_index=True))"""),
    ("md", """\
### From a tag back to its paragraph

`paragraph_index` points at the paragraph in `review.paragraphs`, so the whole paragraph (and its
page) is one step away."""),
    ("code", """\
by_index = {p.index: p for p in review.paragraphs}
first = tags.iloc[0]
para = by_index[int(first["paragraph_index"])]
print(f"{first['theme']} at page {para.page}, paragraph {para.number} in '{para.section}':\\n")
print(para.text)"""),
    ("md", """\
## What the tagger did not count

With `include_all=True` the tagger also returns the mentions it decided *not* to count, with
their `assertion`: `negated` ("there is no evidence that information was withheld"),
`hypothetical` ("had the GP been told…"), `positive` (good practice), or `neutral` (the practice
is named, but nothing says it fell short). Tags that are counted are `asserted`, or `hedged`
("may not have been shared") where the rules allow it. Read a few of these rows before trusting
the counts: they are how you check the assertion step."""),
    ("code", """\
everything = sca.ThemeTagger(method="rules", include_all=True).tag(review)
print(everything["assertion"].value_counts().to_string())
not_counted = everything[everything["assertion"] != "asserted"]
not_counted[["para", "theme", "assertion", "sentence", "evidence"]].head(8)"""),
    ("md", """\
The same decisions on sentences of your own: `predict` returns the themes raised as concerns by
each text, and `predict_proba` a score per theme (for the rules, 1.0 for a plain match)."""),
    ("code", """\
examples = [
    "The health visitor did not share her concerns with the GP.",
    "There is no evidence that information was withheld from the GP.",
    "Had the school known about the referral, it might have acted sooner.",
    "Information was shared promptly and the strategy discussion was held the same day.",
    "Mother disclosed a long history of depression.",
]
pd.DataFrame({"text": examples, "themes": tagger.predict(examples)})"""),
    ("md", """\
## Optional: the trained model

`method="hybrid"` adds a trained sentence classifier to the rules (the union of both, with the
rules able to veto a theme they saw only as denied or hypothetical); it finds more paraphrases,
and its evidence column then also gives the model's probability. It needs the model shipped in
`models/default`; when that is missing this cell says so and the rest of the notebooks are
unaffected. Notebook 4 trains a model of your own."""),
    ("code", """\
try:
    hybrid_tags = sca.ThemeTagger(method="hybrid").tag(review)
except sca.ModelLoadError as exc:
    print("No usable default model, so no hybrid tagging here:", exc)
else:
    compare = pd.concat({"rules": tags["theme"].value_counts(), "hybrid": hybrid_tags["theme"].value_counts()},
                        axis=1).fillna(0).astype(int)
    display(compare)
    # the sentences only the model raised: their evidence gives the model's probability
    added = hybrid_tags.merge(tags[["sentence_id", "theme"]], how="left", indicator=True)
    display(added.loc[added["_merge"] == "left_only", ["para", "theme", "sentence", "evidence"]])"""),
    ("md", """\
## Save

Every result is a pandas DataFrame, so it can be written to CSV, Excel or Parquet, or taken into
R or NVivo."""),
    ("code", """\
path = OUT / f"{review.doc_id}_themes.csv"
tags.to_csv(path, index=False)
print("written", path)"""),
    ("md", """\
Next: **02_corpus** tags every review in a folder and tabulates the themes across reviews;
**03_agency_graphs** turns a review's chronology into events, a timeline and a network;
**04_codebook_and_model** changes the codebook, trains a model and measures agreement."""),
]

# ---------------------------------------------------------------------------------------------
# 02 corpus
# ---------------------------------------------------------------------------------------------
NB02 = [
    ("md", """\
# 2. A corpus of reviews

This notebook tags every review in a folder, then builds the tables a thematic analysis usually
starts from: how many reviews raise each theme, a prevalence chart, themes by year, which themes
occur together, and keyword-in-context excerpts for one theme.

The folder is the project's fictional corpus, `corpora/docs`: fifteen documents in PDF, Word,
HTML and plain text, including one procedures chapter that is *not* a review (it is read and
tagged, but left out of the prevalence denominators). With fifteen documents the figures below
illustrate the method; they say nothing about real reviews.

It takes a minute or so on two cores the first time; per-document results are cached in
`out/notebooks/cache`, so a re-run (and notebook 3) is quick."""),
    ("code", setup()),
    ("md", """\
## Tag the folder

`Corpus.from_folder(...).tag(...)` reads, tags and extracts events from every file, one
document per task, in `jobs` worker processes. A file that cannot be read does not stop the run:
it is listed in `corpus.errors` with the reason. `method="rules"` uses the codebook's rules only,
so that every tag below has a rule and matched words as its evidence (notebook 1 explains what a
tag does and does not mean); leave `method` out to get the default, the hybrid of rules and the
trained model when the shipped model loads."""),
    ("code", """\
corpus = sca.Corpus.from_folder(ROOT / "corpora" / "docs").tag(jobs=2, method="rules", cache_dir=CACHE)
print(corpus, corpus.stats)
corpus.errors"""),
    ("code", """\
corpus.documents[["doc_id", "format", "review_type", "year", "board", "pages", "words", "status"]]"""),
    ("md", """\
`corpus.mentions` holds every tag of every review, with the same columns as
`ThemeTagger.tag` plus the file: this long table is the basis of everything below."""),
    ("code", """\
mentions = corpus.mentions
print(len(mentions), "tagged sentences in", mentions["doc_id"].nunique(), "documents")
mentions[["doc_id", "page", "para", "theme", "assertion", "sentence"]].head()"""),
    ("md", """\
## Theme frequencies

One row per codebook theme (zeros included): the number and percentage of reviews raising it at
least once, the number of tagged sentences, and sentences per 10,000 words (longer reviews say
more about everything, so raw counts favour them). The denominator `n_reviews` counts documents
read successfully that are reviews: guidance is excluded."""),
    ("code", """\
freq = corpus.theme_frequencies()
assert len(freq) == len(sca.load_codebook().ids)
freq[["theme", "family", "reviews", "pct_reviews", "mentions", "mentions_per_10k_words", "n_reviews"]]"""),
    ("md", """\
For statistics elsewhere (R, Stata, SPSS), `review_themes()` gives one row per document with the
number of tagged sentences per theme and a 0/1 column `has_<theme>`:"""),
    ("code", """\
corpus.review_themes().head()"""),
    ("md", """\
## Prevalence chart

The share of reviews raising each theme, practice and context themes in different colours.
"Raising" means at least one tagged sentence; one passing sentence counts as much as a chapter."""),
    ("code", """\
colours = {"practice": "#4c72b0", "context": "#dd8452"}
f = freq.sort_values("pct_reviews")
fig, ax = plt.subplots(figsize=(8, 6.5))
ax.barh(f["label"], f["pct_reviews"], color=[colours.get(x, "grey") for x in f["family"]])
for family, colour in colours.items():
    ax.barh([], [], color=colour, label=family)
ax.set_xlim(0, 100)
ax.set_xlabel(f"% of reviews raising the theme (n = {int(freq['n_reviews'].iloc[0])})")
ax.set_title("Prevalence of themes in the fictional corpus (rules)")
ax.legend(frameon=False, loc="lower right")
show(fig)"""),
    ("md", """\
## Themes by year

`corpus.by("year")` gives the same figures per year of publication (also `"review_type"` and
`"board"`). Here most years hold one or two reviews, so a cell is close to yes/no; with a real
corpus, look at `n_reviews` before reading a trend into a row."""),
    ("code", """\
by_year = corpus.by("year")
prevalence = by_year.pivot_table(index="label", columns="year", values="pct_reviews", sort=False)
prevalence = prevalence.loc[freq["label"]]  # most prevalent first
reviews_per_year = by_year.drop_duplicates("year").set_index("year")["n_reviews"]

fig, ax = plt.subplots(figsize=(10, 7))
im = ax.imshow(prevalence.to_numpy(dtype=float), aspect="auto", cmap="Blues", vmin=0, vmax=100)
ax.set_xticks(range(prevalence.shape[1]), [f"{y}\\n(n={reviews_per_year[y]})" for y in prevalence.columns], fontsize=8)
ax.set_yticks(range(prevalence.shape[0]), prevalence.index, fontsize=8)
fig.colorbar(im, ax=ax, label="% of that year's reviews")
ax.set_title("Themes by year of publication")
show(fig)"""),
    ("md", """\
## Co-occurrence

`corpus.cooccurrence(unit=...)` counts the units — sentences, paragraphs or whole documents —
that raise both themes of a pair; the diagonal is the number of units raising the theme at all.
Paragraph level is a reasonable middle ground: sentence level finds themes argued together,
document level mostly reflects how long and how broad the reviews are. Co-occurrence is
association in the text, not a causal link."""),
    ("code", """\
import numpy as np

co = corpus.cooccurrence(unit="paragraph")
labels = dict(zip(freq["theme"], freq["label"]))
keep = [t for t in co.index if co.loc[t, t] > 0]  # themes raised at least once
co = co.loc[keep, keep]
shade = co.to_numpy(dtype=float, copy=True)
np.fill_diagonal(shade, 0)  # colour the pairs; the diagonal (units raising the theme at all) is only labelled

fig, ax = plt.subplots(figsize=(9, 8))
im = ax.imshow(shade, cmap="Purples")
ax.set_xticks(range(len(keep)), [labels[t] for t in keep], rotation=70, ha="right", fontsize=7)
ax.set_yticks(range(len(keep)), [labels[t] for t in keep], fontsize=7)
for i in range(len(keep)):
    for j in range(len(keep)):
        if co.iat[i, j]:
            ax.text(j, i, int(co.iat[i, j]), ha="center", va="center", fontsize=6,
                    fontweight="bold" if i == j else "normal")
fig.colorbar(im, ax=ax, label="paragraphs raising both")
ax.set_title("Themes raised in the same paragraph")
show(fig)"""),
    ("code", """\
# The strongest pairs (above the diagonal), as a table.
a, b = np.triu_indices(len(co), k=1)
pairs = pd.DataFrame({"theme_a": co.index[a], "theme_b": co.columns[b], "paragraphs": co.to_numpy()[a, b]})
pairs[pairs["paragraphs"] > 0].sort_values("paragraphs", ascending=False).head(10)"""),
    ("md", """\
## Keyword in context for one theme

To see *how* the reviews express a theme, line the matched words up in the middle with their
context on either side. The library has no keyword-in-context helper yet, so the small function
below does it with pandas from the mentions table: the keyword is the phrase quoted in each tag's
`evidence` (what the rule matched) or, if you give one, a regular expression of your own."""),
    ("code", """\
import re


def kwic(mentions: pd.DataFrame, theme: str, pattern: str | None = None, width: int = 50) -> pd.DataFrame:
    \"\"\"Keyword-in-context lines for the sentences tagged with ``theme``.

    The keyword is ``pattern`` (a regular expression, case-insensitive) when given, else the first
    phrase in double quotes in the tag's evidence (the words the rule matched).
    \"\"\"
    rows = []
    for m in mentions[mentions["theme"] == theme].itertuples():
        sentence = str(m.sentence)
        if pattern:
            hit = re.search(pattern, sentence, flags=re.I)
        else:
            quoted = re.search(r'"([^"]+)"', str(m.evidence or ""))
            hit = re.search(re.escape(quoted.group(1)), sentence, flags=re.I) if quoted else None
        if hit is None:
            continue
        left, right = sentence[: hit.start()], sentence[hit.end():]
        rows.append({"doc_id": m.doc_id, "page": m.page, "para": m.para,
                     "left": ("…" + left[-width:]) if len(left) > width else left,
                     "keyword": hit.group(0),
                     "right": (right[:width] + "…") if len(right) > width else right})
    return pd.DataFrame(rows, columns=["doc_id", "page", "para", "left", "keyword", "right"])


theme = "information_sharing"
lines = kwic(mentions, theme)
print(len(lines), "lines for", theme)
try:
    import jinja2  # noqa: F401  (pandas needs it to style a table)
except ImportError:
    display(lines.head(15))
else:  # right-align the left context so that the keywords line up
    display(lines.head(15).style.hide(axis="index")
            .set_properties(subset=["left"], **{"text-align": "right"})
            .set_properties(subset=["keyword"], **{"font-weight": "bold", "text-align": "center"})
            .set_properties(subset=["right"], **{"text-align": "left"}))"""),
    ("md", """\
The same function with a keyword of your own, here every mention of the health visitor among
the sentences tagged with the theme:"""),
    ("code", """\
kwic(mentions, theme, pattern=r"health visit\\w*").head(10)"""),
    ("md", """\
## Write everything

`corpus.write(folder)` writes the tables (CSV and Parquet), one contact graph per review and an
HTML report with the same charts — the same files as the command line `sca tag`."""),
    ("code", """\
written = corpus.write(OUT / "corpus")
pd.Series({name: str(path) for name, path in written.items()}, name="file").to_frame()"""),
]

# ---------------------------------------------------------------------------------------------
# 03 agency graphs
# ---------------------------------------------------------------------------------------------
NB03 = [
    ("md", """\
# 3. Agencies, events and missed opportunities

Reviews tell the story of professional involvement in a chronology: who saw the child or family,
when, and what happened. This notebook turns one review's chronology into a table of events,
draws a timeline and a network of agencies, lists *candidate* missed opportunities, and then counts
professional contacts before the incident across the whole fictional corpus."""),
    ("code", setup("""\
import networkx as nx
import sca.graph.plot  # noqa: F401  (import before %matplotlib inline: it selects a non-interactive backend)
from sca.graph.export import write_graph
from sca.graph.plot import plot_network, plot_timeline
from sca.graph.summary import (concern_response_gaps, contacts_before_incident, contacts_per_agency,
                               silent_agency_pairs)""")),
    ("md", """\
## Events of one review

`sca.extract_events(review)` finds the chronology — a section, an appendix table, or dated
paragraphs elsewhere — and returns one row per dated contact: the date (with its precision, and
the words the review used), the acting agency, its counterpart (another agency or a family
member), the type of contact, whether the child was seen, whether a concern was recorded, and
the page, paragraph and sentence it came from. Agencies are normalised with the gazetteer in
`sca/data/agencies.yaml` (so "HV" and "the health visitor" are both `health_visiting`)."""),
    ("code", """\
review = sca.read(ROOT / "corpora" / "docs" / "c03.pdf")
events = sca.extract_events(review)
assert len(events), "no events found in c03"
print(len(events), "events from", review.metadata.title)
events[["event_id", "date", "date_precision", "date_text", "agency", "counterpart", "contact_type",
        "child_seen", "concern", "page", "para"]]"""),
    ("md", """\
Each row keeps its evidence, so a surprising row can be checked in one step:"""),
    ("code", """\
for e in events.head(4).itertuples():
    print(f"{e.date} ({e.date_text}) {e.agency} -> {e.counterpart}: {e.contact_type}; "
          f"child seen: {e.child_seen}; concern: {e.concern}")
    print(f"    p. {e.page}, {e.section}: {e.sentence}\\n")"""),
    ("code", """\
contacts_per_agency(events)"""),
    ("md", """\
## Candidate missed opportunities

`sca.missed_opportunities(events, window_days=14)` applies a few transparent rules to the events:
a concern recorded with "no further action" in the same entry; a serious concern followed by no
protective response from any agency within the window; a referral that the receiving agency is
not recorded as acting on; repeated missed appointments without follow-up; the child not seen at
several contacts in a row. Each row names its rule and gives the reason and the evidence.

These are **candidates for a reader to examine**, not findings. The rules see only what the
chronology records: an action that happened but was not written into the review looks like
inaction, and a review's own judgement of what was missed may differ."""),
    ("code", """\
missed = sca.missed_opportunities(events, window_days=14)
missed[["event_id", "date", "agency", "rule", "reason", "page", "para"]]"""),
    ("md", """\
## Timeline

One lane per agency, in order of first contact; orange marks contacts with a recorded concern,
crosses missed appointments and stars the candidate missed opportunities above."""),
    ("code", """\
show(plot_timeline(events, missed, title=f"{review.doc_id}: agency contacts over time"))"""),
    ("md", """\
## Network

`sca.contact_graph(events)` builds a `networkx.MultiDiGraph`: agencies and family members are
nodes, each event is an edge from the acting agency to its counterpart, carrying the date, the
type of contact, whether a concern was recorded and the evidence. Edge width in the drawing is the
number of contacts; red edges carried at least one concern."""),
    ("code", """\
graph = sca.contact_graph(events)
print(graph)
show(plot_network(graph, title=f"{review.doc_id}: who was in contact with whom"))"""),
    ("md", """\
Because it is an ordinary networkx graph, any network measure is available. Here: how many
contacts each node took part in, and how many distinct others each agency dealt with."""),
    ("code", """\
simple = nx.DiGraph(graph)  # collapse parallel contacts into one edge per pair
pd.DataFrame({
    "kind": nx.get_node_attributes(graph, "kind"),
    "contacts": nx.get_node_attributes(graph, "contacts"),
    "concerns": nx.get_node_attributes(graph, "concerns"),
    "partners": dict(simple.to_undirected().degree()),
}).sort_values("contacts", ascending=False)"""),
    ("md", """\
Two further summaries: pairs of agencies that both recorded concerns over the same period but are
never recorded exchanging a referral or information; and, for every concern, the days until the
next protective response by any agency (longest first; empty where none followed)."""),
    ("code", """\
display(silent_agency_pairs(events))
concern_response_gaps(events).head(8)"""),
    ("md", """\
The graph can be opened in Gephi or Cytoscape (GraphML or GEXF) or kept as JSON:"""),
    ("code", """\
path = write_graph(graph, OUT / f"{review.doc_id}_contacts.graphml")
print("written", path)"""),
    ("md", """\
## Contacts before the incident, across the corpus

How much contact did professionals have with the family before the incident that led to the
review? `contacts_before_incident` counts the contacts with family members dated before the
incident in each review. Reviews do not mark the incident in a machine-readable way, so the
function takes the **last dated event** of each chronology as the incident date unless you give
one; check that assumption against each review. `months=12` limits the count to the year before.

The events come from the corpus run of notebook 2 (read from its cache when that notebook has
been run, otherwise computed now)."""),
    ("code", """\
corpus = sca.Corpus.from_folder(ROOT / "corpora" / "docs").tag(jobs=2, method="rules", cache_dir=CACHE)
all_events = corpus.events
print(corpus.stats)
print(len(all_events), "events in", all_events["doc_id"].nunique(), "of", len(corpus), "documents")
CHILD_SEEN_OK = all_events["child_seen"].dtype != "boolean"
if not CHILD_SEEN_OK:
    print("note: this version of Corpus stores child_seen as True/False rather than yes/no/unknown, "
          "so the child-seen count is left out below; sca.extract_events on one review has the real values")"""),
    ("code", """\
before = contacts_before_incident(all_events)
whole_year = contacts_before_incident(all_events, months=12)[["doc_id", "contacts"]]
before = before.merge(whole_year.rename(columns={"contacts": "contacts_last_12_months"}), on="doc_id")
before = before.merge(corpus.documents[["doc_id", "review_type", "year"]], on="doc_id", how="left")
if not CHILD_SEEN_OK:
    before = before.drop(columns="contacts_child_seen")
assert len(before) >= 10
before"""),
    ("md", """\
Where a review states the date of the incident, pass it. In c03 the injury happened on
19 November 2020 (paragraph 1.1); the last dated event is the next day's strategy discussion, so
the default also counted the ambulance and hospital contacts of the 19th."""),
    ("code", """\
contacts_before_incident(events, incident_date="2020-11-19")"""),
    ("code", """\
b = before.sort_values("contacts")
fig, ax = plt.subplots(figsize=(8, 5))
ax.barh(b["doc_id"] + " (" + b["review_type"].astype(str) + ")", b["contacts"], color="#9bbbd8", label="whole chronology")
ax.barh(b["doc_id"] + " (" + b["review_type"].astype(str) + ")", b["contacts_last_12_months"], color="#4c72b0",
        label="last 12 months")
ax.set_xlabel("recorded professional contacts with the family before the incident")
ax.set_title("Contacts before the incident, by review")
ax.legend(frameon=False)
show(fig)"""),
    ("md", """\
Read these numbers as *contacts the review's chronology records*. Reviews summarise: a
chronology that says "the family was seen weekly" yields one event, not fifty. Comparing reviews
therefore compares how their chronologies were written as much as how much contact there was."""),
]

# ---------------------------------------------------------------------------------------------
# 04 codebook and model
# ---------------------------------------------------------------------------------------------
NB04 = [
    ("md", """\
# 4. Your own codebook and model

The codebook is data, not code: a YAML file of themes, each with a definition, inclusion and
exclusion notes, examples and pattern rules. This notebook changes one theme, checks the change on
example sentences, trains a small sentence classifier for the changed codebook, evaluates it on
sentences it did not see, and measures agreement between two coders with Cohen's kappa.

Training uses `corpora/training/themes.jsonl`, sentences written and labelled by the project
(fictional, like the reviews). To keep the notebook quick (under a minute) it trains on a sample of
them; the shipped model uses all of them (`sca train`)."""),
    ("code", setup("""\
import random
import tempfile

import yaml
from sca.evaluate.themes import format_result, score_labels
from sca.themes.agreement import cohen_kappa, kappa_per_theme
from sca.themes.codebook import default_codebook_path, load_codebook
from sca.themes.model import ThemeClassifier, load_model, read_labelled, save_model""")),
    ("md", """\
## Change a theme

Start from the default codebook file and change *professional optimism*: its definition gains a
sentence, and its rule a new pattern, so that "giving parents the benefit of the doubt" counts.
Give the changed codebook its own version: models and results record the version they were made
with, and a model trained for one version refuses to load with another.

(For small additions there is a shorter route: a file with `mode: extend` at the top and only the
themes or rules to add or change; see `sca/data/codebook.yaml`.)"""),
    ("code", """\
data = yaml.safe_load(default_codebook_path().read_text(encoding="utf-8"))
theme = next(t for t in data["themes"] if t["id"] == "professional_optimism")
print("before:", theme["definition"].strip(), "\\n", theme["rules"][0]["patterns"][:3], "...")

theme["definition"] = theme["definition"].strip() + " Includes giving parents the benefit of the doubt without evidence."
theme["rules"][0]["patterns"].append("benefit of the doubt")
theme["rules"][0]["positive"].append("The social worker gave the mother the benefit of the doubt.")
data["version"] = data["version"] + "-local.1"

work = Path(tempfile.mkdtemp(prefix="sca-codebook-", dir=OUT))
my_codebook_path = work / "my_codebook.yaml"
my_codebook_path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
my_codebook = load_codebook(my_codebook_path)  # validates the file: errors name the theme and rule
print("\\nwritten", my_codebook_path, "| version", my_codebook.version)"""),
    ("md", """\
Compare the default and the changed codebook on a few sentences. Note the last two: the pattern
matches, but the assertion step still recognises a denial and good practice."""),
    ("code", """\
sentences = [
    "The social worker gave the mother the benefit of the doubt when she said the drinking had stopped.",
    "Professionals gave the family the benefit of the doubt for too long.",
    "Professionals were overly optimistic about the mother's capacity to change.",
    "There is no evidence that professionals gave the parents the benefit of the doubt.",
    "The team rightly gave weight to the progress evidenced over six months.",
]
default_rules = sca.ThemeTagger(method="rules")
my_rules = sca.ThemeTagger(method="rules", codebook=my_codebook)
check = pd.DataFrame({"sentence": sentences, "default codebook": default_rules.predict(sentences),
                      "my codebook": my_rules.predict(sentences)})
assert "professional_optimism" in check.loc[0, "my codebook"]
check"""),
    ("md", """\
## Retrain the model

The trained classifier (TF-IDF features and one logistic regression per theme, with a decision
threshold per theme chosen by cross-validation) is bound to a codebook's themes and version, so a
changed codebook needs a model of its own.

We hold out a fifth of the training sentences for evaluation, keeping sentences of the same
`group` (a sentence and its rewrites) on the same side so that the test is fair, and train on a
sample of the rest."""),
    ("code", """\
texts, labels, groups = read_labelled(ROOT / "corpora" / "training" / "themes.jsonl", my_codebook.ids)
print(len(texts), "labelled sentences;", sum(1 for l in labels if not l), "with no theme")

rng = random.Random(0)
unique_groups = sorted(set(groups))
rng.shuffle(unique_groups)
test_groups = set(unique_groups[: len(unique_groups) // 5])
train_idx = [i for i, g in enumerate(groups) if g not in test_groups]
test_idx = [i for i, g in enumerate(groups) if g in test_groups]
train_idx = sorted(rng.sample(train_idx, min(1500, len(train_idx))))  # a sample, to keep the notebook quick
test_idx = sorted(rng.sample(test_idx, min(600, len(test_idx))))
print(len(train_idx), "training sentences,", len(test_idx), "held-out sentences")"""),
    ("code", """\
model = ThemeClassifier(codebook=my_codebook, cv=3, word_max_features=8000, char_max_features=8000)
model.fit([texts[i] for i in train_idx], [labels[i] for i in train_idx], groups=[groups[i] for i in train_idx])
print(f"fitted in {model.fit_seconds_} s; cross-validated macro F1 on the training sample:",
      model.cv_metrics_["macro"]["f1"])
# per theme: positives in the sample, the decision threshold chosen, and out-of-fold scores
pd.DataFrame(model.cv_metrics_["per_theme"]).T[["support", "threshold", "precision", "recall", "f1"]]"""),
    ("md", """\
Save it with skops (never pickle) beside a manifest that records the codebook version and a
checksum; `load_model` refuses a file that was altered or a codebook it was not built for."""),
    ("code", """\
model_dir = save_model(model, work / "my_model").parent
reloaded = load_model(model_dir, codebook=my_codebook)
print("saved and reloaded from", model_dir)
try:
    load_model(model_dir)  # the default codebook has another version
except sca.ModelLoadError as exc:
    print("with the default codebook:", str(exc)[:160], "...")"""),
    ("md", """\
## Evaluate

`score_labels(gold, predicted)` compares label sets sentence by sentence: precision, recall and F1
per theme, micro and macro averages, and the false-positive rate on sentences with no gold label
(the share of them that were given any theme). We score three taggers on the held-out sentences:
the changed rules, the new model alone, and the two combined (`hybrid`).

Held-out sentences come from the same hand-written collection as the training sentences, so these
figures flatter the model: expect lower scores on the text of real reviews."""),
    ("code", """\
gold = [labels[i] for i in test_idx]
test_texts = [texts[i] for i in test_idx]
taggers = {
    "rules": my_rules,
    "ml": sca.ThemeTagger(method="ml", codebook=my_codebook, model=reloaded),
    "hybrid": sca.ThemeTagger(method="hybrid", codebook=my_codebook, model=reloaded),
}
results = {name: score_labels(gold, t.predict(test_texts), my_codebook.ids) for name, t in taggers.items()}
pd.DataFrame({name: {"micro F1": r["micro"]["f1"], "macro precision": r["macro"]["precision"],
                     "macro recall": r["macro"]["recall"], "macro F1": r["macro"]["f1"],
                     "false-positive rate": r["false_positive_rate"]} for name, r in results.items()}).round(3)"""),
    ("code", """\
print(format_result(results["hybrid"]))"""),
    ("md", """\
If the project's evaluation set is next to the repository (`../shared/eval/dev/themes.jsonl`,
not part of a clone), the same scoring runs on it with `evaluate_themes`; otherwise this cell
just says so."""),
    ("code", """\
from sca.evaluate.themes import evaluate_themes

dev_gold = ROOT.parent / "shared" / "eval" / "dev" / "themes.jsonl"
if dev_gold.is_file():
    dev = evaluate_themes(dev_gold, tagger=my_rules)
    print(f"rules with my codebook on {dev['units']} dev sentences: macro F1 {dev['macro']['f1']:.3f}, "
          f"false-positive rate {dev['false_positive_rate']:.3f}")
else:
    print("no evaluation set at", dev_gold, "- skipped")"""),
    ("md", """\
## Agreement between two coders

Cohen's kappa measures agreement between two coders beyond what chance would give, per theme:
1 is perfect agreement, 0 is no better than chance. It is the usual check of a codebook's
reliability before coding a corpus, and the ceiling against which a tagger should be judged.

**Demonstration only.** We have no second human coder here, so "coder B" below is coder A's labels
(the held-out gold) with noise added on purpose: each label is dropped with probability 0.15 and,
for each sentence, a random theme is added with probability 0.05. With two real codings, pass
your own label lists, or two JSONL files to `sca.themes.agreement.kappa_files` (or run
`sca evaluate kappa` on the command line)."""),
    ("code", """\
noise = random.Random(1)
coder_a = gold
coder_b = []
for labs in coder_a:
    kept = [t for t in labs if noise.random() > 0.15]
    if noise.random() < 0.05:
        kept.append(noise.choice(my_codebook.ids))
    coder_b.append(sorted(set(kept)))

agreement = kappa_per_theme(coder_a, coder_b, my_codebook.ids)
print(f"mean kappa over themes: {agreement['kappa'].mean():.2f}")
agreement.round(3)"""),
    ("md", """\
The same statistic compares the tagger with a coder: treat the hybrid tagger as coder C and set
its kappa against the gold beside the (simulated) human agreement. A tagger that agrees with a
coder about as well as two coders agree with each other has reached the ceiling the codebook
allows."""),
    ("code", """\
coder_c = taggers["hybrid"].predict(test_texts)
versus = pd.DataFrame({
    "A vs B (simulated coders)": agreement.set_index("theme")["kappa"],
    "A vs hybrid tagger": kappa_per_theme(coder_a, coder_c, my_codebook.ids).set_index("theme")["kappa"],
}).round(2)
print("one theme by hand:", round(cohen_kappa([("neglect" in x) for x in coder_a], [("neglect" in x) for x in coder_c]), 3))
versus"""),
    ("code", """\
fig, ax = plt.subplots(figsize=(7, 6.5))
v = versus.sort_values("A vs hybrid tagger")
ax.scatter(v["A vs B (simulated coders)"], range(len(v)), label="A vs B (simulated coders)", marker="o")
ax.scatter(v["A vs hybrid tagger"], range(len(v)), label="A vs hybrid tagger", marker="s")
ax.set_yticks(range(len(v)), v.index, fontsize=8)
ax.set_xlim(-0.05, 1.05)
ax.set_xlabel("Cohen's kappa")
ax.legend(frameon=False, loc="lower left")
ax.set_title("Agreement per theme on held-out sentences")
show(fig)"""),
    ("md", """\
## Use them on a review

Pass the codebook file (or object) and the model folder to the tagger. On the command line the
same is `sca train --data … --codebook my_codebook.yaml --out my_model`, then
`sca themes REVIEW --method hybrid --codebook my_codebook.yaml --model my_model`."""),
    ("code", """\
mine = sca.ThemeTagger(method="hybrid", codebook=my_codebook_path, model=model_dir)
review = sca.read(ROOT / "corpora" / "docs" / "c03.pdf")
my_tags = mine.tag(review)
print(len(my_tags), "tagged sentences in", review.doc_id, "with codebook", mine.codebook_.version)
my_tags[["page", "para", "theme", "score", "evidence"]].head(10)"""),
]

NOTEBOOKS = {
    "01_quick_start.ipynb": NB01,
    "02_corpus.ipynb": NB02,
    "03_agency_graphs.ipynb": NB03,
    "04_codebook_and_model.ipynb": NB04,
}


def build(name: str, cells: list[tuple[str, str]]):
    nb = new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    stem = name.split("_")[0]
    for i, (kind, source) in enumerate(cells):
        cell = new_markdown_cell(source) if kind == "md" else new_code_cell(source)
        cell.id = f"nb{stem}-{i:02d}"
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else HERE
    out.mkdir(parents=True, exist_ok=True)
    for name, cells in NOTEBOOKS.items():
        nbformat.write(build(name, cells), out / name)
        print("wrote", out / name)


if __name__ == "__main__":
    main(sys.argv[1:])
