<?xml version="1.0" encoding="UTF-8"?>
<!-- The bulletin as a printable zh-CN HTML page: the sentence of bulletin-text.xsl, then the figures. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:b="urn:chuqing:bulletin:1"
                exclude-result-prefixes="b">
  <xsl:output method="html" encoding="UTF-8" indent="yes"/>
  <xsl:template match="/b:bulletin">
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="@court"/> <xsl:value-of select="@batch"/>工作通报</title>
        <style>
          body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.9; }
          h1 { font-size: 1.5rem; text-align: center; } p.lead { text-indent: 2em; font-size: 1.1rem; }
          table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #999; padding: .3rem .5rem; text-align: left; }
          td.num { text-align: right; }
        </style>
      </head>
      <body>
        <h1><xsl:value-of select="@court"/><br/><xsl:value-of select="@batch"/>工作通报</h1>
        <p class="lead">
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
          <xsl:text>。</xsl:text>
        </p>
        <table>
          <tr><th>出清目标</th><td class="num"><xsl:value-of select="b:cleared/@target"/>件</td></tr>
          <tr><th>已出清</th><td class="num"><xsl:value-of select="b:cleared/@cases"/>件</td></tr>
          <tr><th>恢复执行中</th><td class="num"><xsl:value-of select="b:cleared/@inProgress"/>件</td></tr>
          <tr><th>到位金额</th><td class="num"><xsl:value-of select="b:recovered/@yuan"/></td></tr>
          <tr><th>截止日期</th><td class="num"><xsl:value-of select="b:deadline/@date"/>（剩余<xsl:value-of select="b:deadline/@daysLeft"/>天）</td></tr>
        </table>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
