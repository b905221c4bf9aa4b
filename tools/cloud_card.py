"""Writes what the training leaves in models/clouds/: the ONNX file, its description, the
held-out list, reference probabilities for the TypeScript test, and (cloud_card_text) the card."""
import json
import os
import subprocess

import numpy as np
import onnx
import torch
from PIL import Image

from cloud_card_text import card_text
from cloud_data import GENERA
from cloud_eval import evaluate, labels_of
from cloud_model import Exported

MODEL_FILE = "cloud-classifier.onnx"
INPUT_NAME = "image"
OUTPUT_NAMES = ["genus_probabilities", "group_probabilities"]
# Held-out photographs whose probabilities the TypeScript test must reproduce.
REFERENCE_COUNT = 3


def write_outputs(net, context):
    out = context["args"].out
    os.makedirs(out, exist_ok=True)
    exported = Exported(net.eval(), torch.from_numpy(context["group_matrix"])).eval()
    size = context["args"].size

    path = os.path.join(out, MODEL_FILE)
    torch.onnx.export(
        exported, torch.zeros(1, 3, size, size), path, opset_version=13,
        input_names=[INPUT_NAME], output_names=OUTPUT_NAMES,
        dynamic_axes={INPUT_NAME: {0: "batch"}, OUTPUT_NAMES[0]: {0: "batch"}, OUTPUT_NAMES[1]: {0: "batch"}},
    )
    onnx.checker.check_model(onnx.load(path))
    context["model_bytes"] = os.path.getsize(path)
    context["parameters"] = sum(p.numel() for p in net.parameters())

    write_description(context)
    write_heldout(context)
    write_reference(exported, context)
    context["pil"] = compare_pil_resize(exported, context)
    context["timing"] = measure_timing(context)


def write_description(context):
    scores, groups = context["scores"], context["groups"]
    description = {
        "model": MODEL_FILE,
        "input": {"name": INPUT_NAME, "size": context["args"].size, "layout": "NCHW",
                  "channels": "RGB", "values": "float32 0..255"},
        "outputs": {"genus": OUTPUT_NAMES[0], "group": OUTPUT_NAMES[1]},
        "genera": GENERA,
        "groups": groups,
        "heldout": {"photographs": len(context["heldout"]),
                    "groupAccuracy": round(scores["group_accuracy"], 4),
                    "genusAccuracy": round(scores["genus_accuracy"], 4)},
    }
    with open(os.path.join(context["args"].out, "cloud-classifier.json"), "w") as file:
        json.dump(description, file, indent=2)
        file.write("\n")


def write_heldout(context):
    files, groups = context["files"], context["groups"]
    lines = ["# Held-out CCSN photographs, never seen in training or validation.",
             "# path (relative to the ccsn folder, first copy)<TAB>genera<TAB>groups;",
             "# a photograph filed under several genera lists them all: any one counts as right."]
    for photo in context["heldout"]:
        genera, group_labels = labels_of(photo, groups)
        lines.append(f"{files[photo.path]}\t{','.join(genera)}\t{','.join(group_labels)}")
    with open(os.path.join(context["args"].out, "heldout.txt"), "w") as file:
        file.write("\n".join(lines) + "\n")


def write_reference(exported, context):
    chosen = context["heldout"][:: max(1, len(context["heldout"]) // REFERENCE_COUNT)][:REFERENCE_COUNT]
    images = context["pixels"][[photo.path for photo in chosen]]
    with torch.no_grad():
        genus, group = exported(torch.from_numpy(images).permute(0, 3, 1, 2).float())
    reference = [
        {"path": context["files"][photo.path],
         "genus": [round(float(v), 6) for v in genus[row]],
         "group": [round(float(v), 6) for v in group[row]]}
        for row, photo in enumerate(chosen)
    ]
    with open(os.path.join(context["args"].out, "reference.json"), "w") as file:
        json.dump({"note": "probabilities from PyTorch on the pixels of src/vision/cloud-preprocess.ts",
                   "photographs": reference}, file, indent=2)
        file.write("\n")


def compare_pil_resize(exported, context):
    """Held-out accuracy when PIL's LANCZOS resize replaces sharp's, and how far the pixels differ."""
    size, heldout = context["args"].size, context["heldout"]
    pil = np.stack([
        np.asarray(Image.open(os.path.join(context["args"].ccsn, context["files"][photo.path]))
                   .convert("RGB").resize((size, size), Image.LANCZOS))
        for photo in heldout
    ])
    sharp_pixels = context["pixels"][[photo.path for photo in heldout]]
    with torch.no_grad():
        genus, group = exported(torch.from_numpy(pil).permute(0, 3, 1, 2).float())
    scores = evaluate(genus.numpy(), group.numpy(), heldout, context["groups"])
    difference = np.abs(pil.astype(np.int16) - sharp_pixels.astype(np.int16))
    return {"group_accuracy": scores["group_accuracy"], "genus_accuracy": scores["genus_accuracy"],
            "mean_abs": float(difference.mean()), "max_abs": int(difference.max())}


def measure_timing(context):
    """Per-frame time of the TypeScript classifier in its worker (tools/cloud-classifier-timing.ts)."""
    command = ["node", "--import", "tsx", "tools/cloud-classifier-timing.ts",
               os.path.join(context["args"].out, MODEL_FILE), os.path.abspath(context["args"].ccsn)]
    try:
        done = subprocess.run(command, cwd=context["repo_dir"], check=True, capture_output=True, text=True)
        return json.loads(done.stdout.strip().split("\n")[-1])
    except (subprocess.CalledProcessError, ValueError) as error:
        print(f"timing not measured: {error}")
        return None


def write_card(context):
    with open(os.path.join(context["args"].out, "MODEL_CARD.md"), "w") as file:
        file.write(card_text(context))
