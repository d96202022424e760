"""Correcting the figure model's output by hand in Label Studio, and keeping the corrections.

config.py        the labeling config (QTY/ITEM spans, counts relations, a field and value per QTY)
instructions.py  the project's instructions in Chinese (the guideline, the field table)
convert.py       spans <-> Label Studio results; typed values read by the rule layer; export -> gold
client.py        a thin wrapper over the Label Studio SDK; one-line errors without the token
store.py         stand-off annotation records in annotations/ (sha256 + offsets + labels, no text)
tasks.py         reports -> tasks with the model's predictions (one code path for push and serve)
display.py       the text as shown: a table printed one cell a line as rows, the same offsets
server.py        start a local Label Studio (`xxgk annotate setup`, the tests)
backend.py       the ML backend Label Studio connects to (`xxgk annotate serve`)
"""
