"""ui.results: one computation per key (also under concurrency), samples shared, uploads per session, bounded memory."""

from __future__ import annotations

import threading
import time

import numpy as np

from ui import results


def test_one_computation_per_key_even_when_sessions_ask_at_once():
    results.clear()
    calls = []

    def slow():
        calls.append(1)
        time.sleep(0.2)
        return np.zeros(3)

    out = []
    threads = [threading.Thread(target=lambda: out.append(results.cached("k", "sample:coffee", ("m",), slow)))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len(out) == 8 and all(o is out[0] for o in out)
    assert results.peek("k", "sample:coffee", ("m",)) is out[0] and results.peek("k", "sample:coffee", ("x",)) is None


def test_memory_budget_evicts_the_oldest():
    lru = results._Lru(limit=100, budget=3 * 8000)
    for i in range(5):
        lru.get_or_compute(i, lambda: np.zeros(1000))  # 8000 bytes each
    assert list(lru.items) == [2, 3, 4] and lru.held() == 24_000
    lru.get_or_compute(9, lambda: np.zeros(10_000))  # larger than the budget alone: kept, the rest go
    assert list(lru.items) == [9]
    assert results.size_of({"a": np.zeros(10, np.float32), "b": [np.zeros(4, np.uint8)]}) == 40 + 4 + 64 + 64
