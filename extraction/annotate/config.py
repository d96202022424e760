"""The Label Studio labeling config for correcting narrative figures (spec/annotation.md).

An annotator sees the report text with the figure panel beside it: span labels above, and for a
selected QTY its field (each of the 22 shown by its Chinese name, its definition on hover; the key
is what is stored) and its value, prefilled with what the rule layer read ("约4147条"), to be
changed only when that is wrong. Relations QTY -> ITEM carry the label "counts".
"""
from __future__ import annotations

from xml.sax.saxutils import quoteattr

from ..figures.fields import FIELD_TABLE, FIELDS  # noqa: F401  (FIELDS: the 22 fields: key, Chinese name, definition
from ..figures.labels import SPAN_LABELS
from .display import SHOWN

# Names of the config's tags; results refer to them as from_name / to_name.
TEXT = "text"
SPANS = "label"
FIELD = "field"
VALUE = "value"
RELATION = "counts"

_COLORS = {"QTY": "#e8590c", "ITEM": "#1c7ed6"}
_HINTS = {"QTY": "数量：从第一个数字到量词/单位（含余、多）", "ITEM": "事项：该数量所计的最短名称"}
# Label Studio draws a relation as a bar 18 px above its regions' tops, with its label (20 px
# high) centred on the bar: a line with regions needs ~30 px free above its text, or the arc
# covers the line above; other lines stay compact. Tabs (table cells, display.py) and spaces are
# shown as printed.
_STYLE = (".lsf-richtext__line { white-space: pre-wrap; tab-size: 2em; line-height: 1.75; } "
          ".lsf-richtext__line:has(.htx-highlight) { line-height: 52px; padding-top: 16px; }")


def labeling_config(fields=FIELD_TABLE) -> str:
    """The XML config: span labels, relations, and per-region field choice and value text."""
    labels = "\n".join(f'    <Label value="{name}" background="{_COLORS[name]}" '
                       f"hint={quoteattr(_HINTS[name])}/>" for name in SPAN_LABELS)
    choices = "\n".join(f"        <Choice value={quoteattr(name)} alias={quoteattr(key)} "
                        f"hint={quoteattr(definition)}/>" for key, name, definition in fields)
    return f"""<View>
  <Style>{_STYLE}</Style>
  <Header value="标出数量（QTY）和它所计的事项（ITEM）；关系：选中 QTY，按 Alt+R（或区域详情里的 Create Relation），再点它的 ITEM。选中 QTY 后在右侧核对数值、选字段。说明见页首 Instructions。" size="6"/>
  <Relations>
    <Relation value="{RELATION}"/>
  </Relations>
  <Labels name="{SPANS}" toName="{TEXT}" showInline="true">
{labels}
  </Labels>
  <View style="display: flex; align-items: flex-start; gap: 1em;">
    <View style="flex: 3; min-width: 0;">
      <Text name="{TEXT}" value="${SHOWN}" granularity="symbol"/>
    </View>
    <View style="flex: 1; min-width: 14em; position: sticky; top: 0;">
      <View visibleWhen="region-selected" whenLabelValue="QTY">
        <Header value="数值（规则层读出的；错了才照原文改）" size="6"/>
        <TextArea name="{VALUE}" toName="{TEXT}" perRegion="true" maxSubmissions="1" rows="1" editable="true"/>
        <Header value="字段（无合适的就不选）" size="6"/>
        <Choices name="{FIELD}" toName="{TEXT}" perRegion="true" choice="single">
{choices}
        </Choices>
      </View>
    </View>
  </View>
</View>
"""
