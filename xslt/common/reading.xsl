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

  <!-- Context around $target inside $container, in the corrected reading: (before, target, after),
       before and after cut to about $width characters at word boundaries. -->
  <xsl:function name="f:snippet" as="xs:string+">
    <xsl:param name="container" as="element()"/>
    <xsl:param name="target" as="element()"/>
    <xsl:param name="width" as="xs:integer"/>
    <xsl:variable name="parts" as="xs:string*">
      <xsl:apply-templates select="$container/node()" mode="m:plain-text">
        <xsl:with-param name="reading" select="'corrected'" tunnel="yes"/>
        <xsl:with-param name="target" select="$target" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:variable>
    <xsl:variable name="all" select="string-join($parts, '')"/>
    <xsl:variable name="before" select="normalize-space(substring-before($all, '&#xE000;'))"/>
    <xsl:variable name="hit" select="normalize-space(substring-before(substring-after($all, '&#xE000;'), '&#xE001;'))"/>
    <xsl:variable name="after" select="normalize-space(substring-after($all, '&#xE001;'))"/>
    <xsl:sequence select="(
      if (string-length($before) le $width) then $before
      else '…' || replace(substring($before, string-length($before) - $width + 1), '^\S*\s', ''),
      $hit,
      if (string-length($after) le $width) then $after
      else replace(substring($after, 1, $width), '\s\S*$', '') || '…')"/>
  </xsl:function>

  <xsl:mode name="m:plain-text" on-no-match="shallow-skip"/>

  <xsl:template match="text()" mode="m:plain-text">
    <xsl:sequence select="string(.)"/>
  </xsl:template>

  <xsl:template match="*" mode="m:plain-text">
    <xsl:param name="target" as="element()?" tunnel="yes" select="()"/>
    <xsl:if test=". is $target">&#xE000;</xsl:if>
    <xsl:apply-templates mode="m:plain-text"/>
    <xsl:if test=". is $target">&#xE001;</xsl:if>
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
