<?xml version="1.0" encoding="UTF-8"?>
<!-- A notice issue as a web page (the court's site and WeChat): one card per person, phone-width
     first. Parameters: $photoBase (photo URLs are $photoBase + entry id), $header (replaces the
     court name in the heading), $logo (URL of the court's logo; none when empty), $tipoffURL (the
     online tip-off form, when the court has one). -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:n="urn:chuqing:notice:1"
                exclude-result-prefixes="n">
  <!-- No indentation: the page is rendered on every new issue or withdrawal, and indenting costs
       a fifth of the render (docs/performance.md). -->
  <xsl:output method="html" encoding="UTF-8" indent="no" doctype-system="about:legacy-compat"/>
  <xsl:param name="photoBase" select="''"/>
  <xsl:param name="header" select="''"/>
  <xsl:param name="logo" select="''"/>
  <xsl:param name="tipoffURL" select="''"/>
  <xsl:param name="printURL" select="''"/>

  <xsl:template match="/n:notice">
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="@title"/></title>
        <style>
          body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; margin: 0 auto; max-width: 60rem; padding: 0 .75rem 2rem; line-height: 1.7; color: #1a1a1a; }
          header { text-align: center; border-bottom: 3px solid #b3141b; padding: 1rem 0 .5rem; }
          header img { max-height: 4rem; }
          h1 { font-size: 1.35rem; margin: .3rem 0; color: #b3141b; }
          .meta, .tipoff { text-align: center; color: #444; }
          .tipoff { font-size: 1.1rem; margin: 1rem 0; } .tipoff a { color: #b3141b; font-weight: bold; }
          .draft { background: #fff3cd; padding: .5rem; text-align: center; }
          .people { display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: .75rem; list-style: none; padding: 0; }
          .person { border: 1px solid #ccc; border-radius: .4rem; padding: .75rem; display: flex; gap: .75rem; }
          .person img { width: 5.5rem; height: 7rem; object-fit: cover; border: 1px solid #ddd; }
          .person .nophoto { width: 5.5rem; height: 7rem; background: #eee; display: flex; align-items: center; justify-content: center; color: #777; font-size: .8rem; }
          .person h2 { font-size: 1.15rem; margin: 0; } .person dl { margin: .2rem 0 0; font-size: .9rem; }
          .person dt { display: inline; color: #555; } .person dd { display: inline; margin: 0; } .person dd::after { content: ""; display: block; }
          .removed { border: 1px dashed #aaa; border-radius: .4rem; padding: .75rem; color: #666; text-align: center; }
          .corrects { background: #eef; padding: .5rem; }
          .tip { margin: .3rem 0 0; } .tip a { color: #b3141b; }
        </style>
      </head>
      <body>
        <header>
          <xsl:if test="$logo != ''"><img src="{$logo}" alt="法院徽标"/></xsl:if>
          <h1>
            <xsl:choose>
              <xsl:when test="$header != ''"><xsl:value-of select="$header"/></xsl:when>
              <xsl:otherwise><xsl:value-of select="@court"/></xsl:otherwise>
            </xsl:choose>
            <br/><xsl:value-of select="@kindName"/>
          </h1>
          <p class="meta"><xsl:value-of select="@year"/>年第<xsl:value-of select="@number"/>期 · <xsl:value-of select="@dateText"/>
            <xsl:if test="$printURL != ''"> · <a href="{$printURL}">打印版</a></xsl:if></p>
        </header>
        <xsl:if test="@status = 'draft'"><p class="draft">草稿，尚未发布</p></xsl:if>
        <xsl:apply-templates select="n:corrects"/>
        <p class="lead">
          <xsl:choose>
            <xsl:when test="@kind = 'blacklist'">下列被执行人经本院依法决定纳入失信被执行人名单，现予曝光。知悉其财产线索或下落者，请向本院举报。</xsl:when>
            <xsl:otherwise>下列被执行人已履行义务或具有法定删除事由，本院已依法删除其失信信息，予以信用修复，特此公告。</xsl:otherwise>
          </xsl:choose>
        </p>
        <xsl:call-template name="tipoff"/>
        <ol class="people">
          <xsl:apply-templates select="n:entry|n:removed"/>
        </ol>
        <xsl:call-template name="tipoff"/>
        <p class="meta"><xsl:value-of select="@court"/>　<xsl:value-of select="@dateText"/></p>
      </body>
    </html>
  </xsl:template>

  <xsl:template name="tipoff">
    <p class="tipoff">举报电话：<a href="tel:{/n:notice/@hotline}"><xsl:value-of select="/n:notice/@hotline"/></a>
      <xsl:if test="$tipoffURL != ''"> · <a href="{$tipoffURL}">在线举报财产线索</a></xsl:if></p>
  </xsl:template>

  <xsl:template match="n:corrects">
    <p class="corrects">本期更正<xsl:value-of select="@title"/>。</p>
  </xsl:template>

  <xsl:template match="n:removed">
    <li class="removed">该信息已依法删除</li>
  </xsl:template>

  <xsl:template match="n:entry">
    <li class="person" id="entry-{@id}">
      <xsl:choose>
        <xsl:when test="n:photo"><img src="{$photoBase}{@id}" alt="{n:name}的照片"/></xsl:when>
        <xsl:otherwise><span class="nophoto">无照片</span></xsl:otherwise>
      </xsl:choose>
      <div>
        <h2><xsl:value-of select="n:name"/></h2>
        <dl>
          <xsl:choose>
            <xsl:when test="@subject = 'person'">
              <dt>性别、年龄：</dt><dd><xsl:value-of select="n:sex"/>，<xsl:value-of select="n:age"/>岁</dd>
              <dt>身份证号码：</dt><dd><xsl:value-of select="n:idNumber"/></dd>
            </xsl:when>
            <xsl:otherwise>
              <dt>统一社会信用代码：</dt><dd><xsl:value-of select="n:creditCode"/></dd>
              <xsl:if test="n:legalRepresentative"><dt>法定代表人：</dt><dd><xsl:value-of select="n:legalRepresentative"/></dd></xsl:if>
            </xsl:otherwise>
          </xsl:choose>
          <xsl:if test="n:address"><dt>住址：</dt><dd><xsl:value-of select="n:address"/></dd></xsl:if>
          <dt>执行案号：</dt><dd><xsl:value-of select="n:caseNumber"/></dd>
          <dt>执行依据：</dt><dd><xsl:value-of select="n:basis/@issuedBy"/><xsl:value-of select="n:basis/@number"/></dd>
          <xsl:choose>
            <xsl:when test="n:deletion">
              <dt>删除日期：</dt><dd><xsl:value-of select="n:deletion/@dateText"/></dd>
              <xsl:if test="n:deletion/@reason != ''"><dt>删除事由：</dt><dd><xsl:value-of select="n:deletion/@reason"/></dd></xsl:if>
            </xsl:when>
            <xsl:otherwise>
              <dt>未履行金额：</dt><dd><xsl:value-of select="n:unexecuted/@yuan"/>（截至<xsl:value-of select="n:unexecuted/@asOfText"/>）</dd>
              <dt>失信情形：</dt><dd><xsl:for-each select="n:circumstance"><xsl:if test="position() &gt; 1">；</xsl:if><xsl:value-of select="."/></xsl:for-each></dd>
            </xsl:otherwise>
          </xsl:choose>
        </dl>
        <xsl:if test="$tipoffURL != '' and /n:notice/@kind = 'blacklist'">
          <p class="tip"><a href="{$tipoffURL}?issue={/n:notice/@id}&amp;entry={@id}">举报此人线索</a></p>
        </xsl:if>
      </div>
    </li>
  </xsl:template>
</xsl:stylesheet>
