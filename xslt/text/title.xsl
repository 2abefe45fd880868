<?xml version="1.0" encoding="UTF-8"?>
<!-- The title of one chapter exactly as the web edition shows it (contents, navigation): lets a build
     learn every chapter's title without transforming every chapter. Output: the title as plain text, or for
     a <titles> document of many chapters' title parts, one title per line. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:f="urn:editio:function"
  exclude-result-prefixes="#all">

  <xsl:include href="../common/reading.xsl"/>
  <xsl:include href="../common/document.xsl"/>

  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:template match="/">
    <xsl:value-of select="f:chapter-title(.)"/>
  </xsl:template>

  <!-- Many chapters at once (a build learning its titles): <titles> holds each chapter's title parts; one line
       each, in order. Each is looked at as a document of its own, as f:chapter-title expects. -->
  <xsl:template match="document-node(element(titles))" priority="1">
    <xsl:for-each select="titles/*">
      <xsl:variable name="chapter"><xsl:copy-of select="."/></xsl:variable>  <!-- a document node of its own -->
      <xsl:value-of select="f:chapter-title($chapter)"/>
      <xsl:text>&#10;</xsl:text>
    </xsl:for-each>
  </xsl:template>

</xsl:stylesheet>
