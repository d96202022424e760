"""The Label Studio labeling config for correcting narrative figures (spec/annotation.md).

An annotator sees the report text and can move, delete or add `QTY`/`ITEM` spans, draw a relation
from a QTY to the ITEM it counts, pick a field for a QTY region, and optionally type the QTY's
normalised value when the rule layer gets it wrong ("12000 条", "4147 条 约").
"""
from __future__ import annotations

from xml.sax.saxutils import quoteattr

from ..figures.fields import FIELDS  # the 22 fields of spec/annotation.md, in its order
from ..figures.labels import SPAN_LABELS

# Names of the config's tags; results refer to them as from_name / to_name.
TEXT = "text"
SPANS = "label"
FIELD = "field"
VALUE = "value"

_COLORS = {"QTY": "#e8590c", "ITEM": "#1c7ed6"}


def labeling_config(fields: tuple[str, ...] = FIELDS) -> str:
    """The XML config: span labels, relations, and per-region field choice and value text."""
    labels = "\n".join(f'    <Label value="{name}" background="{_COLORS[name]}"/>'
                       for name in SPAN_LABELS)
    choices = "\n".join(f"    <Choice value={quoteattr(f)}/>" for f in fields)
    return f"""<View>
  <Header value="Narrative figures: QTY = a quantity, ITEM = what it counts (spec/annotation.md)"/>
  <Relations>
    <Relation value="counts"/>
  </Relations>
  <Labels name="{SPANS}" toName="{TEXT}">
{labels}
  </Labels>
  <Text name="{TEXT}" value="$text" granularity="symbol"/>
  <View visibleWhen="region-selected" whenLabelValue="QTY">
    <Header value="Field of this QTY (leave empty when none fits)"/>
    <Choices name="{FIELD}" toName="{TEXT}" perRegion="true" choice="single" showInline="false">
{choices}
    </Choices>
    <Header value="Value, only if the rule layer's is wrong: number and unit, 约 if approximate"/>
    <TextArea name="{VALUE}" toName="{TEXT}" perRegion="true" maxSubmissions="1" rows="1"/>
  </View>
</View>
"""
