<?xml version="1.0" encoding="UTF-8"?>
<!-- The bulletin's one sentence, as a court's press office writes it:
     截至9月13日，第一批任务出清案件392件，到位金额3071.89万元，搜查129人次，拘传203人，拘留26人，扣押车辆5辆。 -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:b="urn:chuqing:bulletin:1">
  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:template match="/b:bulletin">
    <xsl:text>截至</xsl:text><xsl:value-of select="@asOfText"/>
    <xsl:text>，</xsl:text><xsl:value-of select="@batch"/>
    <xsl:text>出清案件</xsl:text><xsl:value-of select="b:cleared/@cases"/><xsl:text>件</xsl:text>
    <xsl:text>，到位金额</xsl:text><xsl:value-of select="b:recovered/@wan"/>
    <xsl:for-each select="b:measure">
      <xsl:text>，</xsl:text><xsl:value-of select="@name"/><xsl:value-of select="@text"/>
    </xsl:for-each>
    <xsl:for-each select="b:officials">
      <xsl:text>；推送涉公职人员</xsl:text><xsl:value-of select="@pushed"/><xsl:text>人，逾期移送纪委监委</xsl:text><xsl:value-of select="@escalated"/><xsl:text>人</xsl:text>
    </xsl:for-each>
    <xsl:for-each select="b:settlements">
      <xsl:text>；和解</xsl:text><xsl:value-of select="@made"/><xsl:text>件，履行中</xsl:text><xsl:value-of select="@running"/><xsl:text>件</xsl:text>
    </xsl:for-each>
    <xsl:text>。&#10;</xsl:text>
  </xsl:template>
</xsl:stylesheet>
