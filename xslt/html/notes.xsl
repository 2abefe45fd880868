<?xml version="1.0" encoding="UTF-8"?>
<!-- Notes: a numbered reference in the text and a footnote at the end of the chapter, linked both ways. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:editio:function"
  xmlns:m="urn:editio:mode"
  exclude-result-prefixes="#all">

  <!-- The labels of note types, as shown before a note's text ($note: a TEI note or an extract's x:note). -->
  <xsl:function name="f:note-type-label" as="xs:string">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="(map{'historical': 'Historical note', 'editorial': 'Editorial note',
                               'translation': 'Translation note'}(string($note/@type)), 'Note')[1]"/>
  </xsl:function>

  <!-- The note reference in the running text. -->
  <xsl:template match="tei:note[ancestor::tei:body]">
    <xsl:variable name="n" select="f:note-number(.)"/>
    <sup class="noteref-wrap"><a class="noteref" id="fnref-{$n}" href="#{f:note-anchor(.)}" role="doc-noteref"
      aria-label="Note {$n}"><xsl:value-of select="$n"/></a></sup>
  </xsl:template>

  <!-- Notes outside the reading text (in headers, register entries) are shown in place. -->
  <xsl:template match="tei:note">
    <span class="note-inline"><xsl:apply-templates/></span>
  </xsl:template>

  <!-- The footnotes of a chapter, in order. -->
  <xsl:template name="footnotes">
    <xsl:param name="notes" as="element(tei:note)*"/>
    <xsl:if test="exists($notes)">
      <section class="footnotes" aria-labelledby="footnotes-h">
        <h2 id="footnotes-h">Notes</h2>
        <xsl:apply-templates select="$notes" mode="m:footnote"/>
      </section>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:note" mode="m:footnote">
    <xsl:variable name="n" select="f:note-number(.)"/>
    <aside class="footnote note-{(@type, 'plain')[1]}" id="{f:note-anchor(.)}" role="doc-footnote">
      <p class="fn-head">
        <a href="#fnref-{$n}" role="doc-backlink" aria-label="Back to the text of note {$n}"><xsl:value-of select="$n"/>.</a>
        <xsl:text> </xsl:text>
        <span class="fn-type"><xsl:value-of select="f:note-type-label(.)"/></span>
        <xsl:variable name="p" select="f:text-para(.)"/>
        <xsl:if test="$p">
          <xsl:text> </xsl:text>
          <a class="fn-para" href="#{f:para-anchor($p)}">¶ <xsl:value-of select="f:para-number($p)"/></a>
        </xsl:if>
      </p>
      <xsl:call-template name="note-body"/>
    </aside>
  </xsl:template>

  <!-- A note's content: block children as they are, inline content wrapped in one paragraph. -->
  <xsl:template name="note-body">
    <xsl:choose>
      <xsl:when test="tei:p | tei:list | tei:quote[tei:p] | tei:lg">
        <div class="fn-body"><xsl:apply-templates/></div>
      </xsl:when>
      <xsl:otherwise>
        <p class="fn-body"><xsl:apply-templates/></p>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
