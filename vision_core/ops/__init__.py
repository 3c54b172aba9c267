"""Operators, each written once: convolution and pooling, upsampling, shape arithmetic, pixels, boxes, drawing, tiling."""
