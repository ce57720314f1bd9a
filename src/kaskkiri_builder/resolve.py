"""Resolving a directive: every reference followed, every clause rendered, every phrase written.

The result is a `ResolvedDirective`: plain strings in document order, ready for any renderer
(Word, the fidelity test, the review page). Pure: no files, no clock.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from . import estonian
from .clause_text import TextRenderer, variables
from .definitions.load import Source
from .definitions.model import (
    HEAD_ID,
    QUALIFIER,
    REQUIREMENT_LABELS,
    Clause,
    Definitions,
    Directive,
    DutyClause,
    Letterhead,
    Post,
    PostRef,
    PostRefList,
    RowsClause,
    Text,
    TextClause,
    Unit,
)
from .errors import DefinitionError, TemplateError

if TYPE_CHECKING:
    from .history import RevocationGroup

__all__ = [
    "QUALIFIER",
    "Point",
    "ResolvedAnnex",
    "ResolvedDirective",
    "ResolvedDuty",
    "Resolver",
    "clause_params",
    "directive_of",
    "needs_qualifier",
    "resolve_directive",
    "revocation_for",
    "text_context",
]

APPEAL = (
    "Käskkirja peale on õigus 30 päeva jooksul käskkirja teatavaks tegemisest esitada vaie "
    "{allative} haldusmenetluse seaduses sätestatud korras või kaebus halduskohtule "
    "halduskohtumenetluse seadustikus sätestatud korras."
)
DRAFT_DATE = "[kuupäev]"
DRAFT_NUMBER = "[number]"


def needs_qualifier(substitute: Post, substituted: Post) -> bool:
    """ATS § 7: only an ametnik exercises public authority, so a töötaja who stands in for an
    ametnik does so only as far as the tasks are not public authority."""
    return substitute.group.needs_qualifier_for(substituted.group)


@dataclass(frozen=True)
class ResolvedDuty:
    number: str  # "2.1."
    text: str
    results: tuple[str, ...]
    source: Source
    clause_id: str | None = None


@dataclass(frozen=True)
class ResolvedAnnex:
    number: int
    post: Post
    heading: tuple[str, ...]  # KINNITATUD / agency + head / date + nr / Lisa N
    general: tuple[tuple[str, str], ...]  # 1. Üldosa: (label, value)
    duties: tuple[ResolvedDuty, ...]
    requirements: tuple[tuple[str, str], ...]  # 3.: (label, value)
    rights: tuple[tuple[str, tuple[str, ...]], ...]  # 4.: (label, items)
    closing: str

    @property
    def title(self) -> str:
        return estonian.capitalize_first(self.post.title)

    @property
    def bookmark(self) -> str:
        return f"Lisa {self.number}. {self.title}"

    @property
    def document_title(self) -> str:
        """The title in the annex's Word and PDF properties."""
        return f"Lisa {self.number}. Ametijuhend: {self.title}"


@dataclass(frozen=True)
class Point:
    number: str  # "1."
    text: str
    items: tuple[str, ...] = ()  # "1.1. talituse juhataja (lisa 1);"
    extra: tuple[str, ...] = ()  # further unnumbered paragraphs of the point


@dataclass(frozen=True)
class ResolvedDirective:
    directive: Directive
    draft: bool
    kind: str  # "KÄSKKIRI"
    date_number: str  # "07.01.2026 nr 1"
    title: str
    preamble: str  # the legal basis ending in "alusel"
    points: tuple[Point, ...]
    signature: tuple[str, ...]
    annexes: tuple[ResolvedAnnex, ...]
    agency: str
    revoked: tuple[RevocationGroup, ...] = field(default=())  # history's point 2 groups, for review
    numbered_later: bool = False  # the documents carry the configured wording, not number and date
    letterhead: Letterhead = Letterhead()  # organisatsioon.yaml `kirjaplank`, for the Word templates

    @property
    def shown_date(self) -> date | None:
        """The date the documents carry (Word and PDF properties): none in a draft, nor where the
        register numbers after signing (the documents signed never carry it)."""
        if self.draft or self.numbered_later:
            return None
        return self.directive.date

    @property
    def id(self) -> str:
        return self.directive.id

    @property
    def document_title(self) -> str:
        """The title in the Word and PDF properties: "Ametijuhendite kinnitamine (07.01.2026 nr 1)"."""
        return f"{self.title} ({self.date_number})"


class Resolver:
    """Turns model values into document text; `resolve_directive` is its usual entry."""

    def __init__(self, defs: Definitions):
        self.defs = defs
        self.org = defs.organisation
        self.texts = TextRenderer()
        self._given: dict[str, frozenset[str]] = {}

    # -- posts ---------------------------------------------------------------------------------
    def unit_chain(self, unit_id: str) -> list[Unit]:
        return self.org.unit_chain(unit_id)

    def unit_name(self, unit_id: str) -> str:
        return self.org.unit_name(unit_id)

    def unit_genitive(self, unit_id: str) -> str:
        return self.org.unit_genitive(unit_id)

    def ref_name(self, ref: PostRef) -> str:
        if ref.name:
            return ref.name
        if ref.post_id == HEAD_ID:  # the head of the agency: its title, as organisatsioon.yaml has it
            return self.org.head.title
        post = self.defs.posts[ref.post_id]
        return (post.title_plural or post.title) if ref.plural else post.title

    def post_list(self, post: Post, lst: PostRefList | None, qualify: bool, ctx: dict[str, Any]) -> str:
        if lst is None or (not lst.refs and lst.text is None):
            return "-"
        if lst.text is not None:
            return self.texts.render(lst.text, ctx)
        parts: list[str] = []
        for ref in lst.refs:
            name = self.ref_name(ref)
            q = ref.qualifier
            if q is None:
                q = qualify and post.group.needs_qualifier_for(self.defs.group_of(ref.post_id))
            parts.append(f"{name} {QUALIFIER}" if q else name)
        return estonian.capitalize_first(", ".join(parts))

    def post_context(self, post: Post) -> dict[str, Any]:
        return text_context(self.defs, post)

    def params(self, post: Post, clause: Clause, own: Mapping[str, Any], at: Source,
               texts: Iterable[Text]) -> dict[str, Any] | None:
        """The clause's parameters in this post; None (and a problem at the post's line) when
        the post gives one the clause does not use, or the clause needs one nobody gives: a
        misspelt name would otherwise print the default wording without a word."""
        params = clause_params(self.defs, post, clause, own, self.texts)
        used = variables(texts)
        missing = sorted(used - set(params))
        for name in sorted(set(own) - used):
            near = difflib.get_close_matches(name, sorted(used), n=1, cutoff=0.6)
            hint = f' Kas mõtlesid "{near[0]}"?' if near else ""
            uses = ", ".join(f'"{u}"' for u in sorted(used - set(text_context(self.defs, post)))) or "ühtegi"
            self.texts.problems.append(at.problem(
                f'ametikoht {post.id} annab klauslile "{clause.id}" parameetri "{name}", mida klausel '
                f"ei kasuta.{hint} Klausel kasutab parameetreid: {uses}."))
        given = self.given_to(clause.id)
        for name in missing:
            if name in given:
                self.texts.problems.append(at.problem(
                    f'klausel "{clause.id}" vajab parameetrit "{name}", aga ametikoht {post.id} ei '
                    f'anna seda ja klauslil pole vaikeväärtust. Lisa see ametikoha "parameetrid" alla.'))
            else:  # no post gives it: the clause's own text is wrong, once, at the clause
                self.texts.problems.append(clause.source.problem(
                    f'klausel "{clause.id}" kasutab parameetrit "{name}", mida ei anna ükski ametikoht '
                    'ega klausli "vaikimisi". Paranda nimi klausli tekstis või lisa vaikeväärtus.'))
        return None if missing else params

    def given_to(self, clause_id: str) -> frozenset[str]:
        """Every parameter name some post gives the clause: a name none gives is the clause's
        mistake (one message at the clause), else the post's (one at each post lacking it)."""
        if clause_id not in self._given:
            names: set[str] = set()
            for post in self.defs.posts.values():
                uses = [(d.clause_id, d.params) for d in post.duties]
                if post.rights is not None:
                    uses.append((post.rights.clause_id, post.rights.params))
                uses.append((post.closing_clause_id, post.closing_params))
                names.update(k for cid, params in uses if cid == clause_id for k in params)
            self._given[clause_id] = frozenset(names)
        return self._given[clause_id]

    def annex(self, number: int, ref: PostRef, approved_by: str) -> ResolvedAnnex:
        post = self.defs.posts[ref.post_id]
        ctx = self.post_context(post)
        r = self.texts.render
        general = (
            ("Struktuuriüksus", self.unit_name(post.unit)),
            ("Teenistuskoht", estonian.capitalize_first(ref.name or post.title)),
            ("Vahetu juht", self.post_list(post, post.manager, False, ctx)),
            ("Alluvad", self.post_list(post, post.subordinates, False, ctx)),
            ("Teenistuja asendab", self.post_list(post, post.substitutes_for, True, ctx)),
            ("Teenistuja asendaja", self.post_list(post, post.substituted_by, False, ctx)),
            ("Teenistuskoha eesmärk", r(post.purpose, ctx, "eesmärk") if post.purpose else ""),
            ("Ametikoha grupp", post.group.label),
            (
                "Eritingimused",
                r(post.special_conditions, ctx, "eritingimused")
                if post.special_conditions
                else post.group.special_conditions,
            ),
        )
        duties = tuple(self.duty(post, i, ctx) for i in range(1, len(post.duties) + 1))
        requirements = tuple(
            (label, r(post.requirements[key], ctx, label) if key in post.requirements else "")
            for key, label in REQUIREMENT_LABELS.items()
        )
        rights: tuple[tuple[str, tuple[str, ...]], ...] = ()
        if post.rights is not None:
            rows = self.defs.clauses[post.rights.clause_id]
            assert isinstance(rows, RowsClause)
            params = self.params(post, rows, post.rights.params, post.rights.source,
                                 [t for _label, items in rows.rows for t in items])
            what = f"klausel {rows.id}"
            rights = tuple(
                (label, tuple(r(t, params, what, post.rights.source) if params is not None else t.value
                              for t in items))
                for label, items in rows.rows
            )
        closing = ""
        last = self.defs.clauses.get(post.closing_clause_id)
        if isinstance(last, TextClause):
            params = self.params(post, last, post.closing_params, post.closing_source, (last.text,))
            if params is not None:
                closing = r(last.text, params, f"klausel {last.id}", post.closing_source)
        heading = (
            "KINNITATUD",
            f"{self.org.agency.genitive} {self.org.head.genitive}",
            approved_by,
            f"Lisa {number}",
        )
        return ResolvedAnnex(number, post, heading, general, duties, requirements, rights, closing)

    def duty(self, post: Post, i: int, ctx: dict[str, Any]) -> ResolvedDuty:
        """Duty 2.i: a shared clause in the post's parameters, or the post's own text."""
        duty = post.duties[i - 1]
        r = self.texts.render
        if duty.clause_id is not None:
            clause = self.defs.clauses[duty.clause_id]
            assert isinstance(clause, DutyClause)
            results_src = duty.results if duty.results is not None else clause.results
            params = self.params(post, clause, duty.params, duty.source, (clause.text, *results_src))
            if params is None:
                return ResolvedDuty(f"2.{i}.", clause.text.value, (), duty.source, duty.clause_id)
            what = f"klausel {clause.id}"
            text = r(clause.text, params, what, duty.source)
            results = tuple(r(t, params, what, duty.source) for t in results_src)
        else:
            assert duty.text is not None
            text = r(duty.text, ctx, f"ülesanne {i}")
            results = tuple(r(t, ctx, f"ülesanne {i}") for t in duty.results or ())
        return ResolvedDuty(f"2.{i}.", text, results, duty.source, duty.clause_id)

    # -- the directive -------------------------------------------------------------------------
    def directive(
        self, directive: Directive, revocation: str | None, revoked: tuple[RevocationGroup, ...]
    ) -> ResolvedDirective:
        draft = directive.is_draft
        later = None if draft else self.org.style.numbered_later
        date_text = estonian.format_date(directive.date) if directive.date else DRAFT_DATE
        number = directive.number or DRAFT_NUMBER
        date_number = later.directive_text if later else f"{date_text} nr {number}"
        annex_line = later.annex_text if later else f"{date_text} käskkirjaga nr {number}"
        annexes = tuple(
            self.annex(n, ref, annex_line) for n, ref in enumerate(directive.annexes, start=1)
        )
        many = len(annexes) > 1
        title = (
            self.texts.render(directive.title, {}, "pealkiri")
            if directive.title
            else directive.default_title
        )
        style = self.org.style
        basis = [estonian.requote(self.texts.render(t, {}, "oigusalus").strip(), style.quotes)
                 for t in directive.legal_basis]
        if directive.signatory.basis:
            basis.append(estonian.requote(directive.signatory.basis.strip(), style.quotes))
        preamble = f"{estonian.join_list(basis, last='ning')} alusel"
        numbers = [a.number for a in annexes]
        if many:
            lead = (
                f"Kinnitan {self.unit_genitive(directive.unit)} ametijuhendid vastavalt lisadele "
                f"{estonian.annex_ranges(numbers, style.approval_range, style.pair_as_range)} järgmiselt:"
            )
        else:
            lead = f"Kinnitan {self.unit_genitive(directive.unit)} ametijuhendi vastavalt lisale 1 järgmiselt:"
        items: list[str] = []
        for i, (ref, annex) in enumerate(zip(directive.annexes, annexes, strict=True), start=1):
            end = "." if i == len(annexes) else ";"
            name = estonian.lower_first(ref.name or annex.post.title)
            items.append(f"1.{i}. {name} (lisa {annex.number}){end}")
        points = [Point("1.", lead, tuple(items))]
        if revocation:
            points.append(Point(f"{len(points) + 1}.", f"Tunnistan kehtetuks {revocation}."))
        if directive.in_force_on:
            entry = f"Käskkiri jõustub {estonian.date_in_words(directive.in_force_on, 'adessive')}"
        else:
            entry = "Käskkiri jõustub allkirjastamisest"
        if directive.retroactive_from:
            which = "ametijuhendeid" if many else "ametijuhendit"
            entry += (
                f" ja käskkirja punktis 1 kinnitatud {which} rakendatakse tagasiulatuvalt "
                f"{estonian.date_in_words(directive.retroactive_from, 'elative')}"
            )
        entry += "."
        appeal = APPEAL.format(allative=self.org.agency.allative)
        points.append(Point(f"{len(points) + 1}.", entry, extra=(appeal,)))
        signature = ("(allkirjastatud digitaalselt)", directive.signatory.name, directive.signatory.title)
        return ResolvedDirective(
            directive=directive,
            draft=draft,
            kind="KÄSKKIRI",
            date_number=date_number,
            title=title,
            preamble=preamble,
            points=tuple(points),
            signature=signature,
            annexes=annexes,
            agency=self.org.agency.name,
            revoked=revoked,
            numbered_later=later is not None,
            letterhead=self.org.letterhead,
        )


def _unit(unit: Unit) -> dict[str, str]:
    return {"id": unit.id, "nimetus": unit.name, "omastav": unit.genitive}


def text_context(defs: Definitions, post: Post) -> dict[str, Any]:
    """What a post's texts and clauses may refer to: `asutus`, `ametikoht`, and the post's own
    units (`yksus`, the unit above it `ulemyksus`, and `yksused` outermost first), so that a
    shared clause names the unit of each post that uses it, not the unit it was written for."""
    agency = defs.organisation.agency
    chain = [_unit(u) for u in defs.organisation.unit_chain(post.unit)]
    own = chain[-1] if chain else {"id": post.unit, "nimetus": "", "omastav": ""}
    return {
        "yksus": own,
        "ulemyksus": chain[-2] if len(chain) > 1 else own,
        "yksused": chain,
        "asutus": {
            "nimetus": agency.name,
            "omastav": agency.genitive,
            "kellele": agency.allative,
            "lyhend": agency.abbreviation,
        },
        "ametikoht": {"id": post.id, "nimetus": post.title, "grupp": post.group.value},
    }


def clause_params(
    defs: Definitions, post: Post, clause: Clause, own: Mapping[str, Any],
    texts: TextRenderer | None = None,
) -> dict[str, Any]:
    """What a clause's text sees in a post: the post's context, then the clause's defaults,
    then the parameters the post gives (the later wins). A default may itself name the post's
    units (`{{ ulemyksus.omastav }} teiste teenistujatega`): it is rendered in the post's context
    (problems go to `texts`, when given)."""
    context = text_context(defs, post)
    renderer = texts or TextRenderer()
    defaults = {
        key: renderer.render(Text(value, clause.source), context, f"klausel {clause.id}: {key}")
        if isinstance(value, str) and "{" in value and key not in own else value
        for key, value in clause.defaults.items()
    }
    return {**context, **defaults, **own}


def directive_of(defs: Definitions, directive_id: str) -> Directive:
    """The directive with this id, or a DefinitionError naming the ones there are."""
    directive = defs.directives.get(directive_id)
    if directive is None:
        known = ", ".join(sorted(defs.directives)) or "(ühtegi pole)"
        raise DefinitionError(
            f'käskkirja "{directive_id}" ei ole: faili definitions/kaskkirjad/{directive_id}.yaml '
            f"pole olemas. Olemasolevad käskkirjad: {known}."
        )
    return directive


def resolve_directive(defs: Definitions, directive_id: str) -> ResolvedDirective:
    """Resolve one directive; every clause problem of the run is reported together."""
    directive = directive_of(defs, directive_id)
    resolver = Resolver(defs)
    revocation, revoked = revocation_for(defs, directive)
    resolved = resolver.directive(directive, revocation, revoked)
    if resolver.texts.problems:
        raise TemplateError(list(dict.fromkeys(resolver.texts.problems)))  # a clause of many annexes: once
    return resolved


def revocation_for(
    defs: Definitions, directive: Directive
) -> tuple[str | None, tuple[RevocationGroup, ...]]:
    """Point 2 from the ledger: what the directive's annexes replace. (None, ()) without a ledger;
    the published words when the directive gives them (`kehtetuks_tekst`, an imported directive)."""
    if directive.revocation_text is not None:
        return TextRenderer().render(directive.revocation_text, {}, "kehtetuks_tekst"), ()
    if defs.ledger is None:
        return None, ()
    from . import history

    return history.revocation_phrase_for(defs, directive)
