<?xml version="1.0" encoding="UTF-8"?>
<!-- The public copy of a published issue: the stored XML with every entry deleted or revoked since
     publication replaced by <removed/> (rules.md §7.13: the page comes down; the record stays).
     $removed lists those entry ids, each surrounded by spaces. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:n="urn:chuqing:notice:1">
  <xsl:output method="xml" encoding="UTF-8" indent="no"/>
  <xsl:param name="removed" select="''"/>
  <xsl:template match="@*|node()">
    <xsl:copy><xsl:apply-templates select="@*|node()"/></xsl:copy>
  </xsl:template>
  <!-- XSLT 1.0 allows no variables in match patterns, hence the test inside the template. -->
  <xsl:template match="n:entry">
    <xsl:choose>
      <xsl:when test="contains($removed, concat(' ', @id, ' '))"><xsl:element name="removed" namespace="urn:chuqing:notice:1"><xsl:attribute name="entry"><xsl:value-of select="@id"/></xsl:attribute></xsl:element></xsl:when>
      <xsl:otherwise><xsl:copy><xsl:apply-templates select="@*|node()"/></xsl:copy></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
