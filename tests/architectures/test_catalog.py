"""The catalogue: course order, what runs where, unknown names refused with the list, untrained builders."""

from __future__ import annotations

import pytest
import torch

from tests.architectures.helpers import unique_params
from vision_core import architectures as arch
from vision_core.errors import BadInput
from vision_core.models.untrained import fasterrcnn_resnet50_fpn_v1, torchvision_architecture


def test_networks_in_course_order():
    names = arch.available()
    assert len(names) == 33
    assert names[:3] == ["lenet5", "lenet5_keras", "alexnet"] and names[-1] == "unet"
    order = [next(i for i, n in enumerate(names) if n.startswith(f)) for f in ("lenet", "alexnet", "vgg", "googlenet",
                                                                                "resnet", "densenet", "mobilenet")]
    assert order == sorted(order), "LeNet-5 → AlexNet → VGG → GoogLeNet → ResNet → DenseNet → beyond"
    assert {arch.info(n).family for n in names} >= {"LeNet", "AlexNet", "VGG", "Inception", "ResNet", "DenseNet"}


def test_only_the_detectors_leave_the_meta_device():
    off_meta = [n for n in arch.available() if not arch.info(n).meta_device]
    assert off_meta == ["fasterrcnn_resnet50_fpn", "fasterrcnn_resnet50_fpn_v2"]
    assert all(arch.info(n).list_input for n in off_meta)
    assert arch.info("inception_v3").input_size == (3, 299, 299) and arch.info("lenet5").input_size == (1, 32, 32)


def test_unknown_network_lists_the_choices():
    with pytest.raises(BadInput, match=r"Unknown network 'lenet7'\. Choose one of: lenet5, lenet5_keras, alexnet"):
        arch.info("lenet7")
    with pytest.raises(BadInput, match="Unknown network"):
        arch.info(["resnet18"])


def test_untrained_builders_allocate_nothing_on_meta():
    with torch.device("meta"):
        resnet18 = torchvision_architecture("resnet18")()
    assert next(resnet18.parameters()).device.type == "meta"
    assert unique_params(resnet18) == 11_689_512, "torchvision's num_params for ResNet-18"
    with torch.device("meta"):
        detector = fasterrcnn_resnet50_fpn_v1()
    assert unique_params(detector) == 41_755_286
    frozen = sum(p.numel() for p in detector.parameters() if not p.requires_grad)
    assert frozen == 222_400, "conv1 and layer1 frozen (trainable_layers=3); frozen batch norm holds buffers only"
