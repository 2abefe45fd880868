<?xml version="1.0" encoding="UTF-8"?>
<!-- Chapters' titles (mode m:title), for the navigation and contents of every page, known before any chapter is
     transformed. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:f="urn:editio:function"
  xmlns:m="urn:editio:mode"
  exclude-result-prefixes="#all">

  <!-- Chapters' titles, exactly as their extracts give them, one per line: from <titles> holding what each
       chapter's title is made from (its titleStmt and first head: editio.edition.title_xml), each looked at as a
       document of its own, as f:chapter-title expects. Lets every page's navigation know every title before any
       chapter is transformed. -->
  <xsl:template match="document-node(element(titles))" mode="m:title">
    <xsl:for-each select="titles/*">
      <xsl:variable name="chapter"><xsl:copy-of select="."/></xsl:variable>
      <xsl:value-of select="f:chapter-title($chapter)"/>
      <xsl:text>&#10;</xsl:text>
    </xsl:for-each>
  </xsl:template>

</xsl:stylesheet>
