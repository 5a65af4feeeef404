<?xml version="1.0" encoding="UTF-8"?>
<!-- The public-officials team's letters as HTML: on screen (medium=screen), or on A4 for printing
     and sealing (medium=print). A court replaces this file to use its own wording. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:o="urn:chuqing:official-letter:1"
                exclude-result-prefixes="o">
  <xsl:output method="html" encoding="UTF-8" indent="yes" doctype-system="about:legacy-compat"/>
  <xsl:param name="medium" select="'screen'"/>
  <xsl:param name="header" select="''"/>

  <xsl:template match="/o:officialLetter">
    <xsl:variable name="title">
      <xsl:choose>
        <xsl:when test="@kind = 'push'">关于<xsl:value-of select="o:debtor/o:name"/>未履行生效法律文书确定义务的通报函</xsl:when>
        <xsl:otherwise>关于<xsl:value-of select="o:debtor/o:name"/>逾期仍未履行生效法律文书确定义务的移送函</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/></title>
        <style>
          body { font-family: "FangSong", "STFangsong", serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.9; font-size: 1.05rem; }
          h1 { text-align: center; font-size: 1.4rem; line-height: 1.5; } .court { text-align: center; font-size: 1.6rem; letter-spacing: .2em; }
          .number { text-align: right; } .indent { text-indent: 2em; } .foot { text-align: right; margin-top: 3rem; }
          <xsl:if test="$medium = 'print'">@page { size: A4; margin: 3.7cm 2.6cm 3.5cm 2.8cm; } body { max-width: none; margin: 0; padding: 0; } .foot { margin-top: 5rem; }</xsl:if>
        </style>
      </head>
      <body>
        <p class="court"><xsl:choose><xsl:when test="$header != ''"><xsl:value-of select="$header"/></xsl:when><xsl:otherwise><xsl:value-of select="@court"/></xsl:otherwise></xsl:choose></p>
        <h1><xsl:value-of select="$title"/></h1>
        <p class="number"><xsl:value-of select="@number"/></p>
        <p><xsl:value-of select="o:recipient"/>：</p>
        <xsl:apply-templates select="." mode="body"/>
        <p class="indent">被执行人：<xsl:value-of select="o:debtor/o:name"/>，身份证件号码 <xsl:value-of select="o:debtor/o:idNumber"/>，身份：<xsl:value-of select="o:debtor/o:standings"/>，工作单位：<xsl:value-of select="o:debtor/o:employer"/>。</p>
        <xsl:if test="o:judge"><p class="indent">本院承办人：<xsl:value-of select="o:judge"/>。</p></xsl:if>
        <p class="foot"><xsl:value-of select="@court"/><br/><xsl:value-of select="@dateText"/></p>
      </body>
    </html>
  </xsl:template>

  <!-- The facts of the case, said once for both letters. -->
  <xsl:template match="o:case" mode="facts">
    <xsl:text>本院执行的</xsl:text><xsl:value-of select="@number"/>
    <xsl:if test="o:applicant"><xsl:for-each select="o:applicant"><xsl:if test="position() &gt; 1">、</xsl:if><xsl:value-of select="."/></xsl:for-each>申请执行</xsl:if>
    <xsl:value-of select="../o:debtor/o:name"/><xsl:text>一案，执行依据为</xsl:text><xsl:value-of select="o:basis/@issuedBy"/><xsl:value-of select="o:basis/@number"/>
    <xsl:if test="o:duty"><xsl:text>，被执行人应当</xsl:text><xsl:value-of select="o:duty"/></xsl:if>
    <xsl:text>。截至</xsl:text><xsl:value-of select="o:unperformed/@asOfText"/><xsl:text>，被执行人尚有人民币</xsl:text><xsl:value-of select="o:unperformed/@yuan"/><xsl:text>元未履行</xsl:text>
  </xsl:template>

  <xsl:template match="o:officialLetter[@kind = 'push']" mode="body">
    <p class="indent"><xsl:apply-templates select="o:case" mode="facts"/>。根据《最高人民法院关于公布失信被执行人名单信息的若干规定》第八条，现将该被执行人未履行义务的情况通报贵单位。</p>
    <p class="indent">请贵单位督促其于<xsl:value-of select="o:deadline/@dateText"/>前履行上述义务，并将督促情况函告本院。逾期仍未履行的，本院将把有关情况移送<xsl:for-each select="o:escalatesTo"><xsl:if test="position() &gt; 1">、</xsl:if><xsl:value-of select="."/></xsl:for-each>依纪依法处理。</p>
  </xsl:template>

  <xsl:template match="o:officialLetter[@kind = 'escalation']" mode="body">
    <p class="indent"><xsl:apply-templates select="o:case" mode="facts"/>。</p>
    <p class="indent">本院已于<xsl:value-of select="o:push/@sentOnText"/>向<xsl:value-of select="o:push/@recipient"/>发出通报函（<xsl:value-of select="o:push/@number"/>），督促被执行人于<xsl:value-of select="o:deadline/@dateText"/>前履行。期限届满，被执行人仍未履行。现将有关情况移送贵单位，请依纪依法处理，并将处理结果函告本院。</p>
  </xsl:template>
</xsl:stylesheet>
