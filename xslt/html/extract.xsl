<?xml version="1.0" encoding="UTF-8"?>
<!-- The chapter extract (mode m:extract): the small XML the edition-wide pages are made from (mentions with
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

  <xsl:template match="/" mode="m:extract">
    <xsl:apply-templates select="tei:TEI" mode="m:extract"/>
  </xsl:template>

  <xsl:template match="tei:TEI" mode="m:extract">
    <x:extract stem="{$stem}" page="{$page}" order="{$stem}"
               title="{f:chapter-title(.)}" e:file="{@e:file}">
      <xsl:if test="$extract-header"><xsl:copy-of select="tei:teiHeader"/></xsl:if>
      <!-- One x:mention per entry pointed at (a group reference may point at several). -->
      <xsl:for-each select="tei:text//*[@ref][f:is-mention(.)]">
        <xsl:variable name="m" select="."/>
        <xsl:for-each select="distinct-values(f:ref-ids(@ref))">
          <x:mention id="{f:mention-id($m)}" ref="{.}" element="{local-name($m)}">
            <xsl:for-each select="$m"><xsl:call-template name="place"/></xsl:for-each>
          </x:mention>
        </xsl:for-each>
      </xsl:for-each>
      <xsl:for-each select="tei:text/tei:body//tei:note[not(ancestor::tei:note)]">
        <!-- @beginning: the note's first words, for the notes index of a large edition (which then needs no
             copy of the note itself; editio.html drops the copies). -->
        <x:note n="{f:note-number(.)}" anchor="{f:note-anchor(.)}" type="{@type}" beginning="{f:beginning(f:plain-text(node(), 'corrected'), 160)}">
          <xsl:call-template name="para"/>
          <xsl:if test="$extract-note-copies"><xsl:copy-of select="."/></xsl:if>
        </x:note>
      </xsl:for-each>
      <xsl:for-each select="tei:text//tei:date[f:is-dated(.)]">
        <x:date key="{f:date-key(.)}" label="{f:format-period(.)}" datetime="{f:datetime(.)}">
          <xsl:call-template name="place"/>
        </x:date>
      </xsl:for-each>
    </x:extract>
  </xsl:template>

  <!-- Where a snippet's context comes from: the paragraph; for a mention in a note (notes are not part of the
       reading text) the note's paragraph or the note. -->
  <xsl:function name="f:snippet-container" as="element()">
    <xsl:param name="node" as="element()"/>
    <xsl:variable name="note" select="$node/ancestor::tei:note[last()]"/>
    <xsl:sequence select="if ($note) then ($node/ancestor::tei:p[ancestor::tei:note][1], $note)[1]
                          else (f:text-para($node), $node/ancestor::tei:p[1], $node/ancestor::tei:head[1], $node/..)[1]"/>
  </xsl:function>

  <!-- The snippet (before, hit, after) of every mention and dated mention, by generate-id of the node: the reading
       text of each snippet container is indexed once (f:reading-text-index) for all the nodes in it. -->
  <xsl:variable name="snippets" as="map(xs:string, xs:string+)">
    <xsl:map>
      <xsl:for-each-group select="//tei:text//*[@ref][f:is-mention(.)] | //tei:text//tei:date[f:is-dated(.)]"
                          group-by="generate-id(f:snippet-container(.))">
        <xsl:variable name="index" select="f:reading-text-index(f:snippet-container(.))"/>
        <xsl:for-each select="current-group()">
          <xsl:map-entry key="generate-id(.)" select="f:snippet-at($index, ., $snippet-width)"/>
        </xsl:for-each>
      </xsl:for-each-group>
    </xsl:map>
  </xsl:variable>

  <!-- A date that the extract lists (one with a normalized value). -->
  <xsl:function name="f:is-dated" as="xs:boolean">
    <xsl:param name="date" as="element()"/>
    <xsl:sequence select="exists($date[@when or @notBefore or @notAfter or @from or @to])"/>
  </xsl:function>

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
    <xsl:variable name="snippet" select="$snippets(generate-id(.))"/>
    <x:before><xsl:value-of select="$snippet[1]"/></x:before>
    <x:hit><xsl:value-of select="$snippet[2]"/></x:hit>
    <x:after><xsl:value-of select="$snippet[3]"/></x:after>
  </xsl:template>

</xsl:stylesheet>
