<?xml version="1.0" encoding="UTF-8"?>
<!-- A chapter's share of the edition-wide pages, made from its extract (extract.xsl) when the chapter is made, so
     that the edition-wide pages never need every chapter's extract at once:
       m:summary  the extract without its snippets and notes' text: what the edition-wide pages count and list
                  (entries mentioned, notes counted by type, dated mentions counted); editio gives the edition run these and the first
                  chapter's teiHeader
       m:parts    the chapter's blocks of those pages, serialized as HTML, each after an editio-part processing
                  instruction naming where it goes: "backlinks ID" (register.xsl), "notes-full" and "notes-brief"
                  (notes-index.xsl), "timeline KEY" (timeline.xsl). editio splices them in at the editio-splice
                  instructions of the edition run's pages, in reading order (timeline rows: by KEY, then in order).
     Every block is made by the same template the edition-wide pages would use, so a page made from parts has the
     bytes of a page made in one run. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:x="urn:editio:extract"
  xmlns:t="urn:editio:template"
  xmlns:m="urn:editio:mode"
  exclude-result-prefixes="xs t m">

  <xsl:template match="/" mode="m:summary m:parts">
    <xsl:apply-templates select="x:extract" mode="#current"/>
  </xsl:template>

  <xsl:template match="x:extract" mode="m:summary">
    <x:extract>
      <xsl:copy-of select="@*"/>
      <xsl:for-each select="distinct-values(x:mention/@ref)"><x:mention ref="{.}"/></xsl:for-each>
      <!-- Counts, not copies: the notes page's lead counts notes by type, the timeline only asks whether the
           edition has dated mentions (a thousand chapters' notes and dates would triple the edition run). -->
      <xsl:for-each-group select="x:note" group-by="string(@type)">
        <x:note-count type="{current-grouping-key()}" n="{count(current-group())}"/>
      </xsl:for-each-group>
      <xsl:variable name="dated" select="count(x:date[@key != '9999-99-99'])"/>
      <xsl:if test="$dated gt 0"><x:dates n="{$dated}"/></xsl:if>
    </x:extract>
  </xsl:template>

  <xsl:template match="x:extract" mode="m:parts">
    <xsl:for-each-group select="x:mention" group-by="@ref">
      <xsl:processing-instruction name="editio-part" select="'&amp;backlinks ' || current-grouping-key()"/>
      <xsl:call-template name="t:backlinks-chapter">
        <xsl:with-param name="mentions" select="current-group()"/>
      </xsl:call-template>
    </xsl:for-each-group>
    <xsl:if test="x:note">
      <xsl:processing-instruction name="editio-part" select="'&amp;notes-brief'"/>
      <xsl:call-template name="t:notes-chapter"><xsl:with-param name="full" select="false()"/></xsl:call-template>
      <!-- Notes in full only when the extract has their copies (editio leaves them out of a large edition's). -->
      <xsl:if test="x:note/tei:note">
        <xsl:processing-instruction name="editio-part" select="'&amp;notes-full'"/>
        <xsl:call-template name="t:notes-chapter"><xsl:with-param name="full" select="true()"/></xsl:call-template>
      </xsl:if>
    </xsl:if>
    <xsl:for-each select="x:date[@key != '9999-99-99']">
      <xsl:processing-instruction name="editio-part" select="'&amp;timeline ' || @key"/>
      <xsl:apply-templates select="." mode="m:timeline-item"/>
    </xsl:for-each>
  </xsl:template>

</xsl:stylesheet>
