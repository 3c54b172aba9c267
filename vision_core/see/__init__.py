"""What a network sees: first-layer filters, feature maps, occlusion, Grad-CAM and saliency.

The lecture's "Visualization" part (Zeiler & Fergus 2014; Simonyan et al. 2014; Selvaraju et al.
2017), on the embedded EfficientNet-Lite0 and VGG-16 conv layers and on any ImageNet classifier.
Photos are ``(H, W, 3)`` uint8 RGB; networks are passed in (``net=``), never loaded here.

- ``filters``: first-layer kernels as RGB tiles.
- ``feature_maps``: any layer's activations for a photo.
- ``attributions``: occlusion, Grad-CAM and saliency maps, and one grey square's effect.
- ``neurons``: what one channel wants — activation maximisation, its top-9 patches, a deconvnet/guided reconstruction.
- ``agreement``: do the attribution maps agree — Spearman's ρ and the top-k % overlap on a common grid.
"""

from vision_core.ops.draw import colourise, overlay_heatmap
from vision_core.ops.tiling import Grid, tile_grid
from vision_core.see.agreement import MapAgreement, agreement, overlap_picture, pool_to_grid, spearman, top_cells, top_k_overlap
from vision_core.see.attributions import (
    CLASS_OPTIONS,
    TOP_PREDICTION,
    Attribution,
    Occluded,
    occluded_prediction,
    class_index,
    describe,
    grad_cam,
    occlusion_map,
    occlusion_passes,
    option_target,
    saliency_map,
)
from vision_core.see.feature_maps import FeatureMaps, LayerChoice, channel_image, feature_grid, feature_layers, feature_maps
from vision_core.see.filters import VISUAL_MODELS, FilterGrid, first_layer_filters
from vision_core.see.neurons import (
    MaxStep,
    Patch,
    Reconstruction,
    channel_count,
    maximise_channel,
    neuron_layers,
    patch_grid,
    receptive_box,
    reconstruct,
    top_patches,
)


__all__ = [
    "MapAgreement",
    "agreement",
    "overlap_picture",
    "pool_to_grid",
    "spearman",
    "top_cells",
    "top_k_overlap",
    "Attribution",
    "CLASS_OPTIONS",
    "TOP_PREDICTION",
    "FeatureMaps",
    "FilterGrid",
    "Grid",
    "LayerChoice",
    "MaxStep",
    "Patch",
    "Reconstruction",
    "Occluded",
    "VISUAL_MODELS",
    "channel_image",
    "class_index",
    "colourise",
    "describe",
    "feature_grid",
    "feature_layers",
    "feature_maps",
    "first_layer_filters",
    "channel_count",
    "grad_cam",
    "maximise_channel",
    "neuron_layers",
    "receptive_box",
    "reconstruct",
    "top_patches",
    "occlusion_map",
    "occluded_prediction",
    "occlusion_passes",
    "option_target",
    "patch_grid",
    "overlay_heatmap",
    "saliency_map",
    "tile_grid",
]
