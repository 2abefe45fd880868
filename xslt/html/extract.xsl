<?xml version="1.0" encoding="UTF-8"?>
<!-- Driver: one TEI chapter → its extract, the small XML the edition-wide pages are made from (mentions with
     snippets, notes, dated mentions, header, title). Depends on the chapter alone, so a build can cache it. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:e="urn:editio:source"
  xmlns:x="urn:editio:extract"
  xmlns:f="urn:editio:function"
  xmlns:m="urn:editio:mode"
  exclude-result-prefixes="xs f m">

  <xsl:include href="params.xsl"/>
  <xsl:include href="../common/messages.xsl"/>
  <xsl:include href="../common/dates.xsl"/>
  <xsl:include href="../common/entities.xsl"/>
  <xsl:include href="../common/reading.xsl"/>
  <xsl:include href="../common/paragraphs.xsl"/>
  <xsl:include href="../common/document.xsl"/>

  <xsl:output method="xml" encoding="UTF-8" indent="no"/>

  <xsl:template match="/">
    <xsl:apply-templates select="tei:TEI" mode="m:extract"/>
  </xsl:template>

  <xsl:template match="tei:TEI" mode="m:extract">
    <x:extract stem="{$stem}" page="{$page}" order="{(tei:text/tei:body/tei:div[1]/@n, $stem)[1]}"
               title="{f:chapter-title(.)}" e:file="{@e:file}">
      <xsl:copy-of select="tei:teiHeader"/>
      <!-- One x:mention per entry pointed at (a group reference may point at several). -->
      <xsl:for-each select="tei:text//*[f:is-mention(.)]">
        <xsl:variable name="m" select="."/>
        <xsl:for-each select="distinct-values(f:ref-ids(@ref))">
          <x:mention id="{f:mention-id($m)}" ref="{.}" element="{local-name($m)}">
            <xsl:for-each select="$m"><xsl:call-template name="place"/></xsl:for-each>
          </x:mention>
        </xsl:for-each>
      </xsl:for-each>
      <xsl:for-each select="tei:text/tei:body//tei:note[not(ancestor::tei:note)]">
        <x:note n="{f:note-number(.)}" anchor="{f:note-anchor(.)}" type="{@type}">
          <xsl:call-template name="para"/>
          <xsl:copy-of select="."/>
        </x:note>
      </xsl:for-each>
      <xsl:for-each select="tei:text//tei:date[@when or @notBefore or @notAfter or @from or @to]">
        <x:date key="{f:date-key(.)}" label="{f:format-period(.)}" datetime="{f:datetime(.)}">
          <xsl:call-template name="place"/>
        </x:date>
      </xsl:for-each>
    </x:extract>
  </xsl:template>

  <!-- Where a node is: its paragraph (anchor and number). -->
  <xsl:template name="para">
    <xsl:variable name="p" select="f:text-para(.)"/>
    <xsl:if test="$p">
      <xsl:attribute name="p" select="f:para-anchor($p)"/>
      <xsl:attribute name="pn" select="f:para-number($p)"/>
    </xsl:if>
  </xsl:template>

  <!-- Paragraph and a snippet of context (before, the node's own text, after). -->
  <xsl:template name="place">
    <xsl:call-template name="para"/>
    <xsl:variable name="note" select="ancestor::tei:note[last()]"/>
    <xsl:if test="$note and $note/ancestor::tei:body">
      <xsl:attribute name="note" select="f:note-number($note)"/>
    </xsl:if>
    <!-- Notes are not part of the reading text, so a mention in a note takes its context from the note. -->
    <xsl:variable name="container" select="if ($note) then (ancestor::tei:p[ancestor::tei:note][1], $note)[1]
                                           else (f:text-para(.), ancestor::tei:p[1], ancestor::tei:head[1], ..)[1]"/>
    <xsl:variable name="snippet" select="f:snippet($container, ., $snippet-width)"/>
    <x:before><xsl:value-of select="$snippet[1]"/></x:before>
    <x:hit><xsl:value-of select="$snippet[2]"/></x:hit>
    <x:after><xsl:value-of select="$snippet[3]"/></x:after>
  </xsl:template>

</xsl:stylesheet>
