<?xml version="1.0" encoding="UTF-8"?>
<!-- Driver of everything but the chapter pages: the modules of site.xsl that the extracts and the edition-wide
     pages need, for a process that makes them while another makes the chapter pages (see site-chapters.xsl).
     Modes as in site.xsl: m:title, m:extract, m:summary, m:parts, m:edition. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
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
  <xsl:include href="titles.xsl"/>
  <xsl:include href="layout.xsl"/>
  <xsl:include href="core.xsl"/>
  <xsl:include href="namesdates.xsl"/>
  <xsl:include href="textcrit.xsl"/>
  <xsl:include href="notes.xsl"/>
  <xsl:include href="extract.xsl"/>
  <xsl:include href="edition.xsl"/>
  <xsl:include href="index-page.xsl"/>
  <xsl:include href="register.xsl"/>
  <xsl:include href="notes-index.xsl"/>
  <xsl:include href="timeline.xsl"/>
  <xsl:include href="about.xsl"/>
  <xsl:include href="downloads.xsl"/>
  <xsl:include href="parts.xsl"/>

  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no"/>

  <xsl:mode name="m:extract" use-accumulators="#all"/>
  <xsl:mode use-accumulators="#all"/>
  <xsl:mode name="m:edition"/>
  <xsl:mode name="m:summary"/>
  <xsl:mode name="m:parts"/>
  <xsl:mode name="m:title"/>

</xsl:stylesheet>
