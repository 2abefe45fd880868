<?xml version="1.0" encoding="UTF-8"?>
<!-- Parameters of the print edition (set by editio pdf; each documented here). -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  exclude-result-prefixes="#all">

  <!--
    reading: which text the body prints.
      "corrected"  (default) the editors' corrections (corr, reg); the
                   apparatus gives what the source printed (sic, orig).
      "diplomatic" the text as printed (sic, orig); the apparatus gives the
                   corrections.
  -->
  <xsl:param name="reading" as="xs:string" select="'corrected'"/>

  <!--
    apparatus-heading: the heading of the textual apparatus printed at the end
    of each chapter.
  -->
  <xsl:param name="apparatus-heading" as="xs:string" select="'Textual apparatus'"/>
</xsl:stylesheet>
