<?xml version="1.0" encoding="UTF-8"?>
<!-- Paragraph and note numbering, shared by web and print so both cite the same numbers. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:editio:function"
  exclude-result-prefixes="#all">

  <!-- Running counts computed in one pass over each document (xsl:number per node would be quadratic). -->
  <xsl:accumulator name="f:para-count" as="xs:integer" initial-value="0">
    <xsl:accumulator-rule match="tei:p[ancestor::tei:body][not(ancestor::tei:note | ancestor::tei:floatingText)]" select="$value + 1"/>
  </xsl:accumulator>
  <xsl:accumulator name="f:note-count" as="xs:integer" initial-value="0">
    <xsl:accumulator-rule match="tei:note[ancestor::tei:body][not(ancestor::tei:note)]" select="$value + 1"/>
  </xsl:accumulator>

  <!-- The number of a reading-text paragraph: its place among the paragraphs of the body, notes excluded. -->
  <xsl:function name="f:para-number" as="xs:integer">
    <xsl:param name="p" as="element(tei:p)"/>
    <xsl:sequence select="$p ! accumulator-before('f:para-count')"/>
  </xsl:function>

  <!-- The anchor of a paragraph: its xml:id (stable across releases), or p + number if it has none. -->
  <xsl:function name="f:para-anchor" as="xs:string">
    <xsl:param name="p" as="element(tei:p)"/>
    <xsl:sequence select="if ($p/@xml:id) then string($p/@xml:id) else 'p' || f:para-number($p)"/>
  </xsl:function>

  <!-- True for the paragraphs of the reading text (numbered, citable). -->
  <xsl:function name="f:is-text-para" as="xs:boolean">
    <xsl:param name="p" as="element()"/>
    <xsl:sequence select="exists($p/self::tei:p[ancestor::tei:body][not(ancestor::tei:note | ancestor::tei:floatingText)])"/>
  </xsl:function>

  <!-- The number of a note of the text, counted through the whole body (notes inside notes are not counted). -->
  <xsl:function name="f:note-number" as="xs:integer">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:sequence select="$note ! accumulator-before('f:note-count')"/>
  </xsl:function>

  <!-- The anchor of a note: its xml:id (so pointers like target="#note-x" work), or fn- + number. -->
  <xsl:function name="f:note-anchor" as="xs:string">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:sequence select="if ($note/@xml:id) then string($note/@xml:id) else 'fn-' || f:note-number($note)"/>
  </xsl:function>

  <!-- The paragraph of the reading text a node belongs to, if any. -->
  <xsl:function name="f:text-para" as="element(tei:p)?">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="($node/ancestor-or-self::tei:p[f:is-text-para(.)])[1]"/>
  </xsl:function>

</xsl:stylesheet>
