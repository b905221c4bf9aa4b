"""The cloud classifier network, its training augmentation, and the exported graph.

The network is a plain small CNN (no pretrained weights can be downloaded here). The
exported graph takes float32 RGB 0..255 (NCHW) and holds the normalisation, the softmax
and the sum of genus probabilities into groups, so the caller only lays out pixels.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

# Per-channel mean and deviation of CCSN at the input size (RGB, 0..1), rounded.
MEAN = (0.48, 0.52, 0.56)
STD = (0.26, 0.24, 0.25)


def conv(inputs, outputs, stride=1):
    return nn.Sequential(
        nn.Conv2d(inputs, outputs, 3, stride=stride, padding=1, bias=False),
        nn.BatchNorm2d(outputs),
        nn.ReLU(inplace=True),
    )


class CloudNet(nn.Module):
    """Five 3x3 conv stages (16..128 channels) to a global average, then one linear layer."""

    def __init__(self, classes):
        super().__init__()
        self.features = nn.Sequential(
            conv(3, 16, stride=2),
            conv(16, 32), nn.MaxPool2d(2),
            conv(32, 64), nn.MaxPool2d(2),
            conv(64, 96), nn.MaxPool2d(2),
            conv(96, 128),
        )
        self.dropout = nn.Dropout(0.3)
        self.head = nn.Linear(128, classes)

    def forward(self, x):
        x = self.features(x).mean((2, 3))
        return self.head(self.dropout(x))


def normalise(rgb255):
    mean = torch.tensor(MEAN, dtype=rgb255.dtype).view(1, 3, 1, 1)
    std = torch.tensor(STD, dtype=rgb255.dtype).view(1, 3, 1, 1)
    return (rgb255 / 255.0 - mean) / std


def augment(batch, generator):
    """Random crop (60-100% of the side), turn (up to 10 degrees), left-right flip and
    colour jitter (brightness, contrast, saturation up to 15%) of a float 0..255 batch."""
    count = batch.shape[0]

    def uniform(low, high):
        return low + (high - low) * torch.rand(count, generator=generator)

    scale = uniform(0.6, 1.0).sqrt()
    angle = uniform(-10, 10) * math.pi / 180
    flip = torch.where(torch.rand(count, generator=generator) < 0.5, -1.0, 1.0)
    shift_x = uniform(-1, 1) * (1 - scale)
    shift_y = uniform(-1, 1) * (1 - scale)
    theta = torch.zeros(count, 2, 3)
    theta[:, 0, 0] = scale * torch.cos(angle) * flip
    theta[:, 0, 1] = -scale * torch.sin(angle)
    theta[:, 1, 0] = scale * torch.sin(angle) * flip
    theta[:, 1, 1] = scale * torch.cos(angle)
    theta[:, 0, 2] = shift_x
    theta[:, 1, 2] = shift_y
    grid = F.affine_grid(theta, batch.shape, align_corners=False)
    batch = F.grid_sample(batch, grid, mode="bilinear", padding_mode="reflection", align_corners=False)

    brightness = uniform(0.85, 1.15).view(-1, 1, 1, 1)
    contrast = uniform(0.85, 1.15).view(-1, 1, 1, 1)
    saturation = uniform(0.85, 1.15).view(-1, 1, 1, 1)
    batch = batch * brightness
    mean = batch.mean((1, 2, 3), keepdim=True)
    batch = (batch - mean) * contrast + mean
    grey = batch.mean(1, keepdim=True)
    batch = (batch - grey) * saturation + grey
    return batch.clamp(0, 255)


class Exported(nn.Module):
    """What goes into the ONNX file: normalise, classify, softmax, sum genera into groups."""

    def __init__(self, net, group_matrix):
        super().__init__()
        self.net = net
        self.register_buffer("group_matrix", group_matrix)

    def forward(self, image):
        genus = F.softmax(self.net(normalise(image)), dim=1)
        return genus, genus @ self.group_matrix
