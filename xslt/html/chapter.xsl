<?xml version="1.0" encoding="UTF-8"?>
<!-- Driver: one TEI chapter → its HTML page. Input: the chapter (safely loaded, lines marked by editio). -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:m="urn:editio:mode"
  exclude-result-prefixes="#all">

  <xsl:include href="params.xsl"/>
  <xsl:include href="../common/messages.xsl"/>
  <xsl:include href="../common/urls.xsl"/>
  <xsl:include href="../common/dates.xsl"/>
  <xsl:include href="../common/entities.xsl"/>
  <xsl:include href="../common/reading.xsl"/>
  <xsl:include href="../common/paragraphs.xsl"/>
  <xsl:include href="../common/document.xsl"/>
  <xsl:include href="layout.xsl"/>
  <xsl:include href="core.xsl"/>
  <xsl:include href="namesdates.xsl"/>
  <xsl:include href="textcrit.xsl"/>
  <xsl:include href="notes.xsl"/>
  <xsl:include href="chapter-page.xsl"/>

  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no"/>

  <!-- Numbering (paragraphs, notes, mentions) uses accumulators over the chapter. -->
  <xsl:mode use-accumulators="#all"/>

  <xsl:template match="/">
    <xsl:apply-templates select="tei:TEI" mode="m:chapter-page"/>
  </xsl:template>

</xsl:stylesheet>
