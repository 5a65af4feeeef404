<?xml version="1.0" encoding="UTF-8"?>
<!-- A notification as a plain-text letter (协助执行/联合惩戒通知). -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:n="urn:chuqing:notification:1">
  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:template match="/n:notification">
    <xsl:value-of select="@court"/>关于<xsl:value-of select="@eventName"/>的通知<xsl:text>&#10;&#10;</xsl:text>
    <xsl:value-of select="@recipient"/>：<xsl:text>&#10;</xsl:text>
    <xsl:text>　　根据《最高人民法院关于公布失信被执行人名单信息的若干规定》第八条，现将下列事项通知你单位</xsl:text>
    <xsl:choose>
      <xsl:when test="@event = 'listed' and @recipientKind = 'employer'">，请依照有关规定对其予以惩戒</xsl:when>
      <xsl:when test="@event = 'listed'">，请依法实施联合惩戒</xsl:when>
      <xsl:otherwise>，请及时解除相应惩戒措施</xsl:otherwise>
    </xsl:choose>
    <xsl:text>：&#10;</xsl:text>
    <xsl:text>　　被执行人：</xsl:text><xsl:value-of select="n:debtor/n:name"/>（<xsl:value-of select="n:debtor/n:idNumber"/>）<xsl:text>&#10;</xsl:text>
    <xsl:text>　　执行案号：</xsl:text><xsl:value-of select="n:caseNumber"/><xsl:text>&#10;</xsl:text>
    <xsl:text>　　失信决定书：</xsl:text><xsl:value-of select="n:decision/@number"/>（<xsl:value-of select="n:decision/@date"/>）<xsl:if test="n:decision/@expiresOn">，期限至<xsl:value-of select="n:decision/@expiresOn"/></xsl:if><xsl:text>&#10;</xsl:text>
    <xsl:text>　　失信情形：</xsl:text><xsl:for-each select="n:circumstance"><xsl:if test="position() &gt; 1">；</xsl:if><xsl:value-of select="."/></xsl:for-each><xsl:text>&#10;</xsl:text>
    <xsl:if test="n:removal">　　<xsl:value-of select="@eventName"/>日期：<xsl:value-of select="n:removal/@date"/>，事由：<xsl:value-of select="n:removal/@reason"/><xsl:text>&#10;</xsl:text></xsl:if>
    <xsl:text>&#10;</xsl:text><xsl:value-of select="@court"/><xsl:text>&#10;</xsl:text><xsl:value-of select="@dateText"/><xsl:text>&#10;</xsl:text>
  </xsl:template>
</xsl:stylesheet>
