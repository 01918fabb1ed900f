"""The codebook: themes, definitions and rules, loaded from YAML and validated.

The default codebook is ``sca/data/codebook.yaml``.  A user's file in the same format
either *replaces* it (the default) or *extends* it (top-level ``mode: extend``, or
``load_codebook(path, mode="extend")``): new themes are added, themes with an existing
id are updated field by field, and rules with an existing rule id are replaced.

Every problem is reported as :class:`sca.errors.CodebookError` naming the file and entry.
"""

from __future__ import annotations

import copy
import re
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Iterator

import yaml

from sca.document import SECTION_KINDS
from sca.errors import CodebookError

DEFAULT_CODEBOOK = "codebook.yaml"
RULE_KINDS = ("deficit", "topic", "presence")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_RULE_ID = re.compile(r"^[a-z][a-z0-9_.\-]*$")


@dataclass
class Rule:
    """One pattern rule of a theme.

    kind:
      ``deficit``  – the words describe the shortfall itself ("was not shared"): a concern when asserted.
      ``topic``    – the words name a practice ("supervision"): a concern only when a deficit,
                     absence or recommendation cue applies to them ("no supervision", "supervision was poor").
      ``presence`` – a family circumstance ("domestic abuse"): labelled when reported as present.
    """

    id: str
    kind: str = "deficit"
    patterns: list[str] = field(default_factory=list)
    weight: float = 1.0
    description: str = ""
    positive: list[str] = field(default_factory=list)  # example sentences that must be tagged
    negative: list[str] = field(default_factory=list)  # example sentences that must not be tagged
    requires: list[str] = field(default_factory=list)  # the sentence must contain one of these words


@dataclass
class Theme:
    id: str
    family: str
    label: str
    definition: str
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    counter_examples: list[str] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    # Section kinds ("recommendations", ...) in which the theme is never raised: a context theme
    # reports a circumstance present in the case, which a recommendation does not do.
    skip_sections: list[str] = field(default_factory=list)


@dataclass
class Codebook:
    version: str
    themes: list[Theme]
    id: str = "custom"
    name: str = ""
    description: str = ""
    families: dict[str, str] = field(default_factory=dict)
    macros: dict[str, str] = field(default_factory=dict)
    source: str | None = None

    # -- access ----------------------------------------------------------------------
    @property
    def ids(self) -> list[str]:
        return [t.id for t in self.themes]

    def __iter__(self) -> Iterator[Theme]:
        return iter(self.themes)

    def __len__(self) -> int:
        return len(self.themes)

    def __contains__(self, theme_id: object) -> bool:
        return theme_id in self.ids

    def get(self, theme_id: str) -> Theme:
        for t in self.themes:
            if t.id == theme_id:
                return t
        raise KeyError(f"no theme {theme_id!r} in codebook {self.id!r} (version {self.version})")

    def family_of(self, theme_id: str) -> str:
        return self.get(theme_id).family

    @property
    def rules(self) -> list[tuple[Theme, Rule]]:
        return [(t, r) for t in self.themes for r in t.rules]

    def section_skips(self) -> dict[str, set[str]]:
        """Section kind -> ids of the themes never raised there (the themes' ``skip_sections``)."""
        out: dict[str, set[str]] = {}
        for t in self.themes:
            for kind in t.skip_sections:
                out.setdefault(kind, set()).add(t.id)
        return out

    def to_frame(self):
        """One row per theme: id, family, label, definition, rule count."""
        import pandas as pd

        return pd.DataFrame(
            [
                {"id": t.id, "family": t.family, "label": t.label, "definition": t.definition, "rules": len(t.rules)}
                for t in self.themes
            ],
            columns=["id", "family", "label", "definition", "rules"],
        )

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("source", None)
        return d

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True, width=100)

    # -- combination -----------------------------------------------------------------
    def extend(self, other: "Codebook") -> "Codebook":
        """A new codebook: this one with ``other``'s themes added or updated."""
        merged = copy.deepcopy(self)
        by_id = {t.id: t for t in merged.themes}
        for theme in other.themes:
            if theme.id not in by_id:
                merged.themes.append(copy.deepcopy(theme))
                by_id[theme.id] = merged.themes[-1]
                continue
            base = by_id[theme.id]
            given = getattr(theme, "_given", None) or set(asdict(theme))
            for name in ("family", "label", "definition", "include", "exclude", "examples", "counter_examples",
                         "skip_sections"):
                if name in given:
                    setattr(base, name, copy.deepcopy(getattr(theme, name)))
            rules = {r.id: i for i, r in enumerate(base.rules)}
            for rule in theme.rules:
                if rule.id in rules:
                    base.rules[rules[rule.id]] = copy.deepcopy(rule)
                else:
                    base.rules.append(copy.deepcopy(rule))
        merged.families = {**self.families, **other.families}
        merged.macros = {**self.macros, **other.macros}
        merged.version = f"{self.version}+{other.id}-{other.version}"
        merged.id = self.id
        merged.source = other.source
        return merged


# ---------------------------------------------------------------------------------------
# Loading and validation
# ---------------------------------------------------------------------------------------


_DEFAULT_CACHE: dict[str, Any] = {}


def _default_text() -> str:
    return resources.files("sca.data").joinpath(DEFAULT_CODEBOOK).read_text(encoding="utf-8")


def default_codebook_path() -> Path:
    return Path(str(resources.files("sca.data").joinpath(DEFAULT_CODEBOOK)))


def _str_list(value: Any, where: str, src: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CodebookError(f"{src}: {where}: expected a list of strings")
    return list(value)


def _parse_rule(raw: Any, theme_id: str, index: int, src: str) -> Rule:
    where = f"theme {theme_id!r}, rule #{index + 1}"
    if not isinstance(raw, dict):
        raise CodebookError(f"{src}: {where}: expected a mapping, got {type(raw).__name__}")
    rid = raw.get("id")
    if not isinstance(rid, str) or not _RULE_ID.match(rid):
        raise CodebookError(f"{src}: {where}: missing or invalid 'id' (lower-case letters, digits, '_', '.', '-')")
    where = f"theme {theme_id!r}, rule {rid!r}"
    unknown = set(raw) - {"id", "kind", "patterns", "weight", "description", "positive", "negative", "requires"}
    if unknown:
        raise CodebookError(f"{src}: {where}: unknown field(s) {sorted(unknown)}")
    kind = raw.get("kind", "deficit")
    if kind not in RULE_KINDS:
        raise CodebookError(f"{src}: {where}: kind {kind!r} is not one of {list(RULE_KINDS)}")
    patterns = _str_list(raw.get("patterns"), f"{where}: patterns", src)
    if not patterns:
        raise CodebookError(f"{src}: {where}: no patterns")
    weight = raw.get("weight", 1.0)
    if not isinstance(weight, (int, float)) or isinstance(weight, bool) or not 0 < float(weight) <= 1:
        raise CodebookError(f"{src}: {where}: weight must be a number in (0, 1], got {weight!r}")
    return Rule(
        id=rid,
        kind=kind,
        patterns=patterns,
        weight=float(weight),
        description=str(raw.get("description", "") or ""),
        positive=_str_list(raw.get("positive"), f"{where}: positive", src),
        negative=_str_list(raw.get("negative"), f"{where}: negative", src),
        requires=[w.lower() for w in _str_list(raw.get("requires"), f"{where}: requires", src)],
    )


def _parse_theme(raw: Any, index: int, src: str, families: dict[str, str], partial: bool) -> Theme:
    if not isinstance(raw, dict):
        raise CodebookError(f"{src}: theme #{index + 1}: expected a mapping, got {type(raw).__name__}")
    tid = raw.get("id")
    if not isinstance(tid, str) or not _ID.match(tid):
        raise CodebookError(
            f"{src}: theme #{index + 1}: missing or invalid 'id' {tid!r} (lower-case letters, digits and '_')"
        )
    where = f"theme {tid!r}"
    allowed = {"id", "family", "label", "definition", "include", "exclude", "examples", "counter_examples", "rules",
               "skip_sections"}
    unknown = set(raw) - allowed
    if unknown:
        raise CodebookError(f"{src}: {where}: unknown field(s) {sorted(unknown)}")
    if not partial:
        for name in ("family", "label", "definition"):
            if not isinstance(raw.get(name), str) or not raw.get(name).strip():
                raise CodebookError(f"{src}: {where}: missing field {name!r}")
    family = raw.get("family", "")
    if family and families and family not in families:
        raise CodebookError(f"{src}: {where}: family {family!r} is not declared (declared: {sorted(families)})")
    rules_raw = raw.get("rules", []) or []
    if not isinstance(rules_raw, list):
        raise CodebookError(f"{src}: {where}: 'rules' must be a list")
    rules = [_parse_rule(r, tid, i, src) for i, r in enumerate(rules_raw)]
    seen: set[str] = set()
    for r in rules:
        if r.id in seen:
            raise CodebookError(f"{src}: {where}: duplicate rule id {r.id!r}")
        seen.add(r.id)
    skip_sections = [k.lower() for k in _str_list(raw.get("skip_sections"), f"{where}: skip_sections", src)]
    unknown_kinds = sorted(set(skip_sections) - set(SECTION_KINDS))
    if unknown_kinds:
        raise CodebookError(f"{src}: {where}: skip_sections: unknown section kind(s) {unknown_kinds} "
                            f"(known: {', '.join(SECTION_KINDS)})")
    theme = Theme(
        id=tid,
        family=family or "",
        label=raw.get("label", "") or "",
        definition=raw.get("definition", "") or "",
        include=_str_list(raw.get("include"), f"{where}: include", src),
        exclude=_str_list(raw.get("exclude"), f"{where}: exclude", src),
        examples=_str_list(raw.get("examples"), f"{where}: examples", src),
        counter_examples=_str_list(raw.get("counter_examples"), f"{where}: counter_examples", src),
        rules=rules,
        skip_sections=skip_sections,
    )
    theme._given = set(raw)  # type: ignore[attr-defined]  # which fields the file set (for extend)
    return theme


def default_macros() -> dict[str, str]:
    """The macros of the default codebook (NEG, BE, ...), available to every user codebook."""
    if "macros" not in _DEFAULT_CACHE:
        _DEFAULT_CACHE["macros"] = dict(_default_data().get("macros") or {})
    return dict(_DEFAULT_CACHE["macros"])


def _default_data() -> dict[str, Any]:
    if "data" not in _DEFAULT_CACHE:
        _DEFAULT_CACHE["data"] = _safe_load(_default_text()) or {}
    return copy.deepcopy(_DEFAULT_CACHE["data"])


def parse_codebook(data: Any, source: str = "<codebook>", *, partial: bool = False,
                   base_macros: dict[str, str] | None = None) -> Codebook:
    """Build and validate a :class:`Codebook` from parsed YAML (``partial``: an extension file).

    The default codebook's macros (NEG, BE, HAVE, ...) are available unless the file redefines them.
    """
    src = source
    if not isinstance(data, dict):
        raise CodebookError(f"{src}: the codebook must be a mapping with 'version' and 'themes'")
    unknown = set(data) - {"version", "id", "name", "description", "families", "themes", "macros", "mode"}
    if unknown:
        raise CodebookError(f"{src}: unknown top-level field(s) {sorted(unknown)}")
    version = data.get("version")
    if version is None or isinstance(version, (dict, list, bool)) or not str(version).strip():
        raise CodebookError(f"{src}: missing 'version'")
    families = data.get("families", {}) or {}
    if not isinstance(families, dict):
        raise CodebookError(f"{src}: 'families' must be a mapping of family id to description")
    families = {str(k): str(v) for k, v in families.items()}
    macros = data.get("macros", {}) or {}
    if not isinstance(macros, dict) or not all(isinstance(v, str) for v in macros.values()):
        raise CodebookError(f"{src}: 'macros' must map NAME to 'alternative|alternative'")
    themes_raw = data.get("themes")
    if not isinstance(themes_raw, list) or not themes_raw:
        raise CodebookError(f"{src}: 'themes' must be a non-empty list")
    themes = [_parse_theme(t, i, src, families, partial) for i, t in enumerate(themes_raw)]
    seen: dict[str, int] = {}
    rule_ids: dict[str, str] = {}
    for i, t in enumerate(themes):
        if t.id in seen:
            raise CodebookError(f"{src}: theme #{i + 1}: duplicate theme id {t.id!r} (first at #{seen[t.id] + 1})")
        seen[t.id] = i
        for r in t.rules:
            if r.id in rule_ids:
                raise CodebookError(f"{src}: theme {t.id!r}: rule id {r.id!r} already used by theme {rule_ids[r.id]!r}")
            rule_ids[r.id] = t.id
    cb = Codebook(
        version=str(version),
        themes=themes,
        id=str(data.get("id", "custom")),
        name=str(data.get("name", "") or ""),
        description=str(data.get("description", "") or ""),
        families=families,
        macros={**(default_macros() if base_macros is None else base_macros), **{str(k): v for k, v in macros.items()}},
        source=source,
    )
    _check_patterns(cb, src)
    return cb


def _check_patterns(cb: Codebook, src: str) -> None:
    from sca.themes.rules import PatternError, compile_pattern

    for theme, rule in cb.rules:
        for p in rule.patterns:
            try:
                compile_pattern(p, cb.macros)
            except PatternError as exc:
                raise CodebookError(f"{src}: theme {theme.id!r}, rule {rule.id!r}: bad pattern {p!r}: {exc}") from None


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader that refuses duplicate mapping keys (YAML would keep only the last)."""


def _construct_mapping(loader, node, deep=False):
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (line {key_node.start_mark.line + 1}; first at line {seen[key]})",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _safe_load(text: str) -> Any:
    return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CodebookError(f"{path}: codebook file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CodebookError(f"{path}: cannot read codebook: {exc}") from None
    try:
        return _safe_load(text)
    except yaml.YAMLError as exc:
        raise CodebookError(f"{path}: not valid YAML: {exc}") from None




def default_codebook() -> Codebook:
    if "default" not in _DEFAULT_CACHE:
        _DEFAULT_CACHE["default"] = parse_codebook(_default_data(), str(default_codebook_path()), base_macros={})
    return copy.deepcopy(_DEFAULT_CACHE["default"])


def load_codebook(path: str | Path | Codebook | None = None, mode: str | None = None) -> Codebook:
    """Load a codebook.

    ``path=None`` gives the default codebook.  A user file replaces the default unless it says
    ``mode: extend`` at the top (or ``mode="extend"`` is passed), in which case it extends it.
    """
    if isinstance(path, Codebook):
        return path
    if path is None:
        return default_codebook()
    p = Path(path)
    data = _read_yaml(p)
    file_mode = data.get("mode") if isinstance(data, dict) else None
    mode = mode or file_mode or "replace"
    if mode not in ("replace", "extend"):
        raise CodebookError(f"{p}: mode must be 'replace' or 'extend', got {mode!r}")
    if mode == "replace":
        return parse_codebook(data, str(p))
    user = parse_codebook(data, str(p), partial=True)
    merged = default_codebook().extend(user)
    for t in merged.themes:  # an added theme must be complete
        for name in ("family", "label", "definition"):
            if not getattr(t, name):
                raise CodebookError(f"{p}: theme {t.id!r}: new theme lacks field {name!r}")
    return merged
