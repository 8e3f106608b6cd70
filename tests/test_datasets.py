"""Tests of dynalgo.datasets: the bundled SNAP graphs and TemporalEdges."""

from __future__ import annotations

import gzip
import hashlib
import importlib.resources

import numpy as np
import pytest

from dynalgo import datasets
from dynalgo.datasets import TemporalEdges, bitcoin_alpha, college_msg
from dynalgo.errors import DynalgoError, InvalidInputError

SHA = {
    "CollegeMsg.txt": "61c48411d84b3907f0ccc7468d47241a5e2a46a7234739e4379274a190293fe6",
    "soc-sign-bitcoinalpha.csv": "7af11340d137e7320d180ac49debc9ff4cd182d12c540632ac838bd57c1d91ac",
}


def _raw_rows(filename: str, sep: str | None) -> np.ndarray:
    """The file's rows as SNAP wrote them, straight from the package data."""
    res = importlib.resources.files("dynalgo").joinpath("data").joinpath(filename + ".gz")
    text = gzip.decompress(res.read_bytes()).decode("ascii")
    lines = text.splitlines()[1:]
    return np.array([[int(x) for x in line.split(sep)] for line in lines], dtype=np.int64)


# -- the bundled files --------------------------------------------------------------


@pytest.mark.parametrize("filename", sorted(SHA))
def test_bundled_file_checksum(filename: str) -> None:
    res = importlib.resources.files("dynalgo").joinpath("data").joinpath(filename + ".gz")
    raw = gzip.decompress(res.read_bytes())
    assert hashlib.sha256(raw).hexdigest() == SHA[filename]
    assert datasets._SHA256[filename] == SHA[filename]


def test_data_readme_lists_checksums_and_citations() -> None:
    text = importlib.resources.files("dynalgo").joinpath("data").joinpath("README.md").read_text(encoding="utf-8")
    for digest in SHA.values():
        assert digest in text
    for needle in ("Panzarasa", "Kumar", "REV2", "Leskovec"):
        assert needle in text


@pytest.mark.parametrize("loader", [college_msg, bitcoin_alpha])
def test_checksum_mismatch_raises(loader, monkeypatch: pytest.MonkeyPatch) -> None:
    loader.cache_clear()
    bad = {k: "0" * 64 for k in datasets._SHA256}
    monkeypatch.setattr(datasets, "_SHA256", bad)
    try:
        with pytest.raises(InvalidInputError, match="checksum mismatch"):
            loader()
        with pytest.raises(DynalgoError):
            loader()
    finally:
        loader.cache_clear()


# -- CollegeMsg ---------------------------------------------------------------------


def test_college_msg_counts_and_types() -> None:
    e = college_msg()
    assert e.m == len(e) == 59_835
    assert e.n == 1_899
    assert e.name == "CollegeMsg"
    assert "Panzarasa" in e.citation and "Leskovec" in e.citation
    assert e.weight is None
    for a in (e.src, e.dst, e.time, e.labels):
        assert a.dtype == np.int64 and a.ndim == 1
        assert not a.flags.writeable
    assert e.labels.shape == (e.n,)
    assert e.src.shape == e.dst.shape == e.time.shape == (e.m,)


def test_college_msg_matches_file() -> None:
    rows = _raw_rows("CollegeMsg.txt", None)
    e = college_msg()
    order = np.argsort(rows[:, 2], kind="stable")
    rows = rows[order]
    assert np.array_equal(e.labels[e.src], rows[:, 0])
    assert np.array_equal(e.labels[e.dst], rows[:, 1])
    assert np.array_equal(e.time, rows[:, 2])
    # SNAP's ids are 1..1899, so dense id i is user i + 1
    assert np.array_equal(e.labels, np.arange(1, 1_900))


def test_college_msg_is_cached() -> None:
    assert college_msg() is college_msg()


# -- bitcoin-alpha ------------------------------------------------------------------


def test_bitcoin_alpha_counts_and_types() -> None:
    e = bitcoin_alpha()
    assert e.m == 24_186
    assert e.n == 3_783
    assert e.name == "soc-sign-bitcoinalpha"
    assert "Kumar" in e.citation and "REV2" in e.citation
    assert e.weight is not None
    assert e.weight.dtype == np.float64 and not e.weight.flags.writeable
    assert set(np.unique(e.weight).tolist()) <= set(range(-10, 11)) - {0}
    assert e.weight.min() == -10 and e.weight.max() == 10
    for a in (e.src, e.dst, e.time, e.labels):
        assert a.dtype == np.int64 and not a.flags.writeable


def test_bitcoin_alpha_matches_file_after_stable_sort() -> None:
    rows = _raw_rows("soc-sign-bitcoinalpha.csv", ",")
    assert np.any(np.diff(rows[:, 3]) < 0)  # the file itself is not in time order
    rows = rows[np.argsort(rows[:, 3], kind="stable")]
    e = bitcoin_alpha()
    assert e.weight is not None
    assert np.array_equal(e.labels[e.src], rows[:, 0])
    assert np.array_equal(e.labels[e.dst], rows[:, 1])
    assert np.array_equal(e.weight, rows[:, 2].astype(np.float64))
    assert np.array_equal(e.time, rows[:, 3])


# -- shared properties --------------------------------------------------------------


@pytest.mark.parametrize("loader", [college_msg, bitcoin_alpha])
def test_dense_labels_and_sorted_times(loader) -> None:
    e = loader()
    assert np.all(np.diff(e.time) >= 0)
    # labels: strictly increasing original ids, every dense id used
    assert np.all(np.diff(e.labels) > 0)
    used = np.union1d(e.src, e.dst)
    assert np.array_equal(used, np.arange(e.n))
    assert e.src.min() >= 0 and e.dst.max() < e.n


@pytest.mark.parametrize("loader", [college_msg, bitcoin_alpha])
def test_arrays_are_read_only(loader) -> None:
    e = loader()
    with pytest.raises(ValueError):
        e.src[0] = 5
    with pytest.raises(AttributeError):
        e.n = 3  # frozen


# -- TemporalEdges ------------------------------------------------------------------


def test_from_arrays_relabels_by_sorted_id_and_sorts_stably() -> None:
    e = TemporalEdges.from_arrays([100, 5, 7, 5], [7, 100, 5, 7], [3, 1, 3, 0], weight=[1, 2, 3, 4])
    assert e.labels.tolist() == [5, 7, 100]
    assert e.time.tolist() == [0, 1, 3, 3]
    assert e.labels[e.src].tolist() == [5, 5, 100, 7]
    assert e.labels[e.dst].tolist() == [7, 100, 7, 5]
    assert e.weight is not None and e.weight.tolist() == [4.0, 2.0, 1.0, 3.0]
    assert e.n == 3 and repr(e) == "TemporalEdges('', m=4, n=3, weighted)"


def test_from_arrays_empty() -> None:
    e = TemporalEdges.from_arrays([], [], [])
    assert e.m == 0 and e.n == 0 and e.labels.size == 0


@pytest.mark.parametrize(
    "args",
    [
        ([0, 1], [1], [0, 0]),
        ([[0, 1]], [[1, 0]], [[0, 0]]),
        ([0.5], [1], [0]),
        ([0], [1], ["x"]),
        ([True], [False], [0]),
    ],
)
def test_from_arrays_rejects_bad_input(args) -> None:
    with pytest.raises(InvalidInputError):
        TemporalEdges.from_arrays(*args)


def test_from_arrays_rejects_bad_weight() -> None:
    with pytest.raises(InvalidInputError):
        TemporalEdges.from_arrays([0], [1], [0], weight=[1.0, 2.0])


def test_constructor_validates() -> None:
    i64 = lambda *x: np.array(x, dtype=np.int64)  # noqa: E731
    ok = TemporalEdges(i64(0), i64(1), i64(5), None, 2, i64(10, 20))
    assert ok.m == 1
    with pytest.raises(InvalidInputError, match="sorted"):
        TemporalEdges(i64(0, 1), i64(1, 0), i64(5, 4), None, 2, i64(10, 20))
    with pytest.raises(InvalidInputError, match="range"):
        TemporalEdges(i64(0), i64(2), i64(5), None, 2, i64(10, 20))
    with pytest.raises(InvalidInputError, match="labels"):
        TemporalEdges(i64(0), i64(1), i64(5), None, 2, i64(10))
    with pytest.raises(InvalidInputError, match="int64"):
        TemporalEdges(np.array([0], np.int32), i64(1), i64(5), None, 2, i64(10, 20))
    with pytest.raises(InvalidInputError, match="weight"):
        TemporalEdges(i64(0), i64(1), i64(5), np.ones(2), 2, i64(10, 20))
