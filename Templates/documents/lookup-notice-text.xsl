<?xml version="1.0" encoding="UTF-8"?>
<!-- The look-up result as a short text message to the applicant (短信告知). -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:n="urn:chuqing:lookup-notice:1">
  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:param name="header" select="''"/>
  <xsl:template match="/n:lookupNotice">
    <xsl:text>【</xsl:text><xsl:choose><xsl:when test="$header != ''"><xsl:value-of select="$header"/></xsl:when><xsl:otherwise><xsl:value-of select="@court"/></xsl:otherwise></xsl:choose><xsl:text>】</xsl:text>
    <xsl:for-each select="n:applicant"><xsl:if test="position() &gt; 1">、</xsl:if><xsl:value-of select="."/></xsl:for-each>
    <xsl:text>：你申请执行的</xsl:text><xsl:value-of select="n:caseNumber"/><xsl:text>一案，本院于</xsl:text><xsl:value-of select="n:lookup/@dateText"/>
    <xsl:text>查询了被执行人</xsl:text><xsl:value-of select="n:debtor"/><xsl:text>的财产（</xsl:text><xsl:value-of select="count(n:category)"/><xsl:text>类），</xsl:text>
    <xsl:choose>
      <xsl:when test="@found &gt; 0">
        <xsl:text>发现</xsl:text>
        <xsl:for-each select="n:category/n:found"><xsl:if test="position() &gt; 1">、</xsl:if><xsl:value-of select="@name"/><xsl:value-of select="@count"/><xsl:text>项</xsl:text></xsl:for-each>
        <xsl:text>，本院将依法处置</xsl:text>
      </xsl:when>
      <xsl:otherwise><xsl:text>未发现可供执行的财产</xsl:text></xsl:otherwise>
    </xsl:choose>
    <xsl:if test="@unanswered &gt; 0"><xsl:text>；另有</xsl:text><xsl:value-of select="@unanswered"/><xsl:text>类未能查询，将另行补查</xsl:text></xsl:if>
    <xsl:text>。发现被执行人财产的，可随时申请恢复执行。</xsl:text>
    <xsl:text>&#10;</xsl:text>
  </xsl:template>
</xsl:stylesheet>
