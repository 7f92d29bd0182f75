"""The slowest request path: latency_ms summed from a client, in time linear in the graph.

A component calls its request successors in parallel unless it says ``fanout: sequential``
(design-format.md): in parallel the slowest branch counts, in sequence their latencies add
up. Cycles are broken at their back edges (a retry loop does not add latency forever), and
the walk is iterative, so a 1,500-hop chain cannot exhaust Python's recursion limit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ..graph import DesignGraph
    from ..flows import Edge


class Latency(NamedTuple):
    total: float  # milliseconds along the slowest path (sequential fan-outs summed)
    chain: list[str]  # the components that path passes, in order
    sequential: list[str]  # components on it whose calls were summed (fanout: sequential)


_EMPTY = Latency(0.0, [], [])


def request_latency(g: "DesignGraph") -> Latency:
    weight = {cid: float(getattr(c, "latency_ms", None) or 0.0) for cid, c in g.components.items()}
    cost: dict[str, float] = {}
    tail: dict[str, list[str]] = {}  # the chain below a component, itself included
    state: dict[str, int] = {}  # 1: on the walk's stack, 2: done

    def edges(cid: str) -> list["Edge"]:
        return g.out_edges(cid, "request")

    def finish(cid: str) -> None:
        done = [e for e in edges(cid) if state.get(e.dst) == 2]  # on-stack children are back edges
        sequential = getattr(g.components.get(cid), "fanout", None) == "sequential"
        below: list[str] = []
        if sequential and done:
            extra = sum((e.latency_ms or 0.0) + cost[e.dst] for e in done)
            for e in done:
                below += [c for c in tail[e.dst] if c not in below]
        elif done:
            best = max(done, key=lambda e: (e.latency_ms or 0.0) + cost[e.dst])
            extra = (best.latency_ms or 0.0) + cost[best.dst]
            below = tail[best.dst]
        else:
            extra = 0.0
        cost[cid] = weight.get(cid, 0.0) + extra
        tail[cid] = [cid] + below

    for client in g.clients:
        if state.get(client):
            continue
        state[client] = 1
        stack = [(client, iter(edges(client)))]
        while stack:
            cid, pending = stack[-1]
            for edge in pending:
                if not state.get(edge.dst):
                    state[edge.dst] = 1
                    stack.append((edge.dst, iter(edges(edge.dst))))
                    break
            else:
                stack.pop()
                finish(cid)
                state[cid] = 2
    if not g.clients:
        return _EMPTY
    best_client = max(g.clients, key=lambda c: cost.get(c, 0.0))
    chain = tail.get(best_client, [])
    if len(chain) < 2:
        return _EMPTY if not cost.get(best_client) else Latency(cost[best_client], chain, [])
    sequential = [c for c in chain if getattr(g.components.get(c), "fanout", None) == "sequential"]
    return Latency(cost[best_client], chain, sequential)
