"""The course map: every page, its section and what it teaches, in course order."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageInfo:
    """One page: ``script`` under ``pages/``, its URL path, title, icon and one-line summary."""

    script: str
    title: str
    icon: str
    section: str
    summary: str

    @property
    def url_path(self) -> str:
        return self.script.removesuffix(".py")


SECTIONS: tuple[str, ...] = (
    "Images",
    "Convolution",
    "CNN architectures",
    "What networks see",
    "Beyond classification",
    "Generative",
    "Classic CV",
    "Classroom",
)

PAGES: tuple[PageInfo, ...] = (
    PageInfo("home.py", "Home", "🏠", "Images", "The course map and what this machine offers."),
    PageInfo("history.py", "A short history", "🕰️", "Images",
             "From the first photograph (1826) to ResNet: the lecture's timeline and ImageNet's error by year."),
    PageInfo("digital_images.py", "Digital images", "🔢", "Images",
             "Pixels as numbers: channels, grey levels, sampling and quantization."),
    PageInfo("convolution.py", "Convolution playground", "🧮", "Convolution",
             "Type a kernel, watch it sweep your photo, and check every multiply-add."),
    PageInfo("output_size.py", "Stride, padding and output size", "📐", "Convolution",
             "W2 = (W − F + 2P)/S + 1, parameters and receptive fields, animated."),
    PageInfo("upsampling.py", "Upsampling lab", "🔍", "Convolution",
             "Unpooling, max-unpooling and transposed convolution, value by value."),
    PageInfo("architectures.py", "Architecture explorer", "🏛️", "CNN architectures",
             "LeNet-5 to DenseNet layer by layer: shapes, parameters, FLOPs, what-if edits."),
    PageInfo("classify.py", "Classify a photo", "🏷️", "What networks see",
             "Top-5 ImageNet classes for your photo, with the preprocessing shown."),
    PageInfo("inside_network.py", "Inside the network", "🔬", "What networks see",
             "Filters, feature maps, occlusion and Grad-CAM on your photo."),
    PageInfo("transfer_learning.py", "Transfer learning", "🔁", "What networks see",
             "Hand-made features versus pretrained CNN features, and your own classes."),
    PageInfo("train_cnn.py", "Train a CNN", "🏋️", "What networks see",
             "Train LeNet-5 on MNIST live, then draw a digit for it."),
    PageInfo("localisation.py", "Classification + localisation", "🎯", "Beyond classification",
             "One object: its class and its box as 4 numbers, softmax + L2 loss, trained live."),
    PageInfo("detection.py", "Object detection", "📦", "Beyond classification",
             "Boxes from real detectors, IoU, NMS step by step, YOLO's grid."),
    PageInfo("segmentation.py", "Segmentation", "🎭", "Beyond classification",
             "Per-pixel classes and instance masks; FCN and U-Net shapes."),
    PageInfo("autoencoders.py", "Autoencoders", "🗜️", "Beyond classification",
             "Encoder–decoder trained live: a 2-D latent space, denoising, the checkerboard artefact."),
    PageInfo("pose.py", "Pose and keypoints", "🤸", "Beyond classification",
             "Skeletons and face landmarks; the lecture's 14 joints."),
    PageInfo("captioning.py", "Image captioning", "💬", "Beyond classification",
             "CNN encoder, LSTM with attention: a toy trained live on digit scenes, decoded word by word."),
    PageInfo("gan_faces.py", "GAN face sampler", "🎲", "Generative",
             "Faces that do not exist: seeds, latent walks, truncation."),
    PageInfo("gan_train.py", "Watch a GAN train", "⚔️", "Generative",
             "Generator against discriminator on MNIST and a 2-D toy, live."),
    PageInfo("style_transfer.py", "Neural style transfer", "🎨", "Generative",
             "Gatys optimisation you can watch, and real-time fast style."),
    PageInfo("classic_cv.py", "Before deep learning", "🧭", "Classic CV",
             "Viola–Jones, template matching, SIFT mosaics, bag of visual words."),
    PageInfo("classroom.py", "Classroom", "🎓", "Classroom",
             "Join a class, open a challenge, submit; the teacher's table of best scores."),
)
