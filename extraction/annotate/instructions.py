"""The project's instructions in Label Studio (shown before and beside each task), in Chinese:
the annotation guideline (../shared/spec/annotation.md) as an annotator needs it, with the field
table taken from figures.fields.FIELD_TABLE (the one place field knowledge lives)."""
from __future__ import annotations

from html import escape

from ..figures.fields import FIELD_TABLE

_LABELS = """
<h3>标什么</h3>
<ul>
<li><b>QTY（数量）</b>：一个报告的数量，从第一个数字到量词或单位为止，余、多包含在内：
  <code>4147余条</code> <code>456条</code> <code>两期</code> <code>3388.52万元</code> <code>100%</code>。
  数字前的“共、累计、约、近、超过”不标入。</li>
<li><b>不是 QTY</b>：日期年份（<code>2023年</code>）、文号法条（<code>〔2021〕30号</code>、<code>第二十条</code>）、
  序号（<code>一是</code>、<code>（一）</code>）、电话邮编网址、名称中的数字（<code>12345热线</code>、<code>“一网通办”</code>）、
  报告自身结构（<code>由六部分组成</code>）、时限（<code>20个工作日内</code>）、无计量意义的数词（<code>三大目标</code>、<code>一批</code>）。
  被文本末尾截断的数字也不标。范围（<code>1至2名</code>）标为一个 QTY，取下限、约数。</li>
<li><b>ITEM（事项）</b>：该数量所计事物的最短名称，按原文：<code>主动公开政府信息</code> <code>政务动态信息</code>
  <code>政府信息公开申请</code>。不含渠道和动词（“通过政府网站”不属于 ITEM），不含数量本身；ITEM 不嵌套。
  只以结果命名的分项（办结、答复、结转下年度办理）以该短语为 ITEM。</li>
</ul>
<h3>关系与数值</h3>
<ul>
<li>每个 QTY 画一条关系（counts）指向它所计的那个 ITEM（在前在后都可以）：选中 QTY，按 <code>Alt+R</code>（或区域详情里的 Create Relation 按钮），再点 ITEM。没有明说所计事项的（<code>均达100%</code>）不画。一个 ITEM 可被多个 QTY 指向。</li>
<li>选中 QTY 后右侧显示<b>数值</b>：这是规则层读出的值（万/亿已换算，<code>约</code>表示约数）。读对了不要动；
  读错了照原文写法改，如 <code>12000条</code>、<code>1.2万条</code>、<code>约4147条</code>、<code>１２条</code>；只写数字时沿用规则读出的单位。</li>
</ul>
"""

_RULINGS = """
<h3>字段判定规则</h3>
<ul>
<li>没有总数时，主句中的网站公开数记为“主动公开信息总数”（“其中”分项里的不算；公示栏、新闻媒体不是网站）。</li>
<li>分项归其类别：政策图解、专家解读 → 政策解读；各平台账号 → 政务新媒体账号。</li>
<li>政策文件指公开的文件（主动公开文件、政府文件、公报内容），不含规章、人事任免、未公开或累计数。</li>
<li>现行有效、废止的规范性文件数，以及人大建议、政协提案的合计数，不选字段。</li>
<li>“依申请公开信息N条”和办理/受理/收到……申请 → 收到申请；已办结的申请 → 办结申请；已答复的信箱来信仍是信箱留言。</li>
<li>其他数字不选字段，仍然标出 QTY 和 ITEM。</li>
</ul>
"""


def instructions_html() -> str:
    rows = "\n".join(f"<tr><td>{escape(name)}</td><td><code>{key}</code></td><td>{escape(d)}</td></tr>"
                     for key, name, d in FIELD_TABLE)
    fields = ("<h3>字段（选中 QTY 后在右侧选择；没有合适的就不选）</h3>\n"
              "<table><tr><th>字段</th><th>存储键</th><th>含义</th></tr>\n" + rows + "\n</table>")
    return _LABELS + fields + _RULINGS
