"""HTML reader (BeautifulSoup + lxml): the article text without the web page's chrome."""

from __future__ import annotations

import re
from pathlib import Path

from sca.errors import EmptyDocumentError
from sca.structure.blocks import Block
from sca.structure.text import clean_spaces, fix_chars

_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button", "iframe",
              "svg", "template", "select", "input", "menu", "dialog")
_DROP_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary", "dialog", "alertdialog"}
_CHROME = re.compile(
    r"(^|[\s_-])(cookie|cookies|consent|gdpr|banner|breadcrumbs?|crumbs|nav|navbar|navigation|menu|site-?header|"
    r"site-?footer|page-?footer|footer|masthead|sidebar|skip|share|social|related|newsletter|subscribe|"
    r"search|toolbar|pagination|back-to-top|feedback|survey)($|[\s_-])",
    re.I,
)
_BLOCK = {"p", "li", "dt", "dd", "blockquote", "pre", "address", "figcaption", "caption"}
_HEAD = {"h1": 1, "h2": 1, "h3": 2, "h4": 3, "h5": 4, "h6": 5}


def _text(el) -> str:
    # inline markup joins without spaces ("multi-<i>agency</i>."); block edges were given
    # line breaks beforehand, so cells and list items holding several paragraphs stay apart
    return clean_spaces(fix_chars(el.get_text("")))


_BLOCKISH = ("p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "blockquote",
             "pre", "section", "article", "ul", "ol", "table", "figcaption", "caption", "address")


def _is_chrome(el) -> bool:
    if el.name in _DROP_TAGS:
        return True
    attrs = getattr(el, "attrs", None) or {}
    if (attrs.get("role") or "").lower() in _DROP_ROLES:
        return True
    if attrs.get("aria-hidden") == "true" or "hidden" in attrs:
        return True
    ident = " ".join([attrs.get("id") or ""] + list(attrs.get("class") or []))
    return bool(ident and _CHROME.search(ident))


def read_html(path: Path, raw: bytes | None = None) -> tuple[list[Block], dict]:
    from bs4 import BeautifulSoup, NavigableString, Tag

    data = raw if raw is not None else path.read_bytes()
    soup = BeautifulSoup(data, "lxml")
    title = clean_spaces(soup.title.get_text()) if soup.title else None
    for el in list(soup.find_all(True)):
        if el.decomposed if hasattr(el, "decomposed") else False:
            continue
        if el.parent is not None and _is_chrome(el):
            el.decompose()
    # footnote reference markers ("meeting<sup>1</sup>.") would glue numbers to words
    for sup in soup.find_all("sup"):
        if re.fullmatch(r"\s*[\[(]?\s*(?:\d{1,3}|[ivx]{1,4}|[*†‡])\s*[\])]?\s*", sup.get_text()):
            sup.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for el in soup.find_all(_BLOCKISH):
        el.insert(0, "\n")
        el.append("\n")
    root = soup.find("main") or soup.find(attrs={"role": "main"}) or soup.find("article") or soup.body or soup
    # h1 levels: if the page uses h1 once (site title) and h2 for sections, h2 is level 1
    blocks: list[Block] = []

    def walk(el) -> None:
        for child in el.children:
            if isinstance(child, NavigableString):
                if type(child).__name__ in ("Comment", "Doctype", "ProcessingInstruction", "Declaration"):
                    continue
                t = clean_spaces(str(child))
                if t and len(t) > 1:
                    blocks.append(Block("paragraph", t, None))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name in _HEAD:
                t = _text(child)
                if t:
                    blocks.append(Block("heading", t, None, level=int(name[1]), explicit=True))
            elif name == "table":
                rows = []
                for tr in child.find_all("tr"):
                    cells = [_text(c) for c in tr.find_all(["td", "th"])]
                    if any(cells):
                        rows.append(cells)
                if rows:
                    blocks.append(Block("table", "", None, rows=rows))
            elif name == "li":
                nested = [c for c in child.find_all(["ul", "ol"], recursive=False)]
                for n in nested:
                    n.extract()
                t = _text(child)
                if t:
                    ordered = child.parent is not None and child.parent.name == "ol"
                    blocks.append(Block("paragraph" if ordered else "bullet", t, None))
                for n in nested:
                    walk(n)
            elif name in _BLOCK:
                if child.find(list(_HEAD) + ["table", "ul", "ol", "p"]):
                    walk(child)
                else:
                    t = _text(child)
                    if t:
                        blocks.append(Block("paragraph", t, None))
            elif name == "br":
                continue
            else:
                walk(child)

    walk(root)
    # merge stray inline text fragments: consecutive "paragraph" blocks made of inline text are fine as they are
    if not blocks:
        raise EmptyDocumentError("the HTML page has no readable text once navigation and scripts are removed", path)
    levels = sorted({b.level for b in blocks if b.kind == "heading"})
    if levels and levels[0] > 1:
        shift = levels[0] - 1
        for b in blocks:
            if b.kind == "heading":
                b.level -= shift
    return blocks, {"title": title}
