"""Edge-set plumbing shared by the undirected connectivity structures."""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from .errors import InvalidInputError
from .updates import UpdateBatch


def edge_keys(n: int, u: NDArray[np.int64], v: NDArray[np.int64]) -> NDArray[np.int64]:
    """The registry key of each undirected edge: ``min * n + max``."""
    return np.minimum(u, v) * n + np.maximum(u, v)


def keys_to_edges(n: int, keys: NDArray[np.int64]) -> NDArray[np.int64]:
    """Inverse of :func:`edge_keys`: an ``(m, 2)`` array of ``(min, max)`` endpoints."""
    if not keys.size:
        return np.zeros((0, 2), dtype=np.int64)
    return np.stack([keys // n, keys % n], axis=1)


def to_graph(n: int, edges: NDArray[np.int64]) -> "nx.Graph[int]":
    """A :class:`networkx.Graph` on nodes ``0..n-1`` with the given edges."""
    graph: nx.Graph[int] = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(edges.tolist())
    return graph


def insertions_of(graph: "nx.Graph[Any]") -> tuple[int, UpdateBatch]:
    """Vertex count and one insertion per edge of an undirected simple graph on ``0..n-1``."""
    if not isinstance(graph, nx.Graph):
        raise InvalidInputError(f"from_networkx expects a networkx.Graph, got {type(graph).__name__}")
    if graph.is_directed() or graph.is_multigraph():
        raise InvalidInputError("from_networkx expects an undirected simple nx.Graph")
    n = graph.number_of_nodes()
    if n == 0 or set(graph.nodes) != set(range(n)):
        raise InvalidInputError("graph nodes must be exactly the integers 0..n-1 (n >= 1); "
                                "relabel with networkx.convert_node_labels_to_integers")
    e = np.asarray(list(graph.edges()), dtype=np.int64).reshape(-1, 2)
    return n, UpdateBatch.from_arrays(np.ones(len(e), dtype=np.int8), e[:, 0], e[:, 1])
