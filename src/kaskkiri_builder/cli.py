"""The command line: `kaskkiri build 2026-01` and friends.

Thin on purpose: parse arguments, call one function, print. Every error of ours arrives as a
`KaskkiriError` and is printed once, in Estonian, with its file and line; an unexpected error is
one line too (set KASKKIRI_DEBUG=1 for the traceback).
"""

from __future__ import annotations

import atexit
import math
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import NoReturn

import typer

from . import __version__, cli_language
from .build import BuildResult, Final, Project
from .build import build as run_build
from .errors import DefinitionError, KaskkiriError
from .estonian import signing_time
from .ids import check_directive_id, check_directive_number

cli_language.install()  # Click's and Typer's own text in Estonian, before the app is built

app = typer.Typer(
    add_completion=False,
    rich_markup_mode="markdown",
    no_args_is_help=True,
    suggest_commands=False,  # Typer's suggestion is English; Click's own is translated
    help=(
        "kaskkiri koostab ametijuhendite kinnitamise käskkirja definitsioonidest "
        "(definitions/*.yaml): Wordi failid ülevaatuseks, PDF ja allkirjastamiseks valmis konteiner."
    ),
)


def _err(text: str) -> None:
    typer.echo(text, err=True)


def _fail(exc: KaskkiriError) -> None:
    _print_error(exc)
    raise typer.Exit(exc.exit_code)


def _print_error(exc: KaskkiriError) -> None:
    problems = exc.problems
    head = "Viga" if len(problems) == 1 else f"Vead ({len(problems)})"
    _err(f"{head}:")
    for p in problems:
        _err(f"  {p}")
    _err(exc.changed or "Väljundit ega definitsioone ei muudetud.")


@contextmanager
def _exclusive(project: Project, command: str) -> Iterator[None]:
    """The project's lock for the block, after finishing a recording a stopped run left half-done."""
    from .lock import project_lock
    from .recording import finish_interrupted

    with project_lock(project.root, command):
        for note in finish_interrupted(project):
            _err(f"Märkus: {note}")
        yield


def _project(path: Path | None) -> Project:
    return Project((path or Path.cwd()).resolve())


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kaskkiri {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Näita versiooni ja lõpeta."
    ),
) -> None:
    """kaskkiri: ametijuhendid andmetena, käskkiri nende kinnitamiseks."""


ProjectOpt = typer.Option(
    None, "--projekt", "-p", help="Projekti kaust (definitions/, templates/, output/). Vaikimisi praegune kaust."
)


@app.command()
def build(
    kaskkiri: str | None = typer.Argument(
        None, help="Käskkirja id, s.t faili nimi kaustas definitions/kaskkirjad/ (näiteks 2026-01)."
    ),
    ainult_word: bool = typer.Option(
        False, "--ainult-word", help="Koosta ainult Wordi failid (ilma PDF-i ja konteinerita)."
    ),
    koik: bool = typer.Option(
        False, "--koik", help="Koosta kõik registreerimata käskkirjad (eelnõud) ühe korraga."
    ),
    aegumine: float = typer.Option(
        180.0, "--aegumine", help="Mitu sekundit võib LibreOffice PDF-i teha, enne kui see peatatakse."
    ),
    nr: str | None = typer.Option(
        None, "--nr", help="Lõplik koostamine: registreerimisel saadud number (koos --kuupaev)."
    ),
    kuupaev: str | None = typer.Option(
        None, "--kuupaev", help="Lõplik koostamine: käskkirja kuupäev PP.KK.AAAA (koos --nr)."
    ),
    lopplik: bool = typer.Option(
        False, "--lopplik", help="Lõplik koostamine ilma numbri ja kuupäevata, kui register annab "
        "numbri pärast allkirjastamist (organisatsioon.yaml: vormistus.number_registreerimisel)."
    ),
    luba_vead: str | None = typer.Option(
        None, "--luba-vead", help="Koosta lõplik käskkiri ka kontrolli vigadega; põhjus läheb manifesti."
    ),
    ilma_vahemaluta: bool = typer.Option(
        False, "--ilma-vahemaluta", help="Teisenda kõik Wordi failid PDF-iks uuesti, võtmata "
        "muutmata failide PDF-e vahemälust."
    ),
    projekt: Path | None = ProjectOpt,
) -> None:
    """Koosta käskkiri ja selle lisad kausta output/<käskkiri>/.

    Kirjutab käskkirja ja iga lisa Wordi faili, LibreOffice'i olemasolul ka allkirjastamise PDF-i
    ja DigiDoc4-s allkirjastatava ASiC-E konteineri, ning manifest.json-i kõigi failide SHA-256
    räsidega. Vigase sisendi korral jääb eelmine väljund puutumata.

    Eelnõu kannab märget EELNÕU ja kohti [kuupäev] ning [number]. Lõplik koostamine (--nr ja
    --kuupaev) kirjutab allkirjastamiseks mõeldud failid numbri ja kuupäevaga; see keeldub, kui
    kaskkiri check leiab vigu, välja arvatud --luba-vead "põhjus" korral. Kui register annab
    numbri alles pärast allkirjastamist, koosta lõplik käskkiri võtmega --lopplik: dokumentides on
    numbri ja kuupäeva asemel organisatsiooni seadistatud sõnastus.
    """
    _check_timeout(aegumine)
    project = _project(projekt)
    failed: list[KaskkiriError] = []
    try:
        final = _final_option(nr, kuupaev, luba_vead, lopplik)
        ids = _which(project, kaskkiri, koik, final)
        with _exclusive(project, f"build {' '.join(ids) or '--koik'}"):
            for directive_id in ids:
                try:
                    result = run_build(project, directive_id, word_only=ainult_word, timeout=aegumine,
                                       progress=lambda m: _err(f"• {m}"), final=final,
                                       cache=not ilma_vahemaluta)
                except KaskkiriError as exc:
                    if not koik:
                        raise
                    _err(f"Käskkiri {directive_id}:")
                    _print_error(exc)
                    failed.append(exc)
                    continue
                _built(result, directive_id)
    except KaskkiriError as exc:
        _fail(exc)
        return
    if failed:
        _err(f"Koostamata jäi {len(failed)} käskkirja {len(ids)}-st (vead eespool).")
        raise typer.Exit(failed[0].exit_code)


def _which(project: Project, kaskkiri: str | None, koik: bool, final: Final | None) -> list[str]:
    """The directives to build: the one named, or with --koik every unrecorded one."""
    from .build import unrecorded_directives

    if koik:
        if kaskkiri is not None or final is not None:
            raise DefinitionError("--koik koostab kõik eelnõud: jäta käskkirja id ja lõpliku "
                                  "koostamise võtmed (--nr, --kuupaev, --lopplik) ära.")
        ids = unrecorded_directives(project)
        if not ids:
            raise DefinitionError("registreerimata käskkirju pole (definitions/kaskkirjad/): "
                                  "koostada pole midagi.")
        return ids
    if kaskkiri is None:
        raise DefinitionError("anna käskkirja id (näiteks kaskkiri build 2026-02) või --koik.")
    return [check_directive_id(kaskkiri)]


def _built(result: BuildResult, kaskkiri: str) -> None:
    rd = result.directive
    status = "EELNÕU" if rd.draft else rd.date_number
    typer.echo(f"Valmis: {rd.title} ({status}), {len(rd.annexes)} lisa.")
    for entry in result.manifest["files"]:
        size = (result.folder / entry["path"]).stat().st_size
        typer.echo(f"  {_rel(result.folder / entry['path'])}  {entry['role']}  {size // 1024 or 1} KiB")
    typer.echo(f"  {_rel(result.folder / 'manifest.json')}  manifest")
    if result.findings is not None:
        typer.echo(f"Kontroll: {_summary(result.findings)} (üksikasjad: kaskkiri check {kaskkiri})")
    for note in result.notes:
        _err(f"Märkus: {note}")


def _final_option(nr: str | None, kuupaev: str | None, reason: str | None, unnumbered: bool) -> Final | None:
    if unnumbered and (nr is not None or kuupaev is not None):
        raise DefinitionError("--lopplik on lõplik koostamine ilma numbri ja kuupäevata: jäta --nr ja "
                              "--kuupaev ära (need annab kaskkiri record).")
    if nr is None and kuupaev is None and not unnumbered:
        if reason is not None:
            raise DefinitionError("--luba-vead käib lõpliku koostamisega: anna ka --nr ja --kuupaev.")
        return None
    if reason is not None and not reason.strip():
        raise DefinitionError('--luba-vead vajab põhjust, näiteks --luba-vead "õigusosakond kiitis heaks".')
    if unnumbered:
        return Final(None, None, reason.strip() if reason else None)
    if nr is None or kuupaev is None:
        raise DefinitionError("lõplikuks koostamiseks anna nii --nr kui ka --kuupaev (näiteks "
                              "--nr 12 --kuupaev 20.01.2026).")
    return Final(check_directive_number(nr), _parse_date(kuupaev), reason.strip() if reason else None)


def _summary(findings) -> str:
    from .checks.findings import Severity

    n = {s: sum(1 for f in findings if f.severity is s and f.accepted is None) for s in Severity}
    accepted = sum(1 for f in findings if f.accepted is not None)
    tail = f", aktsepteeritud {accepted}" if accepted else ""
    return f"vigu {n[Severity.VIGA]}, hoiatusi {n[Severity.HOIATUS]}, teateid {n[Severity.INFO]}{tail}"


@app.command()
def check(
    kaskkiri: str = typer.Argument(..., help="Käskkirja id (näiteks 2026-02)."),
    json_: bool = typer.Option(False, "--json", help="Väljasta leiud JSON-ina."),
    strict: bool = typer.Option(False, "--strict", help="Ka hoiatused annavad nullist erineva väljumiskoodi."),
    projekt: Path | None = ProjectOpt,
) -> None:
    """Kontrolli käskkirja ja selle lisasid nagu hoolikas õigusliku ülevaatuse tegija.

    Leiab muu hulgas: vahetu juhi ja alluvate ning asendamiste vastuolud, avaliku võimu märke ja
    eritingimuste vead (ametnik/töötaja), ühistest klauslitest kõrvale kalduva teksti,
    õigekirja-, grammatika- (käänded, ühendverbid) ja kirjavahemärgivead, keeletasemed
    väljaspool A1–C2, pealkirja ja lisade vastuolud ning ajaloo vead. Iga leiu juures on
    raskusaste (viga / hoiatus / info), fail ja rida, lisa ning mida kirjutada selle asemel.
    Väljumiskood on 1, kui leidub vigu (--strict: ka hoiatusi).
    """
    import json

    from .build import source_project
    from .checks.findings import Severity
    from .checks.run import run_checks
    from .definitions import load_definitions
    from .history import recorded_entry, signing_note

    project = _project(projekt)
    try:
        source = source_project(project, check_directive_id(kaskkiri), lambda m: _err(f"• {m}"))
        defs = load_definitions(source.definitions, project.root)
        findings = run_checks(defs, kaskkiri)
    except KaskkiriError as exc:
        _fail(exc)
        return
    signed = signing_note(defs, kaskkiri)
    if json_:
        report: dict[str, object] = {"findings": [f.as_json() for f in findings]}
        entry = recorded_entry(defs, kaskkiri)
        if entry is not None:
            report["allkirjad"] = [{"nimi": s.name, "aeg": s.time} for s in entry.signatures]
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        if signed:
            typer.echo(signed)
        for f in findings:
            place = f"{f.file}:{f.line}" if f.file and f.line else (f.file or "")
            annex = f"lisa {f.annex}" if f.annex else "käskkiri"
            accepted = f" (aktsepteeritud: {f.accepted})" if f.accepted is not None else ""
            typer.echo(f"{f.severity.value:8} {annex:9} {place}  [{f.kind}] {f.message}{accepted}")
        typer.echo(f"Leide {len(findings)}: {_summary(findings)}.")
    failing = {Severity.VIGA, Severity.HOIATUS} if strict else {Severity.VIGA}
    if any(f.severity in failing and f.accepted is None for f in findings):
        raise typer.Exit(1)


#: The longest time limit --aegumine accepts (one hour: a directive converts in seconds).
MAX_TIMEOUT = 3600.0


def _check_timeout(value: float) -> None:
    if not (math.isfinite(value) and 1 <= value <= MAX_TIMEOUT):
        _err(f"Viga: --aegumine: {value:g} ei sobi: anna sekundite arv 1 kuni {MAX_TIMEOUT:g} "
             "(näiteks --aegumine 300).")
        raise typer.Exit(2)


def _parse_date(value: str) -> date:
    """--kuupaev as a date (PP.KK.AAAA); else a message and exit 2."""
    from .estonian import parse_date

    try:
        return parse_date(value)
    except ValueError as exc:
        raise DefinitionError(f"--kuupaev: {exc}") from None


@app.command()
def record(
    kaskkiri: str = typer.Argument(..., help="Käskkirja id (näiteks 2026-02)."),
    konteiner: Path | None = typer.Option(
        None, "--konteiner", help="DigiDoc4-s allkirjastatud konteiner (.asice): kontrollitakse "
        "lõpliku koostamise vastu ja hoitakse arhiivis."),
    nr: str | None = typer.Option(None, "--nr", help="Registreerimisel saadud number (näiteks 12). "
                                  "Konteineriga: võetakse lõplikust koostamisest."),
    kuupaev: str | None = typer.Option(None, "--kuupaev", help="Käskkirja kuupäev PP.KK.AAAA. "
                                       "Konteineriga: võetakse lõplikust koostamisest."),
    ainult_word: bool = typer.Option(False, "--ainult-word", help="Arhiveeri ainult Wordi failid "
                                     "(ilma konteinerita)."),
    projekt: Path | None = ProjectOpt,
) -> None:
    """Kanna allkirjastatud käskkiri registrisse: number ja kuupäev, ajalugu ja arhiiv.

    Allkirjastatud konteineriga (--konteiner) kontrollib enne, et konteineris on täpselt
    lõpliku koostamise (kaskkiri build --nr --kuupaev) failid ja vähemalt üks terviklik allkiri;
    allkirjastajad ja allkirjastamise ajad lähevad ajalukku ning konteiner ise arhiivi.
    Ilma konteinerita (paberil või muul teel allkirjastatud) anna --nr ja --kuupaev.
    Kirjutab numbri ja kuupäeva käskkirja definitsiooni, lisab käskkirja ajalukku
    (definitions/ajalugu.yaml) ja hoiab kinnitatud koosseisu alles kaustas arhiiv/<käskkiri>/,
    et hilisemaid käskkirju saaks sellega võrrelda. YAML-i kommentaarid jäävad alles.
    """
    from .recording import record as run_record

    project = _project(projekt)
    try:
        on = _parse_date(kuupaev) if kuupaev is not None else None
        number = check_directive_number(nr) if nr is not None else None
        directive_id = check_directive_id(kaskkiri)
        container = konteiner.resolve() if konteiner is not None else None
        if container is not None and ainult_word:
            raise DefinitionError("--ainult-word ei käi koos --konteiner võtmega: arhiivi läheb "
                                  "allkirjastatud lõplik koostamine tervikuna.")
        with _exclusive(project, f"record {directive_id}"):
            result = run_record(project, directive_id, number, on, container=container,
                                word_only=ainult_word, progress=lambda m: _err(f"• {m}"))
    except KaskkiriError as exc:
        _fail(exc)
        return
    e = result.entry
    typer.echo(f"Registreeritud: käskkiri {kaskkiri} {e.label.removeprefix('käskkiri ')}.")
    typer.echo(f"  ajalugu: definitions/ajalugu.yaml ({len(e.annexes)} lisa, {len(e.revokes)} kehtetuks tunnistamist)")
    typer.echo(f"  arhiiv: {_rel(result.archive)}")
    for s in e.signatures:
        typer.echo(f"  allkirjastas: {s.name}, {signing_time(s.time)}")
    if not result.verified:
        _err("Märkus: allkirjastatud konteinerit ei antud (--konteiner), seega allkirju ega "
             "allkirjastatud failide vastavust ei kontrollitud.")
    for note in result.build.notes:
        _err(f"Märkus: {note}")


@app.command()
def review(
    kaskkiri: str = typer.Argument(..., help="Käskkirja id (näiteks 2026-02)."),
    projekt: Path | None = ProjectOpt,
) -> None:
    """Koosta õigusliku ülevaatuse kaust output/<käskkiri>/review/.

    index.html: käskkirja kokkuvõte (mida kinnitatakse, mida tunnistatakse kehtetuks ja miks),
    kontrolli leiud lisade kaupa, ühiste klauslite kasutus ja struktuuriskeem. Iga lisa kohta,
    mis asendab registreeritud varasemat versiooni, Wordi fail jälgitud muudatustega.
    Uus `kaskkiri build` kustutab ülevaatuse kausta: koosta see pärast ehitamist uuesti.
    """
    from .review import write_review

    project = _project(projekt)
    try:
        directive_id = check_directive_id(kaskkiri)
        with _exclusive(project, f"review {directive_id}"):
            result = write_review(project, directive_id, progress=lambda m: _err(f"• {m}"))
    except KaskkiriError as exc:
        _fail(exc)
        return
    typer.echo(f"Valmis: {_rel(result.page)}")
    for n, path in sorted(result.redlines.items()):
        typer.echo(f"  lisa {n}: {_rel(path)}  jälgitud muudatused")
    for note in result.notes:
        _err(f"Märkus: {note}")


@app.command()
def watch(
    kaskkiri: str = typer.Argument(..., help="Käskkirja id (näiteks 2026-02)."),
    ainult_word: bool = typer.Option(
        False, "--ainult-word", help="Koosta ainult Wordi failid (ilma PDF-i ja konteinerita): kiirem."
    ),
    port: int = typer.Option(
        0, "--port", help="Eelvaate port aadressil 127.0.0.1. Vaikimisi võetakse vaba port."
    ),
    aegumine: float = typer.Option(
        180.0, "--aegumine", help="Mitu sekundit võib LibreOffice PDF-i teha, enne kui see peatatakse."
    ),
    projekt: Path | None = ProjectOpt,
) -> None:
    """Jälgi definitsioone ja malle: iga salvestamise järel koosta käskkiri uuesti ja näita eelvaadet.

    Koostab käskkirja kohe ja seejärel uuesti iga kord, kui mõni fail kaustas definitions/ või
    templates/ salvestatakse, nagu kaskkiri build (väljund kausta output/<käskkiri>/). Eelvaate
    leht aadressil, mille käsk kirjutab (http://127.0.0.1:…/, ainult sellest arvutist), uueneb ise: lisade tekst
    kohe pärast definitsioonide lugemist, kontrolli leiud nagu kaskkiri check, PDF-id, kui need on
    valmis. Vigase definitsiooni korral näitab leht viga koos faili ja reaga. Lõpetamiseks vajuta
    Ctrl+C.
    """
    from .watch import watch as run_watch

    _check_timeout(aegumine)
    if not 0 <= port <= 65535:
        _err(f"Viga: --port: {port} ei sobi: anna pordi number 1 kuni 65535 või jäta --port ära.")
        raise typer.Exit(2)
    project = _project(projekt)
    try:
        directive_id = check_directive_id(kaskkiri)
        run_watch(project, directive_id, word_only=ainult_word, timeout=aegumine, port=port,
                  exclusive=lambda: _exclusive(project, f"watch {directive_id}"), say=typer.echo)
    except KaskkiriError as exc:
        _fail(exc)


@app.command()
def schema(
    kaust: Path = typer.Argument(..., help="Kaust, kuhu skeemid kirjutatakse (näiteks schemas). Luuakse vajadusel."),
) -> None:
    """Kirjuta definitsioonifailide JSON-skeemid (JSON Schema draft 2020-12) kausta KAUST.

    Üks skeem iga faililiigi kohta: organisatsioon.json, klauslid.json, ametikoht.json,
    kaskkiri.json ja ajalugu.json, võtmete selgitustega eesti keeles. YAML-i toega tekstiredaktor
    (näiteks VS Code koos Red Hati YAML-laiendusega) kontrollib nende järgi faile juba
    kirjutamise ajal ja näitab võtmete selgitusi, kui faili esimene rida on näiteks
    `# yaml-language-server: $schema=../../schemas/ametikoht.json`.
    """
    from .definitions.export import schema_files

    try:
        kaust.mkdir(parents=True, exist_ok=True)
        for name, text in schema_files().items():
            (kaust / name).write_text(text, encoding="utf-8")
            typer.echo(f"  {_rel(kaust / name)}")
    except OSError as exc:
        _err(f"Viga: skeeme ei saanud kirjutada kausta {kaust}: {exc.strerror or exc}. Vali teine kaust.")
        raise typer.Exit(1) from None


# --- kaskkiri uus: a new post or directive from the key declarations (scaffold.py) -------------

uus_app = typer.Typer(
    rich_markup_mode="markdown",
    no_args_is_help=True,
    help=(
        "Alusta uut ametikohta või käskkirja: kirjuta kommenteeritud YAML-fail kõigi kohustuslike "
        "võtmetega. Kohad <TÄIDA> täida ise; kuni mõni on alles, faili ei loeta."
    ),
)
app.add_typer(uus_app, name="uus")

AsendaOpt = typer.Option(False, "--asenda", help="Kirjuta olemasolev fail üle (senine sisu kaob).")
YksusOpt = typer.Option(None, "--yksus", help="Struktuuriüksuse id failist organisatsioon.yaml.")


def _write_new(project: Project, kind: str, new_id: str, replace: bool, text_for) -> None:
    """Check the id, read what exists, write the file; one message on failure."""
    from .ids import check_post_id
    from .scaffold import read_known, unfilled_lines, write_new

    folder = "ametikohad" if kind == "ametikoht" else "kaskkirjad"
    try:
        checked = check_post_id(new_id) if kind == "ametikoht" else check_directive_id(new_id)
        with _exclusive(project, f"uus {kind} {checked}"):
            text = text_for(read_known(project.definitions), checked)
            path = project.definitions / folder / f"{checked}.yaml"
            write_new(path, text, str(path.relative_to(project.root)), replace=replace)
    except KaskkiriError as exc:
        _fail(exc)
        return
    typer.echo(f"Valmis: {_rel(path)}")
    left = unfilled_lines(text)
    if left:
        typer.echo(f"Täida kohad <TÄIDA> (read {', '.join(map(str, left))}); seni faili ei loeta.")


@uus_app.command("ametikoht")
def uus_ametikoht(
    ametikoht: str = typer.Argument(..., help="Uue ametikoha id, s.t faili nimi kaustas "
                                    "definitions/ametikohad/ (näiteks noustaja-12)."),
    yksus: str | None = YksusOpt,
    juht: str | None = typer.Option(None, "--juht", help="Vahetu juhi ametikoha id (asutuse juht: asutuse-juht)."),
    asenda: bool = AsendaOpt,
    projekt: Path | None = ProjectOpt,
) -> None:
    """Kirjuta uue ametikoha fail definitions/ametikohad/AMETIKOHT.yaml.

    Failis on kõik kohustuslikud võtmed ja kasulikumad valikulised võtmed kommentaarina, iga
    võtme kohal selle selgitus. Ilma --yksus ja --juht võtmeta jääb nende kohale <TÄIDA> ja
    kommentaar loetleb olemasolevad üksused ja sobivad juhid. Olemasolevat faili ei muudeta,
    välja arvatud --asenda korral.
    """
    from .scaffold import pick_post, pick_unit, post_text

    def text(known, post_id: str) -> str:
        unit = pick_unit(known, yksus) if yksus is not None else None
        manager = pick_post(known, juht) if juht is not None else None
        return post_text(known, post_id, unit, manager)

    _write_new(_project(projekt), "ametikoht", ametikoht, asenda, text)


@uus_app.command("kaskkiri")
def uus_kaskkiri(
    kaskkiri: str = typer.Argument(..., help="Uue käskkirja id, s.t faili nimi kaustas "
                                   "definitions/kaskkirjad/ (näiteks 2026-03)."),
    yksus: str | None = YksusOpt,
    lisad: str | None = typer.Option(None, "--lisad", help="Lisade ametikohad järjekorras, komadega "
                                     "eraldatult (näiteks noustaja-9,noustaja-10)."),
    asenda: bool = AsendaOpt,
    projekt: Path | None = ProjectOpt,
) -> None:
    """Kirjuta uue käskkirja eelnõu fail definitions/kaskkirjad/KASKKIRI.yaml.

    Eelnõul pole numbrit ega kuupäeva (need kirjutab kaskkiri record). Õiguslik alus ja
    allkirjastaja võetakse viimasest käskkirjast; ilma --yksus ja --lisad võtmeta jääb nende
    kohale <TÄIDA> ja kommentaar loetleb olemasolevad üksused ja ametijuhendiga ametikohad.
    Olemasolevat faili ei muudeta, välja arvatud --asenda korral.
    """
    from .scaffold import directive_text, pick_annexes, pick_unit

    def text(known, directive_id: str) -> str:
        unit = pick_unit(known, yksus) if yksus is not None else None
        annexes = pick_annexes(known, lisad) if lisad is not None else []
        return directive_text(known, directive_id, unit, annexes)

    _write_new(_project(projekt), "kaskkiri", kaskkiri, asenda, text)


# --- kaskkiri import: existing job descriptions and signed directives (issue 12) ----------------

import_app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode="markdown",
    suggest_commands=False,
    help=(
        "Too olemasolevad ametijuhendid ja allkirjastatud käskkirjad projekti: Wordi failid (.docx), "
        "tekstikihiga PDF-id ja dokumendiregistri tekst."
    ),
)
app.add_typer(import_app, name="import")

FailidArg = typer.Argument(..., help="Imporditavad failid (.docx, .pdf või registri tekst .txt).")


def _import(projekt: Path | None, what: str, run) -> None:
    project = _project(projekt)
    try:
        with _exclusive(project, f"import {what}"):
            result = run(project.root)
    except KaskkiriError as exc:
        _fail(exc)
        return
    for path in result.written:
        typer.echo(f"Kirjutasin: {path}")
    if result.report:
        typer.echo("Impordi aruanne (vaata need kohad üle):")
        typer.echo("\n".join(f"  {line}" for line in result.report))


@import_app.command("ametijuhend")
def import_ametijuhend(
    failid: list[Path] = FailidArg,
    asenda: bool = typer.Option(False, "--asenda", help="Kirjuta olemasolevad ametikoha failid üle."),
    projekt: Path | None = ProjectOpt,
) -> None:
    """Kirjuta ametijuhenditest ametikoha failid (definitions/ametikohad/ID.yaml).

    Id tehakse ametikoha nimetusest (sama nimetusega ametikohtadel lisa numbrist või üksusest).
    Struktuuriüksus, vahetu juht, alluvad ja asendajad seotakse nimetuse järgi; mida siduda ei
    saanud, jääb avaldatud sõnastusse, kommentaari ja aruandesse. Ülesanne, mille tekst on sama
    mis ühisel klauslil, kirjutatakse klausliviitena. Vigase faili korral ei kirjutata midagi;
    olemasolevat faili ei muudeta ilma --asenda võtmeta.
    """
    from .importing.run import import_job_descriptions

    _import(projekt, "ametijuhend", lambda root: import_job_descriptions(root, failid, asenda))


@import_app.command("kaskkiri")
def import_kaskkiri(
    failid: list[Path] = FailidArg,
    asenda: bool = typer.Option(False, "--asenda", help="Kirjuta olemasolevad ametikoha ja käskkirja failid üle."),
    projekt: Path | None = ProjectOpt,
) -> None:
    """Kirjuta allkirjastatud käskkirjast ja selle lisadest ajaloo kirje, käskkirja fail ja ametikohad.

    Anna käskkiri ja selle lisad koos: üks registri tekst või PDF, milles on kõik, või käskkirja
    Wordi fail ja selle järel lisade failid. Ajalukku (ajalugu.yaml) kirjutatakse number, kuupäev,
    pealkiri, lisade ametikohad ja punktis 2 kehtetuks tunnistatu (need varasemad käskkirjad,
    mis on ajaloos).
    """
    from .importing.run import import_directives

    _import(projekt, "kaskkiri", lambda root: import_directives(root, failid, asenda))


# --- shared clauses and the job descriptions in force (issue 14) --------------------------------

klauslid_app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode="markdown",
    suggest_commands=False,  # as the main app: Typer's suggestion is English
    help="Ühised klauslid (definitions/klauslid/*.yaml): kus neid kasutatakse ja milliseid juurde teha.",
)
app.add_typer(klauslid_app, name="klauslid")


def _report(lines: list[str], note: str | None, data: dict[str, object] | None) -> None:
    """Plain text and a note on stderr, or JSON (`data`) alone."""
    import json

    if data is not None:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    typer.echo("\n".join(lines))
    if note:
        _err(f"Märkus: {note}")


@klauslid_app.command("kasutus")
def klauslid_kasutus(
    klausel: str = typer.Argument(..., help="Klausli id kaustast definitions/klauslid/ (näiteks ulesanne-kriisid)."),
    json_: bool = typer.Option(False, "--json", help="Väljasta tulemus JSON-ina."),
    projekt: Path | None = ProjectOpt,
) -> None:
    """Näita, kes ühist klauslit kasutab: enne klausli muutmist näed, keda muudatus puudutab.

    Loetleb ametikohad, mis klauslile viitavad (lisa punkt, parameetrid, fail ja rida), eelnõud,
    mille lisad seda kasutavad, ning registreeritud käskkirjad, mille kinnitatud ametijuhendid
    seda kasutasid (arhiivi järgi: arhiiv/<käskkiri>/definitions/).
    """
    from .recorded import current_and_signed
    from .usage import clause_usage, usage_json, usage_lines, usage_note

    try:
        defs, signed = current_and_signed(_project(projekt).root)
        usage = clause_usage(defs, klausel, signed)
    except KaskkiriError as exc:
        _fail(exc)
        return
    _report(usage_lines(usage), usage_note(usage), usage_json(usage) if json_ else None)


@klauslid_app.command("soovita")
def klauslid_soovita(
    rakenda: bool = typer.Option(False, "--rakenda", help="Kirjuta soovitatud klauslid faili "
                                 "definitions/klauslid/soovitatud.yaml ja muuda ametikohad neile viitama."),
    json_: bool = typer.Option(False, "--json", help="Väljasta tulemus JSON-ina."),
    projekt: Path | None = ProjectOpt,
) -> None:
    """Soovita ühiseid klausleid: ülesanded, mida mitu ametikohta kirjutab ise sama või peaaegu
    sama sõnastusega.

    Iga soovituse juures on klausli tekst (erinevad sõnad parameetritena kujul {{ nimi }}), selle
    oodatavad tulemused ja ametikohad, mis klauslit kasutaksid, koos oma parameetrite väärtustega.
    Ilma --rakenda võtmeta ei muudeta ühtegi faili. --rakenda kirjutab klauslid ja asendab
    ametikohtade failides need ülesanded viidetega (kommentaarid ja paigutus jäävad); enne
    kirjutamist kontrollitakse, et ühegi ametijuhendi tekst ei muutu. Olemasolevat klausli id-d ei
    kirjutata üle. Ülesanne, mille tekst (koos parameetritega) on juba klauslikogus, muutub viiteks
    sellele klauslile, mitte uueks klausliks.
    """
    from .definitions import load_definitions
    from .suggest import report_json, report_lines, suggest
    from .suggest_apply import apply

    project = _project(projekt)
    try:
        if not rakenda:
            proposal = suggest(load_definitions(project.definitions))
            _report(report_lines(proposal), None, report_json(proposal) if json_ else None)
            return
        with _exclusive(project, "klauslid soovita --rakenda"):
            defs = load_definitions(project.definitions)
            proposal = suggest(defs)
            applied = apply(project.root, defs, proposal.suggestions, proposal.library) \
                if proposal.changes else None
    except KaskkiriError as exc:
        _fail(exc)
        return
    lines = report_lines(proposal)
    _report(lines[:-1] if proposal.changes else lines, None, report_json(proposal) if json_ else None)
    if applied is not None and not json_:
        changed = f"{len(applied.posts)} ametikoha faili"
        if proposal.library:
            changed += f" ({len(proposal.library)} viidet klauslikogu olemasolevatele klauslitele)"
        if applied.clause_file:
            typer.echo(f"Kirjutatud: {applied.clause_file} ({len(proposal.suggestions)} klauslit); "
                       f"muudetud {changed}.")
        else:
            typer.echo(f"Muudetud {changed}.")


@app.command()
def ulevaade(
    json_: bool = typer.Option(False, "--json", help="Väljasta tulemus JSON-ina."),
    projekt: Path | None = ProjectOpt,
) -> None:
    """Näita kehtivaid ametijuhendeid, mille tekst erineb praegustest definitsioonidest.

    See on järgmise käskkirja järjekord: iga registreeritud käskkirjaga kinnitatud ja veel
    kehtiv ametijuhend võrreldakse allkirjastamisaegse tekstiga (arhiiv/<käskkiri>/definitions/),
    rühmitatuna muutunud ühise klausli järgi; eraldi rühmad on ametikoha oma tekst ning
    kaotatud või eemaldatud ametikohad. Võrreldakse teksti, mitte Wordi faile.
    """
    from .drift import overview, overview_json, overview_lines, overview_note
    from .recorded import current_and_signed

    try:
        defs, signed = current_and_signed(_project(projekt).root)
        view = overview(defs, signed)
    except KaskkiriError as exc:
        _fail(exc)
        return
    _report(overview_lines(view), overview_note(view), overview_json(view) if json_ else None)


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def run() -> None:
    """Entry point that keeps unexpected errors to one line, and ends without Python's teardown."""
    try:
        app(prog_name="kaskkiri")
    except SystemExit as exc:
        _end(exc.code)
    except KeyboardInterrupt:
        _err("Katkestatud. Väljundit ei muudetud.")
        _end(130)
    except Exception as exc:  # a bug of ours: one line, not a traceback
        if os.environ.get("KASKKIRI_DEBUG"):
            raise
        _err(f"Sisemine viga: {type(exc).__name__}: {exc}. Väljundit ei muudetud. "
             "Käivita uuesti KASKKIRI_DEBUG=1-ga ja saada väljund arendajatele.")
        _end(70)
    _end(0)


def _end(code: object) -> NoReturn:
    """Exit with `code` (as SystemExit takes it) once the exit handlers have run and the output
    is flushed, skipping the interpreter's teardown: freeing a build's objects one by one took
    0.13-0.2 s of every command (measured on the 2-core machine), and nothing is left to do by
    then: files are closed by `with`, folders removed by their owners, and the handlers that
    remain (multiprocessing's, tempfile's finalizers) run here."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): printed, status 1, as Python does
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said
            pass
    os._exit(status)
