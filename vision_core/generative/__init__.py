"""Generative models: GAN faces from the embedded DCGAN, and GANs trained live (MNIST and 2-D toys)."""
