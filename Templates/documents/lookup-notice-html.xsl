<?xml version="1.0" encoding="UTF-8"?>
<!-- 财产查询结果告知书 as an HTML letter to the applicant, for printing, sealing and serving. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:n="urn:chuqing:lookup-notice:1"
                exclude-result-prefixes="n">
  <xsl:output method="html" encoding="UTF-8" indent="no" doctype-system="about:legacy-compat"/>
  <xsl:param name="header" select="''"/>
  <xsl:template match="/n:lookupNotice">
    <xsl:variable name="court"><xsl:choose><xsl:when test="$header != ''"><xsl:value-of select="$header"/></xsl:when><xsl:otherwise><xsl:value-of select="@court"/></xsl:otherwise></xsl:choose></xsl:variable>
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$court"/>财产查询结果告知书</title>
        <style>body { font-family: serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.9; } h1 { text-align: center; font-size: 1.4rem; } table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #444; padding: .2rem .5rem; text-align: left; vertical-align: top; } .foot { text-align: right; } .number { text-align: right; }</style>
      </head>
      <body>
        <h1><xsl:value-of select="$court"/><br/>财产查询结果告知书</h1>
        <p class="number"><xsl:value-of select="n:caseNumber"/></p>
        <p><xsl:for-each select="n:applicant"><xsl:if test="position() &gt; 1">、</xsl:if><xsl:value-of select="."/></xsl:for-each>：</p>
        <p>你（单位）申请执行<xsl:value-of select="n:debtor"/>一案，本院于<xsl:value-of select="n:lookup/@dateText"/><xsl:choose><xsl:when test="@purpose = 'periodic'">依照《最高人民法院关于严格规范终结本次执行程序的若干规定（试行）》第九条进行定期查询，</xsl:when><xsl:otherwise>进行查询，</xsl:otherwise></xsl:choose>通过共享数据对被执行人<xsl:value-of select="n:debtor"/>的财产情况查询了<xsl:value-of select="count(n:category)"/>类信息。结果如下：</p>
        <table>
          <thead><tr><th>查询类别</th><th>提供单位</th><th>结果</th></tr></thead>
          <tbody>
            <xsl:for-each select="n:category">
              <tr>
                <td><xsl:value-of select="@name"/></td>
                <td><xsl:value-of select="@department"/></td>
                <td>
                  <xsl:choose>
                    <xsl:when test="@status != 'answered'">未能查询，本院将另行补查</xsl:when>
                    <xsl:when test="@findings = 0">未发现财产</xsl:when>
                    <xsl:otherwise>发现<xsl:for-each select="n:found"><xsl:if test="position() &gt; 1">、</xsl:if><xsl:value-of select="@name"/><xsl:value-of select="@count"/>项</xsl:for-each></xsl:otherwise>
                  </xsl:choose>
                </td>
              </tr>
            </xsl:for-each>
          </tbody>
        </table>
        <xsl:choose>
          <xsl:when test="@found &gt; 0"><p>对查询到的财产，本院将依法审查处置；符合恢复执行条件的，本院将依法恢复执行。</p></xsl:when>
          <xsl:otherwise><p>经本次查询，未发现被执行人有可供执行的财产。</p></xsl:otherwise>
        </xsl:choose>
        <p>申请执行人发现被执行人有可供执行财产的，可以随时向本院申请恢复执行；申请恢复执行不受申请执行时效期间的限制。</p>
        <p>特此告知。</p>
        <p class="foot"><xsl:value-of select="$court"/><br/><xsl:value-of select="@dateText"/></p>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
