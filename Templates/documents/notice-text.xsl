<?xml version="1.0" encoding="UTF-8"?>
<!-- A notice issue as a script for township radio: plain sentences, read aloud. No ID numbers (a
     listener cannot use them), ages and villages instead; the tip-off phone at the start and end. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:n="urn:chuqing:notice:1">
  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:param name="header" select="''"/>

  <xsl:template match="/n:notice">
    <xsl:choose>
      <xsl:when test="$header != ''"><xsl:value-of select="$header"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="@court"/></xsl:otherwise>
    </xsl:choose>
    <xsl:value-of select="@kindName"/>（<xsl:value-of select="@year"/>年第<xsl:value-of select="@number"/>期）<xsl:text>&#10;&#10;</xsl:text>
    <xsl:if test="n:corrects">本期更正<xsl:value-of select="n:corrects/@title"/>。<xsl:text>&#10;&#10;</xsl:text></xsl:if>
    <xsl:choose>
      <xsl:when test="@kind = 'blacklist'">各位乡亲：下列被执行人经<xsl:value-of select="@court"/>依法纳入失信被执行人名单。知道他们财产线索或下落的，请拨打举报电话<xsl:value-of select="@hotline"/>。</xsl:when>
      <xsl:otherwise>各位乡亲：下列被执行人已履行义务或具有法定删除事由，<xsl:value-of select="@court"/>已依法删除其失信信息，予以信用修复。</xsl:otherwise>
    </xsl:choose>
    <xsl:text>&#10;&#10;</xsl:text>
    <xsl:for-each select="n:entry|n:removed">
      <xsl:value-of select="position()"/><xsl:text>. </xsl:text>
      <xsl:apply-templates select="."/>
      <xsl:text>&#10;</xsl:text>
    </xsl:for-each>
    <xsl:text>&#10;</xsl:text>举报电话：<xsl:value-of select="@hotline"/>。<xsl:value-of select="@court"/>，<xsl:value-of select="@dateText"/>。<xsl:text>&#10;</xsl:text>
  </xsl:template>

  <xsl:template match="n:removed">该信息已依法删除。</xsl:template>

  <xsl:template match="n:entry">
    <xsl:value-of select="n:name"/>
    <xsl:choose>
      <xsl:when test="@subject = 'person'">，<xsl:value-of select="n:sex"/>，<xsl:value-of select="n:age"/>岁</xsl:when>
      <xsl:when test="n:legalRepresentative">，法定代表人<xsl:value-of select="n:legalRepresentative"/></xsl:when>
    </xsl:choose>
    <xsl:if test="n:address">，<xsl:value-of select="n:address"/></xsl:if>
    <xsl:text>。</xsl:text>
    <xsl:choose>
      <xsl:when test="n:deletion">已于<xsl:value-of select="n:deletion/@dateText"/>删除失信信息。</xsl:when>
      <xsl:otherwise>案号<xsl:value-of select="n:caseNumber"/>，截至<xsl:value-of select="n:unexecuted/@asOfText"/>尚未履行<xsl:value-of select="n:unexecuted/@wan"/>。失信情形：<xsl:for-each select="n:circumstance"><xsl:if test="position() &gt; 1">；</xsl:if><xsl:value-of select="."/></xsl:for-each>。</xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
