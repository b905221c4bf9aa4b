"""Scores of the cloud classifier on a set of photographs: accuracy and confusion matrices,
for the 11 genera and for the groups the daemon reports.

A photograph filed under several genera counts as right when the prediction is any of them.
In a confusion matrix its true row is the predicted class when that is one of its labels,
otherwise its first label.
"""
import numpy as np

from cloud_data import GENERA


def group_of(groups):
    """Genus -> group name."""
    return {genus: name for name, members in groups.items() for genus in members}


def labels_of(photo, groups):
    """The genera and the groups one photograph is filed under."""
    genus_group = group_of(groups)
    names = list(groups)
    group_labels = []
    for genus in photo.genera:
        if genus_group[genus] not in group_labels:
            group_labels.append(genus_group[genus])
    return photo.genera, sorted(group_labels, key=names.index)


def score(predicted, label_sets, classes):
    """Accuracy (0..1) and confusion matrix (rows true, columns predicted) of class indices."""
    matrix = np.zeros((len(classes), len(classes)), dtype=np.int64)
    correct = 0
    for guess, labels in zip(predicted, label_sets):
        name = classes[guess]
        hit = name in labels
        correct += hit
        truth = name if hit else labels[0]
        matrix[classes.index(truth), guess] += 1
    return correct / max(1, len(label_sets)), matrix


def evaluate(genus_probs, group_probs, photographs, groups):
    """Genus and group accuracy and confusion matrices for probabilities in photograph order."""
    genus_sets, group_sets = zip(*(labels_of(photo, groups) for photo in photographs))
    genus_accuracy, genus_matrix = score(genus_probs.argmax(1), genus_sets, GENERA)
    group_accuracy, group_matrix = score(group_probs.argmax(1), group_sets, list(groups))
    return {
        "genus_accuracy": genus_accuracy,
        "genus_matrix": genus_matrix,
        "group_accuracy": group_accuracy,
        "group_matrix": group_matrix,
    }


def within_group_error_share(genus_matrix, groups):
    """Of the genus errors, the share that stays inside one group (0..1)."""
    genus_group = group_of(groups)
    errors = inside = 0
    for row, truth in enumerate(GENERA):
        for column, guess in enumerate(GENERA):
            if row == column:
                continue
            errors += genus_matrix[row, column]
            if genus_group[truth] == genus_group[guess]:
                inside += genus_matrix[row, column]
    return inside / max(1, errors)


def markdown_matrix(matrix, classes):
    """A confusion matrix as a Markdown table: rows true, columns predicted."""
    lines = ["| true \\ predicted | " + " | ".join(classes) + " | recall |"]
    lines.append("|" + " --- |" * (len(classes) + 2))
    for row, name in enumerate(classes):
        total = matrix[row].sum()
        recall = f"{matrix[row, row] / total:.0%}" if total else "-"
        cells = " | ".join(str(int(v)) for v in matrix[row])
        lines.append(f"| **{name}** | {cells} | {recall} |")
    return "\n".join(lines)
