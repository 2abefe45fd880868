<?xml version="1.0" encoding="UTF-8"?>
<!-- The title of one chapter exactly as the web edition shows it (contents, navigation): lets a build
     learn every chapter's title without transforming every chapter. Output: the title as plain text. -->
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

</xsl:stylesheet>
