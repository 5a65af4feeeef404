<?xml version="1.0" encoding="UTF-8"?>
<!-- A notification as an HTML letter, for printing and sealing. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:n="urn:chuqing:notification:1"
                exclude-result-prefixes="n">
  <xsl:output method="html" encoding="UTF-8" indent="yes" doctype-system="about:legacy-compat"/>
  <xsl:template match="/n:notification">
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8"/>
        <title><xsl:value-of select="@court"/>关于<xsl:value-of select="@eventName"/>的通知</title>
        <style>body { font-family: serif; max-width: 40rem; margin: 2rem auto; line-height: 1.9; } h1 { text-align: center; font-size: 1.4rem; } .foot { text-align: right; }</style>
      </head>
      <body>
        <h1><xsl:value-of select="@court"/><br/>关于<xsl:value-of select="@eventName"/>的通知</h1>
        <p><xsl:value-of select="@recipient"/>：</p>
        <p>根据《最高人民法院关于公布失信被执行人名单信息的若干规定》第八条，现将下列事项通知你单位。</p>
        <dl>
          <dt>被执行人</dt><dd><xsl:value-of select="n:debtor/n:name"/>（<xsl:value-of select="n:debtor/n:idNumber"/>）</dd>
          <dt>执行案号</dt><dd><xsl:value-of select="n:caseNumber"/></dd>
          <dt>失信决定书</dt><dd><xsl:value-of select="n:decision/@number"/>（<xsl:value-of select="n:decision/@date"/>）</dd>
          <dt>失信情形</dt><dd><xsl:for-each select="n:circumstance"><xsl:if test="position() &gt; 1">；</xsl:if><xsl:value-of select="."/></xsl:for-each></dd>
          <xsl:if test="n:removal"><dt><xsl:value-of select="@eventName"/></dt><dd><xsl:value-of select="n:removal/@date"/>，<xsl:value-of select="n:removal/@reason"/></dd></xsl:if>
        </dl>
        <p class="foot"><xsl:value-of select="@court"/><br/><xsl:value-of select="@dateText"/></p>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
