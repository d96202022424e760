"""Correcting the figure model's output by hand in Label Studio, and keeping the corrections.

config.py   the labeling config (QTY/ITEM spans, QTY -> ITEM relations, a field per region)
convert.py  spans <-> Label Studio results; a Label Studio export -> gold documents
client.py   a thin wrapper over the Label Studio SDK (push tasks, pull annotations)
store.py    stand-off annotation records in annotations/ (sha256 + offsets + labels, no text)
tasks.py    report files -> Label Studio tasks with the current model's predictions
"""
