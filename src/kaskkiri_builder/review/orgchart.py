"""The unit's org chart as inline SVG: who manages whom, who stands in for whom.

Drawn from the definitions alone, so a reviewer sees whether the managers and substitutes that
the annexes name fit together. A layered layout: a post's row is its depth in the manager chain;
a wide row wraps onto several lines on one grid, and manager edges run down the gaps of that grid
so they never cross a node. Substitution edges are dashed curves under the nodes. The head of the
agency (`HEAD_ID`), when a drawn post reports to it, is a box of its own in the top row.
Deterministic: the same definitions give the same bytes.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Collection
from dataclasses import dataclass
from html import escape

from .. import estonian
from ..definitions.model import HEAD_ID, Definitions, Directive, Post, PostRefList

NODE_W = 196
NODE_H = 76
GAP_X = 30
LINE_GAP = 36  # between wrapped lines of one row
ROW_GAP = 60  # between rows (manager depth)
MARGIN = 22
MAX_PER_LINE = 5
TITLE_CHARS = 19  # bold 13px: fits left of the group badge
ID_CHARS = 29  # monospace 10px across the box
ID_CHARS_BESIDE_ANNEX = 19  # ... and left of the "lisa N" tag
LANE = 6  # spacing of parallel edges of different managers



@dataclass
class Node:
    post: Post
    depth: int
    annex: int | None  # the directive's annex number, when the directive approves this post
    outside: bool  # not in the directive's unit (a manager from a parent unit, say)
    abolished: bool = False  # the directive abolishes the post (kehtetuks_kaotatud_ametikohad)
    head: bool = False  # the head of the agency, not a post (`head_post`)
    x: float = 0.0
    y: float = 0.0
    line: int = 0
    last_line: bool = True

    @property
    def cx(self) -> float:
        return self.x + NODE_W / 2

    @property
    def bottom(self) -> float:
        return self.y + NODE_H


def _refs(lst: PostRefList | None) -> list[str]:
    return [r.post_id for r in lst.refs] if lst is not None else []


def head_post(defs: Definitions) -> Post:
    """The head of the agency as the chart draws it: a box like a post's, with the head's title."""
    head = defs.organisation.head
    return Post(id=HEAD_ID, title=head.title, unit="", group=head.group, source=defs.organisation.source)


def managers(defs: Definitions) -> dict[str, str]:
    """post → its manager: `vahetu_juht` (a post or the head, `HEAD_ID`), else whoever lists the
    post among `alluvad`."""
    out: dict[str, str] = {}
    for pid, post in sorted(defs.posts.items()):
        refs = [r for r in _refs(post.manager) if (r in defs.posts or r == HEAD_ID) and r != pid]
        if refs:
            out[pid] = refs[0]
    for pid, post in sorted(defs.posts.items()):
        for sub in _refs(post.subordinates):
            if sub in defs.posts and sub != pid:
                out.setdefault(sub, pid)
    return out


def chart_posts(defs: Definitions, directive: Directive, gone: Collection[str] = ()) -> list[str]:
    """The posts drawn: the directive's unit (and its sub-units), its annexes, and their managers.

    `gone`: posts abolished by an earlier directive (their files may stay for the history); they
    are left out unless the directive names them or a drawn post still reports to them. The head
    of the agency is not a post: `layout` adds it.
    """
    units = defs.organisation.subunits(directive.unit)
    chosen = {pid for pid, p in defs.posts.items() if p.unit in units and pid not in gone}
    chosen |= {r.post_id for r in (*directive.annexes, *directive.abolished) if r.post_id in defs.posts}
    boss = managers(defs)
    for pid in sorted(chosen):
        seen = set()
        while pid in boss and pid not in seen:
            seen.add(pid)
            pid = boss[pid]
            chosen.add(pid)
    return sorted(chosen - {HEAD_ID})


def substitutions(defs: Definitions, posts: set[str]) -> dict[tuple[str, str], set[str]]:
    """Unordered pair → the directions drawn: "a>b" means a stands in for b (teenistuja asendab)."""
    out: dict[tuple[str, str], set[str]] = {}

    def add(sub: str, subbed: str) -> None:
        if sub == subbed or sub not in posts or subbed not in posts:
            return
        key = (sub, subbed) if sub < subbed else (subbed, sub)
        out.setdefault(key, set()).add(f"{sub}>{subbed}")

    for pid in sorted(posts & set(defs.posts)):  # the head has no lists of its own
        post = defs.posts[pid]
        for other in _refs(post.substitutes_for):
            add(pid, other)
        for other in _refs(post.substituted_by):
            add(other, pid)
    return out


def layout(
    defs: Definitions, directive: Directive, gone: Collection[str] = ()
) -> tuple[list[Node], float, float]:
    """Nodes with positions, and the drawing's width and height."""
    ids = chart_posts(defs, directive, gone)
    every = managers(defs)
    posts = dict(defs.posts)
    if any(every.get(p) == HEAD_ID for p in ids):  # the head tops the chart: a root of its own
        posts[HEAD_ID] = head_post(defs)
        ids = [HEAD_ID, *ids]
    idset = set(ids)
    annex_of = {r.post_id: n for n, r in enumerate(directive.annexes, start=1)}
    abolished = {r.post_id for r in directive.abolished}
    units = defs.organisation.subunits(directive.unit)
    boss = {p: m for p, m in every.items() if p in idset and m in idset}
    children: dict[str, list[str]] = {}
    for p, m in boss.items():
        children.setdefault(m, []).append(p)

    def order(pid: str) -> tuple:
        post = posts[pid]
        return (annex_of.get(pid, 10_000), post.title, pid)

    # Roots: no manager among the drawn posts, or caught in a manager cycle.
    roots = [p for p in ids if p not in boss]
    reached: set[str] = set()
    rows: list[list[str]] = []
    depth_of: dict[str, int] = {}

    def visit(pid: str, depth: int) -> None:
        if pid in reached:
            return
        reached.add(pid)
        depth_of[pid] = depth
        while len(rows) <= depth:
            rows.append([])
        rows[depth].append(pid)
        for child in sorted(children.get(pid, []), key=order):
            visit(child, depth + 1)

    for root in sorted(roots, key=order):
        visit(root, 0)
    for pid in sorted(ids, key=order):  # a cycle: start it at its first post
        if pid not in reached:
            visit(pid, 0)

    widest = max((min(len(r), MAX_PER_LINE) for r in rows), default=1)
    width = 2 * MARGIN + widest * (NODE_W + GAP_X) - GAP_X
    nodes: dict[str, Node] = {}
    top = MARGIN
    for row in rows:
        per_line = min(len(row), MAX_PER_LINE)
        lines = math.ceil(len(row) / MAX_PER_LINE)
        x0 = (width - (per_line * (NODE_W + GAP_X) - GAP_X)) / 2
        for i, pid in enumerate(row):
            line, slot = divmod(i, MAX_PER_LINE)
            post = posts[pid]
            nodes[pid] = Node(
                post=post,
                depth=depth_of[pid],
                annex=annex_of.get(pid),
                outside=post.unit not in units and pid != HEAD_ID,
                abolished=pid in abolished,
                head=pid == HEAD_ID,
                x=x0 + slot * (NODE_W + GAP_X),
                y=top + line * (NODE_H + LINE_GAP),
                line=line,
                last_line=line == lines - 1,
            )
        top += lines * (NODE_H + LINE_GAP) - LINE_GAP + ROW_GAP
    height = top - ROW_GAP + MARGIN
    ordered = [nodes[p] for row in rows for p in row]
    return ordered, width, height


# --- drawing ----------------------------------------------------------------------------------


def _f(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def _manager_path(m: Node, c: Node, lane: float) -> str:
    """Down from the manager, along the channel above the child's row, down a grid gap.

    `lane` shifts the horizontal and vertical runs of one manager's edges off those of the other
    managers of the same row, so that a reader can follow each bus to its manager.
    """
    d = [f"M{_f(m.cx)},{_f(m.bottom)}"]
    channel = c.y - (c.line * (NODE_H + LINE_GAP)) - ROW_GAP / 2 + lane
    if not m.last_line:  # leave the manager's own row through the gap on its right
        y1 = m.bottom + LINE_GAP / 2 + lane
        gx = m.x + NODE_W + GAP_X / 2 + lane
        d += [f"V{_f(y1)}", f"H{_f(gx)}"]
    d.append(f"V{_f(channel)}")
    if c.line == 0:
        d += [f"H{_f(c.cx)}", f"V{_f(c.y)}"]
    else:
        gx = c.x - GAP_X / 2 + lane
        d += [f"H{_f(gx)}", f"V{_f(c.y - LINE_GAP / 2 + lane / 2)}", f"H{_f(c.cx)}", f"V{_f(c.y)}"]
    return " ".join(d)


def _border_point(n: Node, tx: float, ty: float) -> tuple[float, float]:
    """Where the line from the node's centre towards (tx, ty) leaves its box."""
    cx, cy = n.cx, n.y + NODE_H / 2
    dx, dy = tx - cx, ty - cy
    if dx == 0 and dy == 0:
        return cx, cy
    scale = min(
        (NODE_W / 2) / abs(dx) if dx else math.inf,
        (NODE_H / 2) / abs(dy) if dy else math.inf,
    )
    return cx + dx * scale, cy + dy * scale


def _substitution_path(a: Node, b: Node) -> str:
    ax, ay = a.cx, a.y + NODE_H / 2
    bx, by = b.cx, b.y + NODE_H / 2
    mx, my = (ax + bx) / 2, (ay + by) / 2
    dist = math.hypot(bx - ax, by - ay) or 1.0
    bend = 28 + 0.12 * dist
    # Perpendicular offset, always to the same side for a given pair order (deterministic).
    qx, qy = mx - (by - ay) / dist * bend, my + (bx - ax) / dist * bend
    sx, sy = _border_point(a, qx, qy)
    ex, ey = _border_point(b, qx, qy)
    return f"M{_f(sx)},{_f(sy)} Q{_f(qx)},{_f(qy)} {_f(ex)},{_f(ey)}"


def _title_lines(title: str) -> list[str]:
    lines = textwrap.wrap(estonian.capitalize_first(title), TITLE_CHARS, break_long_words=True) or [""]
    if len(lines) > 3:
        lines = [*lines[:2], textwrap.shorten(" ".join(lines[2:]), TITLE_CHARS, placeholder=" …")]
    return lines


def _clip(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: chars - 1] + "…"


def _node_svg(n: Node, unit_name: str) -> str:
    post = n.post
    group = post.group.code
    classes = ["node", group]
    if n.head:
        classes.append("head")
    if n.annex is not None:
        classes.append("in-directive")
    if n.outside:
        classes.append("outside")
    if n.abolished:
        classes.append("abolished")
    tip = f"{estonian.capitalize_first(post.title)} ({post.id}); {post.group.value}; {unit_name}"
    if n.head:
        tip = f"{estonian.capitalize_first(post.title)} ({post.id}); asutuse juht"
    if n.annex is not None:
        tip += f"; käskkirja lisa {n.annex}"
    if n.abolished:
        tip += "; käskkiri kaotab ametikoha"
    parts = [
        f'<g class="{" ".join(classes)}" data-post="{escape(post.id)}" data-group="{escape(post.group.value)}"'
        + (f' data-annex="{n.annex}"' if n.annex is not None else "")
        + f' transform="translate({_f(n.x)},{_f(n.y)})">',
        f"<title>{escape(tip)}</title>",
        f'<rect class="box" width="{NODE_W}" height="{NODE_H}" rx="7"/>',
    ]
    y = 20
    for line in _title_lines(post.title):
        parts.append(f'<text class="t" x="10" y="{y}">{escape(line)}</text>')
        y += 15
    tagged = n.annex is not None or n.abolished
    ident = _clip(post.id, ID_CHARS if not tagged else (ID_CHARS_BESIDE_ANNEX if n.annex is not None else 15))
    parts.append(f'<text class="id" x="10" y="{NODE_H - 9}">{escape(ident)}</text>')
    parts.append(
        f'<g class="badge" transform="translate({NODE_W - 16},15)"><circle r="10"/>'
        f'<text text-anchor="middle" y="4">{post.group.badge}</text></g>'
    )
    if n.annex is not None:
        parts.append(
            f'<g class="lisa" transform="translate({NODE_W - 52},{NODE_H - 20})">'
            f'<rect width="46" height="15" rx="3"/><text x="23" y="11" text-anchor="middle">'
            f"lisa {n.annex}</text></g>"
        )
    elif n.abolished:
        parts.append(
            f'<g class="kaob" transform="translate({NODE_W - 72},{NODE_H - 20})">'
            f'<rect width="66" height="15" rx="3"/><text x="33" y="11" text-anchor="middle">'
            "kaotatakse</text></g>"
        )
    parts.append("</g>")
    return "".join(parts)


def _hover_css(post_ids: list[str]) -> str:
    """Pointing at a post brings out its own edges (CSS only: the page runs no script)."""
    rules = [".orgchart:has(.node:hover) .edge.substitution{opacity:.12}"]
    for q in post_ids:
        if not re.fullmatch(r"[A-Za-z0-9_-]+", q):  # ids are validated; never let one into CSS raw
            continue
        sel = f'.orgchart:has(.node[data-post="{q}"]:hover)'
        rules.append(
            f'{sel} .edge[data-a="{q}"],{sel} .edge[data-b="{q}"],{sel} .edge[data-from="{q}"],'
            f'{sel} .edge[data-to="{q}"]{{opacity:1;stroke-width:2.6}}'
        )
    return "".join(rules)


def org_chart_svg(
    defs: Definitions, directive: Directive, unit_names: dict[str, str], gone: Collection[str] = ()
) -> str:
    """The chart: one `<g class="node" data-post="...">` per post, edges underneath."""
    nodes, width, height = layout(defs, directive, gone)
    by_id = {n.post.id: n for n in nodes}
    boss = {p: m for p, m in managers(defs).items() if p in by_id and m in by_id}
    out = [
        f'<svg class="orgchart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_f(width)} {_f(height)}"'
        f' width="{_f(width)}" height="{_f(height)}" role="img" aria-label="Struktuuriüksuse skeem">',
        "<defs>"
        '<marker id="nool" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7"'
        ' orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrow"/></marker>'
        "</defs>",
        f"<style>{_hover_css(list(by_id))}</style>",
        '<g class="edges manager-edges">',
    ]
    # Each manager of a row gets its own lane, centred in the channel below that row.
    parents_by_depth: dict[int, list[str]] = {}
    for n in nodes:
        m = boss.get(n.post.id)
        if m is not None and by_id[m].depth < n.depth and m not in parents_by_depth.get(n.depth, []):
            parents_by_depth.setdefault(n.depth, []).append(m)
    lane_of: dict[str, float] = {}
    for parents in parents_by_depth.values():
        for k, m in enumerate(parents):
            lane_of[m] = (k - (len(parents) - 1) / 2) * LANE
    for n in nodes:
        m = boss.get(n.post.id)
        if m is not None and by_id[m].depth < n.depth:
            out.append(
                f'<path class="edge manager" data-from="{escape(m)}" data-to="{escape(n.post.id)}"'
                f' d="{_manager_path(by_id[m], n, lane_of.get(m, 0.0))}"/>'
            )
    out.append("</g>")
    out.append('<g class="edges substitution-edges">')
    for (a, b), directions in sorted(substitutions(defs, set(by_id)).items()):
        start = ' marker-start="url(#nool)"' if f"{b}>{a}" in directions else ""
        end = ' marker-end="url(#nool)"' if f"{a}>{b}" in directions else ""
        who = "; ".join(
            f"{x} asendab {y}" for x, y in (d.split(">") for d in sorted(directions))
        )
        out.append(
            f'<path class="edge substitution" data-a="{escape(a)}" data-b="{escape(b)}"{start}{end}'
            f' d="{_substitution_path(by_id[a], by_id[b])}"><title>{escape(who)}</title></path>'
        )
    out.append("</g>")
    out.append('<g class="nodes">')
    for n in nodes:
        out.append(_node_svg(n, unit_names.get(n.post.unit, n.post.unit)))
    out.append("</g></svg>")
    return "\n".join(out)
