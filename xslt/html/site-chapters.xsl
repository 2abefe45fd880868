<?xml version="1.0" encoding="UTF-8"?>
<!-- Driver of the chapter pages alone: the modules of site.xsl that a chapter page needs, for a process that makes
     only chapter pages while another makes the rest with site-edition.xsl (editio.html, from a few chapters on:
     each compiles less than site.xsl, side by side on two cores). Modes as in site.xsl:
       m:chapter-page  one TEI chapter → its HTML page
       m:title         <titles> of chapters' title parts → their titles, one per line
     and the named template t:popover-digest. -->
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
  <xsl:include href="chapter-page.xsl"/>

  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no"/>

  <xsl:mode name="m:chapter-page" use-accumulators="#all"/>
  <xsl:mode use-accumulators="#all"/>
  <xsl:mode name="m:title"/>

</xsl:stylesheet>
