"""Images, sample photos and data sets in and out: safe decoding, the bundled samples, MNIST/LFW/digits."""
