"""Autoencoders and the encoder–decoder: a convolutional autoencoder with a 2-D latent space trained live
on MNIST-5k, its two decoders (transposed convolution versus upsample + convolution) and a denoiser.

- ``networks``: ``Encoder``, ``Decoder``, ``TwinAutoencoder`` (one encoder, both decoders), ``Denoiser``,
  ``upsampling_stack``, ``DECODERS``.
- ``training``: ``AutoencoderConfig``, ``train_autoencoders`` (seeded, stoppable, yields
  ``AutoencoderProgress``), ``networks_from``, ``digit_split``, ``held_out_digits``, ``add_noise``.
- ``latent``: ``encode``, ``decode``, ``reconstruct``, ``reconstructions``, ``latent_map`` (kNN on the
  2-D codes), ``manifold`` (a decoded grid), ``mean_digit_mse``, ``digit_rows``.
- ``denoising``: ``noisy_digits``, ``denoise``, ``psnr``.
- ``checkerboard``: ``nyquist_share``, ``periodic_share``, ``flat_response``, ``checkerboard_report``.
"""

from vision_core.autoencoders.checkerboard import (
    CheckerboardReport,
    checkerboard_report,
    flat_response,
    flat_response_image,
    nyquist_share,
    periodic_share,
)
from vision_core.autoencoders.denoising import DenoiseResult, denoise, noisy_digits, psnr
from vision_core.autoencoders.latent import (
    LatentMap,
    Reconstructions,
    as_codes,
    decode,
    digit_rows,
    encode,
    knn_accuracy,
    latent_map,
    manifold,
    mean_digit_mse,
    reconstruct,
    reconstructions,
)
from vision_core.autoencoders.networks import (
    DECODER_TITLES,
    DECODERS,
    LATENT,
    Decoder,
    Denoiser,
    Encoder,
    TwinAutoencoder,
    upsampling_stack,
)
from vision_core.autoencoders.training import (
    EVAL_NOISE,
    NETS,
    AutoencoderConfig,
    AutoencoderProgress,
    CurvePoint,
    add_noise,
    digit_split,
    digits_to_tensor,
    held_out_digits,
    networks_from,
    tensor_to_digits,
    train_autoencoders,
)

__all__ = [
    "DECODERS",
    "DECODER_TITLES",
    "EVAL_NOISE",
    "LATENT",
    "NETS",
    "AutoencoderConfig",
    "AutoencoderProgress",
    "CheckerboardReport",
    "CurvePoint",
    "Decoder",
    "DenoiseResult",
    "Denoiser",
    "Encoder",
    "LatentMap",
    "Reconstructions",
    "TwinAutoencoder",
    "add_noise",
    "as_codes",
    "checkerboard_report",
    "decode",
    "denoise",
    "digit_rows",
    "digit_split",
    "digits_to_tensor",
    "encode",
    "flat_response",
    "flat_response_image",
    "held_out_digits",
    "knn_accuracy",
    "latent_map",
    "manifold",
    "mean_digit_mse",
    "networks_from",
    "noisy_digits",
    "nyquist_share",
    "periodic_share",
    "psnr",
    "reconstruct",
    "reconstructions",
    "tensor_to_digits",
    "train_autoencoders",
    "upsampling_stack",
]
