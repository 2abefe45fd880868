<?xml version="1.0" encoding="UTF-8"?>
<!-- The list of sources: the printed source of each chapter, the works cited in notes and the register's bibliography, once each, sorted. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:e="urn:editio:print"
  xmlns:f="urn:editio:functions"
  xmlns:m="urn:editio:modes"
  exclude-result-prefixes="#all">

  <!-- The references listed: each chapter's printed source, works cited in notes, bibliographies. -->
  <xsl:function name="f:bibls" as="element(tei:bibl)*">
    <xsl:param name="edition" as="element(e:edition)"/>
    <xsl:sequence select="$edition/e:file/tei:TEI/(tei:teiHeader/tei:fileDesc/tei:sourceDesc//tei:bibl
                            | tei:text//tei:note//tei:bibl | tei:text//tei:listBibl//tei:bibl)[not(ancestor::tei:bibl)]"/>
  </xsl:function>

  <xsl:template match="e:edition" mode="m:sources">
    <xsl:variable name="bibls" select="f:bibls(.)"/>
    <xsl:if test="exists($bibls)">
      <xsl:value-of select="f:part-start('Sources', 'part-sources')"/>
      <xsl:text>= Sources&#10;&#10;#set par(first-line-indent: 0pt, hanging-indent: 1.5em, justify: false)&#10;</xsl:text>
      <xsl:for-each-group select="$bibls" group-by="normalize-space(.)">
        <xsl:sort select="lower-case(normalize-space(.))" lang="en"/>
        <xsl:value-of select="f:src(.) || f:sentence(f:bibl(.)) || '&#10;&#10;'"/>
      </xsl:for-each-group>
      <xsl:text>#set par(first-line-indent: 1.2em, hanging-indent: 0pt, justify: true)&#10;&#10;</xsl:text>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
