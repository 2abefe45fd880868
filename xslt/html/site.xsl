<?xml version="1.0" encoding="UTF-8"?>
<!-- Driver of the web edition: one stylesheet for every kind of output, so a process compiles the shared modules once
     (Saxon-HE compiles per stylesheet and cannot load compiled ones). editio chooses the initial mode:
       m:chapter-page  one TEI chapter → its HTML page (the principal result)
       m:title         <titles> of chapters' title parts → their titles, one per line (titles.xsl)
       m:extract       one TEI chapter → its extract (extract.xsl; editio asks for XML serialization)
       m:edition       the chapters' summaries → the edition-wide pages (result documents; edition.xsl)
       m:summary       one extract → its summary for the edition-wide pages (parts.xsl; XML serialization)
       m:parts         one extract → its blocks of the edition-wide pages (parts.xsl)
     and calls the named template t:popover-digest once per register (namesdates.xsl).
     Input chapters are safely loaded and line-marked by editio. -->
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
  <xsl:include href="extract.xsl"/>
  <xsl:include href="edition.xsl"/>
  <xsl:include href="index-page.xsl"/>
  <xsl:include href="register.xsl"/>
  <xsl:include href="notes-index.xsl"/>
  <xsl:include href="timeline.xsl"/>
  <xsl:include href="about.xsl"/>
  <xsl:include href="downloads.xsl"/>
  <xsl:include href="parts.xsl"/>

  <!-- HTML5, UTF-8, not indented (indentation would change whitespace in the text). -->
  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no"/>

  <!-- Numbering (paragraphs, notes, mentions) uses accumulators over the chapter: the initial modes that read a
       chapter make them applicable to it. -->
  <xsl:mode name="m:chapter-page" use-accumulators="#all"/>
  <xsl:mode name="m:extract" use-accumulators="#all"/>
  <xsl:mode use-accumulators="#all"/>
  <xsl:mode name="m:edition"/>
  <xsl:mode name="m:summary"/>
  <xsl:mode name="m:parts"/>
  <xsl:mode name="m:title"/>

</xsl:stylesheet>
