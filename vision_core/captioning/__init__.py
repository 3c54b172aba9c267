"""Image captioning: a toy encoder–decoder (CNN → attention LSTM) trained live on scenes the app draws itself.

- ``scenes``: captioned scenes of two MNIST digits (``make_scenes``, ``compose_scene``, ``caption_for``).
- ``vocab``: ``Vocabulary`` with ``<pad>``, ``<start>``, ``<end>``.
- ``encoder``: the frozen EfficientNet-Lite0 feature grid (``encode_scenes``, ``Features``).
- ``decoder``: Show, Attend and Tell's LSTM with soft attention (``AttendTell``, ``caption_loss``).
- ``decoding``: ``greedy``, ``beam_search``, ``greedy_batch``, ``top_words``.
- ``metrics``: exact match, word accuracy, BLEU-1, the most-frequent-caption baseline.
- ``training``: ``train_captioner`` (a generator of ``CaptionProgress`` for ``ui.jobs``), ``captioner_from``.
- ``maps``: each word's attention over the scene, upsampled and overlaid.
- ``photo``: a real captioner (BLIP, ``vision_core.models.captioning``) on a photo.
"""

from vision_core.captioning.decoder import AttendTell, DecoderShape, caption_loss
from vision_core.captioning.decoding import MAX_LEN, Decoded, beam_search, greedy, greedy_batch, top_words
from vision_core.captioning.encoder import ENCODER, ENCODER_LAYER, Features, encode_scenes, encoder_input, encoder_preprocessing
from vision_core.captioning.maps import attention_grid, attention_overlays, attention_strip
from vision_core.captioning.metrics import (
    CaptionScores,
    bleu1,
    exact_match,
    most_frequent_caption,
    score_captions,
    word_accuracy,
)
from vision_core.captioning.photo import PhotoCaption, caption_photo
from vision_core.captioning.scenes import (
    CANVAS,
    LAYOUTS,
    RELATIONS,
    SIZES,
    SPLITS,
    Scene,
    SceneSet,
    caption_for,
    compose_scene,
    digit_pool,
    make_scenes,
)
from vision_core.captioning.training import CaptionConfig, CaptionProgress, Captioner, captioner_from, train_captioner
from vision_core.captioning.vocab import END, PAD, SPECIALS, START, Vocabulary

__all__ = [
    "AttendTell", "CANVAS", "CaptionConfig", "CaptionProgress", "CaptionScores", "Captioner", "Decoded",
    "DecoderShape", "END", "ENCODER", "ENCODER_LAYER", "Features", "LAYOUTS", "MAX_LEN", "PAD", "PhotoCaption",
    "RELATIONS", "SIZES", "SPECIALS", "SPLITS", "START", "Scene", "SceneSet", "Vocabulary", "attention_grid",
    "attention_overlays", "attention_strip", "beam_search", "bleu1", "caption_for", "caption_loss",
    "caption_photo", "captioner_from", "compose_scene", "digit_pool", "encode_scenes", "encoder_input",
    "encoder_preprocessing", "exact_match", "greedy", "greedy_batch", "make_scenes", "most_frequent_caption",
    "score_captions", "top_words", "train_captioner", "word_accuracy",
]
