"""The seriousness of the interference, per processing stream.

Each stream gets a level (light ... most serious) from the factors of seriousness.toml that hold for
it: points raise or lower it, `at_least`/`at_most` bound it, and a factor that needs evidence counts
only with a document attached. The level then decides the severity of every rule that scales with it
(the bank's severity profiles): the more serious the interference, the more the law must say and
the more evidence and safeguards are needed.
"""

from __future__ import annotations

from dpia.engine.bank import SeriousnessFactor
from dpia.engine.conditions import evaluate
from dpia.engine.context import Context, Stream
from dpia.engine.result import FactorHit, StreamSeriousness

# The factor that takes a stream outside data-protection law (verified anonymisation at the source); other
# ceilings (civil identity data alone) lower the level but leave the data personal.
ANONYMISED_AT_SOURCE = "anonymised_at_source"


def _counts(ctx: Context, factor: SeriousnessFactor, stream: Stream | None) -> bool:
    if factor.requires_evidence and not any(ctx.has_evidence(qid) for qid in factor.requires_evidence):
        return False
    return evaluate(factor.when, ctx.answers_for(stream), stream.item if stream is not None else None)


def assess_stream(ctx: Context, stream: Stream | None) -> StreamSeriousness:
    model = ctx.bank.seriousness
    held = [f for f in model.factors if _counts(ctx, f, stream)]
    points = sum(f.points for f in held)
    level = model.level_for(points)
    floors = [model.level(f.at_least) for f in held if f.at_least]
    ceilings = [model.level(f.at_most) for f in held if f.at_most]
    if floors:
        level = max([level, *floors], key=lambda lv: lv.rank)
    if ceilings:  # verified anonymisation at the source, or civil identity data alone, outweigh the rest
        level = min([level, *ceilings], key=lambda lv: lv.rank)

    def hit(f: SeriousnessFactor) -> FactorHit:
        return FactorHit(id=f.id, label=f.label, points=f.points, citations=f.citations,
                         at_least=f.at_least, at_most=f.at_most)

    return StreamSeriousness(
        stream=stream.key if stream else None, name=stream.name if stream else "",
        level=level.id, label=level.label, points=points, demands=level.demands,
        raised=tuple(hit(f) for f in held if f.points > 0 or f.at_least),
        lowered=tuple(hit(f) for f in held if f.points < 0 or f.at_most),
        citations=level.citations,
    )


def assess_seriousness(ctx: Context) -> tuple[StreamSeriousness, ...]:
    """One result per stream; with no stream described yet, one for the project as a whole."""
    if not ctx.streams:
        return (assess_stream(ctx, None),)
    return tuple(assess_stream(ctx, s) for s in ctx.streams)
