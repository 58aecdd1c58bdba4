import random

import numpy as np
import torch

from train.common import Dist, TrainState, param_groups


def test_a_saved_training_state_restores_every_rng(tmp_path):
    model = torch.nn.Linear(3, 2)
    state = TrainState(tmp_path, model, torch.optim.AdamW(model.parameters()))
    torch.manual_seed(1), np.random.seed(2), random.seed(3)
    np.random.normal()  # numpy's cached Gaussian is part of its state too
    state.save(Dist(device=torch.device("cpu")))
    first = (
        torch.rand(3).tolist(),
        np.random.rand(3).tolist(),
        np.random.normal(),
        [random.random() for _ in range(3)],
    )
    torch.manual_seed(9), np.random.seed(9), random.seed(9)
    assert TrainState(tmp_path, model, torch.optim.AdamW(model.parameters())).load()
    again = (
        torch.rand(3).tolist(),
        np.random.rand(3).tolist(),
        np.random.normal(),
        [random.random() for _ in range(3)],
    )
    assert again == first


def test_weight_decay_falls_on_weight_matrices_only():
    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.proj = torch.nn.Linear(4, 4)
            self.conv = torch.nn.Conv2d(2, 2, 3)
            self.norm = torch.nn.LayerNorm(4)
            self.embed = torch.nn.Embedding(5, 4)
            self.null_token = torch.nn.Parameter(torch.zeros(8, 4))  # 2-D, yet no weight matrix

    net = Net()
    decayed, plain = param_groups(net, 0.05)
    assert decayed["weight_decay"] == 0.05 and plain["weight_decay"] == 0.0
    assert {id(p) for p in decayed["params"]} == {id(net.proj.weight), id(net.conv.weight)}
    assert len(plain["params"]) == len(list(net.parameters())) - 2


def test_time_budget_cuts_the_steps_to_what_fits_then_stops_at_the_deadline(monkeypatch):
    from train import common

    clock = [0.0]
    monkeypatch.setattr(common.time, "perf_counter", lambda: clock[0])
    budget = common.TimeBudget(1.0, calibrate=10)  # 60 s
    assert common.TimeBudget(0).total(5, 100) == 100  # no budget: the plan stands
    assert budget.total(0, 1000) == 1000
    plans = []
    for step in range(1, 12):  # the first step took 5 s (start-up, not timed), then one step per second
        clock[0] = 5.0 + (step - 1)
        plans.append(budget.total(step, 1000))
    assert plans == [1000] * 10 + [11 + 45]  # at 15 s, 45 s left at 1 step/s
    clock[0] = 60.5
    assert budget.total(30, 56) == 30  # past the budget: stop now
