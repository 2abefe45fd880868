<?xml version="1.0" encoding="UTF-8"?>
<!-- Reading selection: the plain text of TEI content in the corrected or the printed (diplomatic) reading,
     and snippets of context around a node. Notes are never part of the reading text. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:editio:function"
  xmlns:m="urn:editio:mode"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
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
    <xsl:sequence select="f:snippet-at(f:reading-text-index($container), $target, $width)"/>
  </xsl:function>

  <!-- A container's corrected reading text prepared for many snippets: the text ('text'), its reading-text nodes
       in document order ('texts') and where each starts in the text ('starts', the same order). Callers that make
       many snippets per container compute it once: a snippet is then a few node comparisons and substrings, not
       a pass over the container's nodes. (Positions, not a map keyed by generate-id: no string per text node.) -->
  <xsl:function name="f:reading-text-index" as="map(*)">
    <xsl:param name="container" as="element()"/>
    <xsl:variable name="texts" as="text()*" select="f:reading-text-nodes($container, 'corrected')"/>
    <xsl:variable name="starts" as="xs:integer*">
      <xsl:iterate select="$texts">
        <xsl:param name="at" as="xs:integer" select="0"/>
        <xsl:sequence select="$at"/>
        <xsl:next-iteration>
          <xsl:with-param name="at" select="$at + string-length(.)"/>
        </xsl:next-iteration>
      </xsl:iterate>
    </xsl:variable>
    <xsl:sequence select="map{'text': string-join($texts, ''), 'texts': $texts, 'starts': $starts}"/>
  </xsl:function>

  <!-- f:snippet over a container's f:reading-text-index. The reading-text nodes inside $target are consecutive
       in the container's text, so before, hit and after are three substrings of it. -->
  <xsl:function name="f:snippet-at" as="xs:string+">
    <xsl:param name="index" as="map(*)"/>
    <xsl:param name="target" as="element()"/>
    <xsl:param name="width" as="xs:integer"/>
    <xsl:variable name="text" as="xs:string" select="$index?text"/>
    <xsl:variable name="texts" as="text()*" select="$index?texts"/>
    <xsl:variable name="starts" as="xs:integer*" select="$index?starts"/>
    <!-- The reading-text nodes inside $target are those after it and not after its last descendant: numbers
         $first to $last of $texts (none if $last lt $first). -->
    <xsl:variable name="end" as="node()" select="($target/descendant-or-self::node())[last()]"/>
    <xsl:variable name="first" as="xs:integer" select="count($texts[. &lt;&lt; $target]) + 1"/>
    <xsl:variable name="last" as="xs:integer" select="count($texts[not(. >> $end)])"/>
    <!-- Without reading text of its own, the target sits where the next reading-text node starts. -->
    <xsl:variable name="from" as="xs:integer" select="($starts[$first], string-length($text))[1]"/>
    <xsl:variable name="to" as="xs:integer"
      select="if ($last ge $first) then $starts[$last] + string-length($texts[$last]) else $from"/>
    <!-- Before and after are normalized from a window of 2 × $width characters next to the target when that
         holds more than $width characters once normalized (the cut then sees the same characters as from the
         whole text: a normalized window is a suffix, or prefix, of the normalized whole); from all of it only
         when not. String functions cost per character, and paragraphs can be long. -->
    <xsl:variable name="window" select="2 * $width"/>
    <xsl:variable name="near-before" select="normalize-space(substring($text, max(($from - $window, 0)) + 1, min(($from, $window))))"/>
    <xsl:variable name="near-after" select="normalize-space(substring($text, $to + 1, $window))"/>
    <xsl:sequence select="f:snippet-cut(
      if ($from le $window or string-length($near-before) gt $width) then $near-before
      else normalize-space(substring($text, 1, $from)),
      normalize-space(substring($text, $from + 1, $to - $from)),
      if (string-length($near-after) gt $width or $to + $window ge string-length($text)) then $near-after
      else normalize-space(substring($text, $to + 1)), $width)"/>
  </xsl:function>

  <!-- (before, hit, after) with before and after cut to about $width characters at word boundaries. -->
  <xsl:function name="f:snippet-cut" as="xs:string+">
    <xsl:param name="before" as="xs:string"/>
    <xsl:param name="hit" as="xs:string"/>
    <xsl:param name="after" as="xs:string"/>
    <xsl:param name="width" as="xs:integer"/>
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
