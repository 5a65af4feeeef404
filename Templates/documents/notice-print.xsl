<?xml version="1.0" encoding="UTF-8"?>
<!-- A notice issue for the court's notice board: an A4 page (portrait), a table of people with
     photos, the court's name and date at the foot as on a paper 公告. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:n="urn:chuqing:notice:1"
                exclude-result-prefixes="n">
  <xsl:output method="html" encoding="UTF-8" indent="yes" doctype-system="about:legacy-compat"/>
  <xsl:param name="photoBase" select="''"/>
  <xsl:param name="header" select="''"/>
  <xsl:param name="logo" select="''"/>
  <xsl:param name="tipoffURL" select="''"/>

  <xsl:template match="/n:notice">
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8"/>
        <title><xsl:value-of select="@title"/>（打印版）</title>
        <style>
          @page { size: A4 portrait; margin: 18mm 15mm; }
          body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", serif; font-size: 10.5pt; margin: 0; color: #000; }
          h1 { text-align: center; font-size: 20pt; margin: 0 0 4mm; letter-spacing: .2em; }
          .sub { text-align: center; margin: 0 0 6mm; }
          table { width: 100%; border-collapse: collapse; } th, td { border: .3mm solid #000; padding: 1.5mm; vertical-align: top; }
          tr { page-break-inside: avoid; } img { width: 22mm; height: 28mm; object-fit: cover; }
          .foot { text-align: right; margin-top: 8mm; } .tipoff { font-weight: bold; margin-top: 4mm; }
        </style>
      </head>
      <body>
        <xsl:if test="$logo != ''"><p class="sub"><img src="{$logo}" alt="法院徽标" style="width:auto;height:16mm"/></p></xsl:if>
        <h1>
          <xsl:choose>
            <xsl:when test="$header != ''"><xsl:value-of select="$header"/></xsl:when>
            <xsl:otherwise><xsl:value-of select="@court"/></xsl:otherwise>
          </xsl:choose>
          <br/><xsl:value-of select="@kindName"/>
        </h1>
        <p class="sub"><xsl:value-of select="@year"/>年第<xsl:value-of select="@number"/>期</p>
        <xsl:if test="n:corrects"><p>本期更正<xsl:value-of select="n:corrects/@title"/>。</p></xsl:if>
        <table>
          <thead><tr><th>序号</th><th>照片</th><th>被执行人</th><th>身份证号码/统一社会信用代码</th><th>住址</th><th>执行案号</th>
            <xsl:choose>
              <xsl:when test="@kind = 'blacklist'"><th>未履行金额</th><th>失信情形</th></xsl:when>
              <xsl:otherwise><th>删除日期</th></xsl:otherwise>
            </xsl:choose></tr></thead>
          <tbody>
            <xsl:for-each select="n:entry|n:removed">
              <tr>
                <td><xsl:value-of select="position()"/></td>
                <xsl:choose>
                  <xsl:when test="self::n:removed">
                    <td><xsl:attribute name="colspan"><xsl:choose><xsl:when test="/n:notice/@kind = 'blacklist'">7</xsl:when><xsl:otherwise>6</xsl:otherwise></xsl:choose></xsl:attribute>该信息已依法删除</td>
                  </xsl:when>
                  <xsl:otherwise>
                    <td><xsl:if test="n:photo"><img src="{$photoBase}{@id}" alt="{n:name}的照片"/></xsl:if></td>
                    <td><xsl:value-of select="n:name"/>
                      <xsl:if test="@subject = 'person'">（<xsl:value-of select="n:sex"/>，<xsl:value-of select="n:age"/>岁）</xsl:if>
                      <xsl:if test="n:legalRepresentative">（法定代表人：<xsl:value-of select="n:legalRepresentative"/>）</xsl:if></td>
                    <td><xsl:value-of select="n:idNumber|n:creditCode"/></td>
                    <td><xsl:value-of select="n:address"/></td>
                    <td><xsl:value-of select="n:caseNumber"/></td>
                    <xsl:choose>
                      <xsl:when test="n:deletion"><td><xsl:value-of select="n:deletion/@dateText"/></td></xsl:when>
                      <xsl:otherwise>
                        <td><xsl:value-of select="n:unexecuted/@yuan"/>（截至<xsl:value-of select="n:unexecuted/@asOfText"/>）</td>
                        <td><xsl:for-each select="n:circumstance"><xsl:if test="position() &gt; 1">；</xsl:if><xsl:value-of select="."/></xsl:for-each></td>
                      </xsl:otherwise>
                    </xsl:choose>
                  </xsl:otherwise>
                </xsl:choose>
              </tr>
            </xsl:for-each>
          </tbody>
        </table>
        <p class="tipoff">举报电话：<xsl:value-of select="@hotline"/>
          <xsl:if test="$tipoffURL != ''">　网上举报：法院公告网页「<xsl:value-of select="$tipoffURL"/>」</xsl:if></p>
        <p class="foot"><xsl:value-of select="@court"/><br/><xsl:value-of select="@dateText"/></p>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
