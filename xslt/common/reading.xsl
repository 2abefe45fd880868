<?xml version="1.0" encoding="UTF-8"?>
<!-- Reading selection: the plain text of TEI content in the corrected or the printed (diplomatic) reading,
     and snippets of context around a node. Notes are never part of the reading text. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:editio:function"
  xmlns:m="urn:editio:mode"
  exclude-result-prefixes="#all">

  <!-- Plain text of $nodes in $reading ('corrected' or 'printed'), whitespace collapsed. -->
  <xsl:function name="f:plain-text" as="xs:string">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:param name="reading" as="xs:string"/>
    <xsl:variable name="parts" as="xs:string*">
      <xsl:apply-templates select="$nodes" mode="m:plain-text">
        <xsl:with-param name="reading" select="$reading" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:variable>
    <xsl:sequence select="normalize-space(string-join($parts, ''))"/>
  </xsl:function>

  <!-- True for an element whose content is not part of $reading ('corrected' or 'printed'). -->
  <xsl:function name="f:hidden-in-reading" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:param name="reading" as="xs:string"/>
    <!-- name tests on strings, not axis steps: this runs for every element of every paragraph -->
    <xsl:variable name="n" select="local-name($el)"/>
    <xsl:sequence select="namespace-uri($el) = 'http://www.tei-c.org/ns/1.0' and (
      $n = ('note', 'teiHeader', 'figDesc')
      or ($reading = 'corrected' and ($n = ('surplus', 'del')
                                      or ($n = ('sic', 'orig', 'abbr') and local-name($el/..) = 'choice')))
      or ($reading = 'printed' and $n = ('corr', 'reg', 'expan', 'supplied')))"/>
  </xsl:function>

  <!-- The text nodes of $container that belong to $reading (the same selection as f:plain-text). -->
  <xsl:function name="f:reading-text-nodes" as="text()*">
    <xsl:param name="container" as="element()"/>
    <xsl:param name="reading" as="xs:string"/>
    <!-- set difference, not a per-text-node ancestor test: linear, and this runs for every paragraph -->
    <xsl:sequence select="$container//text() except $container//*[f:hidden-in-reading(., $reading)]//text()"/>
  </xsl:function>

  <!-- The string up to its last space ("a b c" → "a b"); the whole string if it has none. -->
  <xsl:function name="f:before-last-space" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:variable name="words" select="tokenize($s, ' ')"/>
    <xsl:sequence select="if (count($words) le 1) then $s else string-join($words[position() lt last()], ' ')"/>
  </xsl:function>

  <!-- The first $width characters of $s, cut at a word boundary and marked with an ellipsis; all of it if short. -->
  <xsl:function name="f:beginning" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:param name="width" as="xs:integer"/>
    <xsl:sequence select="if (string-length($s) le $width) then $s else f:before-last-space(substring($s, 1, $width)) || '…'"/>
  </xsl:function>

  <!-- Context around $target inside $container, in the corrected reading: (before, target, after),
       before and after cut to about $width characters at word boundaries. -->
  <xsl:function name="f:snippet" as="xs:string+">
    <xsl:param name="container" as="element()"/>
    <xsl:param name="target" as="element()"/>
    <xsl:param name="width" as="xs:integer"/>
    <xsl:sequence select="f:snippet-in(f:reading-text-nodes($container, 'corrected'), $target, $width)"/>
  </xsl:function>

  <!-- f:snippet over the reading-text nodes of a container computed beforehand (callers that make many snippets
       per container compute them once). -->
  <xsl:function name="f:snippet-in" as="xs:string+">
    <xsl:param name="texts" as="text()*"/>
    <xsl:param name="target" as="element()"/>
    <xsl:param name="width" as="xs:integer"/>
    <xsl:variable name="inside" select="$texts[ancestor::* intersect $target]"/>
    <xsl:variable name="before" select="normalize-space(string-join($texts[. &lt;&lt; $target], ''))"/>
    <xsl:variable name="hit" select="normalize-space(string-join($inside, ''))"/>
    <xsl:variable name="after" select="normalize-space(string-join(($texts[. >> $target] except $inside), ''))"/>
    <!-- Cut at word boundaries with substring functions (no regex: this runs for every mention). -->
    <xsl:sequence select="(
      if (string-length($before) le $width) then $before
      else '…' || substring-after(substring($before, string-length($before) - $width + 1), ' '),
      $hit,
      if (string-length($after) le $width) then $after
      else f:before-last-space(substring($after, 1, $width)) || '…')"/>
  </xsl:function>

  <xsl:mode name="m:plain-text" on-no-match="shallow-skip"/>

  <xsl:template match="text()" mode="m:plain-text">
    <xsl:sequence select="string(.)"/>
  </xsl:template>

  <xsl:template match="tei:note | tei:teiHeader | tei:figDesc" mode="m:plain-text"/>

  <xsl:template match="tei:lb | tei:cb" mode="m:plain-text">
    <xsl:if test="not(@break = 'no')">
      <xsl:sequence select="' '"/>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:sic | tei:orig | tei:abbr" mode="m:plain-text">
    <xsl:param name="reading" as="xs:string" tunnel="yes"/>
    <xsl:if test="$reading = 'printed' or empty(parent::tei:choice)">
      <xsl:next-match/>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:corr | tei:reg | tei:expan | tei:supplied" mode="m:plain-text">
    <xsl:param name="reading" as="xs:string" tunnel="yes"/>
    <xsl:if test="$reading = 'corrected'">
      <xsl:next-match/>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:del | tei:surplus" mode="m:plain-text">
    <xsl:param name="reading" as="xs:string" tunnel="yes"/>
    <xsl:if test="$reading = 'printed'">
      <xsl:next-match/>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>
