"""Deep Vision Lab's computation: plain, typed functions with no UI code.

Conventions: images are ``(H, W, 3)`` uint8 RGB numpy arrays; boxes are ``xyxy``
in input-image pixels; errors meant for a person are ``ValueError`` subclasses
with a readable message.
"""

__version__ = "0.1.0"
