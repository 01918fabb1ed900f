"""Generate a large fictional corpus of review-like PDFs for benchmarking ``sca tag``.

Every review is invented from templates: a cover page, numbered paragraphs under the
usual headings, a chronology table, running header and page-number footer.  Nothing is
taken from real reviews.  Sizes are configurable::

    python benchmarks/generate_corpus.py --reviews 200 --min-pages 20 --max-pages 80
    python benchmarks/generate_corpus.py --reviews 40 --min-pages 20 --max-pages 40 --out benchmarks/_corpus

Output: ``<out>/review-NNN.pdf`` and ``<out>/manifest.csv`` (file, pages, words).
Deterministic for a given ``--seed``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

BOARDS = ["Northfield", "Eastmoor", "Westbridge", "Southvale", "Kingsholm", "Ashcombe", "Riverton", "Hallowdene"]
TYPES = [("Serious Case Review", 2010, 2018), ("Local Child Safeguarding Practice Review", 2019, 2025)]
AGENCIES = ["the health visitor", "the GP", "the school nurse", "children's social care", "the police",
            "the midwife", "the early help worker", "the nursery", "the housing officer", "the paediatrician"]
ACTS = ["visited the family at home", "saw the child at the surgery", "telephoned the mother",
        "held a strategy discussion", "received a referral", "completed an assessment", "attended a core group meeting"]
CONCERN = [
    "The information was not shared with children's social care.",
    "The health visitor did not inform the GP of the bruising.",
    "No strategy discussion was convened despite the concerns.",
    "Supervision did not challenge the decision to close the case.",
    "The assessment did not consider the family history.",
    "The bruising was not recognised as a sign of possible abuse.",
    "The child was not seen alone and was never spoken to about home life.",
    "Professionals were reassured by the mother's apparent engagement, which masked a lack of change.",
    "Practitioners were overly optimistic about the parents' capacity to change.",
    "Little was known about the mother's partner, who was never assessed.",
    "The child was not brought to three appointments and this was not followed up.",
    "The school did not challenge the decision and the escalation policy was not used.",
    "Key events were not recorded and the records were incomplete.",
    "Caseloads were high and there was considerable staff turnover.",
    "The worker had not received training on the neglect toolkit.",
    "The case drifted and was closed and re-opened several times.",
    "No interpreter was used when the mother was interviewed.",
    "There was a history of domestic abuse between the adults in the household.",
    "The mother had a long history of depression and anxiety.",
    "The father misused alcohol and cannabis.",
    "The home conditions were poor and the children were often hungry.",
]
NEUTRAL = [
    "The review panel met on four occasions and considered reports from each agency.",
    "Practitioners who knew the family contributed through a learning event.",
    "The family were invited to contribute and their views are reflected in this report.",
    "This section sets out the key practice episodes identified by the panel.",
    "Agencies provided chronologies covering the period under review.",
    "The terms of reference were agreed by the safeguarding partnership.",
    "The analysis below considers how agencies worked together in this period.",
]
HEADINGS = ["Introduction", "Methodology", "Family background", "Summary of events", "Analysis of practice",
            "Findings", "Recommendations"]


def paragraph_text(rng: random.Random, concern_rate: float) -> str:
    n = rng.randint(3, 6)
    sents = [rng.choice(CONCERN) if rng.random() < concern_rate else rng.choice(NEUTRAL) for _ in range(n)]
    return " ".join(sents)


def build_review(path: Path, index: int, pages: int, rng: random.Random) -> tuple[int, int]:
    kind, y0, y1 = rng.choice(TYPES)
    year = rng.randint(y0, y1)
    board = rng.choice(BOARDS)
    child = f"Child {chr(65 + index % 26)}{index}"
    styles = getSampleStyleSheet()
    body, head = styles["BodyText"], styles["Heading2"]
    story = [Spacer(1, 5 * cm), Paragraph(f"{board} Safeguarding Children Partnership", styles["Title"]),
             Paragraph(f"{kind}: {child}", styles["Title"]),
             Paragraph(f"Independent reviewer: A. N. Author. Published {year}.", styles["Normal"]), PageBreak()]
    words = 0
    paras_per_page = 10
    target = max(1, pages - 2) * paras_per_page
    per_section = max(2, target // len(HEADINGS))
    start = dt.date(year - 2, 1, 1)
    for s_no, heading in enumerate(HEADINGS, start=1):
        story.append(Paragraph(f"{s_no}. {heading}", head))
        rate = 0.05 if heading in ("Introduction", "Methodology") else 0.35
        for p_no in range(1, per_section + 1):
            text = paragraph_text(rng, rate)
            words += len(text.split())
            story.append(Paragraph(f"{s_no}.{p_no} {text}", body))
        if heading == "Summary of events":
            rows = [["Date", "Agency", "Event"]]
            for _ in range(rng.randint(15, 40)):
                start += dt.timedelta(days=rng.randint(3, 40))
                agency = rng.choice(AGENCIES)
                rows.append([start.strftime("%d/%m/%Y"), agency.replace("the ", "").capitalize(),
                             Paragraph(f"{agency.capitalize()} {rng.choice(ACTS)}.", body)])
            t = Table(rows, colWidths=[2.6 * cm, 4 * cm, 9.5 * cm], repeatRows=1)
            t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story.append(t)
            for _ in range(per_section // 2):
                start += dt.timedelta(days=rng.randint(3, 40))
                text = (f"On {start.day} {start:%B %Y} {rng.choice(AGENCIES)} {rng.choice(ACTS)}. "
                        + paragraph_text(rng, 0.3))
                words += len(text.split())
                story.append(Paragraph(text, body))

    def decorate(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(2 * cm, A4[1] - 1.2 * cm, f"{kind}: {child} - {board}")
        canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, f"Page {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(str(path), pagesize=A4, title=f"{kind}: {child}", author="A. N. Author",
                            invariant=1)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return doc.page, words


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reviews", type=int, default=200)
    ap.add_argument("--min-pages", type=int, default=20)
    ap.add_argument("--max-pages", type=int, default=80)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "_corpus")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    rows = []
    for i in range(1, args.reviews + 1):
        pages = rng.randint(args.min_pages, args.max_pages)
        path = args.out / f"review-{i:03d}.pdf"
        got, words = build_review(path, i, pages, random.Random(rng.random()))
        rows.append({"file": path.name, "pages": got, "words": words})
        print(f"{path.name}: {got} pages", flush=True)
    with open(args.out / "manifest.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["file", "pages", "words"])
        w.writeheader()
        w.writerows(rows)
    print(f"{len(rows)} reviews, {sum(r['pages'] for r in rows)} pages in {args.out}")


if __name__ == "__main__":
    main()
