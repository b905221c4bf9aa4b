"""The text of models/clouds/MODEL_CARD.md, filled from one training run."""
from cloud_data import DUPLICATE_DISTANCE_MAX, GENERA
from cloud_eval import markdown_matrix, within_group_error_share
from cloud_model import MEAN, STD


def card_text(c):
    args, scores, groups = c["args"], c["scores"], c["groups"]
    multi = sum(1 for photo in c["photographs"] if len(photo.genera) > 1)
    copies = len(c["files"]) - len(c["photographs"])
    inside = within_group_error_share(scores["genus_matrix"], groups)
    group_lines = "\n".join(f"| {name} | {', '.join(members)} |" for name, members in groups.items())
    pil, timing = c["pil"], c["timing"]
    chance = max(sum(1 for p in c["heldout"] if p.genera[0] in m) for m in groups.values()) / len(c["heldout"])
    last = c["history"][-1]["epoch"]
    grouping_lines = "\n".join(
        f"| {g['label']} | {g['accuracy']:.1%} | {g['inside']:.0%} | {g['largest']:.1%} |" for g in c["grouping"]
    )

    return f"""# Cloud-type classifier: model card

`cloud-classifier.onnx` ({c['model_bytes'] / 1024:.0f} KiB, {c['parameters']:,} parameters), trained by
`tools/train-cloud-classifier.py` on CCSN. This file is written by that script; do not edit by hand.

## What it says

Probabilities (summing to 1) over five groups of cloud genera, and over the 11 genera behind them.
Clear sky is not a class: cover comes from pixels (`src/vision/cloud-cover.ts`); on a clear
frame these probabilities mean nothing, and the daemon should weigh them by cover.

| group | CCSN genera |
| --- | --- |
{group_lines}

Why these groups: the music needs a handful of textures, not eleven genera, and the genera
the network cannot tell apart should not be told apart to the composer. The groups were chosen
on the validation photographs' genus confusion of a first run (96x96, WMO-family groups;
that run's card also printed its held-out figures, so the held-out set was not unseen by
whoever chose, but the choice rests on the validation numbers): St, Sc, Ns and As are taken for one another (grey layers, one
overcast texture), and so are Ac, Cc, Ci and Cs (thin cloud with the sky showing through:
dappled or fibrous, one airy texture), much more than across those two sets. Cu (fair-weather
heaps) is kept apart from Cb though the network often takes Cb for Cu, because a storm is
musically different; Ct is kept because it is told apart well. On this run's validation
photographs the candidate groupings score:

| grouping | group accuracy | genus errors inside a group | always the largest group |
| --- | --- | --- | --- |
{grouping_lines}

On the held-out photographs, {inside:.0%} of the genus errors stay inside a group.

## Data

CCSN (Zhang et al. 2018, doi:10.7910/DVN/CADDPD, CC0 1.0): {len(c['files'])} files of 224x224 in
{len(GENERA)} genus folders. The same photograph is often filed more than once (in two
genera, or twice in one): files with the same bytes, or whose 12x12 grey thumbnails differ by
less than {DUPLICATE_DISTANCE_MAX} (mean absolute, 0..255), are one photograph. That gives
{len(c['photographs'])} photographs ({copies} extra copies; {multi} photographs under two or more genera).
All copies stay on one side of the split. Split by photograph, stratified by first genus, seed {args.seed}:
{len(c['train'])} training, {len(c['val'])} validation (early stopping), {len(c['heldout'])} held out
(`heldout.txt`, never used for any choice). A photograph under several genera has an equal
target on each, and counts as right when the prediction is any of them.

## Preprocessing (exact)

1. Decode to 8-bit RGB (sharp/libvips; for CCSN JPEGs, `sharp(file).removeAlpha().raw()`).
2. Take the largest centred square (left = floor((w - side) / 2), same for top).
3. Resize it to {args.size}x{args.size} with sharp `resize(size, size, {{ kernel: 'lanczos3', fit: 'fill' }})`.
4. Lay out as float32 NCHW, channels R, G, B, values 0..255 (no scaling).
5. Inside the graph: x / 255, minus mean {MEAN}, over std {STD} (RGB), then the network,
   softmax over genera (output `genus_probabilities`, 1x11, genus order {', '.join(GENERA)}), and
   their sums into groups (output `group_probabilities`, 1x{len(groups)}, order as in the table).

Steps 2-4 are `src/vision/cloud-preprocess.ts`. Training does not reimplement them: its pixels
are written by that same code (`tools/cloud-classifier-pixels.ts`), so the run-time input is
byte for byte the training input. For comparison, PIL's LANCZOS resize instead of sharp's
differs by {pil['mean_abs']:.2f} on average (at most {pil['max_abs']}) per byte and gives
{pil['group_accuracy']:.1%} group / {pil['genus_accuracy']:.1%} genus accuracy on the held-out set.

## Model and training

A plain CNN from scratch (no pretrained weights can be downloaded here): 3x3 conv + batch
norm + ReLU stages of 16 (stride 2), 32, 64, 96 and 128 channels with 2x2 max pooling
between, global average, dropout 0.3, one linear layer. AdamW (lr 3e-3, weight decay 5e-4,
cosine over {args.epochs} epochs), batch 64, soft cross-entropy. Augmentation on the {args.size}x{args.size}
pixels: random crop of 60-100% of the area, turn up to 10 degrees, left-right flip,
brightness, contrast and saturation up to 15%. Early stopping on validation group accuracy
(patience {args.patience}): best epoch {c['best_epoch']} of {last} run. Seeds fixed, deterministic
kernels, {args.threads} threads; the run took {c['train_minutes']:.1f} minutes on this machine. ONNX opset 13.

## Held-out results ({len(c['heldout'])} photographs)

Group accuracy **{scores['group_accuracy']:.1%}** (always answering the largest group: {chance:.1%}).
Genus accuracy **{scores['genus_accuracy']:.1%}** (chance about {1 / len(GENERA):.0%}).

Groups (rows true, columns predicted):

{markdown_matrix(scores['group_matrix'], list(groups))}

Genera:

{markdown_matrix(scores['genus_matrix'], GENERA)}

## Speed

{speed_text(timing)}

## Limits

- CCSN photographs are mostly framed on the cloud, in daylight; a wide camera frame with
  ground, buildings, night, rain on the lens or the sun in view is outside what it has seen.
- Only the centred square of a frame is looked at.
- CCSN labels are noisy (photographs filed under two genera, some under unlikely pairs);
  accuracy is measured against those labels.
- Trained on about {len(c['train'])} photographs: expect it to be unsure, and treat the
  probabilities as a hint for the music, not as observation.
"""


def speed_text(timing):
    if not timing:
        return "Not measured in this run (`node --import tsx tools/cloud-classifier-timing.ts` failed)."
    return (f"In the worker thread (onnxruntime-node, one intra-op thread), over {timing['frames']} frames on "
            f"this machine (2 shared cores): inference {timing['inferenceMsMedian']:.1f} ms median "
            f"({timing['inferenceMsP95']:.1f} ms 95th percentile); with sharp's preprocessing, a whole "
            f"`classify()` call takes {timing['classifyMsMedian']:.1f} ms median. Design goal: under 15 ms "
            f"per frame on one core. Measured by `tools/cloud-classifier-timing.ts`.")
