"""The shared pieces of live training: settings checks, seeded starts, Adam on a cosine, batch orders, the loop."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from vision_core.errors import BadInput
from vision_core.models.fit import (
    RunSettings,
    adam_cosine,
    column_means,
    descend,
    epoch_batches,
    seeded,
    shuffled_batches,
    train_steps,
    weights_copy,
)


def test_run_settings_name_the_setting_out_of_range():
    RunSettings().check_run()
    for field, value, words in [("steps", 0, "number of steps"), ("batch_size", 1, "batch size"),
                                ("lr", 2.0, "learning rate"), ("seed", -1, "seed"), ("eval_every", 0, "eval_every"),
                                ("threads", 65, "threads")]:
        with pytest.raises(BadInput, match=words):
            RunSettings(**{field: value}).check_run()
    RunSettings(batch_size=1, lr=1e-5).check_run(min_batch=1, min_lr=1e-5)


def test_seeded_builds_the_same_weights_and_leaves_the_global_rng_alone():
    torch.manual_seed(123)
    expected_next = torch.rand(3)
    torch.manual_seed(123)
    a = seeded(7, lambda: torch.nn.Linear(3, 2))
    b = seeded(7, lambda: torch.nn.Linear(3, 2))
    assert torch.equal(a.weight, b.weight)
    torch.manual_seed(7)
    assert torch.equal(torch.nn.Linear(3, 2).weight, a.weight), "same weights as a build right after manual_seed(7)"
    torch.manual_seed(123)
    seeded(7, lambda: torch.rand(100))
    assert torch.equal(torch.rand(3), expected_next)


def test_adam_cosine_decays_to_zero_and_descend_takes_one_adam_step():
    w = torch.nn.Parameter(torch.tensor([1.0, -2.0]))
    opt, schedule = adam_cosine([w], 0.1, 4)
    lrs = []
    for _ in range(4):
        descend(opt, (w**2).sum())
        lrs.append(opt.param_groups[0]["lr"])
        schedule.step()
    # the lr used at step t is 0.1 · (1 + cos(π t / 4)) / 2
    assert lrs == pytest.approx([0.1 * (1 + math.cos(math.pi * t / 4)) / 2 for t in range(4)])
    assert opt.param_groups[0]["lr"] == pytest.approx(0.0, abs=1e-12)
    # Adam's first step moves each weight by lr against the sign of its gradient
    v = torch.nn.Parameter(torch.tensor([1.0, -2.0]))
    descend(torch.optim.Adam([v], lr=0.1), (v**2).sum())
    assert v.detach().tolist() == pytest.approx([0.9, -1.9], abs=1e-6)


def test_descend_clips_the_gradient_norm():
    v = torch.nn.Parameter(torch.tensor([3.0, 4.0]))
    opt = torch.optim.SGD([v], lr=1.0)
    descend(opt, (v * torch.tensor([30.0, 40.0])).sum(), clip=5.0)  # gradient (30, 40), norm 50 → (3, 4)
    assert v.detach().tolist() == pytest.approx([0.0, 0.0], abs=1e-5)


def test_weights_copy_is_detached_from_later_steps():
    net = torch.nn.Linear(2, 1)
    copy = weights_copy(net)
    with torch.no_grad():
        net.weight.add_(1.0)
    assert not torch.equal(copy["weight"], net.weight)


def test_epoch_batches_cover_every_example_once_per_epoch_with_a_short_last_batch():
    batches = list(epoch_batches(10, 4, 2, torch.Generator().manual_seed(0)))
    assert [len(b) for b in batches] == [4, 4, 2, 4, 4, 2]
    assert sorted(torch.cat(batches[:3]).tolist()) == list(range(10))
    assert sorted(torch.cat(batches[3:]).tolist()) == list(range(10))
    gen = torch.Generator().manual_seed(0)
    assert torch.equal(torch.cat(batches[:3]), torch.randperm(10, generator=gen))


def test_shuffled_batches_are_full_and_reshuffle_when_too_few_are_left():
    it = shuffled_batches(10, 4, torch.Generator().manual_seed(0))
    batches = [next(it) for _ in range(5)]
    assert all(len(b) == 4 for b in batches)
    gen = torch.Generator().manual_seed(0)
    first, second = torch.randperm(10, generator=gen), torch.randperm(10, generator=gen)
    assert torch.equal(torch.cat(batches[:2]), first[:8]), "two batches, then 2 left: a new permutation"
    assert torch.equal(torch.cat(batches[2:4]), second[:8])


def test_column_means_sum_in_order_and_are_nan_without_rows():
    assert column_means([[1.0, 2.0], [3.0, 6.0]], 2).tolist() == [2.0, 4.0]
    assert np.isnan(column_means([], 3)).all() and len(column_means([], 3)) == 3


def test_train_steps_records_start_every_k_last_and_stop():
    seen = []
    recs = list(train_steps(7, lambda s: (s, torch.is_grad_enabled(), torch.get_num_threads()),
                            lambda s, since: (s, [x[0] for x in since]), eval_every=3, threads=1))
    assert recs == [(0, []), (3, [1, 2, 3]), (6, [4, 5, 6]), (7, [7])]
    with torch.no_grad():
        grads = list(train_steps(2, lambda s: torch.is_grad_enabled(), lambda s, since: since, eval_every=2, threads=1))
    assert grads == [[], [True, True]], "steps run with gradients on"
    calls = iter(range(100))
    stopped = list(train_steps(50, seen.append, lambda s, since: s, eval_every=10, threads=1,
                               should_stop=lambda: next(calls) >= 3, record_start=False))
    assert stopped == [4] and seen == [1, 2, 3, 4], "the step after which should_stop() is true is recorded, then it ends"
